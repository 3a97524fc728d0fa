"""Comparisons and aggregates across reports, from the facts table only (SQLite, no models).

Every figure an analysis shows is either a *stated* value (a fact, with the citation of the
sentence or table row it came from) or a *computed* value (difference, percentage change, sum,
mean), which carries the formula and the rows it was computed from. A report that does not
state a metric gives a row with status ``missing`` and value None: it is never counted as 0.

One value per report (`report_rows`):
  - the table cell of the asked scope (default: the row's 总计 / main column) wins over prose,
    because the template table is the report's formal statistic; an ``ok`` cell wins over one
    flagged ``inconsistent`` by the table's own arithmetic;
  - when the same report states another value for the metric (prose 17 vs table 95), the row
    keeps it in ``conflicts`` and the answer says so, with both citations;
  - a metric the report states only as parts (行政诉讼 = 未经复议直接起诉 + 复议后起诉) is
    their sum (status ``derived``), citing the parts.

Analyses: `trend` (one agency over years, with year-over-year changes), `compare` (agencies for
one metric and year, with the difference when there are two), `zeros` ("which agencies reported
0 …?": stated 0 / stated non-zero / silent), `ranking`, `total` (sum over the reports that state
the metric; how many are missing is said, never filled in).

`analysis_answer(query, store)` turns a compare/list query into an `Answer` whose text cites
each stated value with ``[n]`` markers. Computed numbers are marked 计算/computed in the text and
are also listed in `Answer.facts` as facts with ``source="computed"``, ``status="computed"``,
the magnitude as written in the text, and the formula in ``note`` (so `qa.answer.verify.verify_answer`
finds them as facts of the cited reports instead of flagging them as invented).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Literal, Optional

from pydantic import BaseModel, Field

from qa.facts.common import vocabulary
from qa.store import Store
from qa.types import Answer, Citation, Fact, Qualifier, Query

RowStatus = Literal["stated", "derived", "unreadable", "missing", "no_report"]
Kind = Literal["trend", "compare", "zeros", "ranking", "total"]

MAIN_SCOPES = ("total", "", "decisions", "amount", "in_force", "total_published", "items")
ZERO_QUESTION = re.compile(
    r"为\s*0|为零|是\s*0|是零|0\s*件|零件|没有|未发生|\b(?:zero|none)\b|reported\s+(?:no|0)\b|\bno\s+\w+", re.I)
TOTAL_QUESTION = re.compile(r"总计|合计|总共|共计|总数|加起来|\btotal\b|\bsum\b|altogether|combined", re.I)
ACROSS = re.compile(r"各|所有|全部|\ball\b|\bevery\b|\bacross\b|\beach\b", re.I)
RANK_QUESTION = re.compile(r"排名|排序|最多|最少|最高|最低|\brank|\bmost\b|\bleast\b|\bhighest\b|\blowest\b", re.I)


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


class Computed(BaseModel):
    label: str = Field(description="difference / percent_change / total / mean / ratio.")
    value: Optional[float] = Field(description="Signed result; None when it cannot be computed (e.g. division by 0).")
    shown: str = Field(default="", description="How the answer text writes it.")
    formula: str = Field(description="e.g. '119 − 134 = −15'.")
    rows: list[int] = Field(description="Indexes into Analysis.rows of the inputs.")
    approximate: bool = Field(default=False, description="Some input is not exact (余/约/近).")


class Analysis(BaseModel):
    kind: Kind
    metric: str
    scope: str = ""
    rows: list[AnalysisRow] = Field(default_factory=list)
    computed: list[Computed] = Field(default_factory=list)
    summary: str = Field(default="", description="One-line summary, English.")
    warnings: list[str] = Field(default_factory=list)

    @property
    def stated(self) -> list[AnalysisRow]:
        return [r for r in self.rows if r.value is not None]

    @property
    def missing(self) -> list[AnalysisRow]:
        return [r for r in self.rows if r.value is None]


# ---------------------------------------------------------------------------- helpers

def num(value: Optional[float], digits: int = 6) -> str:
    """A stated or computed value, exactly as far as float allows (7730.28 stays 7730.28)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def signed(value: float, digits: int = 6) -> str:
    """'+5', '−15' (U+2212 minus, so the sign is not a hyphen)."""
    return ("+" if value > 0 else "−" if value < 0 else "±") + num(abs(value), digits)


def _citation(f: Fact, store: Store, paths: dict) -> Citation:
    from qa.answer.route import fact_citation

    return fact_citation(f, store)


def _rank(f: Fact) -> tuple:
    status = {"ok": 0, "inconsistent": 1}.get(f.status, 2)
    return (f.value is None, status, f.source != "table", f.start)


def _main(facts: list[Fact], scope: Optional[str]) -> list[Fact]:
    if scope:
        return [f for f in facts if f.scope == scope]
    for s in MAIN_SCOPES:
        chosen = [f for f in facts if f.scope == s]
        if s == "total":
            chosen += [f for f in facts if f.scope == ""]  # the prose statement of the same total
        if chosen:
            return chosen
    return facts[:1] and [f for f in facts if f.scope == facts[0].scope]


def _same(a: float, b: Fact) -> bool:
    if b.qualifier is Qualifier.exact:
        return abs(a - b.value) < 1e-9
    if b.qualifier in (Qualifier.at_least, Qualifier.incomplete):
        return a >= b.value - 1e-9
    return abs(a - b.value) <= 0.1 * max(abs(a), abs(b.value), 1)


def report_rows(store: Store, metric: str, agencies: list[str] = (), years: list[int] = (),
                scope: Optional[str] = None, include_missing: bool = True) -> list[AnalysisRow]:
    """One row per stored report of these agencies/years: its value for `metric`, or missing."""
    if metric not in vocabulary()["metrics"]:
        raise KeyError(f"unknown metric {metric!r}")
    agencies, years = list(agencies), list(years)
    paths: dict[str, str] = {}
    by_report: dict[str, list[Fact]] = defaultdict(list)
    for f in store.facts(metric, agencies, years):
        by_report[f.report_id].append(f)
    parts = vocabulary()["metrics"][metric].get("parts", [])
    rows: list[AnalysisRow] = []
    for info in store.reports():
        if (agencies and info["agency"] not in agencies) or (years and info["year"] not in years):
            continue
        rid = info["id"]
        paths[rid] = info["path"]
        base = dict(report_id=rid, path=info["path"], agency=info["agency"] or "?", year=info["year"], metric=metric)
        facts = sorted(_main(by_report.get(rid, []), scope), key=_rank)
        if facts:
            best = facts[0]
            row = AnalysisRow(**base, scope=best.scope, value=best.value, unit=best.unit, qualifier=best.qualifier,
                              status="stated" if best.value is not None else "unreadable", source=best.source,
                              citation=_citation(best, store, paths), facts=[best],
                              note=best.note if best.status != "ok" else "")
            if best.value is not None:
                seen = {best.value}
                for other in facts[1:]:
                    if other.value is None or other.value in seen or _same(best.value, other):
                        continue
                    seen.add(other.value)
                    row.conflicts.append((other.value, other.source, _citation(other, store, paths)))
                    row.facts.append(other)
            rows.append(row)
            continue
        derived = _derive(store, rid, parts, base, paths) if parts and not scope else None
        if derived:
            rows.append(derived)
        elif include_missing:
            rows.append(AnalysisRow(**base, unit=vocabulary()["metrics"][metric].get("unit", ""), status="missing"))
    rows.sort(key=lambda r: (r.agency, r.year or 0))
    return rows


def _derive(store: Store, rid: str, parts: list[str], base: dict, paths: dict) -> Optional[AnalysisRow]:
    from qa.answer.route import parts_note
    chosen: list[Fact] = []
    for part in parts:
        fs = sorted(_main(store.facts(part, report_id=rid), None), key=_rank)
        if not fs or fs[0].value is None:
            return None
        chosen.append(fs[0])
    exact = all(f.qualifier is Qualifier.exact for f in chosen)
    cites = [_citation(f, store, paths) for f in chosen]
    uniq = list({(c.start, c.end): c for c in cites}.values())
    return AnalysisRow(**base, value=sum(f.value for f in chosen), unit=chosen[0].unit,
                       qualifier=Qualifier.exact if exact else Qualifier.approx, status="derived", source="parts",
                       citation=uniq[0], part_citations=uniq, facts=chosen,
                       note="sum of " + parts_note(chosen, english=True))


def _approx(rows: list[AnalysisRow]) -> bool:
    return any(r.qualifier is not Qualifier.exact for r in rows)


# ---------------------------------------------------------------------------- analyses

def trend(store: Store, metric: str, agency: Optional[str] = None, years: list[int] = (),
          scope: Optional[str] = None, agencies: list[str] = ()) -> Analysis:
    """Values of one metric per report over the years (one agency, some, or every agency), with changes."""
    rows = report_rows(store, metric, [agency] if agency else list(agencies), years, scope)
    result = Analysis(kind="trend", metric=metric, scope=scope or "", rows=rows)
    by_agency: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.value is not None:
            by_agency[r.agency].append(i)
    for agency_name, idx in by_agency.items():
        for a, b in zip(idx, idx[1:]):
            result.computed += _change(rows, a, b)
    _conflict_warnings(result)
    stated = result.stated
    result.summary = (f"{metric}: {len(stated)} stated value(s) in {len(rows)} report(s)"
                      + (f"; missing in {len(rows) - len(stated)}" if len(stated) < len(rows) else ""))
    return result


def _change(rows: list[AnalysisRow], a: int, b: int) -> list[Computed]:
    ra, rb = rows[a], rows[b]
    approx = _approx([ra, rb])
    delta = rb.value - ra.value
    out = [Computed(label="difference", value=delta, shown=signed(delta),
                    formula=f"{num(rb.value)} − {num(ra.value)} = {signed(delta)}", rows=[a, b], approximate=approx)]
    if ra.value:
        pct = round(delta / ra.value * 100, 1)
        out.append(Computed(label="percent_change", value=pct, shown=signed(pct, 1) + "%",
                            formula=f"({num(rb.value)} − {num(ra.value)}) / {num(ra.value)} = {signed(pct, 1)}%",
                            rows=[a, b], approximate=approx))
    return out


def compare(store: Store, metric: str, agencies: list[str], year: Optional[int] = None,
            scope: Optional[str] = None) -> Analysis:
    """One metric, several agencies, one year (or each agency's reports when year is None)."""
    rows = report_rows(store, metric, agencies, [year] if year else [], scope)
    result = Analysis(kind="compare", metric=metric, scope=scope or "", rows=rows)
    stated = [i for i, r in enumerate(rows) if r.value is not None]
    if len(stated) == 2 and rows[stated[0]].agency != rows[stated[1]].agency:
        a, b = stated
        delta = rows[a].value - rows[b].value
        result.computed.append(Computed(
            label="difference", value=delta, shown=num(abs(delta)),
            formula=f"{num(rows[a].value)} − {num(rows[b].value)} = {signed(delta)}", rows=[a, b],
            approximate=_approx([rows[a], rows[b]])))
    for agency_name in agencies:
        if not any(r.agency == agency_name for r in rows):
            rows.append(AnalysisRow(agency=agency_name, year=year, metric=metric, status="no_report"))
    _conflict_warnings(result)
    result.summary = f"{metric}: {len(stated)} of {len(rows)} agency report(s) state a value"
    return result


def zeros(store: Store, metric: str, years: list[int] = (), agencies: list[str] = (),
          scope: Optional[str] = None) -> Analysis:
    """Which reports state 0 for the metric; silent reports are listed as missing, never as 0."""
    rows = report_rows(store, metric, agencies, years, scope)
    order = {"zero": 0, "nonzero": 1, "missing": 2}
    rows.sort(key=lambda r: (order[zero_group(r)], r.agency, r.year or 0))
    result = Analysis(kind="zeros", metric=metric, scope=scope or "", rows=rows)
    groups = defaultdict(int)
    for r in rows:
        groups[zero_group(r)] += 1
    result.summary = (f"{metric}: {groups['zero']} report(s) state 0, {groups['nonzero']} state another value, "
                      f"{groups['missing']} do not state it")
    _conflict_warnings(result)
    return result


def zero_group(row: AnalysisRow) -> str:
    if row.value is None:
        return "missing"
    return "zero" if row.value == 0 else "nonzero"


def ranking(store: Store, metric: str, years: list[int] = (), agencies: list[str] = (),
            scope: Optional[str] = None, descending: bool = True) -> Analysis:
    rows = report_rows(store, metric, agencies, years, scope)
    rows.sort(key=lambda r: (r.value is None, -(r.value or 0) if descending else (r.value or 0), r.agency))
    result = Analysis(kind="ranking", metric=metric, scope=scope or "", rows=rows)
    _conflict_warnings(result)
    result.summary = f"{metric}: {len(result.stated)} ranked, {len(result.missing)} not stated"
    return result


def total(store: Store, metric: str, years: list[int] = (), agencies: list[str] = (),
          scope: Optional[str] = None) -> Analysis:
    """Sum (and mean) over the reports that state the metric; the missing ones are named, not zeroed."""
    rows = report_rows(store, metric, agencies, years, scope)
    result = Analysis(kind="total", metric=metric, scope=scope or "", rows=rows)
    idx = [i for i, r in enumerate(rows) if r.value is not None]
    if idx:
        s = sum(rows[i].value for i in idx)
        approx = _approx([rows[i] for i in idx])
        result.computed.append(Computed(label="total", value=s, shown=num(s),
                                        formula=" + ".join(num(rows[i].value) for i in idx) + f" = {num(s)}",
                                        rows=idx, approximate=approx))
        if len(idx) > 1:
            mean = round(s / len(idx), 1)
            result.computed.append(Computed(label="mean", value=mean, shown=num(mean),
                                            formula=f"{num(s)} / {len(idx)} = {num(mean)}", rows=idx,
                                            approximate=approx))
    units = {rows[i].unit for i in idx}
    if len(units) > 1:
        result.warnings.append("units differ between reports: " + " / ".join(sorted(units)))
    _conflict_warnings(result)
    result.summary = (f"{metric}: total over {len(idx)} report(s)"
                      + (f"; {len(rows) - len(idx)} report(s) do not state it (not counted)" if len(idx) < len(rows) else ""))
    return result


def _conflict_warnings(result: Analysis) -> None:
    for r in result.rows:
        for value, source, _ in r.conflicts:
            result.warnings.append(
                f"{r.agency} {r.year}: the report states {num(r.value)} ({r.source}) and also {num(value)} ({source})")
        if r.note and r.status == "stated" and r.facts and r.facts[0].status == "inconsistent":
            result.warnings.append(f"{r.agency} {r.year}: {r.note}")


# ---------------------------------------------------------------------------- answers

def choose(query: Query, store: Store) -> Optional[Analysis]:
    """The analysis a compare/list query asks for (None when there is nothing to compute)."""
    if not query.metric or query.intent not in ("compare", "list", "lookup"):
        return None
    q, metric, scope = query.question, query.metric, query.scope
    agencies, years = list(query.agencies), list(query.years)
    if query.intent == "lookup" and not (RANK_QUESTION.search(q) or (TOTAL_QUESTION.search(q) and ACROSS.search(q))):
        return None  # a plain lookup is fact_answer's job
    if query.intent == "list" or (not agencies and ZERO_QUESTION.search(q)):
        if ZERO_QUESTION.search(q):
            return zeros(store, metric, years, agencies, scope)
        return ranking(store, metric, years, agencies, scope)
    if TOTAL_QUESTION.search(q) and (len(agencies) != 1 or len(years) != 1):
        return total(store, metric, years, agencies, scope)
    if RANK_QUESTION.search(q):
        return ranking(store, metric, years, agencies, scope, descending=not re.search(r"最少|最低|least|lowest", q, re.I))
    if len(agencies) == 1:
        return trend(store, metric, agencies[0], years, scope)
    if len(agencies) >= 2:
        if len(years) <= 1:
            return compare(store, metric, agencies, years[0] if years else None, scope)
        return trend(store, metric, None, years, scope, agencies=agencies)
    if years:
        return ranking(store, metric, years, [], scope) if len(years) == 1 else trend(store, metric, None, years, scope)
    return None


def analysis_answer(query: Query, store: Store) -> Optional[Answer]:
    """A cited Answer for a compare/list query with a metric, or None (caller falls back to fact_answer)."""
    analysis = choose(query, store)
    if analysis is None or not analysis.stated:
        return None
    return render_answer(query, analysis, store)


def _agency_label(agency: str, english: bool) -> str:
    if not english:
        return agency
    from qa.meta import known_agencies

    en = known_agencies().get(agency, {}).get("en", [])
    return f"{agency} ({_title(en[0])})" if en else agency


def _title(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def render_answer(query: Query, analysis: Analysis, store: Store) -> Answer:
    from qa.answer.route import format_value, metric_name, scope_name

    english = query.language in ("en", "mixed")
    cites: list[Citation] = []
    keys: dict[tuple, int] = {}

    def mark(c: Optional[Citation]) -> str:
        if c is None:
            return ""
        key = (c.report_id, c.start, c.end)
        if key not in keys:
            cites.append(c)
            keys[key] = len(cites)
        return f"[{keys[key]}]"

    name = metric_name(analysis.metric, english)
    if analysis.scope and analysis.scope != "total":
        name += f" ({scope_name(analysis.scope, english)})" if english else f"（{scope_name(analysis.scope, english)}）"

    def value_text(r: AnalysisRow) -> str:
        if r.status == "missing":
            return "not stated in the report" if english else "报告未说明"
        if r.status == "no_report":
            return "no report ingested" if english else "未收录报告"
        if r.status == "unreadable":
            return "cell could not be read" if english else "单元格无法读取"
        fact = Fact(report_id=r.report_id or "", metric=r.metric, value=r.value, unit=r.unit,
                    qualifier=r.qualifier, start=0, end=0, quote="", quote_start=0, quote_end=0)
        text = format_value(fact, english)
        if r.status == "derived":
            parts = " + ".join(num(f.value) for f in r.facts)
            text += (f" (computed: {parts}, the report states only the parts)" if english
                     else f"（计算：{parts}，报告只列出分项）")
            text += "".join(mark(c) for c in r.part_citations)
        else:
            text += " " + mark(r.citation) if english else mark(r.citation)
        for value, source, c in r.conflicts:
            unit = f" {r.unit}" if english else r.unit
            text += (f"; the same report also states {num(value)}{unit} ({source}) {mark(c)}" if english
                     else f"；同一报告{'正文' if source == 'prose' else '表格'}另称{num(value)}{unit}{mark(c)}")
        if r.facts and r.facts[0].status == "inconsistent":
            text += (" — flagged: the report's own table arithmetic fails" if english
                     else "——注意：报告表格自身的勾稽关系不成立")
        return text

    def row_line(r: AnalysisRow, with_agency: bool = True) -> str:
        who = _agency_label(r.agency, english)
        year = str(r.year) if r.year else "?"
        if english:
            return f"- {who} ({year}): {value_text(r)}"
        return f"- {who}{year}年：{value_text(r)}"

    lines: list[str] = []
    rows = analysis.rows
    if analysis.kind == "zeros":
        groups = defaultdict(list)
        for r in rows:
            groups[zero_group(r)].append(r)
        heads = ({"zero": f"Reports that state zero for {name}:", "nonzero": "Reports that state another value:",
                  "missing": "Reports that do not state it (not counted as zero):"} if english else
                 {"zero": f"报告明确{name}为零的：", "nonzero": "报告了其他数值的：", "missing": "报告未说明（不计为零）的："})
        for g in ("zero", "nonzero", "missing"):
            if groups[g]:
                lines.append(heads[g])
                lines += [row_line(r) for r in groups[g]]
        if not groups["zero"]:
            lines.insert(0, f"No report states zero for {name}." if english else f"没有报告明确{name}为零。")
    else:
        head = {
            "trend": (f"{name} by year:", f"{name}（按年度）："),
            "compare": (f"{name}, by agency:", f"{name}（各机关对比）："),
            "ranking": (f"{name}, ranked (missing values last, not counted as zero):", f"{name}排序（未说明的列在最后，不计为零）："),
            "total": (f"{name}, total over the reports that state it:", f"{name}合计（仅计报告有说明的）："),
        }[analysis.kind]
        lines.append(head[0] if english else head[1])
        lines += [row_line(r) for r in rows]
        for c in analysis.computed:
            lines.append(_computed_line(c, rows, english, mark))
        if analysis.kind == "total" and analysis.missing:
            lines.append("Reports that do not state it are not counted (not taken as zero)." if english
                         else "未说明的报告未计入合计（不按零计）。")
    computed_facts = _computed_facts(analysis)
    facts = [f for r in rows for f in r.facts] + computed_facts
    warnings = list(query.unsupported) + list(dict.fromkeys(analysis.warnings))
    single = analysis.computed[0] if analysis.kind == "total" and analysis.computed else None
    return Answer(question=query.question, text="\n".join(lines), mode="fact",
                  value=single.value if single else None, unit=rows[0].unit if single and rows else "",
                  citations=cites, facts=facts, query=query, verification="verified", warnings=warnings)


def _computed_line(c: Computed, rows: list[AnalysisRow], english: bool, mark) -> str:
    refs = "".join(mark(rows[i].citation) for i in c.rows if rows[i].citation is not None)
    approx = (" (approximate: some inputs are not exact)" if english else "（约数：部分数值非精确）") if c.approximate else ""
    if c.label in ("difference", "percent_change") and len(c.rows) == 2:
        a, b = rows[c.rows[0]], rows[c.rows[1]]
        if a.agency == b.agency:
            if c.label == "difference":
                if english:
                    return f"Computed change {a.year}→{b.year}: {num(a.value)} → {num(b.value)}, {c.shown}{approx} {refs}"
                return f"计算：{a.year}→{b.year}年变化 {num(a.value)} → {num(b.value)}，{c.shown}{approx}{refs}"
            return (f"Computed percentage change {a.year}→{b.year}: {c.shown}{approx} {refs}" if english
                    else f"计算：{a.year}→{b.year}年变化率 {c.shown}{approx}{refs}")
        if english:
            return (f"Computed difference: {a.agency} {num(a.value)} − {b.agency} {num(b.value)} = "
                    f"{signed(c.value)}{approx} {refs}")
        return f"计算：{a.agency}比{b.agency}{'多' if c.value >= 0 else '少'}{num(abs(c.value))}{a.unit}{approx}{refs}"
    if c.label == "total":
        return (f"Computed total of the values above: {c.shown}{approx} {refs}" if english
                else f"计算：以上数值合计{c.shown}{approx}{refs}")
    if c.label == "mean":
        return (f"Computed mean per report stating it: {c.shown}{approx} {refs}" if english
                else f"计算：平均每份（有说明的）报告{c.shown}{approx}{refs}")
    return f"{c.label}: {c.formula}"


def _computed_facts(analysis: Analysis) -> list[Fact]:
    """Computed values as facts (source 'computed'): the magnitude as the text writes it, formula in note."""
    out = []
    for r in analysis.rows:
        if r.status == "derived":
            out.append(Fact(report_id=r.report_id or "", agency=r.agency, year=r.year, metric=r.metric, value=r.value,
                            unit=r.unit, qualifier=r.qualifier, scope="computed:sum_of_parts", source="computed",
                            start=0, end=0, quote=r.note, quote_start=0, quote_end=0, status="computed",
                            note=f"computed: {r.note}"))
    for c in analysis.computed:
        if c.value is None:
            continue
        last = analysis.rows[c.rows[-1]]
        shown = abs(c.value)
        out.append(Fact(report_id=last.report_id or "", agency=last.agency, year=last.year, metric=analysis.metric,
                        value=shown, unit="%" if c.label == "percent_change" else last.unit,
                        qualifier=Qualifier.approx if c.approximate else Qualifier.exact,
                        scope=f"computed:{c.label}", source="computed", start=0, end=0, quote=c.formula,
                        quote_start=0, quote_end=0, status="computed", note=f"computed: {c.formula}"))
        if c.label == "mean":  # the mean is tied to every input report
            for i in c.rows[:-1]:
                r = analysis.rows[i]
                out.append(out[-1].model_copy(update={"report_id": r.report_id or "", "agency": r.agency, "year": r.year}))
    return out
