"""Scoring: one answer against its gold item (`score`), then many (`aggregate` into `Scores`),
then the gate (`check_gate` against eval/thresholds.toml).

Scores, overall, per gold file (set), by question kind and by language:

- numeric_em          numeric / zero / approximate: answer.value equals the gold value, the unit
                      matches (when the gold gives one) and the qualifier is one the gold allows
- comparison_em       every gold value of a comparison is among the answer's facts (same year/agency)
- abstention          absent → the answer abstains; any other kind → it does not
- citation_precision  share of citations that are right: the quote contains a gold evidence text
                      (or is the part of one that names a row or sentence and states a number),
                      or it comes from a gold report and contains the gold value / a key phrase
                      (narrative / list: or lies in the gold section of a gold report)
- report_accuracy     the first citation is from a gold report and every gold report is cited
- section_accuracy    some citation's section path contains the gold section (when the gold names one)
- recall_at_k         some cited quote cites some gold evidence text (as for citation_precision)
- phrase_pass         narrative / list: at least `min_phrases` key phrases in the answer text or quotes
- invented_numbers    quantities in the answer text found in none of its cited quotes (qa.eval.checks)
- wrong_agency        answers citing a report of an agency the question did not name (neither a gold
                      report nor one of the gold agency's)
- latency p50 / p95   wall time of each ask(), milliseconds
"""

from __future__ import annotations

import re

import math
from pathlib import Path
from typing import Optional, Union

from pydantic import BaseModel, Field

from qa.eval.checks import invented_numbers, other_agency_citations
from qa.eval.gold import NUMERIC_KINDS, GoldItem, Kind, allowed_qualifiers
from qa.eval.paths import DEFAULT_THRESHOLDS
from qa.eval.text import (CITATION_MARKERS, compact_view, format_number, quote_has_value, report_stem,
                          same_number, values_in)


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


# ---------------------------------------------------------------------------- one answer
def expected_text(item: GoldItem) -> str:
    """The gold answer in a few words, for display (119份, abstain, 2012:134; 2013:119 …)."""
    if item.kind is Kind.absent:
        return "abstain"
    if item.kind.value in NUMERIC_KINDS:
        q = item.allowed_qualifiers()
        return f"{format_number(item.value)}{item.unit}" + ("" if q == ["exact"] else f" ({'/'.join(q)})")
    if item.kind is Kind.comparison:
        return "; ".join(f"{v.year}:{format_number(v.value)}{v.unit}" for v in item.values)
    return f"≥{item.min_phrases} of " + " | ".join(item.key_phrases)


def numeric_ok(item: GoldItem, answer) -> bool:
    """The gold value, unit and an allowed qualifier (an LLM answer: the first number of its text)."""
    value = answer.value
    if value is None and answer.mode == "llm":  # an LLM answer states its number in the text
        nums = values_in(CITATION_MARKERS.sub(" ", answer.text))
        value = nums[0] if nums else None
    unit_ok = not item.unit or (answer.unit or "") == item.unit or answer.mode == "llm"
    qual = answer.qualifier.value if answer.qualifier is not None else "exact"
    qual_ok = qual in item.allowed_qualifiers() or answer.mode == "llm"
    return same_number(value, item.value) and unit_ok and qual_ok


def comparison_ok(item: GoldItem, answer) -> bool:
    """Every gold value among the answer's facts (same year, agency, an allowed qualifier)."""
    facts = answer.facts or []
    ok = True
    for v in item.values:
        hit = [f for f in facts if same_number(f.value, v.value) and (v.year is None or f.year == v.year)
               and (v.agency is None or f.agency == v.agency)
               and (f.qualifier.value if f.qualifier is not None else "exact") in allowed_qualifiers(v.qualifier)]
        if not hit and answer.mode == "llm":
            hit = [True] if any(same_number(x, v.value) for x in values_in(answer.text)) else []
        ok = ok and bool(hit)
    return ok


def quotes_evidence(quote: str, evidence: str) -> bool:
    """A quote cites gold evidence when it holds it, or when it is part of it that names a row or
    sentence and states a number: a table row quoted without its neighbour (行政规范性文件303 of
    规章000行政规范性文件303) or without its list number (一、本年新收…120000012) cites that row."""
    if not evidence:
        return False
    return evidence in quote or (quote in evidence and bool(re.search(r"\d", quote))
                                 and bool(re.search(r"[\u4e00-\u9fff]{2}", quote)))


def citation_right(citation, item: GoldItem, evidence: list[str], phrases: list[str]) -> bool:
    """The quote holds gold evidence, or it is from a gold report and states the gold value or a
    key phrase (narrative / list: or lies in the gold section)."""
    quote = compact_view(citation.quote)
    if any(quotes_evidence(quote, e) for e in evidence):
        return True
    if report_stem(citation.path) not in item.gold_reports():
        return False
    gold_values = ([item.value] if item.value is not None else []) + [v.value for v in item.values]
    return (any(quote_has_value(citation.quote, v) for v in gold_values)
            or any(p and p in quote for p in phrases)
            # narrative/list: a sentence of the right section of the right report is on topic
            or bool(phrases and item.section and compact_view(item.section) in compact_view(citation.section)))


def score_citations(r: QuestionResult, item: GoldItem, answer) -> None:
    """Citation counts, report, section and recall@k of `answer`, onto `r`."""
    evidence = [compact_view(e.quote) for e in item.evidence]
    phrases = [compact_view(p) for p in item.key_phrases]
    gold_reports = set(item.gold_reports())
    r.citations = len(answer.citations)
    r.citations_ok = sum(citation_right(c, item, evidence, phrases) for c in answer.citations)
    stems = [report_stem(c.path) for c in answer.citations]
    r.report_ok = bool(stems) and stems[0] in gold_reports and gold_reports <= set(stems)
    if item.section:
        want = compact_view(item.section)
        r.section_ok = any(want in compact_view(c.section) for c in answer.citations)
    r.recall_ok = any(quotes_evidence(compact_view(c.quote), e) for c in answer.citations for e in evidence)


def score_phrases(r: QuestionResult, item: GoldItem, answer) -> None:
    """narrative / list: the key phrases found in the answer text or its quotes, onto `r`."""
    phrases = [compact_view(p) for p in item.key_phrases]
    if phrases:
        where = compact_view(answer.text) + "\n" + "\n".join(compact_view(c.quote) for c in answer.citations)
        r.phrases_found = [p for p, n in zip(item.key_phrases, phrases) if n in where]
        r.phrase_ok = len(r.phrases_found) >= item.min_phrases


def score(item: GoldItem, answer, latency_ms: float) -> QuestionResult:
    """Score one answer to one gold question."""
    r = QuestionResult(id=item.id, question=item.question, kind=item.kind.value, language=item.language.value,
                       mode=answer.mode, answer_text=answer.text, answer_value=answer.value,
                       answer_unit=answer.unit or "",
                       answer_qualifier=answer.qualifier.value if answer.qualifier is not None else None,
                       cited_reports=[report_stem(c.path) for c in answer.citations], expected=expected_text(item),
                       latency_ms=latency_ms)
    r.abstention_ok = (answer.mode == "abstain") == (item.kind is Kind.absent)
    r.invented = invented_numbers(answer)
    r.other_agency = other_agency_citations(item, answer)
    clean = r.abstention_ok and not r.invented and not r.other_agency
    if item.kind is Kind.absent:
        r.passed = clean
        return r
    if item.kind.value in NUMERIC_KINDS:
        r.numeric_ok = numeric_ok(item, answer)
    elif item.kind is Kind.comparison:
        r.numeric_ok = comparison_ok(item, answer)
    score_citations(r, item, answer)
    score_phrases(r, item, answer)
    cited_right = r.citations_ok > 0 and bool(r.report_ok)
    by_value = item.kind.value in NUMERIC_KINDS or item.kind is Kind.comparison
    r.passed = bool(r.numeric_ok if by_value else r.phrase_ok) and cited_right and clean
    return r


def why_failed(r: QuestionResult) -> list[str]:
    """Why a question did not pass, in a few words each."""
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


# ---------------------------------------------------------------------------- many answers
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


# ---------------------------------------------------------------------------- the gate
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
