"""Questions of the fourth round of readers who never saw the tool (eval/gold_pingtan_tune_n … q),
on real Pingtan reports of tune departments, and the general rules their first-contact failures
asked for. Each expected value was read from the report's sentence or table row quoted beside it.
Every answer comes without the LLM (QA_LLM=none): fact, extract or abstain.
"""

from __future__ import annotations

import pytest

from conftest import ask_without_llm, assert_counted, pingtan_store

REPORTS = ["czj_2011", "gwh_2024", "scj_2021", "scj_2011", "scj_2017", "scj_2019", "scj_2020", "gyz_2021", "gyz_2023", "jjf_2017", "jjf_2018", "jjf_2019", "jjf_2020",
           "jjf_2021", "jjf_2022", "czj_2020", "czj_2021", "czj_2024", "gwh_2021", "shs_2015", "shs_2016", "shs_2025"]


@pytest.fixture(scope="module")
def pingtan(settings, tmp_path_factory):
    return pingtan_store(settings, tmp_path_factory, REPORTS)


_ask = ask_without_llm


@pytest.mark.parametrize("question,value,quote", [
    # 21年 / 25年: a year typed with two digits
    ("平潭财金局21年行政事业性收费收了多少钱？", 7816, "行政事业性收费7816"),
    ("管委会办公室21年收了几件依申请？", 23, ""),
    ("实验区经发局21年收了几件申请？", 0, ""),
    # 受理了多少件 when the report counts requests in 条: 件 is the metric's own counter, not the
    # 1件 of another figure in a sentence that writes 件
    ("平潭綜合實驗區市場監督管理局2017年受理了多少件依申請公開？", 5, "5条"),
    # 点击量: views, in 次 (not the 33条 posted in the same sentence)
    ("国资局2021年国资动态栏目点击量大概多少？", 100000, "近10万次"),
    # 论坛等活动上: bigrams made of a particle (坛等, 等活) weigh nothing
    ("平潭综合实验区经济发展局2018年在创新论坛等活动上共发布、解读了多少条政策？", 10, "解读政策10条"),
    # the agency's words between two question words do not join them into a metric's name
    ("Of the FOI applications the Pingtan Economic Development Bureau handled in 2022, how many were only "
     "partly disclosed?", 3, "部分公开"),
    # a procurement row whose cells carry their units (政府集中采购 2笔 984361元)
    ("What was the total value of centralised government procurement in Pingtan's finance bureau's 2020 report?",
     984361, "984361元"),
    # a zero in words, its head only "such a case" (无向申请人收取…费用的情况)
    ("平潭社会事业局2025年向申请人收取了多少政府信息公开费用？", 0, "无向申请人收取政府信息公开费用的情况"),
    # items / documents withheld: the bureau's own documents (不予公开信息数), not requests withheld —
    # also after 制发…其中 where 不予公开 is the name of a table row, and under the misprint 不子公开
    ("how many items did the pingtan finance bureau decide not to disclose in 2024?", 81, "不子公开信息数81条"),
    ("How many documents did the Pingtan Economic Development Bureau withhold from disclosure in 2020?", 96,
     "不予公开96条"),
    ("What was the number of items the pingtan state assets bureau counted as disclosable on request for 2023?",
     16, "依申请公开信息数16条"),
    # 没有收到申请公开的信息涉及“不予公开”的 says no request touched 不予公开, not that none came
    ("How many open-government requests did Pingtan's economic development bureau get in 2017?", 2,
     "共收到信息公开申请2件"),
    # zeros in words: 未收取信息处理费, 没有产生信息公开处理费; the 2011 statistics table's 查询点数 row
    ("Did 平潭管委会办公室 collect any 信息处理费 (information processing fees) in 2024?", 0, "未收取信息处理费"),
    ("Did Pingtan's market regulator charge anyone processing fees for FOI requests in 2021?", 0,
     "没有产生信息公开处理费"),
    ("How many 政府信息公开查询点 did 平潭县财政局 report in its 2011 statistics table?", 0, "查询点数件0"),
])
def test_fresh_questions_are_answered(pingtan, question, value, quote):
    assert_counted(_ask(question, pingtan), value, quote)


def test_a_negation_of_another_noun_is_no_zero(pingtan):
    """全年未收到因政府信息公开申请的行政复议…: what was not received is 行政复议, so the 2011 质监局
    report says nothing of how many requests came in."""
    answer = _ask("How many freedom-of-information requests did the Pingtan County Quality and Technical "
                  "Supervision Bureau receive in 2011?", pingtan)
    assert answer.mode == "abstain", answer.text


def test_running_followers_compared(pingtan):
    """累计关注用户 asks for the running total (累计总关注用户达7516人), not the year's new 3201."""
    answer = _ask("平潭市场监管局 2019 vs 2020 公众号累计关注用户 compare", pingtan)
    values = {(f.year, f.value) for f in answer.facts}
    assert {(2019, 7516), (2020, 14453)} <= values, answer.text
    assert (2019, 3201) not in values, answer.text


@pytest.mark.parametrize("question,values", [
    ("財金局20年和21年行政事業性收費金額各多少？", {(2021, 7816)}),
    ("Compare how many pieces of government information the Pingtan Economic Development Bureau produced in "
     "2019 and in 2020.", {(2019, 437), (2020, 487)}),
    ("What were the page visits of the Pingtan Social Affairs Bureau's website column in 2015 and 2016?",
     {(2015, 4842), (2016, 6021)}),
])
def test_comparisons(pingtan, question, values):
    answer = _ask(question, pingtan)
    assert values <= {(f.year, f.value) for f in answer.facts}, answer.text


def test_requests_withheld_stay_requests(pingtan):
    """A word for requests keeps the request results (jjf 2022: 0); items are the bureau's own
    documents (不予公开67条)."""
    requests = _ask("How many requests did the Pingtan Economic Development Bureau withhold in 2022?", pingtan)
    assert requests.value == 0 and requests.query.metric == "withheld_total", requests.text
    items = _ask("How many items did the Pingtan Economic Development Bureau withhold in 2022?", pingtan)
    assert_counted(items, 67, "不予公开67条")


def test_an_amount_of_information_is_a_count(pingtan):
    """"the amount of information … classified as not to be disclosed": a count in 条, not money."""
    answer = _ask("How did the amount of information the Pingtan Finance and Financial Affairs Bureau classified "
                  "as not to be disclosed change from 2020 through 2021?", pingtan)
    assert {(2020, 95), (2021, 137)} <= {(f.year, f.value) for f in answer.facts}, answer.text


def test_one_figure_in_two_units_is_given_in_the_unit_asked():
    """3次 and 3场 of the same press conferences: "conferences" are counted in 场."""
    from qa.answer.units import unit_preference

    assert unit_preference("How many press conferences did the bureau hold in 2015?")[0] == "场"
    assert unit_preference("2015年召开了几次新闻发布会？")[0] == "次"
    assert unit_preference("How many requests did the bureau receive in 2024?") == ()
