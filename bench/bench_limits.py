"""Ingest time and peak memory against text size, up to the reading limit (issue 14, point 4).

    .venv/bin/python bench/bench_limits.py [--sizes 0.1,1,10] [--kinds reports,oneline]

For each size a text file is written and ingested by `qa.ingest.ingest` into a fresh store, in a
child process of its own (so peak RSS is that ingest's), after a warm-up ingest of one seed
(jieba, Chroma and the embedder loaded). Texts:

* reports — the seeds and the shared corpus texts concatenated, over and over, to the size: a
  many-report file, with tables, prose facts and page footers (boilerplate) throughout;
* oneline — the same sentences with every line break removed: one line, no headings.

The embedder is the bench's `hash` stand-in (bench/common.py), so the table measures qa's own
work (reading, sections, chunks, facts, jieba, SQLite, Chroma) and not a model's encode speed,
which bench_ingest.py measures. Linear means: s/MB and MB of RSS growth per MB stay flat.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import load_average, log, peak_rss_mb, print_table, report_paths, temp_settings  # noqa: E402


def make_text(size_mb: float, kind: str) -> str:
    """About size_mb MB (UTF-8) of real report text; whole characters, so the size is approximate."""
    texts = [p.read_text(encoding="utf-8") for p in report_paths()]
    if kind == "oneline":
        texts = [re.sub(r"\s*\n\s*", "", t) for t in texts]
    target, parts, size, i = int(size_mb * 1e6), [], 0, 0
    while size < target:
        text = texts[i % len(texts)]
        parts.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    data = "".join(parts).encode("utf-8")[:target]
    return data.decode("utf-8", "ignore")


def rss_now_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(size_mb: float, kind: str) -> dict:
    """Child process: warm up, then ingest one file of `size_mb` and report time and memory."""
    from common import install_hash_embedder, SEEDS

    from qa.ingest import ingest, open_store

    install_hash_embedder()
    work = Path(tempfile.mkdtemp(prefix="qa-bench-limits-"))
    ingest([SEEDS / "mfa_2013.txt"], temp_settings("hash", work / "warm"))
    path = work / f"{kind}_{size_mb:g}MB.txt"
    path.write_text(make_text(size_mb, kind), encoding="utf-8")
    settings = temp_settings("hash", work / "data")
    baseline = rss_now_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    result = ingest([path], settings)[0]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = peak_rss_mb()
    store = open_store(settings)
    longest = store.db.execute("SELECT max(length(text)) FROM chunks").fetchone()[0] or 0
    mb = path.stat().st_size / 1e6
    return {"text": kind, "MB": mb, "characters": len(path.read_text(encoding="utf-8")), "status": result.status,
            "chunks": result.chunks, "longest chunk": longest, "facts": result.facts, "ingest s": wall,
            "CPU s": cpu, "s/MB": wall / mb, "peak RSS MB": peak, "RSS growth MB": peak - baseline,
            "growth MB/MB": (peak - baseline) / mb, "message": " ".join(result.message.split())[:300]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0.1,1,10", help="text sizes in MB")
    parser.add_argument("--kinds", default="reports,oneline", help="reports and/or oneline")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child: "size,kind" → JSON
    args = parser.parse_args()
    if args.one:
        size, kind = args.one.split(",")
        print(json.dumps(measure(float(size), kind)))
        return
    rows = []
    for kind in args.kinds.split(","):
        for size in args.sizes.split(","):
            log(f"bench_limits: {kind} {size} MB …")
            out = subprocess.run([sys.executable, __file__, "--one", f"{size},{kind}"], check=True,
                                 capture_output=True, text=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print_table("Ingest of one text file against its size (hash embedder: qa's own work, no model)",
                ["text", "MB", "characters", "status", "chunks", "longest chunk", "facts", "ingest s", "CPU s",
                 "s/MB", "peak RSS MB", "RSS growth MB", "growth MB/MB"], rows,
                caption=f"linear = s/MB and growth MB/MB flat across sizes; load average {load_average()}")
    for row in rows:
        if row["message"]:
            print(f"{row['text']} {row['MB']:.1f} MB: {row['message']}")


if __name__ == "__main__":
    main()
