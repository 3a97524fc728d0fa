"""Question understanding: agencies by any name, years in any form, the metric asked for."""

from __future__ import annotations

import pytest

from qa.understand import understand

KNOWN = ["外交部", "四川省人民政府外事办公室", "长春市人民政府外事(侨务)办公室", "辽宁省人民政府外事办公室",
         "淮安市人民政府", "淮安市洪泽区人民政府"]


@pytest.mark.parametrize("question,agencies,years,metric", [
    ("外交部2013年因政府信息公开申请行政复议的案件有多少起?", ["外交部"], [2013], "review_total"),
    ("how many 行政复议 cases did 外交部 report in 2013?", ["外交部"], [2013], "review_total"),
    ("How many applications did the Ministry of Foreign Affairs receive in 2012?", ["外交部"], [2012],
     "applications_received"),
    ("MFA press conferences in 2013?", ["外交部"], [2013], "press_conferences"),
    ("外交部二〇一三年收到多少申请?", ["外交部"], [2013], "applications_received"),
    ("四川省外辦2013年主動公開了多少條政府信息?", ["四川省人民政府外事办公室"], [2013], "proactive_disclosures"),
    ("長春市外辦2012年有多少人次諮詢?", ["长春市人民政府外事(侨务)办公室"], [2012], "consultations"),
    ("淮安市2024年予以公开的政府信息公开申请总计多少件？", ["淮安市人民政府"], [2024], "result_public"),
    ("洪泽区2023年行政处罚决定数量?", ["淮安市洪泽区人民政府"], [2023], "admin_penalty"),
    ("外交部2013年“外交小灵通”微博粉丝总数是多少？", ["外交部"], [2013], "microblog_followers"),
    ("How much did the Foreign Ministry charge in fees for information requests in 2012?", ["外交部"], [2012],
     "fees_charged"),
])
def test_resolves_agency_year_metric(question, agencies, years, metric):
    q = understand(question, KNOWN)
    assert (q.agencies, q.years, q.metric) == (agencies, years, metric)


def test_languages_and_scripts():
    assert understand("外交部2013年收到多少申请?", KNOWN).language == "zh"
    assert understand("How many requests did MFA receive in 2013?", KNOWN).language == "en"
    assert understand("how many 行政复议 cases did 外交部 report in 2013?", KNOWN).language == "mixed"
    assert understand("四川省外辦2013年主動公開了多少條政府信息?", KNOWN).script == "traditional"


def test_relative_years_and_unknown_agencies_are_flagged():
    assert understand("外交部去年收到多少申请?", KNOWN).unsupported
    assert understand("商务部2013年收到多少份政府信息公开申请?", KNOWN).unknown_agency == "商务部"
    assert understand("How many requests did the Ministry of Commerce receive in 2013?", KNOWN).unknown_agency
    assert understand("外交部2013年部分公开多少件?", KNOWN).unknown_agency is None


def test_intents():
    assert understand("外交部2012到2013年收到的申请数怎么变化?", KNOWN).intent == "compare"
    assert understand("哪些机关2012年没有行政复议案件?", KNOWN).intent == "list"
    assert understand("外交部2013年通过哪些渠道主动公开政府信息？", KNOWN).intent == "narrative"
    assert understand("外交部2013年收到多少申请?", KNOWN).intent == "lookup"


@pytest.mark.parametrize("text,years", [
    ("平潭社会事业局2022年到2024年每年解读政策性文件的数量有什么变化？", [2022, 2023, 2024]),
    ("How did X change from 2019 to 2021?", [2019, 2020, 2021]),
    ("2019-2021年", [2019, 2020, 2021]),
    ("2013年和2014年", [2013, 2014]),
])
def test_a_range_of_years_is_every_year_in_it(text, years):
    from qa.understand import find_years

    assert find_years(text) == years


@pytest.mark.parametrize("text,years", [
    ("平潭财金局21年行政事业性收费收了多少钱", [2021]),
    ("財金局22年和23年行政事業性收費", [2022, 2023]),
    ("21到23年各收到多少申请", [2021, 2022, 2023]),
    ("2019年到21年", [2019, 2020, 2021]),
    # spans of time, not years
    ("近20年来", []), ("用了10年", []), ("30年间", []), ("收到12.5年", []),
])
def test_two_digit_years(text, years):
    from qa.understand import find_years

    assert find_years(text) == years
