"""Numerals → numbers: Arabic ("1,094", "1.1万"), Chinese ("一百三十四", "壹拾"), and years ("二〇一三").

The parsing half of `qa.facts.numbers` (which finds numbers in text and re-exports `parse_number`
and `parse_year`); input may be traditional or full-width.
"""

from __future__ import annotations

import re
from typing import Optional

from qa.normalize import matching_view

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
              "陆": 6, "柒": 7, "捌": 8, "玖": 9, "貳": 2, "參": 3, "陸": 6, "兩": 2}
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)

# No report counts anything beyond this; a longer digit string (400 digits of garbage, an ID)
# is not a number here, and would overflow int() and SQLite INTEGER further on.
MAX_VALUE = 1e15
_ARABIC_RE = re.compile(r"^\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*([万萬亿億千]?)\s*$")


def parse_chinese(s: str) -> Optional[float]:
    """A positional Chinese numeral ("一百三十四", "十五万") → its value; None for digit strings and non-numerals."""
    if not s or any(ch not in CN_CHARS for ch in s):
        return None
    if not any(ch in CN_DIGITS or ch in "十拾" for ch in s):
        return None
    positional = any(ch in CN_SMALL or ch in CN_BIG for ch in s)
    if not positional:
        if len(s) == 1:
            return float(CN_DIGITS[s])
        return None  # "二〇一三": digit strings are years, see parse_year
    total = 0
    section = 0  # below 万
    digit = None
    for ch in s:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            mult = CN_SMALL[ch]
            section += (1 if digit is None else digit) * mult
            digit = None
        else:  # 万 / 亿
            mult = CN_BIG[ch]
            section += digit or 0
            digit = None
            if mult == 100_000_000:
                total = (total + section) * mult
            else:
                total += section * mult
            section = 0
            if total > MAX_VALUE:
                return None  # "一亿亿亿…": stop before the integer grows with the input
    section += digit or 0
    total += section
    return float(total) if total <= MAX_VALUE else None


def parse_number(s: str) -> Optional[float]:
    """"119" → 119, "1,094" → 1094, "1.1万" → 11000, "3.5亿", "九十" → 90, "一百三十四" → 134.

    Traditional and full-width input work. Digit strings like "二〇一三" are not numbers here
    (use `parse_year`). Returns None when `s` is not a number.
    """
    if s is None:
        return None
    t = matching_view(s.strip()).replace(" ", "")
    if not t:
        return None
    m = _ARABIC_RE.match(t)
    if m:
        value = float(m.group(1).replace(",", ""))
        mult = m.group(2)
        if mult:
            value *= {"万": 10_000, "萬": 10_000, "亿": 1e8, "億": 1e8, "千": 1000}[mult]
        return clean_value(value) if value <= MAX_VALUE else None
    # Arabic with a Chinese multiplier after a Chinese part, e.g. "3千万" is rare: try Chinese.
    return parse_chinese(t)


def parse_year(s: str) -> Optional[int]:
    """"2013", "2013年", "二〇一三", "二〇一三年", "二零一三" → 2013; None otherwise."""
    t = matching_view(s.strip()).replace(" ", "").rstrip("年度")
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    if len(t) == 4 and all(ch in CN_DIGITS for ch in t):
        return int("".join(str(CN_DIGITS[ch]) for ch in t))
    return None


def clean_value(value: float) -> float:
    """Rounded to 6 decimals, integral values as whole floats (1094.0, not 1093.9999999)."""
    r = round(value, 6)
    return float(int(r)) if r == int(r) else r


def number_text(value: Optional[float], digits: int = 6) -> str:
    """A stated or computed value, exactly as far as float allows (7730.28 stays 7730.28, 119.0 is
    119); None is '—'. The one way qa writes a number it did not quote."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def value_fits(stated: float, qualifier, value: float) -> bool:
    """Does `value` agree with a figure the report states as `stated` with `qualifier`? Exact: equal;
    余/多/以上 (at_least, incomplete): not below it; 约/近: within 10%."""
    kind = getattr(qualifier, "value", qualifier)
    if kind == "exact" or kind is None:
        return abs(stated - value) < 1e-6
    if kind in ("at_least", "incomplete"):
        return value >= stated - 1e-6
    return abs(stated - value) <= 0.1 * max(abs(stated), abs(value), 1)
