"""PDF → text, with the start offset of every page.

Library choice (measured on the three PDFs in /work/shared/corpus/pdf/, 2 cores):

    report                        library     time    table facts vs the corpus .txt version
    huaian-hongze-district_2023   PyMuPDF     15 ms   186 facts, identical
                                  pdfplumber 333 ms   186 facts, identical
    huaian-city_2024              PyMuPDF     16 ms   200 facts, identical
                                  pdfplumber 334 ms   200 facts, identical
    huaian-hongze-district_2024   PyMuPDF     24 ms   186 facts, identical
                                  pdfplumber 308 ms   186 facts, identical

Both give text that `qa.facts.tables` parses into exactly the facts of the .txt versions (which
are pdfplumber output). PyMuPDF is chosen: ~20x faster, and it writes table cells in the order
the PDF draws them — each row label followed by its cells, one per line — so it never puts a
row's numbers on the line *before* its label, as pdfplumber's line clustering does for labels
that wrap (e.g. "10 0 0 0 0 0 10" above "1.本机关不掌握相关政府信息"). pdfplumber stays
available as a cross-check: `pdf_text(path, engine="pdfplumber")`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Optional

from qa.read.text import text_too_long


def pdf_text(path: str | Path, engine: str = "pymupdf", max_chars: Optional[int] = None) -> tuple[str, list[int]]:
    """(text, page_starts): the text layer of a PDF and the offset where each page begins in it.

    Pages are joined so that each starts on a new line. Raises ValueError, with the reason, for
    a file that is missing, not a PDF, damaged, or encrypted with a password. A scanned PDF with
    no text layer returns an empty-ish text; deciding what to do with it is the caller's job.
    Extraction stops, with ValueError, as soon as the text passes `max_chars`.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    if engine == "pymupdf":
        pages = _pages_pymupdf(path)
    elif engine == "pdfplumber":
        pages = _pages_pdfplumber(path)
    else:
        raise ValueError(f"unknown PDF engine {engine!r} (use pymupdf or pdfplumber)")
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page in _bounded(pages, max_chars, path):
        page = page.replace("\r\n", "\n").replace("\r", "\n")
        if parts and not parts[-1].endswith("\n"):
            parts.append("\n")
            offset += 1
        starts.append(offset)
        parts.append(page)
        offset += len(page)
    return "".join(parts), starts


def _bounded(pages: Iterable[str], max_chars: Optional[int], path: Path) -> Iterator[str]:
    total = 0
    for page in pages:
        total += len(page)
        if max_chars is not None and total > max_chars:
            raise text_too_long(path, max_chars)
        yield page


def _pages_pymupdf(path: Path) -> Iterator[str]:
    import pymupdf

    try:
        doc = pymupdf.open(path)
    except Exception as exc:  # FileDataError, EmptyFileError, RuntimeError …
        raise ValueError(f"{path}: not a readable PDF ({exc})") from exc
    with doc:
        if not doc.is_pdf:
            raise ValueError(f"{path}: not a PDF file")
        if doc.needs_pass:
            raise ValueError(f"{path}: PDF is encrypted with a password; cannot read its text")
        if doc.page_count == 0:
            raise ValueError(f"{path}: PDF has no pages")
        if doc.is_repaired:  # MuPDF rebuilt a broken xref: typically a truncated download
            raise ValueError(f"{path}: PDF is damaged or truncated (MuPDF had to repair it); "
                             "download it again — a partial report would make answers wrong")
        for page in doc:  # one page at a time, so a too-long text stops early
            try:
                text = page.get_text()
            except Exception as exc:
                raise ValueError(f"{path}: damaged PDF, text could not be extracted ({exc})") from exc
            yield text


def _pages_pdfplumber(path: Path) -> list[str]:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            if not pdf.pages:
                raise ValueError(f"{path}: PDF has no pages")
            return [(page.extract_text() or "") + "\n" for page in pdf.pages]
    except ValueError:
        raise
    except Exception as exc:  # PDFSyntaxError, PDFPasswordIncorrect, PdfminerException …
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(exc).lower():
            raise ValueError(f"{path}: PDF is encrypted with a password; cannot read its text") from exc
        raise ValueError(f"{path}: not a readable PDF ({name}: {exc})") from exc
