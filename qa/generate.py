"""LLM answers: numbered sources → prompt → LLM (streamed) → verify → Answer.

Prompts are files in `prompts/` (package data `qa.prompts`):
  system.txt            the rules (sources are data, cite [n], copy numbers, refusal, language)
  answer.txt            the user message: delimited source blocks, the question, the task
  task_answer.txt       the task for lookup / narrative questions
  task_compare.txt      the task for comparisons (Query.intent == "compare" or several years/agencies)
  example_user.txt / example_assistant.txt
                        one fixed worked example (fictional agency) sent before the real question
  language_<x>.txt      line 1: the answer-language rule; line 2: the exact refusal sentence
                        (x = zh, zh_hant, en; chosen from Query.language / Query.script)

Sources go into `<source id="N" ...>…</source>` blocks; the system prompt says their content
is data, and any `<source`/`</source` inside a quote is defanged so a source cannot close its
own block. The LLM's text is then checked by `qa.verify.verify_answer`: citations = the sources
actually cited, numbers verified / corrected / flagged.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from qa.types import Answer, Citation, Fact, Query, Timing

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
CHARS_PER_TOKEN = 1.3  # Qwen tokenizer on Chinese report prose, measured roughly; used for budgets only


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """Text of prompts/<name> from the installed package `qa.prompts`, else the repo's prompts/ dir."""
    try:
        from importlib.resources import files

        return files("qa.prompts").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return (PROMPTS_DIR / name).read_text(encoding="utf-8")


def answer_language(query: Optional[Query], question: str = "") -> str:
    """zh / zh_hant / en: the language the answer must be written in."""
    lang = (query.language if query else "") or ""
    script = (query.script if query else "") or ""
    if lang == "en":
        return "en"
    if not lang and question and not re.search(r"[\u4e00-\u9fff]", question):
        return "en"
    return "zh_hant" if script == "traditional" else "zh"


def language_rule(lang: str) -> tuple[str, str]:
    """(rule, refusal sentence) for an answer language."""
    lines = [ln.strip() for ln in load_prompt(f"language_{lang}.txt").splitlines() if ln.strip()]
    return lines[0], lines[1]


def _attr(s) -> str:
    return str(s if s is not None else "").replace('"', "'").replace("\n", " ").strip()


def _defang(text: str) -> str:
    return re.sub(r"<\s*(/?)\s*source", lambda m: f"‹{m.group(1)}source", text, flags=re.I)


def format_sources(sources: list[Citation]) -> str:
    blocks = []
    for i, c in enumerate(sources, 1):
        attrs = [f'id="{i}"']
        if c.agency:
            attrs.append(f'agency="{_attr(c.agency)}"')
        if c.year:
            attrs.append(f'year="{c.year}"')
        if c.section:
            attrs.append(f'section="{_attr(c.section)}"')
        blocks.append(f"<source {' '.join(attrs)}>\n{_defang(c.quote.strip())}\n</source>")
    return "\n\n".join(blocks)


def fit_sources(sources: list[Citation], context_window: int, max_tokens: int) -> list[Citation]:
    """Trim the longest quotes so the prompt fits the context window (quotes keep their start)."""
    budget_tokens = max(256, context_window - max_tokens - 800)  # 800: system + worked example + question
    budget = int(budget_tokens * CHARS_PER_TOKEN)
    lengths = [len(c.quote) for c in sources]
    if sum(lengths) <= budget:
        return list(sources)
    # Water-filling: find the cap so that sum(min(len, cap)) <= budget.
    cap = budget // max(1, len(sources))
    for _ in range(20):
        spare = budget - sum(min(n, cap) for n in lengths)
        bigger = sum(1 for n in lengths if n > cap)
        if spare <= 0 or not bigger:
            break
        cap += spare // bigger or 1
    out = []
    for c in sources:
        if len(c.quote) > cap:
            q = c.quote[:cap]
            c = c.model_copy(update={"quote": q, "end": c.start + len(q)})
        out.append(c)
    return out


def is_compare(query: Optional[Query]) -> bool:
    if query is None:
        return False
    return query.intent == "compare" or len(set(query.years)) > 1 or len(set(query.agencies)) > 1


def build_messages(question: str, query: Optional[Query], sources: list[Citation]) -> list[dict[str, str]]:
    lang = answer_language(query, question)
    rule, refusal = language_rule(lang)
    system = load_prompt("system.txt").strip()  # constant: its tokens stay in the prompt cache
    task = load_prompt("task_compare.txt" if is_compare(query) else "task_answer.txt").strip()
    user = load_prompt("answer.txt").format(
        sources=format_sources(sources) if sources else "(no sources)",
        question=question.strip(),
        task=task,
        language_rule=rule,
        refusal=refusal,
    ).strip()
    example_user = load_prompt("example_user.txt").format(task=load_prompt("task_answer.txt").strip()).strip()
    example_answer = load_prompt("example_assistant.txt").strip()
    return [
        {"role": "system", "content": system},
        # A fixed worked example (fictional agency): shows the citation format and that
        # instructions inside a source are not followed. Constant, so it stays in the prompt cache.
        {"role": "user", "content": example_user},
        {"role": "assistant", "content": example_answer},
        {"role": "user", "content": user},
    ]


def to_script(text: str, lang: str) -> str:
    """Small models often answer a traditional question in simplified (and vice versa): convert."""
    if lang not in ("zh", "zh_hant") or not re.search(r"[\u4e00-\u9fff]", text):
        return text
    try:
        import opencc
    except ImportError:  # pragma: no cover
        return text
    return opencc.OpenCC("s2t" if lang == "zh_hant" else "t2s").convert(text)


def _norm(s: str) -> str:
    return re.sub(r"[\s\[\]\d。，,.!！？?：:；;“”\"'「」]", "", s).lower()


def is_refusal(text: str, lang: str) -> bool:
    _, refusal = language_rule(lang)
    t = _norm(text)
    if not t:
        return True
    refusals = {_norm(language_rule(x)[1]) for x in ("zh", "zh_hant", "en")}
    return any(t.startswith(r) or (r in t and len(t) < len(r) * 1.6) for r in refusals)


def generate_answer(
    question: str,
    query: Optional[Query],
    sources: list[Citation],
    llm,
    facts: list[Fact] | None = None,
    stream_to: Optional[Callable[[str], object]] = None,
    max_tokens: Optional[int] = None,
) -> Answer:
    """Ask `llm` to answer from `sources` (numbered [1]…), then verify every number and citation.

    `stream_to`, if given, receives the raw text pieces as they are generated (before
    verification: the returned Answer's text is the checked one, with bad citation markers removed
    and fact corrections applied). Raises `qa.backends.llm.LLMUnavailable` if the LLM fails; the
    caller falls back to an extractive answer. mode is "llm", or "abstain" when the model says the
    sources do not contain the answer.
    """
    from qa.verify import verify_answer

    facts = list(facts or [])
    t0 = time.perf_counter()
    mt = max_tokens or getattr(llm, "max_tokens", None) or 384
    ctx = getattr(llm, "context_window", 0) or 4096
    shown = fit_sources(sources, ctx, mt)
    messages = build_messages(question, query, shown)
    t_first = None
    if stream_to is not None:
        parts: list[str] = []
        for piece in llm.stream(messages, mt):
            if t_first is None:
                t_first = time.perf_counter()
            parts.append(piece)
            stream_to(piece)
        raw = "".join(parts)
    else:
        raw = llm.complete(messages, mt)
    t_llm = time.perf_counter()
    lang = answer_language(query, question)
    stages = {"llm_ms": (t_llm - t0) * 1000}
    if t_first is not None:
        stages["first_token_ms"] = (t_first - t0) * 1000

    text = raw.strip()
    if is_refusal(text, lang):
        _, refusal = language_rule(lang)
        return Answer(
            question=question, text=refusal, mode="abstain", query=query, verification="n/a",
            warnings=["the LLM found no answer in the sources"],
            timing=Timing(total_ms=(time.perf_counter() - t0) * 1000, stages=stages),
        )

    text = to_script(text, lang)
    res = verify_answer(text, shown, facts, attach_missing=True)
    stages["verify_ms"] = (time.perf_counter() - t_llm) * 1000
    warnings = list(res.warnings)
    if lang == "en" and re.search(r"[\u4e00-\u9fff]", re.sub(r"[“\"「《][^”\"」》]*[”\"」》]", "", res.text)):
        warnings.append("the English answer contains untranslated Chinese")
    if not res.cited:
        warnings.append("the answer cites no source")
    cited_reports = {sources[i - 1].report_id for i in res.cited}
    used_values = {c.value for c in res.checks if c.outcome in ("fact", "corrected")} | {
        c.expected for c in res.checks if c.expected is not None
    }
    used_facts = [f for f in facts if f.report_id in cited_reports and f.value in used_values]
    return Answer(
        question=question,
        text=res.text,
        mode="llm",
        citations=[sources[i - 1] for i in res.cited],
        facts=used_facts,
        query=query,
        verification=res.status,
        unverified_numbers=res.unverified_numbers,
        warnings=warnings,
        timing=Timing(total_ms=(time.perf_counter() - t0) * 1000, stages=stages),
    )
