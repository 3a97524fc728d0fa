"""Audit a report against itself: the template's own arithmetic, prose vs table, unread cells, sections.

Checks (all from the facts table and sections in SQLite; the report is never "fixed"):

error    (the report's numbers contradict each other, whatever the reading)
  row_total       application table: a row's 总计 ≠ the sum of its six applicant columns
  column_balance  per applicant column: 一 (本年新收) + 二 (上年结转) ≠ 三(七)总计 + 四 (结转下年度)
  results_total   per applicant column: 三(七)总计 ≠ the sum of the result rows (（一）…（六）)
  review_total    复议 / 未经复议直接起诉 / 复议后起诉: 总计 ≠ 维持 + 纠正 + 其他结果 + 尚未审结
warning  (needs a person: the report may mean different things, or we could not read it)
  prose_vs_table  prose states a figure the table states differently (e.g. prose 受理申请 17 件,
                  table 本年新收 总计 95): the prose may count a narrower scope, so not an error
  unparsed        table cells that could not be read, or were left empty in the report (one
                  finding per row)
  missing_section a t2019/t2021 report without one of the six template sections
  table_missing   a t2019/t2021 report whose application or review table was not found

Arithmetic is recomputed here from the cell values, independently of the flags the table
extractor sets, and only over cells that were read: a check with an unread input is skipped,
never computed with 0.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Literal, Optional

from pydantic import BaseModel, Field

from qa.answer.wording import number_text as _n
from qa.facts.numerals import value_fits
from qa.facts.template import (APPLICANT_SCOPES, APPLICATION_METRICS, OTHER_SUBROWS, RESULT_ROWS, REVIEW_GROUPS,
                               REVIEW_PARTS, ROW_LABEL, SCOPE_ZH, TEMPLATE_SECTIONS)
from qa.normalize import matching_view
from qa.store import Store
from qa.types import Citation, Fact

Severity = Literal["error", "warning", "info"]


class Finding(BaseModel):
    report_id: str
    path: str = ""
    agency: Optional[str] = None
    year: Optional[int] = None
    check: str = Field(description="row_total / column_balance / results_total / review_total / prose_vs_table / "
                                   "unparsed / missing_section / table_missing.")
    severity: Severity
    message: str = Field(description="What is wrong, with the report's own numbers.")
    expected: Optional[float] = Field(default=None, description="The value the arithmetic (or the table) gives.")
    found: Optional[float] = Field(default=None, description="The value the report prints.")
    citations: list[Citation] = Field(default_factory=list, description="The rows / sentences involved.")


class ReportAudit(BaseModel):
    report_id: str
    path: str = ""
    agency: Optional[str] = None
    year: Optional[int] = None
    template: str = "prose"
    checks: int = Field(default=0, description="How many checks could be run (all inputs readable).")
    findings: list[Finding] = Field(default_factory=list)


class AuditResult(BaseModel):
    reports: list[ReportAudit] = Field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.reports for f in r.findings]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


class _Ctx:
    def __init__(self, store: Store, report_id: str):
        self.store = store
        self.info = store.report_info(report_id) or {"id": report_id}
        self.facts = store.facts(report_id=report_id)
        self.audit = ReportAudit(report_id=report_id, path=self.info.get("path", ""), agency=self.info.get("agency"),
                                 year=self.info.get("year"), template=self.info.get("template") or "prose")
        self.table: dict[tuple[str, str], Fact] = {}
        for f in self.facts:
            if f.source == "table":
                self.table.setdefault((f.metric, f.scope), f)

    def cite(self, facts: Iterable[Fact]) -> list[Citation]:
        out: dict[tuple[int, int], Citation] = {}
        for f in facts:
            if f is None:
                continue
            key = (f.quote_start, f.quote_end)
            if key not in out:
                out[key] = Citation(report_id=f.report_id, path=self.audit.path, agency=f.agency, year=f.year,
                                    section=f.section, quote=f.quote, start=f.quote_start, end=f.quote_end)
        return list(out.values())

    def value(self, metric: str, scope: str) -> Optional[Fact]:
        f = self.table.get((metric, scope))
        return f if f is not None and f.value is not None else None

    def add(self, check: str, severity: Severity, message: str, facts: Iterable[Fact] = (),
            expected: Optional[float] = None, found: Optional[float] = None, citations: list[Citation] = ()) -> None:
        self.audit.findings.append(Finding(
            report_id=self.audit.report_id, path=self.audit.path, agency=self.audit.agency, year=self.audit.year,
            check=check, severity=severity, message=message, expected=expected, found=found,
            citations=list(citations) or self.cite(facts)))


# ---------------------------------------------------------------------------- checks

def _check_row_totals(ctx: _Ctx) -> None:
    for metric in APPLICATION_METRICS:
        cells = [ctx.value(metric, s) for s in APPLICANT_SCOPES]
        total = ctx.value(metric, "total")
        if total is None or None in cells:
            continue
        ctx.audit.checks += 1
        s = sum(c.value for c in cells)
        if abs(s - total.value) > 1e-6:
            from qa.answer.wording import metric_name

            label = ROW_LABEL.get(metric, metric_name(metric, False))
            ctx.add("row_total", "error",
                    f"{label}：总计 {_n(total.value)} ≠ 六类申请人之和 "
                    f"{' + '.join(_n(c.value) for c in cells)} = {_n(s)}",
                    [total], expected=s, found=total.value)


def _result_rows(ctx: _Ctx) -> list[str]:
    rows = [m for m in RESULT_ROWS if (m, "total") in ctx.table]
    subs = [m for m in OTHER_SUBROWS if (m, "total") in ctx.table]
    if subs:
        rows += subs
    elif ("other_processing", "total") in ctx.table:
        rows.append("other_processing")
    return rows


def _check_columns(ctx: _Ctx) -> None:
    result_rows = _result_rows(ctx)
    for scope in APPLICANT_SCOPES + ["total"]:
        name = SCOPE_ZH[scope]
        one, two, three, four = (ctx.value(m, scope) for m in
                                 ("applications_received", "applications_carried_over", "results_total", "carried_forward"))
        if None not in (one, two, three, four):
            ctx.audit.checks += 1
            left, right = one.value + two.value, three.value + four.value
            if abs(left - right) > 1e-6:
                ctx.add("column_balance", "error",
                        f"{name}列：一+二 ({_n(one.value)}+{_n(two.value)}={_n(left)}) ≠ 三(七)+四 "
                        f"({_n(three.value)}+{_n(four.value)}={_n(right)})",
                        [one, two, three, four], expected=left, found=right)
        parts = [ctx.value(m, scope) for m in result_rows]
        if three is not None and result_rows and None not in parts:
            ctx.audit.checks += 1
            s = sum(p.value for p in parts)
            if abs(s - three.value) > 1e-6:
                ctx.add("results_total", "error",
                        f"{name}列：（七）总计 {_n(three.value)} ≠ 各办理结果之和 {_n(s)}",
                        [three, *parts], expected=s, found=three.value)


def _check_review(ctx: _Ctx) -> bool:
    found_any = False
    for name, prefix in REVIEW_GROUPS:
        parts = [ctx.value(f"{prefix}_{p}", "") for p, _ in REVIEW_PARTS]
        total = ctx.value(f"{prefix}_total", "")
        found_any = found_any or total is not None or any(parts)
        if total is None or None in parts:
            continue
        ctx.audit.checks += 1
        s = sum(p.value for p in parts)
        if abs(s - total.value) > 1e-6:
            terms = " + ".join(f"{zh} {_n(p.value)}" for (_, zh), p in zip(REVIEW_PARTS, parts))
            ctx.add("review_total", "error", f"{name}：总计 {_n(total.value)} ≠ {terms} = {_n(s)}",
                    [total], expected=s, found=total.value)
    return found_any


def _check_unparsed(ctx: _Ctx) -> None:
    rows: dict[tuple[str, str, int], list[Fact]] = defaultdict(list)
    for f in ctx.facts:
        if f.source == "table" and (f.value is None or f.status == "unparsed"):
            rows[(f.metric, f.note, f.quote_start)].append(f)
    for (metric, note, _), fs in rows.items():
        order = APPLICANT_SCOPES + ["total"]
        fs.sort(key=lambda f: order.index(f.scope) if f.scope in order else len(order))
        scopes = ", ".join(SCOPE_ZH.get(f.scope, f.scope) for f in fs if f.scope) or "—"
        ctx.add("unparsed", "warning", f"{metric}（{scopes}）：{note or 'cell could not be read'}", fs)


def _check_sections(ctx: _Ctx) -> None:
    titles = [matching_view(s.title) for s in ctx.store.sections_of(ctx.audit.report_id) if s.level == 1]
    for name, pattern in TEMPLATE_SECTIONS:
        ctx.audit.checks += 1
        if not any(re.search(pattern, t) for t in titles):
            ctx.add("missing_section", "warning", f"template section missing: {name}")


def _same(prose: Fact, table_value: float) -> bool:
    return value_fits(prose.value, prose.qualifier, table_value)


def _check_prose_vs_table(ctx: _Ctx) -> None:
    from qa.facts.common import vocabulary

    metrics = vocabulary()["metrics"]
    seen: set[tuple[str, float]] = set()
    for p in ctx.facts:
        if p.source != "prose" or p.value is None or p.status == "unparsed" or (p.metric, p.value) in seen:
            continue
        table = ctx.value(p.metric, "total") or ctx.value(p.metric, "")
        used: list[Fact] = [table] if table else []
        if table is None:
            parts = [ctx.value(m, "total") or ctx.value(m, "") for m in metrics[p.metric].get("parts", [])]
            if not parts or None in parts:
                continue
            used = parts
        value = sum(f.value for f in used)
        seen.add((p.metric, p.value))
        ctx.audit.checks += 1
        if _same(p, value):
            continue
        from qa.answer.wording import metric_name

        how = "table" if len(used) == 1 else "sum of the table's " + " + ".join(f.metric for f in used)
        ctx.add("prose_vs_table", "warning",
                f"{metric_name(p.metric, False)}: prose states {_n(p.value)}{p.unit}, {how} gives {_n(value)} "
                f"(the prose may count a narrower scope)",
                [p, *used], expected=value, found=p.value)


def audit_report(store: Store, report_id: str) -> ReportAudit:
    ctx = _Ctx(store, report_id)
    if ctx.audit.template in ("t2019", "t2021"):
        _check_sections(ctx)
        if not any(m == "applications_received" for m, _ in ctx.table):
            ctx.add("table_missing", "warning", "application table (三、收到和处理政府信息公开申请情况) not found or not read")
        _check_row_totals(ctx)
        _check_columns(ctx)
        if not _check_review(ctx) and not any(m.startswith(("review", "litigation")) for m, _ in ctx.table):
            ctx.add("table_missing", "warning", "review/litigation table (四、行政复议、行政诉讼) not found or not read")
        _check_unparsed(ctx)
    _check_prose_vs_table(ctx)
    order = {"error": 0, "warning": 1, "info": 2}
    ctx.audit.findings.sort(key=lambda f: order[f.severity])
    return ctx.audit


def resolve_reports(store: Store, refs: Iterable[str]) -> list[str]:
    """Report ids from ids, paths, file names or name fragments; all reports when refs is empty."""
    reports = store.reports()
    refs = list(refs)
    if not refs:
        return [r["id"] for r in reports]
    out: list[str] = []
    for ref in refs:
        hits = [r["id"] for r in reports if ref == r["id"] or ref == r["path"]]
        hits = hits or [r["id"] for r in reports if r["path"].endswith(ref) or ref in r["path"].rsplit("/", 1)[-1]]
        hits = hits or [r["id"] for r in reports if (r["agency"] or "") == ref or ref in (r["agency"] or "")]
        if not hits:
            raise KeyError(f"no ingested report matches {ref!r}")
        out += [h for h in hits if h not in out]
    return out


def audit(store: Store, refs: Iterable[str] = ()) -> AuditResult:
    return AuditResult(reports=[audit_report(store, rid) for rid in resolve_reports(store, refs)])
