"""Glued digits (``230 000023``): the ways to cut them into a row's cells, and the one to keep.

A split is taken only when the digit count leaves one way, or exactly one way passes the
table's own arithmetic (the `check` given); otherwise the row stays unparsed.
"""

from __future__ import annotations

from typing import Callable, Optional

from qa.facts.tables.page import Tok

SPLIT_LIMIT = 20000  # candidate splits examined per row; more means the row is left unparsed


def _cuts(digits: str, k: int) -> list[list[tuple[str, int]]]:
    """Ways to cut a digit string (an optional leading sign kept on the first part) into exactly
    k numbers without leading zeros: [(part, offset)]. Bounded by C(len-1, k-1), never all 2^len."""
    out: list[list[tuple[str, int]]] = []
    sign = 1 if digits[:1] in "+-" else 0

    def rec(i: int, left: int, acc: list[tuple[str, int]]):
        if len(out) > SPLIT_LIMIT:
            return
        if left == 1:
            part = digits[i:]
            body = part[1:] if i == 0 and sign else part
            if body and not (len(body) > 1 and body[0] == "0"):
                out.append(acc + [(part, i)])
            return
        first = i + (sign if i == 0 else 0)
        for j in range(first + 1, len(digits) - left + 2):
            body = digits[first:j]
            if len(body) > 1 and body[0] == "0":
                break
            rec(j, left - 1, acc + [(digits[i:j], i)])

    if 0 < k <= len(digits) - sign:
        rec(0, k, [])
    return out


def split_candidates(toks: list[Tok], width: int, check: Callable[[list[float]], bool],
                      keep: int = 2) -> tuple[int, list[list[Tok]], list[list[Tok]], bool]:
    """(number of splits into `width` cells, the first `keep` of them, the first `keep` that pass
    `check`, whether the search gave up)."""
    splits: list[list[Tok]] = []
    solutions: list[list[Tok]] = []
    tried = valid = 0

    def rec(i: int, acc: list[Tok]) -> None:
        nonlocal tried, valid
        if tried > SPLIT_LIMIT:
            return
        if i == len(toks):
            tried += 1
            if len(acc) != width:
                return
            valid += 1
            if len(splits) < keep:
                splits.append(list(acc))
            if len(solutions) < keep and check([t.value for t in acc]):
                solutions.append(list(acc))
            return
        rest = len(toks) - i - 1  # each later token gives at least one cell
        digits = toks[i].digits
        for k in range(1, min(width - len(acc) - rest, len(digits)) + 1):
            for parts in _cuts(digits, k):
                cells = [Tok(float(p), toks[i].start + off, toks[i].start + off + len(p), p) for p, off in parts]
                rec(i + 1, acc + cells)

    rec(0, [])
    return valid, splits, solutions, tried > SPLIT_LIMIT


def unglue(toks: list[Tok], width: int, check: Callable[[list[float]], bool]) -> tuple[Optional[list[Tok]], str]:
    """Split glued tokens into `width` cells: (cells, note) when the digits allow one split only,
    or exactly one passes `check`; else (None, why)."""
    if any(t.value is None or not t.digits.lstrip("+-").isdigit() for t in toks):
        return None, "cells could not be read"
    if sum(len(t.digits) for t in toks) > 24:
        return None, "too many glued digits to split"
    valid, splits, solutions, gave_up = split_candidates(toks, width, check)
    if gave_up:
        return None, "too many ways to split the glued digits"
    if valid == 1:
        return splits[0], "run-together digits: the only split into the row's cells"
    if len(solutions) == 1:
        return solutions[0], ""
    if not solutions:
        return None, f"{len(toks)} numbers where {width} cells are expected; no split of the digits matches the table's totals"
    return None, f"{len(toks)} numbers where {width} cells are expected; the digits split in more than one way that matches the totals"


def row_total_ok(values: list[float]) -> bool:
    return abs(sum(values[:-1]) - values[-1]) < 1e-6
