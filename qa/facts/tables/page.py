"""The page layer: masked text, number tokens, value groups and the compact text of a report.

Steps 1 and 2 of the method (see `qa.facts.tables`): footers and boilerplate are blanked, each line
is classified, and its numbers become `Tok`s grouped into horizontal or vertical `Group`s; the
compact text (no whitespace, pipes or value numbers) is what row labels are searched in.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional

from qa.normalize import matching_view
from qa.types import Report


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
        toks.append(number_tok(m.group(), offset + m.start()))
        i = m.start()
    toks.reverse()
    return toks, (offset + i)


def number_tok(digits: str, start: int) -> Tok:
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
            trailing.append(number_tok(content, start + part.index(content)))
        else:
            has_text = True
            break
    trailing.reverse()
    return trailing, has_text


def prepare(report: Report) -> Page:
    """The report's `Page`: masked view, lines, value groups and compact text."""
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

    compact, compact_pos = _compact(view, number_spans)
    return Page(text, view, line_starts, groups, compact, compact_pos)


def _compact(view: str, number_spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """The compact text (everything but whitespace, pipes and value numbers) and each of its
    characters' offset in the text."""
    in_number = bytearray(len(view))
    for s, e in number_spans:
        in_number[s:e] = b"\x01" * (e - s)
    compact_chars, compact_pos = [], []
    for i, ch in enumerate(view):
        if in_number[i] or ch.isspace() or ch == "|":
            continue
        compact_chars.append(ch)
        compact_pos.append(i)
    return "".join(compact_chars), compact_pos
