"""Warm query latency on a large store built by bench_scale.py (questions about its own relabelled
agencies, not the seed agencies). Usage: python bench/bench_scale_queries.py /tmp/scale10k/data"""
import sys, time, statistics, random
sys.path.insert(0, "bench")
from common import install_hash_embedder
install_hash_embedder()
from qa.settings import Settings
from qa.answer import ask
from qa.ingest import open_store
s = Settings(data_dir=sys.argv[1] if len(sys.argv) > 1 else "/tmp/scale10k/data", embedder="hash", llm="none", auto_ingest_seeds=False)
store = open_store(s)
rows = store.db.execute("SELECT agency, year FROM facts WHERE metric='applications_received' AND scope IN ('','total') AND value IS NOT NULL GROUP BY agency, year").fetchall()
random.seed(1); pick = random.sample(rows, 8)
fq = [f"{a}{y}年收到多少政府信息公开申请?" for a, y in pick]
nq = [f"{a}{y}年存在哪些问题?" for a, y in pick]
for name, qs in (("fact", fq), ("retrieval", nq)):
    for q in qs: ask(q, settings=s)  # warm
    times, modes = [], []
    for _ in range(3):
        for q in qs:
            t = time.perf_counter(); a = ask(q, settings=s); times.append((time.perf_counter() - t) * 1000); modes.append(a.mode)
    times.sort()
    print(name, "p50 %.2f ms p95 %.2f ms" % (statistics.median(times), times[int(len(times) * 0.95) - 1]), {m: modes.count(m) for m in set(modes)})
t = time.perf_counter(); a = ask("哪些机关开通了政务微博?", settings=s); print("unscoped narrative %.0f ms" % ((time.perf_counter() - t) * 1000), a.mode)
