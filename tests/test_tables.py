"""Table facts of the 2019/2021 templates, checked against expected files written by reading the reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qa.facts.tables import extract_table_facts
from qa.read.report import read_report
from qa.types import Report

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = Path(__file__).with_name("expected") / "tables"
CORPUS = Path("/work/shared/corpus")
REPORTS = {
    "liaoning_fao_2020": ROOT / "seeds" / "liaoning_fao_2020.txt",
    "35_huaian-hongze-district_2023": CORPUS / "text" / "35_huaian-hongze-district_2023.txt",
    "38_huaian-city_2024": CORPUS / "text" / "38_huaian-city_2024.txt",
    "39_huaian-hongze-district_2024": CORPUS / "text" / "39_huaian-hongze-district_2024.txt",
}
PINGTAN = CORPUS / "pingtan"
# Web-page text from the tune departments: tables run together on one line, and the statistics
# table of older reports. Expected files written from reading them (pingtan_spec.py says how).
PINGTAN_REPORTS = ["czj_2019_80560", "gwh_2019_80577", "czj_2021_80600", "shs_2021_80606", "jjf_2023_86656",
                   "scj_2025_104786", "jjf_2018_80541", "czj_2012_80737", "scj_2013_80762", "shs_2013_80780"]
TEMPLATE = CORPUS / "template" / "template_2021_revised.txt"
SCOPES = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total"]


def report_of(text: str, path: str = "t.txt") -> Report:
    return Report(id="t", path=path, text=text, agency=None, year=None)


def load(name: str) -> Report:
    if name in PINGTAN_REPORTS:  # through the reader: web-page furniture is marked as boilerplate
        path = PINGTAN / f"{name}.txt"
        if not path.exists():
            pytest.skip(f"{path} not available")
        return read_report(path)
    path = REPORTS[name]
    if not path.exists():
        pytest.skip(f"{path} not available")
    return report_of(path.read_text(encoding="utf-8"), str(path))


def by_key(facts):
    return {(f.metric, f.scope): f for f in facts}


# ---------------------------------------------------------------- real reports

@pytest.mark.parametrize("name", list(REPORTS) + PINGTAN_REPORTS)
def test_extraction_equals_expected(name):
    facts = extract_table_facts(load(name), [])
    expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    got = {(f.metric, f.scope, f.value) for f in facts}
    want = {(d["metric"], d["scope"], d["value"]) for d in expected}
    assert got == want, f"missing {sorted(want - got, key=str)[:10]} extra {sorted(got - want, key=str)[:10]}"
    assert len(facts) == len(expected), "one fact per cell"
    facts_by_key = by_key(facts)
    for d in expected:
        f = facts_by_key[(d["metric"], d["scope"])]
        assert f.unit == d["unit"], (d, f.unit)
        assert f.status == d.get("status", "ok"), (d, f.status, f.note)
        assert f.source == "table"


@pytest.mark.parametrize("name", list(REPORTS) + PINGTAN_REPORTS)
def test_spans_and_quotes(name):
    report = load(name)
    for f in extract_table_facts(report, []):
        assert f.quote == report.text[f.quote_start:f.quote_end]
        if f.value is None:
            assert f.status == "unparsed" and f.note
            continue
        digits = report.text[f.start:f.end]
        assert re.fullmatch(r"[+-]?\d+(?:\.\d+)?", digits), (f.metric, f.scope, digits)  # +1: 本年增/减
        assert float(digits) == f.value
        assert f.quote_start <= f.start < f.end <= f.quote_end
        assert digits in f.quote


@pytest.mark.parametrize("name", list(REPORTS))
def test_no_numbers_from_dates_phones_document_numbers_or_percentages(name):
    report = load(name)
    for f in extract_table_facts(report, []):
        if f.value is None:
            continue
        before, after = report.text[max(0, f.start - 1):f.start], report.text[f.end:f.end + 1]
        assert before not in {"-", "〔", "[", "(", "（", "第", ".", ":"}, (f.metric, before)
        assert after not in {"年", "月", "日", "号", "%", "％", "-", "〕", "]", "."}, (f.metric, after)
        # every number read lies on a line that is a table row, not in a prose sentence
        line = report.text[report.text.rfind("\n", 0, f.start) + 1:report.text.find("\n", f.end)]
        assert "，" not in line and "。" not in line, line


def test_liaoning_2020_zero_applications_and_review():
    facts = by_key(extract_table_facts(load("liaoning_fao_2020"), []))
    assert facts[("applications_received", "total")].value == 0
    assert facts[("applications_received", "total")].status == "ok"
    review = [f for (m, _), f in facts.items() if m.startswith(("review_", "litigation_"))]
    assert len(review) == 15 and all(f.value == 0 and f.status == "ok" for f in review)
    # 二、上年结转 is left empty in the report: never read as 0
    carried = [f for (m, _), f in facts.items() if m == "applications_carried_over"]
    assert len(carried) == 7 and all(f.value is None and f.status == "unparsed" for f in carried)


def test_hongze_2023_review_row_kept_but_flagged():
    facts = by_key(extract_table_facts(load("35_huaian-hongze-district_2023"), []))
    assert facts[("review_upheld", "")].value == 10
    assert facts[("review_total", "")].value == 0
    assert facts[("review_total", "")].status == "inconsistent"
    assert "11" in facts[("review_total", "")].note
    assert facts[("litigation_after_review_upheld", "")].status == "inconsistent"
    assert facts[("litigation_direct_total", "")].status == "ok"


def test_prose_numbers_make_no_facts():
    text = ("一、总体情况\n2023年，本机关按照《通知》（国办发〔2019〕14号）要求，公开率达到100%，"
            "电话：0517-87222589，受理政府信息公开申请 21 件。\n行政许可 550\n规章 1 0 11\n"
            "2023 年 12 月 31 日\n")
    assert extract_table_facts(report_of(text), []) == []
    # an older prose report naming the same rows in sentences makes no table facts either
    prose = ("三、依申请公开情况\n本年新收政府信息公开申请21件，上年结转3件。予以公开10件，部分公开2件，\n"
             "本机关不掌握相关政府信息5件，（七）总计 共办结 18\n四、行政复议、行政诉讼情况\n"
             "行政复议结果维持1件，结果纠正0件。\n五、存在的主要问题\n")
    assert extract_table_facts(report_of(prose), []) == []


# ---------------------------------------------------------------- synthetic tables (pdfplumber-like layout)

ROW_LABELS = [
    ("applications_received", "一、本年新收政府信息公开申请数量"),
    ("applications_carried_over", "二、上年结转政府信息公开申请数量"),
    ("result_public", "（一）予以公开"),
    ("result_partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "1.属于国家秘密"),
    ("withheld_law", "2.其他法律行政法规禁止公开"),
    ("withheld_security", "3.危及“三安全一稳定”"),
    ("withheld_third_party", "4.保护第三方合法权益"),
    ("withheld_internal", "5.属于三类内部事务信息"),
    ("withheld_process", "6.属于四类过程性信息"),
    ("withheld_enforcement", "7.属于行政执法案卷"),
    ("withheld_query", "8.属于行政查询事项"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确"),
    ("unprocessed_petition", "1.信访举报投诉类申请"),
    ("unprocessed_repeat", "2.重复申请"),
    ("unprocessed_publication", "3.要求提供公开出版物"),
    ("unprocessed_mass", "4.无正当理由大量反复申请"),
    ("unprocessed_confirm", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_processing", "（六）其他处理"),
    ("results_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]


def synthetic(rows: dict[str, str]) -> str:
    """A 2021-style report, pdfplumber layout, every row 0 unless given as its cell text."""
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    for metric, label in ROW_LABELS:
        lines.append(f"{label} {rows.get(metric, '0 0 0 0 0 0 0')}")
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计",
              "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


def test_glued_digits_split_when_the_row_total_makes_it_unique():
    text = synthetic({"applications_received": "230 000023", "result_public": "23 0 0 0 0 0 23",
                      "results_total": "23 0 0 0 0 0 23"})
    report = report_of(text)
    facts = by_key(extract_table_facts(report, []))
    row = [facts[("applications_received", s)] for s in SCOPES]
    assert [f.value for f in row] == [23, 0, 0, 0, 0, 0, 23]
    assert all(f.status == "ok" for f in row) and "glued" in row[0].note
    assert report.text[row[0].start:row[0].end] == "23" and report.text[row[1].start:row[1].end] == "0"
    assert report.text[row[6].start:row[6].end] == "23"


def test_glued_digits_left_unparsed_when_ambiguous():
    # "110 0 0 0 0 11" is 1,10,0,0,0,0,11 or 11,0,0,0,0,0,11: both satisfy the row total, and with
    # 二、上年结转 left empty no column sum can tell them apart
    text = synthetic({"applications_received": "110 0 0 0 0 11", "result_public": "11 0 0 0 0 0 11",
                      "results_total": "11 0 0 0 0 0 11", "applications_carried_over": ""})
    facts = by_key(extract_table_facts(report_of(text), []))
    row = [facts[("applications_received", s)] for s in SCOPES]
    assert all(f.value is None and f.status == "unparsed" for f in row)
    assert "more than one way" in row[0].note
    assert facts[("result_public", "total")].value == 11  # the other rows are unaffected


def test_glued_digits_split_by_the_column_totals():
    # the row total admits 1,10,… and 11,…; 一+二 = 三+四 in the 自然人 column (x + 0 = 11 + 0) picks 11
    text = synthetic({"applications_received": "110 0 0 0 0 11", "result_public": "11 0 0 0 0 0 11",
                      "results_total": "11 0 0 0 0 0 11"})
    facts = by_key(extract_table_facts(report_of(text), []))
    row = [facts[("applications_received", s)] for s in SCOPES]
    assert [f.value for f in row] == [11, 0, 0, 0, 0, 0, 11]
    assert all(f.status == "ok" and "column" in f.note for f in row)


def test_glued_digits_with_no_valid_split_are_unparsed():
    text = synthetic({"applications_received": "112 0 0 0 0 2"})
    facts = by_key(extract_table_facts(report_of(text), []))
    assert all(facts[("applications_received", s)].value is None for s in SCOPES)


def test_row_total_mismatch_is_flagged_not_fixed():
    text = synthetic({"result_public": "3 1 0 0 0 0 5"})
    facts = by_key(extract_table_facts(report_of(text), []))
    f = facts[("result_public", "total")]
    assert f.value == 5 and f.status == "inconsistent" and "4" in f.note


def test_numbers_printed_before_their_labels():
    # pdfplumber puts a row's numbers above a label that does not wrap next to a wrapped one
    text = synthetic({}).replace(
        "1.本机关不掌握相关政府信息 0 0 0 0 0 0 0\n2.没有现成信息需要另行制作 0 0 0 0 0 0 0\n",
        "10 0 0 0 0 0 10\n1.本机关不掌握相关政府信息\n（四）无法提供\n3 0 0 0 0 0 3\n2.没有现成信息需要另行制作\n- 3 -\n")
    text = text.replace("（七）总计 0 0 0 0 0 0 0", "（七）总计 13 0 0 0 0 0 13").replace(
        "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0", "一、本年新收政府信息公开申请数量 13 0 0 0 0 0 13")
    facts = by_key(extract_table_facts(report_of(text), []))
    assert facts[("unavailable_not_held", "total")].value == 10
    assert facts[("unavailable_needs_creation", "total")].value == 3
    assert all(f.status == "ok" for f in facts.values())


def test_unalignable_rows_are_unparsed_not_guessed():
    # a label that is missing altogether: the numbers around it cannot be assigned safely
    text = synthetic({}).replace(
        "1.本机关不掌握相关政府信息 0 0 0 0 0 0 0\n2.没有现成信息需要另行制作 0 0 0 0 0 0 0\n",
        "10 0 0 0 0 0 10\n1.本机关不掌握相关政府信息\n3 0 0 0 0 0 3\n7 0 0 0 0 0 7\n2.没有现成信息需要另行制作\n")
    facts = by_key(extract_table_facts(report_of(text), []))
    assert facts[("unavailable_not_held", "total")].value is None
    assert facts[("unavailable_needs_creation", "total")].value is None
    assert facts[("unavailable_unclear", "total")].value == 0  # anchored on its own line


# ---------------------------------------------------------------- the template's pipe-row layout

def filled_template(carried_over_empty: bool = False) -> str:
    if not TEMPLATE.exists():
        pytest.skip("template not available")
    text = TEMPLATE.read_text(encoding="utf-8")
    art20 = {"规章": "1 | 0 | 11", "行政规范性文件": "8 | 26 | 66", "行政许可": "447", "行政处罚": "12",
             "行政强制": "3", "行政事业性收费": "96.5"}
    app = {"一、本年新收": "5 | 1 | 0 | 0 | 0 | 0 | 6", "二、上年结转": "1 | 0 | 0 | 0 | 0 | 0 | 1",
           "（一）予以公开": "3 | 1 | 0 | 0 | 0 | 0 | 4", "（二）部分公开": "1 | 0 | 0 | 0 | 0 | 0 | 1",
           "| 3.其他": "2 | 0 | 0 | 0 | 0 | 0 | 2", "（七）总计": "6 | 1 | 0 | 0 | 0 | 0 | 7"}
    if carried_over_empty:
        app["二、上年结转"] = " | " * 6 + " "
    out = []
    for line in text.split("\n"):
        cells = re.findall(r"\|\s+(?=\|)", line)
        if cells and "|" in line:
            head = line[: line.index("|  |")] if "|  |" in line else line
            value = None
            for key, v in {**art20, **app}.items():
                if key in head:
                    value = v
            if value is None:
                if len(cells) == 15:
                    value = "1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0"
                else:
                    value = " | ".join(["0"] * len(cells))
            line = head + "| " + value + " |"
        out.append(line)
    return "\n".join(out)


def test_pipe_rows_of_the_template_parse():
    facts = by_key(extract_table_facts(report_of(filled_template()), []))
    assert [facts[("regulations", s)].value for s in ("issued", "repealed", "in_force")] == [1, 0, 11]
    assert [facts[("normative_documents", s)].value for s in ("issued", "repealed", "in_force")] == [8, 26, 66]
    assert facts[("admin_licensing", "decisions")].value == 447
    assert facts[("admin_fees", "amount")].value == 96.5 and facts[("admin_fees", "amount")].unit == "万元"
    assert [facts[("applications_received", s)].value for s in SCOPES] == [5, 1, 0, 0, 0, 0, 6]
    assert facts[("other_other", "total")].value == 2
    assert facts[("results_total", "total")].value == 7
    assert ("other_processing", "total") not in facts  # a heading over 3 sub-rows in the 2021 template
    assert facts[("review_total", "")].value == 1 and facts[("litigation_direct_total", "")].value == 1
    assert all(f.status == "ok" for f in facts.values()), [f for f in facts.values() if f.status != "ok"][:2]
    assert len(facts) == 3 + 3 + 1 + 1 + 1 + 1 + 25 * 7 + 15


def test_pipe_rows_with_empty_cells_are_unparsed_not_zero():
    facts = by_key(extract_table_facts(report_of(filled_template(carried_over_empty=True)), []))
    carried = [facts[("applications_carried_over", s)] for s in SCOPES]
    assert all(f.value is None and f.status == "unparsed" and "empty" in f.note for f in carried)
    assert facts[("applications_received", "total")].value == 6


def test_blank_template_has_no_values():
    if not TEMPLATE.exists():
        pytest.skip("template not available")
    facts = extract_table_facts(report_of(TEMPLATE.read_text(encoding="utf-8")), [])
    assert facts and all(f.value is None and f.status == "unparsed" for f in facts)


def test_boilerplate_spans_are_skipped():
    text = synthetic({"result_public": "2 0 0 0 0 0 2", "applications_received": "2 0 0 0 0 0 2",
                      "results_total": "2 0 0 0 0 0 2"})
    start = text.index("（一）予以公开")
    end = text.index("\n", start)
    report = Report(id="t", path="t", text=text, boilerplate=[(start, end)])
    facts = by_key(extract_table_facts(report, []))
    assert facts.get(("result_public", "total")) is None or facts[("result_public", "total")].value is None


def test_the_one_template_definition_matches_the_official_template():
    """qa.facts.template (read by the table reader, checked by the audit) against the blank 2021 template:
    every row label in template order, every column and review label, every section heading."""
    from qa.answer import audit
    from qa.facts import template
    from qa.normalize import matching_view

    if not TEMPLATE.exists():
        pytest.skip("template not available")
    text = matching_view(TEMPLATE.read_text(encoding="utf-8"))
    compact = re.sub(r"[\s|]", "", text)
    pos = 0
    for metric, pattern in template.APPLICATION_ROWS:
        found = re.compile(pattern).search(compact, pos)
        assert found, f"{metric}: {pattern} not found after offset {pos}"
        pos = found.end()
    for labels in ([z for z in template.SCOPE_ZH.values()], [z for z, _ in template.REVIEW_GROUPS],
                   [z for _, z in template.REVIEW_PARTS]):
        assert all(label in compact for label in labels), labels
    assert template.APPLICATION_COLUMNS == SCOPES and len(template.REVIEW_METRICS) == 15
    headings = [line for line in text.splitlines() if re.match(r"[一二三四五六]、", line)]
    for name, pattern in template.TEMPLATE_SECTIONS:
        assert any(re.search(pattern, h) for h in headings), name
    # the audit checks with the very same definitions (no copy to drift apart)
    assert audit.RESULT_ROWS is template.RESULT_ROWS and audit.REVIEW_GROUPS is template.REVIEW_GROUPS
    assert audit.APPLICATION_METRICS is template.APPLICATION_METRICS


def test_an_amount_keeps_the_unit_the_report_writes_after_it():
    """2019 template, 第二十条第（九）项: '政府集中采购 2 45.82万元' — the template states no unit, this
    report writes 万元 after the amount; the fact says 万元 and its quote reaches it."""
    path = PINGTAN / "shs_2019_80573.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    amount = by_key(extract_table_facts(read_report(path), []))[("central_procurement", "amount")]
    assert (amount.value, amount.unit) == (45.82, "万元")
    assert amount.quote.endswith("45.82万元")


def test_glued_running_total_is_split_by_the_prose_of_the_same_report():
    """jjf_2015: the statistics table reads '主动公开文件数条99407' (本年 and 历年累计 run together: 9|9407,
    99|407, 994|07 …); the prose says 2015年主动公开政府信息99条, so the running total is 407."""
    from qa.facts import extract_facts
    from qa.sections import split_sections

    path = PINGTAN / "jjf_2015_80442.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    report = read_report(path)
    facts = extract_facts(report, split_sections(report))
    running = by_key([f for f in facts if f.source == "table"])[("proactive_disclosures", "cumulative")]
    assert running.value == 407 and report.text[running.start:running.end] == "407"
    assert "99" in running.note
    table_year = by_key([f for f in facts if f.source == "table"])[("proactive_disclosures", "")]
    assert table_year.value is None  # the year's figure is the prose's (99), cited there
