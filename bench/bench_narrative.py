"""Narrative answers, end to end through `qa.ask()`: the extractive path (Chinese questions,
no LLM) and the LLM path (English / mixed questions: the report's list items translated; other
narrative questions: retrieved passages), with prompt tokens, stage timings and p50/p95.

    QA_DATA_DIR=... .venv/bin/python bench/bench_narrative.py [--repeat 3] [--mode local]

The store must hold the seeds and /work/shared/corpus/text (qa ingest seeds ../shared/corpus/text).
The model is loaded and warmed once before timing (its load time is printed separately).
Numbers are wall-clock on this machine; the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

EXTRACTIVE = [
    "辽宁省外办2020年存在哪些问题?",
    "外交部2013年政府信息公开工作存在哪些问题？",
    "四川省外辦2013年政府信息公開工作存在哪些主要問題？",
    "淮安市2024年政府信息公开工作存在哪些主要问题？",
    "外交部2013年报告提出2014年重点做好哪些工作？",
    "长春市外办2012年工作存在的主要问题和下一步工作打算是什么？",
]
LLM_PATH = [
    "What problems did the Liaoning Foreign Affairs Office report for 2020?",
    "洪泽区2023年 what are the main problems in 政务公开?",
    "How did the Foreign Ministry strengthen the organisation and leadership of information disclosure work in 2013?",
    "辽宁省外办2020年 how did the office respond to public concerns (回应社会关切)?",
    "How did the Huai'an city government improve its information disclosure platforms in 2024?",
    "Through which channels did the Liaoning Foreign Affairs Office publish information in 2020?",
    "长春市外办2012年 used which channels for 政府信息公开?",
    "外交部2013年为什么要加强信息解读和回应？",
]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mode", default="local")
    args = ap.parse_args()
    console = Console(width=160)
    console.print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")

    from qa.answer.route import ask
    from qa.backends.llm import get_llm
    from qa.settings import get_settings

    settings = get_settings()
    t = time.perf_counter()
    llm = get_llm(settings.model_copy(update={"llm": args.mode}))
    console.print(f"LLM ready ({args.mode}): {time.perf_counter() - t:.1f} s")
    ask(EXTRACTIVE[0], mode="none")  # warm: dictionaries, caches (the model is loaded above)

    for title, questions, mode in (("extractive (Chinese, no LLM)", EXTRACTIVE, "none"),
                                   (f"LLM path ({args.mode})", LLM_PATH, args.mode)):
        table = Table(title=title)
        for col in ("question", "mode", "prompt tok", "gen tok", "first token s", "llm s", "verify ms", "total s",
                    "verification", "cites"):
            table.add_column(col)
        totals = []
        for question in questions:
            runs = []
            for _ in range(args.repeat if mode != "none" else 5):
                if hasattr(llm, "last_timings"):
                    llm.last_timings = {}
                a = ask(question, mode=mode)
                runs.append(a.timing.total_ms / 1000)
            totals += runs
            st = a.timing.stages
            tm = getattr(llm, "last_timings", {}) if a.mode == "llm" else {}
            table.add_row(question[:40], a.mode, str(tm.get("prompt_n", "-")),
                          str(tm.get("predicted_n", "-")), f"{st.get('first_token', 0) / 1000:.1f}",
                          f"{st.get('llm', 0) / 1000:.1f}", f"{st.get('verify', 0):.0f}",
                          f"{statistics.median(runs):.2f}", a.verification, str(len(a.citations)))
        console.print(table)
        console.print(f"{title}: n={len(totals)}  p50 {pct(totals, 0.5):.2f} s  p95 {pct(totals, 0.95):.2f} s")
    console.print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
