"""The library mirrors the CLI (issue 15, point 5): qa.ingest, qa.facts, qa.trend, qa.audit, qa.doctor and
qa.evaluate return real results on the session store of seed reports and corpus texts."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS, seed


def test_facts_resolve_agency_names_as_questions_do(store, settings):
    import qa

    rows = qa.facts("外交部", 2013, "review_total", settings=settings)
    assert rows and {(f.agency, f.year, f.metric) for f in rows} == {("外交部", 2013, "review_total")}
    assert any(f.value == 90 and "90" in f.quote for f in rows)
    by_alias = qa.facts("长春市外侨办")
    assert by_alias and {f.agency for f in by_alias} == {"长春市人民政府外事(侨务)办公室"}
    english = qa.facts("Ministry of Foreign Affairs", 2012)
    assert english and {(f.agency, f.year) for f in english} == {("外交部", 2012)}
    by_name = qa.facts("外交部", 2013, "行政复议")  # a metric name, as in a question
    assert by_name and {f.metric for f in by_name} <= {f.metric for f in qa.facts("外交部", 2013)}
    assert len(qa.facts()) > len(qa.facts(year=2013)) > 0


def test_facts_name_the_closest_agency_when_none_matches(store):
    import qa

    with pytest.raises(ValueError, match="unknown agency '商务部'.*closest known: 外交部"):
        qa.facts("商务部")
    with pytest.raises(ValueError, match="closest known: ."):  # no shared character: still names some
        qa.facts("Ministry of Commerce")
    with pytest.raises(ValueError, match="unknown metric"):
        qa.facts("外交部", metric="no_such_metric")


def test_trend_is_what_qa_trend_shows(store, settings):
    import qa
    from qa.answer.analysis import Analysis

    analysis = qa.trend("applications_received", "foreign ministry", settings=settings)
    assert isinstance(analysis, Analysis) and analysis.kind == "trend"
    assert [(r.agency, r.year, r.value) for r in analysis.rows] == [("外交部", 2012, 134), ("外交部", 2013, 119)]
    assert all(r.citation and str(int(r.value)) in r.citation.quote for r in analysis.rows)
    assert analysis.computed  # the change from 2012 to 2013
    only = qa.trend("applications_received", "外交部", years=[2013])
    assert [(r.year, r.value) for r in only.rows] == [(2013, 119)]
    everyone = qa.trend("review_total")
    assert len({r.agency for r in everyone.rows}) > 2
    with pytest.raises(ValueError, match="unknown metric"):
        qa.trend("no such metric", "外交部")


def test_audit_finds_the_hongze_table_errors(store, settings):
    import qa

    result = qa.audit(["35_huaian-hongze-district_2023.txt"], settings=settings)
    assert len(result.reports) == 1 and result.count("error") > 0
    assert any("review_total" in f.message or "review_total" in f.check for f in result.reports[0].findings)
    assert json.loads(json.dumps(result.model_dump(), ensure_ascii=False))  # what `qa audit --format json` prints
    with pytest.raises(ValueError):
        qa.audit(["no_such_report.txt"])


def test_doctor_and_ingest_on_the_session_store(store, settings):
    import qa

    report = qa.doctor(repair=False, settings=settings)
    assert report.ok and not report.orphan_rows.get("facts")
    seen: list[str] = []
    results = qa.ingest([seed("mfa_2013")], settings=settings, on_result=lambda r: seen.append(r.status))
    assert [r.status for r in results] == seen == ["unchanged"]
    assert results[0].agency == "外交部" and results[0].year == 2013


def test_evaluate_scores_gold_questions_against_the_store(store, settings, tmp_path):
    import qa

    gold = tmp_path / "gold_small.jsonl"
    items = [
        {"id": "apps", "question": "外交部2013年共收到多少份政府信息公开申请？", "kind": "numeric",
         "language": "simplified", "agency": "外交部", "year": 2013, "value": 119, "unit": "份",
         "qualifier": "exact", "evidence": [{"report": "mfa_2013", "quote": "外交部共收到政府信息公开申请119份"}]},
        {"id": "apps12", "question": "外交部2012年收到多少政府信息公开申请?", "kind": "numeric",
         "language": "simplified", "agency": "外交部", "year": 2012, "value": 134, "unit": "份",
         "qualifier": "exact", "evidence": [{"report": "mfa_2012", "quote": "134"}]},
    ]
    gold.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    assert (SEEDS / "mfa_2012.txt").exists()
    report = qa.evaluate(gold, settings=settings, thresholds={"min": {"numeric_em": 1.0}})
    assert report.store.kind == "current"  # the store holds both reports: asked against it
    assert [r.id for r in report.results] == ["apps", "apps12"] and all(r.passed for r in report.results)
    assert report.gate_ok()


def test_facts_and_trend_import_nothing_heavy(store, data_dir):
    """Like a fact question: the facts table alone, no torch, llama-index or chromadb."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys, qa\n"
            "assert qa.facts('外交部', 2013) and qa.trend('review_total', '外交部').rows\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'llama_index', 'chromadb'}))")
    env = {**os.environ, "QA_DATA_DIR": str(data_dir), "QA_LLM": "none", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
