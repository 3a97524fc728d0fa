"""HTML page → report text: one line per paragraph or heading, data tables as pipe rows.

The text is what `qa.facts.tables` and `qa.sections` read, so tables are written exactly like
the pipe rows of the official blank template (/work/shared/corpus/template/*.txt):

* every row of a data table is one line ``| cell | cell |``; an empty cell is ``|  |``;
* a cell spanning several rows (``rowspan``) repeats its text on every row it covers — so each
  row carries its own labels (``| 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 2 | …``);
* a cell spanning several columns (``colspan``) is written **once** per row: a value cell
  stretched over two grid columns is still one value (the template's ``| 行政许可 |  |``), and
  repeating it would give the row more numbers than it has columns;
* text inside a cell is joined with single spaces; a literal ``|`` becomes ``｜``.

Only *data* tables become pipe rows. Old government sites lay whole pages out with tables; a
table that holds another table, has a single column, or has a cell longer than
``LAYOUT_CELL_CHARS`` is layout, and its cells are rendered as ordinary blocks.

Page furniture is dropped: ``<head>``, ``<script>``, ``<style>``, ``<nav>``, forms' controls,
hidden elements, ``<header>``/``<footer>``/``<aside>`` outside ``<article>``/``<main>``, and
small elements whose class/id/role says navigation, menu, breadcrumb, footer, copyright, share
or sidebar. What survives (a "发布时间：" line, say) is left for `qa.meta`'s boilerplate patterns.

The charset comes from a BOM, else ``<meta charset>`` / ``http-equiv`` content-type / an XML
declaration (GB2312/GBK are read as their superset GB18030), else `qa.read.decode` judges the
bytes; a declaration the bytes contradict is ignored. Parsing uses lxml (a python-docx
dependency), which is forgiving of the broken markup these sites serve.
"""

from __future__ import annotations

import codecs
import re
from typing import Optional

from qa.read.text import decode

LAYOUT_CELL_CHARS = 300  # a cell longer than this is page layout, not a table cell

DROP_TAGS = {
    "head", "script", "style", "noscript", "template", "nav", "iframe", "object", "embed", "svg",
    "canvas", "select", "option", "button", "input", "textarea", "map", "audio", "video", "menu",
    "link", "meta", "title", "base",
}
SECTIONING_FURNITURE = {"header", "footer", "aside"}  # dropped unless inside <article>/<main>
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section",
    "summary", "ul", "caption", "tr", "td", "th", "thead", "tbody", "tfoot", "table",
}
FURNITURE_ROLE = {"navigation", "banner", "contentinfo", "menu", "menubar", "search", "toolbar"}
FURNITURE_NAME = re.compile(
    r"^(?:nav|navbar|navigation|menu|menubar|submenu|breadcrumbs?|crumbs?|position|weizhi|footer|foot|"
    r"copyright|banquan|sidebar|share|bdshare.*|toolbar|topbar|top-bar|header|site-header|skip)"
    r"(?:[-_]\w*)?$"
    r"|^\w+[-_](?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|copyright|share|sidebar)$",
    re.I,
)
FURNITURE_MAX_CHARS = 1500  # an element bigger than this is never dropped for its class name
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")

META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
    "csgb2312": "gb18030", "euc-cn": "gb18030", "x-euc-cn": "gb18030", "big5": "big5hkscs", "x-big5": "big5hkscs",
    "utf8": "utf-8", "unicode": "utf-8",
}
SINGLE_BYTE = {"iso8859-1", "ascii", "cp1252"}  # codecs.lookup names; GBK pages are often mislabelled so


# ---------------------------------------------------------------- bytes → str

def declared_charset(data: bytes) -> Optional[str]:
    """The codec a page declares in its first 4 KB (meta charset, http-equiv, XML declaration)."""
    head = data[:4096]
    m = XML_DECL.search(head) or META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, path: str = "<bytes>") -> str:
    """Bytes of a web page → str, trusting a BOM, then a declaration the bytes agree with, then `decode`."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    charset = declared_charset(data)
    if charset and (charset not in SINGLE_BYTE or max(data, default=0) < 0x80):
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration lies (a GBK page labelled UTF-8 is common): let the bytes decide
    return decode(data, path)


# ---------------------------------------------------------------- str → tree → text

class _Out:
    """Accumulates finished lines and the inline text of the line being built."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def text(self, s: Optional[str]) -> None:
        if s:
            self.buf.append(s)

    def newline(self) -> None:
        line = _clean_inline("".join(self.buf))
        self.buf = []
        if line:
            self.lines.append(line)

    def raw_line(self, line: str) -> None:
        self.newline()
        self.lines.append(line)


def _clean_inline(s: str) -> str:
    """Collapse source whitespace as a browser would; a line break between two CJK characters vanishes."""
    s = s.replace("\xa0", " ").replace("\r", "\n").replace("\x0b", " ").replace("\f", " ")

    def join(m: re.Match) -> str:
        if "\n" not in m.group():
            return " "
        before = s[m.start() - 1] if m.start() > 0 else ""
        after = s[m.end()] if m.end() < len(s) else ""
        return "" if (before and after and CJK.match(before) and CJK.match(after)) else " "

    s = re.sub(r"[ \t\n]+", join, s)
    return s.strip()


def _tag(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # comment, processing instruction, entity
    return tag.rsplit("}", 1)[-1].lower()


def _inside(el, names: set[str]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if _tag(parent) in names:
            return True
        parent = parent.getparent()
    return False


def _is_furniture(el, tag: str) -> bool:
    if tag in DROP_TAGS:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and HIDDEN_STYLE.search(style):
        return True
    if tag in SECTIONING_FURNITURE and not _inside(el, {"article", "main"}):
        return True
    if tag in {"html", "body", "table", "tbody", "thead", "tr", "td", "th"}:
        return False
    names = (el.get("class") or "").split() + (el.get("id") or "").split()
    role = (el.get("role") or "").lower()
    if role in FURNITURE_ROLE or any(FURNITURE_NAME.match(n) for n in names):
        if el.find(".//h1") is not None:
            return False  # the page title lives here
        return len(el.text_content()) <= FURNITURE_MAX_CHARS
    return False


def _own_rows(table) -> list:
    """The <tr> of a table, not of tables nested in it."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in {"thead", "tbody", "tfoot"}:
            rows += [r for r in child if _tag(r) == "tr"]
    return rows


def _span(value: Optional[str], cap: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    if not m:
        return 1
    n = int(m.group(1))
    return cap if n == 0 else max(1, min(n, cap))  # rowspan="0": to the end of the table


def _cell_text(cell) -> str:
    sub = _Out()
    _walk_children(cell, sub)
    sub.newline()
    return " ".join(sub.lines).replace("|", "｜")


def _walk_children(el, out: _Out) -> None:
    """Render the content of `el` (not its tail) into out."""
    out.text(el.text)
    for child in el:
        _render(child, out)
        out.text(child.tail)


def _table_grid(table) -> Optional[list[list[str]]]:
    """Pipe rows' cells of a data table, or None when the table is layout."""
    if table.find(".//table") is not None:
        return None
    rows = _own_rows(table)
    if not rows:
        return None
    occupied: dict[tuple[int, int], int] = {}
    texts: list[str] = []
    own: list[bool] = []
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        cells = [td for td in tr if _tag(td) in {"td", "th"}]
        own.append(bool(cells))
        for td in cells:
            while (r, c) in occupied:
                c += 1
            rowspan = _span(td.get("rowspan"), len(rows) - r)
            colspan = _span(td.get("colspan"), 1000)
            text = _cell_text(td)
            if len(text) > LAYOUT_CELL_CHARS:
                return None
            idx = len(texts)
            texts.append(text)
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied[(r + dr, c + dc)] = idx
            c += colspan
            width = max(width, c)
    grid: list[list[str]] = []
    distinct_columns = 0
    for r in range(len(rows)):
        if not own[r]:
            continue
        row: list[str] = []
        prev = None
        for c in range(width):
            idx = occupied.get((r, c))
            if idx is None or idx == prev:
                prev = idx
                continue
            row.append(texts[idx])
            prev = idx
        distinct_columns = max(distinct_columns, len(row))
        grid.append(row)
    if distinct_columns < 2:
        return None  # a one-column table is a frame around text
    if not any(cell for row in grid for cell in row):
        return []
    return grid


def _render(el, out: _Out) -> None:
    tag = _tag(el)
    if not tag:
        return
    if _is_furniture(el, tag):
        return
    if tag == "br":
        out.newline()
        return
    if tag == "table":
        grid = _table_grid(el)
        if grid is not None:
            out.newline()
            caption = el.find("caption")
            if caption is not None:
                _render(caption, out)
                out.newline()
            for row in grid:
                out.raw_line("| " + " | ".join(row) + " |")
            return
    if tag == "pre":
        out.newline()
        text = el.text_content().replace("\xa0", " ").replace("\r\n", "\n")
        for line in text.split("\n"):
            if line.strip():
                out.raw_line(line.rstrip())
        return
    block = tag in BLOCK_TAGS
    if block:
        out.newline()
    _walk_children(el, out)
    if block:
        out.newline()


def html_to_text(html: str) -> str:
    """Already-decoded HTML → report text (see the module docstring)."""
    import lxml.etree
    import lxml.html

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input with an encoding declaration
    if not html.strip():
        raise ValueError("empty HTML page")
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ValueError(f"not a readable HTML page ({exc})") from exc
    # Past a resource limit (tags nested 256 deep, a huge text node) libxml2 stops building the
    # tree and the rest of the page — usually the report's body — is silently gone.
    limits = [e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:
        raise ValueError(f"HTML page too deeply nested or too large to read whole ({limits[0]})")
    out = _Out()
    _render(root, out)
    out.newline()
    return "\n".join(out.lines) + ("\n" if out.lines else "")


def html_text(data: bytes, path: str = "") -> str:
    """Bytes of an HTML page → report text. Raises ValueError (qa.read.ReadError for bad bytes)."""
    label = path or "<html>"
    text = decode_html(data, label)
    try:
        result = html_to_text(text)
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from exc
    if not result.strip():
        raise ValueError(f"{label}: HTML page has no text outside scripts, styles and menus")
    return result
