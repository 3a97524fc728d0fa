"""The sentences prose facts are read from: lines classified, hard-wrapped lines joined, clauses.

Each line of a report is prose, a table row (a label followed by numbers, ``|`` cells, bare
numbers), a page footer, boilerplate or blank; only prose lines make sentences. Sentences split
on 。！？； and paragraph ends, and also where a section starts; lines hard-wrapped by PDF
extraction are joined. A sentence's `Clause` is its compact form (whitespace and footer lines
removed) with each character's offset in the text and the start of the clause holding it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from qa.sections import MAX_SENTENCE
from qa.spans import contains
from qa.types import Report

_SENT_END = set("。!?;！？；")
_CLAUSE_END = set("，,。；;!?！？（(")
_FOOTER_RE = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))")
_NUM_TOKEN = r"-?\d+(?:[.,]\d+)*%?"
_TABLE_ROW_RE = re.compile(rf"^(?P<label>[^，。；;,]*?)(?:\s+|^)(?:{_NUM_TOKEN})(?:\s+{_NUM_TOKEN})*\s*$")
_UNIT_START = "件份条场人元个期次起张篇项家名批部册本页户"


@dataclass
class Clause:
    compact: str  # clause text in the matching view, whitespace and footer lines removed
    pos: list[int]  # pos[i]: original offset of compact[i]
    clause_start: list[int]  # clause_start[i]: where the clause holding compact[i] begins


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _is_table_row(line: str, next_line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if "|" in s:  # a pipe row; not prose quoting a title with a pipe (《我为群众办实事|食用农产品…》)
        return s.startswith("|") or s.endswith("|") or (s.count("|") >= 2 and s.count("。") < 2)
    m = _TABLE_ROW_RE.match(s)
    if not m:
        return False
    if next_line.strip()[:1] and next_line.strip()[:1] in _UNIT_START:
        return False  # a wrapped sentence: "…政府信息 1136" + "条。"
    return True


def _line_kinds(report: Report, view: str, lines: list[tuple[int, int]]) -> list[str]:
    """blank / footer / boiler / table / prose, per line."""
    kinds = []
    for i, (a, b) in enumerate(lines):
        line = view[a:b]
        nxt = view[lines[i + 1][0]:lines[i + 1][1]] if i + 1 < len(lines) else ""
        if not line.strip():
            kinds.append("blank")
        elif _FOOTER_RE.match(line):
            kinds.append("footer")  # before boilerplate: page footers stay transparent
        elif contains(report.boilerplate, a, b):
            kinds.append("boiler")  # a whole line of furniture (inline furniture is blanked)
        elif _is_table_row(line, nxt):
            kinds.append("table")
        else:
            kinds.append("prose")
    return kinds


def sentences(report: Report, view: str, breaks: frozenset = frozenset()) -> list[tuple[int, int]]:
    """Sentence spans in the original text, table rows and boilerplate left out. A sentence also
    ends where a section starts (`breaks`): web pages run headings and tables into the text."""
    text = report.text
    lines = _line_spans(text)
    kinds = _line_kinds(report, view, lines)
    prose_lens = sorted(len(view[a:b].strip()) for (a, b), k in zip(lines, kinds) if k == "prose")
    wrap = prose_lens[int(len(prose_lens) * 0.9)] if prose_lens else 0
    wrapped = 0 < wrap <= 60  # hard-wrapped text (PDF): sentences run across lines

    found: list[tuple[int, int]] = []
    cur: Optional[int] = None

    def close(end: int):
        nonlocal cur
        if cur is not None:
            a, b = cur, end
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                found.append((a, b))
        cur = None

    for i, ((a, b), kind) in enumerate(zip(lines, kinds)):
        if kind == "footer":
            continue  # transparent: a sentence may run across a page footer
        if kind != "prose":
            close(a)
            continue
        line = view[a:b]
        if cur is not None and HEADING_RE.match(line):
            close(a)
        for k in range(a, b):
            if k in breaks:
                close(k)
            if cur is None and not view[k].isspace():
                cur = k
            if view[k] in _SENT_END or (cur is not None and k + 1 - cur >= MAX_SENTENCE):
                close(k + 1)
        stripped = line.strip()
        join = (wrapped and cur is not None and stripped and stripped[-1] not in _SENT_END | set(":：")
                and len(stripped) >= 0.8 * wrap and _continues(view, lines, kinds, i))
        if not join:
            close(b)
    close(len(text))
    return found


def _continues(view: str, lines: list[tuple[int, int]], kinds: list[str], i: int) -> bool:
    """Does a prose line (not a heading) follow line i, footers skipped, for a wrapped line to join?"""
    nxt = next((j for j in range(i + 1, len(lines)) if kinds[j] != "footer"), None)
    return not (nxt is None or kinds[nxt] != "prose" or HEADING_RE.match(view[lines[nxt][0]:lines[nxt][1]]))


def compact_sentence(view: str, a: int, b: int) -> Clause:
    """The sentence view[a:b] without whitespace and page-footer lines, with its clause starts."""
    chars, pos = [], []
    # drop page-footer lines inside a sentence
    skip = set()
    for m in re.finditer(r"\n\s*[-—–]\s*\d+\s*[-—–]\s*(?=\n)", view[a:b]):
        skip.update(range(a + m.start(), a + m.end()))
    starts, clause = [], 0
    for k in range(a, b):
        if k in skip or view[k].isspace():
            continue
        starts.append(clause)  # computed once here: scanning back per number was quadratic
        if view[k] in _CLAUSE_END:
            clause = len(chars) + 1
        chars.append(view[k])
        pos.append(k)
    return Clause("".join(chars), pos, starts)


def blank_inline_boilerplate(report: Report, view: str) -> str:
    """Furniture inside a line (a breadcrumb run together with the body) becomes spaces, so the
    rest of the line stays prose; whole boilerplate lines are left to the line classifier."""
    chars = None
    for s, e in report.boilerplate:
        whole = (s == 0 or view[s - 1] == "\n") and (e >= len(view) or view[e - 1] == "\n" or view[e:e + 1] == "\n")
        if whole:
            continue
        chars = chars if chars is not None else list(view)
        for k in range(s, min(e, len(chars))):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars) if chars is not None else view


def heading_before(view: str, offset: int) -> str:
    """The numbered heading among the six lines before `offset` ('' when there is none)."""
    start = view.rfind("\n", 0, offset)
    for _ in range(6):
        if start <= 0:
            return ""
        prev = view.rfind("\n", 0, start)
        line = view[prev + 1:start].strip()
        start = prev
        if line and HEADING_RE.match(line) and len(line) <= 40:
            return line
    return ""
