"""Agency linking on the real agency names of the Pingtan corpus (tune departments only).

The names and years come from ../shared/corpus/pingtan/MANIFEST.tsv as the report titles write
them; no list of aliases is involved: short forms, older names, English names and place-only
questions are linked by rule, and a question never gets an agency it did not name.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from conftest import SHARED
from qa.link import describe_years
from qa.understand import understand

MANIFEST = SHARED / "corpus" / "pingtan" / "MANIFEST.tsv"
TUNE = ("czj", "gwh", "gyz", "jjf", "scj", "shs")


@pytest.fixture(scope="module")
def held() -> dict[str, list[int]]:
    years: dict[str, set[int]] = defaultdict(set)
    with MANIFEST.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["file"].startswith(TUNE):
                years[row["agency"]].add(int(row["year"]))
    return {a: sorted(ys) for a, ys in years.items()}


@pytest.mark.parametrize("question,agency", [
    ("平潭县财政局2012年收到多少申请？", "平潭县财政局"),  # the full old name
    ("平潭财政局2012年收到多少申请？", "平潭县财政局"),  # one character dropped: the county bureau
    ("平潭财金局2015年主动公开了多少条信息？", "平潭综合实验区财政金融局"),  # 财金局 → 财政金融局
    ("实验区经发局2022年收到多少申请？", "平潭综合实验区经济发展局"),  # 经发局 → 经济发展局
    ("平潭管委会办公室2021年主动公开了多少条信息？", "平潭综合实验区管委会办公室"),
    ("平潭國資局2020年點擊瀏覽數量是多少？", "平潭综合实验区国有资产管理局"),  # traditional
    ("平潭市场监管局2022年行政许可处理决定数量是多少？", "平潭综合实验区市场监督管理局"),
    ("平潭县卫生局2012年主动公开了多少条信息？", "平潭县卫生局"),
    ("How many items did the Pingtan County Finance Bureau proactively disclose in 2010?", "平潭县财政局"),
    ("How many items did the Pingtan County Bureau of Letters and Calls disclose in 2011?", "平潭县信访局"),
    ("What did the Pingtan Comprehensive Experimental Zone Social Affairs Bureau's report say in 2022?",
     "平潭综合实验区社会事业局"),
    ("How many items did the Pingtan County Administration for Industry and Commerce disclose in 2012?",
     "平潭县工商局"),
    ("How many applications did the Pingtan Market Supervision Administration receive in 2019?",
     "平潭综合实验区市场监督管理局"),
    ("How many 政策解读 did 平潭综合实验区经济发展局 publish in 2020?", "平潭综合实验区经济发展局"),
    ("How many posts did the “平潭国资” WeChat account push in 2021?", "平潭综合实验区国有资产管理局"),
])
def test_short_old_and_english_names_link(held, question, agency):
    q = understand(question, held)
    assert q.agencies == [agency], (q.agencies, q.agency_candidates, q.unknown_agency, q.agency_mentions)
    assert not q.unknown_agency and not q.agency_candidates


@pytest.mark.parametrize("question", [
    "平潭经发局2012年收到多少申请？",  # 平潭县经济发展局 and 平潭综合实验区经济发展局 both report 2012
    "平潭2021年收到多少政府信息公开申请？",  # only the place: every 2021 agency of 平潭 fits
    "平潭局2019年收到多少申请？",
])
def test_several_candidates_answer_for_none(held, question):
    q = understand(question, held)
    assert q.agencies == [] and len(q.agency_candidates) >= 2, q


@pytest.mark.parametrize("question,mention", [
    ("平潭综合实验区农村发展局2020年主动公开了多少条政府信息？", "农村发展局"),  # 发展局 fits, 农村 does not
    ("平潭综合实验区自然资源与规划局2022年收到多少申请？", "自然资源与规划局"),
    ("How many applications did the Pingtan Bureau of Statistics receive in 2021?", "Statistics"),
    ("商务部2013年收到多少份政府信息公开申请？", "商务部"),
])
def test_unknown_agencies_are_named_not_guessed(held, question, mention):
    q = understand(question, held)
    assert q.agencies == [] and not q.agency_candidates, q
    assert q.unknown_agency and mention in q.unknown_agency


@pytest.mark.parametrize("question", [
    "How many government information items were disclosed in 2021?",  # "government" names no agency
    "2013年收到多少政府信息公开申请？",  # 政府 inside 政府信息公开
])
def test_institution_words_alone_name_no_agency(held, question):
    q = understand(question, held)
    assert q.agencies == [] and not q.agency_candidates and not q.unknown_agency, q


def test_year_narrows_a_short_form(held):
    """平潭财金局 fits both finance bureaus' names; only the 财政金融局 reports 2016 under a full name."""
    q2013 = understand("平潭财政金融局2013年主动公开了多少条？", held)
    assert q2013.agencies == ["平潭综合实验区财政金融局"]
    q2010 = understand("平潭财政局2010年主动公开了多少条？", held)
    assert q2010.agencies == ["平潭县财政局"]


def test_years_held_are_folded(held):
    line = describe_years("平潭综合实验区财政金融局", held)
    assert line.startswith("平潭综合实验区财政金融局: 2012–") and "2016" not in line.split("–")[0]
