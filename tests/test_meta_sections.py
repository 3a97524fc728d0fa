"""Metadata and sections of the real reports, checked against what the reports say."""

from __future__ import annotations

import re

import pytest

from conftest import CORPUS_TEXT, TEMPLATE_DIR, seed
from qa.read.report import read_report
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


# ---------------------------------------------------------------- the Pingtan department reports

PINGTAN = CORPUS_TEXT.parent / "pingtan"


def _manifest() -> list[dict]:
    path = PINGTAN / "MANIFEST.tsv"
    if not path.exists():
        pytest.skip(f"{path} not available")
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:] if line.strip()]


def _names_the_agency(got: str, listed: str) -> bool:
    """The title's agency as written, or the report's fuller name for a bare one (财金局 →
    平潭综合实验区财政金融局: the listed characters in order, same last character)."""
    if got == listed:
        return True
    if not re.fullmatch(r"[\u4e00-\u9fff()（）]+", got):  # 关于报送《平潭综合实验区公安局 is no name
        return False
    chars = iter(got)
    return len(got) > len(listed) and got[-1] == listed[-1] and all(ch in chars for ch in listed)


def test_every_pingtan_report_has_its_agency_and_year():
    """All 159 reports (tune and check set alike): agency and year as MANIFEST.tsv lists them."""
    rows = _manifest()
    assert len(rows) == 159
    wrong = []
    for row in rows:
        report = read_report(PINGTAN / row["file"])
        if report.agency is None or not _names_the_agency(report.agency, row["agency"]) \
                or report.year != int(row["year"]):
            wrong.append((row["file"], report.agency, report.year))
    assert wrong == []


def test_bare_title_agency_is_completed_from_the_report():
    # title "财金局2016年政府信息公开年度报告"; the signature names 平潭综合实验区财政金融局
    report = read_report(PINGTAN / "czj_2016_80469.txt")
    assert report.agency == "平潭综合实验区财政金融局" and report.year == 2016


def test_pingtan_templates():
    rows = {r["file"]: r["format"].split()[0] for r in _manifest()}
    for name in ["czj_2019_80560.txt", "gwh_2020_80594.txt", "czj_2021_80600.txt", "scj_2025_104786.txt",
                 "jjf_2014_80795.txt"]:
        assert read_report(PINGTAN / name).template.value == rows[name], name
    # section 二 in the 2019 layout, the application table in the 2021 one: a 2021 report
    assert read_report(PINGTAN / "shs_2021_80606.txt").template.value == "t2021"


def test_web_page_furniture_is_boilerplate_and_left_out_of_chunks():
    for name, furniture in [("jjf_2018_80541.txt", "QQ空间"), ("scj_2013_80762.txt", "相关链接"),
                            ("czj_2019_80560.txt", "<!--[if !supportMisalignedColumns]-->"),
                            ("czj_2019_80560.txt", "发布机构")]:  # the archive's header line
        report = read_report(PINGTAN / name)
        marked = "".join(report.text[s:e] for s, e in report.boilerplate)
        assert furniture in marked, name
        chunks = chunk_sections(report, split_sections(report), 300)
        assert chunks and not any(furniture in c.text or "当前位置" in c.text for c in chunks), name
    # the breadcrumb shares its line with the body: the body is not boilerplate
    report = read_report(PINGTAN / "jjf_2018_80541.txt")
    marked = "".join(report.text[s:e] for s, e in report.boilerplate)
    assert "根据《中华人民共和国政府信息公开条例》" not in marked


# Top-level headings of one-line web pages, read from the reports.
PINGTAN_TOP = {
    "czj_2019_80560.txt": [("总体情况", "overview"), ("主动公开政府信息情况", "proactive"),
                           ("收到和处理政府信息公开申请情况", "applications"),
                           ("政府信息公开行政复议、行政诉讼情况", "review"), ("存在的主要问题", "problems"),
                           ("其他需要报告的事项", "other")],
    "jjf_2018_80541.txt": [("概述", "overview"), ("主动公开政府信息的情况", "proactive"),
                           ("政府信息依申请公开办理情况", "applications"),
                           ("因政府信息公开申请行政复议、提起行政诉讼的情况", "review"),
                           ("政府信息公开工作存在的主要问题", "problems"), ("需要说明的其他事项", "other")],
    "scj_2013_80762.txt": [("概述", "overview"), ("主动公开政府信息的情况", "proactive"),
                           ("依申请公开信息和不予公开政府信息的情况", "applications"),
                           ("政府信息公开的收费及减免情况", "fees"),
                           ("因政府信息公开申请行政复议、提起行政诉讼的情况", "review"),
                           ("政府信息公开工作存在的主要问题", "problems"), ("附表", "other")],
}


@pytest.mark.parametrize("name", sorted(PINGTAN_TOP))
def test_headings_inside_one_line_web_pages(name):
    report = read_report(PINGTAN / name)
    sections = split_sections(report)
    assert [(s.title, s.kind.value) for s in sections if s.level == 1] == PINGTAN_TOP[name]
    assert sections[0].start == 0 and sections[-1].end == len(report.text)
    assert all(a.end == b.start for a, b in zip(sections, sections[1:]))
