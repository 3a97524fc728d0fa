"""Reading a report file (txt in any encoding, HTML, PDF, DOCX) into text with its metadata."""
from qa.read.report import SUPPORTED_SUFFIXES, ReadError, decode, page_of, read_report

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "decode", "page_of", "read_report"]
