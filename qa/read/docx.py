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
that way. Deleted revisions, text boxes, headers and footers are left out.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Optional

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(name: str) -> str:
    return f"{{{W}}}{name}"


P, TBL, TR, TC, SDT, SDT_CONTENT = _q("p"), _q("tbl"), _q("tr"), _q("tc"), _q("sdt"), _q("sdtContent")
SKIP_IN_RUNS = {_q("del"), _q("delText"), _q("txbxContent"), _q("pPr"), _q("rPr"), _q("instrText"),
                _q("footnoteReference"), _q("endnoteReference"), f"{{{MC}}}Fallback", _q("moveFrom")}


# ---------------------------------------------------------------- numbering

CN = "〇一二三四五六七八九"
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
TIANGAN = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int, digits: str = CN, ten: str = "十") -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + ten + (digits[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (w:numFmt)."""
    if fmt in {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"}:
        return _chinese(n)
    if fmt in {"chineseLegalSimplified", "ideographLegalTraditional"}:
        return _chinese(n, CN_LEGAL, "拾")
    if fmt in {"ideographTraditional"}:
        return TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and anything unknown


class Numbering:
    """Word's automatic list numbers: (numId, ilvl) → the label text, counting as Word does."""

    def __init__(self, doc) -> None:
        self.levels: dict[str, dict[int, dict]] = {}  # numId → ilvl → {start, fmt, text}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            numbering = doc.part.numbering_part.element
        except Exception:  # no numbering part
            numbering = None
        if numbering is not None:
            abstract: dict[str, dict[int, dict]] = {}
            for an in numbering.iterfind(_q("abstractNum")):
                abstract[an.get(_q("abstractNumId"))] = {
                    int(lvl.get(_q("ilvl"), "0")): self._level(lvl) for lvl in an.iterfind(_q("lvl"))
                }
            for num in numbering.iterfind(_q("num")):
                ref = num.find(_q("abstractNumId"))
                levels = {k: dict(v) for k, v in abstract.get(ref.get(_q("val")) if ref is not None else "", {}).items()}
                for override in num.iterfind(_q("lvlOverride")):
                    ilvl = int(override.get(_q("ilvl"), "0"))
                    lvl = override.find(_q("lvl"))
                    if lvl is not None:
                        levels[ilvl] = self._level(lvl)
                    start = override.find(_q("startOverride"))
                    if start is not None and ilvl in levels:
                        levels[ilvl]["start"] = _int(start.get(_q("val")), 1)
                self.levels[num.get(_q("numId"))] = levels
        try:
            styles = doc.styles.element
        except Exception:
            styles = None
        if styles is not None:
            based: dict[str, str] = {}
            direct: dict[str, tuple[str, int]] = {}
            for style in styles.iterfind(_q("style")):
                sid = style.get(_q("styleId"))
                b = style.find(_q("basedOn"))
                if b is not None:
                    based[sid] = b.get(_q("val"))
                found = _num_pr(style.find(_q("pPr")))
                if found:
                    direct[sid] = found
            for sid in set(based) | set(direct):
                cur, seen = sid, set()
                while cur and cur not in direct and cur not in seen:
                    seen.add(cur)
                    cur = based.get(cur)
                if cur in direct:
                    self.style_num[sid] = direct[cur]

    @staticmethod
    def _level(lvl) -> dict:
        def val(tag: str, default: str) -> str:
            el = lvl.find(_q(tag))
            return el.get(_q("val"), default) if el is not None else default

        return {"start": _int(val("start", "1"), 1), "fmt": val("numFmt", "decimal"), "text": val("lvlText", "")}

    def label(self, p) -> str:
        """The number Word would draw before paragraph `p` ('' if none), advancing the counters."""
        ppr = p.find(_q("pPr"))
        found = _num_pr(ppr)
        if found is None and ppr is not None:
            style = ppr.find(_q("pStyle"))
            if style is not None:
                found = self.style_num.get(style.get(_q("val")))
                if found is not None and ppr.find(_q("numPr")) is not None:
                    ilvl = ppr.find(_q("numPr")).find(_q("ilvl"))
                    if ilvl is not None:
                        found = (found[0], _int(ilvl.get(_q("val")), 0))
        if not found:
            return ""
        num_id, ilvl = found
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        lvl = levels[ilvl]
        if lvl["fmt"] == "bullet":
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            n = counters.get(k, levels[k]["start"])
            return format_number(n, levels[k]["fmt"])

        text = re.sub(r"%([1-9])", sub, lvl["text"])
        return text + " " if text and text[-1].isascii() and text[-1].isalnum() else text


def _num_pr(ppr) -> Optional[tuple[str, int]]:
    if ppr is None:
        return None
    num_pr = ppr.find(_q("numPr"))
    if num_pr is None:
        return None
    num_id = num_pr.find(_q("numId"))
    ilvl = num_pr.find(_q("ilvl"))
    if num_id is None:
        return None
    return num_id.get(_q("val")), _int(ilvl.get(_q("val")) if ilvl is not None else "0", 0)


def _int(value: Optional[str], default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------- text

def _run_text(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP_IN_RUNS:
            continue
        if tag == _q("t"):
            out.append(child.text or "")
        elif tag == _q("tab") or tag == _q("ptab"):
            out.append("\t")
        elif tag == _q("br") or tag == _q("cr"):
            if child.get(_q("type")) not in ("page", "column"):
                out.append("\n")
        elif tag == _q("noBreakHyphen"):
            out.append("-")
        elif tag == _q("softHyphen"):
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
            elif child.tag in (SDT, _q("customXml"), _q("smartTag")):
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
                tcpr = tc.find(_q("tcPr"))
                span = 1
                vmerge = hmerge = None
                if tcpr is not None:
                    gs = tcpr.find(_q("gridSpan"))
                    span = max(1, _int(gs.get(_q("val")) if gs is not None else "1", 1))
                    vm = tcpr.find(_q("vMerge"))
                    vmerge = (vm.get(_q("val")) or "continue") if vm is not None else None
                    hm = tcpr.find(_q("hMerge"))
                    hmerge = (hm.get(_q("val")) or "continue") if hm is not None else None
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
        elif child.tag in (SDT, _q("customXml")):
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None:
                out += [c for c in content if c.tag == tag]
    return out


def _rows(tbl) -> list:
    return _children(tbl, TR)


def _cells(tr) -> list:
    return _children(tr, TC)


def _grid_before(tr) -> int:
    trpr = tr.find(_q("trPr"))
    gb = trpr.find(_q("gridBefore")) if trpr is not None else None
    return _int(gb.get(_q("val")), 0) if gb is not None else 0


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
        from qa.read.report import text_too_long

        raise text_too_long(path, max_chars)
    return text
