"""Check every number of an answer against the sources it cites and the facts of those reports.

Small models change numbers quietly, so nothing numeric in an LLM answer is trusted:

1. Citation markers (`[1]`, `[1, 2]`, `【3】`) pointing at no source are removed and counted.
2. Every number that is a quantity (kind count / percent / duration, see `qa.facts.numbers`) is
   tied to the sources cited in its clause, else its sentence, else its paragraph.
   Years, dates, list ordinals (一是, 1., （二）), section numbers and document numbers are skipped.
3. A number is *verified* when its value appears in a cited source span (values are compared, so
   1.1万 = 11000, 15万余条 = 150000, 近200 ≈ 200, 1,094 = 1094, 九十 = 90) or equals a fact of a
   cited report. When the words before it name a metric (metrics.toml) and the cited report has
   a fact for that metric with a different value, the number is *contradicted*: replaced by the
   fact's value when exactly one value fits and `correct` is on ("corrected", with a warning),
   else left and flagged. A number whose value is in no cited source is *unsupported*; one with
   no citation at all is *uncited* (flagged) unless some source states it (verified, with a warning).

`verify_answer` returns a `VerificationResult`: status verified / corrected / unverified, each
number with its outcome, the numbers left unverified, the removed markers and the cleaned text.
`qa.answer.verify.verify` turns these checks into an Answer's `checks`, for every answer mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Optional

from pydantic import BaseModel, Field

from qa.answer.markers import CLAUSE_END as _CLAUSE_END, SENT_END as _SENT_END
from qa.answer.markers import attach_missing as attach_markers
from qa.answer.markers import cited_for, clean_markers, markers_in, spans
from qa.answer.wording import number_text as _fmt
from qa.facts.numbers import NumberMention, find_numbers
from qa.types import Citation, Fact

Outcome = Literal["source", "fact", "found_uncited", "corrected", "contradicted", "unsupported", "uncited"]
OK_OUTCOMES = {"source", "fact", "found_uncited", "corrected"}
CHECKED_KINDS = {"count", "percent"}


class NumberCheck(BaseModel):
    raw: str = Field(description="The number as the answer wrote it, with qualifier and unit (e.g. 近200场).")
    value: float = Field(description="Its value (1.1万 → 11000).")
    start: int = Field(description="Offset of the number in the cleaned text (before any correction).")
    end: int
    kind: str = Field(default="count", description="count / percent / other (see qa.facts.numbers).")
    shown: str = Field(default="", description="The number itself as written, without qualifier or unit.")
    unit: str = Field(default="", description="Unit written after it (份, 件 …).")
    cited: list[int] = Field(default_factory=list, description="1-based source numbers the number is tied to.")
    outcome: Outcome = Field(description="source / fact / found_uncited / corrected / contradicted / unsupported / uncited.")
    replacement: Optional[str] = None  # the text written instead, when corrected
    source: Optional[int] = Field(default=None, description="1-based source that states the value (or whose report's fact does).")
    metric: Optional[str] = Field(default=None, description="Metric named by the words around the number, if any.")
    expected: Optional[float] = Field(default=None, description="The value the source or fact states, when contradicted.")
    evidence: str = Field(default="", description="Where the value was found, or why it failed.")

class VerificationResult(BaseModel):
    status: Literal["verified", "corrected", "unverified"] = Field(
        description="verified: every number checked out; corrected: some were replaced by fact values; "
        "unverified: at least one number is unsupported, uncited or contradicted."
    )
    text: str = Field(description="The answer with bad citation markers removed and corrections applied.")
    checks: list[NumberCheck] = Field(default_factory=list, description="Every number checked, in text order.")
    unverified_numbers: list[str] = Field(default_factory=list, description="Numbers (as written) that failed.")
    removed_citations: int = Field(default=0, description="Citation markers pointing at no source, removed.")
    added_citations: int = Field(
        default=0, description="Markers added to uncited sentences that overlap one source strongly (attach_missing)."
    )
    cited: list[int] = Field(default_factory=list, description="1-based numbers of the sources actually cited.")
    warnings: list[str] = Field(default_factory=list)



@lru_cache(maxsize=1)
def _metric_words() -> list[tuple[str, str]]:
    """(word, metric id), longest word first, from qa/facts/metrics.toml (zh and en names)."""
    try:
        from qa.facts.common import vocabulary

        metrics = vocabulary().get("metrics", {})
    except Exception:  # pragma: no cover - vocabulary missing: no metric alignment
        return []
    words = []
    for mid, spec in metrics.items():
        for w in list(spec.get("zh", [])) + list(spec.get("en", [])):
            if len(w) >= 2:
                words.append((w.lower(), mid))
    words.sort(key=lambda x: -len(x[0]))
    return words


def _metric_near(view: str, start: int, end: int, prev_end: int, next_start: int) -> Optional[str]:
    """The metric whose name sits closest before the number in its clause (or just after, for English)."""
    lo = max(prev_end, start - 24)
    for k in range(start - 1, lo - 1, -1):
        if view[k] in _CLAUSE_END + _SENT_END:
            lo = k + 1
            break
    before = view[lo:start].lower()
    best = None  # (distance, -len, metric)
    for w, mid in _metric_words():
        i = before.rfind(w)
        if i >= 0:
            dist = len(before) - (i + len(w))
            cand = (dist, -len(w), mid)
            if best is None or cand < best:
                best = cand
    if best is not None and best[0] <= 12:
        return best[2]
    hi = min(next_start, end + 40)
    after = view[end:hi].lower()
    for k, ch in enumerate(after):
        if ch in _CLAUSE_END + _SENT_END:
            after = after[:k]
            break
    best = None
    for w, mid in _metric_words():
        if not w.isascii():
            continue
        i = after.find(w)
        if 0 <= i <= 16 and (best is None or (i, -len(w)) < best[:2]):
            best = (i, -len(w), mid)
    return best[2] if best else None


# ------------------------------------------------------------------ values

_EN_MULT = re.compile(r"\s*(million|billion|thousand)\b", re.I)


def _same(a: float, b: float, loose: bool) -> bool:
    if abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b)):
        return True
    return loose and abs(a - b) <= 0.02 * max(abs(a), abs(b))


def source_numbers(text: str) -> list:
    return [m for m in find_numbers(text) if m.kind not in ("year", "date", "phone", "docno")]


def _context_suffix_match(view: str, start: int, prev_end: int, quote: str) -> Optional[tuple[float, str]]:
    """If the words right before the number (>= 4 chars) also sit right before a number in `quote`,
    return that number: the source states the same thing with (possibly) another value."""
    lo = max(prev_end, start - 16)
    for k in range(start - 1, lo - 1, -1):
        if view[k] in _CLAUSE_END + _SENT_END:
            lo = k + 1
            break
    ctx = re.sub(r"\s+", "", view[lo:start])
    ctx = re.sub(r"(共|总计|合计|累计|约|近|超过|达|为|了|计)+$", "", ctx)
    if len(ctx) < 4:
        return None
    from qa.normalize import matching_view

    quote = matching_view(quote)
    nums = source_numbers(quote)
    for n in range(min(len(ctx), 12), 3, -1):
        suffix = ctx[-n:]
        hits = []
        for m in nums:
            gap = quote[max(0, m.qual_start - len(suffix) - 6): m.qual_start]
            if suffix in re.sub(r"\s+", "", gap):
                hits.append(m)
        if len(hits) == 1:
            return hits[0].value, suffix
        if hits:
            return None
    return None


# ------------------------------------------------------------------ main entry


@dataclass
class _Text:
    """An answer's cleaned text with what the checks need: markers, the matching view with the
    markers blanked out (same length, same offsets), the numbers to check and the spans."""

    cleaned: str
    view: str
    markers: list
    mentions: list[NumberMention]
    clauses: list
    sentences: list
    paragraphs: list


def _read(cleaned: str) -> _Text:
    from qa.normalize import matching_view

    markers = markers_in(cleaned)
    view = list(cleaned)
    for ms, me, _ in markers:
        view[ms:me] = " " * (me - ms)
    view = matching_view("".join(view))  # simplified, half-width, same length: metric words match
    return _Text(cleaned=cleaned, view=view, markers=markers,
                 mentions=[m for m in find_numbers(view) if _checkable(view, m)],
                 clauses=spans(cleaned, _CLAUSE_END + _SENT_END), sentences=spans(cleaned, _SENT_END),
                 paragraphs=spans(cleaned, "\n"))


def verify_answer(
    text: str, sources: list[Citation], facts: list[Fact] | None = None, attach_missing: bool = False,
    correct: bool = True,
) -> VerificationResult:
    """Check every number and citation marker of an answer (see module doc).

    attach_missing: give a sentence that cites nothing the marker of the one source it overlaps
    strongly (>= 60% of its character bigrams; see `qa.answer.markers.attach_missing`) before
    numbers are checked. correct: replace a contradicted number by the one value the cited
    report's fact states (the LLM path); off, it stays and is flagged.
    """
    facts = [f for f in (facts or []) if f.value is not None and f.status != "unparsed"]
    warnings: list[str] = []
    cleaned, removed = clean_markers(text, len(sources))
    if removed:
        warnings.append(f"removed {removed} citation marker(s) pointing at no source")
    added = 0
    if attach_missing and sources:
        cleaned, added = attach_markers(cleaned, sources)
        if added:
            warnings.append(f"added {added} citation marker(s) the model left out (sentence overlaps that source)")
    read = _read(cleaned)
    src_numbers = [source_numbers(s.quote) for s in sources]
    checks = [_check(read, idx, sources, src_numbers, facts, correct) for idx in range(len(read.mentions))]
    for c in sorted((c for c in checks if c.outcome == "corrected"), key=lambda c: -c.start):
        cleaned = cleaned[:c.start] + c.replacement + cleaned[c.end:]
    warnings += _warnings(checks)
    bad = [c for c in checks if c.outcome not in OK_OUTCOMES]
    status = "unverified" if bad else ("corrected" if any(c.outcome == "corrected" for c in checks) else "verified")
    return VerificationResult(status=status, text=cleaned, checks=checks, unverified_numbers=[c.raw for c in bad],
                              removed_citations=removed, added_citations=added,
                              cited=sorted({n for _, _, nums in read.markers for n in nums}), warnings=warnings)


def _warnings(checks: list[NumberCheck]) -> list[str]:
    out = []
    for c in checks:
        if c.outcome == "found_uncited":
            out.append(f"{c.raw} has no citation marker ({c.evidence.removeprefix('no citation; ')})")
        elif c.outcome == "corrected":
            out.append(f"corrected {c.raw} to {c.replacement}{c.unit}: the cited report's {c.metric} is "
                       f"{_fmt(c.expected)}")
    return out + [f"unverified number {c.raw}: {c.outcome} ({c.evidence})" for c in checks
                  if c.outcome not in OK_OUTCOMES]


def _check(read: _Text, idx: int, sources: list[Citation], src_numbers: list, facts: list[Fact],
           correct: bool) -> NumberCheck:
    """One number: tied to its citations, then found in a source, equal to a fact, contradicted or not."""
    m, view = read.mentions[idx], read.view
    value, end = m.value, m.end
    mult = _EN_MULT.match(view, m.end)
    if mult:
        value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9}[mult.group(1).lower()]
        end = mult.end()
    loose = m.qualifier.value != "exact"
    cited = cited_for(m.start, read.markers, read.clauses, read.sentences, read.paragraphs)
    check = NumberCheck(raw=read.cleaned[m.qual_start:max(end, m.unit_end)].strip(), value=value, start=m.start,
                        end=m.end, kind=m.kind, shown=read.cleaned[m.start:m.end], unit=m.unit or "", cited=cited, outcome="unsupported")
    pool = cited or list(range(1, len(sources) + 1))
    in_source = [i for i in pool if any(_same(value, sm.value, loose or sm.qualifier.value != "exact")
                                        for sm in src_numbers[i - 1])]
    reports = {sources[i - 1].report_id for i in pool}
    report_facts = [f for f in facts if f.report_id in reports]
    fact_hit = [f for f in report_facts if _same(value, f.value, loose or f.qualifier.value != "exact")]
    check.source = in_source[0] if in_source else _source_of(fact_hit, pool, sources)
    if not cited:
        return _uncited(check, in_source, fact_hit)
    prev_end = read.mentions[idx - 1].unit_end if idx else 0
    next_start = read.mentions[idx + 1].qual_start if idx + 1 < len(read.mentions) else len(view)
    metric = _metric_near(view, m.qual_start, m.end, prev_end, next_start) if m.kind == "count" else None
    check.metric = metric
    metric_facts = [f for f in report_facts if metric and f.metric == metric]
    if metric_facts:
        return _against_metric(check, m, read.cleaned, metric_facts, loose, correct)
    if in_source:
        return _ok(check, "source", f"value in source [{in_source[0]}]")
    if fact_hit:
        return _ok(check, "fact", f"equals fact {fact_hit[0].metric}")
    return _unsupported(check, read, m, prev_end, sources, src_numbers, loose)


def _ok(check: NumberCheck, outcome: Outcome, evidence: str) -> NumberCheck:
    check.outcome, check.evidence = outcome, evidence
    return check


def _source_of(fact_hit: list[Fact], pool: list[int], sources: list[Citation]) -> Optional[int]:
    reports = {f.report_id for f in fact_hit}
    return next((i for i in pool if sources[i - 1].report_id in reports), None)


def _uncited(check: NumberCheck, in_source: list[int], fact_hit: list[Fact]) -> NumberCheck:
    if in_source or fact_hit:
        where = f"source [{in_source[0]}]" if in_source else f"fact {fact_hit[0].metric}"
        return _ok(check, "found_uncited", f"no citation; value found in {where}")
    return _ok(check, "uncited", "no citation and the value is in no source")


def _against_metric(check: NumberCheck, m: NumberMention, cleaned: str, metric_facts: list[Fact], loose: bool,
                    correct: bool) -> NumberCheck:
    """The words before the number name a metric the cited report states: it must be that value."""
    metric = check.metric
    if any(_same(check.value, f.value, loose or f.qualifier.value != "exact") for f in metric_facts):
        return _ok(check, "fact", f"equals fact {metric}")
    values = sorted({f.value for f in metric_facts})
    units = {f.unit for f in metric_facts}
    if correct and len(values) == 1 and (not m.unit or not units - {""} or m.unit in units or len(units) == 1):
        check.expected = values[0]
        check.replacement = _replacement(cleaned, m, values[0])
        return _ok(check, "corrected", f"fact {metric} of the cited report says {_fmt(values[0])}")
    check.expected = values[0] if len(values) == 1 else None
    return _ok(check, "contradicted", f"facts {metric} of the cited report say " + " / ".join(map(_fmt, values)))


def _unsupported(check: NumberCheck, read: _Text, m: NumberMention, prev_end: int, sources: list[Citation],
                 src_numbers: list, loose: bool) -> NumberCheck:
    """In no cited source: contradicted when a cited source says the same words with another value."""
    for i in check.cited:
        hit = _context_suffix_match(read.view, m.qual_start, prev_end, sources[i - 1].quote)
        if hit:
            check.expected = hit[0]
            return _ok(check, "contradicted", f"source [{i}] says {hit[1]}{_fmt(hit[0])}")
    evidence = "value not in the cited source(s) " + ", ".join(f"[{i}]" for i in check.cited)
    elsewhere = [i for i in range(1, len(sources) + 1)
                 if i not in check.cited and any(_same(check.value, sm.value, loose) for sm in src_numbers[i - 1])]
    if elsewhere:
        evidence += f"; it is in source [{elsewhere[0]}]: wrong citation?"
    return _ok(check, "unsupported", evidence)


def _checkable(view: str, m) -> bool:
    if m.kind not in CHECKED_KINDS and not (m.kind == "other" and m.unit):
        return False
    after = view[m.end:m.end + 2]
    before = view[max(0, m.start - 1):m.start]
    if not m.unit and (after[:1] in ("、", "）", ")") or re.match(r"\.\s", after) or after == "."):
        return False  # list markers inside a line: "，1. 做好", "（2）"
    if before in ("§", "#"):
        return False
    return True


def _replacement(text: str, m, value: float) -> str:
    """`value` written the way the answer wrote the number (1.2万 → 1.1 with the 万 kept)."""
    from qa.facts.numbers import parse_number

    shown = parse_number(text[m.start:m.end]) or m.value
    scale = m.value / shown if shown else 1.0
    scaled = value / scale if scale else value
    return _fmt(round(scaled, 6))
