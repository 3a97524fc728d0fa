"""Open-vocabulary numbers: a counting question whose metric is in no vocabulary ("举办了几期培训",
"印发了多少份宣传资料", "网站访问量是多少") answered from the report's own sentence, in milliseconds.

The question's words (agency, year, question words removed; English ones put into Chinese) are
matched as character bigrams against every clause of the linked report stating a count with a unit
(never a bare, possibly glued, table cell). The best clause wins; `value` is set only when exactly
one number fits. A running total (累计, 截至) only when asked for. SQLite only, no models.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from qa.answer.grams import han_bigrams
from qa.answer.running import RUNNING_TOTAL, asks_running_total, running_clauses
from qa.answer.units import MEASURE_UNITS, TIME_UNITS, unit_word_bigrams, wanted_units
from qa.facts.numbers import NumberMention, find_numbers
from qa.normalize import matching_view
from qa.store import Store
from qa.types import Fact, Qualifier, Query

EN_TERMS_FILE = Path(__file__).parent.parent / "data" / "en_terms.toml"
# Words of the question that say nothing about *what* is counted.
QUESTION_WORDS = re.compile(
    r"(?:多少|几)(?:人次|万元|批次|[个名人件场条次期份篇项家批部册本户类处所位宗笔卷])?|是否|共计|一共|总共|合计|其中|请问"
    r"|数量|[条件次人个]数|报告中|报告|政府信息公开工作|年度|全年|本年|哪些|什么|对比|比较|相比|有何变化|变化|如何"
    r"|政府信息公开|年底|年末|大概|大约|大致|左右|[的了共有年在该吗呢是]|\d+|[^\u4e00-\u9fff]")  # 度 stays: 季度
CLAUSE_END = re.compile(r"[。！？!?；;，：:、]|,(?!\d{3}(?!\d))|[（(](?=其中|含|包括)|\n\s*\n|(?<=[\u4e00-\u9fff]) {2,}")  # 9,948
# a sentence gives its items their context (find_hits); a quote stops at the item (；)
SENTENCE_END = re.compile(r"[。！？!?]|\n\s*\n")
QUOTE_END = re.compile(r"[。！？!?；;]|\n\s*\n")
YEAR = re.compile(r"\d{4}\s*年|\d{4}(?=\D)")
GENERIC_HEAD = re.compile(r"(?:情况|现象|事件|事项|行为|问题)$")
NEGATED = re.compile(r"为零|为0(?!\d)|(?:未|没有|无)(?:发生|出现|产生|进行|开展)?")
DICTIONARY_WEIGHT = 0.5  # an English word put in Chinese by CC-CEDICT, against one of the term list
HOW_WEIGHT = 0.1  # ... and one of EN_HOW_WORDS
CATEGORY_ITEM = re.compile(r"类(?:信息|政府信息)?\s*\d")  # 机构职能类信息25条, 行政处罚类67条: an enumeration's item
OUTLINE = re.compile(r"报告(?:由|分为|共分)")  # the sentence listing the report's own parts
MIN_SHARED = 2  # bigrams a clause must share with the question
MIN_SHARE = 0.5  # ... and this share of the question's words (weighted by rarity)
CONTEXT_WEIGHT = 0.75  # a word in an earlier clause of the sentence counts this much
MAX_QUOTE = 160


@dataclass
class Hit:
    score: float
    number: Optional[NumberMention]  # None: the clause states that there was none (value 0)
    clause: tuple[int, int]
    report_id: str


def question_bigrams(query: Query) -> set[str]:
    """Bigrams of what the question asks about: agency mentions, years and question words removed;
    English words the reports write in Chinese (en_terms.toml) are added in their Chinese form."""
    return {w[i:i + 2] for w in question_words(query) for i in range(len(w) - 1)}


def question_words(query: Query) -> list[str]:
    """The runs of characters question_bigrams are cut from (their order tells neighbours apart)."""
    view = matching_view(query.question)
    for mention in query.agency_mentions:
        view = view.replace(matching_view(mention), " ")
    return (QUESTION_WORDS.sub(" ", view) + " " + " ".join(_english_terms(view)[0])).split()


PARTICLES = set("等的了")
PLACE_WORDS = set("上中下内里")


def across_words(query: Query, known: dict[str, float]) -> set[str]:
    """Bigrams that straddle two words of the question (回应舆情 → 应舆): absent from the report while
    the bigrams on both sides are in it. They say nothing, and as the rarest of all would weigh most."""
    out = set()
    for w in question_words(query):
        grams = [w[i:i + 2] for i in range(len(w) - 1)]
        seen = [i for i, g in enumerate(grams) if g in known]
        # a run of them between two known ones (回应|应舆|舆情), one half made of a particle (论坛等活动:
        # 坛等, 等活), and one that only adds a place word to a known word at the run's end (活动上)
        out |= {g for i, g in enumerate(grams) if g not in known and (
            (seen and seen[0] < i < seen[-1]) or set(g) & PARTICLES
            or (i == len(grams) - 1 and i - 1 in seen and g[1] in PLACE_WORDS))}
    return out


@lru_cache(maxsize=1)
def _how_words() -> frozenset[str]:
    """English words that say how a thing was done, not what was counted (en_terms.toml [how])."""
    from qa.facts.common import load_data_file

    return frozenset(load_data_file(EN_TERMS_FILE)["how"]["words"])


@lru_cache(maxsize=1)
def _en_terms() -> list[tuple[re.Pattern, str]]:
    from qa.facts.common import load_data_file

    terms = load_data_file(EN_TERMS_FILE)["terms"]
    return [(re.compile(rf"(?<![a-z]){re.escape(en)}(?![a-z])"), zh) for en, zh in
            sorted(terms.items(), key=lambda t: -len(t[0]))]


def _english_terms(view: str) -> tuple[list[str], str, dict[str, tuple[str, ...]]]:
    """The Chinese of the English terms in `view` (longest first), the lower-cased view with those
    terms blanked out, and the terms the reports write in several ways (special funds → 专项资金 or
    专项经费): those are matched as one word, any of its forms."""
    lower, found, alternatives = view.lower(), [], {}
    for pattern, zh in _en_terms():
        for m in pattern.finditer(lower):
            if isinstance(zh, list):
                alternatives[f"={m.group(0)}"] = tuple(zh)
            else:
                found.append(zh)
            lower = lower[:m.start()] + " " * (m.end() - m.start()) + lower[m.end():]
    return found, lower, alternatives


def template_metrics() -> frozenset[str]:
    """Metrics whose home is a row of the 2019/2021 template tables: in a template report the
    table answers them (a bare cell has no unit, so the sentence search cannot read it)."""
    from qa.facts.template import APPLICATION_ROWS, ART20_ROWS, REVIEW_METRICS

    return frozenset([m for m, _ in APPLICATION_ROWS + ART20_ROWS] + REVIEW_METRICS)


@dataclass
class ReportClauses:
    """A report cut into clauses once (reports are immutable: their id is their content hash)."""
    text: str
    view: str
    spans: list[tuple[int, int]]
    grams: list[set[str]]
    idf: dict[str, float]
    new_sentence: list[bool]  # the clause starts a sentence
    after: list[str]  # the mark ending the clause before (、 joins a phrase, ；an enumeration's items)
    running: list[Optional[bool]]  # the clause states a running total (None: may be read either way)
    counts: dict[int, list[NumberMention]] = field(default_factory=dict)  # clause → its counts, when read

    def counts_in(self, i: int) -> list[NumberMention]:
        """The counts with a unit that clause i states (offsets in the report), read once."""
        if i not in self.counts:
            start, end = self.spans[i]
            found = [n for n in find_numbers(self.text[start:end])
                     if (n.kind == "count" and (n.unit or n.raw[-1:] in "万亿") or n.unit in TIME_UNITS + MEASURE_UNITS
                         or n.kind == "percent") and _plain(n, self.view[start:end])]
            for n in found:
                if n.kind == "percent":
                    n.unit = "%"  # 占41.5%: the share's unit, so a question asking 占比 finds it
            for n in found:
                n.start, n.end = n.start + start, n.end + start
            self.counts[i] = found
        return self.counts[i]


@lru_cache(maxsize=512)
def report_clauses(store: Store, report_id: str) -> ReportClauses:
    text = store.report_text(report_id)
    view = matching_view(text)
    boiler = (store.report_info(report_id) or {}).get("boilerplate", [])
    spans = [(a, b) for a, b in _clauses(view) if not any(s <= a < e for s, e in boiler)]
    grams = [_bigrams(view[a:b]) for a, b in spans]
    new_sentence = [i == 0 or bool(SENTENCE_END.search(view, spans[i - 1][1], a)) for i, (a, _) in enumerate(spans)]
    after = [view[spans[i - 1][1]:spans[i - 1][1] + 1] if i else "" for i in range(len(spans))]
    running = running_clauses(view, spans, new_sentence)
    return ReportClauses(text, view, spans, grams, _idf(grams), new_sentence, after, running)


def _english(query: Query) -> bool:
    """An English (or mixed) question: its content words the term list leaves are looked up in
    CC-CEDICT (english_groups). The term list goes first — the dictionary knows every sense of a word
    (official → 官方, 办公, 发送), the list the reports' own; a dictionary sense weighs half."""
    return query.language in ("en", "mixed")


def english_groups(query: Query, wanted: set[str], report_view: str) -> dict[str, tuple[str, ...]]:
    """An English question's content words, each with the Chinese words (CC-CEDICT) it may stand for
    that this report writes: bulletin → (简报,), compile → (编制,), forum → (论坛,). Words the English
    term list already put in Chinese, unit words (issues, batches) and the agency's name are left out."""
    if not _english(query):
        return {}
    from qa.answer.cedict import chinese_words, en_words, stem

    view = query.question.lower()
    for mention in query.agency_mentions:
        view = view.replace(mention.lower(), " ")
    _, view, alternatives = _english_terms(view)
    view = re.sub(r"\bhow many \w+|\bpingtan\b", " ", view).replace("-", " ")  # planning-type
    return {key: tuple(zh for zh in forms if zh in report_view) for key, forms in alternatives.items()} | {
        ("~~" if word in _how_words() else "~") + word: tuple(zh for zh in chinese_words().get(stem(word), ()) if len(zh) <= 4 and zh in report_view)
            for word in dict.fromkeys(en_words(view))}


def _weights(rc: ReportClauses, wanted: set[str], groups: dict[str, tuple[str, ...]]) -> dict[str, float]:
    """Each wanted word's weight: a bigram's rarity in the report (the rarest when it is absent); an
    English word's: its rarest Chinese form's, or half the rarest when the report writes none."""
    rare = max(rc.idf.values(), default=1.0)
    weights = {g: rc.idf.get(g, rare) for g in wanted}
    for key, forms in groups.items():  # a dictionary sense is a guess (execution → 行政): it weighs half
        grams = [f[i:i + 2] for f in forms for i in range(len(f) - 1)]
        scale = HOW_WEIGHT if key.startswith("~~") else 1.0 if key.startswith("=") else DICTIONARY_WEIGHT
        weights[key] = scale * max((rc.idf.get(g, rare) for g in grams), default=rare / 2)
    return weights


def _clause_words(rc: ReportClauses, i: int, wanted: set[str], groups: dict[str, tuple[str, ...]]) -> set[str]:
    start, end = rc.spans[i]
    clause = rc.view[start:end]
    return (wanted & rc.grams[i]) | {key for key, forms in groups.items() if any(f in clause for f in forms)}


def find_hits(query: Query, store: Store, report_id: str, wanted: set[str]) -> list[Hit]:
    """Every count of the report in a clause that shares enough of the question's words, scored.
    Words are weighted by how rare they are among the report's clauses (受理 says more than 政府信息
    公开, which every clause of such a report repeats); the sentence's earlier clauses count less
    (they often name what the number counts: “行政执法公示”专栏…，今年共公开632条信息)."""
    rc = report_clauses(store, report_id)
    wanted = wanted - across_words(query, rc.idf)
    groups = english_groups(query, wanted, rc.view)
    weights = _weights(rc, wanted, groups)
    units = wanted_units(query.question)
    running = asks_running_total(query.question)
    total = sum(weights.values())
    # the question's words for a unit (金额, 小时, 人数) are answered by a number in that unit
    unit_weight = sum(weights[g] for g in wanted & unit_word_bigrams(query.question)) if units else 0.0
    hits = []
    # the question's words earlier in the sentence name what a number counts: fully within its own
    # phrase (行政许可的事项、依据…实施情况17条: 、 with no count before it), less from the sentence's
    # lead-in (up to its first ； or category item: 在主动公开的32条信息中，…), never from another item
    sentence: set[str] = set()
    phrase: set[str] = set()
    item: set[str] = set()  # words of the item so far (since the last ； or category item)
    in_lead = True
    outline = False
    for i, (start, end) in enumerate(rc.spans):
        if rc.new_sentence[i]:
            sentence, phrase, item, in_lead, outline = set(), set(), set(), True, False
        elif rc.after[i] in ("；", ";"):
            item, in_lead = set(), False
        outline = outline or bool(OUTLINE.search(rc.view[start:end]))
        if outline:
            continue  # 本报告由概述、…等六个部分组成 counts the report's parts, nothing the question asks
        if rc.after[i] != "、" or re.search(r"\d", rc.view[rc.spans[i - 1][0]:rc.spans[i - 1][1]]):
            phrase = set()  # 、 after a count separates items (规划计划类1条、科教文体卫生类24条)
        own = _clause_words(rc, i, wanted, groups)
        same_phrase = phrase - own
        context = (sentence | item) - own - phrase
        phrase |= own
        category_item = bool(CATEGORY_ITEM.search(rc.view, start, end))
        item = set() if category_item else item | own
        if in_lead:  # the lead-in ends at the first category item (行政处罚类67条): the rest are items too
            sentence |= own
            in_lead = not category_item
        if not own and not same_phrase:
            continue
        weight = sum(weights[g] for g in own | same_phrase) + CONTEXT_WEIGHT * sum(weights[g] for g in context)
        context |= same_phrase
        if len(own | context) < MIN_SHARED or weight + unit_weight < MIN_SHARE * total:
            continue
        if rc.running[i] is not None and rc.running[i] != running:
            continue  # a running total answers only a question about one, and the other way round
        score = weight - 0.05 * len(rc.grams[i] - wanted)
        numbers = [n for n in rc.counts_in(i) if (n.unit in units if units else n.unit not in (*TIME_UNITS, *MEASURE_UNITS, "%"))]
        hits += [Hit(score + (unit_weight if units and n.unit else 0.0), n, (start, end), report_id)
                 for n in numbers if weight + (unit_weight if units and n.unit else 0.0) >= MIN_SHARE * total]
        clause = rc.view[start:end]
        if not numbers and _negates(clause, wanted) and not re.search(r"\d", YEAR.sub(" ", clause)) \
                and weight >= MIN_SHARE * total:
            hits.append(Hit(score - 0.5, None, (start, end), report_id))  # a stated count wins a tie
    return sorted(hits, key=lambda h: -h.score)


def _negates(clause: str, wanted: set[str]) -> bool:
    """The clause says the asked-about thing did not happen: a negation word right before the
    question's own words (无收取信息公开处理费, 未发生行政复议), or 为零 after them — not one
    before other words (没有因政府信息公开发生申请行政复议 does not say no applications came)."""
    for m in NEGATED.finditer(clause):
        if m.group(0).startswith("为"):
            return True
        if clause[m.end():m.end() + 2] in wanted and _negated_head_asked(clause[m.end():], wanted):
            return True
    return False


def _negated_head_asked(rest: str, wanted: set[str]) -> bool:
    """未收到因政府信息公开申请的行政复议: what was not received is the noun after the last 的
    (行政复议), not the 申请 before it; the question must name that noun. A head that only says
    "such a case" (无向申请人收取…费用的情况) leaves the whole phrase negated."""
    if "的" not in rest:
        return True
    head = GENERIC_HEAD.sub("", rest.rsplit("的", 1)[1])
    return not head or bool(_bigrams(head) & wanted)


def _plain(n: NumberMention, clause: str) -> bool:
    """A count as a report writes one: digits, or Chinese numerals that are not part of a word
    (统一部署 is not "1 部": a lone 一 counts only after 共/了/计/达/有/约/近). Offsets: in the clause."""
    if re.search(r"\d", n.raw) or len(n.raw) > 1:
        return True
    return n.start > 0 and clause[n.start - 1] in "共了计达有约近余发开办举召"


def _idf(grams: list[set[str]]) -> dict[str, float]:
    df: dict[str, int] = {}
    for g in grams:
        for x in g:
            df[x] = df.get(x, 0) + 1
    n = len(grams) or 1
    return {x: math.log(1 + n / c) for x, c in df.items()}


def statement_score(wanted: set[str], clause: str, running: bool) -> tuple[float, int]:
    """How well a clause states what the question asks: shared bigrams, the tighter clause
    winning a tie, a running total (累计) only when asked for. Returns (score, shared)."""
    grams = _bigrams(clause)
    shared = len(wanted & grams)
    score = shared - 0.05 * len(grams - wanted)
    if bool(RUNNING_TOTAL.search(clause)) != running:
        score -= 2
    return score, shared


def fact_clause(fact: Fact) -> str:
    """The clause of a fact's quote that holds its number (a table fact: its whole row, under its
    table's heading: 予以公开 is a row of 收到和处理政府信息公开申请情况 and means what it says)."""
    quote = matching_view(fact.quote)
    if fact.source == "table":
        return matching_view(fact.section.rsplit(">", 1)[-1]) + " " + quote
    at = min(max(fact.start - fact.quote_start, 0), len(quote))
    a = max((m.end() for m in CLAUSE_END.finditer(quote, 0, at)), default=0)
    m = CLAUSE_END.search(quote, min(at + (fact.end - fact.start), len(quote)))
    return quote[a:m.start() if m else len(quote)]


def _clauses(view: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in CLAUSE_END.finditer(view):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(view):
        spans.append((start, len(view)))
    return spans


def _bigrams(text: str) -> set[str]:
    return han_bigrams(text, join_spaces=True)  # PDF line breaks join words


def best_hits(query: Query, store: Store, report_ids: list[str]) -> tuple[list[Hit], bool]:
    """The best clause's number(s) per report, and whether exactly one number fits each report."""
    wanted = question_bigrams(query)
    if len(wanted) < MIN_SHARED and not _english(query):
        return [], False
    chosen, unique = [], True
    for rid in report_ids:
        hits = find_hits(query, store, rid, wanted)
        if not hits:
            continue
        top = [h for h in hits if h.score >= hits[0].score - 1e-9]
        values = {(h.number.value if h.number else 0.0) for h in top}
        unique = unique and len(values) == 1
        chosen += top[:3] if len(values) > 1 else top[:1]
    return chosen, unique and bool(chosen)


def hit_fact(hit: Hit, store: Store) -> Fact:
    """The hit as a Fact (metric "open"), quoting its sentence."""
    info = store.report_info(hit.report_id) or {}
    rc = report_clauses(store, hit.report_id)
    text = rc.text
    a, b = _sentence_around(rc.view, hit.clause)
    n = hit.number
    start, end = (n.start, n.end) if n else hit.clause
    around = [s for s in store.sections_of(hit.report_id) if s.start <= start < s.end]
    section = max(around, key=lambda s: s.level).path if around else ""
    return Fact(report_id=hit.report_id, agency=info.get("agency"), year=info.get("year"), metric="open",
                value=n.value if n else 0.0, unit=n.unit if n else "",
                qualifier=n.qualifier if n else Qualifier.exact, section=section, source="prose",
                start=start, end=end, quote=text[a:b], quote_start=a, quote_end=b,
                note="read from the report's sentence (the metric is in no vocabulary)")


def _sentence_around(view: str, clause: tuple[int, int]) -> tuple[int, int]:
    a = max((m.end() for m in QUOTE_END.finditer(view, 0, clause[0])), default=0)
    m = QUOTE_END.search(view, clause[1])
    b = m.end() if m else len(view)
    if b - a > MAX_QUOTE:  # a run-on web-page line: keep the clause and a little around it
        a, b = max(a, clause[0] - 40), min(b, clause[1] + 40)
    while a < b and view[a].isspace():
        a += 1
    return a, b
