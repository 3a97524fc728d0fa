"""The gold sets: one JSON object a line (`eval/gold*.jsonl`) following `GoldItem`; see eval/README.md.

Loading validates every line (a bad line is a ValueError naming it); `check_evidence` checks the
gold against the reports themselves.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional, Union

from pydantic import BaseModel, Field, field_validator, model_validator

from qa.eval.paths import PROJECT_ROOT
from qa.eval.text import compact_view

NUMERIC_KINDS = ("numeric", "zero", "approximate")
QUALIFIERS = ("exact", "approx", "at_least", "nearly", "incomplete")


class Kind(str, Enum):
    numeric = "numeric"  # one number, stated exactly
    zero = "zero"  # the report states zero / none
    approximate = "approximate"  # 约/余/近/多: the qualifier must be kept
    absent = "absent"  # the reports do not say: the tool must abstain
    comparison = "comparison"  # two or more values across years or agencies
    list = "list"  # items the report enumerates
    narrative = "narrative"  # problems, measures, plans: extractive key phrases


class Language(str, Enum):
    simplified = "simplified"
    traditional = "traditional"
    english = "english"
    mixed = "mixed"


class Evidence(BaseModel):
    report: str = Field(description="File stem of the report (e.g. mfa_2013), i.e. its file name without suffix.")
    quote: str = Field(min_length=1, description="Text that appears verbatim in that report (original script).")


class ExpectedValue(BaseModel):
    report: str = Field(description="File stem of the report stating the value.")
    agency: Optional[str] = Field(default=None, description="Canonical agency name.")
    year: Optional[int] = Field(default=None, description="Year reported on.")
    value: float = Field(description="The number as the report states it (1.1万 → 11000).")
    unit: str = Field(default="", description="Unit as the report writes it; empty = not checked.")
    qualifier: Union[str, list[str]] = Field(default="exact", description="Allowed qualifier(s).")


def allowed_qualifiers(q: Union[str, list[str], None]) -> list[str]:
    """The qualifiers a gold value allows (default exact); ValueError on an unknown one."""
    if q is None:
        return ["exact"]
    out = [q] if isinstance(q, str) else list(q)
    bad = [x for x in out if x not in QUALIFIERS]
    if bad:
        raise ValueError(f"unknown qualifier(s) {bad}: use {', '.join(QUALIFIERS)}")
    return out


class GoldItem(BaseModel):
    id: str = Field(min_length=1, description="Unique id.")
    question: str = Field(min_length=1, description="The question as a user would ask it.")
    kind: Kind
    language: Language = Field(description="simplified / traditional / english / mixed (English + Chinese).")
    agency: Optional[str] = Field(default=None, description="Expected canonical agency (None: several or none).")
    year: Optional[int] = Field(default=None, description="Expected year reported on (None: several).")
    value: Optional[float] = Field(default=None, description="numeric / zero / approximate: the gold value.")
    unit: str = Field(default="", description="Unit as the report writes it (份, 件, 万元 ...); empty = not checked.")
    qualifier: Union[str, list[str], None] = Field(default=None, description="Allowed qualifier(s); default exact.")
    values: list[ExpectedValue] = Field(default_factory=list, description="comparison: every value compared.")
    key_phrases: list[str] = Field(default_factory=list, description="narrative / list: short exact substrings.")
    min_phrases: int = Field(default=1, ge=1, description="How many key phrases a passing answer must contain.")
    evidence: list[Evidence] = Field(default_factory=list, description="Gold evidence: report stem + verbatim text.")
    section: str = Field(default="", description="Substring of the section title path the answer should cite.")
    note: str = Field(default="", description="Why the answer is what it is, for humans.")

    @field_validator("qualifier")
    @classmethod
    def _check_qualifier(cls, q):
        if q is not None:
            allowed_qualifiers(q)
        return q

    @model_validator(mode="after")
    def _check_kind(self) -> "GoldItem":
        k = self.kind
        if k in (Kind.numeric, Kind.zero, Kind.approximate) and self.value is None:
            raise ValueError(f"{self.id}: a {k.value} question needs a value")
        if k is Kind.zero and self.value != 0:
            raise ValueError(f"{self.id}: a zero question has value 0")
        if k is Kind.approximate and "exact" in self.allowed_qualifiers():
            raise ValueError(f"{self.id}: an approximate question needs a non-exact qualifier")
        if k is Kind.comparison and len(self.values) < 2:
            raise ValueError(f"{self.id}: a comparison needs at least two values")
        if k in (Kind.narrative, Kind.list) and len(self.key_phrases) < self.min_phrases:
            raise ValueError(f"{self.id}: needs at least min_phrases key phrases")
        if k is Kind.absent:
            if self.value is not None or self.values or self.evidence:
                raise ValueError(f"{self.id}: an absent question has no value and no evidence")
        elif not self.evidence:
            raise ValueError(f"{self.id}: an answerable question needs gold evidence")
        return self

    def allowed_qualifiers(self) -> list[str]:
        return allowed_qualifiers(self.qualifier)

    def gold_reports(self) -> list[str]:
        return list(dict.fromkeys([e.report for e in self.evidence] + [v.report for v in self.values]))


def load_gold(path: Union[str, Path]) -> list[GoldItem]:
    """Read and validate a gold file; raises ValueError naming the line on any problem."""
    items, seen = [], set()
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            item = GoldItem.model_validate_json(line)
        except Exception as exc:
            raise ValueError(f"{path}:{n}: {exc}") from exc
        if item.id in seen:
            raise ValueError(f"{path}:{n}: duplicate id {item.id}")
        seen.add(item.id)
        items.append(item)
    return items


def default_gold_paths() -> list[Path]:
    """Every eval/gold*.jsonl, gold.jsonl first."""
    return sorted(PROJECT_ROOT.glob("eval/gold*.jsonl"), key=lambda p: (p.name != "gold.jsonl", p.name))


def set_name(path: Union[str, Path]) -> str:
    return Path(path).stem


def load_sets(gold_paths, kinds: Optional[list[str]] = None,
              limit: Optional[int] = None) -> list[tuple[str, Path, list[GoldItem]]]:
    """(set name, path, questions) for each gold file, filtered by kind, the first `limit` overall."""
    if gold_paths is None:
        gold_paths = default_gold_paths()
    elif isinstance(gold_paths, (str, Path)):
        gold_paths = [gold_paths]
    sets, left = [], limit
    names = [set_name(p) for p in gold_paths]
    for path in map(Path, gold_paths):
        items = [i for i in load_gold(path) if not kinds or i.kind.value in kinds]
        if left is not None:
            items, left = items[:left], max(0, left - len(items))
        name = set_name(path) if names.count(set_name(path)) == 1 else str(path)
        sets.append((name, path, items))
    return sets


def report_files(dirs: list[Path]) -> dict[str, Path]:
    """Report file stem → file, over the given folders (searched recursively; the first folder wins)."""
    from qa.read.report import SUPPORTED_SUFFIXES

    found: dict[str, Path] = {}
    for d in dirs:
        if Path(d).is_dir():
            for p in sorted(Path(d).rglob("*")):
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.setdefault(p.stem, p)
    return found


def check_evidence(items: list[GoldItem], report_dirs: list[Path]) -> list[str]:
    """Problems: gold evidence not verbatim in its report, key phrases in none of the gold reports."""
    from qa.read.report import read_report

    texts: dict[str, Optional[str]] = {}
    files = report_files(report_dirs)

    def text_of(stem: str) -> Optional[str]:
        if stem not in texts:
            path = files.get(stem)
            texts[stem] = read_report(path).text if path else None
        return texts[stem]

    problems = []
    for item in items:
        for ev in item.evidence:
            text = text_of(ev.report)
            if text is None:
                problems.append(f"{item.id}: report {ev.report} not found in {', '.join(map(str, report_dirs))}")
            elif ev.quote not in text:
                problems.append(f"{item.id}: evidence not verbatim in {ev.report}: {ev.quote!r}")
        reports = [t for t in (text_of(r) for r in item.gold_reports()) if t]
        for phrase in item.key_phrases:
            if reports and not any(compact_view(phrase) in compact_view(t) for t in reports):
                problems.append(f"{item.id}: key phrase in none of its reports: {phrase!r}")
    return problems
