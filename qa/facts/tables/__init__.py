"""Facts from the tables of the 2019 and 2021 report templates (第二十条, applications, review).

How it works, and why (read this before changing anything):

1. **Masking.** Page footers ("- 3 -", "第 3 页") and `report.boilerplate` spans are blanked in
   the matching view (same length, newlines kept), so no number is ever read from them.
2. **Value groups.** Each line is classified. A line of only numbers/pipes is a *value line*;
   a text line may end in a run of numbers (pdfplumber: ``label 1 0 0 0 0 0 1``); a pipe row
   (``| 规章 | 1 |  | 11 |``) gives positional cells, empty ones included. Value lines holding at
   most one number (one cell per line: PyMuPDF, the Liaoning web layout) merge into a *vertical*
   group; every other numeric line is a *horizontal* group of its own. A number must be followed
   by whitespace, ``|`` or the end of the line, and not preceded by a digit, letter, ``.``/``-``,
   so enumerators (``1.属于``), dates, phone numbers, percentages and ``〔2019〕14号`` never count.
3. **Row labels.** The text with whitespace, pipes and value numbers removed (*compact* text)
   is searched for short, distinctive keys in template order (each key after the previous row
   found), so labels broken across lines, interleaved with vertical headings (三、本年度办理结果
   one character per line) or truncated by the report still match.
4. **Alignment.** A group is *anchored* to a row when the label and a horizontal group share a
   line, or when a vertical group directly follows its label (nothing numeric in between; that
   layout always prints a row's values after its label). Between two anchors the remaining labels
   and groups are paired in order **only if their counts are equal** — this is what handles
   pdfplumber printing a row's numbers on the line *before* its label. Otherwise the rows are
   recorded as unparsed; a value is never guessed.
5. **Cells.** A group must have exactly as many cells as the row has columns. Glued digits
   (``230 000023``) are split only when the table's own arithmetic (总计 = sum of the applicant
   columns; 总计 = 维持+纠正+其他+尚未审结) admits exactly one split. Empty cells are unparsed
   (value None), never 0.
6. **Arithmetic.** Row totals, the results total, the 勾稽 balance (一+二 = 三+四) and the review
   totals are checked; cells that break them keep the report's numbers but get status
   ``inconsistent`` and a note. The report is never silently "fixed".
7. **Run-together web pages.** When a table's rows share one line (web-page copies:
   ``规章000行政规范性文件303``, ``本年新收政府信息公开申请数量0 0 0 0 0 00``), a row's numbers are
   the first run of numbers between its label and the next row's label; the next row's
   enumerator (``…00000002.其他法律``) and a year glued to the last row (``…20000022025年``) are
   cut off, and a number followed by a counting unit (``申请21件``) is prose, not a cell. Glued
   digits are split when the digit count allows one split only, else by the row total, else by the
   column sums (（七）总计 = the result rows, 一+二 = 三+四); otherwise the row stays unparsed.
8. **The statistics table of 2009–2018 reports** (政府信息公开情况统计表: ``主动公开信息数 条 19 33``):
   a 历年累计 column gives scope ``cumulative``; totals that are not the sum of their parts, and a
   year above its running total, are flagged ``inconsistent``.

Modules: `page` (steps 1–2), `rows` (3–5), `glued` (glued digits), `inline` (7), the readers
`art20`, `applications`, `review` and `stats` (8); the rows, columns and labels of the templates
are in `qa.facts.template`, shared with `qa.answer.audit`.
"""

from __future__ import annotations

from qa.facts.common import make_fact
from qa.facts.tables.applications import application_cells
from qa.facts.tables.art20 import art20_cells
from qa.facts.tables.page import Page, prepare
from qa.facts.tables.review import review_cells
from qa.facts.tables.rows import Cell
from qa.facts.tables.stats import stats_cells
from qa.facts.template import APPLICATION_ROWS, ART20_COLUMNS, ART20_ROWS, COLUMN_UNITS, REVIEW_METRICS
from qa.types import Fact, Report, Section

# the template's rows, long imported from here (qa.answer.open_numbers, tests): defined in qa.facts.template
__all__ = ["APPLICATION_ROWS", "ART20_COLUMNS", "ART20_ROWS", "COLUMN_UNITS", "REVIEW_METRICS", "extract_table_facts"]


def extract_table_facts(report: Report, sections: list[Section]) -> list[Fact]:
    """Facts from the 第二十条, application and review/litigation tables of a templated report."""
    page = prepare(report)
    cells = _template_cells(page) or stats_cells(page, 0, len(report.text))
    facts: list[Fact] = []
    for c in cells:
        if c.tok is not None:
            start, end, value = c.tok.start, c.tok.end, c.tok.value
        else:
            start, end, value = c.anchor[0], c.anchor[1], None
        facts.append(make_fact(
            report, sections, metric=c.metric, value=value, start=start, end=end,
            quote_start=c.quote[0], quote_end=c.quote[1], unit=c.unit, scope=c.scope,
            source="table", status=c.status, note=c.note,
        ))
    return facts


def _template_cells(page: Page) -> list[Cell]:
    """The cells of the 2019/2021 template's three tables, each read between its own bounds."""
    n = len(page.text)
    art20 = page.search(r"第二十条第[(（]一[)）]项", 0, n) or page.search(r"第二十条第[(（]", 0, n)
    after20 = art20[1] if art20 else 0
    # the application table starts at its column header; a prose 本年新收 before it is not the row
    header = None
    for pattern in (r"申请人情况", r"勾稽关系"):
        found = page.search(pattern, after20, n)
        if found and (header is None or found[0] < header):
            header = found[0]
    app = page.search(r"本年新收", header if header is not None else after20, n)
    app_lo = n
    if app:
        start = header if header is not None else app[0]
        app_lo = page.line_span(page.line_of(start))[0]
        if app_lo < after20:
            app_lo = start  # one line holds several tables (web-page text): cut at the header itself

    cells: list[Cell] = []
    if art20:
        heading = page.search(r"三、", art20[1], n)  # the next top-level heading ends the 第二十条 tables
        cells += art20_cells(page, art20[0], min(app_lo, heading[0] if heading else n))
    if app:
        review = page.search(r"行政复议", app[1], n)
        app_hi = n
        if review:
            app_hi = page.line_span(page.line_of(review[0]))[0]
            if app_hi < app[1]:
                app_hi = review[0]
        app_cells, app_end = application_cells(page, app_lo, app_hi)
        cells += app_cells
        cells += review_cells(page, max(app_end, app[1]), n)
    return cells
