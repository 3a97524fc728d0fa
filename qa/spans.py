"""Lookups in sorted, non-overlapping spans (a report's boilerplate) in O(log n).

`meta.boilerplate_spans` makes one span per boilerplate line, in text order. Asking "is this
offset in any span?" with `any(...)` for every line or number made reading a long text
quadratic (a 10 MB text has tens of thousands of footer lines); bisect keeps it linear.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Sequence

Spans = Sequence[tuple[int, int]]


def covers(spans: Spans, offset: int) -> bool:
    """True when some span s <= offset < e."""
    i = bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def contains(spans: Spans, start: int, end: int) -> bool:
    """True when one span holds all of [start, end) (a whole line of furniture)."""
    i = bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def overlaps(spans: Spans, start: int, end: int) -> bool:
    """True when some span meets [start, end)."""
    i = bisect_left(spans, (end,))  # spans starting before `end`
    return i > 0 and spans[i - 1][1] > start


def starts_between(spans: Spans, start: int, end: int) -> bool:
    """True when some span begins in [start, end)."""
    i = bisect_left(spans, (start,))
    return i < len(spans) and spans[i][0] < end
