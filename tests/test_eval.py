"""The gold set and `qa eval`: the schema, the evidence, and the scores the system must reach."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from conftest import ROOT, seed

GOLD = ROOT / "eval" / "gold.jsonl"
THRESHOLDS = ROOT / "eval" / "thresholds.toml"
REPORT_STEMS = {"mfa_2013", "mfa_2012", "sichuan_fao_2013", "changchun_fao_2012", "liaoning_fao_2020",
                "35_huaian-hongze-district_2023", "38_huaian-city_2024", "39_huaian-hongze-district_2024"}


# ---------------------------------------------------------------------------- the gold file
def test_gold_schema_and_mix():
    from qa.eval import load_gold

    items = load_gold(GOLD)
    kinds = Counter(i.kind.value for i in items)
    langs = Counter(i.language.value for i in items)
    assert len(items) >= 80
    assert kinds["numeric"] + kinds["zero"] + kinds["approximate"] >= 35, kinds
    assert kinds["absent"] >= 8 and kinds["comparison"] >= 6 and kinds["list"] >= 4 and kinds["narrative"] >= 10, kinds
    assert langs["traditional"] >= 8 and langs["english"] >= 8 and langs["mixed"] >= 8, langs
    covered = {e.report for i in items for e in i.evidence}
    assert REPORT_STEMS <= covered, REPORT_STEMS - covered


GOLD_FILES = sorted((ROOT / "eval").glob("gold*.jsonl"))


@pytest.mark.parametrize("gold", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_gold_evidence_is_verbatim(gold, tmp_path):
    """Every evidence quote of every gold file appears exactly in its report (seeds/, corpus text or
    pingtan); key phrases in one of the question's reports."""
    from qa.eval import DEFAULT_REPORT_DIRS, check_evidence, load_gold

    snapshot = tmp_path / gold.name  # other sessions may be writing the file: check one consistent copy
    shutil.copy(gold, snapshot)
    problems = check_evidence(load_gold(snapshot), DEFAULT_REPORT_DIRS)
    assert not problems, "\n".join(problems)


def test_gold_validation_rejects_bad_items(tmp_path):
    from qa.eval import load_gold

    bad = [
        {"id": "x", "question": "q", "kind": "numeric", "language": "simplified", "evidence": [{"report": "a", "quote": "b"}]},
        {"id": "x", "question": "q", "kind": "approximate", "language": "english", "value": 5, "qualifier": "exact",
         "evidence": [{"report": "a", "quote": "b"}]},
        {"id": "x", "question": "q", "kind": "absent", "language": "mixed", "value": 3},
        {"id": "x", "question": "q", "kind": "narrative", "language": "traditional", "evidence": [{"report": "a", "quote": "b"}]},
        {"id": "x", "question": "q", "kind": "numeric", "language": "klingon", "value": 1,
         "evidence": [{"report": "a", "quote": "b"}]},
    ]
    for n, item in enumerate(bad):
        path = tmp_path / f"bad{n}.jsonl"
        path.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
        with pytest.raises(ValueError):
            load_gold(path)


def test_invented_numbers_counts_only_unquoted_quantities():
    from qa.eval import invented_numbers
    from qa.types import Answer, Citation

    cite = Citation(report_id="r", quote="2013年,外交部共收到政府信息公开申请119份。", start=0, end=10)
    ok = Answer(question="q", text="外交部2013年收到申请119份[1]。", mode="fact", citations=[cite])
    bad = Answer(question="q", text="外交部2013年收到申请129份，其中12份不予公开。", mode="llm", citations=[cite])
    assert invented_numbers(ok) == []
    assert len(invented_numbers(bad)) == 2


# ---------------------------------------------------------------------------- the system on the gold set
@pytest.fixture(scope="session")
def eval_report(store, settings):
    from qa.eval import run_eval

    return run_eval(GOLD, mode="none", settings=settings, thresholds=THRESHOLDS)


def _failures(report, results) -> str:
    from qa.cli.eval import short_answer
    from qa.eval import why_failed

    return "\n".join(f"{r.id}: expected {r.expected}; got [{r.mode}] {short_answer(r, 120)} ({'; '.join(why_failed(r))})"
                     for r in results if not r.passed)


def test_numeric_answers_exact_with_citation(eval_report):
    numeric = [r for r in eval_report.results if r.kind in ("numeric", "zero", "approximate")]
    exact = [r for r in numeric if r.numeric_ok and r.citations_ok > 0 and r.report_ok]
    assert len(exact) >= 30, _failures(eval_report, numeric)
    langs = {r.language for r in exact}
    assert {"simplified", "traditional", "english", "mixed"} <= langs, langs


def test_absent_questions_abstain(eval_report):
    absent = [r for r in eval_report.results if r.kind == "absent"]
    assert sum(r.abstention_ok for r in absent) >= 5, _failures(eval_report, absent)


def test_no_invented_numbers(eval_report):
    invented = {r.id: r.invented for r in eval_report.results if r.invented}
    assert eval_report.overall.invented_numbers == 0, invented


def test_gate_thresholds_met(eval_report):
    failed = [c for c in eval_report.gate if not c.ok]
    assert eval_report.gate, "no thresholds loaded"
    assert not failed, ", ".join(f"{c.metric}={c.value} needs {c.op} {c.limit}" for c in failed) + "\n" + _failures(
        eval_report, eval_report.results)


def test_report_shape(eval_report):
    assert eval_report.overall.n == len(eval_report.results) >= 80
    assert set(eval_report.by_kind) >= {"numeric", "absent", "narrative"}
    assert set(eval_report.by_language) == {"simplified", "traditional", "english", "mixed"}
    assert eval_report.overall.latency_p95_ms >= eval_report.overall.latency_p50_ms > 0
    assert eval_report.store.kind == "current" and eval_report.by_set["gold"].n == eval_report.overall.n
    json.loads(eval_report.model_dump_json())


def test_report_tables_fit_80_columns(eval_report):
    """Every score readable in an 80-column terminal: no cell cut to '0.…'."""
    from rich.console import Console

    from qa.cli.eval import print_report

    console = Console(width=80, record=True, color_system=None)
    print_report(console, eval_report, show_failures=True)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in "\n".join(l for l in text.splitlines() if "│" in l), text
    assert "0.988" in text or f"{eval_report.overall.numeric_em:.3f}" in text


# ---------------------------------------------------------------------------- another directory, the CLI
SMALL_GOLD = [
    {"id": "s1", "question": "外交部2013年共收到多少份政府信息公开申请？", "kind": "numeric", "language": "simplified",
     "agency": "外交部", "year": 2013, "value": 119, "unit": "份",
     "evidence": [{"report": "mfa_2013", "quote": "外交部共收到政府信息公开申请119份"}]},
    {"id": "s2", "question": "How many archive visitors did the Foreign Ministry receive in 2012?", "kind": "numeric",
     "language": "english", "agency": "外交部", "year": 2012, "value": 2204, "unit": "人次",
     "evidence": [{"report": "mfa_2012", "quote": "全年共接待开放档案利用者2204人次"}]},
    {"id": "s3", "question": "外交部2015年收到多少份政府信息公开申请？", "kind": "absent", "language": "simplified",
     "agency": "外交部", "year": 2015},
    {"id": "s4", "question": "四川省外辦2013年主動公開政府信息多少條？", "kind": "absent", "language": "traditional",
     "note": "Sichuan is not in this directory"},
]


def test_eval_runs_on_another_directory(tmp_path, settings, store):
    from qa.eval import run_eval

    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("mfa_2012", "mfa_2013"):
        shutil.copy(seed(name), reports / f"{name}.txt")
    gold = tmp_path / "small.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in SMALL_GOLD), encoding="utf-8")
    report = run_eval(gold, mode="none", settings=settings, reports_dir=reports, thresholds={})
    by_id = {r.id: r for r in report.results}
    assert report.reports_dir == str(reports)
    assert by_id["s1"].numeric_ok and by_id["s1"].cited_reports[0] == "mfa_2013", by_id["s1"]
    assert by_id["s2"].numeric_ok and by_id["s2"].cited_reports[0] == "mfa_2012", by_id["s2"]
    assert by_id["s3"].abstention_ok and by_id["s4"].abstention_ok, (by_id["s3"], by_id["s4"])
    # the session store was not touched: Sichuan is still answerable there
    from qa import ask

    assert ask("四川省外辦2013年主動公開政府信息多少條？", settings=settings, mode="none").value == 1094


def test_cli_eval_json_and_gate(tmp_path, store):
    import typer
    from typer.testing import CliRunner

    from qa.cli.eval import register

    app = typer.Typer()

    @app.callback()
    def _root():
        """qa"""

    register(app)
    gold = tmp_path / "small.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in SMALL_GOLD[:3]), encoding="utf-8")
    out = tmp_path / "out" / "report.json"
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "--set", str(gold), "--json", str(out), "--gate"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["overall"]["n"] == 3 and data["overall"]["numeric_em"] == 1.0
    strict = tmp_path / "strict.toml"
    strict.write_text("[max]\nlatency_p50_ms = 0\n", encoding="utf-8")  # cannot hold: the gate must fail
    result = runner.invoke(app, ["eval", "--set", str(gold), "--gate", "--thresholds", str(strict)])
    assert result.exit_code == 1, result.output
    result = runner.invoke(app, ["eval", "--set", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2


def test_eval_readme_names_corpus_paths_relative_to_the_repository():
    """Issue 13 point 12: no machine path; every ../shared/corpus/… path it names exists from the repo root."""
    import re

    text = (ROOT / "eval" / "README.md").read_text(encoding="utf-8")
    assert "/work/" not in text
    paths = set(re.findall(r"\.\./shared/corpus/[\w/]+", text))
    assert paths and all((ROOT / p.rstrip("/")).exists() for p in paths), paths


def test_a_quote_inside_the_evidence_cites_it_when_it_names_a_row_and_a_number():
    """Gold evidence may hold a neighbouring cell or the row's list number (规章000行政规范性文件303,
    一、本年新收…120000012): the row alone still cites it; a bare number or a bare label does not."""
    from qa.eval.score import quotes_evidence

    assert quotes_evidence("行政规范性文件303", "规章000行政规范性文件303")
    assert quotes_evidence("本年新收政府信息公开申请数量120000012", "一、本年新收政府信息公开申请数量120000012")
    assert quotes_evidence("一、本年新收政府信息公开申请数量120000012", "本年新收政府信息公开申请数量120000012")
    assert not quotes_evidence("303", "规章000行政规范性文件303")
    assert not quotes_evidence("行政规范性文件", "规章000行政规范性文件303")
    assert not quotes_evidence("行政规范性文件304", "规章000行政规范性文件303")
