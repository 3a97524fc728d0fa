"""English questions as readers who never saw the tool write them (eval/gold_pingtan_tune_c/d/e),
on real Pingtan reports of tune departments, and the rules they needed.

Each expected value was read from the report's sentence or table row quoted beside it. Every
answer must come without the LLM (QA_LLM=none): fact, extract or abstain.
"""

from __future__ import annotations

import pytest

from conftest import ask_without_llm, assert_counted, pingtan_store

REPORTS = ["jjf_2014", "jjf_2018", "jjf_2025", "gwh_2012", "gwh_2014", "gwh_2017", "gwh_2020", "gwh_2023", "gwh_2024",
           "shs_2023", "shs_2025", "czj_2016", "czj_2017", "czj_2021", "czj_2022", "scj_2013", "scj_2018", "scj_2025",
           "gyz_2019", "gyz_2022", "gwh_2025", "jjf_2011", "jjf_2024", "scj_2011", "scj_2017", "jjf_2016", "jjf_2019",
           "scj_2019"]


@pytest.fixture(scope="module")
def pingtan(settings, tmp_path_factory):
    return pingtan_store(settings, tmp_path_factory, REPORTS)


_ask = ask_without_llm


@pytest.mark.parametrize("question,value,quote", [
    # an item of an enumeration: its own phrase (行政许可的事项、…实施情况17条) names it, not the next item
    ("In 2014, how many of the Pingtan Economic Development Bureau's proactively disclosed items concerned "
     "administrative licensing?", 17, "实施情况17条"),
    # "produced" is 制作 (not the 94条 主动公开 of the same sentence)
    ("What was the number of government information items the Pingtan Economic Development Bureau produced "
     "in 2018?", 523, "共制作政府信息523条"),
    ("How many pieces of government information did the Pingtan Comprehensive Experimental Zone Management "
     "Committee Office produce in 2014?", 152, "共制作政府信息 152条"),
    # a template row: 予以公开 of the applications table answers "fully granted requests", not 依申请公开177条
    ("How many information requests were fully granted by Pingtan's Economic Development Bureau in 2025?",
     3, "予以公开"),
    # "without prior administrative reconsideration" is the direct-litigation column, not reconsideration
    ("How many lawsuits over information disclosure were filed directly in court, without prior administrative "
     "reconsideration, against the Pingtan Social Affairs Bureau in 2025?", 6, ""),
    # a Chinese metric name outweighs an English word: 复议后起诉, not all lawsuits (5)
    ("In its 2023 report, how many 复议后起诉 lawsuits (total) did 平潭综合实验区社会事业局 report?", 1, ""),
    # a two-word metric name in either order: "released proactively"
    ("How many documents were released proactively by the Pingtan Comprehensive Experimental Zone Finance and "
     "Financial Affairs Bureau in 2022?", 123, "123条"),
    # an English word naming a part of the proactive total (institutional functions → 机构职能)
    ("How many items on institutional functions did the Pingtan Management Committee Office proactively publish "
     "in 2017?", 25, "机构职能类信息25条"),
    ("How many items on institutional functions did the Pingtan Finance & Financial Affairs Bureau publish "
     "proactively in 2016?", 45, "45条"),
    # "count" and "give" name nothing: the proactive total, never 本报告由…5个部分
    ("Give the count of information items proactively disclosed by Pingtan's Finance and Financial Affairs "
     "Bureau in 2017.", 69, "69条"),

    # the result columns of the review and litigation table asked in words
    ("In 2025, in how many administrative reconsideration cases over information disclosure was the Pingtan Social "
     "Affairs Bureau's decision corrected?", 1, ""),
    ("How many FOI lawsuits filed directly against the Pingtan Social Affairs Bureau (without prior reconsideration) "
     "ended with the bureau upheld in 2023?", 3, ""),
    # template rows as readers name them
    ("how many FOI requests got turned down by pingtan's market regulator in 2025?", 3, ""),
    ("Were any information requests still pending at year end at the Pingtan Market Supervision Administration in "
     "2025? How many were carried over?", 2, ""),
    # AIC is 工商 (平潭县工商局)
    ("How many person-times did the Pingtan County AIC send to higher-level training on information disclosure in "
     "2013?", 4, "4人次"),
    # did … any: a count, here none in words of the report's own enumeration
    ("Did 平潭国资局 publish any 财务预算、决算 information in 2019?", 0, "财务预算、决算信息0条"),
    # an English term the reports write two ways (专项资金 here, not 专项经费)
    ("How many items on the use of special funds did the Pingtan Finance and Financial Affairs Bureau disclose in "
     "2021?", 62, "专项资金使用情况公开共62条"),
    # a category item of an enumeration: its own words, never the next item's (其他应主动公开…6条)
    ("How many 行政处罚类 items did 平潭综合实验区市场监督管理局 publish proactively in 2018?", 67, "行政处罚类67条"),
    # 季度 is a word of the question (度 is no question word)
    ("How many 季度通报 did 平潭管委会办公室 issue in 2023?", 3, "季度通报3次"),
    # money asked in English: 元, not the 197批次 of the same sentence
    ("How much money was involved in the procurement notices the Pingtan Management Committee Office put out in "
     "2020?", 3601627.4, "3601627.4元"),
])
def test_english_counts(pingtan, question, value, quote):
    assert_counted(_ask(question, pingtan), value, quote)


@pytest.mark.parametrize("question", [
    # the report counts its WeChat posts (108条), never its followers
    "How many followers did the 'Pingtan Guozi' (平潭国资) WeChat account of the Pingtan State-owned Assets "
    "Administration Bureau have in 2022?",
    "平潭经发局的微信公众号2024年有多少关注用户？",
    # the portal's 7700余条 items are not visits
    "How many visits did the Pingtan government portal receive in 2025, according to the Pingtan Management "
    "Committee Office's report?",
])
def test_a_figure_of_another_kind_is_no_answer(pingtan, question):
    answer = _ask(question, pingtan)
    assert answer.mode == "abstain" and answer.value is None, answer.text


@pytest.mark.parametrize("question,value", [
    # the table row names 公报: another sentence's 26条 (without 公报) does not replace it
    ("平潭縣司法局2012年通過政府公報公開的信息有多少條？", 0),
    # the 2009–2018 statistics rows by their own names
    ("平潭县经贸局 2011 统计表: what was the 对申请的答复总数?", 0),
    # "in total" of one report is that report's figure (the running total asked for), not a table of one row
    ("By the end of 2017, how many items in total had the Pingtan Comprehensive Experimental Zone Market Supervision "
     "Administration proactively disclosed (cumulative)?", 837),
    ("Was the Pingtan Market Supervision Administration sued in court over information disclosure in 2017?", 0),
    ("平潭縣食品藥品監督管理局2011年政府信息公開收了多少費用？", 0),
    # a running total asked in English words: 累计总关注用户 7516, not the 3201 new followers
    ("What's the figure for total followers of the Pingtan Market Supervision Administration's official WeChat "
     "account at the end of 2019?", 7516),
    # the 2019 template's 上一年项目数量 column, asked in English
    ("According to the 2019 disclosure table of the Pingtan Economic Development Bureau, how many administrative "
     "penalty items were on record for the previous year?", 12),
])
def test_rows_and_yes_no_questions(pingtan, question, value):
    answer = _ask(question, pingtan)
    assert answer.mode in ("fact", "extract") and answer.value == value, answer.text


def test_a_total_of_none_answers_the_amount(pingtan):
    """无收费及减免情况: the fee is 0, and so is its amount (the question names 金额)."""
    answer = _ask("平潭县司法局2012年依申请公开收费及减免金额是多少？", pingtan)
    assert answer.mode == "fact" and answer.value == 0, answer.text


def test_a_comparison_cites_the_sentence_not_the_glued_row(pingtan):
    """The table row '本年新收…210000021' shows 21 to no reader; the same report's sentence does."""
    answer = _ask("Compare the number of 政府信息公开申请 received by 平潭综合实验区管委会办公室 in 2023 and 2024.",
                  pingtan)
    assert {f.value for f in answer.facts if f.value is not None} >= {21, 19}, answer.text
    quotes = [c.quote for c in answer.citations]
    assert any("申请21件" in q for q in quotes) and any("申请19件" in q for q in quotes), quotes


def test_a_place_and_no_agency_we_can_link_answers_for_none(pingtan):
    """'Pingtan's …' with no linkable agency: the place's agencies are listed, no number is given,
    never the figures of every agency of that year."""
    answer = _ask("What share of the government information produced by the Pingtan Zhuanxiang Ju in 2017 was "
                  "proactively disclosed?", pingtan)
    assert answer.mode == "abstain" and answer.value is None and not answer.facts and not answer.citations, answer.text


def test_an_agency_name_names_no_metric():
    """'market regulator' is who, not regulations; an English scope word only as a whole word."""
    from qa.understand import understand

    agencies = {"平潭综合实验区市场监督管理局": [2021], "平潭综合实验区社会事业局": [2021]}
    query = understand("How many applications did the Pingtan Market Supervision Administration receive in 2021?",
                       agencies)
    assert query.metric == "applications_received" and query.agencies == ["平潭综合实验区市场监督管理局"]
    query = understand("How did the total amount of government information produced or obtained by the Pingtan "
                       "Social Affairs Bureau change from 2020 to 2021?", agencies)
    assert query.metric == "information_produced"


def test_a_comparison_of_parts_reads_each_reports_part(pingtan):
    """Work-news items (工作动态) within the proactive totals (32, 116): each report's own item."""
    answer = _ask("Compare the number of work-news items proactively disclosed by the Pingtan Economic Development "
                  "Bureau in 2014 and in 2016.", pingtan)
    values = {(f.year, f.value) for f in answer.facts if f.source != "computed"}
    assert values == {(2014, 8), (2016, 58)}, answer.text
