"""Scale-out: vectors in a Chroma server (`chroma run`) instead of the embedded PersistentClient.

A real server is started on 127.0.0.1 and a free port (the `chroma` CLI that the chromadb
package installs next to python), two seed reports are ingested through it, and a narrative and
a fact question are answered with citations. Then the server goes away: ingest must say so
clearly and leave nothing half-written in SQLite, and a fact question must still be answered
(the fact path never touches Chroma, nor imports torch, llama_index or chromadb).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import seed

CHROMA = Path(sys.executable).parent / "chroma"
HOST = "127.0.0.1"
HEAVY = ("torch", "llama_index", "chromadb")

pytestmark = pytest.mark.skipif(not (CHROMA.exists() or shutil.which("chroma")), reason="chroma CLI not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def heartbeat(port: int) -> bool:
    for path in ("/api/v2/heartbeat", "/api/v1/heartbeat"):
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=1) as resp:
                if resp.status == 200:
                    return True
        except Exception:
            continue
    return False


class ChromaServer:
    def __init__(self, path: Path):
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        exe = str(CHROMA) if CHROMA.exists() else shutil.which("chroma")
        self.log = open(self.path.parent / f"chroma-{self.port}.log", "w")
        self.proc = subprocess.Popen([exe, "run", "--path", str(self.path), "--host", HOST, "--port", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}: "
                                   f"{(self.path.parent / f'chroma-{self.port}.log').read_text()[-2000:]}")
            if heartbeat(self.port):
                return
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"chroma run did not answer a heartbeat on {HOST}:{self.port} within {timeout:.0f}s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        if self.proc:
            self.log.close()
        self.proc = None


@pytest.fixture()
def server(tmp_path):
    srv = ChromaServer(tmp_path / "chroma-server")
    srv.start()
    yield srv
    srv.stop()


def server_settings(tmp_path: Path, port: int, name: str = "data"):
    from qa.settings import Settings

    # embedder: QA_EMBEDDER when set (Settings reads the env), else the default
    return Settings(data_dir=tmp_path / name, chroma_host=HOST, chroma_port=port, llm="none",
                    auto_ingest_seeds=False)


def sqlite_counts(settings) -> dict:
    from qa.ingest import open_store

    store = open_store(settings)
    n = lambda table: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
    return {t: n(t) for t in ("reports", "sections", "chunks", "chunks_fts", "facts")}


def server_vector_count(port: int, settings) -> int:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host=HOST, port=port, settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_collection(settings.collection_name()).count()


def test_ingest_and_ask_through_a_chroma_server(server, tmp_path):
    from qa.answer.route import ask
    from qa.ingest import ingest

    settings = server_settings(tmp_path, server.port)
    results = ingest([seed("mfa_2012"), seed("mfa_2013")], settings)
    assert [r.status for r in results] == ["added", "added"], [r.message for r in results]
    n_chunks = sum(r.chunks for r in results)
    assert server_vector_count(server.port, settings) == n_chunks
    assert not settings.chroma_path.exists(), "vectors went to the embedded store, not the server"

    # a "why" question: no list of the report answers it, so it goes through vector retrieval
    narrative = ask("外交部2013年为什么要加强信息解读和回应?", settings=settings)
    assert narrative.mode == "retrieval", narrative.text
    assert narrative.citations
    text_2013 = seed("mfa_2013").read_text(encoding="utf-8")
    for c in narrative.citations:
        assert (c.agency, c.year) == ("外交部", 2013)
        assert text_2013[c.start:c.end] == c.quote  # exact citation into the original text

    fact = ask("外交部2013年收到多少政府信息公开申请?", settings=settings)
    assert fact.mode == "fact", fact.text
    assert fact.value == 119
    assert fact.citations and "119" in fact.citations[0].quote
    assert (fact.citations[0].agency, fact.citations[0].year) == ("外交部", 2013)
    assert text_2013[fact.citations[0].start:fact.citations[0].end] == fact.citations[0].quote


def test_ingest_reports_a_server_that_is_not_there(tmp_path):
    """Nothing listens on the port: a clear error naming the server, nothing in SQLite."""
    from qa.ingest import ingest

    port = free_port()
    settings = server_settings(tmp_path, port)
    results = ingest([seed("mfa_2013")], settings)
    assert [r.status for r in results] == ["error"]
    assert f"{HOST}:{port}" in results[0].message
    assert sqlite_counts(settings) == dict.fromkeys(("reports", "sections", "chunks", "chunks_fts", "facts"), 0)


def test_ingest_after_the_server_stopped(server, tmp_path):
    """The server worked, then went down: the report's facts are in and answered at once, the
    vectors error is one clear line naming the server, and the report waits for its vectors."""
    from qa.answer.route import ask
    from qa.ingest import ingest, open_store

    settings = server_settings(tmp_path, server.port)
    first = ingest([seed("mfa_2012")], settings)
    assert [r.status for r in first] == ["added"], [r.message for r in first]
    server.stop()

    results = ingest([seed("mfa_2013")], settings)  # the cached index's client now talks to nobody
    assert [r.status for r in results] == ["added", "error"], results
    assert f"{HOST}:{server.port}" in results[1].message and "qa doctor" in results[1].message
    assert open_store(settings).unembedded() == [results[0].report_id]

    # The fact path needs SQLite only: both reports answered, with their citations.
    for question, value in (("外交部2012年收到多少政府信息公开申请?", 134), ("外交部2013年收到多少政府信息公开申请?", 119)):
        fact = ask(question, settings=settings)
        assert fact.mode == "fact" and fact.value == value, fact.text


def test_fact_path_imports_nothing_heavy(tmp_path):
    """A fact question, in a fresh process, must not import torch, llama_index or chromadb."""
    from qa.facts import extract_facts
    from qa.read.report import read_report
    from qa.sections import split_sections
    from qa.settings import Settings
    from qa.store import Store

    # Build a store holding one report's facts without the vector index (SQLite only).
    settings = Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=False)
    report = read_report(seed("mfa_2013"))
    sections = split_sections(report)
    store = Store(settings.sqlite_path)
    store.write_report(report, sections, [], extract_facts(report, sections), {})
    store.mark_complete(report.id)
    store.close()

    code = (
        "import json, sys\n"
        "from qa import ask\n"
        "a = ask('外交部2013年收到多少政府信息公开申请?')\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))\n"
        "print(json.dumps({'mode': a.mode, 'value': a.value, 'heavy': heavy}))\n"
    )
    env = {**os.environ, "QA_DATA_DIR": str(settings.data_dir), "QA_LLM": "none", "QA_AUTO_INGEST_SEEDS": "false"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["mode"] == "fact" and out["value"] == 119, out
    assert out["heavy"] == [], f"fact path imported {out['heavy']}"
