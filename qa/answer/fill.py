"""Rows an analysis could not fill from the facts table, read from the report's own sentence.

A comparison over years or agencies asks one metric of several reports; a report that states it
only in words no extractor knows ("解读政策性文件10条" where another year says 政策解读) would leave its
row missing. Its best-matching sentence fills it — only when exactly one number fits and that
number counts the metric's kind of thing (items, times, persons, money) — cited like any row.
"""

from __future__ import annotations

from qa.answer.rows import AnalysisRow
from qa.answer.wording import fact_citation
from qa.store import Store
from qa.types import Query


def fill_missing(query: Query, store: Store, rows: list[AnalysisRow]) -> bool:
    """Fill the missing rows that a sentence of their report answers; True when one was filled."""
    from qa.answer.open_numbers import best_hits, hit_fact
    from qa.answer.units import counts_the_metrics_kind

    filled = False
    for row in rows:
        if row.status != "missing" or not row.report_id:
            continue
        hits, unique = best_hits(query, store, [row.report_id])
        if not hits or not unique:
            continue
        fact = hit_fact(hits[0], store)
        if not counts_the_metrics_kind(query.question, query.metric, [fact]):
            continue  # 108条 posts never fill a followers row
        row.value, row.unit, row.qualifier = fact.value, fact.unit, fact.qualifier
        row.status, row.source, row.facts = "stated", "prose", [fact]
        row.citation = fact_citation(fact, store)
        row.note = "read from the report's sentence (the facts table has no such row)"
        filled = True
    return filled
