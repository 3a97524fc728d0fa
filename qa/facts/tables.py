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
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from qa.facts.common import make_fact
from qa.normalize import matching_view
from qa.types import Fact, Report, Section

# ---------------------------------------------------------------- template structure

APPLICANT_SCOPES = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total"]

# (metric, regex on the compact matching view). Order is the template's row order.
APPLICATION_ROWS: list[tuple[str, str]] = [
    ("applications_received", r"本年新收"),
    ("applications_carried_over", r"上年结转"),
    ("result_public", r"予以公开"),
    ("result_partial", r"部分公开"),
    ("withheld_state_secret", r"国家秘密"),
    ("withheld_law", r"其他法律|法规禁止|行政止公开"),
    ("withheld_security", r"三安全|一稳定"),
    ("withheld_third_party", r"第三方"),
    ("withheld_internal", r"内部事务"),
    ("withheld_process", r"过程性"),
    ("withheld_enforcement", r"执法案[卷件]"),  # 案件 for 案卷: a slip the web copies make
    ("withheld_query", r"查询事项"),
    ("unavailable_not_held", r"不掌握"),
    ("unavailable_needs_creation", r"另行制作|现成信息"),
    ("unavailable_unclear", r"仍不明确|补正后申请"),
    ("unprocessed_petition", r"信访|举报投诉"),
    ("unprocessed_repeat", r"重复申请"),
    ("unprocessed_publication", r"出版物"),
    ("unprocessed_mass", r"大量反复"),
    ("unprocessed_confirm", r"确认或重|重新出具"),
    ("other_processing", r"其他处理"),
    ("other_no_correction", r"逾期不补|不补正"),
    ("other_no_fee", r"缴纳费用|收费通知"),
    ("other_other", r"3[.、,，]其他(?!法律)|其他(?=\d)"),  # the 3. is sometimes dropped: "其他0 0 0 0 0 00"
    ("results_total", r"(?:[(（]七[)）])?总计"),
    ("carried_forward", r"结转下年|下年度继续"),
]
OTHER_SUBROWS = {"other_no_correction", "other_no_fee", "other_other"}
RESULT_ROWS_2019 = [m for m, _ in APPLICATION_ROWS[2:21]]  # 予以公开 … 其他处理

ART20_ROWS: list[tuple[str, str]] = [
    ("regulations", r"规章"),
    ("normative_documents", r"规范性文件"),
    ("admin_licensing", r"行政许可"),
    ("other_admin_services", r"对外管理服务"),
    ("admin_penalty", r"行政处罚"),
    ("admin_enforcement", r"行政强制"),
    ("admin_fees", r"行政事业性收费"),
    ("central_procurement", r"集中采购"),
]
# Column headers of the 第二十条 tables (2019 and 2021 templates), matched left to right.
ART20_COLUMNS = re.compile(
    r"(?P<issued>本年制发)|(?P<repealed>本年废止)|(?P<in_force>现行有效)"
    r"|(?P<new_made>本年新制作)|(?P<new_published>本年新公开)|(?P<total_published>对外公开总数)"
    r"|(?P<new_either>本年新)|(?P<prev_items>上一年项目)|(?P<change>本年增)"
    r"|(?P<decisions>处理决定)|(?P<fee_amount>本年收费金额)|(?P<items>采购项目)|(?P<amount>采购总金额)"
)
COLUMN_UNITS = {
    "issued": "件", "repealed": "件", "in_force": "件",
    "new_made": "件", "new_published": "件", "total_published": "件",
    "prev_items": "项", "change": "项", "decisions": "件", "items": "个",
}

REVIEW_METRICS = [
    "review_upheld", "review_corrected", "review_other", "review_pending", "review_total",
    "litigation_direct_upheld", "litigation_direct_corrected", "litigation_direct_other",
    "litigation_direct_pending", "litigation_direct_total",
    "litigation_after_review_upheld", "litigation_after_review_corrected", "litigation_after_review_other",
    "litigation_after_review_pending", "litigation_after_review_total",
]
REVIEW_GROUP_NAMES = ["行政复议", "未经复议直接起诉", "复议后起诉"]

FOOTER = re.compile(r"^[ \t]*(?:[-—–－][ \t]*\d{1,3}[ \t]*[-—–－]|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[，,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t]*$", re.M)
NUMBER_AT_END = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
NUMBER_FULL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
BAD_BEFORE = set("0123456789.,-/:%") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


# ---------------------------------------------------------------- small data holders

@dataclass
class Tok:
    value: Optional[float]  # None: an empty cell
    start: int  # span of the digits (or of the empty cell) in the text
    end: int
    digits: str = ""


@dataclass
class Group:
    toks: list[Tok]
    start: int
    end: int
    first_line: int
    last_line: int
    vertical: bool  # one cell per line
    lines: set[int] = field(default_factory=set)

    @property
    def pipe_only(self) -> bool:
        return not self.toks


@dataclass
class Hit:
    metric: str
    start: int  # span of the matched key in the text (its first and one past its last character)
    end: int
    line: int


@dataclass
class Page:
    """The table-relevant view of one report: masked text, lines, groups and compact text."""

    text: str
    view: str
    line_starts: list[int]
    groups: list[Group]
    compact: str
    compact_pos: list[int]  # compact index → text offset

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos) - 1

    def line_span(self, line: int) -> tuple[int, int]:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def search(self, pattern: str, lo: int, hi: int) -> Optional[tuple[int, int]]:
        """First match of `pattern` in the compact text between text offsets lo and hi."""
        clo = bisect.bisect_left(self.compact_pos, lo)
        chi = bisect.bisect_left(self.compact_pos, hi)
        m = re.compile(pattern).search(self.compact, clo, chi)
        if not m:
            return None
        return self.compact_pos[m.start()], self.compact_pos[m.end() - 1] + 1

    def groups_in(self, lo: int, hi: int) -> list[Group]:
        return [g for g in self.groups if lo <= g.start < hi]


# ---------------------------------------------------------------- preparation

def _mask(report: Report) -> str:
    view = list(matching_view(report.text))
    spans = list(report.boilerplate)
    spans += [(m.start(), m.end()) for m in FOOTER.finditer(report.text)]
    for s, e in spans:
        for i in range(max(0, s), min(e, len(view))):
            if view[i] != "\n":
                view[i] = " "
    return "".join(view)


def _trailing_numbers(line: str, offset: int) -> tuple[list[Tok], int]:
    """Numbers at the end of a text line (right to left); returns (tokens, offset where they start)."""
    toks: list[Tok] = []
    i = len(line)
    while True:
        j = i
        while j > 0 and line[j - 1] in " \t|":
            j -= 1
        m = NUMBER_AT_END.search(line, 0, j)
        if not m:
            break
        if m.start() > 0 and line[m.start() - 1] in BAD_BEFORE:
            break
        toks.append(_tok(m.group(), offset + m.start()))
        i = m.start()
    toks.reverse()
    return toks, (offset + i)


def _tok(digits: str, start: int) -> Tok:
    return Tok(value=float(digits.replace(",", "")), start=start, end=start + len(digits), digits=digits)


def _pipe_cells(line: str, offset: int) -> Optional[tuple[list[Tok], bool]]:
    """Cells of a '| a | b | c |' row: (trailing value cells, has_text_cell), or None if not such a row."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
        return None
    if not stripped.replace("|", "").strip() and "||" in stripped:
        return None  # '||||': separators of a one-cell-per-line layout, not a row of empty cells
    first = offset + line.index("|")
    cells: list[tuple[str, int]] = []
    pos = first + 1
    for part in stripped[1:-1].split("|"):
        cells.append((part, pos))
        pos += len(part) + 1
    trailing: list[Tok] = []
    has_text = False
    for part, start in reversed(cells):
        content = part.strip()
        if content == "":
            trailing.append(Tok(value=None, start=start, end=start + len(part)))
        elif NUMBER_FULL.fullmatch(content):
            trailing.append(_tok(content, start + part.index(content)))
        else:
            has_text = True
            break
    trailing.reverse()
    return trailing, has_text


def _prepare(report: Report) -> Page:
    text = report.text
    view = _mask(report)
    line_starts = [0] + [m.end() for m in re.finditer("\n", view)]
    groups: list[Group] = []
    number_spans: list[tuple[int, int]] = []
    run: Optional[Group] = None

    def close_run():
        nonlocal run
        if run is not None:
            groups.append(run)
            run = None

    for ln, ls in enumerate(line_starts):
        le = line_starts[ln + 1] - 1 if ln + 1 < len(line_starts) else len(view)
        line = view[ls:le]
        if not line.strip():
            continue  # blank or masked footer: neither breaks nor extends anything
        pipe = _pipe_cells(line, ls)
        if pipe is not None and pipe[0] and (pipe[1] or len(pipe[0]) >= 2):
            toks, _ = pipe
            close_run()
            number_spans += [(t.start, t.end) for t in toks if t.value is not None]
            groups.append(Group(toks, toks[0].start, toks[-1].end, ln, ln, False, {ln}))
            continue
        toks, tstart = _trailing_numbers(line, ls)
        value_only = not line[: tstart - ls].replace("|", "").strip()
        if value_only and len(toks) <= 1:  # one cell per line: part of a vertical run
            if run is None:
                run = Group([], ls, le, ln, ln, True, set())
            run.toks += toks
            run.end = le
            run.last_line = ln
            run.lines.add(ln)
            number_spans += [(t.start, t.end) for t in toks]
            continue
        close_run()
        if toks:
            number_spans += [(t.start, t.end) for t in toks]
            groups.append(Group(toks, toks[0].start, toks[-1].end, ln, ln, False, {ln}))
    close_run()
    for g in groups:
        if g.vertical and g.toks:
            g.start, g.end = g.toks[0].start, g.toks[-1].end

    # compact text: everything but whitespace, pipes and value numbers
    in_number = bytearray(len(view))
    for s, e in number_spans:
        in_number[s:e] = b"\x01" * (e - s)
    compact_chars, compact_pos = [], []
    for i, ch in enumerate(view):
        if in_number[i] or ch.isspace() or ch == "|":
            continue
        compact_chars.append(ch)
        compact_pos.append(i)
    return Page(text, view, line_starts, groups, "".join(compact_chars), compact_pos)


# ---------------------------------------------------------------- rows and alignment

def _find_rows(page: Page, rows: list[tuple[str, str]], lo: int, hi: int) -> list[Hit]:
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


def _align(page: Page, hits: list[Hit], groups: list[Group]) -> dict[int, Optional[Group]]:
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


# ---------------------------------------------------------------- glued digits

def _cuts(digits: str, k: int) -> list[list[tuple[str, int]]]:
    """Ways to cut a digit string (an optional leading sign kept on the first part) into exactly
    k numbers without leading zeros: [(part, offset)]. Bounded by C(len-1, k-1), never all 2^len."""
    out: list[list[tuple[str, int]]] = []
    sign = 1 if digits[:1] in "+-" else 0

    def rec(i: int, left: int, acc: list[tuple[str, int]]):
        if len(out) > SPLIT_LIMIT:
            return
        if left == 1:
            part = digits[i:]
            body = part[1:] if i == 0 and sign else part
            if body and not (len(body) > 1 and body[0] == "0"):
                out.append(acc + [(part, i)])
            return
        first = i + (sign if i == 0 else 0)
        for j in range(first + 1, len(digits) - left + 2):
            body = digits[first:j]
            if len(body) > 1 and body[0] == "0":
                break
            rec(j, left - 1, acc + [(digits[i:j], i)])

    if 0 < k <= len(digits) - sign:
        rec(0, k, [])
    return out


SPLIT_LIMIT = 20000  # candidate splits examined per row; more means the row is left unparsed


def _split_candidates(toks: list[Tok], width: int, check: Callable[[list[float]], bool],
                      keep: int = 2) -> tuple[int, list[list[Tok]], list[list[Tok]], bool]:
    """(number of splits into `width` cells, the first `keep` of them, the first `keep` that pass
    `check`, whether the search gave up)."""
    splits: list[list[Tok]] = []
    solutions: list[list[Tok]] = []
    tried = valid = 0

    def rec(i: int, acc: list[Tok]) -> None:
        nonlocal tried, valid
        if tried > SPLIT_LIMIT:
            return
        if i == len(toks):
            tried += 1
            if len(acc) != width:
                return
            valid += 1
            if len(splits) < keep:
                splits.append(list(acc))
            if len(solutions) < keep and check([t.value for t in acc]):
                solutions.append(list(acc))
            return
        rest = len(toks) - i - 1  # each later token gives at least one cell
        digits = toks[i].digits
        for k in range(1, min(width - len(acc) - rest, len(digits)) + 1):
            for parts in _cuts(digits, k):
                cells = [Tok(float(p), toks[i].start + off, toks[i].start + off + len(p), p) for p, off in parts]
                rec(i + 1, acc + cells)

    rec(0, [])
    return valid, splits, solutions, tried > SPLIT_LIMIT


def _unglue(toks: list[Tok], width: int, check: Callable[[list[float]], bool]) -> tuple[Optional[list[Tok]], str]:
    """Split glued tokens into `width` cells: (cells, note) when the digits allow one split only,
    or exactly one passes `check`; else (None, why)."""
    if any(t.value is None or not t.digits.lstrip("+-").isdigit() for t in toks):
        return None, "cells could not be read"
    if sum(len(t.digits) for t in toks) > 24:
        return None, "too many glued digits to split"
    valid, splits, solutions, gave_up = _split_candidates(toks, width, check)
    if gave_up:
        return None, "too many ways to split the glued digits"
    if valid == 1:
        return splits[0], "run-together digits: the only split into the row's cells"
    if len(solutions) == 1:
        return solutions[0], ""
    if not solutions:
        return None, f"{len(toks)} numbers where {width} cells are expected; no split of the digits matches the table's totals"
    return None, f"{len(toks)} numbers where {width} cells are expected; the digits split in more than one way that matches the totals"


def _row_total_ok(values: list[float]) -> bool:
    return abs(sum(values[:-1]) - values[-1]) < 1e-6


def _review_ok(values: list[float]) -> bool:
    return all(_row_total_ok(values[i:i + 5]) for i in (0, 5, 10))


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


def _row_quote(page: Page, hit: Hit, group: Optional[Group]) -> tuple[int, int]:
    ls, le = page.line_span(hit.line)
    if group is None or group.pipe_only:
        return ls, le
    gs, _ = page.line_span(group.first_line)
    _, ge = page.line_span(group.last_line)
    return min(ls, gs), max(le, ge)


def _row_cells(page: Page, hit: Hit, group: Optional[Group], scopes: list[str], units: list[Optional[str]],
               check: Optional[Callable[[list[float]], bool]],
               quote: Optional[tuple[int, int]] = None) -> list[Cell]:
    quote = quote or _row_quote(page, hit, group)
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
        toks, why = _unglue(toks, width, check)
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


def _flag(cells: list[Cell], note: str) -> None:
    for c in cells:
        if c.tok is not None:
            c.status = "inconsistent"
            c.note = (c.note + "; " if c.note else "") + note


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


# ---------------------------------------------------------------- run-together rows (web pages)
# Web-page copies print a whole table on one line, cells run together with their labels:
# "规章000行政规范性文件303", "本年新收政府信息公开申请数量0 0 0 0 0 00", "…总计000000000000000".
# A row's numbers are then the first run of numbers after its label and before the next row's
# label; the next row's enumerator ("…00000002.其他法律") is not a cell.

RUN = re.compile(r"[+\-]?\d+(?:\.\d+)?(?:(?:[ \t\u3000\xa0]*[+\-]|[ \t\u3000\xa0]+)\d+(?:\.\d+)?)*")
RUN_NUMBER = re.compile(r"[+\-]?\d+(?:\.\d+)?")
FIRST_DIGIT = re.compile(r"[+\-]?\d")
PAREN = re.compile(r"[（(][^（()）]*[）)]")
NOT_A_CELL_AFTER = set("年月日号%％")
COUNT_UNITS = set("件条个份项次笔人场期篇")


def _inline_run(page: Page, start: int, stop: int) -> Optional[Group]:
    """The numbers of a run-together row whose label ends at `start`; the next label starts at
    `stop`. An empty group: nothing stated; None: a number in a sentence, not a cell."""
    view = page.view
    first = FIRST_DIGIT.search(view, start, stop)
    line = page.line_of(start)
    if not first:
        return Group([], start, start, line, line, False, {line})
    if re.search(r"[，。；;,]", PAREN.sub("", view[start:first.start()])):
        return None  # a sentence between label and number: prose, not this row's cells
    run = RUN.match(view, first.start(), stop)
    toks = [_tok(m.group(), run.start() + m.start()) for m in RUN_NUMBER.finditer(run.group())]
    after = view[run.end():run.end() + 2]
    if after[:1] in COUNT_UNITS:
        return None  # "申请21件": a count in a sentence, not a cell
    if after[:1] in (".", "、", "．") and not after[1:2].isdigit():
        last = toks.pop()  # "00000002.其他法律": the 2 numbers the next row
        if len(last.digits) > 1:
            toks.append(_tok(last.digits[:-1], last.start))
    elif after[:1] in NOT_A_CELL_AFTER:
        last = toks.pop()  # "7816 2021年": a date, not a cell
        if after[:1] == "年" and len(last.digits) > 4 and re.fullmatch(r"(?:19|20)\d\d", last.digits[-4:]):
            toks.append(_tok(last.digits[:-4], last.start))  # "…20000022025年": a year glued to the cells
    if not toks:
        return Group([], start, start, line, line, False, {line})
    return Group(toks, toks[0].start, toks[-1].end, line, page.line_of(toks[-1].end), False, {line})


def _inline_rows(page: Page, hits: list[Hit], hi: int) -> tuple[dict[int, Optional[Group]], dict[int, tuple[int, int]]]:
    """Each row's run-together numbers and its quote (label through numbers)."""
    groups: dict[int, Optional[Group]] = {}
    quotes: dict[int, tuple[int, int]] = {}
    prev_end = -1
    for i, hit in enumerate(hits):
        stop = hits[i + 1].start if i + 1 < len(hits) else hi
        group = _inline_run(page, hit.end, stop)
        groups[i] = group
        qs = prev_end if 0 <= hit.start - prev_end <= 40 else hit.start
        qe = group.end if group is not None and group.toks else hit.end
        while qs < hit.start and page.text[qs] in " \t\u3000":
            qs += 1
        quotes[i] = (qs, qe)
        prev_end = qe
    return groups, quotes


def _is_inline(page: Page, hits: list[Hit]) -> bool:
    """Several rows of the table on one line: the run-together layout."""
    lines = [h.line for h in hits]
    return len(hits) >= 2 and len(set(lines)) * 2 <= len(lines)


def _any_cell(toks: list[float]) -> bool:
    return True  # no arithmetic ties these cells together: only the digit count can make a split unique


# ---------------------------------------------------------------- the statistics table of older reports
# 2009–2018 reports end with a 政府信息公开情况统计表: "指标名称 计量单位 2012年度 历年累计
# 主动公开信息数 条 19 33 其中：1、网站公开 条 19 33 …", on web pages often run together
# ("主动公开信息数条2626其中：1、网站公开条26262、政府公报公开条00"). A 历年累计 column is the running
# total (scope "cumulative"); glued digits are split only when their count leaves one way.

STATS_ROWS: list[tuple[str, str]] = [  # (regex on the row label, metric); the first match wins
    (r"同意部分公开", "result_partial"),
    (r"同意公开", "result_public"),
    (r"(?:否决|不予)公开答复", "withheld_total"),
    (r"其他类型答复", "result_other"),
    (r"答复(?:总)?数", "results_total"),
    (r"网站公开", "proactive_website"),
    (r"公报公开", "proactive_gazette"),
    (r"主动公开(?:政府)?(?:信息|文件)数", "proactive_disclosures"),
    (r"正式受理.*申请|受理.*申请.*总数|申请总数", "applications_received"),
    (r"^[、.．]?办结$", "results_total"),
    (r"同意提供", "result_public"),
    (r"拒绝提供", "withheld_total"),
    (r"信息不存在", "unavailable_not_held"),
    (r"咨询数", "consultations"),
    (r"当面申请", "applications_in_person"),
    (r"信函、?传真申请", "applications_letter_fax"),
    (r"传真申请", "applications_fax"),
    (r"电子邮件申请", "applications_email"),
    (r"(?:网上|网络)申请", "applications_online"),
    (r"信函申请", "applications_letter"),
    (r"其[他它]形式申请", "applications_other_channel"),
    (r"行政复[议试]数", "review_total"),  # 复试: a typo the Pingtan tables repeat for 复议
    (r"行政诉讼数", "litigation_total"),
    (r"申诉", "complaints"),
]
STATS_ROW = re.compile(r"(?P<label>[^\d\s|]{2,40}?)[ \t]*(?P<unit>条|件)[ \t]*(?=[+\-]?\d)")
STATS_END = re.compile(r"附件下载")


def _stats_metric(label: str) -> Optional[str]:
    for pattern, metric in STATS_ROWS:
        if re.search(pattern, label):
            return metric
    return None


def _stats_cells(page: Page, lo: int, hi: int) -> list[Cell]:
    view = page.view
    head = page.search(r"指标名称", lo, hi)
    if not head:
        return []
    end = STATS_END.search(view, head[1], hi)
    hi = end.start() if end else hi
    first = STATS_ROW.search(view, head[1], hi)
    if not first:
        return []
    header = re.sub(r"\s", "", view[head[0]:first.end("unit")])
    scopes = ["", "cumulative"] if "累计" in header else [""]
    cells: list[Cell] = []
    pos = head[1]
    while True:
        m = STATS_ROW.search(view, pos, hi)
        if not m:
            break
        run = _inline_run(page, m.end(), hi)
        pos = (run.end if run is not None and run.toks else m.end()) + 0
        if pos <= m.start():
            pos = m.end()
        metric = _stats_metric(re.sub(r"\s", "", m.group("label")))
        if metric is None:
            continue
        hit = Hit(metric, m.start("label"), m.end("label"), page.line_of(m.start()))
        quote = (m.start("label"), run.end if run is not None and run.toks else m.end())
        units = [m.group("unit")] * len(scopes)
        cells += _row_cells(page, hit, run, scopes, units, _any_cell, quote)
    _check_stats(cells, scopes)
    return cells


# A total of the statistics table and the rows it is the sum of ("其中：1.… 2.…").
STATS_PARTS = {
    "applications_received": ["applications_in_person", "applications_fax", "applications_email",
                              "applications_online", "applications_letter", "applications_letter_fax",
                              "applications_other_channel"],
    "results_total": ["result_public", "result_partial", "withheld_total", "result_other"],
}


def _check_stats(cells: list[Cell], scopes: list[str]) -> None:
    """Flag (never fix) totals that are not the sum of their parts, and years above the running total."""
    by_key = {(c.metric, c.scope): c for c in cells}

    def value(metric: str, scope: str) -> Optional[float]:
        c = by_key.get((metric, scope))
        return c.tok.value if c is not None and c.tok is not None else None

    for total, parts in STATS_PARTS.items():
        for scope in scopes:
            t = value(total, scope)
            vals = [value(p, scope) for p in parts if (p, scope) in by_key]
            if t is not None and vals and None not in vals and abs(sum(vals) - t) > 1e-6:
                label = "历年累计" if scope else "本年"
                _flag([by_key[(total, scope)]] + [by_key[(p, scope)] for p in parts if (p, scope) in by_key],
                      f"{label} total {_fmt(t)} ≠ sum of its parts {_fmt(sum(vals))}")
    if "cumulative" in scopes:
        for (metric, scope), c in by_key.items():
            year, running = value(metric, ""), value(metric, "cumulative")
            if scope == "" and year is not None and running is not None and year > running:
                _flag([c, by_key[(metric, "cumulative")]], f"this year {_fmt(year)} > 历年累计 {_fmt(running)}")


# ---------------------------------------------------------------- the three tables

def _art20_cells(page: Page, lo: int, hi: int) -> list[Cell]:
    hits = _find_rows(page, ART20_ROWS, lo, hi)
    if not hits:
        return []
    inline = _is_inline(page, hits)
    quotes: dict[int, tuple[int, int]] = {}
    if inline:
        aligned, quotes = _inline_rows(page, hits, hi)
        if not any(g is not None and g.toks for g in aligned.values()):
            return []
    else:
        aligned = _align(page, hits, page.groups_in(lo, hi))
        if not any(g is not None and (g.pipe_only or len(g.toks) == len(_art20_header(page, hits, i, lo)[0]))
                   for i, g in aligned.items()):
            return []  # no row with a full set of cells: prose, not a table
    cells: list[Cell] = []
    for i, hit in enumerate(hits):
        columns, unit = _art20_header(page, hits, i, lo)
        if not columns:
            quote = _row_quote(page, hit, None)
            cells.append(Cell(hit.metric, "", None, None, quote, "unparsed", "column header not recognised",
                              (hit.start, hit.end)))
            continue
        units = [unit if c == "amount" else COLUMN_UNITS.get(c) for c in columns]
        cells += _row_cells(page, hit, aligned.get(i), columns, units, _any_cell if inline else None, quotes.get(i))
    return cells


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
        m = re.search(r"单位[:：]?(万元|亿元|元)", header)
        unit = m.group(1) if m else ""  # the 2019 template does not state the unit
    return cols, unit


def _application_cells(page: Page, lo: int, hi: int) -> tuple[list[Cell], int]:
    hits = _find_rows(page, APPLICATION_ROWS, lo, hi)
    if not hits or hits[0].metric != "applications_received":
        return [], lo
    metrics = {h.metric for h in hits}
    if metrics & OTHER_SUBROWS:  # 2021 template: （六）其他处理 is only a heading over its sub-rows
        hits = [h for h in hits if h.metric != "other_processing"]
    quotes: dict[int, tuple[int, int]] = {}
    if _is_inline(page, hits):
        aligned, quotes = _inline_rows(page, hits, hi)
        if sum(1 for g in aligned.values() if g is not None and g.toks) * 2 < len(hits):
            return [], lo  # most rows without numbers: prose naming the rows, not a table
    else:
        aligned = _align(page, hits, page.groups_in(lo, hi))
        if not any(g is not None and (g.pipe_only or len(g.toks) == 7) for g in aligned.values()):
            return [], lo  # no row with a full set of cells: prose, not a table
    rows: dict[str, list[Cell]] = {}
    for i, hit in enumerate(hits):
        cells = _row_cells(page, hit, aligned.get(i), APPLICANT_SCOPES, [None] * 7, _row_total_ok, quotes.get(i))
        vals = [c.tok.value if c.tok is not None and c.status == "ok" else None for c in cells]
        if None not in vals and not _row_total_ok(vals):
            _flag(cells, f"总计 {_fmt(vals[-1])} ≠ sum of the applicant columns {_fmt(sum(vals[:-1]))}")
        rows[hit.metric] = cells
    _resolve_by_columns(rows, hits, aligned)
    _check_columns(rows)
    end = max((c.quote[1] for cells in rows.values() for c in cells), default=lo)
    return [c for cells in rows.values() for c in cells], end


def _column_checks(rows: dict[str, list[Cell]], metric: str, vals: list[float]) -> Optional[bool]:
    """Do the column sums hold with `vals` as the row `metric`? None: no sum could be checked."""
    def value(m: str, k: int) -> Optional[float]:
        if m == metric:
            return vals[k]
        cells = rows.get(m)
        return cells[k].tok.value if cells and cells[k].tok is not None and cells[k].status == "ok" else None

    result_rows = [m for m in RESULT_ROWS_2019 if m in rows] + [m for m in OTHER_SUBROWS if m in rows]
    balance = ("applications_received", "applications_carried_over", "results_total", "carried_forward")
    checked = False
    for k in range(len(APPLICANT_SCOPES)):
        if metric in result_rows or metric == "results_total":
            parts, total = [value(m, k) for m in result_rows], value("results_total", k)
            if total is not None and None not in parts:
                checked = True
                if abs(sum(parts) - total) > 1e-6:
                    return False
        if metric in balance:
            four = [value(m, k) for m in balance]
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
        _, _, options, gave_up = _split_candidates(group.toks, len(APPLICANT_SCOPES), _row_total_ok, keep=50)
        fitting = [o for o in options if _column_checks(rows, hit.metric, [t.value for t in o])]
        if gave_up or len(options) >= 50 or len(fitting) != 1:
            continue
        rows[hit.metric] = [Cell(hit.metric, scope, tok, None, cells[0].quote, "ok",
                                 "glued digits split using the row and column totals")
                            for scope, tok in zip(APPLICANT_SCOPES, fitting[0])]


def _check_columns(rows: dict[str, list[Cell]]) -> None:
    def value(metric: str, k: int) -> Optional[float]:
        cells = rows.get(metric)
        if not cells or cells[k].tok is None:
            return None
        return cells[k].tok.value

    result_rows = [m for m in RESULT_ROWS_2019 if m in rows] + [m for m in OTHER_SUBROWS if m in rows]
    for k, scope in enumerate(APPLICANT_SCOPES):
        parts = [value(m, k) for m in result_rows]
        total = value("results_total", k)
        if total is not None and parts and None not in parts and abs(sum(parts) - total) > 1e-6:
            _flag([rows["results_total"][k]],
                  f"（七）总计 {_fmt(total)} ≠ sum of the result rows {_fmt(sum(parts))} ({scope})")
        four = [value(m, k) for m in ("applications_received", "applications_carried_over", "results_total", "carried_forward")]
        if None not in four and abs(four[0] + four[1] - four[2] - four[3]) > 1e-6:
            note = (f"一+二 ({_fmt(four[0])}+{_fmt(four[1])}) ≠ 三+四 ({_fmt(four[2])}+{_fmt(four[3])}) "
                    f"in column {scope}")
            _flag([rows[m][k] for m in ("applications_received", "applications_carried_over", "results_total",
                                        "carried_forward")], note)


def _review_cells(page: Page, lo: int, hi: int) -> list[Cell]:
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
        run = _inline_run(page, header_end, end)
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
        toks, why = _unglue(toks, 15, _review_ok)
        if toks is None:
            return unparsed(why)
        note = why or "glued digits split using the totals"
    cells = [Cell(m, "", t if t.value is not None else None, None, quote,
                  "ok" if t.value is not None else "unparsed",
                  note if t.value is not None else "cell left empty in the report (not stated)", (t.start, t.end))
             for m, t in zip(REVIEW_METRICS, toks)]
    for k, name in enumerate(REVIEW_GROUP_NAMES):
        part = cells[5 * k: 5 * k + 5]
        if all(c.tok is not None for c in part):
            vals = [c.tok.value for c in part]
            if not _row_total_ok(vals):
                _flag(part, f"{name}总计 {_fmt(vals[4])} ≠ 维持+纠正+其他+尚未审结 = {_fmt(sum(vals[:4]))}")
    return cells


# ---------------------------------------------------------------- entry point

def extract_table_facts(report: Report, sections: list[Section]) -> list[Fact]:
    """Facts from the 第二十条, application and review/litigation tables of a templated report."""
    page = _prepare(report)
    n = len(report.text)
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
        cells += _art20_cells(page, art20[0], min(app_lo, heading[0] if heading else n))
    app_end = app_lo
    if app:
        review = page.search(r"行政复议", app[1], n)
        app_hi = n
        if review:
            app_hi = page.line_span(page.line_of(review[0]))[0]
            if app_hi < app[1]:
                app_hi = review[0]
        app_cells, app_end = _application_cells(page, app_lo, app_hi)
        cells += app_cells
        cells += _review_cells(page, max(app_end, app[1]), n)

    if not cells:
        cells += _stats_cells(page, 0, n)
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
