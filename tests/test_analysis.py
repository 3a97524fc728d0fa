"""Comparisons, aggregates, trend table and PNG on the real seed and corpus reports."""

from __future__ import annotations

import struct
import zlib

import pytest

from qa.answer.analysis import analysis_answer, compare, report_rows, total, trend, zeros
from qa.understand import understand
from qa.answer.verify import verify_answer


def _ask(store, question):
    query = understand(question, store.agencies())
    return query, analysis_answer(query, store)


def _verified(answer):
    result = verify_answer(answer.text, answer.citations, answer.facts)
    assert result.status == "verified", (answer.text, result.unverified_numbers, result.warnings)
    return result


def test_year_over_year_mfa_applications(store):
    a = trend(store, "applications_received", "外交部")
    assert [(r.year, r.value) for r in a.rows] == [(2012, 134), (2013, 119)]
    assert all(r.citation and str(int(r.value)) in r.citation.quote for r in a.rows)
    diff = {c.label: c for c in a.computed}
    assert diff["difference"].value == -15
    assert diff["percent_change"].value == pytest.approx(-11.2)
    assert diff["difference"].rows == [0, 1]


@pytest.mark.parametrize("question,words", [
    ("外交部2012年和2013年收到的政府信息公开申请比较", ["134份[1]", "119份[2]", "计算", "−15", "−11.2%"]),
    ("How did applications received by the Ministry of Foreign Affairs change from 2012 to 2013?",
     ["134", "119", "Computed change", "−15", "−11.2%"]),
])
def test_year_over_year_answer_is_cited_and_verified(store, question, words):
    query, answer = _ask(store, question)
    assert answer is not None and answer.mode == "fact"
    for w in words:
        assert w in answer.text
    assert len(answer.citations) == 2
    checks = _verified(answer).checks
    computed = [c for c in checks if c.outcome == "fact" and c.value in (15, 11.2)]
    assert len(computed) == 2  # the computed numbers are accepted as computed facts, not as invented
    assert any(f.source == "computed" and "134" in f.note for f in answer.facts)
    if query.language == "en":
        assert "Computed" in answer.text and "计算" not in answer.text


def test_agency_vs_agency(store):
    a = compare(store, "applications_received", ["淮安市人民政府", "淮安市洪泽区人民政府"], 2024)
    values = {r.agency: r.value for r in a.rows}
    assert values == {"淮安市人民政府": 3119, "淮安市洪泽区人民政府": 95}
    assert a.computed[0].value == 3119 - 95
    # the district report states 17 in prose against 95 in its table: the contradiction is pointed out
    hongze = next(r for r in a.rows if r.agency == "淮安市洪泽区人民政府")
    assert [v for v, _, _ in hongze.conflicts] == [17]
    assert any("17" in w for w in a.warnings)
    _, answer = _ask(store, "2024年淮安市和洪泽区的政府信息公开申请对比")
    assert "3024" in answer.text and "另称17件" in answer.text
    _verified(answer)


def test_zero_list_states_zero_only_when_report_says_so(store):
    a = zeros(store, "review_total", [2012])
    assert {r.agency for r in a.rows if r.value == 0} == {"外交部", "长春市人民政府外事(侨务)办公室"}
    assert all(r.citation is not None for r in a.rows if r.value == 0)
    # 2013: Sichuan states 0 litigation; the MFA report is silent -> missing, never 0
    b = zeros(store, "litigation_total", [2013])
    by_agency = {r.agency: r for r in b.rows}
    assert by_agency["四川省人民政府外事办公室"].value == 0
    assert by_agency["外交部"].value is None and by_agency["外交部"].status == "missing"
    _, answer = _ask(store, "2013年哪些机关的行政诉讼为0？")
    zero_part, missing_part = answer.text.split("报告未说明（不计为零）的：")
    assert "四川省人民政府外事办公室" in zero_part and "外交部" not in zero_part
    assert "外交部2013年：报告未说明" in missing_part
    _verified(answer)


def test_zero_list_english(store):
    _, answer = _ask(store, "Which agencies reported zero administrative reconsideration cases in 2012?")
    assert answer.text.startswith("Reports that state zero")
    assert "外交部" in answer.text and "Changchun" in answer.text
    _verified(answer)


def test_zero_flagged_when_table_arithmetic_fails(store):
    a = zeros(store, "review_total", [2023])
    row = next(r for r in a.rows if r.agency == "淮安市洪泽区人民政府")
    assert row.value == 0 and row.facts[0].status == "inconsistent"
    assert any("11" in w for w in a.warnings)


def test_ranking_puts_missing_last(store):
    _, answer = _ask(store, "各机关收到申请排名")
    lines = answer.text.splitlines()[1:]
    assert "淮安市人民政府2024年：3119件" in lines[0]
    assert lines[-1].endswith("报告未说明")  # Changchun 2012 does not state it
    _verified(answer)


def test_total_over_a_set_uses_parts_and_skips_missing(store):
    a = total(store, "litigation_total", [2024])
    values = {r.agency: (r.value, r.status) for r in a.rows}
    assert values["淮安市人民政府"] == (46, "stated")
    assert values["淮安市洪泽区人民政府"] == (4, "derived")  # 1 direct + 3 after review
    assert a.computed[0].value == 50
    _, answer = _ask(store, "2024年各机关行政诉讼合计")
    assert "50" in answer.text
    _verified(answer)
    t = total(store, "applications_received", [2012])
    assert [r.status for r in t.rows if r.agency.startswith("长春")] == ["missing"]
    assert t.computed[0].value == 134  # the silent report is not counted as 0, and not counted at all


def test_missing_is_never_zero(store):
    rows = report_rows(store, "applications_received", ["长春市人民政府外事(侨务)办公室"])
    assert rows and rows[0].value is None and rows[0].status == "missing"


def test_analysis_answer_leaves_plain_lookups_alone(store):
    query = understand("外交部2013年收到多少政府信息公开申请？", store.agencies())
    assert analysis_answer(query, store) is None


def test_trend_table_and_terminal_chart(store):
    from rich.console import Console

    from qa.answer.charts import print_trend, terminal_chart, trend_analysis

    a = trend_analysis(store, "applications_received")
    lines = terminal_chart(a)
    assert len(lines) == len(a.rows) == 8
    assert any("3119" in l and "█" * 30 in l for l in lines)
    assert any("(not stated)" in l and "长春" in l for l in lines)
    console = Console(record=True, width=160)
    print_trend(console, a)
    out = console.export_text()
    assert "applications_received" in out and "not stated" in out and "134" in out


def _png_text_chunks(data: bytes) -> dict[str, str]:
    out, pos = {}, 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            flag, method = rest[0], rest[1]
            text = rest[2:].split(b"\0", 2)[2]
            out[key.decode("latin-1")] = (zlib.decompress(text) if flag else text).decode("utf-8")
        pos += 12 + length
    return out


def test_trend_png(store, tmp_path):
    from qa.answer.charts import trend_analysis, trend_png

    path = tmp_path / "review.png"
    a = trend_analysis(store, "review_total", "淮安市洪泽区人民政府")
    title = trend_png(a, path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "review_total" in title
    meta = _png_text_chunks(data)
    assert meta["Title"] == title
    assert "35_huaian-hongze-district_2023.txt" in meta["Description"]  # source notes name the reports


def test_cli_trend_and_audit(store, tmp_path):
    from typer.testing import CliRunner

    from qa.cli import analysis as cli_analysis
    from qa.cli.main import app

    cli_analysis.register(app)
    runner = CliRunner()
    png = tmp_path / "t.png"
    result = runner.invoke(app, ["trend", "applications_received", "--agency", "外交部", "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert "134" in result.output and "119" in result.output and png.exists()
    result = runner.invoke(app, ["audit", "35_huaian-hongze-district_2023.txt", "--format", "json"])
    assert result.exit_code == 2  # errors found
    assert "review_total" in result.output


def test_a_year_with_no_report_is_said_not_left_out(store):
    """外交部 2011 is not ingested: the comparison says so for that year and still gives 2012."""
    _, answer = _ask(store, "外交部2011年和2012年收到的政府信息公开申请数比较")
    lines = answer.text.splitlines()
    assert any("2011" in line and "未收录报告" in line for line in lines), answer.text
    assert any("2012" in line and "134" in line for line in lines), answer.text
