"""p50 / p95 of `ask()` by answer mode over the whole gold set (every eval/gold*.jsonl), QA_LLM=none.

Runs `qa.eval.run_eval` `--repeat` times against one store (the eval builds a temporary store
with the reports the sets cite when the given data dir lacks them) and groups each question's
wall time by the mode its answer took (fact / extract / retrieval / abstain). The first run warms
caches; the table shows the median over the runs of each mode's p50 and p95.

Usage: QA_DATA_DIR=... .venv/bin/python bench/bench_ask_modes.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import load_average, percentile, print_table  # noqa: E402


def one_run() -> dict[str, list[float]]:
    from qa.eval import run_eval

    report = run_eval(None, mode="none")
    by_mode: dict[str, list[float]] = defaultdict(list)
    for r in report.results:
        by_mode[r.mode].append(r.latency_ms)
        by_mode["all"].append(r.latency_ms)
    return by_mode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {load_average()}")
    runs = [one_run() for _ in range(args.repeat + 1)][1:]  # the first run warms caches
    rows = []
    for mode in sorted({m for run in runs for m in run}):
        times = [run[mode] for run in runs if run.get(mode)]
        rows.append({"mode": mode, "answers a run": len(times[0]),
                     "p50 ms": statistics.median(percentile(t, 50) for t in times),
                     "p95 ms": statistics.median(percentile(t, 95) for t in times),
                     "max ms": max(max(t) for t in times)})
    print_table(f"ask() by answer mode, whole gold set, median of {len(runs)} runs", list(rows[0]), rows)
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
