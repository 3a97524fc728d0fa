"""Checks of an answer that are not about the gold value: numbers it invents, agencies it strays to.

- invented_numbers    (qa.answer.verify) quantities in the answer text found in none of its cited quotes (years, dates,
                      ordinals, phone and document numbers skipped; differences, percentage changes
                      and sums of cited values count as derived, not invented; a number written with
                      decimals may round a known value: 7730.3 for 7730.28)
- other_agency_citations  cited reports of an agency the question did not name
"""

from __future__ import annotations

from qa.eval.gold import GoldItem
from qa.eval.text import report_stem



def other_agency_citations(item: GoldItem, answer) -> list[str]:
    """Cited reports of an agency the question did not name: neither a gold report nor a report
    of the gold agency. The worst answer there is, counted apart from wrong values."""
    named = {item.agency, *(v.agency for v in item.values)} - {None}
    if answer.mode == "abstain" or not named:
        return []
    gold = set(item.gold_reports())
    return list(dict.fromkeys(report_stem(c.path) for c in answer.citations
                              if report_stem(c.path) not in gold and c.agency not in named))


def invented_numbers(answer) -> list[str]:
    """Quantities in the answer text that none of its cited quotes states (nor derives): the same
    checks `qa.answer.verify` runs on every answer, so the eval and the answers agree."""
    from qa.answer.verify import invented_numbers as unverified_quantities

    return unverified_quantities(answer)
