"""Bytes → text, and the errors and limits every reader shares (`ReadError`, `text_too_long`).

`decode` judges the encoding of a plain-text report (UTF-8, GB18030, Big5, …); `check_not_mojibake`
refuses a text that decoded into nonsense; `check_regular_file` and `read_bytes` open only regular
files and stop reading as soon as the size limit is passed. html.py, pdf.py and docx.py import
from here, and report.py (which dispatches on the file type) imports them: one direction only.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from pathlib import Path


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
