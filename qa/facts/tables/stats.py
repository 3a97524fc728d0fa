"""The statistics table of 2009–2018 reports (政府信息公开情况统计表), read row by row.

2009–2018 reports end with a 政府信息公开情况统计表: "指标名称 计量单位 2012年度 历年累计
主动公开信息数 条 19 33 其中：1、网站公开 条 19 33 …", on web pages often run together
("主动公开信息数条2626其中：1、网站公开条26262、政府公报公开条00"). A 历年累计 column is the running
total (scope "cumulative"); glued digits are split only when their count leaves one way.
"""

from __future__ import annotations

import re
from typing import Optional

from qa.facts.tables.inline import any_cell, inline_run
from qa.facts.tables.page import Hit, Page
from qa.facts.tables.rows import Cell, flag, fmt, row_cells

STATS_ROWS: list[tuple[str, Optional[str]]] = [  # (regex on the row label, metric); the first match wins
    (r"同意部分公开", "result_partial"),
    (r"同意公开", "result_public"),
    (r"(?:否决|不予)公开答复", "withheld_total"),
    (r"其他类型答复", "result_other"),
    (r"答复(?:总)?数", "results_total"),
    (r"网站公开", "proactive_website"),
    (r"公报公开", "proactive_gazette"),
    (r"主动公开(?:政府)?(?:信息|文件)数", "proactive_disclosures"),
    (r"正式受理.*申请|受理.*申请.*总数|申请总数", "applications_received"),
    (r"^[、.．]?办结$", "results_total"),
    (r"同意提供", "result_public"),
    (r"拒绝提供", "withheld_total"),
    (r"信息不存在", "unavailable_not_held"),
    (r"咨询数", "consultations"),
    (r"查询点受理", None),  # 查询点受理查询数: queries at the points, no metric of ours (and not the points)
    (r"查询点数", "reading_points"),
    (r"当面申请", "applications_in_person"),
    (r"信函、?传真申请", "applications_letter_fax"),
    (r"传真申请", "applications_fax"),
    (r"电子邮件申请", "applications_email"),
    (r"(?:网上|网络)申请", "applications_online"),
    (r"信函申请", "applications_letter"),
    (r"其[他它]形式申请", "applications_other_channel"),
    (r"行政复[议试]数", "review_total"),  # 复试: a typo the Pingtan tables repeat for 复议
    (r"行政诉讼数", "litigation_total"),
    (r"申诉", "complaints"),
]
STATS_ROW = re.compile(r"(?P<label>[^\d\s|]{2,40}?)[ \t]*(?P<unit>条|件)[ \t]*(?=[+\-]?\d)")
STATS_END = re.compile(r"附件下载")


def _stats_metric(label: str) -> Optional[str]:
    for pattern, metric in STATS_ROWS:
        if re.search(pattern, label):
            return metric
    return None


def stats_cells(page: Page, lo: int, hi: int) -> list[Cell]:
    """The cells of the statistics table after its 指标名称 header ([] when there is none)."""
    view = page.view
    head = page.search(r"指标名称", lo, hi)
    if not head:
        return []
    end = STATS_END.search(view, head[1], hi)
    hi = end.start() if end else hi
    first = STATS_ROW.search(view, head[1], hi)
    if not first:
        return []
    header = re.sub(r"\s", "", view[head[0]:first.end("unit")])
    scopes = ["", "cumulative"] if "累计" in header else [""]
    cells: list[Cell] = []
    pos = head[1]
    while True:
        m = STATS_ROW.search(view, pos, hi)
        if not m:
            break
        run = inline_run(page, m.end(), hi)
        pos = (run.end if run is not None and run.toks else m.end()) + 0
        if pos <= m.start():
            pos = m.end()
        metric = _stats_metric(re.sub(r"\s", "", m.group("label")))
        if metric is None:
            continue
        hit = Hit(metric, m.start("label"), m.end("label"), page.line_of(m.start()))
        quote = (m.start("label"), run.end if run is not None and run.toks else m.end())
        units = [m.group("unit")] * len(scopes)
        cells += row_cells(page, hit, run, scopes, units, any_cell, quote)
    _check_stats(cells, scopes)
    return cells


# A total of the statistics table and the rows it is the sum of ("其中：1.… 2.…").
STATS_PARTS = {
    "applications_received": ["applications_in_person", "applications_fax", "applications_email",
                              "applications_online", "applications_letter", "applications_letter_fax",
                              "applications_other_channel"],
    "results_total": ["result_public", "result_partial", "withheld_total", "result_other"],
}


def _check_stats(cells: list[Cell], scopes: list[str]) -> None:
    """Flag (never fix) totals that are not the sum of their parts, and years above the running total."""
    by_key = {(c.metric, c.scope): c for c in cells}

    def value(metric: str, scope: str) -> Optional[float]:
        c = by_key.get((metric, scope))
        return c.tok.value if c is not None and c.tok is not None else None

    for total, parts in STATS_PARTS.items():
        for scope in scopes:
            t = value(total, scope)
            vals = [value(p, scope) for p in parts if (p, scope) in by_key]
            if t is not None and vals and None not in vals and abs(sum(vals) - t) > 1e-6:
                label = "历年累计" if scope else "本年"
                flag([by_key[(total, scope)]] + [by_key[(p, scope)] for p in parts if (p, scope) in by_key],
                      f"{label} total {fmt(t)} ≠ sum of its parts {fmt(sum(vals))}")
    if "cumulative" in scopes:
        for (metric, scope), c in by_key.items():
            year, running = value(metric, ""), value(metric, "cumulative")
            if scope == "" and year is not None and running is not None and year > running:
                flag([c, by_key[(metric, "cumulative")]], f"this year {fmt(year)} > 历年累计 {fmt(running)}")
