"""Numbers in report text: every number found, with its qualifier, unit and kind.

`find_numbers` runs on the matching view (simplified, half-width, same length as the
original), so offsets index the original text and traditional script works too.

Every number is reported, each with a `kind`, so callers can skip what is not a count:

    count    a quantity ("119份", "15万余条", "近200场", "21 件")
    year     "2013年", "2013—2014年", "二〇一三年", a bare 19xx/20xx with no unit
    date     month/day/time: "1月1日", "2013-01-01", "9:30" (each number of a date is one mention)
    percent  "98%", "百分之九十八", "3个百分点"
    phone    "0517-87222589", "12345热线", "电话：87222589", mobile numbers
    docno    document/ICP/law numbers: "国办发〔2019〕14号", "国令第711号", "京ICP备05070218号"
    ordinal  "第三", "第十二届", list markers "1、" "（2）"
    other    durations ("15个工作日"), numbers in URLs/e-mails/postcodes, codes like "5G"

`value` is always a float: for dates/docnos it is simply the number as written. Parsing a
numeral alone (`parse_number`, `parse_year`) is `qa.facts.numerals`, re-exported here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from qa.facts.numerals import CN_CHARS, CN_DIGITS, MAX_VALUE, clean_value, parse_chinese, parse_number, parse_year
from qa.normalize import matching_view
from qa.types import Qualifier

__all__ = ["NumberMention", "find_numbers", "parse_number", "parse_year"]  # parse_*: from qa.facts.numerals

# ------------------------------------------------------------------ finding


@dataclass
class NumberMention:
    start: int  # offset of the number in the original text (qualifier words and unit excluded,
    end: int  # a 万/亿 multiplier included: "15万", "700余万")
    value: float
    raw: str  # original text[start:end], e.g. "15万", "1,094", "一百三十四"
    qualifier: Qualifier = Qualifier.exact
    unit: str = ""
    kind: str = "count"  # count | year | date | percent | phone | docno | ordinal | other
    incomplete: bool = False  # the sentence says 据不完全统计
    unit_end: int = 0  # end of number + qualifier words + unit (for callers that quote the phrase)
    qual_start: int = 0  # start of prefix qualifier words (约/近/超过), == start when none
    notes: list[str] = field(default_factory=list)


# Longest first. 万元/亿元 keep the value unscaled ("15万元" → 15 万元).
UNITS = sorted(
    [
        "万人次", "万元", "亿元", "人次", "件次", "场次", "家次", "批次", "个工作日", "个月", "个百分点",
        "个", "件", "份", "条", "场", "人", "元", "期", "次", "起", "张", "篇", "项", "家", "名", "批",
        "部", "册", "本", "页", "户", "台", "套", "类", "处", "所", "位", "宗", "笔", "卷", "盘", "版",
        "栏", "块", "种", "封", "幅", "段", "帧", "集", "届", "轮", "组", "支", "万字", "字",
        "小时", "分钟", "秒", "天", "周", "岁", "平方米", "米", "公里", "GB", "TB", "MB",
        "辆", "艘", "座", "亩", "吨", "公顷", "千米", "平方公里", "万平方米", "立方米",
    ],
    key=len,
    reverse=True,
)
_DURATION_UNITS = {"个工作日", "个月", "小时", "分钟", "秒", "天", "周", "岁", "平方米", "米", "公里",
                   "GB", "TB", "MB", "届", "亩", "吨", "公顷", "千米", "平方公里", "万平方米", "立方米"}

_NUM_RE = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d])")
_CN_NUM_RE = re.compile(f"[{CN_CHARS}]+")

# Spans whose numbers are never counts: (regex, kind), on the matching view.
_PROTECTED = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "other"),  # e-mail
    (re.compile(r"(?:https?://|www\.)[\w./?=&%#:-]+", re.I), "other"),  # URL
    (re.compile(r"[A-Za-z]+\.[A-Za-z]{2,}(?:/[\w./?=&%-]*)?"), "other"),  # gov.cn/...
    (re.compile(r"ICP\s*[备證证]?\s*[\d-]+\s*号?(?:-\d+)?", re.I), "docno"),
    (re.compile(r"公网安备\s*\d+\s*号?"), "docno"),
    (re.compile(r"[〔\[(【［]\s*(?:19|20)\d{2}\s*[〕\])】］]\s*(?:第\s*)?\d+\s*号"), "docno"),
    (re.compile(r"第\s*\d+\s*号"), "docno"),
    (re.compile(r"(?:令|号令)\s*第?\s*\d+\s*号?"), "docno"),
    (re.compile(r"(?:19|20)\d{2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}"), "date"),
    (re.compile(r"(?<!\d)\d{1,2}\s*[:：]\s*\d{2}(?!\d)"), "date"),
    (re.compile(r"(?<!\d)[(]?0\d{2,3}[)]?\s*[-—–]?\s*\d{7,8}(?:\s*[-—–转]\s*\d{1,5})?(?!\d)"), "phone"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "phone"),
    (re.compile(r"(?:电话|热线|传真|手机|联系方式|tel|fax)[^。\n\d]{0,8}[\d\s()、,，/—–-]{5,}", re.I), "phone"),
    (re.compile(r"(?<!\d)12345(?!\d)"), "phone"),
    (re.compile(r"(?:邮\s*编|邮\s*政\s*编\s*码)[^\d\n]{0,6}\d{6}"), "other"),
]

_PREFIX_QUALIFIERS = [
    # (word, qualifier, words ending with it that do not qualify)
    ("据不完全统计", None, ()),
    ("大约", Qualifier.approx, ()),
    ("约", Qualifier.approx, ("节约", "制约", "预约", "签约", "合约", "条约", "公约", "约束", "集约", "简约")),
    ("将近", Qualifier.nearly, ()),
    ("接近", Qualifier.nearly, ()),
    ("近", Qualifier.nearly, ("最近", "附近", "接近", "将近", "临近", "就近", "邻近")),
    ("超过", Qualifier.at_least, ()),
    ("突破", Qualifier.at_least, ()),
    ("多于", Qualifier.at_least, ()),
    ("不少于", Qualifier.at_least, ()),
    ("不低于", Qualifier.at_least, ()),
    ("逾", Qualifier.at_least, ()),
    ("超", Qualifier.at_least, ()),
]
_SENTENCE_END = re.compile(r"[。！？!?]|\n\s*\n")


def _skip_spaces(view: str, i: int, limit: int = 3) -> int:
    j = i
    while j < len(view) and j - i < limit and view[j] in " \t\r\n\u00a0":
        j += 1
    return j


def _back_spaces(view: str, i: int, limit: int = 3) -> int:
    j = i
    while j > 0 and i - j < limit and view[j - 1] in " \t\r\n\u00a0":
        j -= 1
    return j


def _match_unit(view: str, i: int) -> str:
    for unit in UNITS:
        if view.startswith(unit, i):
            return unit
    return ""


def _protected_kinds(view: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """(kind, sorted spans) per _PROTECTED pattern, in priority order."""
    return [(kind, [m.span() for m in rx.finditer(view)]) for rx, kind in _PROTECTED]


def _protected_kind(protected, s: int, e: int) -> Optional[str]:
    """The kind of the first pattern with a match around [s, e). One pattern's matches do not
    overlap, so the one starting last at or before s is the only candidate (bisect: a scan of
    every span per number made long texts quadratic)."""
    for kind, spans in protected:
        i = bisect_right(spans, (s, float("inf"))) - 1
        if i >= 0 and e <= spans[i][1]:
            return kind
    return None


def _candidates(view: str) -> list[tuple[int, int, str]]:
    """(start, end, "arabic"|"chinese") number tokens, end excluding any 万/亿 multiplier."""
    out = [(m.start(), m.end(), "arabic") for m in _NUM_RE.finditer(view)]
    for m in _CN_NUM_RE.finditer(view):
        s, e = m.start(), m.end()
        # A trailing 万/亿 is a multiplier or part of 万元; a leading 万/千/百 alone is a word.
        while s < e and view[s] in "万亿千百":
            s += 1
        if s >= e:
            continue
        out.append((s, e, "chinese"))
    out.sort()
    return out


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in `text` with qualifier, unit and kind (see module doc). Offsets index `text`."""
    view = matching_view(text)
    protected = _protected_kinds(view)
    mentions: list[NumberMention] = []
    for s, e, script in _candidates(view):
        m = _mention(text, view, s, e, script, protected)
        if m is not None:
            mentions.append(m)
    return mentions


def _mention(text, view, s, e, script, protected) -> Optional[NumberMention]:
    parsed = _parse_token(text, view, s, e, script)
    if parsed is None:
        return None
    value, e, token = parsed
    value, pos, span_end, qualifier, notes = _multiplier(view, e, value, script)
    unit, unit_end, suffix = _unit_and_suffix(view, pos)
    if suffix is not None:
        qualifier = suffix[0]
        notes.append(suffix[1])
    if script == "chinese" and not _chinese_is_number(view, s, e, unit):
        return None
    qual_start = s
    prefix = _prefix_qualifier(view, s)
    if prefix is not None:
        q, word, qual_start = prefix
        if qualifier == Qualifier.exact:
            qualifier = q
        notes.append(word)
    incomplete = _incomplete_count(view, s)
    if incomplete:
        notes.append("据不完全统计")
        if qualifier == Qualifier.exact:
            qualifier = Qualifier.incomplete
    if not value <= MAX_VALUE:  # also catches inf from float("9" * 400)
        return None
    kind = _kind(view, s, e, pos, unit, script, token, protected)
    if kind == "year" and script == "chinese":
        y = parse_year(token)
        if y is not None:
            value = float(y)
    return NumberMention(
        start=s, end=span_end, value=clean_value(value), raw=text[s:span_end], qualifier=qualifier,
        unit=unit, kind=kind, incomplete=incomplete, unit_end=unit_end, qual_start=qual_start, notes=notes,
    )


def _parse_token(text, view, s, e, script) -> Optional[tuple[float, int, str]]:
    """(value, end, token) of a number token before any multiplier; None when it is no number."""
    if script == "chinese" and e - s > 1 and view[e - 1] in "万亿" and view.startswith("元", e):
        e -= 1  # "十五万元" → 十五 万元
    token = view[s:e]
    if script == "chinese":
        value = parse_chinese(token)
        if value is None:
            year = parse_year(token) if len(token) == 4 and all(ch in CN_DIGITS for ch in token) else None
            if year is None:
                return None
            value = float(year)
    else:
        value = float(token.replace(",", ""))
        if "," in token and "," not in text[s:e]:
            return None  # a full-width comma between numbers, not a thousands separator
    return value, e, token


def _multiplier(view, e, value, script) -> tuple[float, int, int, Qualifier, list[str]]:
    """number 余/多 万/亿 余/多: (scaled value, end of it all, end of the span, qualifier, notes).
    The span covers the multiplier ("15万", "700余万"); 万元/亿元 are a unit, the value unscaled."""
    pos = span_end = e
    qualifier = Qualifier.exact
    notes: list[str] = []
    j = _skip_spaces(view, pos, 1)
    if j < len(view) and view[j] in "余多" and script == "arabic":
        qualifier = Qualifier.at_least
        notes.append(view[j])
        pos = j + 1
        j = _skip_spaces(view, pos, 1)
    if script == "arabic" and j < len(view) and view[j] in "万亿千":
        if view.startswith("万元", j) or view.startswith("亿元", j):
            pass  # unit 万元/亿元, value unscaled
        elif view[j] == "千" and j + 1 < len(view) and view[j + 1] in "米克瓦":
            pass
        else:
            value *= {"万": 10_000, "亿": 1e8, "千": 1000}[view[j]]
            pos = span_end = j + 1
            j = _skip_spaces(view, pos, 1)
            if j < len(view) and view[j] in "余多":
                qualifier = Qualifier.at_least
                notes.append(view[j])
                pos = j + 1
    elif script == "chinese" and pos < len(view) and view[pos] in "余多":
        qualifier = Qualifier.at_least
        notes.append(view[pos])
        pos += 1
    return value, pos, span_end, qualifier, notes


_AFTER_UNIT = (("以上", Qualifier.at_least), ("左右", Qualifier.approx), ("上下", Qualifier.approx),
               ("余", Qualifier.at_least), ("多", Qualifier.at_least))
_AFTER_NUMBER = (("以上", Qualifier.at_least), ("左右", Qualifier.approx))


def _unit_and_suffix(view, pos) -> tuple[str, int, Optional[tuple[Qualifier, str]]]:
    """(unit, end of unit and suffix, (qualifier, word) of a suffix such as 以上/左右 or None)."""
    j = _skip_spaces(view, pos, 3)
    unit = _match_unit(view, j)
    unit_end = j + len(unit) if unit else pos
    k = _skip_spaces(view, unit_end, 1)
    for word, q in (_AFTER_UNIT if unit else _AFTER_NUMBER):
        if view.startswith(word, k):
            if word == "多" and view.startswith("多种", k) or word == "余" and view.startswith("余额", k):
                continue
            return unit, k + len(word), (q, word)
    return unit, unit_end, None


def _chinese_is_number(view, s, e, unit) -> bool:
    """Chinese numerals are only numbers with a unit, a date/year word, 第 or 百分之 around them."""
    after_at = _skip_spaces(view, e, 2)
    after = view[after_at:after_at + 1]  # a bounded slice: view[i:] per number made long texts quadratic
    before = view[max(0, s - 4):s]
    return bool(unit or after[:1] in ("年", "月", "日", "号") or before.endswith("第") or before.endswith("百分之")
                or after[:1] in "个")


def _prefix_qualifier(view, s) -> Optional[tuple[Qualifier, str, int]]:
    """(qualifier, word, where the word starts) of 约/近/超过… just before the number."""
    b = _back_spaces(view, s, 2)
    for word, q, exclude in _PREFIX_QUALIFIERS:
        if q is None:
            continue
        if view.endswith(word, 0, b):
            if any(view.endswith(x, 0, b) for x in exclude):
                continue
            return q, word, b - len(word)
    return None


def _incomplete_count(view, s) -> bool:
    """Does 据不完全统计 come earlier in the number's sentence?"""
    sent_start = 0
    for m in _SENTENCE_END.finditer(view, max(0, s - 400), s):
        sent_start = m.end()
    return "不完全统计" in view[sent_start:s]


def _kind(view, s, e, pos, unit, script, token, protected) -> str:
    pk = _protected_kind(protected, s, e)
    if pk:
        return pk
    after_i = _skip_spaces(view, e, 2)
    after = view[after_i:after_i + 4]
    before = view[max(0, s - 6):s].rstrip(" \t")
    kind = _marker_kind(view, s, pos, unit, after, before) or _time_kind(view, s, after_i, unit, script, token)
    if kind:
        return kind
    if unit in _DURATION_UNITS:
        return "other"
    if before.endswith(("邮编", "邮政编码", "编号", "代码", "文号", "账号", "帐号", "编码")):
        return "other"
    if script == "arabic" and len(token) >= 7 and "," not in token and "." not in token and not unit:
        return "phone"
    return "count"


def _marker_kind(view, s, pos, unit, after, before) -> Optional[str]:
    """percent, ordinal (第N, list markers) or other (codes such as "5G"), from the characters around."""
    if after[:1] in ("%", "‰") or unit == "个百分点" or before.endswith("百分之"):
        return "percent"
    if before.endswith("第"):
        return "ordinal"
    # a list marker sits near its line start: look back 40 characters, not to the start of a long line
    newline = view.rfind("\n", max(0, s - 40), s)
    line_start = newline + 1 if newline >= 0 or s <= 40 else s - 40
    if not view[line_start:s].strip(" \t(（[【") and after[:1] in ("、", ".", "．", ")", "）", "]", "】") \
            and not (after[:1] == "." and after[1:2].isdigit()):
        return "ordinal"
    if before.endswith(("(", "（")) and after[:1] in (")", "）") and not unit:
        return "ordinal"
    # Latin letters glued on: codes, models ("5G", "G20", "ISO9001")
    if (s > 0 and view[s - 1].isascii() and view[s - 1].isalpha()) or (
        pos < len(view) and view[pos].isascii() and view[pos].isalpha() and not unit
    ):
        return "other"
    return None


def _time_kind(view, s, after_i, unit, script, token) -> Optional[str]:
    """year, date or docno (…号) from the word after the number; "other" for a duration (3年)."""
    after = view[after_i:after_i + 4]
    is_year_number = (script == "arabic" and re.fullmatch(r"(?:19|20)\d{2}", token)) or (
        script == "chinese" and parse_year(token) is not None and len(token) == 4
    )
    if after[:1] == "年":
        if is_year_number:
            nxt_at = _skip_spaces(view, after_i + 1, 2)
            nxt = view[nxt_at:nxt_at + 4]
            if re.match(r"\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月", nxt):
                return "date"
            return "year"
        if script == "arabic" and len(token) <= 2 and view[max(0, s - 1):s] in ("-", "—", "–", "至", "~"):
            return "year"
        return "other"  # "3年": a duration
    if is_year_number and after[:1] in ("-", "—", "–", "至", "~") and re.match(
        r"[-—–至~]\s*(?:19|20)?\d{2}\s*年", view[after_i:after_i + 10]
    ):
        return "year"
    if is_year_number and not unit:
        return "year"
    if after[:1] == "月" and not view.startswith("月份", after_i) or view.startswith("月份", after_i):
        return "date"
    if after[:1] in ("日", "号") and re.search(r"月\s*$", view[max(0, s - 3):s]):
        return "date"
    if after[:1] in ("日",) and not unit:
        return "date"
    if after[:1] in ("时", "点") and not unit and not view.startswith("点击", after_i) \
            and not view.startswith("时间", after_i):
        return "date"
    if after[:1] == "号" and not unit:
        return "docno"  # "中办发200512号", "国务院492号令", house numbers
    return None
