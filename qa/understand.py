"""Question → Query: agencies, years, metric, scope, language, script, intent.

Pure string work over the vocabulary files: no jieba, no models, so a fact question is
understood in well under a millisecond.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping

from qa.facts.common import vocabulary
from qa.link import Linking, link_agencies
from qa.meta import known_agencies
from qa.normalize import matching_view
from qa.types import Query

CN_YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
                  "六": "6", "七": "7", "八": "8", "九": "9"}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
RELATIVE_YEAR = re.compile(r"去年|今年|前年|明年|上一年|last year|this year|previous year", re.I)
COMPARE = re.compile(r"比较|对比|相比|变化|增加|减少|增长|下降|趋势|compare|comparison|change|trend|versus|\bvs\b", re.I)
LIST = re.compile(r"哪些机关|哪些单位|哪个机关|哪些部门|which agenc|which offices", re.I)
NARRATIVE = re.compile(
    r"哪些|什么问题|问题|措施|做法|如何|怎样|为什么|形式|渠道|方式|what problems|what measures|how did|why|describe"
    r"|summar|which channels|what channels|what forms|in what ways|what did|which forms|which ways|through which"
    r"|what (?:kinds?|types?) of|shortcomings|weaknesses|improvement measures|which (?:problems|measures|columns)",
    re.I)
# English words with boundaries: "count" must not fire on "Pingtan County".
COUNTING = re.compile(r"多少|几[个名人件场条次期份项篇家批]|数量|[条件次人个]数|总计|合计|有没有|有无|是否(?:有|收到|收取|发生|公开|发布)"
                      r"|(?:阅读|访问|浏览|点击|播放|关注)[量数]"
                      r"|\b(?:how many|how much|number of|counts?|amount|total)\b"
                      r"|\b(?:did|does|do|was|were|has|have|had)\b[^?？]*\bany\b"  # did … any: none or how many
                      r"|^\s*(?:was|were)\b[^?？]*\b(?:sued|fined|charged|reconsidered)\b"
                      r"|\bwhich\b[^?？]*\b(?:more|fewer|less|higher|lower|most|fewest)\b|哪个[^？?]{0,12}(?:多|少|高|低)", re.I)
# A name that looks like an agency but is not one we know: the question must not be answered
# from other agencies' reports.
AGENCY_LIKE = re.compile(
    r"((?:国家|中华人民共和国)?[\u4e00-\u9fff]{1,8}?(?:部|委员会|总局|局|厅|署|办公室|人民政府|外办))"
    r"(?=\d|年|在|的|收到|共|有|是|于|对|和|与|[,，?？\s]|$)")
# A question must hold words: Han characters or a Latin word that is not SQL. "*", "？？？" or
# `' OR 1=1 --` would otherwise be "answered" with whatever table rows rank first.
HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
SQL_WORDS = {"select", "union", "insert", "update", "delete", "drop", "table", "from", "where", "into", "values",
             "null", "and", "or", "not", "like", "exec", "all", "order", "by", "limit", "sleep", "char", "concat"}
SQL_STATEMENT = re.compile(r"\b(?:select|union|insert|update|delete|drop)\b.*\b(?:from|into|table|set|select)\b"
                           r"|\bor\b\s*['\"]?\w*['\"]?\s*=|--\s*$|;\s*--", re.I)


def has_words(question: str) -> bool:
    """False for questions of only punctuation, symbols, numbers or SQL."""
    if HAN_CHAR.search(question):
        return True
    if SQL_STATEMENT.search(question):
        return False
    return any(w.lower() not in SQL_WORDS for w in LATIN_WORD.findall(question))


EN_AGENCY_LIKE = re.compile(
    r"\b((?:ministry|bureau|department|commission|administration|office|government) of [a-z][a-z ]{2,30}?"
    r"|[a-z]+ (?:bureau|ministry|commission|government|foreign affairs office))(?= receive| report| in | did|[,?.]|$)",
    re.I)


def detect_script(text: str) -> str:
    return "traditional" if matching_view(text) != _half(text) else "simplified"


def _half(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else (" " if c == "\u3000" else c) for c in text)


def detect_language(text: str) -> str:
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z]{2,}", text))
    if han and words >= 3:
        return "mixed"
    if words and not han:
        return "en"
    return "zh"


# 2019年到2021年, 2019—2021年, 2019至2021年, from 2019 to 2021, between 2019 and 2021, 2019-2021: every year of it
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:到|至|—|–|-|~|～|\bto\b|\bthrough\b|\band\b(?=\s*(?:19|20)\d{2}\b.*\b(?:each|every)\b))"
                        r"\s*((?:19|20)\d{2})", re.I)


# 21年, 22年和23年, 21到23年: a year of this century written with two digits, as people type it
# (not a span of years: 近20年来, 用了10年, 30年间)
SHORT_YEAR = re.compile(r"(?<![\d.近了约几多满第每逾过余])([0-4]\d)"
                        r"(?=\s*(?:年(?!来|以来|间|内|多|左右|前|后|之)|(?:到|至|—|–|-|~|～|和|与|、)\s*[0-4]\d\s*年))")


def find_years(text: str) -> list[int]:
    text = SHORT_YEAR.sub(lambda m: "20" + m.group(1), text)
    years = [int(y) for y in YEAR.findall(text)]
    for m in CN_YEAR.finditer(text):
        years.append(int("".join(CN_YEAR_DIGITS[c] for c in m.group(1))))
    ranges = list(YEAR_RANGE.finditer(text))
    for m in ranges:
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 20:
            years += range(a, b + 1)
    return sorted(dict.fromkeys(years)) if ranges else list(dict.fromkeys(years))


@lru_cache(maxsize=1)
def _curated_names() -> tuple[dict[str, str], list[int], list[tuple[re.Pattern, str]]]:
    """Names from qa/data/agencies.toml → canonical (looked up by substring length, longest
    first), and their English names as patterns. Ingested agencies are linked by qa.link."""
    names: dict[str, str] = {}
    english: list[tuple[re.Pattern, str]] = []
    for canonical, info in known_agencies().items():
        names[canonical] = canonical
        names.update({alias: canonical for alias in info.get("aliases", [])})
        english += [(re.compile(rf"(?<![a-z]){re.escape(en)}(?![a-z])"), canonical) for en in info.get("en", [])]
    english.sort(key=lambda e: -len(e[0].pattern))
    return names, sorted({len(n) for n in names}, reverse=True), english


def _curated_agencies(view: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every curated name in the view; matches never overlap."""
    names, lengths, english = _curated_names()
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(view):  # longest name starting at each position
        for n in lengths:
            canonical = names.get(view[i : i + n])
            if canonical:
                found.append((i, i + n, canonical))
                i += n - 1
                break
        i += 1
    lower = view.lower()
    for pattern, canonical in english:
        for m in pattern.finditer(lower):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), canonical))
    return sorted(found)


def link(view: str, question: str, store_agencies: Iterable[str] | Mapping[str, Iterable[int]] = (),
         years: Iterable[int] = ()) -> Linking:
    """Curated names first (agencies.toml), then ingested agencies by name, short form or English."""
    agency_years = store_agencies if isinstance(store_agencies, Mapping) else {a: () for a in store_agencies}
    curated = _curated_agencies(view)
    # a curated mention is not linked again: blank it out (the view keeps the question's length)
    keep = [True] * len(view)
    for s, e, _ in curated:
        keep[s:e] = [False] * (e - s)
    blank = lambda text: "".join(c if k else " " for c, k in zip(text, keep))  # noqa: E731
    linking = link_agencies(blank(view), blank(question), agency_years, years)
    if curated:
        placed = [(s, c) for s, _, c in curated] + [(max(m.start, 0), a) for m in linking.mentions
                                                   for a in linking.agencies if a in m.agencies]
        linking.agencies = list(dict.fromkeys(c for _, c in sorted(placed)))
        linking.ambiguous = [] if linking.agencies else linking.ambiguous
    return linking


def find_agencies(view: str, known: Iterable[str] | Mapping[str, Iterable[int]] = (),
                  years: Iterable[int] = ()) -> list[str]:
    """Canonical names of the agencies a question (its matching view) names."""
    return link(view, view, known, years).agencies


@lru_cache(maxsize=1)
def _metric_names() -> list[tuple[str, str, bool, int]]:
    """(name, metric id, is_english, priority)."""
    out = []
    for metric, info in vocabulary()["metrics"].items():
        prio = 1 if info.get("generic") else 2
        out += [(matching_view(n), metric, False, prio) for n in info.get("zh", [])]
        out += [(n.lower(), metric, True, prio) for n in info.get("en", [])]
    return out


EN_FILLER = {"of", "the", "to", "by", "in", "for", "a", "an", "and", "on", "its", "their"}


def _stems(phrase: str) -> tuple[str, ...]:
    """English words without filler words, each cut to its first 5 letters after a plural s:
    'proactively disclose' and 'proactive disclosures' agree, so do 'fund' and 'funds'."""
    return tuple(_singular(w)[:5] for w in re.findall(r"[a-z]+", phrase.lower()) if w not in EN_FILLER)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _has_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    """The name's words next to each other, in either order for a name of two ("items published
    proactively" names "proactively published"; "granted in full" names "full granted")."""
    n = len(run)
    if any(words[i:i + n] == run for i in range(len(words) - n + 1)):
        return True
    return n == 2 and any(words[i:i + 2] == run[::-1] for i in range(len(words) - 1))


def find_metric(view: str, joined: str | None = None) -> str | None:
    """The most specific metric the question names: Chinese names as substrings; English names
    as runs of words, each compared by its first letters ('how many items were proactively
    disclosed' names 'proactive disclosures'), filler words (of, the, in …) skipped. `joined`: the
    view with the agency's words taken out and its neighbours joined ("how many applications did
    [the bureau] receive"); a name found only there weighs half ("the applications [the bureau]
    handled, how many were partly disclosed" asks for the partly disclosed)."""
    words = _stems(view)
    joined_words = _stems(joined) if joined is not None else words
    best: tuple[int, int, str] | None = None
    for name, metric, english, prio in _metric_names():
        run = _stems(name) if english else ()
        whole = _has_run(words, run) if english else name in view
        hit = whole or (english and _has_run(joined_words, run))
        if hit:  # a Chinese character says about what three English letters do (复议后起诉 vs lawsuits)
            key = (prio, (len(name) if whole else len(name) // 2) if english else 3 * len(name), metric)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


# The review and litigation table: each group's result columns, asked in words of their own
# ("lawsuits filed directly … ended with the bureau upheld", "复议…被纠正").
RESULT_PARTS = [
    ("upheld", re.compile(r"维持|\b(?:upheld|uphold|maintained|sustained|affirmed)\b", re.I)),
    ("corrected", re.compile(r"纠正|撤销|\b(?:corrected|overturned|revoked|reversed|overruled)\b", re.I)),
    ("pending", re.compile(r"尚未审结|未审结|\b(?:pending|not yet concluded|unresolved|ongoing)\b", re.I)),
    ("other", re.compile(r"其他结果|\bother (?:results?|outcomes?)\b", re.I)),
]


def result_part(metric: str | None, view: str) -> str | None:
    """review_total + "corrected" → review_corrected (a metric of the same group that exists)."""
    if not metric or not metric.endswith("_total") or not metric.startswith(("review", "litigation")):
        return metric
    group = metric.removesuffix("_total")
    for part, words in RESULT_PARTS:
        if words.search(view) and f"{group}_{part}" in vocabulary()["metrics"]:
            return f"{group}_{part}"
    return metric


COUNTED_AMOUNT = re.compile(r"\bamount of (?:information|items|documents|posts|content|data)\b")  # a count, no money
# "How many documents did the bureau withhold": its own documents (不予公开信息数), not requests
# withheld. A word for requests keeps the requests.
OWN_DOCUMENTS = {"withheld_total": "info_withheld"}
DOCUMENT_WORDS = re.compile(r"\b(?:items?|documents?|pieces?|information|files?)\b|信息|文件", re.I)
REQUEST_WORDS = re.compile(r"\b(?:requests?|applications?|applicants?|cases?|foi)\b|申请", re.I)


def own_documents(metric: str | None, view: str) -> str | None:
    if metric in OWN_DOCUMENTS and DOCUMENT_WORDS.search(view) and not REQUEST_WORDS.search(view) \
            and re.search(r"[A-Za-z]{3,}", view):
        return OWN_DOCUMENTS[metric]
    return metric


def find_scope(view: str) -> str | None:
    lower = COUNTED_AMOUNT.sub(" ", view.lower())
    for scope, info in vocabulary()["scopes"].items():
        if scope in ("total", "other"):
            continue
        if any(matching_view(n) in view for n in info.get("zh", [])) or any(
                re.search(rf"(?<![a-z]){re.escape(n)}(?![a-z])", lower) for n in info.get("en", [])):
            return scope
    return None


def _without_mentions(view: str, linking: Linking, keep_apart: bool = False) -> str:
    """The view with the linked agencies' mentions blanked: their words name who, not what.
    `keep_apart`: an English mention leaves a word behind, so that the words on either side of it
    do not join into one name."""
    for m in linking.mentions:
        if m.agencies and 0 <= m.start < m.end <= len(view):
            gap = " " * (m.end - m.start)
            if keep_apart and re.search(r"[A-Za-z]", m.text) and m.end - m.start >= 3:
                gap = " zq" + gap[3:]
            view = view[:m.start] + gap + view[m.end:]
    return view


def unknown_agency(question: str, view: str, found: list[str]) -> str | None:
    """An agency-like name in the question that matches no known agency (e.g. 商务部)."""
    if found:
        return None
    m = AGENCY_LIKE.search(view) or EN_AGENCY_LIKE.search(question)
    return m.group(1).strip() if m else None


def understand(question: str, known_agencies_in_store: Iterable[str] | Mapping[str, Iterable[int]] = ()) -> Query:
    """The question as understood. `known_agencies_in_store`: ingested agency names, or a
    mapping agency → years held (lets the year narrow agencies that share a short form)."""
    view = matching_view(question)
    years = find_years(view)
    linking = link(view, question, known_agencies_in_store, years)
    agencies = linking.agencies
    asked = _without_mentions(view, linking)  # "market regulator" names an agency, not regulations
    metric = own_documents(result_part(find_metric(_without_mentions(view, linking, keep_apart=True), asked), asked),
                           asked)
    unsupported = []
    stranger = linking.unknown or (None if agencies or (linking.ambiguous and not linking.from_place) else (
        unknown_agency(question, view, agencies)))
    language = detect_language(question)
    if not has_words(view):
        years = []  # nothing to look up, whatever numbers the "question" holds: abstain
        unsupported.append("not a question: it has no words to look up (only symbols, numbers or SQL)"
                           if language == "en" else "这不是一个问题：没有可查找的词语（只有符号、数字或SQL）。")
    if RELATIVE_YEAR.search(view):
        unsupported.append(
            "relative years (last year, this year) are not supported: name the year, e.g. 2013"
            if language == "en" else "不支持“去年”“今年”等相对年份：请写明年份，例如2013年。")
    if COMPARE.search(view) or len(years) > 1 or len(agencies) > 1:
        intent = "compare"
    elif LIST.search(view):
        intent = "list"
    elif NARRATIVE.search(view) and not COUNTING.search(view):
        intent = "narrative"
    else:
        intent = "lookup"
    return Query(
        question=question, agencies=agencies, years=years, metric=metric, scope=find_scope(asked),
        language=language, script=detect_script(question), intent=intent,
        unsupported=unsupported, unknown_agency=stranger,
        agency_candidates=[] if agencies or stranger else linking.ambiguous,
        agency_mentions=[view[s:e] for s, e, _ in _curated_agencies(view)]
        + [m.text for m in linking.mentions],
    )
