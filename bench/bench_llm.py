"""Local LLM benchmark: load time, prefill speed / time to first token on a ~1k-token prompt,
generation tokens/s, and per-answer latency on narrative questions built from the seed reports.

    .venv/bin/python bench/bench_llm.py [--data-dir DIR] [--threads N] [--questions 4]

Numbers are wall-clock on this machine; other processes on the same cores change them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from qa.types import Citation, Query  # noqa: E402

SEEDS = ROOT / "seeds"


def cut(name: str, head: str, until: str | None, agency: str, year: int) -> Citation:
    text = (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    s = text.index(head)
    e = text.index(until, s + len(head)) if until else len(text)
    quote = text[s:e].rstrip()
    return Citation(report_id=name, agency=agency, year=year, section=head, quote=quote, start=s, end=s + len(quote))


QUESTIONS = [
    ("外交部2014年在政府信息公开方面有哪些改进措施？", "zh", "simplified",
     lambda: [cut("mfa_2013", "六、存在的问题及改进措施", "责任编辑", "外交部", 2013)]),
    ("长春市外办2012年政府信息公开工作存在哪些主要问题？下一步打算怎么做？", "zh", "simplified",
     lambda: [cut("changchun_fao_2012", "六、工作存在的主要问题和下一步工作打算", None, "长春市外办", 2012)]),
    ("辽宁省外办2020年政务公开工作存在哪些主要问题？", "zh", "simplified",
     lambda: [cut("liaoning_fao_2020", "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "辽宁省外办", 2020)]),
    ("外交部2012年政府信息公开工作面临哪些问题？", "zh", "simplified",
     lambda: [cut("mfa_2012", "六、存在的主要问题及改进措施", None, "外交部", 2012)]),
    ("What did the Ministry of Foreign Affairs publish on its website and Weibo in 2013?", "en", "simplified",
     lambda: [cut("mfa_2013", "二、主动公开信息情况", "三、依申请公开信息情况", "外交部", 2013)]),
]


def long_prompt_messages(n_chars: int = 1300) -> list[dict]:
    """A user prompt of roughly 1k tokens of report prose (Qwen: ~1.3 Chinese chars per token)."""
    text = (SEEDS / "mfa_2012.txt").read_text(encoding="utf-8")
    body = text[:n_chars]
    return [{"role": "user", "content": f"{body}\n\n用一句话概括上文。"}]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default="", help="data dir holding models/ (default: QA settings)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--questions", type=int, default=len(QUESTIONS))
    args = ap.parse_args()
    console = Console(width=150)
    console.print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")

    from qa.backends.llm import LocalLLM
    from qa.backends.model_file import ensure_model
    from qa.answer.generate import generate_answer
    from qa.settings import Settings

    settings = Settings(**({"data_dir": Path(args.data_dir)} if args.data_dir else {}))
    if args.threads:
        settings = settings.model_copy(update={"llm_threads": args.threads})
    t = time.perf_counter()
    path = ensure_model(settings)
    t_model = time.perf_counter() - t
    llm = LocalLLM(str(path), settings.llm_context, settings.llm_threads, settings.llm_max_tokens)

    # Prefill and decode speed from llama.cpp's own timings; cache off so the prompt is prefilled.
    server = llm._server
    msgs = long_prompt_messages()
    server.handle_chat_completions({"messages": [{"role": "user", "content": "你好"}], "max_tokens": 4})
    t = time.perf_counter()
    first = []

    def on_chunk(chunk):
        if not first:
            try:
                if chunk["choices"][0]["delta"].get("content"):
                    first.append(time.perf_counter() - t)
            except (KeyError, IndexError, TypeError):
                pass
        return False

    server.handle_chat_completions({"messages": msgs, "max_tokens": 64, "stream": True, "cache_prompt": False,
                                    "temperature": 0}, on_chunk)
    t_stream = time.perf_counter() - t
    res = server.handle_chat_completions({"messages": msgs, "max_tokens": 64, "cache_prompt": False,
                                          "temperature": 0})
    tm = res.get("timings", {})
    speed = Table(title=f"local model ({settings.llm_threads} threads, n_ctx {settings.llm_context})")
    for col in ("measure", "value"):
        speed.add_column(col)
    speed.add_row("model file ready (ensure_model)", f"{t_model:.2f} s")
    speed.add_row("model load (xllamacpp.Server)", f"{llm.load_seconds:.2f} s")
    speed.add_row("~1k-token prompt: prompt tokens", str(tm.get("prompt_n", "?")))
    speed.add_row("  prefill speed", f"{tm.get('prompt_per_second', 0):.1f} tok/s")
    speed.add_row("  time to first token (streamed, no cache)", f"{first[0]:.2f} s" if first else "?")
    speed.add_row("  generation speed", f"{tm.get('predicted_per_second', 0):.1f} tok/s")
    speed.add_row("  64-token answer, total", f"{t_stream:.2f} s")
    console.print(speed)

    # Warm-up answer (not measured): puts the constant system prompt in the cache.
    warm = Citation(report_id="warm", quote="预热。", start=0, end=3)
    generate_answer("预热？", Query(question="预热？"), [warm], llm, max_tokens=8)

    table = Table(title="generate_answer, warm (system prompt cached)")
    for col in ("question", "src chars", "first token", "total", "pieces", "pieces/s", "verified", "cites"):
        table.add_column(col)
    for question, lang, script, make in QUESTIONS[: args.questions]:
        sources = make()
        query = Query(question=question, language=lang, script=script, intent="narrative")
        pieces = []
        t = time.perf_counter()
        a = generate_answer(question, query, sources, llm, stream_to=pieces.append)
        total = time.perf_counter() - t
        ttft = a.timing.stages.get("first_token", 0) / 1000
        gen = max(1e-6, total - ttft)
        table.add_row(question[:24], str(sum(len(s.quote) for s in sources)), f"{ttft:.2f} s", f"{total:.2f} s",
                      str(len(pieces)), f"{len(pieces) / gen:.1f}", a.verification,
                      ",".join(str(i + 1) for i, s in enumerate(sources) if s in a.citations) or "-")
    console.print(table)
    console.print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    console.print(routing_table())


def routing_table() -> Table:
    """Share of the gold questions (eval/gold.jsonl) answered without the LLM: facts, computed
    comparisons and abstentions never reach it; only 'retrieval' answers would go to the LLM.
    Asked against the current store (QA_DATA_DIR), with QA_LLM=none so nothing is generated."""
    import json
    from collections import Counter

    from qa.answer.route import ask

    gold = Path(__file__).resolve().parent.parent / "eval" / "gold.jsonl"
    questions = [json.loads(line)["question"] for line in gold.read_text(encoding="utf-8").splitlines() if line]
    modes = Counter(ask(q, mode="none").mode for q in questions)
    table = Table(title=f"routing of {len(questions)} gold questions (eval/gold.jsonl)")
    table.add_column("path")
    table.add_column("questions", justify="right")
    table.add_column("share", justify="right")
    for mode, n in modes.most_common():
        table.add_row(mode + ("  (→ LLM)" if mode == "retrieval" else "  (no LLM)"), str(n), f"{n / len(questions):.0%}")
    without = sum(n for m, n in modes.items() if m != "retrieval")
    table.add_row("answered without the LLM", str(without), f"{without / len(questions):.0%}")
    return table


if __name__ == "__main__":
    main()
