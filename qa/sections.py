"""Headings → sections with canonical kinds; sections → chunks that never cross a boundary.

Headings are 一、 (level 1), （一） (level 2), or — in reports with no numbered headings, like
encyclopedia copies — short standalone lines. Table rows of the 2019/2021 templates look like
headings ("三、本年度办理结果", "（一）予以公开"), so numbered headings must come in sequence and
must not read like a table row.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Optional

from qa.normalize import matching_view
from qa.spans import contains, covers, starts_between
from qa.types import Chunk, Report, Section, SectionKind

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
LEVEL1 = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.]\s*(\S.*)$")
LEVEL2 = re.compile(r"^[(]\s*([一二三四五六七八九十]{1,3})\s*[)]\s*(\S.*)$")
TABLE_ROW_WORDS = re.compile(
    r"本年新收|上年结转|本年度办理结果|结转下年度|予以公开$|部分公开|^不予公开$|^无法提供$|^不予处理$"
    r"|^其他处理|^总计$"
)
KIND_RULES: list[tuple[SectionKind, re.Pattern]] = [
    (SectionKind.problems, re.compile(r"问题|改进|不足|打算|下一步")),
    (SectionKind.review, re.compile(r"复议|诉讼|申诉")),
    (SectionKind.fees, re.compile(r"收费|减免")),
    (SectionKind.staff, re.compile(r"工作人员|事务支出")),
    (SectionKind.applications, re.compile(r"依申请|收到和处理|申请公开|不予公开|咨询")),
    (SectionKind.proactive, re.compile(r"主动公开|主动发布")),
    (SectionKind.overview, re.compile(r"概述|总体情况|基本情况|概况")),
]


def cn_number(s: str) -> int:
    if s == "十":
        return 10
    if len(s) == 2 and s[0] == "十":
        return 10 + CN_DIGITS[s[1]]
    if len(s) >= 2 and s[1] == "十":
        return CN_DIGITS[s[0]] * 10 + (CN_DIGITS[s[2]] if len(s) == 3 else 0)
    return CN_DIGITS.get(s, 0)


def classify(title: str) -> SectionKind:
    for kind, pattern in KIND_RULES:
        if pattern.search(title):
            return kind
    return SectionKind.other


def _heading_title(rest: str) -> Optional[str]:
    """The title part of a heading line, or None when the line is a table row or body text."""
    rest = rest.strip()
    if rest.endswith("|") or re.search(r"\d\s+\d", rest) or re.search(r"\d\s*$", rest):
        return None
    cut = re.search(r"[。:：]", rest)
    title = rest[: cut.start()] if cut else rest
    if not title or len(title) > 40 or TABLE_ROW_WORDS.search(title):
        return None
    return title


def _body_lines(report: Report, view: str):
    """(offset, stripped line, blank line before?, inline?) for lines outside boilerplate. A web page
    copied as one long line is cut before each numbered heading inside it ("…。二、主动公开…")."""
    offset, blank_before = 0, True
    for line in view.split("\n"):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        end = offset + len(line)
        in_boiler = contains(report.boilerplate, offset + lead, end)
        if stripped and not in_boiler:
            if len(line) > LONG_LINE:
                yield from _inline_pieces(report, line, offset, blank_before)
            else:
                yield offset + lead, stripped, blank_before, False
        blank_before = not stripped
        offset += len(line) + 1


LONG_LINE = 400  # a "line" this long is a web page's whole body, not a line of a document
INLINE_MARK = re.compile(r"[一二三四五六七八九十]{1,3}\s*[、.]|[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]")
NOT_INLINE_BEFORE = set("第一二三四五六七八九十")  # "第二十条第（一）项", "三三、": not headings
INLINE_TITLE = re.compile(r"^(.{0,30}?(?:情况|概述|概况|措施|事项|问题|附表|统计表))")


def _inline_pieces(report: Report, line: str, offset: int, blank_before: bool):
    cuts = [0] + [m.start() for m in INLINE_MARK.finditer(line)
                  if m.start() > 0 and line[m.start() - 1] not in NOT_INLINE_BEFORE]
    for a, b in zip(cuts, cuts[1:] + [len(line)]):
        piece = line[a:b]
        lead = len(piece) - len(piece.lstrip())
        start = offset + a + lead
        if piece.strip() and not covers(report.boilerplate, start):
            yield start, piece.strip(), blank_before if a == 0 else True, a > 0


def _inline_title(rest: str) -> Optional[str]:
    """The title of a heading run together with its text: up to a word that ends titles
    ("…情况", "…措施"), else up to the first space, digit or punctuation."""
    title = re.split(r"[\s\d。，,:：；;(（<]", rest, maxsplit=1)[0]
    m = INLINE_TITLE.match(title)
    title = m.group(1) if m else title
    if not title or len(title) > 30 or TABLE_ROW_WORDS.search(title):
        return None
    return title


def find_headings(report: Report, view: str) -> list[dict]:
    """Heading candidates with number, level, title span, kind."""
    lines = list(_body_lines(report, view))
    headings: list[dict] = []
    last1, last2 = 0, 0
    for offset, line, _, inline in lines:
        m1, m2 = LEVEL1.match(line), LEVEL2.match(line)
        title_of = _inline_title if inline else _heading_title
        if m1 and cn_number(m1.group(1)) == last1 + 1:
            title = title_of(m1.group(2))
            if title is not None:
                last1, last2 = last1 + 1, 0
                headings.append(_heading(report, offset, line, title, m1.group(2), 1, m1.group(1)))
        elif m2 and cn_number(m2.group(1)) == last2 + 1 and last1 > 0:
            title = title_of(m2.group(2))
            if title is not None:
                last2 += 1
                headings.append(_heading(report, offset, line, title, m2.group(2), 2, m2.group(1)))
    if not any(h["level"] == 1 for h in headings):
        headings = _unnumbered_headings(report, lines)
    return headings


def _heading(report: Report, offset: int, line: str, title: str, rest: str, level: int, num: str) -> dict:
    title_start = offset + line.index(rest)
    number_text = report.text[offset:title_start].strip()
    return {
        "start": offset,
        "level": level,
        "number": num if level == 1 else f"（{num}）",
        "label": number_text + report.text[title_start : title_start + len(title)],
        "title": report.text[title_start : title_start + len(title)],
        "kind": classify(title),
    }


def _unnumbered_headings(report: Report, lines) -> list[dict]:
    """Short standalone lines (no sentence punctuation, no digits) after a blank line."""
    out = []
    for offset, line, blank_before, _ in lines:
        if offset < 10 or not blank_before or len(line) > 20:
            continue
        if re.search(r"[。，,；;：:！？!?\d]", line):
            continue
        kind = classify(line)
        title = report.text[offset : offset + len(line)]
        level = 1 if kind is not SectionKind.other or not out else 2
        out.append({"start": offset, "level": level, "number": "", "label": title, "title": title, "kind": kind})
    return out


def split_sections(report: Report, view: Optional[str] = None) -> list[Section]:
    """Sections covering the whole text; text before the first heading is a level-0 section."""
    view = view if view is not None else matching_view(report.text)
    headings = find_headings(report, view)
    sections: list[Section] = []
    first = headings[0]["start"] if headings else len(report.text)
    if first > 0:
        sections.append(
            Section(report_id=report.id, index=0, title=report.title or "", path=report.title or "(开头)",
                    kind=SectionKind.other, level=0, start=0, end=first)
        )
    parent: Optional[dict] = None
    for i, h in enumerate(headings):
        end = headings[i + 1]["start"] if i + 1 < len(headings) else len(report.text)
        if h["level"] == 1:
            parent = h
            kind, path = h["kind"], h["label"]
        else:
            # A sub-heading that names its own topic ("（二）依申请公开情况") keeps it; others inherit.
            own = h["kind"]
            kind = own if own is not SectionKind.other else (parent["kind"] if parent else own)
            path = f"{parent['label']} > {h['label']}" if parent else h["label"]
        sections.append(
            Section(report_id=report.id, index=len(sections), number=h["number"], title=h["title"], path=path,
                    kind=kind, level=h["level"], start=h["start"], end=end)
        )
    return sections


SENTENCE_PUNCT = re.compile(r"[。；;！!？?]")
# A run this long without a sentence end is cut (preferably after a comma or space in its last
# 200 characters), so no chunk or sentence is longer: the longest real sentence in the corpus
# is ~1,300 characters, a hostile single-line file would otherwise be one 200k-character chunk.
MAX_SENTENCE = 2000
SOFT_BREAK = "，,、 \t"
LINE_END_PUNCT = "。；;！!？?:：|"
STARTS_BLOCK = re.compile(r"\s*(?:[一二三四五六七八九十]+\s*[、.]|[(（][一二三四五六七八九十]+[)）]|\d+[.、．]|-\s*\d+\s*-)")


def sentence_spans(text: str, start: int, end: int, skip: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentences of text[start:end]. A line break ends a sentence only where a human would see one:
    after end punctuation, after a short line (heading, table row), before a numbered item or
    footer, or at a blank line — PDF text breaks lines in mid-sentence. Spans in `skip`
    (boilerplate) end a sentence and are left out."""
    if skip:
        out, s = [], start
        # spans in text order (as meta makes them): start at the last one beginning before `start`
        for bs, be in skip[max(0, bisect_left(skip, (start,)) - 1):]:
            if bs >= end:
                break
            if be <= s:
                continue
            out += sentence_spans(text, s, max(s, bs))
            s = max(s, be)
        return out + (sentence_spans(text, s, end) if s < end else [])
    spans, s = [], start
    i = start
    while i < end:
        ch = text[i]
        boundary = bool(SENTENCE_PUNCT.match(ch))
        if ch == "\n":
            line_start = text.rfind("\n", start, i) + 1
            line = text[max(line_start, start):i].strip()
            nxt = text[i + 1 : min(end, i + 40)]
            boundary = (not line or line[-1] in LINE_END_PUNCT or len(line) < 20
                        or not nxt.strip() or nxt.startswith("\n") or bool(STARTS_BLOCK.match(nxt)))
        if not boundary and i + 1 - s >= MAX_SENTENCE - 200:
            boundary = ch in SOFT_BREAK or i + 1 - s >= MAX_SENTENCE
        if boundary:
            if i + 1 > s:
                spans.append((s, i + 1))
            s = i + 1
        i += 1
    if s < end:
        spans.append((s, end))
    return spans


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def chunk_sections(report: Report, sections: list[Section], target: int = 300) -> list[Chunk]:
    """Chunks of about `target` characters, split on sentence ends, never across sections."""
    chunks: list[Chunk] = []
    text = report.text
    for section in sections:
        pieces = sentence_spans(text, section.start, section.end, report.boilerplate)
        group: list[tuple[int, int]] = []
        size = n = 0
        for s, e in pieces + [(-1, -1)]:
            # a chunk never reaches over boilerplate (page footers, web furniture) between sentences
            gap = bool(group) and s >= 0 and starts_between(report.boilerplate, group[-1][1], s)
            flush = s < 0 or gap or (group and size + (e - s) > target * 1.3)
            if flush and group:
                cs, ce = _strip_span(text, group[0][0], group[-1][1])
                if ce > cs:
                    chunks.append(
                        Chunk(id=f"{report.id}:{section.index}:{n}", report_id=report.id,
                              section_index=section.index, section_path=section.path,
                              section_kind=section.kind, text=text[cs:ce], start=cs, end=ce)
                    )
                    n += 1
                group, size = [], 0
            if s >= 0:
                group.append((s, e))
                size += e - s
    return chunks
