"""Files → Report: decode any common encoding, refuse what is not a report, with clear errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

from qa.types import Report

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}


class ReadError(ValueError):
    """A file that cannot be read as a report; the message says why, in one line."""


def decode(data: bytes, path: str = "<bytes>") -> str:
    """Bytes → str: UTF-8 (with or without BOM), else GB18030/Big5/… as charset-normalizer judges."""
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"{path}: binary file, not a text report")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # GB18030 accepts most byte strings (Big5 included, as nonsense), so let charset-normalizer
    # judge first; GB18030 stays the fallback for short texts it cannot place.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_like_chinese(str(best)):
        return str(best)
    try:
        text = data.decode("gb18030")
        if _looks_like_chinese(text):
            return text
    except UnicodeDecodeError:
        pass
    if best is None:
        raise ReadError(f"{path}: unknown text encoding (not UTF-8, GB18030 or Big5)")
    return str(best)


def _looks_like_chinese(text: str) -> bool:
    han = sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff")
    return han >= 0.2 * min(len(text), 2000)


def page_of(page_starts: list[int], offset: int) -> int | None:
    """1-based PDF page holding `offset`, or None for formats without pages."""
    import bisect

    return bisect.bisect_right(page_starts, offset) if page_starts else None


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_text(path: Path) -> tuple[str, str, list[int]]:
    """(text, source_format, page start offsets) of a file."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from qa.read_pdf import pdf_text

        try:
            text, pages = pdf_text(path)
        except ValueError as exc:
            raise ReadError(f"{path}: {exc}") from exc
        if not text.strip():
            raise ReadError(f"{path}: PDF has no text layer (scanned image?)")
        if "\r" in text:
            raise ReadError(f"{path}: unexpected carriage returns in PDF text")  # offsets must stay exact
        return text, "pdf", pages
    if suffix in HTML_SUFFIXES:
        from qa.read_html import html_text

        try:
            return html_text(path.read_bytes(), str(path)), "html", []
        except ValueError as exc:  # ReadError included; the message already names the file
            raise ReadError(str(exc)) from exc
    if suffix == ".docx":
        from qa.read_docx import docx_text

        try:
            text = docx_text(path)
        except ValueError as exc:
            raise ReadError(str(exc)) from exc
        if not text.strip():
            raise ReadError(f"{path}: Word document has no text")
        return text, "docx", []
    if suffix == ".doc":
        raise ReadError(f"{path}: old binary Word .doc is not supported; save it as .docx or PDF")
    if suffix not in TEXT_SUFFIXES:
        raise ReadError(f"{path}: unsupported file type {suffix!r} (supported: .txt, .html, .pdf, .docx)")
    return decode(path.read_bytes(), str(path)), "txt", []


def read_report(path: str | Path) -> Report:
    """Read one file and detect its metadata; raises ReadError with a one-line reason."""
    from qa.meta import detect_metadata

    p = Path(path)
    if not p.exists():
        raise ReadError(f"{p}: no such file")
    if p.is_dir():
        raise ReadError(f"{p}: is a directory")
    try:
        text, source_format, pages = read_text(p)
    except OSError as exc:
        raise ReadError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(f"{p}: empty file")
    report = Report(id=content_id(text), path=str(p), text=text, source_format=source_format, page_starts=pages)
    return detect_metadata(report)
