"""Fact answers: a metric asked of named reports, answered from the facts table (SQLite only).

One line per distinct statement, each citing the sentence or table row that states it. A metric
the report states only as parts is their sum (the parts cited). When a report states the metric
several times, the statement whose clause matches the question best is kept and the others are
shown as notes; a count in no vocabulary is read from the report's own best-matching sentence
(qa.answer.open_answer, see qa.answer.open_numbers).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Optional

from qa.answer.abstain import abstain_answer
from qa.answer.rows import RUNNING_OR_MAIN, running_scope
from qa.answer.wording import (agency_label, fact_citation, format_value, metric_label, number_text,
                               parts_note, signed, unique_citations)
from qa.facts.common import vocabulary
from qa.store import Store
from qa.types import Answer, Fact, Qualifier, Query

MAX_LISTED = 12

# ---------------------------------------------------------------------------- fact path
SAME_COLUMN = {"new_made": "issued", "issued": "new_made"}  # one column under the two templates' names
NEW_WORDS = re.compile(r"新增|新收|本年新|\bnew(?:ly)?\b", re.I)


def select_main(facts: list[Fact], scope: Optional[str], question: str = "") -> list[Fact]:
    if scope == RUNNING_OR_MAIN:
        return [f for f in facts if f.scope == "cumulative"] or select_main(facts, None, question)
    if scope:
        return [f for f in facts if f.scope == scope]
    main = [f for f in facts if f.scope in ("", "total", "decisions", "amount")]
    if not main and NEW_WORDS.search(question):  # "new followers" is never the running total
        return [f for f in facts if f.scope != "cumulative"]
    return main or facts


def _derived_from_parts(query: Query, store: Store) -> tuple[list[Fact], list[Fact]]:
    """A metric the report states only as parts (e.g. 行政诉讼 = direct + after review): their sum."""
    parts = vocabulary()["metrics"][query.metric].get("parts", [])
    by_report: dict[str, list[Fact]] = defaultdict(list)
    for part in parts:
        for f in select_main(store.facts(part, query.agencies, query.years), None):
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
    from qa.answer.units import unit_preference

    english = query.language in ("en", "mixed")
    stated = store.facts(query.metric, query.agencies, query.years)
    facts = select_main(stated, query.scope or running_scope(query, store, stated), query.question)
    if not facts and query.scope in SAME_COLUMN:  # 本年新制作 (2019 template) is 本年制发 (2021)
        facts = select_main(stated, SAME_COLUMN[query.scope])
    if not facts and query.scope not in (None, "cumulative", RUNNING_OR_MAIN) \
            and not any(f.scope == query.scope for f in stated):
        facts = select_main(stated, None)  # the asked reports have no such column: the word named none
    elif not facts and query.scope:  # a total of none is none in every part (无收费 answers 收费金额)
        facts = [f for f in select_main(stated, None) if f.value == 0]
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
    omitted = len(readable) - MAX_LISTED
    if omitted > 0:  # said in a note: the text holds only numbers its citations state
        lines.append("…" if english else "……")
    change = change_line(readable, english) if query.intent == "compare" else None
    text = "\n".join(lines + ([change] if change else []))
    warnings = [f"{omitted} more statements not listed" if english else f"另有{omitted}条未列出"] if omitted > 0 else []
    warnings += [f.note for f in facts if f.status != "ok" and f.note]
    warnings += [("the same report also states " if english else "同一报告另称：") + f"{format_value(f, english)} "
                 f"({'table' if f.source == 'table' else 'text'}: “{' '.join(f.quote.split())[:60]}”)" for f in also]
    first = readable[0]
    if len({(f.value, f.qualifier) for f in readable if (f.report_id, f.scope) == (first.report_id, first.scope)}) > 1:
        warnings.append("the report states this figure more than once, with different values: all are listed")
    distinct = {(f.agency, f.year, f.value, f.qualifier) for f in readable}
    order = unit_preference(query.question)  # 3次 and 3场 say the same: the unit asked in
    single = min(readable, key=lambda f: order.index(f.unit) if f.unit in order else len(order)) \
        if len(distinct) == 1 else None
    return Answer(
        question=query.question, text=text, mode="fact", value=single.value if single else None,
        unit=single.unit if single else "", qualifier=single.qualifier if single else None,
        citations=cites, facts=readable + parts, query=query, warnings=warnings,
    )


TABLE_WORDS = re.compile(r"总计|合计|本年新收|表格|表中|in the table|table")
TIE = 0.5  # statements scoring within this of the best are equally what the question asks


def _one_statement(facts: list[Fact], query: Query) -> tuple[list[Fact], list[Fact]]:
    """One report stating a metric several times (a total and its parts, prose and table, this
    year and the running total): keep the statement the question asks for — its clause sharing
    most words with the question, a running total only when asked, the table when it names the
    table. The others are returned to be shown as notes, never dropped silently. Two different
    values scoring alike are both kept: the report contradicts itself."""
    from qa.answer.open_numbers import fact_clause, question_bigrams, statement_score
    from qa.answer.running import asks_running_total

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


def _fact_line(f: Fact, english: bool, derived: bool = False) -> str:
    name = metric_label(f.metric, f.scope, english, plain_scopes=("total", "decisions"))
    value = format_value(f, english)
    agency = agency_label(f.agency, english)
    if english:
        return f"{agency} ({f.year}): {name}: {value}" + (f" (sum of {f.note})" if derived else "")
    return f"{agency}{f.year}年{name}：{value}" + (f"（{f.note}之和）" if derived else "")


def change_line(facts: list[Fact], english: bool) -> Optional[str]:
    by_year = {}
    for f in facts:
        by_year.setdefault((f.agency, f.year), f)
    agencies = {a for a, _ in by_year}
    if len(by_year) != 2 or len(agencies) != 1:
        return None
    (_, y1), (_, y2) = sorted(by_year)
    a, b = by_year[(next(iter(agencies)), y1)], by_year[(next(iter(agencies)), y2)]
    delta = b.value - a.value
    pct = f", {signed(round(delta / a.value * 100, 1), 1)}%" if a.value else ""
    change = f"{number_text(a.value)} → {number_text(b.value)}"
    if english:
        return f"Change {y1}→{y2}: {change} ({signed(delta)}{pct})"
    return f"{y1}→{y2}年变化：{change}（{signed(delta)}{pct}）"
