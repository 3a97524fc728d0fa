"""The public surfaces: `from qa import ask`, `qa ask`, `qa facts`, `qa chat` (piped), on the real store."""

from __future__ import annotations

import json
import os
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
