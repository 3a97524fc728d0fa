"""Helpers shared by the prose and table extractors."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Optional

from qa.types import Fact, Qualifier, Report, Section

METRICS_FILE = Path(__file__).with_name("metrics.toml")


class DataFileError(ValueError):
    """A data file shipped with qa (vocabulary, glossary, agency names) that does not parse."""


def load_data_file(path: Path) -> dict:
    """A TOML data file of qa, or a DataFileError that names the file and the line (an edited
    vocabulary with a duplicate key must not fail every question with a bare parser message)."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: {exc} — fix the file (qa reads it for every question)") from exc


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The parsed metrics.toml: {"metrics": {id: {...}}, "scopes": {id: {...}}}."""
    return load_data_file(METRICS_FILE)


def metric_unit(metric: str) -> str:
    return vocabulary()["metrics"][metric].get("unit", "")


def section_at(sections: list[Section], offset: int) -> Optional[Section]:
    for section in sections:
        if section.start <= offset < section.end:
            return section
    return None


def make_fact(
    report: Report,
    sections: list[Section],
    *,
    metric: str,
    value: Optional[float],
    start: int,
    end: int,
    quote_start: int,
    quote_end: int,
    unit: Optional[str] = None,
    qualifier: Qualifier = Qualifier.exact,
    scope: str = "",
    source: str = "prose",
    status: str = "ok",
    note: str = "",
) -> Fact:
    """A Fact whose quote is the original text at [quote_start, quote_end)."""
    if metric not in vocabulary()["metrics"]:
        raise KeyError(f"unknown metric {metric!r}: add it to metrics.toml")
    section = section_at(sections, start)
    return Fact(
        report_id=report.id,
        agency=report.agency,
        year=report.year,
        metric=metric,
        value=value,
        unit=metric_unit(metric) if unit is None else unit,
        qualifier=qualifier,
        scope=scope,
        section=section.path if section else "",
        source=source,
        start=start,
        end=end,
        quote=report.text[quote_start:quote_end],
        quote_start=quote_start,
        quote_end=quote_end,
        status=status,
        note=note,
    )


def in_boilerplate(report: Report, offset: int) -> bool:
    from qa.spans import covers

    return covers(report.boilerplate, offset)
