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
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")


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


def agency_label(agency: Optional[str], english: bool) -> str:
    """An agency as a user reads it: a report that names none is said so, never "None"."""
    return agency or ("agency not stated" if english else "未注明机关")


def parts_note(parts: list[Fact], english: bool) -> str:
    """How a figure was added up from its parts, in the vocabulary's words (never metric ids)."""
    return " + ".join(f"{metric_name(f.metric, english)} {format_value(f, english)}" for f in parts)


def unique_citations(cites: list[Citation]) -> list[Citation]:
    """Each quoted span once (two facts from one sentence or row share one citation)."""
    return list({(c.report_id, c.start, c.end): c for c in cites}.values())


def fact_citation(f: Fact, store: Store) -> Citation:
    from qa.read.report import page_of

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
                "note": parts_note(fs, query.language in ("en", "mixed")),
                "qualifier": Qualifier.exact if all(f.qualifier is Qualifier.exact for f in fs) else Qualifier.approx,
            }))
            used += fs
    return derived, used


def fact_answer(query: Query, store: Store) -> Optional[Answer]:
    from qa.answer.open_numbers import wanted_units

    english = query.language in ("en", "mixed")
    facts = _select(store.facts(query.metric, query.agencies, query.years), query.scope)
    parts: list[Fact] = []
    if not facts:
        facts, parts = _derived_from_parts(query, store)
    readable = [f for f in facts if f.value is not None]
    if not readable:
        return abstain_answer(query, store, facts)
    readable, also = _one_statement(readable, query)
    cites = unique_citations([fact_citation(f, store) for f in (parts or readable)[:MAX_LISTED]])
    # one line per distinct statement: a prose sentence and a table cell saying the same thing share it
    lines = list(dict.fromkeys(_fact_line(f, english, derived=bool(parts)) for f in readable))[:MAX_LISTED]
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
    distinct = {(f.agency, f.year, f.value, f.qualifier) for f in readable}
    units = wanted_units(query.question)  # 3次 and 3场 say the same: give the unit the question asks in
    single = min(readable, key=lambda f: f.unit not in units) if len(distinct) == 1 else None
    return Answer(
        question=query.question, text=text, mode="fact", value=single.value if single else None,
        unit=single.unit if single else "", qualifier=single.qualifier if single else None,
        citations=cites, facts=readable + parts, query=query, verification="verified", warnings=warnings,
    )


TABLE_WORDS = re.compile(r"总计|合计|本年新收|表格|表中|in the table|table")
TIE = 0.5  # statements scoring within this of the best are equally what the question asks


def _one_statement(facts: list[Fact], query: Query) -> tuple[list[Fact], list[Fact]]:
    """One report stating a metric several times (a total and its parts, prose and table, this
    year and the running total): keep the statement the question asks for — its clause sharing
    most words with the question, a running total only when asked, the table when it names the
    table. The others are returned to be shown as notes, never dropped silently. Two different
    values scoring alike are both kept: the report contradicts itself."""
    from qa.answer.open_numbers import (asks_running_total, fact_clause, question_bigrams, statement_score,
                                         unit_misfit, wanted_units)
    from qa.normalize import matching_view

    wanted = question_bigrams(query)
    running = asks_running_total(query.question)
    wants_table = bool(TABLE_WORDS.search(query.question))
    by_report: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:  # a prose figure (scope "") speaks of the same thing as the table's total column
        by_report[(f.report_id, "total" if f.scope == "" else f.scope)].append(f)
    keep, also = [], []
    for group in by_report.values():
        if len({f.value for f in group}) < 2:
            keep += group
            continue
        scored = [(statement_score(wanted, fact_clause(f), running)[0]
                   + (1.5 if wants_table and f.source == "table" else 0), f) for f in group]
        best = max(s for s, _ in scored)
        chosen = {f.value for s, f in scored if s >= best - TIE}
        keep += [f for f in group if f.value in chosen]
        also += [f for f in group if f.value not in chosen]
    return keep, also


OPEN_MARGIN = 2  # shared words by which the report's own sentence must beat a vocabulary fact


def open_number_answer(query: Query, store: Store) -> tuple[Optional[Answer], float]:
    """A count read from the sentence of the named report that shares most words with the
    question (see qa.answer.open_numbers), with its score; (None, 0) when no sentence fits."""
    from qa.answer.open_numbers import best_hits, hit_fact

    if not query.agencies:
        return None, 0.0
    hits, unique = best_hits(query, store, store.report_ids(query.agencies, query.years))
    if not hits:
        return None, 0.0
    english = query.language in ("en", "mixed")
    facts = [hit_fact(h, store) for h in hits]
    lines = list(dict.fromkeys(
        f"{f.agency} ({f.year}): {format_value(f, english)}" if english else f"{f.agency}{f.year}年：{format_value(f, english)}"
        for f in facts))
    change = _change_line(facts, english) if query.intent == "compare" and unique else None
    lines += [change] if change else []
    lead = "The report states:" if english else "报告原文："
    quotes = [f"[{i + 1}] “{' '.join(f.quote.split())}”" for i, f in enumerate(facts)]
    single = facts[0] if unique and len({(f.report_id, f.value) for f in facts}) == 1 else None
    warnings = [] if single or len({f.report_id for f in facts}) > 1 else [
        "the report states more than one number that fits the question: all are listed"]
    answer = Answer(question=query.question, text="\n".join(lines + [lead] + quotes), mode="extract",
                    value=single.value if single else None, unit=single.unit if single else "",
                    qualifier=single.qualifier if single else None,
                    citations=[fact_citation(f, store) for f in facts], facts=facts, query=query,
                    verification="verified", warnings=warnings)
    return answer, hits[0].score


def _prefer_open_number(query: Query, store: Store, answer: Answer) -> Answer:
    """The vocabulary found a metric, but the report may state it only in words no extractor
    knows, state it several times, or the question may ask for a part of it (为民办实事类信息 within
    主动公开): then the report's own sentence that best matches the question decides — when the
    facts are missing, when it picks one of several values the report states, or when it
    matches the question clearly better than every fact's clause. A table cell asked for by
    its column or by the table's words stays with the table."""
    from qa.answer.open_numbers import template_metrics

    if answer.mode not in ("fact", "abstain"):
        return answer
    if answer.mode == "abstain" and query.agencies and query.intent in ("lookup", "compare"):
        return open_number_answer(query, store)[0] or answer
    if query.intent != "lookup" or not query.agencies or query.scope or TABLE_WORDS.search(query.question):
        return answer
    from qa.answer.open_numbers import (asks_running_total, fact_clause, question_bigrams, statement_score,
                                         unit_misfit, wanted_units)
    from qa.normalize import matching_view

    wanted, running = question_bigrams(query), asks_running_total(query.question)
    fact_shared = max((statement_score(wanted, fact_clause(f), running)[1] for f in answer.facts), default=0)
    part = len(wanted) >= fact_shared + OPEN_MARGIN  # the question names more than the fact's clause says
    if not part and query.metric in template_metrics() and any(
            (store.report_info(r) or {}).get("template") in ("t2019", "t2021")
            for r in store.report_ids(query.agencies, query.years)):
        return answer  # the template's own table row answers it
    stated = {f.value for f in _select(store.facts(query.metric, query.agencies, query.years), None)}
    misfit = answer.mode == "fact" and unit_misfit(query.question, answer.facts)
    units = wanted_units(query.question)  # 几项: a fact in 条 may be the table's count of the same thing
    other_unit = bool(units) and all(f.unit and f.unit not in units for f in answer.facts)
    if answer.mode == "fact" and len(stated) <= 1 and not part and not misfit and not other_unit:
        return answer  # one value, and no sentence could match the question clearly better
    opened, _ = open_number_answer(query, store)
    if opened is None or opened.value is None:
        return abstain_answer(query, store) if misfit else answer
    if misfit or (other_unit and opened.unit in units):
        return opened
    if answer.mode == "fact" and answer.value is not None and (opened.value, opened.unit or answer.unit) == (
            answer.value, answer.unit):
        return answer  # the same number: the fact carries its metric and unit
    # the open sentence may name the whole in its lead-in (在主动公开的107条政府信息中，…其中:减税降费22条)
    open_shared = max(statement_score(wanted, matching_view(f.quote), running)[1] for f in opened.facts)
    arbiter = len(stated) > 1 and opened.value in stated
    if not arbiter and open_shared < fact_shared + OPEN_MARGIN:
        return answer
    english = query.language != "zh"
    others = [f for f in answer.facts if f.value is not None and f.value != opened.value]
    if others:
        opened.warnings.append(("the report also states: " if english else "同一报告另称：") + "；".join(
            dict.fromkeys(f"{format_value(f, english)}（{' '.join(fact_clause(f).split())[:40]}）" for f in others)))
    return opened


def _fact_line(f: Fact, english: bool, derived: bool = False) -> str:
    name = metric_name(f.metric, english)
    if f.scope and f.scope not in ("total", "decisions"):
        name += f" ({scope_name(f.scope, english)})" if english else f"（{scope_name(f.scope, english)}）"
    value = format_value(f, english)
    agency = agency_label(f.agency, english)
    if english:
        return f"{agency} ({f.year}): {name}: {value}" + (f" (sum of {f.note})" if derived else "")
    return f"{agency}{f.year}年{name}：{value}" + (f"（{f.note}之和）" if derived else "")


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
        held = _years_held(store, query.agencies, english)
        text = (f"No report of {who} for {when} has been ingested{held}, so I cannot say."
                if english else f"尚未收录{who}{when}年的报告{held}，无法回答。")
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


def which_agency_answer(query: Query, store: Store, held: dict[str, list[int]]) -> Answer:
    """The question names an agency no report belongs to, or one that fits several: answer for
    none, and name the agencies it could mean with the years held."""
    from qa.link import closest_agencies, describe_years

    english = query.language in ("en", "mixed")
    if query.agency_candidates:
        names = query.agency_candidates[:MAX_LISTED]
        mention = (query.agency_mentions or ["?"])[0]
        when = f" with a {query.years[0]} report" if english and query.years else (
            f"有{query.years[0]}年报告的" if query.years else "")
        text = (f"“{mention}” fits these agencies{when}; which one do you mean?"
                if english else f"“{mention}”可指以下{when}机关，请指明是哪一个：")
    else:
        names = closest_agencies(query.unknown_agency, held)
        text = (f"No report of {query.unknown_agency} has been ingested, so I cannot say."
                if english else f"尚未收录{query.unknown_agency}的报告，无法回答。")
        if names:
            text += " Closest agencies held:" if english else "已收录的相近机关："
    text += "\n" + "\n".join(f"  {describe_years(n, held)}" for n in names) if names else ""
    return Answer(question=query.question, text=text, mode="abstain", query=query, verification="n/a",
                  warnings=list(query.unsupported))


def _years_held(store: Store, agencies: list[str], english: bool) -> str:
    """The years the store holds for the agencies asked about, e.g. "（已收录：外交部2012、2013年）"."""
    from qa.link import agency_years

    held = agency_years(store)
    years = {a: held[a] for a in agencies if held.get(a)}
    if not years:
        return ""
    if english:
        return " (reports held: " + "; ".join(f"{a}: {', '.join(map(str, ys))}" for a, ys in years.items()) + ")"
    return "（已收录：" + "；".join(f"{a}{'、'.join(map(str, ys))}年" for a, ys in years.items()) + "）"


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
    """The report's own list, quoted item by item (qa.answer.narrative); None when no list fits.
    Chinese questions get the quotes (no LLM); English and mixed ones get the items translated
    by the LLM when one is configured — the quoted items stay the sources either way."""
    from qa.answer.narrative import narrative_answer

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
    from qa.answer.generate import generate_answer

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
    from qa.answer.generate import to_script

    return to_script(text, "zh_hant") if query.script == "traditional" and query.language == "zh" else text


# ---------------------------------------------------------------------------- entry point
def ask(question: str, settings: Optional[Settings] = None, mode: Optional[str] = None,
        stream_to: Optional[Callable[[str], None]] = None) -> Answer:
    """Answer one question with citations. mode: none / local / openai (default: settings.llm)."""
    from qa.ingest import ensure_seeded, open_store
    from qa.link import agency_years
    from qa.normalize import matching_view
    from qa.provenance import provenance
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
    seeding = time.perf_counter()
    ensure_seeded(settings)
    started += time.perf_counter() - seeding  # a first-use seed ingest is not time spent answering
    store = open_store(settings)
    t = time.perf_counter()
    held = agency_years(store)
    query = understand(question, held)
    stages["understand"] = _ms(t)
    answer = None
    if query.unknown_agency or query.agency_candidates:
        answer = which_agency_answer(query, store, held)
    elif query.unsupported and not query.years:
        answer = abstain_answer(query, store)
        answer.text = "; ".join(query.unsupported)
    elif query.metric and query.intent in ("lookup", "compare", "list"):
        t = time.perf_counter()
        if query.intent in ("compare", "list") or RANK_OR_TOTAL.search(query.question):
            from qa.answer.analysis import analysis_answer

            answer = analysis_answer(query, store)
        if answer is None:
            answer = fact_answer(query, store) if (query.agencies or query.years) else _unscoped_fact(query, store)
        answer = _prefer_open_number(query, store, answer)
        stages["facts"] = _ms(t)
    elif query.agencies and query.intent in ("lookup", "compare") and COUNTING.search(matching_view(question)):
        t = time.perf_counter()  # a count in no vocabulary: the report's own sentence, never the LLM
        answer = open_number_answer(query, store)[0] or abstain_answer(query, store)
        stages["facts"] = _ms(t)
    deadline = time.monotonic() + settings.timeout  # the LLM path returns its cited extracts by then
    if answer is None and not COUNTING.search(query.question):  # a report's own list, quoted, first
        answer = extract_answer(query, store, settings, mode, stream_to, deadline)
    if answer is None:
        answer = retrieval_answer(query, store, settings, mode, stream_to, deadline)
    answer.warnings = warnings + answer.warnings
    answer.settings_hash = settings.fingerprint()
    answer.provenance = provenance(settings, mode)
    answer.timing = Timing(total_ms=_ms(started), stages={**stages, **answer.timing.stages})
    return answer


def _unscoped_fact(query: Query, store: Store) -> Optional[Answer]:
    """A metric without agency or year: list what every report states (or fall through)."""
    answer = fact_answer(query, store)
    return answer if answer and answer.mode == "fact" else None


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 3)
