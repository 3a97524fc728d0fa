"""Row labels and their cells: finding the labels, aligning value groups to them, cells per row.

Steps 3–5 of the method (see `qa.facts.tables`). A `Cell` is one value of one row and column,
with its status (ok / unparsed / inconsistent) and the note saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from qa.facts.numerals import number_text
from qa.facts.tables.glued import unglue
from qa.facts.tables.page import Group, Hit, Page, Tok


def find_rows(page: Page, rows: list[tuple[str, str]], lo: int, hi: int) -> list[Hit]:
    """The row labels found between text offsets lo and hi, each after the one before (template order)."""
    hits: list[Hit] = []
    cursor = lo
    for r, (metric, pattern) in enumerate(rows):
        found = page.search(pattern, cursor, hi)
        following = page.search(rows[r + 1][1], cursor, hi) if r + 1 < len(rows) else None
        if found and following and following[0] < found[0] and metric != "applications_received":
            continue  # the row is missing: its words only come up after the next row (in later prose)
        if found:
            hits.append(Hit(metric, found[0], found[1], page.line_of(found[0])))
            cursor = found[1]
    return hits


def align(page: Page, hits: list[Hit], groups: list[Group]) -> dict[int, Optional[Group]]:
    """Map hit index → its group (None: could not be aligned)."""
    pairs: dict[int, Group] = {}
    used: set[int] = set()
    # 1. label and a horizontal group on one line (the rightmost label of the line wins)
    for gi, g in enumerate(groups):
        if g.vertical:
            continue
        on_line = [hi for hi, h in enumerate(hits) if h.line == g.first_line and hi not in pairs]
        if on_line:
            pairs[on_line[-1]] = g
            used.add(gi)
    # 2. a vertical group directly after its label
    for gi, g in enumerate(groups):
        if not g.vertical or gi in used:
            continue
        before = [hi for hi, h in enumerate(hits) if h.start < g.start]
        if not before:
            continue
        hi = before[-1]
        between = [o for o in groups if hits[hi].start < o.start < g.start and o is not g and not o.pipe_only]
        if hi not in pairs and not between:
            pairs[hi] = g
            used.add(gi)
    # 3. between anchors, pair the rest in order when the counts agree
    anchors = sorted(min(hits[hi].start, g.start) for hi, g in pairs.items())
    bounds = [-1] + anchors + [len(page.text) + 1]
    result: dict[int, Optional[Group]] = dict(pairs)
    for a, b in zip(bounds, bounds[1:]):
        seg_hits = [hi for hi, h in enumerate(hits) if hi not in pairs and a <= h.start < b]
        seg_groups = [g for gi, g in enumerate(groups) if gi not in used and not g.pipe_only and a <= g.start < b]
        if len(seg_hits) == len(seg_groups):
            result.update(zip(seg_hits, seg_groups))
        else:
            for hi in seg_hits:
                result[hi] = None
    return result


# ---------------------------------------------------------------- cells → facts

@dataclass
class Cell:
    metric: str
    scope: str
    tok: Optional[Tok]  # None: no cell found
    unit: Optional[str]
    quote: tuple[int, int]
    status: str = "ok"
    note: str = ""
    anchor: tuple[int, int] = (0, 0)  # where an unparsed cell points: its row label


def row_quote(page: Page, hit: Hit, group: Optional[Group]) -> tuple[int, int]:
    ls, le = page.line_span(hit.line)
    if group is None or group.pipe_only:
        return ls, le
    gs, _ = page.line_span(group.first_line)
    _, ge = page.line_span(group.last_line)
    return min(ls, gs), max(le, ge)


def row_cells(page: Page, hit: Hit, group: Optional[Group], scopes: list[str], units: list[Optional[str]],
               check: Optional[Callable[[list[float]], bool]],
               quote: Optional[tuple[int, int]] = None) -> list[Cell]:
    quote = quote or row_quote(page, hit, group)
    width = len(scopes)

    anchor = (hit.start, hit.end)

    def unparsed(note: str) -> list[Cell]:
        return [Cell(hit.metric, s, None, u, quote, "unparsed", note, anchor) for s, u in zip(scopes, units)]

    if group is None:
        return unparsed("numbers of this row could not be aligned with its label")
    toks = group.toks
    if not toks or all(t.value is None for t in toks):
        return unparsed("cell left empty in the report (not stated)")
    note = ""
    if len(toks) != width:
        if group.vertical or any(t.value is None for t in toks) or len(toks) > width or check is None:
            return unparsed(f"{len(toks)} numbers where {width} cells are expected")
        toks, why = unglue(toks, width, check)
        if toks is None:
            return unparsed(why)
        note = why or "glued digits split using the row total"
    cells = []
    for s, u, t in zip(scopes, units, toks):
        if t.value is None:
            cells.append(Cell(hit.metric, s, None, u, quote, "unparsed", "cell left empty in the report (not stated)",
                              (t.start, t.end)))
        else:
            cells.append(Cell(hit.metric, s, t, u, quote, "ok", note))
    return cells


def flag(cells: list[Cell], note: str) -> None:
    for c in cells:
        if c.tok is not None:
            c.status = "inconsistent"
            c.note = (c.note + "; " if c.note else "") + note


fmt = number_text  # notes write numbers as answers do
