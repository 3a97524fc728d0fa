"""Helpers shared by the benchmarks: report paths, fresh settings, timing, RSS, tables, relabelling.

Benchmarks print tables and never assert timings. Run them from the repo root with the venv's
python, e.g. `.venv/bin/python bench/bench_query.py`.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS_TEXT = ROOT.parent / "shared" / "corpus" / "text"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# Targets from DEVELOPERS.md, printed beside the measurements.
TARGETS = {
    "fact_p50_ms": 5.0,
    "cold_fact_s": 0.8,
    "retrieval_p50_ms": 150.0,
    "ingest_ratio": 0.8,
    "reports": 10_000,
}

# Numeric questions (fact path) and narrative questions (retrieval path) over the seeds + corpus.
FACT_QUESTIONS = [
    "外交部2013年收到多少政府信息公开申请?",
    "外交部2012年收到多少政府信息公开申请?",
    "外交部2013年主动公开了多少条信息?",
    "外交部2012年政府信息公开收费多少?",
    "外交部2013年因政府信息公开申请行政复议多少件?",
    "四川省外办2013年收到多少政府信息公开申请?",
    "四川省外办2013年主动公开政府信息多少条?",
    "长春市外办2012年主动公开政府信息多少条?",
    "辽宁省外办2020年收到多少政府信息公开申请?",
    "辽宁省外办2020年行政复议多少件?",
    "淮安市2024年收到多少政府信息公开申请?",
    "淮安市2024年行政诉讼多少件?",
    "洪泽区2023年收到多少政府信息公开申请?",
    "洪泽区2024年收到多少政府信息公开申请?",
    "How many information disclosure requests did the Ministry of Foreign Affairs receive in 2013?",
    "How many requests did the MFA receive in 2012?",
    "外交部2012年和2013年收到的申请数量比较",
    "辽宁省外办2020年行政诉讼多少件?",
    "淮安市2024年行政复议多少件?",
    "洪泽区2024年行政复议多少件?",
]
NARRATIVE_QUESTIONS = [
    "外交部2013年政府信息公开工作存在哪些问题?",
    "外交部2012年政府信息公开工作面临什么问题?",
    "外交部2013年采取了哪些改进措施?",
    "外交部2013年如何开展主动公开工作?",
    "外交部2012年如何做好依申请公开工作?",
    "四川省外办2013年政府信息公开工作存在哪些问题?",
    "四川省外办2013年如何加强政府信息公开工作?",
    "长春市外办2012年政府信息公开存在哪些不足?",
    "长春市外办2012年如何规范政府信息公开行为?",
    "辽宁省外办2020年政府信息公开工作存在哪些问题?",
    "辽宁省外办2020年如何加强政策解读?",
    "淮安市2024年政府信息公开工作存在哪些问题?",
    "淮安市2024年采取了哪些改进措施?",
    "洪泽区2023年政府信息公开工作存在哪些问题?",
    "洪泽区2024年如何推进政务公开?",
    "What problems did the Ministry of Foreign Affairs report in 2013?",
    "How did the MFA improve proactive disclosure in 2012?",
    "外交部如何回应社会关切?",
    "政府信息公开平台建设有哪些做法?",
    "如何加强政府信息公开工作人员培训?",
]


def report_paths() -> list[Path]:
    """The five seeds and the shared corpus texts."""
    return sorted(SEEDS.glob("*.txt")) + sorted(CORPUS_TEXT.glob("*.txt"))


def temp_settings(embedder: str, data_dir: Optional[Path] = None, **extra):
    """Settings for a fresh, empty data dir (no seeding, no LLM)."""
    from qa.settings import Settings

    data_dir = data_dir or Path(tempfile.mkdtemp(prefix=f"qa-bench-{embedder}-"))
    return Settings(data_dir=data_dir, embedder=embedder, llm="none", auto_ingest_seeds=False, **extra)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if 0 < p < 100 else (
        min(values) if p <= 0 else max(values))


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t, out


def warm_latency(questions: list[str], settings, repeat: int) -> tuple[list[float], dict]:
    """ask() each question once to warm caches (model, jieba, Chroma), then time `repeat` rounds:
    (latencies in ms, answer modes of the warm-up round)."""
    from qa.answer.route import ask

    modes: dict = {}
    for q in questions:
        mode = ask(q, settings=settings).mode
        modes[mode] = modes.get(mode, 0) + 1
    times = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            ask(q, settings=settings)
            times.append((time.perf_counter() - t) * 1000)
    return times, modes


def dir_size_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def sqlite_size_mb(sqlite_path: Path) -> float:
    """qa.sqlite plus its WAL and shm files."""
    return sum(dir_size_mb(Path(str(sqlite_path) + suffix)) for suffix in ("", "-wal", "-shm"))


def fmt(value, digits: int = 2) -> str:
    if isinstance(value, float):
        if value != value:  # nan
            return "—"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(title: str, columns: list[str], rows: Iterable[dict], caption: str = "") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, title=title, caption=caption or None)
    for row in rows:
        table.add_row(*[fmt(row.get(c, "")) for c in columns])
    Console(width=max(120, len(columns) * 14)).print(table)


def load_average() -> str:
    """The 1/5/15-minute load averages and core count: other work on the machine skews timings."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def chunk_embed_texts(store) -> list[str]:
    """Exactly the strings the index hands the embedder, for every stored chunk (same run, same texts)."""
    from qa.index import embed_text
    from qa.types import Report

    texts = []
    for info in store.reports():
        report = Report(id=info["id"], path=info["path"], text="", agency=info["agency"], year=info["year"])
        ids = [r[0] for r in store.db.execute("SELECT id FROM chunks WHERE report_id = ? ORDER BY start",
                                              (info["id"],))]
        chunks = store.chunks_by_id(ids)
        texts += [embed_text(report, chunks[i]) for i in ids]
    return texts


# ---------------------------------------------------------------------------- relabelling
# Synthetic reports for the scaling run: a real report with its agency and reported year replaced
# everywhere in the text, so the title, sections, tables and prose facts still read naturally.
PROVINCES = ["河北", "山西", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东",
             "海南", "贵州", "云南", "陕西", "甘肃", "青海", "吉林", "黑龙江"]
CITIES = ["石家庄", "太原", "南京", "杭州", "合肥", "福州", "南昌", "济南", "郑州", "武汉", "长沙", "广州",
          "海口", "贵阳", "昆明", "西安", "兰州", "西宁", "吉林", "哈尔滨", "唐山", "大同", "苏州", "宁波",
          "芜湖", "厦门", "九江", "青岛", "洛阳", "宜昌", "岳阳", "深圳", "三亚", "遵义", "大理", "宝鸡",
          "天水", "海东", "延边", "齐齐哈尔", "保定", "长治", "无锡", "温州", "蚌埠", "泉州", "赣州", "烟台",
          "开封", "襄阳", "衡阳", "珠海", "儋州", "安顺", "曲靖", "咸阳", "白银", "海北", "四平", "牡丹江"]
DISTRICTS = ["东城", "西城", "南湖", "北湖", "新华", "长安", "和平", "城关", "开发", "高新", "滨湖", "江北",
             "江南", "河东", "河西", "龙山", "凤凰", "白云", "青山", "金水"]
OFFICES = ["人民政府外事办公室", "人民政府", "人民政府办公室", "发展和改革委员会", "教育局", "公安局", "民政局",
           "财政局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
           "商务局", "文化和旅游局", "卫生健康委员会", "审计局", "市场监督管理局", "统计局"]


def synthetic_agencies(n: int) -> list[str]:
    """n distinct, realistic agency names (city, district and province level), deterministic."""
    names: list[str] = []
    seen = set()

    def add(name: str) -> None:
        if name not in seen:
            seen.add(name)
            names.append(name)

    for office in OFFICES:
        for city in CITIES:
            add(f"{city}市{office}")
        for prov in PROVINCES:
            add(f"{prov}省{office.replace('局', '厅') if office.endswith('局') else office}")
    for city in CITIES:
        for district in DISTRICTS:
            for office in OFFICES[:6]:
                add(f"{city}市{district}区{office}")
    if n > len(names):
        raise ValueError(f"only {len(names)} synthetic agency names available")
    return names[:n]


YEAR_TOKEN = re.compile(r"(?<![\d.])(20[0-3]\d)(?=\s*年|-\d{1,2}-|\s*—|\s*－)")


def relabel(text: str, old_agency: str, aliases: list[str], new_agency: str, year_delta: int) -> str:
    """The report text with the agency (and its long aliases) renamed and every calendar year shifted."""
    from qa.normalize import matching_view

    names = sorted({old_agency, *[a for a in aliases if len(a) >= 4]}, key=len, reverse=True)
    if names:  # matched on the simplified view (same length), replaced in the original script
        view = matching_view(text)
        pattern = re.compile("|".join(re.escape(n) for n in names))
        parts, last = [], 0
        for m in pattern.finditer(view):
            parts += [text[last:m.start()], new_agency]
            last = m.end()
        text = "".join(parts) + text[last:]
    if year_delta:
        text = YEAR_TOKEN.sub(lambda m: str(int(m.group(1)) + year_delta), text)
    return text


def source_reports() -> list[dict]:
    """The real reports to relabel: path, text, detected agency, year and the agency's aliases."""
    from qa.meta import known_agencies
    from qa.read.report import read_report

    out = []
    for path in report_paths():
        report = read_report(path)  # metadata detected
        info = known_agencies().get(report.agency or "", {})
        out.append({"path": path, "text": report.text, "agency": report.agency, "year": report.year,
                    "aliases": list(info.get("aliases", []))})
    return out


def generate_reports(n: int, out_dir: Path, years: tuple[int, int] = (2010, 2024)) -> list[dict]:
    """Write n relabelled reports (agency × year × source template) into out_dir; return their labels."""
    sources = source_reports()
    out_dir.mkdir(parents=True, exist_ok=True)
    span = list(range(years[0], years[1] + 1))
    agencies = synthetic_agencies((n + len(span) - 1) // len(span))
    labels = []
    i = 0
    for a_idx, agency in enumerate(agencies):
        for y_idx, year in enumerate(span):
            if i >= n:
                break
            src = sources[(a_idx + y_idx) % len(sources)]
            text = relabel(src["text"], src["agency"], src["aliases"], agency, year - src["year"])
            path = out_dir / f"{i:05d}_{src['path'].stem}_{year}.txt"
            path.write_text(text, encoding="utf-8")
            labels.append({"path": path, "agency": agency, "year": year, "source": src["path"].stem})
            i += 1
    return labels


# ---------------------------------------------------------------------------- hash embedder
class HashEmbedder:
    """A fast stand-in embedder for scaling runs (NOT a model): character bigrams hashed into a
    fixed-size vector. It costs ~nothing, so a run with it measures everything except the model;
    the model's share is measured separately (bench_ingest) and can be added back."""

    def __init__(self, dim: int = 384):
        self.name = "hash"
        self.dim = dim

    def _one(self, text: str):
        import zlib

        import numpy as np

        v = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 1):
            h = zlib.crc32(text[i:i + 2].encode("utf-8"))
            v[h % self.dim] += 1.0 if h & 0x100 else -1.0
        n = float(np.linalg.norm(v)) or 1.0
        return v / n

    def embed_documents(self, texts: list[str]):
        import numpy as np

        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str):
        return self._one(text)


def install_hash_embedder() -> None:
    """Make `embedder="hash"` resolve to HashEmbedder in this process (bench only; qa/ is untouched)."""
    from qa.backends import embeddings

    original = embeddings.get_embedder
    if getattr(original, "_bench_hash", False):
        return
    hash_embedder = HashEmbedder()

    def get_embedder(name: str):
        return hash_embedder if name == "hash" else original(name)

    get_embedder._bench_hash = True
    embeddings.get_embedder = get_embedder
