"""One verifier for every answer: each number of its text checked against the quotes it cites.

`verify(answer, facts)` runs once at the end of `qa.answer.route.ask`, whatever the mode — fact,
analysis, extract, retrieval, llm, abstain. It finds every quantity in the text (years, dates,
ordinals, section and document numbers skipped; see `qa.answer.check_numbers`), ties it to the
citations of its clause (else of its sentence, else to all), and records one `Check` per number:

- verified: a cited quote states it (values compared: 1.1万 = 11000, 近200 ≈ 200), a fact of a
  cited report does (`facts`: the stored facts of those reports, and values the answer computed
  itself), or it is computed from values the answer cites (a difference, a percentage change, a
  sum of one report's parts);
- corrected: an LLM wrote another number and the LLM path replaced it by the cited fact's value
  (`qa.answer.generate`; the final pass keeps that status);
- unverified: no cited source states it, or one states another value.

`answer.verification` follows: "verified", "corrected", "unverified", or "no numbers to check";
an LLM answer whose unsupported sentences were dropped keeps "unsupported sentences removed"
unless a number fails. `unverified_numbers` lists the unverified ones (as written).

`invented_numbers(answer)` is the eval's measure on the same checks: unverified numbers that no
cited quote states nor derives. Claims (each sentence vs its source) are `qa.answer.claims`.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from qa.answer.check_numbers import (NumberCheck, VerificationResult, source_numbers,  # noqa: F401 (re-exported)
                                     verify_answer)
from qa.answer.claims import ClaimCheck, ClaimResult, check_claims, claim_support  # noqa: F401 (re-exported)
from qa.answer.markers import MARKER_RE
from qa.types import Answer, Check, Fact

NO_NUMBERS = "no numbers to check"
CLAIMS_DROPPED = "unsupported sentences removed"
STATUS = {"source": "verified", "fact": "verified", "found_uncited": "verified", "corrected": "corrected"}
INVENTED_KINDS = {"count", "percent"}  # what the eval counts: a number with a unit of its own


def verify(answer: Answer, facts: Optional[list[Fact]] | Callable[[], list[Fact]] = None) -> Answer:
    """Fill `answer.checks`, `verification` and `unverified_numbers` (see module doc). `facts`:
    the trusted facts of the cited reports (the answer's own `facts` are claims, not context) —
    or a function giving them, called only when a number is not in the cited quotes (loading a
    report's facts costs more than checking a fact answer against its own quote)."""
    if callable(facts):
        result = verify_answer(answer.text, answer.citations, None, correct=False)
        if any(c.outcome not in STATUS for c in result.checks):
            result = verify_answer(answer.text, answer.citations, facts(), correct=False)
    else:
        result = verify_answer(answer.text, answer.citations, facts, correct=False)
    derived = derived_values(answer) if any(c.outcome in ("unsupported", "uncited") for c in result.checks) else set()
    corrected = {(c.number, c.value): c for c in answer.checks if c.status == "corrected"}
    checks = []
    for c in result.checks:
        check = as_check(c)
        if c.outcome in ("unsupported", "uncited") and _in(c.value, derived):
            check.status, check.note = "verified", "computed from the values the answer cites"
        checks.append(corrected.get((check.number, check.value), check) if check.status == "verified" else check)
    answer.checks = checks
    answer.unverified_numbers = [c.number for c in checks if c.status == "unverified"]
    answer.verification = verification_of(checks, claims_dropped=answer.verification == CLAIMS_DROPPED)
    return answer


def as_check(c: NumberCheck, citation_of: Optional[dict[int, int]] = None) -> Check:
    """A number check as the Answer records it. `citation_of` maps source numbers to citation
    numbers when the answer keeps only some of its sources."""
    status = STATUS.get(c.outcome, "unverified")
    source = c.source if c.source is not None else (c.cited[0] if c.cited else None)
    if citation_of is not None and source is not None:
        source = citation_of.get(source)
    if status == "corrected":  # the text now reads the fact's value
        return Check(number=c.raw.replace(c.shown, c.replacement or c.shown, 1), value=c.expected, status=status,
                     citation=source, note=f"the answer said {c.raw}; {c.evidence}")
    return Check(number=c.raw, value=c.value, status=status, citation=source,
                 note="" if status == "verified" else c.evidence)


def verification_of(checks: list[Check], claims_dropped: bool = False) -> str:
    """verified / corrected / unverified from the number checks; "no numbers to check" when the
    text has none; "unsupported sentences removed" when claims were dropped (unless a number failed)."""
    statuses = {c.status for c in checks}
    if "unverified" in statuses:
        return "unverified"
    if claims_dropped:
        return CLAIMS_DROPPED
    if not checks:
        return NO_NUMBERS
    return "corrected" if "corrected" in statuses else "verified"


def derived_values(answer: Answer) -> set[float]:
    """Values an answer may compute from the facts it cites — differences and percentage changes
    between two of them, and each report's sum of parts — when the cited quotes state those facts."""
    stated = {v for c in answer.citations for v in quote_values(c.quote)}
    grounded = [f for f in answer.facts if f.value is not None and f.source != "computed" and _in(f.value, stated)]
    out: set[float] = set()
    values = sorted({f.value for f in grounded})
    for a in values:
        for b in values:
            out |= {round(b - a, 6), round(abs(b - a), 6)}
            if a:
                out |= {round((b - a) / a * 100, 1), round(abs(b - a) / a * 100, 1)}
    by_report: dict[str, list[float]] = {}
    for f in grounded:
        by_report.setdefault(f.report_id, []).append(f.value)
    out |= {round(sum(vs), 6) for vs in by_report.values() if len(vs) > 1}
    return out


def invented_numbers(answer: Answer) -> list[str]:
    """Quantities in the answer text that none of its cited quotes states (nor derives): the
    eval's measure, on the checks of `verify` — the unverified numbers (against the answer's own
    quotes and facts) whose value is no difference, percentage change or per-report sum of the
    quoted values, nor a value of the answer's facts."""
    result = verify_answer(answer.text, answer.citations, answer.facts, correct=False)
    unverified = [c for c in result.checks if c.kind in INVENTED_KINDS and STATUS.get(c.outcome) is None]
    if not unverified:
        return []
    known = _known_values(answer)
    return [c.shown for c in unverified if not _rounds_to_known(c, known)]


def _known_values(answer: Answer) -> list[float]:
    """Every value the quotes state (bare table digits included), their pairwise differences and
    percentage changes, each report's sum of the answer's facts, and the facts' own values."""
    stated = [v for c in answer.citations for v in quote_values(c.quote)]
    derived: set[float] = set()
    uniq = sorted(set(stated))
    if len(uniq) <= 400:  # a long table quote would make every small number derivable anyway
        for a in uniq:
            for b in uniq:
                derived |= {round(b - a, 6), round(abs(b - a), 6)}
                if a:
                    derived |= {round((b - a) / a * 100, 1), round(abs(b - a) / a * 100, 1)}
    by_report: dict[str, float] = {}
    for f in answer.facts:
        if f.value is not None:
            by_report[f.report_id] = by_report.get(f.report_id, 0.0) + f.value
    derived |= {round(v, 6) for v in by_report.values()}
    derived |= {round(f.value, 6) for f in answer.facts if f.value is not None}
    return stated + sorted(derived)


def quote_values(quote: str) -> list[float]:
    """Values a quote states: its numbers, and the bare digits of table cells find_numbers skips."""
    values = [m.value for m in source_numbers(quote)]
    return values + [float(x) for x in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", MARKER_RE.sub(" ", quote))]


def _in(value: float, values) -> bool:
    return any(abs(value - v) <= 1e-9 * max(1.0, abs(value), abs(v)) for v in values)


def _rounds_to_known(c: NumberCheck, known: list[float]) -> bool:
    """Equal to a known value, or a rounding of one (7730.3 for 7730.28)."""
    decimals = len(c.shown.split(".")[1]) if re.fullmatch(r"[\d,]+\.\d+", c.shown) else 0
    tol = 0.5 * 10 ** -decimals + 1e-9 if decimals else 0.0
    return _in(c.value, known) or any(tol and abs(abs(c.value) - abs(v)) <= tol for v in known)
