"""Reading a report file (txt in any encoding, HTML, PDF, DOCX) into text with its metadata.

text.py: bytes → str (`decode`), `ReadError` and the byte/character limits every reader shares;
html.py, pdf.py, docx.py (+ docx_numbering.py): one reader per format; report.py: picks the reader
for a file, applies the limits and detects the metadata (`read_report`).
"""
from qa.read.report import SUPPORTED_SUFFIXES, page_of, read_report
from qa.read.text import ReadError, decode

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "decode", "page_of", "read_report"]
