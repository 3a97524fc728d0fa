"""Files → Report: decode any common encoding, refuse what is not a report, with clear errors.

Reading is bounded (settings `max_file_mb`, `max_text_chars`, `max_unzipped_mb`): only regular
files are opened (never a device, FIFO or socket), bytes are read in blocks and reading stops
as soon as the limit is passed, and the limit on characters applies to the *decoded* text of
every format, so a small zip or PDF cannot expand without bound.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from functools import lru_cache
from pathlib import Path
from typing import Optional

from qa.settings import Settings, get_settings
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


# Mojibake check. In real reports (seeds, corpus) >= 98 % of the Han characters of every block
# of 1,000 characters are among the 3,755 common ones (GB2312 level 1, after traditional →
# simplified); Big5 bytes read as GB18030, or the reverse, give ~50 %. Under 80 % is nonsense.
HAN = re.compile(r"[\u4e00-\u9fff]")
MOJIBAKE_BLOCK, MOJIBAKE_SHARE = 1000, 0.8


@lru_cache(maxsize=None)
def _common_han(ch: str) -> bool:
    from qa.normalize import to_simplified

    for c in (ch, to_simplified(ch)):
        try:
            if 0xB0 <= c.encode("gb2312")[0] <= 0xD7:
                return True
        except UnicodeEncodeError:
            pass
    return False


def check_not_mojibake(text: str, path: str | Path) -> None:
    """ReadError when some part of a decoded text is nonsense (mixed or wrong encodings)."""
    for i in range(0, len(text), MOJIBAKE_BLOCK):  # block by block: a list of every Han character costs GBs
        han = HAN.findall(text, i, i + MOJIBAKE_BLOCK)
        if len(han) >= 100 and sum(map(_common_han, han)) < MOJIBAKE_SHARE * len(han):
            raise ReadError(f"{path}: part of the text decodes as nonsense (mixed encodings such as GB18030 "
                            "and Big5 in one file, or a wrong one): save the file as UTF-8 and ingest it again")


def _looks_like_chinese(text: str) -> bool:
    han = sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff")
    return han >= 0.2 * min(len(text), 2000)


def page_of(page_starts: list[int], offset: int) -> int | None:
    """1-based PDF page holding `offset`, or None for formats without pages."""
    import bisect

    return bisect.bisect_right(page_starts, offset) if page_starts else None


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_regular_file(path: Path) -> None:
    """Raise ReadError unless `path` is a regular file (symlinks followed)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except OSError as exc:  # a symlink loop, a permission problem …
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(mode):
        raise ReadError(f"{path}: is a directory")
    if not stat.S_ISREG(mode):
        raise ReadError(f"{path}: not a regular file (a device, FIFO or socket): only files are read")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, read in blocks; ReadError as soon as there are more than max_bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO swapped in must not block
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadError(f"{path}: not a regular file (a device, FIFO or socket): only files are read")
        blocks, size = [], 0
        while block := fh.read(1 << 20):
            size += len(block)
            if size > max_bytes:
                raise ReadError(f"{path}: file too large (over {max_bytes / 2**20:g} MB; reports are rarely "
                                "over 5 MB — raise QA_MAX_FILE_MB if this one is real)")
            blocks.append(block)
    return b"".join(blocks)


def text_too_long(path: str | Path, max_chars: int) -> ReadError:
    return ReadError(f"{path}: text too long (over {max_chars:,} characters; reports are rarely over "
                     "200,000 — raise QA_MAX_TEXT_CHARS if this one is real)")


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
