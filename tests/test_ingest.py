"""Ingest on real reports: encodings, bad input, re-ingest without duplicates, nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, seed
from qa.ingest import ingest, open_store
from qa.read.report import ReadError, decode, read_report
from qa.settings import Settings

QA = [sys.executable, "-m", "qa.cli"]


@pytest.fixture()
def fresh(tmp_path):
    """An empty store of its own (never the shared session store)."""
    return Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=False)


def counts(settings):
    from qa.index import get_index

    store = open_store(settings)
    n = lambda table: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
    return {"reports": n("reports"), "chunks": n("chunks"), "facts": n("facts"), "fts": n("chunks_fts"),
            "vectors": get_index(settings).count()}


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-8-sig", "utf-16"])
def test_encodings_decode_to_the_same_text(tmp_path, encoding):
    name = "sichuan_fao_2013" if encoding == "big5" else "mfa_2012"
    text = seed(name).read_text(encoding="utf-8")
    if encoding == "big5":  # Big5 has no simplified forms: use the traditional report, minus unmappable chars
        text = text.encode("big5", errors="ignore").decode("big5")
    path = tmp_path / f"report.{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    report = read_report(path)
    assert report.text == text.replace("\r\n", "\n")
    assert report.year == (2013 if name == "sichuan_fao_2013" else 2012)


def test_empty_and_binary_files_are_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ReadError, match="empty"):
        read_report(empty)
    with pytest.raises(ReadError, match="binary"):
        read_report(binary)
    with pytest.raises(ReadError, match="no such file"):
        read_report(tmp_path / "missing.txt")
    with pytest.raises(ReadError):
        decode(b"")


def test_bad_inputs_leave_the_store_untouched(tmp_path, fresh):
    ingest([seed("mfa_2013")], fresh)
    before = counts(fresh)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 1000)
    results = ingest([empty, binary, tmp_path / "missing.txt"], fresh)
    assert [r.status for r in results] == ["error", "error", "error"]
    assert all(r.message.count("\n") == 0 and r.message for r in results)
    assert counts(fresh) == before


def test_reingest_does_not_duplicate(fresh):
    first = ingest([seed("mfa_2013"), seed("mfa_2012")], fresh)
    before = counts(fresh)
    assert before["reports"] == 2 and before["chunks"] == before["vectors"] == before["fts"] > 0
    again = ingest([seed("mfa_2013"), seed("mfa_2012")], fresh)
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert counts(fresh) == before
    assert [r.report_id for r in first] == [r.report_id for r in again]


def test_changed_file_replaces_its_old_version(tmp_path, fresh):
    path = tmp_path / "mfa.txt"
    text = seed("mfa_2013").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    ingest([path], fresh)
    before = counts(fresh)
    path.write_text(text + "\n附：本报告电子版可在外交部网站下载。\n", encoding="utf-8")
    result = ingest([path], fresh)[0]
    assert result.status == "replaced"
    after = counts(fresh)
    assert after["reports"] == 1 and after["vectors"] == after["chunks"] >= before["chunks"]


def test_vector_failure_keeps_the_report_answerable(fresh, monkeypatch):
    """Facts first: a vector store that fails after the rows are in loses nothing; the next
    ingest adds the missing vectors."""
    from qa.index import IndexUnavailable, VectorIndex

    ingest([seed("mfa_2012")], fresh)

    def broken(self, batch):
        raise IndexUnavailable("vector store at test failed: disk full")

    monkeypatch.setattr(VectorIndex, "add_many", broken)
    results = ingest([seed("mfa_2013")], fresh)
    monkeypatch.undo()
    assert [r.status for r in results] == ["added", "error"] and "disk full" in results[1].message
    store = open_store(fresh)
    assert [f.value for f in store.facts("applications_received", ["外交部"], [2013])] == [119]
    assert store.unembedded() == [results[0].report_id]
    assert ingest([], fresh) == []  # any later ingest catches up on the vectors
    after = counts(fresh)
    assert not store.unembedded() and after["vectors"] == after["chunks"]


def test_failed_reingest_keeps_the_old_version(tmp_path, fresh, monkeypatch):
    """An edited report whose new version fails mid-way never leaves the path without a report."""
    from qa.index import VectorIndex

    path = tmp_path / "mfa.txt"
    text = seed("mfa_2013").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    ingest([path], fresh)
    path.write_text(text + "\n附：本报告电子版可在外交部网站下载。\n", encoding="utf-8")

    def broken(self, batch):
        raise RuntimeError("killed")

    monkeypatch.setattr(VectorIndex, "add_many", broken)
    with pytest.raises(RuntimeError):
        ingest([path], fresh)
    monkeypatch.undo()
    store = open_store(fresh)
    assert [r["path"] for r in store.reports()] == [str(path)]
    assert [f.value for f in store.facts("applications_received", ["外交部"], [2013])] == [119]


def cli(*args, env_extra=None, input_text=None, timeout=300):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([*QA, *args], capture_output=True, text=True, env=env, cwd=ROOT, input=input_text,
                          timeout=timeout)


def test_cli_bad_input_exit_codes(tmp_path):
    env = {"QA_DATA_DIR": str(tmp_path / "d"), "QA_AUTO_INGEST_SEEDS": "false"}
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.bin.txt"
    binary.write_bytes(b"\x00\xff" * 500)
    for path, words in ((empty, "empty"), (binary, "binary"), (tmp_path / "nope.txt", "no such file")):
        proc = cli("ingest", str(path), env_extra=env)
        assert proc.returncode != 0
        assert words in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr


def test_cli_ingests_gb18030(tmp_path):
    env = {"QA_DATA_DIR": str(tmp_path / "d"), "QA_AUTO_INGEST_SEEDS": "false"}
    path = tmp_path / "mfa2012_gbk.txt"
    path.write_bytes(seed("mfa_2012").read_text(encoding="utf-8").encode("gb18030"))
    proc = cli("ingest", str(path), env_extra=env)
    assert proc.returncode == 0, proc.stderr
    assert "外交部 2012" in proc.stdout
