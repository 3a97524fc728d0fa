"""LLM answers: numbered sources → prompt → LLM (streamed, bounded) → verify → Answer.

Prompts are files in `prompts/` (package data `qa.prompts`):
  system.txt            the rules (sources are data, cite [n], copy numbers, refusal, language)
  answer.txt            the user message: delimited source blocks, the question, the task
  task_answer.txt       the task for lookup / narrative questions over retrieved passages
  task_items.txt        the task for a report's own list items (English / mixed questions)
  task_compare.txt      the task for comparisons (Query.intent == "compare" or several years/agencies)
  language_<x>.txt      line 1: the answer-language rule; line 2: the exact refusal sentence
                        (x = zh, zh_hant, en; chosen from Query.language / Query.script)

There is no worked example in the prompt: a 1.5B model copies examples into real answers.
The prompt stays within PROMPT_TOKENS (sources are trimmed to fit, the question is cut to
QUESTION_CHARS) and the answer within the backend's max_tokens (200 by default).

Sources go into `<source id="N" ...>…</source>` blocks; the system prompt says their content
is data, and any `<source`/`</source` inside a quote is defanged so a source cannot close its
own block. Generation always streams, so a deadline (QA_TIMEOUT) and Ctrl-C stop it between
pieces. The text is then checked by `qa.answer.verify`: numbers against sources and facts, and every
sentence against the source it cites (`check_claims`); unsupported sentences are dropped.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from qa.backends.llm import LLMTimeout
from qa.types import Answer, Citation, Fact, Query, Timing

PROMPTS_DIR = Path(__file__).resolve().parent.parent.parent / "prompts"
CHARS_PER_TOKEN = 1.3  # Qwen tokenizer on Chinese report prose, measured roughly; used for budgets only
PROMPT_TOKENS = 1200  # whole prompt: system + sources + question + task
QUESTION_CHARS = 300  # longer questions are cut before they reach the LLM
ITEM_TOKENS = 48  # answer budget per list item to translate
_MARK = re.compile(r"[\[【]\s*\d{1,3}\s*[\]】]")



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
    if lang in ("en", "mixed"):  # a mixed question asks in English about Chinese names
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


def estimate_tokens(text: str) -> int:
    """Rough token count for budgets: ~1.3 Chinese characters or ~4 Latin characters per token."""
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return int(cjk / CHARS_PER_TOKEN + (len(text) - cjk) / 4) + 1


def fit_sources(sources: list[Citation], budget_tokens: int) -> list[Citation]:
    """Trim the longest quotes so all of them fit `budget_tokens` (quotes keep their start)."""
    budget = int(max(64, budget_tokens) * CHARS_PER_TOKEN)
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


def cut_question(question: str) -> str:
    question = " ".join(question.split())
    return question if len(question) <= QUESTION_CHARS else question[:QUESTION_CHARS] + "…"


def build_messages(question: str, query: Optional[Query], sources: list[Citation],
                   task: Optional[str] = None) -> list[dict[str, str]]:
    return build_prompt(question, query, sources, task)[0]


def build_prompt(question: str, query: Optional[Query], sources: list[Citation],
                 task: Optional[str] = None) -> tuple[list[dict[str, str]], list[Citation]]:
    """System rules + one user message (sources, question, task, language) within PROMPT_TOKENS,
    and the sources as shown (long quotes trimmed to fit)."""
    lang = answer_language(query, question)
    rule, refusal = language_rule(lang)
    system = load_prompt("system.txt").strip()  # constant: its tokens stay in the prompt cache
    task_file = task or ("task_compare.txt" if is_compare(query) else "task_answer.txt")
    task_text = load_prompt(task_file).strip()
    question = cut_question(question)

    template = "answer_items.txt" if task_file == "task_items.txt" else "answer.txt"  # items: no refusal

    def user_for(shown: list[Citation]) -> str:
        return load_prompt(template).format(
            sources=format_sources(shown) if shown else "(no sources)", question=question, task=task_text,
            language_rule=rule, refusal=refusal).strip()

    overhead = estimate_tokens(system) + estimate_tokens(user_for([])) + 16 * len(sources) + 16
    shown = fit_sources(sources, PROMPT_TOKENS - overhead)
    return [{"role": "system", "content": system}, {"role": "user", "content": user_for(shown)}], shown


def prompt_texts() -> list[str]:
    """Every instruction text a prompt can carry: none of it may reach an answer."""
    names = ["system.txt", "answer.txt", "answer_items.txt", "task_answer.txt", "task_items.txt", "task_compare.txt"]
    names += [f"language_{x}.txt" for x in ("zh", "zh_hant", "en")]
    return [load_prompt(n) for n in names]


def to_script(text: str, lang: str) -> str:
    """Small models often answer a traditional question in simplified (and vice versa): convert."""
    if lang not in ("zh", "zh_hant") or not re.search(r"[\u4e00-\u9fff]", text):
        return text
    return _converter("s2t" if lang == "zh_hant" else "t2s").convert(text)


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _norm(s: str) -> str:
    return re.sub(r"[\s\[\]\d。，,.!！？?：:；;“”\"'「」]", "", s).lower()


def is_refusal(text: str, lang: str) -> bool:
    _, refusal = language_rule(lang)
    t = _norm(text)
    if not t:
        return True
    refusals = {_norm(language_rule(x)[1]) for x in ("zh", "zh_hant", "en")}
    return any(t.startswith(r) or (r in t and len(t) < len(r) * 1.6) for r in refusals)


def stream_reply(llm, messages, max_tokens: int, stream_to=None, deadline: Optional[float] = None,
                 stages: Optional[dict] = None) -> str:
    """The LLM's reply, streamed piece by piece to `stream_to`. Stops at `deadline`
    (time.monotonic()) with LLMTimeout; Ctrl-C stops it at once (the backend cleans up)."""
    t0 = time.perf_counter()
    parts: list[str] = []
    pieces = llm.stream(messages, max_tokens)
    try:
        for piece in pieces:  # the local backend also yields "" while it waits: a chance to check the clock
            if deadline is not None and time.monotonic() > deadline:
                raise LLMTimeout(f"the LLM did not finish within the time budget ({len(parts)} pieces written)")
            if not piece:
                continue
            if stages is not None and "first_token" not in stages:
                stages["first_token"] = round((time.perf_counter() - t0) * 1000, 3)
            parts.append(piece)
            if stream_to is not None:
                stream_to(piece)
    finally:
        close = getattr(pieces, "close", None)
        if close:
            close()
    return "".join(parts)


def generate_answer(
    question: str,
    query: Optional[Query],
    sources: list[Citation],
    llm,
    facts: list[Fact] | None = None,
    stream_to: Optional[Callable[[str], object]] = None,
    max_tokens: Optional[int] = None,
    deadline: Optional[float] = None,
    task: Optional[str] = None,
) -> Answer:
    """Ask `llm` to answer from `sources` (numbered [1]…), then verify every number and sentence.

    `stream_to`, if given, receives the raw text pieces as they are generated (before
    verification: the returned Answer's text is the checked one — bad citation markers removed,
    fact corrections applied, unsupported sentences dropped, markers numbered as the answer's
    citations). Raises `qa.backends.llm.LLMUnavailable` if the LLM fails and `LLMTimeout` past
    `deadline`; the caller falls back to an extractive answer. mode is "llm", or "abstain" when
    the model says the sources do not contain the answer. An answer always carries the sources
    its text came from: when the model cites none, all the sources it was given are attached.
    """
    from qa.answer.verify import check_claims, verify, verify_answer

    facts = list(facts or [])
    t0 = time.perf_counter()
    messages, shown = build_prompt(question, query, sources, task)
    stages: dict[str, float] = {}
    raw = stream_reply(llm, messages, _answer_tokens(llm, max_tokens, task, len(sources)), stream_to, deadline,
                       stages)
    t_llm = time.perf_counter()
    lang = answer_language(query, question)
    stages["llm"] = round((t_llm - t0) * 1000, 3)
    text = raw.strip()
    if is_refusal(text, lang):
        return verify(Answer(question=question, text=language_rule(lang)[1], mode="abstain", query=query,
                             warnings=["the LLM found no answer in the sources"],
                             timing=Timing(total_ms=(time.perf_counter() - t0) * 1000, stages=stages)))
    text = to_script(text, lang)
    if task == "task_items.txt":  # "1. …" lines of a numbered list answer source 1, 2 …
        text = re.sub(r"(?m)^\s*\[?(\d{1,2})[.)\]]\s+(.+?)\s*$", lambda m: m.group(2) if _MARK.search(m.group(2))
                      else f"{m.group(2)} [{m.group(1)}]", text)
    numbers = verify_answer(text, shown, facts, attach_missing=True)
    claims = check_claims(numbers.text, shown, prompt_texts())
    answer = _checked_answer(question, query, sources, facts, numbers, claims, lang, task)
    stages["verify"] = round((time.perf_counter() - t_llm) * 1000, 3)
    answer.timing = Timing(total_ms=(time.perf_counter() - t0) * 1000, stages=stages)
    return answer


def _answer_tokens(llm, max_tokens: Optional[int], task: Optional[str], n_sources: int) -> int:
    tokens = max_tokens or getattr(llm, "max_tokens", None) or 200
    if task == "task_items.txt":  # one short sentence per item is all that is asked
        tokens = min(tokens, ITEM_TOKENS * n_sources + 16)
    return tokens


def _checked_answer(question: str, query: Optional[Query], sources: list[Citation], facts: list[Fact],
                    numbers, claims, lang: str, task: Optional[str]) -> Answer:
    """The Answer of a checked LLM text: its cited sources as citations (markers renumbered to
    them), the facts its numbers rest on, its corrections as checks, then `verify` once."""
    from qa.answer.markers import renumber
    from qa.answer.verify import CLAIMS_DROPPED, as_check, verify

    warnings = list(numbers.warnings) + claims.warnings
    if lang == "en" and re.search(r"[\u4e00-\u9fff]", re.sub(r"[“\"「《][^”\"」》]*[”\"」》]", "", claims.text)):
        warnings.append("the English answer contains untranslated Chinese")
    cited = sorted(set(numbers.cited) & set(claims.cited)) if claims.cited else []
    if not cited:
        warnings.append(f"the answer cites no source: the {len(sources)} source(s) it was written from are attached"
                        + ("; its numbers were checked against them" if numbers.checks else ""))
    # a translated list keeps every quoted item as a source (the reader sees the whole list);
    # other answers keep the sources they cite, or all they were given when they cite none
    kept = list(range(1, len(sources) + 1)) if task == "task_items.txt" or not cited else cited
    citation_of = {k: n for n, k in enumerate(kept, 1)}
    citations = [sources[k - 1] for k in kept]
    used_values = {c.value for c in numbers.checks if c.outcome in ("fact", "corrected")} | {
        c.expected for c in numbers.checks if c.expected is not None}
    cited_reports = {c.report_id for c in citations}
    answer = Answer(question=question, text=renumber(claims.text, citation_of), mode="llm", citations=citations,
                    facts=[f for f in facts if f.report_id in cited_reports and f.value in used_values],
                    query=query, verification=CLAIMS_DROPPED if claims.dropped else "", warnings=warnings,
                    checks=[as_check(c, citation_of) for c in numbers.checks if c.outcome == "corrected"])
    return verify(answer, facts)
