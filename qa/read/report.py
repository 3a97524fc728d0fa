"""Files → Report: pick the reader for the file type, apply the limits, detect the metadata.

Reading is bounded (settings `max_file_mb`, `max_text_chars`, `max_unzipped_mb`): only regular
files are opened (never a device, FIFO or socket), bytes are read in blocks and reading stops
as soon as the limit is passed, and the limit on characters applies to the *decoded* text of
every format, so a small zip or PDF cannot expand without bound. Decoding, `ReadError` and the
byte-level limits live in `qa.read.text`; they are re-exported here for older imports.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional

from qa.read.text import (ReadError, check_not_mojibake, check_regular_file, decode, read_bytes,
                          text_too_long)
from qa.settings import Settings, get_settings
from qa.types import Report

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "check_not_mojibake", "decode", "page_of", "read_report",
           "read_text", "text_too_long"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}


def page_of(page_starts: list[int], offset: int) -> int | None:
    """1-based PDF page holding `offset`, or None for formats without pages."""
    import bisect

    return bisect.bisect_right(page_starts, offset) if page_starts else None


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_text(path: Path, settings: Optional[Settings] = None) -> tuple[str, str, list[int]]:
    """(text, source_format, page start offsets) of a file, within the settings' limits."""
    settings = settings or get_settings()
    max_bytes = int(settings.max_file_mb * 2**20)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from qa.read.pdf import pdf_text

        try:
            text, pages = pdf_text(path, max_chars=settings.max_text_chars)
        except ValueError as exc:
            raise ReadError(str(exc)) from exc  # the message already names the file
        if not text.strip():
            raise ReadError(f"{path}: PDF has no text layer (scanned image?)")
        if "\r" in text:
            raise ReadError(f"{path}: unexpected carriage returns in PDF text")  # offsets must stay exact
        return text, "pdf", pages
    if suffix in HTML_SUFFIXES:
        from qa.read.html import html_text

        try:
            text = html_text(read_bytes(path, max_bytes), str(path))
        except ValueError as exc:  # ReadError included; the message already names the file
            raise ReadError(str(exc)) from exc
        check_not_mojibake(text, path)
        return text, "html", []
    if suffix == ".docx":
        from qa.read.docx import docx_text

        try:
            text = docx_text(path, max_unzipped_bytes=int(settings.max_unzipped_mb * 2**20),
                             max_chars=settings.max_text_chars)
        except ValueError as exc:
            raise ReadError(str(exc)) from exc
        if not text.strip():
            raise ReadError(f"{path}: Word document has no text")
        return text, "docx", []
    if suffix == ".doc":
        raise ReadError(f"{path}: old binary Word .doc is not supported; save it as .docx or PDF")
    if suffix not in TEXT_SUFFIXES:
        raise ReadError(f"{path}: unsupported file type {suffix!r} (supported: .txt, .html, .pdf, .docx)")
    text = decode(read_bytes(path, max_bytes), str(path))
    check_not_mojibake(text, path)
    return text, "txt", []


def read_report(path: str | Path, settings: Optional[Settings] = None) -> Report:
    """Read one file and detect its metadata; raises ReadError with a one-line reason."""
    from qa.meta import detect_metadata

    settings = settings or get_settings()
    p = Path(path)
    check_regular_file(p)
    try:
        text, source_format, pages = read_text(p, settings)
    except OSError as exc:
        raise ReadError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    if len(text) > settings.max_text_chars:
        raise text_too_long(p, settings.max_text_chars)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(f"{p}: empty file")
    report = Report(id=content_id(text), path=str(p), text=text, source_format=source_format, page_starts=pages)
    return detect_metadata(report)
