"""Glued statistics-table cells split by the report's own prose.

An older report's statistics table often comes run together: "主动公开文件数条99407" holds 本年 and
历年累计 in one run of digits, which splits several ways (9|9407, 99|407, 994|07 …), so the table
reader leaves both cells unparsed. When the report's prose states the same metric for the year
("2015年主动公开政府信息99条") and exactly one prose value is a prefix of the run whose remainder
is a running total at least as large, that split is the table's: 99 this year, 407 in all (the
running-total cell is filled; the year's cell stays unread, the prose states it).
"""

from __future__ import annotations

import re
from typing import Optional

from qa.types import Fact

DIGITS = re.compile(r"\d+$")


def split_by_prose(table_facts: list[Fact], prose_facts: list[Fact]) -> list[Fact]:
    """The table facts, with glued 本年/历年累计 pairs filled in where the prose fixes the split."""
    stated: dict[str, set[float]] = {}
    for f in prose_facts:
        if f.value is not None and f.scope == "" and f.value == int(f.value):
            stated.setdefault(f.metric, set()).add(f.value)
    rows: dict[tuple[str, int], dict[str, Fact]] = {}
    for f in table_facts:
        if f.value is None and f.scope in ("", "cumulative") and f.metric in stated:
            rows.setdefault((f.metric, f.quote_start), {})[f.scope] = f
    for (metric, _), pair in rows.items():
        if set(pair) == {"", "cumulative"}:
            _fill(pair[""], pair["cumulative"], stated[metric])
    return table_facts


def _fill(year: Fact, running: Fact, values: set[float]) -> None:
    m = DIGITS.search(year.quote)
    if not m:
        return
    digits, at = m.group(0), year.quote_start + m.start()
    fits = [v for v in values if _split(digits, int(v)) is not None]
    if len(fits) != 1:
        return
    v = int(fits[0])
    head = len(str(v))
    note = (f"glued '{digits}' split as {v} | {digits[head:]}: the report's prose states {v} for this year "
            "and the rest is the running total (历年累计)")
    # only the running total is new: the year's cell says what the prose already says (and answers
    # and citations stay with the readable sentence)
    running.value, running.start, running.end = float(_split(digits, v)), at + head, at + len(digits)
    running.status, running.note = "ok", note


def _split(digits: str, year_value: int) -> Optional[int]:
    """The running total left after `year_value`'s digits, when it is a number ≥ the year's."""
    head = str(year_value)
    rest = digits[len(head):]
    if not digits.startswith(head) or not rest or (len(rest) > 1 and rest.startswith("0")):
        return None
    return int(rest) if int(rest) >= year_value else None
