"""Stored reports record the extractor that read them (issue 15): an upgrade makes `qa ingest`
read unchanged files again and `qa doctor` list the stale ones; migrations are recorded by name,
also in stores that recorded numbers; the store returns models."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

import qa.versions
from conftest import ROOT, seed
from qa.health import doctor
from qa.ingest import ingest, open_store
from qa.schema import MIGRATIONS, StoreVersionError
from qa.settings import Settings
from qa.store import Store
from qa.types import StoredReport

SEEDS = [seed("mfa_2013"), seed("mfa_2012")]


@pytest.fixture()
def fresh(tmp_path):
    return Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=False)


def table_count(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_an_extractor_upgrade_rereads_the_stale_reports(fresh, monkeypatch):
    import qa.facts

    assert [r.status for r in ingest(SEEDS, fresh)] == ["added", "added"]
    store = open_store(fresh)
    before = {t: table_count(store, t) for t in ("reports", "sections", "chunks", "chunks_fts", "facts")}
    assert doctor(fresh, repair=False).stale_reports == []
    assert [r.status for r in ingest(SEEDS, fresh)] == ["unchanged", "unchanged"]

    # the upgrade: a new extractor version whose facts differ (each carries a note saying so)
    facts_package = sys.modules["qa.facts"]  # the attribute qa.facts is the library function qa.facts()
    extract = facts_package.extract_facts
    monkeypatch.setattr(qa.versions, "EXTRACTOR_VERSION", qa.versions.EXTRACTOR_VERSION + 1)
    monkeypatch.setattr(facts_package, "extract_facts",
                        lambda report, sections: [f.model_copy(update={"note": "v2"}) for f in extract(report, sections)])
    old, new = qa.versions.EXTRACTOR_VERSION - 1, qa.versions.EXTRACTOR_VERSION
    stale = doctor(fresh, repair=False).stale_reports
    assert sorted(s.path for s in stale) == sorted(str(p) for p in SEEDS)
    assert all(s.change == f"extractor {old} → {new}" for s in stale)

    again = ingest(SEEDS, fresh)
    assert [r.status for r in again] == ["reread", "reread"]
    assert all(r.message.endswith(f"read again (extractor {old} → {new})") and r.facts for r in again)
    facts = store.facts()
    assert facts and {f.note for f in facts} == {"v2"}  # rewritten by the new extractor
    assert {t: table_count(store, t) for t in before} == before  # replaced, nothing duplicated
    assert {r.extractor_version for r in store.reports()} == {new}
    report = doctor(fresh, repair=False)
    assert report.stale_reports == [] and report.ok and report.vectors_pending == 0
    assert [r.status for r in ingest(SEEDS, fresh, embed=False)] == ["unchanged", "unchanged"]


def test_other_chunking_settings_reread_the_report(fresh):
    ingest([seed("mfa_2013")], fresh, embed=False)
    store = open_store(fresh)
    chunks = table_count(store, "chunks")
    smaller = fresh.model_copy(update={"chunk_chars": 150})
    result = ingest([seed("mfa_2013")], smaller, embed=False)[0]
    assert result.status == "reread" and result.message.endswith("(chunk_chars 300 → 150)")
    assert table_count(store, "chunks") == result.chunks > chunks
    assert table_count(store, "chunks_fts") == result.chunks and table_count(store, "reports") == 1


def test_an_edited_vocabulary_rereads_the_report(fresh, monkeypatch):
    """metrics.toml names what the prose extractor looks for: a store read with another vocabulary is stale."""
    import qa.versions

    ingest([seed("mfa_2013")], fresh, embed=False)
    old = qa.versions.vocabulary_hash()
    monkeypatch.setattr(qa.versions, "vocabulary_hash", lambda: "0123456789ab")
    result = ingest([seed("mfa_2013")], fresh, embed=False)[0]
    assert result.status == "reread" and result.message.endswith(f"(vocabulary {old} → 0123456789ab)")
    assert [r.status for r in ingest([seed("mfa_2013")], fresh, embed=False)] == ["unchanged"]


def _old_numbered_store(path, source: Store) -> None:
    """What a qa of before named migrations left: schema 1-4 recorded as numbers, reports without
    extractor columns (rows copied from a store of this qa)."""
    db = sqlite3.connect(str(path))
    for migration in MIGRATIONS[:4]:
        migration(db)
    db.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_at REAL)")
    db.executemany("INSERT INTO migrations VALUES (?, ?)", [(n, 1000.0 + n) for n in range(1, 5)])
    db.execute("ATTACH ? AS new", (str(source.path),))
    old_columns = [r[1] for r in db.execute("PRAGMA main.table_info(reports)")]
    assert "extractor_version" not in old_columns
    db.execute(f"INSERT INTO reports ({','.join(old_columns)}) SELECT {','.join(old_columns)} FROM new.reports")
    for table in ("sections", "chunks", "facts"):
        db.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
    db.execute("INSERT INTO chunks_fts (rowid, tokens, chunk_id, report_id) "
               "SELECT rowid, tokens, chunk_id, report_id FROM new.chunks_fts")
    db.commit()
    db.execute("DETACH new")
    db.close()


def test_a_store_with_numbered_migrations_is_renamed_and_migrated(tmp_path, fresh):
    ingest(SEEDS, fresh, embed=False)
    old = tmp_path / "old" / "qa.sqlite"
    old.parent.mkdir()
    _old_numbered_store(old, open_store(fresh))
    store = Store(old)
    rows = [tuple(r) for r in store.db.execute("SELECT name, applied_at FROM migrations ORDER BY rowid")]
    assert [name for name, _ in rows] == [m.__name__ for m in MIGRATIONS]
    assert rows[0] == ("m001_initial", 1001.0) and rows[3] == ("m004_vectors", 1004.0)  # times kept
    assert [r[1] for r in store.db.execute("PRAGMA table_info(migrations)")] == ["name", "applied_at"]
    reports = store.reports()
    assert len(reports) == 2 and all(r.extractor_version is None and r.extraction_settings == "" for r in reports)
    assert len(store.stale_reports(qa.versions.current_extraction(fresh))) == 2
    assert store.facts() == open_store(fresh).facts()  # the old rows read as before
    store.close()
    reopened = Store(old)  # a second open applies nothing twice
    assert table_count(reopened, "migrations") == len(MIGRATIONS)

    settings = Settings(data_dir=old.parent, llm="none", auto_ingest_seeds=False)
    results = ingest(SEEDS, settings, embed=False)
    assert [r.status for r in results] == ["reread", "reread"]
    assert results[0].message.endswith(f"(extractor ? → {qa.versions.EXTRACTOR_VERSION})")
    assert table_count(open_store(settings), "reports") == 2


def test_a_store_from_a_newer_qa_is_refused(tmp_path):
    path = tmp_path / "qa.sqlite"
    Store(path).close()
    db = sqlite3.connect(str(path))
    db.execute("INSERT INTO migrations VALUES ('m099_from_the_future', 0)")
    db.commit()
    db.close()
    with pytest.raises(StoreVersionError, match="m099_from_the_future"):
        Store(path)
    numbered = tmp_path / "numbered.sqlite"
    db = sqlite3.connect(str(numbered))
    db.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_at REAL)")
    db.executemany("INSERT INTO migrations VALUES (?, 0)", [(n,) for n in range(1, 6)])
    db.commit()
    db.close()
    with pytest.raises(StoreVersionError, match="number 5"):
        Store(numbered)


def test_the_store_returns_models_that_still_read_like_rows(fresh):
    ingest([seed("mfa_2013")], fresh, embed=False)
    store = open_store(fresh)
    report = store.reports()[0]
    assert isinstance(report, StoredReport) and report.agency == report["agency"] == "外交部"
    assert report.get("year") == 2013 and report.get("no_such_field", "x") == "x"
    with pytest.raises(KeyError):
        report["no_such_field"]
    info = store.report_info(report.id)
    assert info == report and info.path == str(seed("mfa_2013")) and info.template == "prose"
    assert store.find_reports(report.id[:8]) == [report] == store.same_agency_year("外交部", 2013)
    texts = store.report_texts("外交部", 2013)
    assert texts[0].text == seed("mfa_2013").read_text(encoding="utf-8") and report.text == ""
    assert store.report_info("0" * 16) is None


def test_cli_ingest_says_reread_and_doctor_lists_stale_reports(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=False)
    ingest([seed("mfa_2013")], settings)
    store = open_store(settings)
    with store.db:  # the report as an older extractor (version 0) wrote it down
        store.db.execute("UPDATE reports SET extractor_version = 0")
    env = {**os.environ, "QA_DATA_DIR": str(settings.data_dir), "QA_AUTO_INGEST_SEEDS": "false", "QA_LLM": "none",
           "PYTHONPATH": str(ROOT), "COLUMNS": "200"}

    def qa_cli(*args):
        return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=300)

    before = qa_cli("doctor", "--check")
    assert before.returncode == 0, before.stderr
    assert f"stale (extractor 0 → {qa.versions.EXTRACTOR_VERSION}): {seed('mfa_2013')}" in before.stdout
    assert "qa ingest` of their files reads them again" in before.stdout
    again = qa_cli("ingest", str(seed("mfa_2013")))
    assert again.returncode == 0, again.stderr
    assert "reread" in again.stdout and f"read again (extractor 0 → {qa.versions.EXTRACTOR_VERSION})" in again.stdout
    assert "1 reread" in again.stdout
    after = qa_cli("doctor", "--check")
    assert after.returncode == 0 and "stale (" not in after.stdout, after.stdout + after.stderr
