"""Numbers in report text: parsing, and finding every number with its qualifier, unit and kind.

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

`value` is always a float: for dates/docnos it is simply the number as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from qa.normalize import matching_view
from qa.types import Qualifier

# ------------------------------------------------------------------ parsing

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
              "陆": 6, "柒": 7, "捌": 8, "玖": 9, "貳": 2, "參": 3, "陸": 6, "兩": 2}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)

# No report counts anything beyond this; a longer digit string (400 digits of garbage, an ID)
# is not a number here, and would overflow int() and SQLite INTEGER further on.
MAX_VALUE = 1e15
_ARABIC_RE = re.compile(r"^\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*([万萬亿億千]?)\s*$")


def _parse_chinese(s: str) -> Optional[float]:
    if not s or any(ch not in _CN_CHARS for ch in s):
        return None
    if not any(ch in _CN_DIGITS or ch in "十拾" for ch in s):
        return None
    positional = any(ch in _CN_SMALL or ch in _CN_BIG for ch in s)
    if not positional:
        if len(s) == 1:
            return float(_CN_DIGITS[s])
        return None  # "二〇一三": digit strings are years, see parse_year
    total = 0
    section = 0  # below 万
    digit = None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            mult = _CN_SMALL[ch]
            section += (1 if digit is None else digit) * mult
            digit = None
        else:  # 万 / 亿
            mult = _CN_BIG[ch]
            section += digit or 0
            digit = None
            if mult == 100_000_000:
                total = (total + section) * mult
            else:
                total += section * mult
            section = 0
            if total > MAX_VALUE:
                return None  # "一亿亿亿…": stop before the integer grows with the input
    section += digit or 0
    total += section
    return float(total) if total <= MAX_VALUE else None


def parse_number(s: str) -> Optional[float]:
    """"119" → 119, "1,094" → 1094, "1.1万" → 11000, "3.5亿", "九十" → 90, "一百三十四" → 134.

    Traditional and full-width input work. Digit strings like "二〇一三" are not numbers here
    (use `parse_year`). Returns None when `s` is not a number.
    """
    if s is None:
        return None
    t = matching_view(s.strip()).replace(" ", "")
    if not t:
        return None
    m = _ARABIC_RE.match(t)
    if m:
        value = float(m.group(1).replace(",", ""))
        mult = m.group(2)
        if mult:
            value *= {"万": 10_000, "萬": 10_000, "亿": 1e8, "億": 1e8, "千": 1000}[mult]
        return _clean(value) if value <= MAX_VALUE else None
    # Arabic with a Chinese multiplier after a Chinese part, e.g. "3千万" is rare: try Chinese.
    return _parse_chinese(t)


def parse_year(s: str) -> Optional[int]:
    """"2013", "2013年", "二〇一三", "二〇一三年", "二零一三" → 2013; None otherwise."""
    t = matching_view(s.strip()).replace(" ", "").rstrip("年度")
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    if len(t) == 4 and all(ch in _CN_DIGITS for ch in t):
        return int("".join(str(_CN_DIGITS[ch]) for ch in t))
    return None


def _clean(value: float) -> float:
    r = round(value, 6)
    return float(int(r)) if r == int(r) else r


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
    ],
    key=len,
    reverse=True,
)
_DURATION_UNITS = {"个工作日", "个月", "小时", "分钟", "秒", "天", "周", "岁", "平方米", "米", "公里",
                   "GB", "TB", "MB", "届"}

_NUM_RE = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d])")
_CN_NUM_RE = re.compile(f"[{_CN_CHARS}]+")

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
    if script == "chinese" and e - s > 1 and view[e - 1] in "万亿" and view.startswith("元", e):
        e -= 1  # "十五万元" → 十五 万元
    token = view[s:e]
    if script == "chinese":
        value = _parse_chinese(token)
        year = None
        if value is None:
            if len(token) == 4 and all(ch in _CN_DIGITS for ch in token):
                year = parse_year(token)
            if year is None:
                return None
            value = float(year)
    else:
        value = float(token.replace(",", ""))
        if "," in token and "," not in text[s:e]:
            return None  # a full-width comma between numbers, not a thousands separator
    pos = e
    span_end = e
    qualifier = Qualifier.exact
    notes: list[str] = []
    # number 余/多 万/亿 余/多
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
            pos = j + 1
            span_end = pos  # the span covers the multiplier: "15万", "700余万"
            j = _skip_spaces(view, pos, 1)
            if j < len(view) and view[j] in "余多":
                qualifier = Qualifier.at_least
                notes.append(view[j])
                pos = j + 1
    elif script == "chinese" and pos < len(view) and view[pos] in "余多":
        qualifier = Qualifier.at_least
        notes.append(view[pos])
        pos += 1
    j = _skip_spaces(view, pos, 3)
    unit = _match_unit(view, j)
    if unit:
        unit_end = j + len(unit)
        k = _skip_spaces(view, unit_end, 1)
        for word, q in (("以上", Qualifier.at_least), ("左右", Qualifier.approx),
                        ("上下", Qualifier.approx), ("余", Qualifier.at_least), ("多", Qualifier.at_least)):
            if view.startswith(word, k):
                if word == "多" and view.startswith("多种", k) or word == "余" and view.startswith("余额", k):
                    continue
                qualifier = q
                notes.append(word)
                unit_end = k + len(word)
                break
    else:
        unit_end = pos
        k = _skip_spaces(view, pos, 1)
        for word, q in (("以上", Qualifier.at_least), ("左右", Qualifier.approx)):
            if view.startswith(word, k):
                qualifier = q
                notes.append(word)
                unit_end = k + len(word)
                break

    # Chinese numerals are only numbers with a unit, a date/year word, 第 or 百分之 around them.
    after_at = _skip_spaces(view, e, 2)
    after = view[after_at:after_at + 1]  # a bounded slice: view[i:] per number made long texts quadratic
    before = view[max(0, s - 4):s]
    if script == "chinese":
        if not (unit or after[:1] in ("年", "月", "日", "号") or before.endswith("第") or before.endswith("百分之")
                or after[:1] in "个"):
            return None

    # prefix qualifier
    qual_start = s
    b = _back_spaces(view, s, 2)
    for word, q, exclude in _PREFIX_QUALIFIERS:
        if q is None:
            continue
        if view.endswith(word, 0, b):
            if any(view.endswith(x, 0, b) for x in exclude):
                continue
            if qualifier == Qualifier.exact:
                qualifier = q
            notes.append(word)
            qual_start = b - len(word)
            break
    # 据不完全统计 anywhere earlier in the sentence
    sent_start = 0
    for m in _SENTENCE_END.finditer(view, max(0, s - 400), s):
        sent_start = m.end()
    incomplete = "不完全统计" in view[sent_start:s]
    if incomplete:
        notes.append("据不完全统计")
        if qualifier == Qualifier.exact:
            qualifier = Qualifier.incomplete

    if not value <= MAX_VALUE:  # also catches inf from float("9" * 400)
        return None
    kind = _kind(view, s, e, pos, unit, value, script, token, protected)
    if kind == "year" and script == "chinese":
        y = parse_year(token)
        if y is not None:
            value = float(y)
    return NumberMention(
        start=s, end=span_end, value=_clean(value), raw=text[s:span_end], qualifier=qualifier,
        unit=unit, kind=kind, incomplete=incomplete, unit_end=unit_end, qual_start=qual_start, notes=notes,
    )


def _kind(view, s, e, pos, unit, value, script, token, protected) -> str:
    pk = _protected_kind(protected, s, e)
    if pk:
        return pk
    after_i = _skip_spaces(view, e, 2)
    after = view[after_i:after_i + 4]
    before = view[max(0, s - 6):s].rstrip(" \t")
    # percentages
    if after[:1] in ("%", "‰") or unit == "个百分点" or before.endswith("百分之"):
        return "percent"
    # ordinals: 第N, list markers
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
    # years and dates
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
    if unit in _DURATION_UNITS:
        return "other"
    if before.endswith(("邮编", "邮政编码", "编号", "代码", "文号", "账号", "帐号", "编码")):
        return "other"
    if script == "arabic" and len(token) >= 7 and "," not in token and "." not in token and not unit:
        return "phone"
    return "count"
