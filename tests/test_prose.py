"""Prose facts on the seed reports and the shared corpus, against hand-written expectations."""

import json
from pathlib import Path

import pytest

from qa.facts.numbers import find_numbers
from qa.facts.prose import extract_prose_facts
from qa.types import Qualifier, Report

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = Path(__file__).with_name("expected") / "prose"
CORPUS = Path("/work/shared/corpus/text")
PINGTAN = CORPUS.parent / "pingtan"
# tune-department reports with expected files (web-page text: read through the reader, which marks the furniture)
PINGTAN_STEMS = ["shs_2015_80447", "gwh_2016_80486", "jjf_2018_80541", "czj_2022_80614", "gyz_2020_80585"]
PATHS = (sorted((ROOT / "seeds").glob("*.txt")) + (sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])
         + [PINGTAN / f"{s}.txt" for s in PINGTAN_STEMS if (PINGTAN / f"{s}.txt").exists()])


def load(path: Path) -> Report:
    if path.parent == PINGTAN:
        from qa.read.report import read_report

        return read_report(path)
    return Report(id="t", path=str(path), text=path.read_text(encoding="utf-8"))


_cache: dict = {}


def facts_of(path: Path):
    if path not in _cache:
        report = load(path)
        _cache[path] = (report, extract_prose_facts(report, []))
    return _cache[path]


def by_stem(stem: str):
    for p in PATHS:
        if p.stem == stem:
            return facts_of(p)
    pytest.skip(f"{stem} not available")


def key(metric, scope, value, unit, qualifier):
    return (metric, scope, float(value), unit, qualifier)


@pytest.mark.parametrize("path", [p for p in PATHS if (EXPECTED / f"{p.stem}.json").exists()], ids=lambda p: p.stem)
def test_expected_facts(path):
    _, facts = facts_of(path)
    expected = {key(**f) for f in json.loads((EXPECTED / f"{path.stem}.json").read_text(encoding="utf-8"))}
    got = {key(f.metric, f.scope, f.value, f.unit, f.qualifier.value) for f in facts}
    assert got - expected == set(), "unexpected facts"
    assert expected - got == set(), "missing facts"


def only(stem, metric, scope=""):
    _, facts = by_stem(stem)
    found = [f for f in facts if f.metric == metric and f.scope == scope]
    assert len(found) == 1, found
    return found[0]


def test_key_numbers():
    assert only("mfa_2013", "review_total").value == 90
    assert only("mfa_2012", "applications_received").value == 134
    assert only("mfa_2013", "applications_received").value == 119
    assert only("sichuan_fao_2013", "proactive_disclosures").value == 1094
    assert only("sichuan_fao_2013", "review_total").value == 0
    assert only("changchun_fao_2012", "staff_fulltime").value == 1
    spending = only("changchun_fao_2012", "spending")
    assert (spending.value, spending.unit) == (15, "万元")
    apps = only("liaoning_fao_2020", "applications_received")
    assert apps.value == 0 and "2020年未收到政府信息公开申请" in apps.quote


def test_incomplete_statistics_kept_visible():
    f = only("sichuan_fao_2013", "applications_received")
    assert f.value == 160 and f.qualifier == Qualifier.at_least
    assert "据不完全统计" in f.note
    assert "據不完全統計" in f.quote  # the quote is in the report's own (traditional) script


def test_zero_statement_span_is_the_phrase():
    report, _ = by_stem("mfa_2012")
    f = only("mfa_2012", "litigation_total")
    assert report.text[f.start:f.end].startswith("无因政府信息公开申请行政复议")


def test_multiplier_in_span():
    report, _ = by_stem("mfa_2013")
    f = only("mfa_2013", "proactive_disclosures")
    assert report.text[f.start:f.end] == "15万" and f.value == 150000


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_quotes_and_spans(path):
    report, facts = facts_of(path)
    for f in facts:
        assert f.quote == report.text[f.quote_start:f.quote_end]
        assert f.quote_start <= f.start < f.end <= f.quote_end
        assert report.text[f.start:f.end] in f.quote
        assert f.report_id == report.id


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_fact_from_years_dates_phones_docnos_percents(path):
    report, facts = facts_of(path)
    skip = [m for m in find_numbers(report.text) if m.kind != "count"]
    for f in facts:
        for m in skip:
            assert not (m.start < f.end and f.start < m.end), (f.metric, m.raw, m.kind)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_fact_from_table_rows(path):
    report, facts = facts_of(path)
    for f in facts:
        line_start = report.text.rfind("\n", 0, f.start) + 1
        line_end = report.text.find("\n", f.start)
        line = report.text[line_start:line_end if line_end >= 0 else None]
        assert "|" not in line


def prose(text: str):
    report = Report(id="t", path="x.txt", text=text)
    return {(f.metric, f.scope, f.value, f.unit, f.qualifier.value) for f in extract_prose_facts(report, [])}


def test_sub_breakdown_is_not_the_total():
    got = prose("2013年累计主动公开政府信息1094条，其中，法规公文类5条；工作动态类1074条，占98%。")
    assert got == {("proactive_disclosures", "", 1094, "条", "exact")}
    got = prose("全年共收到政府信息公开申请50件，其中依申请公开信息30件。")
    assert got == {("applications_received", "", 50, "件", "exact")}


def test_number_counting_the_noun_after_it():
    assert prose("专栏下设依申请公开、信息公开网上申请等七个板块，12个子栏目。") == set()
    assert prose("举行24小时内举行新闻发布会的时限要求。") == set()


def test_table_rows_are_skipped():
    text = "行政许可 550\n行政处罚 4119\n一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21\n"
    assert prose(text) == set()


def test_pdf_wrapped_sentence():
    text = ("（一）主动公开情况。主要通过政府门户网站主动公开政府\n"
            "文件、项目审批、通知公告等各类政府信息。2023 年，我区在政\n"
            "府网站平台主动公开政府信息 1136 条。\n")
    assert prose(text) == {("proactive_disclosures", "", 1136, "条", "exact")}


def test_zero_statements():
    assert prose("本年度无因政府信息公开申请行政复议、提起行政诉讼的情况。") == {
        ("review_total", "", 0, "件", "exact"), ("litigation_total", "", 0, "件", "exact")}
    assert prose("2020年未收到政府信息公开申请。") == {("applications_received", "", 0, "件", "exact")}
    assert prose("我办政府信息公开事项均未收费。") == {("fees_charged", "", 0, "元", "exact")}
    assert prose("进一步加大对收费标准的公开力度。") == set()


def test_boilerplate_skipped():
    text = "共收到政府信息公开申请119份。\n版权所有 受理政府信息公开申请 5 件\n"
    report = Report(id="t", path="x", text=text, boilerplate=[(text.index("版权"), len(text))])
    assert {f.value for f in extract_prose_facts(report, [])} == {119}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("办理政府信息公开申请20件。", set()),  # handled, not received
        ("收到申请20件、答复18件。", {("applications_received", "", 20, "件", "exact")}),
        ("共收到申请3件，其中网上申请2件。", {("applications_received", "", 3, "件", "exact")}),
        ("2019年以来，共主动公开信息5000条。", set()),  # cumulative
        ("全年主动公开信息约3000条左右。", {("proactive_disclosures", "", 3000, "条", "approx")}),
        ("按照2019年第3号文件，收到政府信息公开申请5件。", {("applications_received", "", 5, "件", "exact")}),
        ("新闻发布会12场、吹风会5场。",
         {("press_conferences", "", 12, "场", "exact"), ("media_briefings", "", 5, "场", "exact")}),
        ("全年收到信息公开申请 1,234 件。", {("applications_received", "", 1234, "件", "exact")}),
        ("本机关未收到行政复议申请。", {("review_total", "", 0, "件", "exact")}),
        ("网站发布信息3000余条。", set()),  # 网站 counts websites, not posts
        ("公开行政处罚信息120条。", set()),  # table metric blocks
    ],
)
def test_prose_snippets(text, expected):
    assert prose(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the running total is a fact of its own, not this year's
        ("主动公开政府信息457条，历年累计主动公开政府信息837条。",
         {("proactive_disclosures", "", 457, "条", "exact"), ("proactive_disclosures", "cumulative", 837, "条", "exact")}),
        ("近3年共受理信息公开申请2件。", set()),  # several years
        ("主要类别有：机构职能类信息15条，政策类信息8条。", set()),  # categories of the total
        ("主动公开和依申请公开的政府信息共468条。", set()),  # a sum of two metrics
        ("其他应主动公开的政府信息2条。", set()),  # the last category
        ("另外一件申请公开“某某”信息。", set()),  # a part
        # 依申请公开 counted in 条: information of that class, not applications
        ("制作政府信息523条，主动公开政府信息94条，依申请公开信息数374条，不予公开信息数55条。",
         {("information_produced", "", 523, "条", "exact"), ("proactive_disclosures", "", 94, "条", "exact"),
          ("info_on_request", "", 374, "条", "exact"), ("info_withheld", "", 55, "条", "exact")}),
        ("网站设置政府信息公开查阅点数18个，局办公室共有5名人员兼职从事政府信息公开工作。",
         {("reading_points", "", 18, "个", "exact"), ("staff_parttime", "", 5, "名", "exact")}),
        ("“平潭国资”微信公众号累计推送150余条信息，点击浏览数量80000余次。",
         {("wechat_posts", "", 150, "条", "at_least"), ("website_visits", "", 80000, "次", "at_least")}),
        ("解读政策性文件8条。", {("policy_interpretations", "", 8, "条", "exact")}),
        ("被申请人并未收到申请人查询号为5的申请。", set()),  # 申请人 is a person, not "no application"
        ("2015年，我局未收到有关政府信息公开的申请。", {("applications_received", "", 0, "件", "exact")}),
        # parts of the information produced are metrics of their own, after 其中 too
        ("制作、获取政府信息总数473条，其中主动公开政府信息123条，依申请公开信息数142条。",
         {("information_produced", "", 473, "条", "exact"), ("proactive_disclosures", "", 123, "条", "exact"),
          ("info_on_request", "", 142, "条", "exact")}),
        ("在主动公开的51条政府信息中，全文电子化的主动公开信息数共9条。", set()),  # a subset
        ("回应依申请公开信息2条（属于已主动公开答复数1条）。", set()),  # replies, not applications
        ("我局在2011年度未收到申请行政复议、提起行政诉讼情况。",  # no review, not "no application"
         {("review_total", "", 0, "件", "exact"), ("litigation_total", "", 0, "件", "exact")}),
        ("对每一件申请进行认真登记。", set()),
        ("我局2011年度共主动公开政府信息18条，其中通过网站公开18条。",  # a channel of the total
         {("proactive_disclosures", "", 18, "条", "exact"), ("proactive_website", "", 18, "条", "exact")}),
        ("今年以来，共收到政府信息公开申请3件。", {("applications_received", "", 3, "件", "exact")}),
    ],
)
def test_prose_rules_from_the_pingtan_reports(text, expected):
    assert prose(text) == expected


def test_breadcrumb_on_the_body_line_does_not_hide_the_body():
    # web pages: "当前位置：…相关链接：" shares its line with the whole report
    path = PINGTAN / "jjf_2018_80541.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    report, facts = facts_of(path)
    assert any("当前位置" in report.text[s:e] for s, e in report.boilerplate)
    got = {(f.metric, f.value) for f in facts}
    assert {("information_produced", 523), ("proactive_disclosures", 94), ("info_on_request", 374),
            ("info_withheld", 55), ("policy_interpretations", 10)} <= got


def test_with_reader_if_available():
    try:
        from qa.read.report import read_report
        from qa.sections import split_sections
    except ImportError:
        pytest.skip("qa.read / qa.sections not available")
    for path in PATHS:
        report = read_report(path)
        for f in extract_prose_facts(report, split_sections(report)):
            assert f.quote == report.text[f.quote_start:f.quote_end]
            assert report.text[f.start:f.end] in f.quote


def test_information_issued_and_its_proactive_part():
    """jjf_2019 (2019 template, web page): "全年共制发政府信息437条，其中，主动公开政府信息55条" —
    制发 is how this report says 制作、获取; the part after 其中 is 主动公开."""
    from conftest import SHARED
    from qa.read.report import read_report
    from qa.sections import split_sections

    path = SHARED / "corpus" / "pingtan" / "jjf_2019_80565.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    report = read_report(path)
    facts = {(f.metric, f.value) for f in extract_prose_facts(report, split_sections(report))}
    assert {("information_produced", 437.0), ("proactive_disclosures", 55.0)} <= facts


def test_a_title_with_a_pipe_does_not_make_a_report_a_table():
    """scj_2023 is one web-page line quoting 《我为群众办实事|食用农产品快速检测结果天天报》: it is prose,
    and its sentences give their facts (1603条 WeChat posts; 34641 followers, a running total)."""
    from conftest import SHARED
    from qa.facts import extract_facts
    from qa.read.report import read_report
    from qa.sections import split_sections

    path = next((SHARED / "corpus" / "pingtan").glob("scj_2023_*.txt"))
    report = read_report(path)
    facts = {(f.metric, f.scope, f.value) for f in extract_facts(report, split_sections(report)) if f.source == "prose"}
    assert ("wechat_posts", "", 1603) in facts and ("microblog_followers", "cumulative", 34641) in facts
