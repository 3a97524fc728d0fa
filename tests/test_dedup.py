"""The same report in another format or script is one report, flagged as a duplicate."""

from __future__ import annotations

import pytest

from conftest import CORPUS_PDF, CORPUS_TEXT, seed
from qa.ingest import ingest, open_store
from qa.normalize import matching_view
from qa.settings import Settings


@pytest.fixture()
def fresh(tmp_path):
    return Settings(data_dir=tmp_path / "data", llm="none", auto_ingest_seeds=False)


def test_pdf_and_text_of_one_report_are_one_report(fresh):
    results = ingest([CORPUS_TEXT / "39_huaian-hongze-district_2024.txt",
                      CORPUS_PDF / "huaian-hongze-district_2024.pdf"], fresh)
    assert [r.status for r in results] == ["added", "duplicate"]
    assert "39_huaian-hongze-district_2024.txt" in results[1].message
    assert open_store(fresh).count_reports() == 1


def test_traditional_mirror_is_flagged(tmp_path, fresh):
    import opencc

    mirror = tmp_path / "mfa_2013_traditional.txt"
    mirror.write_text(opencc.OpenCC("s2t").convert(seed("mfa_2013").read_text(encoding="utf-8")), encoding="utf-8")
    assert matching_view(mirror.read_text(encoding="utf-8")) != mirror.read_text(encoding="utf-8")
    results = ingest([seed("mfa_2013"), mirror], fresh)
    assert [r.status for r in results] == ["added", "duplicate"]


def test_different_years_of_one_agency_are_not_duplicates(fresh):
    results = ingest([seed("mfa_2012"), seed("mfa_2013"),
                      CORPUS_TEXT / "35_huaian-hongze-district_2023.txt",
                      CORPUS_TEXT / "39_huaian-hongze-district_2024.txt"], fresh)
    assert [r.status for r in results] == ["added"] * 4


def test_blank_template_as_docx_and_text_is_one_report(fresh):
    from conftest import TEMPLATE_DIR

    results = ingest([TEMPLATE_DIR / "template_2021_revised.docx", TEMPLATE_DIR / "template_2021_revised.txt"], fresh)
    assert [r.status for r in results] == ["added", "duplicate"], [r.message for r in results]
