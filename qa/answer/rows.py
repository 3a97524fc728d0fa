"""One value per report for a metric (`report_rows`), the rows every analysis is made of.

  - the table cell of the asked scope (default: the row's 总计 / main column) wins over prose,
    because the template table is the report's formal statistic; an ``ok`` cell wins over one
    flagged ``inconsistent`` by the table's own arithmetic;
  - when the same report states another value for the metric (prose 17 vs table 95), the row
    keeps it in ``conflicts`` and the answer says so, with both citations;
  - a metric the report states only as parts (行政诉讼 = 未经复议直接起诉 + 复议后起诉) is
    their sum (status ``derived``), citing the parts.

A report that does not state a metric gives a row with status ``missing`` and value None: it
is never counted as 0.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal, Optional

from pydantic import BaseModel, Field

from qa.facts.numerals import value_fits
from qa.answer.wording import fact_citation, parts_note, unique_citations
from qa.facts.common import vocabulary
from qa.store import Store
from qa.types import Citation, Fact, Qualifier

RowStatus = Literal["stated", "derived", "unreadable", "missing", "no_report"]
MAIN_SCOPES = ("total", "", "decisions", "amount", "in_force", "total_published", "items")


class AnalysisRow(BaseModel):
    report_id: Optional[str] = Field(default=None, description="Report the value comes from (None: no report).")
    path: str = Field(default="", description="File of the report.")
    agency: str = Field(description="Canonical agency name.")
    year: Optional[int] = Field(default=None, description="Year reported on.")
    metric: str = Field(description="Metric id (qa/facts/metrics.toml).")
    scope: str = Field(default="", description="Table column / sub-kind of the value.")
    value: Optional[float] = Field(default=None, description="The value; None when missing or unreadable — never 0.")
    unit: str = ""
    qualifier: Qualifier = Qualifier.exact
    status: RowStatus = Field(description="stated / derived (sum of stated parts) / unreadable / missing / no_report.")
    source: str = Field(default="", description="table / prose / parts.")
    citation: Optional[Citation] = Field(default=None, description="Where the value is stated.")
    part_citations: list[Citation] = Field(default_factory=list, description="Citations of the parts, when derived.")
    facts: list[Fact] = Field(default_factory=list, description="The facts this row rests on.")
    conflicts: list[tuple[float, str, Citation]] = Field(
        default_factory=list, description="Other values the same report states for this metric: (value, source, citation).")
    note: str = Field(default="", description="Flag from the table extractor (inconsistent / unparsed), or how derived.")



def _rank(f: Fact) -> tuple:
    status = {"ok": 0, "inconsistent": 1}.get(f.status, 2)
    return (f.value is None, status, f.source != "table", f.start)


RUNNING_OR_MAIN = "cumulative|main"  # asked in running-total words: the running total, else the report's figure


def _main(facts: list[Fact], scope: Optional[str]) -> list[Fact]:
    if scope == RUNNING_OR_MAIN:  # 年度总关注用户 is the running total a report writes without 累计
        return [f for f in facts if f.scope == "cumulative"] or _main(facts, None)
    if scope:
        return [f for f in facts if f.scope == scope]
    for s in MAIN_SCOPES:
        chosen = [f for f in facts if f.scope == s]
        if s == "total":
            chosen += [f for f in facts if f.scope == ""]  # the prose statement of the same total
        if chosen:
            return chosen
    return facts[:1] and [f for f in facts if f.scope == facts[0].scope]


def _readable(best: Fact, facts: list[Fact]) -> Fact:
    """The statement to cite for the best value: where the number reads as written. A table row
    whose cells came glued (本年新收…210000021) shows 21 to no reader; a sentence of the same
    report stating the same value does."""
    from qa.answer.verify import quote_values

    def states(f: Fact) -> bool:
        return any(abs(v - f.value) < 1e-9 for v in quote_values(f.quote))

    if best.value is None or states(best):
        return best
    return next((f for f in facts if f.value == best.value and f is not best and states(f)), best)


def _same(a: float, b: Fact) -> bool:
    return value_fits(b.value, b.qualifier, a)


def report_rows(store: Store, metric: str, agencies: list[str] = (), years: list[int] = (),
                scope: Optional[str] = None, include_missing: bool = True) -> list[AnalysisRow]:
    """One row per stored report of these agencies/years: its value for `metric`, or missing."""
    if metric not in vocabulary()["metrics"]:
        raise KeyError(f"unknown metric {metric!r}")
    agencies, years = list(agencies), list(years)
    by_report: dict[str, list[Fact]] = defaultdict(list)
    for f in store.facts(metric, agencies, years):
        by_report[f.report_id].append(f)
    parts = vocabulary()["metrics"][metric].get("parts", [])
    rows: list[AnalysisRow] = []
    for info in store.reports():
        if (agencies and info["agency"] not in agencies) or (years and info["year"] not in years):
            continue
        rid = info["id"]
        base = dict(report_id=rid, path=info["path"], agency=info["agency"] or "?", year=info["year"], metric=metric)
        facts = sorted(_main(by_report.get(rid, []), scope), key=_rank)
        if facts:
            best = facts[0]
            row = AnalysisRow(**base, scope=best.scope, value=best.value, unit=best.unit, qualifier=best.qualifier,
                              status="stated" if best.value is not None else "unreadable", source=best.source,
                              citation=fact_citation(_readable(best, facts), store), facts=[best],
                              note=best.note if best.status != "ok" else "")
            if best.value is not None:
                seen = {best.value}
                for other in facts[1:]:
                    if other.value is None or other.value in seen or _same(best.value, other):
                        continue
                    seen.add(other.value)
                    row.conflicts.append((other.value, other.source, fact_citation(other, store)))
                    row.facts.append(other)
            rows.append(row)
            continue
        derived = _derive(store, rid, parts, base) if parts and not scope else None
        if derived:
            rows.append(derived)
        elif include_missing:
            rows.append(AnalysisRow(**base, unit=vocabulary()["metrics"][metric].get("unit", ""), status="missing"))
    rows.sort(key=lambda r: (r.agency, r.year or 0))
    return rows


def _derive(store: Store, rid: str, parts: list[str], base: dict) -> Optional[AnalysisRow]:
    chosen: list[Fact] = []
    for part in parts:
        fs = sorted(_main(store.facts(part, report_id=rid), None), key=_rank)
        if not fs or fs[0].value is None:
            return None
        chosen.append(fs[0])
    exact = all(f.qualifier is Qualifier.exact for f in chosen)
    uniq = unique_citations([fact_citation(f, store) for f in chosen])
    return AnalysisRow(**base, value=sum(f.value for f in chosen), unit=chosen[0].unit,
                       qualifier=Qualifier.exact if exact else Qualifier.approx, status="derived", source="parts",
                       citation=uniq[0], part_citations=uniq, facts=chosen,
                       note="sum of " + parts_note(chosen, english=True))


def any_approximate(rows: list[AnalysisRow]) -> bool:
    """Some value is not exact (余 / 约 / 近): what is computed from them is approximate too."""
    return any(r.qualifier is not Qualifier.exact for r in rows)


def running_scope(query, store: Store, stated: Optional[list[Fact]] = None) -> Optional[str]:
    """"Total followers at the end of 2019", 截至…累计: the running-total column, when the asked
    reports state one (`stated`: their facts of the metric, when the caller has them already)."""
    from qa.answer.running import asks_running_total

    if not query.metric or not asks_running_total(query.question):
        return None
    if stated is None:  # the asked reports, not the whole store
        stated = store.facts(query.metric, query.agencies, query.years)
    return RUNNING_OR_MAIN if any(f.scope == "cumulative" for f in stated) else None
