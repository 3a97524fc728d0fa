"""Comparisons and aggregates across reports, from the facts table only (SQLite, no models).

Every figure shown is *stated* (a fact, cited) or *computed* (difference, percentage change, sum,
mean: formula and rows kept). A report that does not state a metric gives a ``missing`` row (value
None, never 0) — unless its own sentence states it (qa.answer.fill). Rows: qa.answer.rows.

Analyses: `trend` (one agency over years, with year-over-year changes), `compare` (agencies for
one metric and year, with the difference when there are two), `zeros` ("which agencies reported
0 …?": stated 0 / stated non-zero / silent), `ranking`, `total` (sum over the reports that state
the metric; how many are missing is said, never filled in).

`analysis_answer(query, store)` turns a compare/list query into an `Answer` whose text cites
each stated value with ``[n]`` markers. Computed numbers are marked 计算/computed in the text and
are also listed in `Answer.facts` as facts with ``source="computed"``, ``status="computed"``,
the magnitude as written in the text, and the formula in ``note`` (so `qa.answer.verify.verify`
finds them as facts of the cited reports instead of flagging them as invented).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Literal, Optional

from pydantic import BaseModel, Field

from qa.answer.rows import MAIN_SCOPES, AnalysisRow, RowStatus, any_approximate, report_rows, running_scope  # noqa: F401
from qa.answer.wording import format_value, metric_label, number_text as num, signed
from qa.store import Store
from qa.types import Answer, Citation, Fact, Qualifier, Query

Kind = Literal["trend", "compare", "zeros", "ranking", "total"]
ZERO_QUESTION = re.compile(
    r"为\s*0|为零|是\s*0|是零|0\s*件|零件|没有|未发生|\b(?:zero|none)\b|reported\s+(?:no|0)\b|\bno\s+\w+", re.I)
COMPARE = re.compile(r"比较|对比|相比|变化|versus|\bvs\b|compare|change", re.I)  # "total followers, 2023 versus 2025"
TOTAL_QUESTION = re.compile(r"总计|合计|总共|共计|总数|加起来|\btotal\b|\bsum\b|altogether|combined", re.I)
ACROSS = re.compile(r"各|所有|全部|\ball\b|\bevery\b|\bacross\b|\beach\b", re.I)
RANK_QUESTION = re.compile(r"排名|排序|最多|最少|最高|最低|\brank|\bmost\b|\bleast\b|\bhighest\b|\blowest\b", re.I)


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




# ---------------------------------------------------------------------------- analyses

def trend(store: Store, metric: str, agency: Optional[str] = None, years: list[int] = (),
          scope: Optional[str] = None, agencies: list[str] = ()) -> Analysis:
    """Values of one metric per report over the years (one agency, some, or every agency), with changes."""
    named = [agency] if agency else list(agencies)
    rows = report_rows(store, metric, named, years, scope)
    held = {(r.agency, r.year) for r in rows}
    # a year asked of an agency with no report that year is said, not silently left out
    rows += [AnalysisRow(agency=a, year=y, metric=metric, status="no_report")
             for a in named for y in years if (a, y) not in held]
    order = {a: i for i, a in enumerate(named)}
    rows.sort(key=lambda r: (order.get(r.agency, len(order)), r.year or 0))
    result = Analysis(kind="trend", metric=metric, scope=scope or "", rows=rows, computed=_trend_changes(rows))
    stated = result.stated
    return _finished(result, f"{metric}: {len(stated)} stated value(s) in {len(rows)} report(s)"
                     + (f"; missing in {len(rows) - len(stated)}" if len(stated) < len(rows) else ""))


def _trend_changes(rows: list[AnalysisRow]) -> list[Computed]:
    by_agency: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.value is not None:
            by_agency[r.agency].append(i)
    return [c for idx in by_agency.values() for a, b in zip(idx, idx[1:]) for c in _change(rows, a, b)]


def _change(rows: list[AnalysisRow], a: int, b: int) -> list[Computed]:
    ra, rb = rows[a], rows[b]
    approx = any_approximate([ra, rb])
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
    result = Analysis(kind="compare", metric=metric, scope=scope or "", rows=rows, computed=_difference(rows))
    stated = [i for i, r in enumerate(rows) if r.value is not None]
    for agency_name in agencies:
        if not any(r.agency == agency_name for r in rows):
            rows.append(AnalysisRow(agency=agency_name, year=year, metric=metric, status="no_report"))
    return _finished(result, f"{metric}: {len(stated)} of {len(rows)} agency report(s) state a value")


def _difference(rows: list[AnalysisRow]) -> list[Computed]:
    stated = [i for i, r in enumerate(rows) if r.value is not None]
    if len(stated) != 2 or rows[stated[0]].agency == rows[stated[1]].agency:
        return []
    a, b = stated
    delta = rows[a].value - rows[b].value
    return [Computed(label="difference", value=delta, shown=num(abs(delta)),
                     formula=f"{num(rows[a].value)} − {num(rows[b].value)} = {signed(delta)}", rows=[a, b],
                     approximate=any_approximate([rows[a], rows[b]]))]


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
    return _finished(result, f"{metric}: {groups['zero']} report(s) state 0, {groups['nonzero']} state another "
                             f"value, {groups['missing']} do not state it")


def zero_group(row: AnalysisRow) -> str:
    if row.value is None:
        return "missing"
    return "zero" if row.value == 0 else "nonzero"


def ranking(store: Store, metric: str, years: list[int] = (), agencies: list[str] = (),
            scope: Optional[str] = None, descending: bool = True) -> Analysis:
    rows = report_rows(store, metric, agencies, years, scope)
    rows.sort(key=lambda r: (r.value is None, -(r.value or 0) if descending else (r.value or 0), r.agency))
    result = Analysis(kind="ranking", metric=metric, scope=scope or "", rows=rows)
    return _finished(result, f"{metric}: {len(result.stated)} ranked, {len(result.missing)} not stated")


def total(store: Store, metric: str, years: list[int] = (), agencies: list[str] = (),
          scope: Optional[str] = None) -> Analysis:
    """Sum (and mean) over the reports that state the metric; the missing ones are named, not zeroed."""
    rows = report_rows(store, metric, agencies, years, scope)
    result = Analysis(kind="total", metric=metric, scope=scope or "", rows=rows)
    idx = [i for i, r in enumerate(rows) if r.value is not None]
    if idx:
        s = sum(rows[i].value for i in idx)
        approx = any_approximate([rows[i] for i in idx])
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
    missing = len(rows) - len(idx)
    return _finished(result, f"{metric}: total over {len(idx)} report(s)"
                     + (f"; {missing} report(s) do not state it (not counted)" if missing else ""))


def _finished(result: Analysis, summary: str) -> Analysis:
    """The analysis with its one-line summary and a warning per report that contradicts itself."""
    result.summary = summary
    _conflict_warnings(result)
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
    q, metric, scope = query.question, query.metric, query.scope or running_scope(query, store)
    agencies, years = list(query.agencies), list(query.years)
    if query.intent == "lookup" and not (RANK_QUESTION.search(q) or (TOTAL_QUESTION.search(q) and ACROSS.search(q))):
        return None  # a plain lookup is fact_answer's job
    if query.intent == "list" or (not agencies and ZERO_QUESTION.search(q)):
        if ZERO_QUESTION.search(q):
            return zeros(store, metric, years, agencies, scope)
        return ranking(store, metric, years, agencies, scope)
    if TOTAL_QUESTION.search(q) and (len(agencies) != 1 or len(years) != 1) and not COMPARE.search(q):
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
    from qa.answer.fill import fill_missing

    analysis = choose(query, store)
    if analysis is not None and analysis.kind in ("trend", "compare") and fill_missing(query, store, analysis.rows):
        analysis.computed = _trend_changes(analysis.rows) if analysis.kind == "trend" else _difference(analysis.rows)
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


class _Marks:
    """[n] markers for citations, numbered in order of first use (each quoted span once)."""

    def __init__(self):
        self.cites: list[Citation] = []
        self.keys: dict[tuple, int] = {}

    def __call__(self, c: Optional[Citation]) -> str:
        if c is None:
            return ""
        key = (c.report_id, c.start, c.end)
        if key not in self.keys:
            self.cites.append(c)
            self.keys[key] = len(self.cites)
        return f"[{self.keys[key]}]"


MISSING_TEXT = {"missing": ("not stated in the report", "报告未说明"), "no_report": ("no report ingested", "未收录报告"),
                "unreadable": ("cell could not be read", "单元格无法读取")}
HEADS = {"trend": ("{name} by year:", "{name}（按年度）："),
         "compare": ("{name}, by agency:", "{name}（各机关对比）："),
         "ranking": ("{name}, ranked (missing values last, not counted as zero):", "{name}排序（未说明的列在最后，不计为零）："),
         "total": ("{name}, total over the reports that state it:", "{name}合计（仅计报告有说明的）：")}
ZERO_HEADS = {"zero": ("Reports that state zero for {name}:", "报告明确{name}为零的："),
              "nonzero": ("Reports that state another value:", "报告了其他数值的："),
              "missing": ("Reports that do not state it (not counted as zero):", "报告未说明（不计为零）的：")}


def _value_text(r: AnalysisRow, english: bool, mark: _Marks) -> str:
    """A row's value as stated, with its citation, the other values its report states, and flags."""
    if r.status in MISSING_TEXT:
        return MISSING_TEXT[r.status][0 if english else 1]
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


def _row_line(r: AnalysisRow, english: bool, mark: _Marks) -> str:
    who, year = _agency_label(r.agency, english), str(r.year) if r.year else "?"
    value = _value_text(r, english, mark)
    return f"- {who} ({year}): {value}" if english else f"- {who}{year}年：{value}"


def _zero_lines(analysis: Analysis, name: str, english: bool, mark: _Marks) -> list[str]:
    groups = defaultdict(list)
    for r in analysis.rows:
        groups[zero_group(r)].append(r)
    lines = [] if groups["zero"] else [f"No report states zero for {name}." if english else f"没有报告明确{name}为零。"]
    for g in ("zero", "nonzero", "missing"):
        if groups[g]:
            lines.append(ZERO_HEADS[g][0 if english else 1].format(name=name))
            lines += [_row_line(r, english, mark) for r in groups[g]]
    return lines


def _table_lines(analysis: Analysis, name: str, english: bool, mark: _Marks) -> list[str]:
    lines = [HEADS[analysis.kind][0 if english else 1].format(name=name)]
    lines += [_row_line(r, english, mark) for r in analysis.rows]
    lines += [_computed_line(c, analysis.rows, english, mark) for c in analysis.computed]
    if analysis.kind == "total" and analysis.missing:
        lines.append("Reports that do not state it are not counted (not taken as zero)." if english
                     else "未说明的报告未计入合计（不按零计）。")
    return lines


def render_answer(query: Query, analysis: Analysis, store: Store) -> Answer:
    """The analysis as a cited Answer: one line per report, then the computed lines."""
    english = query.language in ("en", "mixed")
    mark = _Marks()
    name = metric_label(analysis.metric, analysis.scope.replace("|main", ""), english)
    lines = (_zero_lines if analysis.kind == "zeros" else _table_lines)(analysis, name, english, mark)
    rows = analysis.rows
    facts = [f for r in rows for f in r.facts] + _computed_facts(analysis)
    warnings = list(query.unsupported) + list(dict.fromkeys(analysis.warnings))
    single = analysis.computed[0] if analysis.kind == "total" and analysis.computed else None
    return Answer(question=query.question, text="\n".join(lines), mode="fact",
                  value=single.value if single else None, unit=rows[0].unit if single and rows else "",
                  citations=mark.cites, facts=facts, query=query, warnings=warnings)


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
