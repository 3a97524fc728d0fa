"""Routing: fact lookup (SQLite only) → retrieval → LLM; abstain when the reports do not say.

A numeric question that resolves to a metric is answered from the facts table, with the
sentence or table row it came from. Everything else is retrieved; an LLM (when configured and
available) writes from the retrieved sources and its numbers are verified.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from typing import Callable, Optional

from qa.facts.common import vocabulary
from qa.settings import Settings, get_settings
from qa.store import Store
from qa.types import Answer, Citation, Fact, Qualifier, Query, Timing
from qa.understand import COUNTING

MAX_QUESTION = 2000
RANK_OR_TOTAL = re.compile(r"排名|排序|最多|最少|合计|总共|一共|rank|most|fewest|least|total across|in total", re.I)
MAX_LISTED = 12
ZH_QUALIFIER = {Qualifier.approx: "约{n}", Qualifier.at_least: "{n}余", Qualifier.nearly: "近{n}",
                Qualifier.incomplete: "{n}余（据不完全统计）", Qualifier.exact: "{n}"}
EN_QUALIFIER = {Qualifier.approx: "about {n}", Qualifier.at_least: "more than {n}", Qualifier.nearly: "nearly {n}",
                Qualifier.incomplete: "{n} or more (incomplete count)", Qualifier.exact: "{n}"}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def format_value(f: Fact, english: bool) -> str:
    if f.value is None:
        return "(unreadable cell)" if english else "（无法读取的单元格）"
    if english:
        n = f"{int(f.value):,}" if float(f.value).is_integer() else _num(f.value)
    elif f.value >= 10000 and f.value % 1000 == 0:  # 150000 → 15万, as the reports write it
        n = _num(f.value / 10000) + "万"
    else:
        n = _num(f.value)
    text = (EN_QUALIFIER if english else ZH_QUALIFIER)[f.qualifier].format(n=n)
    return f"{text} {f.unit}".strip() if english else f"{text}{f.unit}"


def metric_name(metric: str, english: bool) -> str:
    info = vocabulary()["metrics"][metric]
    return (info.get("en") or [metric])[0] if english else (info.get("zh") or [metric])[0]


def scope_name(scope: str, english: bool) -> str:
    info = vocabulary()["scopes"].get(scope)
    if not info:
        return scope
    return (info.get("en") or [scope])[0] if english else (info.get("zh") or [scope])[0]


def fact_citation(f: Fact, store: Store) -> Citation:
    from qa.read import page_of

    info = store.report_info(f.report_id) or {}
    return Citation(report_id=f.report_id, path=info.get("path", ""), agency=f.agency, year=f.year,
                    section=f.section, quote=f.quote, start=f.quote_start, end=f.quote_end,
                    page=page_of(info.get("page_starts", []), f.quote_start))


# ---------------------------------------------------------------------------- fact path
def _select(facts: list[Fact], scope: Optional[str]) -> list[Fact]:
    if scope:
        return [f for f in facts if f.scope == scope]
    main = [f for f in facts if f.scope in ("", "total", "decisions", "amount")]
    return main or facts


def _derived_from_parts(query: Query, store: Store) -> tuple[list[Fact], list[Fact]]:
    """A metric the report states only as parts (e.g. 行政诉讼 = direct + after review): their sum."""
    parts = vocabulary()["metrics"][query.metric].get("parts", [])
    by_report: dict[str, list[Fact]] = defaultdict(list)
    for part in parts:
        for f in _select(store.facts(part, query.agencies, query.years), None):
            by_report[f.report_id].append(f)
    derived, used = [], []
    for rid, fs in by_report.items():
        if {f.metric for f in fs} == set(parts) and all(f.value is not None for f in fs):
            first = fs[0]
            derived.append(first.model_copy(update={
                "metric": query.metric, "value": sum(f.value for f in fs), "scope": "",
                "note": "sum of " + ", ".join(f"{f.metric}={_num(f.value)}" for f in fs),
                "qualifier": Qualifier.exact if all(f.qualifier is Qualifier.exact for f in fs) else Qualifier.approx,
            }))
            used += fs
    return derived, used


def fact_answer(query: Query, store: Store) -> Optional[Answer]:
    english = query.language in ("en", "mixed")
    facts = _select(store.facts(query.metric, query.agencies, query.years), query.scope)
    parts: list[Fact] = []
    if not facts:
        facts, parts = _derived_from_parts(query, store)
    readable = [f for f in facts if f.value is not None]
    if not readable:
        return abstain_answer(query, store, facts)
    readable, also = _prefer_matching_statement(readable, query.question)
    cites = [fact_citation(f, store) for f in (parts or readable)[:MAX_LISTED]]
    # one line per distinct statement: a prose sentence and a table cell saying the same thing share it
    lines = list(dict.fromkeys(_fact_line(f, english) for f in readable))[:MAX_LISTED]
    if len(readable) > MAX_LISTED:
        lines.append(f"… {len(readable) - MAX_LISTED} more" if english else f"……另有{len(readable) - MAX_LISTED}条")
    change = _change_line(readable, english) if query.intent == "compare" else None
    text = "\n".join(lines + ([change] if change else []))
    warnings = [f.note for f in facts if f.status != "ok" and f.note]
    warnings += [("the same report also states " if english else "同一报告另称：") + f"{format_value(f, english)} "
                 f"({'table' if f.source == 'table' else 'text'}: “{' '.join(f.quote.split())[:60]}”)" for f in also]
    first = readable[0]
    if len({(f.value, f.qualifier) for f in readable if (f.report_id, f.scope) == (first.report_id, first.scope)}) > 1:
        warnings.append("the report states this figure more than once, with different values: all are listed")
    distinct = {(f.agency, f.year, f.value, f.unit, f.qualifier) for f in readable}
    single = readable[0] if len(distinct) == 1 else None
    return Answer(
        question=query.question, text=text, mode="fact", value=single.value if single else None,
        unit=single.unit if single else "", qualifier=single.qualifier if single else None,
        citations=cites, facts=readable + parts, query=query, verification="verified", warnings=warnings,
    )


TABLE_WORDS = re.compile(r"总计|合计|本年新收|表格|表中|in the table|table")


def _bigrams(text: str) -> set[str]:
    from qa.normalize import matching_view

    view = re.sub(r"[\s\d]+", "", matching_view(text))
    return {view[i : i + 2] for i in range(len(view) - 1)}


def _prefer_matching_statement(facts: list[Fact], question: str) -> tuple[list[Fact], list[Fact]]:
    """One report stating different values (prose 17 vs table 95): keep the statement the question
    describes — the table when it asks for 总计/本年新收, else the sentence sharing clearly more
    words with the question. The others are returned to be shown as notes, never dropped silently."""
    by_report: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:  # a prose figure (scope "") speaks of the same thing as the table's total column
        by_report[(f.report_id, "total" if f.scope == "" else f.scope)].append(f)
    keep, also = [], []
    wants_table = bool(TABLE_WORDS.search(question))
    q = _bigrams(question)
    for group in by_report.values():
        if len({(f.value, f.qualifier) for f in group}) < 2:
            keep += group
            continue
        if wants_table and any(f.source == "table" for f in group):
            chosen = [f for f in group if f.source == "table"]
        else:
            scored = sorted(group, key=lambda f: -len(q & _bigrams(f.quote)))
            best, second = (len(q & _bigrams(scored[0].quote)), len(q & _bigrams(scored[1].quote)))
            chosen = [f for f in group if f.value == scored[0].value] if best >= second + 3 else group
        keep += chosen
        also += [f for f in group if f.value not in {c.value for c in chosen}]
    return keep, also


def _fact_line(f: Fact, english: bool) -> str:
    name = metric_name(f.metric, english)
    if f.scope and f.scope not in ("total", "decisions"):
        name += f" ({scope_name(f.scope, english)})" if english else f"（{scope_name(f.scope, english)}）"
    value = format_value(f, english)
    how = f" — {f.note}" if f.note.startswith("sum of") else ""
    if english:
        return f"{f.agency} ({f.year}): {name}: {value}{how}"
    return f"{f.agency}{f.year}年{name}：{value}{how}"


def _change_line(facts: list[Fact], english: bool) -> Optional[str]:
    by_year = {}
    for f in facts:
        by_year.setdefault((f.agency, f.year), f)
    agencies = {a for a, _ in by_year}
    if len(by_year) != 2 or len(agencies) != 1:
        return None
    (_, y1), (_, y2) = sorted(by_year)
    a, b = by_year[(next(iter(agencies)), y1)], by_year[(next(iter(agencies)), y2)]
    delta = b.value - a.value
    pct = f", {delta / a.value * 100:+.1f}%" if a.value else ""
    if english:
        return f"Change {y1}→{y2}: {_num(a.value)} → {_num(b.value)} ({delta:+g}{pct})"
    return f"{y1}→{y2}年变化：{_num(a.value)} → {_num(b.value)}（{delta:+g}{pct}）"


def abstain_answer(query: Query, store: Store, unreadable: list[Fact] = ()) -> Answer:
    english = query.language in ("en", "mixed")
    name = metric_name(query.metric, english) if query.metric else ("that" if english else "该信息")
    report_ids = store.report_ids(query.agencies, query.years)
    cites: list[Citation] = []
    if not report_ids:
        who = "、".join(query.agencies) or ("any agency" if english else "任何机关")
        when = "/".join(map(str, query.years)) or ("any year" if english else "任何年度")
        text = (f"No report of {who} for {when} has been ingested, so I cannot say."
                if english else f"尚未收录{who}{when}年的报告，无法回答。")
    else:
        kind = vocabulary()["metrics"].get(query.metric or "", {}).get("kind")
        for rid in report_ids[:MAX_LISTED]:
            cites += _section_pointer(store, rid, kind)
        text = (f"The report does not state {name}." if english else f"报告中没有说明{name}。")
        if cites:
            text += (" The section where it would be:" if english else "相关章节：") + " " + "；".join(
                f"[{i + 1}] {c.section}" for i, c in enumerate(cites))
    warnings = list(query.unsupported) + [f.note for f in unreadable if f.note]
    return Answer(question=query.question, text=text, mode="abstain", citations=cites, query=query,
                  verification="n/a", warnings=warnings)


def _section_pointer(store: Store, report_id: str, kind: Optional[str]) -> list[Citation]:
    info = store.report_info(report_id) or {}
    text = store.report_text(report_id)
    for section in store.sections_of(report_id):
        if kind and section.kind.value == kind and section.level <= 1:
            end = min(section.end, section.start + 120)
            return [Citation(report_id=report_id, path=info.get("path", ""), agency=info.get("agency"),
                             year=info.get("year"), section=section.path, quote=text[section.start:end].strip(),
                             start=section.start, end=end)]
    return []


# ---------------------------------------------------------------------------- retrieval path
def extract_answer(query: Query, store: Store, settings: Settings, mode: str,
                   stream_to: Optional[Callable[[str], None]] = None,
                   deadline: Optional[float] = None) -> Optional[Answer]:
    """The report's own list, quoted item by item (qa.narrative); None when no list fits.
    Chinese questions get the quotes (no LLM); English and mixed ones get the items translated
    by the LLM when one is configured — the quoted items stay the sources either way."""
    from qa.narrative import narrative_answer

    t = time.perf_counter()
    extract = narrative_answer(query, store)
    if extract is None:
        return None
    extract.text = in_question_script(extract.text, query)
    extract.timing.stages["extract"] = _ms(t)
    if mode == "none" or query.language not in ("en", "mixed"):
        return extract
    return _llm_answer(query, store, settings, mode, extract.citations, stream_to, [], deadline, extract,
                       task="task_items.txt")


def retrieval_answer(query: Query, store: Store, settings: Settings, mode: str,
                     stream_to: Optional[Callable[[str], None]] = None,
                     deadline: Optional[float] = None) -> Answer:
    from qa.retrieve import best_sentences, retrieve

    t = time.perf_counter()
    warnings = list(query.unsupported)
    hits = retrieve(query, store, settings, warnings=warnings)
    if not hits:
        answer = abstain_answer(query, store)
        answer.warnings += warnings
        return answer
    sources = best_sentences(query, hits, store, n=3)
    english = query.language in ("en", "mixed")
    lead = "From the reports:" if english else in_question_script("报告原文：", query)
    body = "\n".join(f"[{i + 1}] {c.quote.strip()}" for i, c in enumerate(sources))
    extract = Answer(question=query.question, text=f"{lead}\n{body}", mode="retrieval", citations=sources,
                     query=query, verification="quoted", warnings=warnings)
    extract.timing.stages["retrieval"] = _ms(t)
    if mode == "none":
        return extract
    passages = best_sentences(query, hits, store, n=4, span_chars=260)  # the prompt gets passages, not chunks
    return _llm_answer(query, store, settings, mode, passages, stream_to, warnings, deadline, extract)


def _llm_answer(query: Query, store: Store, settings: Settings, mode: str, sources: list[Citation],
                stream_to, warnings: list[str], deadline: Optional[float], fallback: Answer,
                task: Optional[str] = None) -> Answer:
    """The LLM writes from `sources`; on failure, timeout (QA_TIMEOUT) or a reply with nothing
    left after checking, the cited extracts in `fallback` are returned with a notice."""
    from qa.backends.llm import LLMTimeout, LLMUnavailable, get_llm_within
    from qa.backends.model_file import ModelFileError
    from qa.generate import generate_answer

    try:
        llm = get_llm_within(settings.model_copy(update={"llm": mode}), deadline)
        facts = [f for rid in {c.report_id for c in sources} for f in store.facts(report_id=rid)]
        answer = generate_answer(query.question, query, sources, llm, facts=facts, stream_to=stream_to,
                                 deadline=deadline, task=task)
    except LLMTimeout as exc:
        return _fallback(fallback, f"{exc} (QA_TIMEOUT={settings.timeout:g} s); showing cited extracts instead")
    except (LLMUnavailable, ModelFileError, ImportError) as exc:  # fall back to cited extracts, say so once
        return _fallback(fallback, f"LLM not available ({exc}); showing cited extracts instead")
    if answer.mode == "llm" and not answer.text.strip():
        return _fallback(fallback, "no sentence of the LLM's answer was supported by its sources; "
                                   "showing cited extracts instead", answer.warnings)
    answer.warnings = warnings + answer.warnings
    answer.timing.stages = {**fallback.timing.stages, **answer.timing.stages}
    return answer


def _fallback(extract: Answer, notice: str, more: list[str] = ()) -> Answer:
    extract.warnings = [*extract.warnings, *more, notice]
    return extract


def in_question_script(text: str, query: Query) -> str:
    """Template text follows the question's script (quotes stay as the report wrote them)."""
    from qa.generate import to_script

    return to_script(text, "zh_hant") if query.script == "traditional" and query.language == "zh" else text


# ---------------------------------------------------------------------------- entry point
def ask(question: str, settings: Optional[Settings] = None, mode: Optional[str] = None,
        stream_to: Optional[Callable[[str], None]] = None) -> Answer:
    """Answer one question with citations. mode: none / local / openai (default: settings.llm)."""
    from qa.ingest import ensure_seeded, open_store
    from qa.understand import understand

    started = time.perf_counter()
    settings = settings or get_settings()
    mode = mode or settings.llm
    stages: dict[str, float] = {}
    warnings = []
    if len(question) > MAX_QUESTION:
        warnings.append(f"question cut to its first {MAX_QUESTION} of {len(question)} characters")
        question = question[:MAX_QUESTION]
    if not question.strip():
        raise ValueError("empty question")
    ensure_seeded(settings)
    store = open_store(settings)
    t = time.perf_counter()
    query = understand(question, store.agencies())
    stages["understand"] = _ms(t)
    answer = None
    if query.unknown_agency:
        answer = abstain_answer(query, store)
        english = query.language in ("en", "mixed")
        answer.text = (f"No report of {query.unknown_agency} has been ingested, so I cannot say."
                       if english else f"尚未收录{query.unknown_agency}的报告，无法回答。")
    elif query.unsupported and not query.years:
        answer = abstain_answer(query, store)
        answer.text = "; ".join(query.unsupported)
    elif query.metric and query.intent in ("lookup", "compare", "list"):
        t = time.perf_counter()
        if query.intent in ("compare", "list") or RANK_OR_TOTAL.search(query.question):
            from qa.analysis import analysis_answer

            answer = analysis_answer(query, store)
        if answer is None:
            answer = fact_answer(query, store) if (query.agencies or query.years) else _unscoped_fact(query, store)
        stages["facts"] = _ms(t)
    deadline = time.monotonic() + settings.timeout  # the LLM path returns its cited extracts by then
    if answer is None and not COUNTING.search(query.question):  # a report's own list, quoted, first
        answer = extract_answer(query, store, settings, mode, stream_to, deadline)
    if answer is None:
        answer = retrieval_answer(query, store, settings, mode, stream_to, deadline)
    answer.warnings = warnings + answer.warnings
    answer.settings_hash = settings.fingerprint()
    answer.timing = Timing(total_ms=_ms(started), stages={**stages, **answer.timing.stages})
    return answer


def _unscoped_fact(query: Query, store: Store) -> Optional[Answer]:
    """A metric without agency or year: list what every report states (or fall through)."""
    answer = fact_answer(query, store)
    return answer if answer and answer.mode == "fact" else None


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 3)
