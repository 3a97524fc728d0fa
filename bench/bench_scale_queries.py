"""Warm query latency on a large store built by bench_scale.py (questions about its own relabelled
agencies, not the seed agencies). Usage: python bench/bench_scale_queries.py /tmp/scale10k/data"""
import random
import sys
import time
sys.path.insert(0, "bench")
from common import install_hash_embedder, percentile, warm_latency
install_hash_embedder()
from qa.settings import Settings
from qa.answer.route import ask
from qa.ingest import open_store
s = Settings(data_dir=sys.argv[1] if len(sys.argv) > 1 else "/tmp/scale10k/data", embedder="hash", llm="none", auto_ingest_seeds=False)
store = open_store(s)
rows = store.db.execute("SELECT agency, year FROM facts WHERE metric='applications_received' AND scope IN ('','total') AND value IS NOT NULL GROUP BY agency, year").fetchall()
random.seed(1); pick = random.sample(rows, 8)
fq = [f"{a}{y}年收到多少政府信息公开申请?" for a, y in pick]
nq = [f"{a}{y}年存在哪些问题?" for a, y in pick]
for name, qs in (("fact", fq), ("retrieval", nq)):
    times, modes = warm_latency(qs, s, 3)
    print(name, "p50 %.2f ms p95 %.2f ms" % (percentile(times, 50), percentile(times, 95)), modes)
t = time.perf_counter(); a = ask("哪些机关开通了政务微博?", settings=s); print("unscoped narrative %.0f ms" % ((time.perf_counter() - t) * 1000), a.mode)
