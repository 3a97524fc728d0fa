"""Word (.docx) → report text: paragraphs and tables in document order, tables as pipe rows.

The body's block items are walked in order (paragraphs, tables, content controls), so a table
sits between the paragraphs around it — not after all of them, as ``doc.paragraphs`` then
``doc.tables`` would put it. Tables are written like the pipe rows of the official blank
template's text (/work/shared/corpus/template/template_2021_revised.txt), which this module
reproduces from template_2021_revised.docx:

* one line per row, ``| cell | cell |``; an empty cell (or one of only full-width spaces) is ``|  |``;
* a vertically merged cell (``w:vMerge``) repeats its text on every row it covers, so every row
  carries its own labels;
* a horizontally merged cell (``w:gridSpan``, legacy ``w:hMerge``) is written once per row —
  the template's ``行政许可`` value cell spans three grid columns but holds one number;
* text inside a cell is joined with single spaces (``商业\\n企业`` → ``商业 企业``); ``|`` → ``｜``.

A table holding another table, or with a single column, is a frame: its paragraphs are written as
ordinary lines. Automatic list numbering (``w:numPr``, direct or from the paragraph style) is
written out (``一、`` ``（一）`` ``1.``), since headings and row labels often get their numbers
that way (`qa.read.docx_numbering`). Deleted revisions, text boxes, headers and footers are left out.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Optional

from qa.read.docx_numbering import Numbering, format_number, q, to_int
from qa.read.text import text_too_long

__all__ = ["docx_text", "format_number"]  # format_number: defined in docx_numbering, imported from here

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

P, TBL, TR, TC, SDT, SDT_CONTENT = q("p"), q("tbl"), q("tr"), q("tc"), q("sdt"), q("sdtContent")
SKIP_IN_RUNS = {q("del"), q("delText"), q("txbxContent"), q("pPr"), q("rPr"), q("instrText"),
                q("footnoteReference"), q("endnoteReference"), f"{{{MC}}}Fallback", q("moveFrom")}


# ---------------------------------------------------------------- text

def _run_text(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP_IN_RUNS:
            continue
        if tag == q("t"):
            out.append(child.text or "")
        elif tag == q("tab") or tag == q("ptab"):
            out.append("\t")
        elif tag == q("br") or tag == q("cr"):
            if child.get(q("type")) not in ("page", "column"):
                out.append("\n")
        elif tag == q("noBreakHyphen"):
            out.append("-")
        elif tag == q("softHyphen"):
            continue
        else:
            _run_text(child, out)


def _paragraph(p, numbering: Numbering) -> str:
    parts: list[str] = [numbering.label(p)]
    _run_text(p, parts)
    return "".join(parts)


class _Doc:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.lines: list[str] = []

    def blocks(self, parent) -> None:
        for child in parent:
            if child.tag == P:
                for line in _paragraph(child, self.numbering).split("\n"):
                    self.lines.append(line.replace("\xa0", " ").strip())
            elif child.tag == TBL:
                self.table(child)
            elif child.tag in (SDT, q("customXml"), q("smartTag")):
                content = child.find(SDT_CONTENT) if child.tag == SDT else child
                if content is not None:
                    self.blocks(content)

    def cell_text(self, tc) -> str:
        sub = _Doc(self.numbering)
        sub.blocks(tc)
        text = " ".join(line for line in sub.lines if line)
        return re.sub(r"[ \t]+", " ", text).replace("|", "｜").strip()

    def table(self, tbl) -> None:
        rows = _rows(tbl)
        if tbl.find(f".//{TC}//{TBL}") is not None:  # a frame around other blocks
            for tr in rows:
                for tc in _cells(tr):
                    self.blocks(tc)
            return
        grid: list[list[str]] = []
        above: dict[int, str] = {}  # grid column → text of the cell there in the previous row
        for tr in rows:
            col = _grid_before(tr)
            row: list[str] = []
            current: dict[int, str] = {}
            for tc in _cells(tr):
                tcpr = tc.find(q("tcPr"))
                span = 1
                vmerge = hmerge = None
                if tcpr is not None:
                    gs = tcpr.find(q("gridSpan"))
                    span = max(1, to_int(gs.get(q("val")) if gs is not None else "1", 1))
                    vm = tcpr.find(q("vMerge"))
                    vmerge = (vm.get(q("val")) or "continue") if vm is not None else None
                    hm = tcpr.find(q("hMerge"))
                    hmerge = (hm.get(q("val")) or "continue") if hm is not None else None
                if vmerge == "continue":
                    text = above.get(col, "")
                else:
                    text = self.cell_text(tc)
                for c in range(col, col + span):
                    current[c] = text
                col += span
                if hmerge == "continue":
                    continue  # legacy horizontal merge: part of the cell before
                row.append(text)
            above = current
            grid.append(row)
        if max((len(r) for r in grid), default=0) < 2:  # single column: text in a frame
            for row in grid:
                self.lines += row
            return
        self.lines.append("")
        for row in grid:
            self.lines.append("| " + " | ".join(row) + " |")
        self.lines.append("")


def _children(parent, tag) -> list:
    """Child elements with `tag`, also those wrapped in content controls (sdt) or customXml."""
    out = []
    for child in parent:
        if child.tag == tag:
            out.append(child)
        elif child.tag in (SDT, q("customXml")):
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None:
                out += [c for c in content if c.tag == tag]
    return out


def _rows(tbl) -> list:
    return _children(tbl, TR)


def _cells(tr) -> list:
    return _children(tr, TC)


def _grid_before(tr) -> int:
    trpr = tr.find(q("trPr"))
    gb = trpr.find(q("gridBefore")) if trpr is not None else None
    return to_int(gb.get(q("val")), 0) if gb is not None else 0


def _squeeze_blank_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + ("\n" if out else "")


def _check_unzipped_size(path: Path, max_bytes: int) -> None:
    """Refuse a zip whose members unpack to more than max_bytes (a zip bomb), before unpacking.

    The sizes in the zip's directory can lie, but zipfile never returns more bytes for a member
    than its directory entry states, so checking them bounds what python-docx can unpack."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"{path}: damaged or not a Word document ({exc})") from exc
    if total > max_bytes:
        raise ValueError(f"{path}: unpacks to {total / 2**20:,.0f} MB (over {max_bytes / 2**20:g} MB): a zip bomb, "
                         "not a report — raise QA_MAX_UNZIPPED_MB if this one is real")


def docx_text(path: str | Path, max_unzipped_bytes: int = 20 * 2**20, max_chars: Optional[int] = None) -> str:
    """The text of a .docx: paragraphs and tables in document order (see the module docstring).

    Raises ValueError, with the reason, for a file that is missing, not a zip (an old binary
    .doc, say), a zip that is not a Word document, one that unpacks to more than
    `max_unzipped_bytes`, or a text longer than `max_chars`.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ValueError(f"{path}: an old binary Word .doc file, not .docx; save it as .docx or PDF")
        raise ValueError(f"{path}: not a .docx file (not a zip archive)")
    _check_unzipped_size(path, max_unzipped_bytes)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(str(path))
    except PackageNotFoundError as exc:
        raise ValueError(f"{path}: not a Word document ({exc})") from exc
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path}: damaged or not a Word document ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # lxml XMLSyntaxError and other damage
        raise ValueError(f"{path}: damaged Word document ({type(exc).__name__}: {exc})") from exc
    out = _Doc(Numbering(doc))
    out.blocks(doc.element.body)
    text = _squeeze_blank_lines(out.lines)
    if max_chars is not None and len(text) > max_chars:
        raise text_too_long(path, max_chars)
    return text
