"""Running totals (历年累计, 截至…累计总, "so far"): which a question asks for, which a clause states.

A report states a year's count and often the running total since the column began; a question
gets the running total only when it asks for one.
"""

from __future__ import annotations

import re
from typing import Optional

from qa.normalize import matching_view

RUNNING_TOTAL = re.compile(r"历年|截至|截止|至今|累计总|总累计")  # 全年累计 is the year's own total
BARE_RUNNING = re.compile(r"(?<!全年)(?<!本年)(?<!年度)累计")
EN_RUNNING = re.compile(r"\b(?:cumulative(?:ly)?|running total|so far|to date|by the end of)\b"
                        r"|\btotal\b[^?]{0,160}\b(?:(?:at|as of) the )?end of\b", re.I)

# 累计关注用户: followers are a stock, so a bare 累计 before them asks for the running total (累计发布
# 多少条 may be the year's own count)
RUNNING_STOCK = re.compile(r"(?<!全年)(?<!本年)(?<!年度)累计(?:总)?(?:的)?(?:关注|用户|粉丝|订阅)")


def asks_running_total(question: str) -> bool:
    """截至…累计, 历年, "so far", "total … at the end of": the question asks for the running total."""
    view = matching_view(question)
    return bool(RUNNING_TOTAL.search(view) or RUNNING_STOCK.search(view) or EN_RUNNING.search(question))


def running_clauses(view: str, spans: list[tuple[int, int]], new_sentence: list[bool]) -> list[Optional[bool]]:
    """Which clauses state a running total (历年/截至/累计总 …: True), which do not (False), and which
    may be either (None): a bare 累计 (not 全年累计) in a sentence that began 截至/截止 — 截至12月31日，
    …累计共抽检20680批次 is the year's count to one reader and the running total to another."""
    out, since = [], False
    for i, (a, b) in enumerate(spans):
        clause = view[a:b]
        since = (since and not new_sentence[i]) or bool(re.match(r"\s*(?:截至|截止)", clause))
        out.append(True if RUNNING_TOTAL.search(clause) else None if since and BARE_RUNNING.search(clause) else False)
    return out
