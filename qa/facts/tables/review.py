"""四、行政复议、行政诉讼: the review and litigation table (fifteen cells, three totals)."""

from __future__ import annotations

from qa.facts.tables.glued import row_total_ok, unglue
from qa.facts.tables.inline import inline_run
from qa.facts.tables.page import Page
from qa.facts.tables.rows import Cell, flag, fmt
from qa.facts.template import REVIEW_GROUPS, REVIEW_METRICS


def _review_ok(values: list[float]) -> bool:
    return all(row_total_ok(values[i:i + 5]) for i in (0, 5, 10))


def review_cells(page: Page, lo: int, hi: int) -> list[Cell]:
    """The fifteen cells of the review/litigation table after its 行政复议 heading ([] when absent)."""
    head = page.search(r"行政复议", lo, hi)
    if not head:
        return []
    start = head[0]
    stop = page.search(r"存在的主要问题|五、|六、", start, hi)
    end = stop[0] if stop else hi
    if not (page.search("维持", start, end) and page.search("纠正", start, end)):
        return []
    groups = [g for g in page.groups_in(start, end) if not g.pipe_only]
    toks = [t for g in groups for t in g.toks]
    if not toks:  # run-together layout: the numbers follow the column headers on the same line
        header_end, pos = head[1], head[1]
        while True:  # after the last "…尚未审结 总计" (a sentence may sit between heading and table)
            found = page.search(r"审结总计", pos, end)
            if not found:
                break
            header_end = pos = found[1]
        run = inline_run(page, header_end, end)
        groups = [run] if run is not None and run.toks else []
        toks = [t for g in groups for t in g.toks]
    if len(toks) < 5 and sum(len(t.digits) for t in toks) < 15:
        return []  # a stray number after the heading, not the table's row
    qs = page.line_span(page.line_of(start))[0]
    qe = page.line_span(groups[-1].last_line)[1] if groups else page.line_span(page.line_of(start))[1]
    if groups and groups[-1].first_line == page.line_of(start):
        qs, qe = start, groups[-1].end  # one line holds the table: quote the table, not the page
    quote = (qs, qe)
    toks = [t for g in groups for t in g.toks]

    def unparsed(note: str) -> list[Cell]:
        return [Cell(m, "", None, None, quote, "unparsed", note, (head[0], head[1])) for m in REVIEW_METRICS]

    if not toks or all(t.value is None for t in toks):
        return unparsed("cells left empty in the report (not stated)")
    note = ""
    if len(toks) != 15:
        if len(groups) != 1 or groups[0].vertical or len(toks) > 15 or any(t.value is None for t in toks):
            return unparsed(f"{len(toks)} numbers where 15 cells are expected")
        toks, why = unglue(toks, 15, _review_ok)
        if toks is None:
            return unparsed(why)
        note = why or "glued digits split using the totals"
    cells = [Cell(m, "", t if t.value is not None else None, None, quote,
                  "ok" if t.value is not None else "unparsed",
                  note if t.value is not None else "cell left empty in the report (not stated)", (t.start, t.end))
             for m, t in zip(REVIEW_METRICS, toks)]
    for k, (name, _) in enumerate(REVIEW_GROUPS):
        part = cells[5 * k: 5 * k + 5]
        if all(c.tok is not None for c in part):
            vals = [c.tok.value for c in part]
            if not row_total_ok(vals):
                flag(part, f"{name}总计 {fmt(vals[4])} ≠ 维持+纠正+其他+尚未审结 = {fmt(sum(vals[:4]))}")
    return cells
