"""二、主动公开政府信息情况: the 第二十条 tables (rows × the columns their own header names)."""

from __future__ import annotations

import bisect
import re
from typing import Optional

from qa.facts.tables.inline import any_cell, inline_rows, is_inline
from qa.facts.tables.page import Hit, Page
from qa.facts.tables.rows import Cell, align, find_rows, row_cells, row_quote
from qa.facts.template import ART20_COLUMNS, ART20_ROWS, COLUMN_UNITS


def art20_cells(page: Page, lo: int, hi: int) -> list[Cell]:
    """The cells of the 第二十条 tables between text offsets lo and hi ([] when they are prose)."""
    hits = find_rows(page, ART20_ROWS, lo, hi)
    if not hits:
        return []
    inline = is_inline(page, hits)
    quotes: dict[int, tuple[int, int]] = {}
    if inline:
        aligned, quotes = inline_rows(page, hits, hi)
        if not any(g is not None and g.toks for g in aligned.values()):
            return []
    else:
        aligned = align(page, hits, page.groups_in(lo, hi))
        if not any(g is not None and (g.pipe_only or len(g.toks) == len(_art20_header(page, hits, i, lo)[0]))
                   for i, g in aligned.items()):
            return []  # no row with a full set of cells: prose, not a table
    cells: list[Cell] = []
    for i, hit in enumerate(hits):
        columns, unit = _art20_header(page, hits, i, lo)
        if not columns:
            quote = row_quote(page, hit, None)
            cells.append(Cell(hit.metric, "", None, None, quote, "unparsed", "column header not recognised",
                              (hit.start, hit.end)))
            continue
        units = [unit if c == "amount" else COLUMN_UNITS.get(c) for c in columns]
        row = row_cells(page, hit, aligned.get(i), columns, units, any_cell if inline else None, quotes.get(i))
        cells += [_unit_after(page, c) if c.scope == "amount" else c for c in row]
    return cells


def _unit_after(page: Page, cell: Cell) -> Cell:
    """An amount written with its unit (政府集中采购 2 45.82万元): the unit is the report's own, and the
    row's quote reaches it."""
    m = AMOUNT_UNIT.match(page.text, cell.tok.end) if cell.tok is not None else None
    if m:
        cell.unit = m.group(1)
        cell.quote = (cell.quote[0], max(cell.quote[1], m.end()))
    return cell


AMOUNT_UNIT = re.compile(r"[ \t]*(万元|亿元|元)")


def _art20_header(page: Page, hits: list[Hit], i: int, lo: int) -> tuple[list[str], Optional[str]]:
    """Columns (scopes) and amount unit of the sub-table row `i` belongs to."""
    hit = hits[i]
    clo = bisect.bisect_left(page.compact_pos, lo)
    chit = bisect.bisect_left(page.compact_pos, hit.start)
    head = page.compact.rfind("信息内容", clo, chit)
    if head < 0:
        head = page.compact.rfind("第二十条", clo, chit)
    if head < 0:
        return [], None
    head_pos = page.compact_pos[head]
    first_row = next(h for h in hits if h.start > head_pos)
    hend = bisect.bisect_left(page.compact_pos, first_row.start)
    header = page.compact[head:hend]
    cols: list[str] = []
    for m in ART20_COLUMNS.finditer(header):
        cols.append(m.lastgroup)
    if "new_either" in cols:  # a report truncating 本年新制作/本年新公开 to 本年新
        either = [k for k, c in enumerate(cols) if c == "new_either"]
        names = ["new_made", "new_published"]
        if len(either) == 2 and "new_made" not in cols and "new_published" not in cols:
            for k, name in zip(either, names):
                cols[k] = name
        else:
            return [], None
    unit: Optional[str] = None
    if "fee_amount" in cols:
        cols = ["amount" if c == "fee_amount" else c for c in cols]
        m = re.search(r"单位[:：]?(万元|亿元|元)", header)
        unit = m.group(1) if m else "万元"  # the 2021 template states 万元
    elif "amount" in cols:
        m = re.search(r"单位[:：]?(万元|亿元|元)", header) or re.search(r"金额[（(](万元|亿元|元)[)）]", header)
        unit = m.group(1) if m else ""  # the 2019 template does not state the unit
    return cols, unit
