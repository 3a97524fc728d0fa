"""qa.read.pdf: text and page offsets, clear errors, and table facts equal to the .txt versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.facts.tables import extract_table_facts
from qa.read.pdf import pdf_text
from qa.types import Report

CORPUS = Path("/work/shared/corpus")
EXPECTED = Path(__file__).with_name("expected") / "tables"
PAIRS = [
    ("huaian-hongze-district_2023", "35_huaian-hongze-district_2023"),
    ("huaian-city_2024", "38_huaian-city_2024"),
    ("huaian-hongze-district_2024", "39_huaian-hongze-district_2024"),
]


def pdf_path(name: str) -> Path:
    path = CORPUS / "pdf" / f"{name}.pdf"
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def facts_of(text: str):
    return {(f.metric, f.scope, f.value, f.status)
            for f in extract_table_facts(Report(id="t", path="t", text=text), [])}


@pytest.mark.parametrize("pdf,txt", PAIRS)
def test_pdf_facts_equal_text_facts(pdf, txt):
    text, _ = pdf_text(pdf_path(pdf))
    from_txt = facts_of((CORPUS / "text" / f"{txt}.txt").read_text(encoding="utf-8"))
    from_pdf = facts_of(text)
    assert from_pdf == from_txt
    expected = json.loads((EXPECTED / f"{txt}.json").read_text(encoding="utf-8"))
    assert {(m, s, v) for m, s, v, _ in from_pdf} == {(d["metric"], d["scope"], d["value"]) for d in expected}


@pytest.mark.parametrize("pdf,txt", PAIRS[:1])
def test_pdfplumber_engine_agrees(pdf, txt):
    a, _ = pdf_text(pdf_path(pdf), engine="pdfplumber")
    b, _ = pdf_text(pdf_path(pdf))
    assert facts_of(a) == facts_of(b)


def test_page_offsets():
    import pymupdf

    path = pdf_path("huaian-city_2024")
    text, starts = pdf_text(path)
    with pymupdf.open(path) as doc:
        pages = [p.get_text() for p in doc]
    assert len(starts) == len(pages) and starts[0] == 0
    assert starts == sorted(starts)
    for start, page in zip(starts, pages):
        assert text[start:start + len(page)] == page
        assert start == 0 or text[start - 1] == "\n"
    assert "淮安市人民政府" in text[: starts[1]]


def test_encrypted_pdf_raises(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    path = tmp_path / "locked.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    doc.close()
    with pytest.raises(ValueError, match="encrypted"):
        pdf_text(path)
    with pytest.raises(ValueError, match="encrypted"):
        pdf_text(path, engine="pdfplumber")


def test_broken_and_missing_pdf_raise(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n this is not really a pdf \x00\x01")
    with pytest.raises(ValueError, match="broken.pdf"):
        pdf_text(broken)
    with pytest.raises(ValueError, match="no such file"):
        pdf_text(tmp_path / "missing.pdf")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf_path("huaian-city_2024").read_bytes()[:3000])
    try:
        text, _ = pdf_text(truncated)  # MuPDF may repair what it can; it must not crash otherwise
    except ValueError as exc:
        assert "truncated.pdf" in str(exc)
