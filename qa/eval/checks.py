"""Checks of an answer that are not about the gold value: numbers it invents, agencies it strays to.

- invented_numbers    quantities in the answer text found in none of its cited quotes (years, dates,
                      ordinals, phone and document numbers skipped; differences, percentage changes
                      and sums of cited values count as derived, not invented; a number written with
                      decimals may round a known value: 7730.3 for 7730.28)
- other_agency_citations  cited reports of an agency the question did not name
"""

from __future__ import annotations

import re

from qa.eval.gold import GoldItem
from qa.eval.text import CITATION_MARKERS, report_stem, same_number, values_in

SKIPPED_NUMBER_KINDS = {"year", "date", "ordinal", "phone", "docno", "other"}


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
    """Quantities in the answer text that none of its cited quotes states (nor derives)."""
    from qa.facts.numbers import find_numbers

    text = CITATION_MARKERS.sub(" ", answer.text or "")
    quotes = [c.quote for c in answer.citations]
    stated = [v for q in quotes for v in values_in(q)]
    stated += [float(x) for q in quotes for x in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", q)]
    derived = set()
    uniq = sorted(set(stated))
    if len(uniq) <= 400:
        for a in uniq:
            for b in uniq:
                derived.add(round(b - a, 6))
                derived.add(round(abs(b - a), 6))
                if a:
                    derived.add(round((b - a) / a * 100, 1))
                    derived.add(round(abs(b - a) / a * 100, 1))
    by_report: dict[str, float] = {}
    for f in getattr(answer, "facts", []) or []:
        if f.value is not None:
            by_report[f.report_id] = by_report.get(f.report_id, 0.0) + f.value
    derived |= {round(v, 6) for v in by_report.values()}
    derived |= {round(f.value, 6) for f in getattr(answer, "facts", []) or [] if f.value is not None}
    known = stated + sorted(derived)
    out = []
    for m in find_numbers(text):
        if m.kind in SKIPPED_NUMBER_KINDS:
            continue
        raw = text[m.start:m.end]
        # a number written with decimals may be a rounding of a known value (7730.28 → 7730.3)
        decimals = len(raw.split(".")[1]) if re.fullmatch(r"[\d,]+\.\d+", raw) else None
        tol = 0.5 * 10 ** -decimals + 1e-9 if decimals else 0.0
        if any(same_number(m.value, v) or (tol and abs(abs(m.value) - abs(v)) <= tol) for v in known):
            continue
        out.append(raw)
    return out
