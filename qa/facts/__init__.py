"""Deterministic facts: every number a report states, with the span it came from.

numbers.py finds numbers (numerals.py parses them); tables/ reads the tables of the 2019/2021
templates (template.py defines them, for the audit too) and the statistics table of older reports;
prose.py reads sentences (prose_sentences.py splits them); anchored.py splits glued statistics-table
cells the prose fixes; common.py: the vocabulary and `make_fact`.
"""

from __future__ import annotations

from qa.types import Fact, Report, Section


def extract_facts(report: Report, sections: list[Section]) -> list[Fact]:
    """All facts of one report: table cells first, then prose figures the tables do not cover."""
    from qa.facts.prose import extract_prose_facts
    from qa.facts.tables import extract_table_facts

    from qa.facts.anchored import split_by_prose

    table_facts = extract_table_facts(report, sections)
    prose_facts = extract_prose_facts(report, sections)
    table_facts = split_by_prose(table_facts, prose_facts)
    covered = [(f.quote_start, f.quote_end) for f in table_facts]
    prose_facts = [f for f in prose_facts if not any(s <= f.start < e for s, e in covered)]
    return sorted(table_facts + prose_facts, key=lambda f: (f.start, f.metric, f.scope))
