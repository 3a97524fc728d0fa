"""How the eval compares answer text with gold text and numbers.

Text is compared on the matching view (traditional → simplified, full → half width) with all
whitespace removed, so a quote broken over lines in a PDF-extracted report still matches.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from qa.facts.numerals import number_text as format_number  # noqa: F401 (one way to write a number)

# Citation markers an answer puts after a sentence ([1], 【2,3】): not quantities of the answer.
CITATION_MARKERS = re.compile(r"[\[【［]\s*\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*\s*[\]】］]")
# Bare digits between separators (table cells) that find_numbers may class as `other`.
BARE_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def compact_view(text: str) -> str:
    """The matching view of `text` with all whitespace removed."""
    from qa.normalize import matching_view

    return re.sub(r"\s+", "", matching_view(text or ""))


def report_stem(path: str) -> str:
    """The file stem of a report path (mfa_2013 for /x/mfa_2013.txt); empty for no path."""
    return Path(path).stem if path else ""


def same_number(a: Optional[float], b: Optional[float]) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def values_in(text: str) -> list[float]:
    """The quantities `text` states (years, dates, phone and document numbers left out)."""
    from qa.facts.numbers import find_numbers

    return [m.value for m in find_numbers(text) if m.kind not in ("year", "date", "phone", "docno")]


def quote_has_value(quote: str, value: float) -> bool:
    if any(same_number(v, value) for v in values_in(quote)):
        return True
    return any(same_number(float(x), value) for x in BARE_NUMBER.findall(quote))
