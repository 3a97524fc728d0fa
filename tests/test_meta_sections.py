"""Metadata and sections of the real reports, checked against what the reports say."""

from __future__ import annotations

import pytest

from conftest import CORPUS_TEXT, TEMPLATE_DIR, seed
from qa.read import read_report
from qa.sections import chunk_sections, split_sections

META = {
    "mfa_2013": ("外交部", 2013, "prose", "central"),
    "mfa_2012": ("外交部", 2012, "prose", "central"),
    "sichuan_fao_2013": ("四川省人民政府外事办公室", 2013, "prose", "province"),
    "changchun_fao_2012": ("长春市人民政府外事(侨务)办公室", 2012, "prose", "city"),
    "liaoning_fao_2020": ("辽宁省人民政府外事办公室", 2020, "t2019", "province"),
}
CORPUS_META = {
    "35_huaian-hongze-district_2023": ("淮安市洪泽区人民政府", 2023, "t2021", "district"),
    "38_huaian-city_2024": ("淮安市人民政府", 2024, "t2021", "city"),
    "39_huaian-hongze-district_2024": ("淮安市洪泽区人民政府", 2024, "t2021", "district"),
}


@pytest.mark.parametrize("name", sorted(META))
def test_seed_metadata(name):
    report = read_report(seed(name))
    assert (report.agency, report.year, report.template.value, report.level) == META[name]
    assert report.warnings == []


@pytest.mark.parametrize("name", sorted(CORPUS_META))
def test_corpus_metadata(name):
    report = read_report(CORPUS_TEXT / f"{name}.txt")
    assert (report.agency, report.year, report.template.value, report.level) == CORPUS_META[name]


def test_script_detected():
    assert read_report(seed("sichuan_fao_2013")).script == "traditional"
    assert read_report(seed("mfa_2013")).script == "simplified"


def test_year_is_the_reported_year_not_the_publication_date():
    # Published 2013-03-05 / 2021-01-29 / 2014-03-25: the year reported on is the one before.
    assert read_report(seed("changchun_fao_2012")).year == 2012
    assert read_report(seed("liaoning_fao_2020")).year == 2020
    assert read_report(seed("mfa_2013")).year == 2013


def test_report_without_agency_or_year_is_flagged():
    report = read_report(TEMPLATE_DIR / "template_2021_revised.txt")
    assert report.agency is None and report.year is None
    assert any("--agency" in w for w in report.warnings) and any("--year" in w for w in report.warnings)


def test_boilerplate_is_marked_not_removed():
    report = read_report(seed("mfa_2013"))
    quoted = [report.text[s:e] for s, e in report.boilerplate]
    assert any("责任编辑" in q for q in quoted) and any("版权所有" in q for q in quoted)
    assert "依法办结因政府信息公开申请行政复议案件90起" in report.text
    assert not any("行政复议案件90起" in q for q in quoted)


# Section kinds of every section, written by reading each report's headings.
KINDS = {
    "mfa_2013": ["other", "overview", "overview", "overview", "overview", "overview", "proactive", "proactive",
                 "proactive", "proactive", "proactive", "proactive", "applications", "fees", "review", "problems",
                 "problems", "problems", "problems"],
    "mfa_2012": ["other", "overview", "overview", "overview", "overview", "proactive", "proactive", "proactive",
                 "proactive", "proactive", "proactive", "applications", "fees", "review", "problems"],
    "sichuan_fao_2013": ["other", "overview", "overview", "overview", "overview", "overview", "proactive",
                         "proactive", "proactive", "applications", "fees", "review", "problems"],
    "changchun_fao_2012": ["other", "overview", "proactive", "proactive", "proactive", "proactive", "proactive",
                           "applications", "review", "staff", "staff", "staff", "problems"],
    "liaoning_fao_2020": ["other", "overview", "overview", "overview", "overview", "overview", "overview",
                          "overview", "proactive", "applications", "review", "problems", "other"],
}
TOP_TITLES = {
    "mfa_2013": ["概述", "主动公开信息情况", "依申请公开信息情况", "收费及减免情况", "行政复议或行政诉讼情况",
                 "存在的问题及改进措施"],
    "sichuan_fao_2013": ["概述", "主動公開政府信息情況", "政府信息依申請公開情況", "政府信息公開收費及減免情況",
                         "公開申請行政複議、提起行政訴訟的情況", "存在的主要問題和改進措施"],
    "liaoning_fao_2020": ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                          "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"],
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_section_kinds(name):
    report = read_report(seed(name))
    sections = split_sections(report)
    assert [s.kind.value for s in sections] == KINDS[name]
    if name in TOP_TITLES:
        assert [s.title for s in sections if s.level == 1] == TOP_TITLES[name]


@pytest.mark.parametrize("name", sorted(CORPUS_META))
def test_table_rows_are_not_headings(name):
    """'一、本年新收…', '四、结转下年度继续办理', '（五）不予处理' are table rows, not sections."""
    sections = split_sections(read_report(CORPUS_TEXT / f"{name}.txt"))
    top = [s.title for s in sections if s.level == 1]
    assert top == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                   "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_chunks_stay_inside_sections(name):
    report = read_report(seed(name))
    sections = split_sections(report)
    chunks = chunk_sections(report, sections, 300)
    assert chunks
    for chunk in chunks:
        section = sections[chunk.section_index]
        assert section.start <= chunk.start < chunk.end <= section.end
        assert report.text[chunk.start:chunk.end] == chunk.text
    # sections tile the text: no gap, no overlap
    assert sections[0].start == 0 and sections[-1].end == len(report.text)
    assert all(a.end == b.start for a, b in zip(sections, sections[1:]))
