"""How answers write things: numbers, metric / scope / agency names, and citations of facts.

One module for every answer mode (fact, analysis, audit, charts), so a value reads the same
wherever it is shown: 7730.28 stays 7730.28, 150000 is 15万 in Chinese and 150,000 in English,
and a qualifier (约 / 余 / 近) is never dropped.
"""

from __future__ import annotations

from typing import Optional

from qa.facts.common import vocabulary
from qa.facts.numerals import number_text  # noqa: F401 (re-exported: answers write numbers this way)
from qa.store import Store
from qa.types import Citation, Fact, Qualifier

ZH_QUALIFIER = {Qualifier.approx: "约{n}", Qualifier.at_least: "{n}余", Qualifier.nearly: "近{n}",
                Qualifier.incomplete: "{n}余（据不完全统计）", Qualifier.exact: "{n}"}
EN_QUALIFIER = {Qualifier.approx: "about {n}", Qualifier.at_least: "more than {n}", Qualifier.nearly: "nearly {n}",
                Qualifier.incomplete: "{n} or more (incomplete count)", Qualifier.exact: "{n}"}


def signed(value: float, digits: int = 6) -> str:
    """'+5', '−15' (U+2212 minus, so the sign is not a hyphen)."""
    return ("+" if value > 0 else "−" if value < 0 else "±") + number_text(abs(value), digits)


def format_value(f: Fact, english: bool) -> str:
    """A fact's value with its qualifier and unit, as the reports write it (15万余件 / more than 150,000 件)."""
    if f.value is None:
        return "(unreadable cell)" if english else "（无法读取的单元格）"
    if english:
        n = f"{int(f.value):,}" if float(f.value).is_integer() else number_text(f.value)
    elif f.value >= 10000 and f.value % 1000 == 0:  # 150000 → 15万, as the reports write it
        n = number_text(f.value / 10000) + "万"
    else:
        n = number_text(f.value)
    text = (EN_QUALIFIER if english else ZH_QUALIFIER)[f.qualifier].format(n=n)
    return f"{text} {f.unit}".strip() if english else f"{text}{f.unit}"


def metric_name(metric: str, english: bool) -> str:
    """The vocabulary's first name of a metric (never its id, unless the vocabulary has none)."""
    info = vocabulary()["metrics"][metric]
    return (info.get("en") or [metric])[0] if english else (info.get("zh") or [metric])[0]


def scope_name(scope: str, english: bool) -> str:
    info = vocabulary()["scopes"].get(scope)
    if not info:
        return scope
    return (info.get("en") or [scope])[0] if english else (info.get("zh") or [scope])[0]


def metric_label(metric: str, scope: str, english: bool, plain_scopes: tuple = ("total",)) -> str:
    """A metric's name with its table column when that is not the main one: 申请数量（自然人）."""
    name = metric_name(metric, english)
    if scope and scope not in plain_scopes:
        name += f" ({scope_name(scope, english)})" if english else f"（{scope_name(scope, english)}）"
    return name


def agency_label(agency: Optional[str], english: bool) -> str:
    """An agency as a user reads it: a report that names none is said so, never "None"."""
    return agency or ("agency not stated" if english else "未注明机关")


def parts_note(parts: list[Fact], english: bool) -> str:
    """How a figure was added up from its parts, in the vocabulary's words (never metric ids)."""
    return " + ".join(f"{metric_name(f.metric, english)} {format_value(f, english)}" for f in parts)


def unique_citations(cites: list[Citation]) -> list[Citation]:
    """Each quoted span once (two facts from one sentence or row share one citation)."""
    return list({(c.report_id, c.start, c.end): c for c in cites}.values())


def fact_citation(f: Fact, store: Store) -> Citation:
    """The sentence or table row a fact is stated in, with its report's file and PDF page."""
    from qa.read.report import page_of

    info = store.report_info(f.report_id) or {}
    return Citation(report_id=f.report_id, path=info.get("path", ""), agency=f.agency, year=f.year,
                    section=f.section, quote=f.quote, start=f.quote_start, end=f.quote_end,
                    page=page_of(info.get("page_starts", []), f.quote_start))
