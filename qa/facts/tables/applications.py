"""三、收到和处理政府信息公开申请情况: the application table, with its row and column arithmetic."""

from __future__ import annotations

from typing import Optional

from qa.facts.tables.glued import row_total_ok, split_candidates
from qa.facts.tables.inline import inline_rows, is_inline
from qa.facts.tables.page import Group, Hit, Page
from qa.facts.tables.rows import Cell, align, find_rows, flag, fmt, row_cells
from qa.facts.template import APPLICATION_COLUMNS, APPLICATION_ROWS, OTHER_SUBROWS, RESULT_ROWS

# 三、本年度办理结果 of the 2019 template: （一）…（五） and （六）其他处理 as one row
RESULT_ROWS_2019 = RESULT_ROWS + ["other_processing"]
BALANCE = ("applications_received", "applications_carried_over", "results_total", "carried_forward")  # 一+二 = 三+四


def application_cells(page: Page, lo: int, hi: int) -> tuple[list[Cell], int]:
    """The application table's cells between text offsets lo and hi, and where the table ends."""
    hits = find_rows(page, APPLICATION_ROWS, lo, hi)
    if not hits or hits[0].metric != "applications_received":
        return [], lo
    metrics = {h.metric for h in hits}
    if metrics.intersection(OTHER_SUBROWS):  # 2021 template: （六）其他处理 is only a heading over its sub-rows
        hits = [h for h in hits if h.metric != "other_processing"]
    quotes: dict[int, tuple[int, int]] = {}
    if is_inline(page, hits):
        aligned, quotes = inline_rows(page, hits, hi)
        if sum(1 for g in aligned.values() if g is not None and g.toks) * 2 < len(hits):
            return [], lo  # most rows without numbers: prose naming the rows, not a table
    else:
        aligned = align(page, hits, page.groups_in(lo, hi))
        if not any(g is not None and (g.pipe_only or len(g.toks) == 7) for g in aligned.values()):
            return [], lo  # no row with a full set of cells: prose, not a table
    rows: dict[str, list[Cell]] = {}
    for i, hit in enumerate(hits):
        cells = row_cells(page, hit, aligned.get(i), APPLICATION_COLUMNS, [None] * 7, row_total_ok, quotes.get(i))
        vals = [c.tok.value if c.tok is not None and c.status == "ok" else None for c in cells]
        if None not in vals and not row_total_ok(vals):
            flag(cells, f"总计 {fmt(vals[-1])} ≠ sum of the applicant columns {fmt(sum(vals[:-1]))}")
        rows[hit.metric] = cells
    _resolve_by_columns(rows, hits, aligned)
    _check_columns(rows)
    end = max((c.quote[1] for cells in rows.values() for c in cells), default=lo)
    return [c for cells in rows.values() for c in cells], end


def _result_rows(rows: dict[str, list[Cell]]) -> list[str]:
    """The result rows the table has: those summed into （七）总计."""
    return [m for m in RESULT_ROWS_2019 if m in rows] + [m for m in OTHER_SUBROWS if m in rows]


def _column_checks(rows: dict[str, list[Cell]], metric: str, vals: list[float]) -> Optional[bool]:
    """Do the column sums hold with `vals` as the row `metric`? None: no sum could be checked."""
    def value(m: str, k: int) -> Optional[float]:
        if m == metric:
            return vals[k]
        cells = rows.get(m)
        return cells[k].tok.value if cells and cells[k].tok is not None and cells[k].status == "ok" else None

    result_rows = _result_rows(rows)
    checked = False
    for k in range(len(APPLICATION_COLUMNS)):
        if metric in result_rows or metric == "results_total":
            parts, total = [value(m, k) for m in result_rows], value("results_total", k)
            if total is not None and None not in parts:
                checked = True
                if abs(sum(parts) - total) > 1e-6:
                    return False
        if metric in BALANCE:
            four = [value(m, k) for m in BALANCE]
            if None not in four:
                checked = True
                if abs(four[0] + four[1] - four[2] - four[3]) > 1e-6:
                    return False
    return True if checked else None


def _resolve_by_columns(rows: dict[str, list[Cell]], hits: list[Hit], aligned: dict[int, Optional[Group]]) -> None:
    """A row whose glued digits split several ways that keep its own total: the split the column
    sums (（七）总计 = the result rows; 一+二 = 三+四) admit, when exactly one does."""
    for i, hit in enumerate(hits):
        cells, group = rows.get(hit.metric), aligned.get(i)
        if not cells or group is None or not all(c.status == "unparsed" and "more than one way" in c.note
                                                 for c in cells):
            continue
        _, _, options, gave_up = split_candidates(group.toks, len(APPLICATION_COLUMNS), row_total_ok, keep=50)
        fitting = [o for o in options if _column_checks(rows, hit.metric, [t.value for t in o])]
        if gave_up or len(options) >= 50 or len(fitting) != 1:
            continue
        rows[hit.metric] = [Cell(hit.metric, scope, tok, None, cells[0].quote, "ok",
                                 "glued digits split using the row and column totals")
                            for scope, tok in zip(APPLICATION_COLUMNS, fitting[0])]


def _check_columns(rows: dict[str, list[Cell]]) -> None:
    """Flag (never fix) the column sums that do not hold: （七）总计 = the result rows, 一+二 = 三+四."""
    def value(metric: str, k: int) -> Optional[float]:
        cells = rows.get(metric)
        if not cells or cells[k].tok is None:
            return None
        return cells[k].tok.value

    result_rows = _result_rows(rows)
    for k, scope in enumerate(APPLICATION_COLUMNS):
        parts = [value(m, k) for m in result_rows]
        total = value("results_total", k)
        if total is not None and parts and None not in parts and abs(sum(parts) - total) > 1e-6:
            flag([rows["results_total"][k]],
                 f"（七）总计 {fmt(total)} ≠ sum of the result rows {fmt(sum(parts))} ({scope})")
        four = [value(m, k) for m in BALANCE]
        if None not in four and abs(four[0] + four[1] - four[2] - four[3]) > 1e-6:
            note = (f"一+二 ({fmt(four[0])}+{fmt(four[1])}) ≠ 三+四 ({fmt(four[2])}+{fmt(four[3])}) "
                    f"in column {scope}")
            flag([rows[m][k] for m in BALANCE], note)
