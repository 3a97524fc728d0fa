"""Near-duplicate reports: the same report as HTML and PDF, or its traditional-script mirror.

Compared on the matching view (simplified, half-width) with layout removed — whitespace,
punctuation, table pipes, page footers — as sets of character 4-grams. Only reports of the
same agency and year are compared, so this stays cheap however large the store grows.
"""

from __future__ import annotations

import re
from typing import Optional

from pydantic import BaseModel, Field

from qa.normalize import matching_view
from qa.store import Store
from qa.types import Report

LAYOUT = re.compile(r"[\s\W_]+|-\s*\d+\s*-")
THRESHOLD = 0.8


def shingles(text: str, boilerplate: list[tuple[int, int]] = (), n: int = 4) -> set[str]:
    kept = list(text)
    for s, e in boilerplate:
        kept[s:e] = [" "] * (e - s)
    body = LAYOUT.sub("", matching_view("".join(kept)))
    return {body[i : i + n] for i in range(max(len(body) - n + 1, 0))}


def similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class Duplicate(BaseModel):
    """A stored report found to be the same report as the one being ingested."""

    id: str = Field(description="The stored report's id.")
    path: str = Field(description="The file it was read from.")
    similarity: float = Field(description="Jaccard similarity of the two texts' 4-gram sets (≥ THRESHOLD).")


def find_duplicate(report: Report, store: Store) -> Optional[Duplicate]:
    """A stored report (other path) with the same agency and year (both possibly unknown) and
    nearly the same text."""
    mine = None
    for other in store.report_texts(report.agency, report.year):
        if other.id == report.id or other.path == report.path:
            continue
        mine = mine if mine is not None else shingles(report.text, report.boilerplate)
        score = similarity(mine, shingles(other.text))
        if score >= THRESHOLD:
            return Duplicate(id=other.id, path=other.path, similarity=score)
    return None
