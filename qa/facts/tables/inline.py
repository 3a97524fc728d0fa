"""Run-together rows (web pages): a whole table on one line, cells run together with their labels.

"规章000行政规范性文件303", "本年新收政府信息公开申请数量0 0 0 0 0 00", "…总计000000000000000": a row's
numbers are the first run of numbers after its label and before the next row's label; the next
row's enumerator ("…00000002.其他法律") is not a cell.
"""

from __future__ import annotations

import re
from typing import Optional

from qa.facts.tables.page import Group, Hit, Page, number_tok


RUN = re.compile(r"[+\-]?\d+(?:\.\d+)?(?:(?:[ \t\u3000\xa0]*[+\-]|[ \t\u3000\xa0]+)\d+(?:\.\d+)?)*")
RUN_NUMBER = re.compile(r"[+\-]?\d+(?:\.\d+)?")
FIRST_DIGIT = re.compile(r"[+\-]?\d")
PAREN = re.compile(r"[（(][^（()）]*[）)]")
NOT_A_CELL_AFTER = set("年月日号%％")
COUNT_UNITS = set("件条个份项次笔人场期篇")
COUNTED_AMOUNT = re.compile(r"[笔个项件][ \t\u3000\xa0]+(\d+(?:\.\d+)?)(?=[ \t]*(?:万元|亿元|元))")


def inline_run(page: Page, start: int, stop: int) -> Optional[Group]:
    """The numbers of a run-together row whose label ends at `start`; the next label starts at
    `stop`. An empty group: nothing stated; None: a number in a sentence, not a cell."""
    view = page.view
    first = FIRST_DIGIT.search(view, start, stop)
    line = page.line_of(start)
    if not first:
        return Group([], start, start, line, line, False, {line})
    if re.search(r"[，。；;,]", PAREN.sub("", view[start:first.start()])):
        return None  # a sentence between label and number: prose, not this row's cells
    run = RUN.match(view, first.start(), stop)
    toks = [number_tok(m.group(), run.start() + m.start()) for m in RUN_NUMBER.finditer(run.group())]
    after = view[run.end():run.end() + 2]
    counted = COUNTED_AMOUNT.match(view, run.end(), stop) if len(toks) == 1 else None
    if counted:  # "政府集中采购 2笔 984361元": cells written with their units
        toks.append(number_tok(counted.group(1), counted.start(1)))
        return Group(toks, toks[0].start, toks[-1].end, line, page.line_of(toks[-1].end), False, {line})
    if after[:1] in COUNT_UNITS:
        return None  # "申请21件": a count in a sentence, not a cell
    if after[:1] in (".", "、", "．") and not after[1:2].isdigit():
        last = toks.pop()  # "00000002.其他法律": the 2 numbers the next row
        if len(last.digits) > 1:
            toks.append(number_tok(last.digits[:-1], last.start))
    elif after[:1] in NOT_A_CELL_AFTER:
        last = toks.pop()  # "7816 2021年": a date, not a cell
        if after[:1] == "年" and len(last.digits) > 4 and re.fullmatch(r"(?:19|20)\d\d", last.digits[-4:]):
            toks.append(number_tok(last.digits[:-4], last.start))  # "…20000022025年": a year glued to the cells
    if not toks:
        return Group([], start, start, line, line, False, {line})
    return Group(toks, toks[0].start, toks[-1].end, line, page.line_of(toks[-1].end), False, {line})


def inline_rows(page: Page, hits: list[Hit], hi: int) -> tuple[dict[int, Optional[Group]], dict[int, tuple[int, int]]]:
    """Each row's run-together numbers and its quote (label through numbers)."""
    groups: dict[int, Optional[Group]] = {}
    quotes: dict[int, tuple[int, int]] = {}
    prev_end = -1
    for i, hit in enumerate(hits):
        stop = hits[i + 1].start if i + 1 < len(hits) else hi
        group = inline_run(page, hit.end, stop)
        groups[i] = group
        qs = prev_end if 0 <= hit.start - prev_end <= 40 else hit.start
        qe = group.end if group is not None and group.toks else hit.end
        while qs < hit.start and page.text[qs] in " \t\u3000":
            qs += 1
        quotes[i] = (qs, qe)
        prev_end = qe
    return groups, quotes


def is_inline(page: Page, hits: list[Hit]) -> bool:
    """Several rows of the table on one line: the run-together layout."""
    lines = [h.line for h in hits]
    return len(hits) >= 2 and len(set(lines)) * 2 <= len(lines)


def any_cell(toks: list[float]) -> bool:
    return True  # no arithmetic ties these cells together: only the digit count can make a split unique
