"""Routing: fact lookup (SQLite only) → retrieval → LLM; abstain when the reports do not say.

A numeric question that resolves to a metric is answered from the facts table, with the
sentence or table row it came from (qa.answer.fact, qa.answer.analysis). Everything else is
retrieved; an LLM (when configured and available) writes from the retrieved sources. Every
answer, whatever its mode, is then checked once by `qa.answer.verify.verify`.
"""

from __future__ import annotations

import re
import time
from typing import Callable, Optional

from qa.answer.abstain import abstain_answer, which_agency_answer
from qa.answer.fact import fact_answer
from qa.answer.open_answer import open_number_answer, prefer_open_number
from qa.answer.wording import (agency_label, fact_citation, format_value, metric_name,  # noqa: F401 (re-exported)
                               parts_note, scope_name, unique_citations)
from qa.settings import Settings, get_settings
from qa.store import Store
from qa.types import Answer, Citation, Fact, Query, Timing
from qa.understand import COUNTING

MAX_QUESTION = 2000
RANK_OR_TOTAL = re.compile(r"排名|排序|最多|最少|合计|总共|一共|rank|most|fewest|least|total across|in total", re.I)


# ---------------------------------------------------------------------------- retrieval path
def extract_answer(query: Query, store: Store, settings: Settings, mode: str,
                   stream_to: Optional[Callable[[str], None]] = None,
                   deadline: Optional[float] = None) -> Optional[Answer]:
    """The report's own list, quoted item by item (qa.answer.narrative); None when no list fits.
    Chinese questions get the quotes (no LLM); English and mixed ones get the items translated
    by the LLM when one is configured — the quoted items stay the sources either way."""
    from qa.answer.narrative import narrative_answer

    t = time.perf_counter()
    extract = narrative_answer(query, store)
    if extract is None:
        return None
    extract.text = in_question_script(extract.text, query)
    extract.timing.stages["extract"] = _ms(t)
    if mode == "none" or query.language not in ("en", "mixed"):
        return extract
    return _llm_answer(query, store, settings, mode, extract.citations, stream_to, [], deadline, extract,
                       task="task_items.txt")


def retrieval_answer(query: Query, store: Store, settings: Settings, mode: str,
                     stream_to: Optional[Callable[[str], None]] = None,
                     deadline: Optional[float] = None) -> Answer:
    from qa.retrieve import best_sentences, retrieve

    t = time.perf_counter()
    warnings = list(query.unsupported)
    hits = retrieve(query, store, settings, warnings=warnings)
    if not hits:
        answer = abstain_answer(query, store)
        answer.warnings += warnings
        return answer
    sources = best_sentences(query, hits, store, n=3)
    english = query.language in ("en", "mixed")
    lead = "From the reports:" if english else in_question_script("报告原文：", query)
    body = "\n".join(f"[{i + 1}] {c.quote.strip()}" for i, c in enumerate(sources))
    extract = Answer(question=query.question, text=f"{lead}\n{body}", mode="retrieval", citations=sources,
                     query=query, warnings=warnings)
    extract.timing.stages["retrieval"] = _ms(t)
    if mode == "none":
        return extract
    passages = best_sentences(query, hits, store, n=4, span_chars=260)  # the prompt gets passages, not chunks
    return _llm_answer(query, store, settings, mode, passages, stream_to, warnings, deadline, extract)


def _llm_answer(query: Query, store: Store, settings: Settings, mode: str, sources: list[Citation],
                stream_to, warnings: list[str], deadline: Optional[float], fallback: Answer,
                task: Optional[str] = None) -> Answer:
    """The LLM writes from `sources`; on failure, timeout (QA_TIMEOUT) or a reply with nothing
    left after checking, the cited extracts in `fallback` are returned with a notice."""
    from qa.backends.llm import LLMTimeout, LLMUnavailable, get_llm_within
    from qa.backends.model_file import ModelFileError
    from qa.answer.generate import generate_answer

    try:
        llm = get_llm_within(settings.model_copy(update={"llm": mode}), deadline)
        facts = [f for rid in {c.report_id for c in sources} for f in store.facts(report_id=rid)]
        answer = generate_answer(query.question, query, sources, llm, facts=facts, stream_to=stream_to,
                                 deadline=deadline, task=task)
    except LLMTimeout as exc:
        return _fallback(fallback, f"{exc} (QA_TIMEOUT={settings.timeout:g} s); showing cited extracts instead")
    except (LLMUnavailable, ModelFileError, ImportError) as exc:  # fall back to cited extracts, say so once
        return _fallback(fallback, f"LLM not available ({exc}); showing cited extracts instead")
    if answer.mode == "llm" and not answer.text.strip():
        return _fallback(fallback, "no sentence of the LLM's answer was supported by its sources; "
                                   "showing cited extracts instead", answer.warnings)
    answer.warnings = warnings + answer.warnings
    answer.timing.stages = {**fallback.timing.stages, **answer.timing.stages}
    return answer


def _fallback(extract: Answer, notice: str, more: list[str] = ()) -> Answer:
    extract.warnings = [*extract.warnings, *more, notice]
    return extract


QUOTED = re.compile(r"“.*”")  # a line's quote, to its last ” (quotes nest: “…“平潭国资”…”)


def in_question_script(text: str, query: Query) -> str:
    """Template text follows the question's script; what stands in “quotes” stays as the report wrote it."""
    from qa.answer.generate import to_script

    if query.script != "traditional" or query.language != "zh":
        return text
    kept = QUOTED.findall(text)
    parts = QUOTED.split(text)
    return "".join(to_script(p, "zh_hant") + (kept[i] if i < len(kept) else "") for i, p in enumerate(parts))


# ---------------------------------------------------------------------------- entry point
def ask(question: str, settings: Optional[Settings] = None, mode: Optional[str] = None,
        stream_to: Optional[Callable[[str], None]] = None) -> Answer:
    """Answer one question with citations. mode: none / local / openai (default: settings.llm)."""
    from qa.answer.verify import verify
    from qa.ingest import ensure_seeded, open_store
    from qa.provenance import provenance

    started = time.perf_counter()
    settings = settings or get_settings()
    mode = mode or settings.llm
    warnings = []
    if len(question) > MAX_QUESTION:
        warnings.append(f"question cut to its first {MAX_QUESTION} of {len(question)} characters")
        question = question[:MAX_QUESTION]
    if not question.strip():
        raise ValueError("empty question")
    seeding = time.perf_counter()
    ensure_seeded(settings)
    started += time.perf_counter() - seeding  # a first-use seed ingest is not time spent answering
    store = open_store(settings)
    stages: dict[str, float] = {}
    answer = route(question, store, settings, mode, stream_to, stages)
    if answer.query is not None and answer.mode in ("fact", "abstain", "extract"):
        answer.text = in_question_script(answer.text, answer.query)  # a traditional question, a traditional answer
    t = time.perf_counter()
    answer = verify(answer, facts=lambda: context_facts(answer, store))
    stages["check"] = _ms(t)
    answer.warnings = warnings + answer.warnings
    answer.settings_hash = settings.fingerprint()
    answer.provenance = provenance(settings, mode)
    answer.timing = Timing(total_ms=_ms(started), stages={**stages, **answer.timing.stages})
    return answer


def route(question: str, store: Store, settings: Settings, mode: str,
          stream_to: Optional[Callable[[str], None]], stages: dict[str, float]) -> Answer:
    """The answer of the first path that has one: which agency? → facts → the report's own
    list → retrieval (→ LLM). `stages` gets the ms each step took."""
    from qa.link import agency_years
    from qa.understand import understand

    t = time.perf_counter()
    held = agency_years(store)
    query = understand(question, held)
    stages["understand"] = _ms(t)
    if query.unknown_agency or query.agency_candidates:
        return which_agency_answer(query, store, held)
    if query.unsupported and not query.years:
        answer = abstain_answer(query, store)
        answer.text = "; ".join(query.unsupported)
        return answer
    t = time.perf_counter()
    answer = _facts_answer(query, store)
    if answer is not None:
        stages["facts"] = _ms(t)
        return answer
    deadline = time.monotonic() + settings.timeout  # the LLM path returns its cited extracts by then
    if not COUNTING.search(query.question):  # a report's own list, quoted, first
        answer = extract_answer(query, store, settings, mode, stream_to, deadline)
    return answer or retrieval_answer(query, store, settings, mode, stream_to, deadline)


def _facts_answer(query: Query, store: Store) -> Optional[Answer]:
    """From SQLite alone: an analysis, a fact, or a count read from the report's own sentence."""
    from qa.normalize import matching_view

    if query.metric and query.intent in ("lookup", "compare", "list"):
        answer = None
        one_report = len(query.agencies) == 1 and len(query.years) == 1  # "in total" of one report: its figure
        if query.intent in ("compare", "list") or (RANK_OR_TOTAL.search(query.question) and not one_report):
            from qa.answer.analysis import analysis_answer

            answer = analysis_answer(query, store)
        if answer is None:
            answer = fact_answer(query, store) if (query.agencies or query.years) else _unscoped_fact(query, store)
        return prefer_open_number(query, store, answer) if answer is not None else None
    if query.agencies and query.intent in ("lookup", "compare") and COUNTING.search(matching_view(query.question)):
        # a count in no vocabulary: the report's own sentence, never the LLM
        return open_number_answer(query, store)[0] or abstain_answer(query, store)
    return None


def context_facts(answer: Answer, store: Store) -> list[Fact]:
    """What the verifier may check numbers against besides the quotes: the stored facts of every
    cited report, and the values the answer computed itself (differences, sums: source 'computed')."""
    stored = [f for rid in dict.fromkeys(c.report_id for c in answer.citations) for f in store.facts(report_id=rid)]
    return stored + [f for f in answer.facts if f.source == "computed"]


def _unscoped_fact(query: Query, store: Store) -> Optional[Answer]:
    """A metric without agency or year: list what every report states (or fall through)."""
    answer = fact_answer(query, store)
    return answer if answer and answer.mode == "fact" else None


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 3)
