"""The eval counts answers that cite a report of an agency the question did not name."""

from __future__ import annotations

from qa.eval import GoldItem, other_agency_citations
from qa.types import Answer, Citation


def _answer(mode: str, *cites: tuple[str, str]) -> Answer:
    return Answer(question="q", text="t", mode=mode, citations=[
        Citation(report_id=stem, path=f"/x/{stem}.txt", agency=agency, quote="…", start=0, end=1)
        for stem, agency in cites])


GOLD = GoldItem(id="x", question="平潭公安局2021年收到多少申请？", kind="numeric", language="simplified",
                agency="平潭综合实验区公安局", year=2021, value=3, evidence=[{"report": "gaj_2021_80607", "quote": "3"}])
ABSENT = GoldItem(id="y", question="平潭统计局2021年收到多少申请？", kind="absent", language="simplified",
                  agency="平潭综合实验区统计局", year=2021)


def test_citing_another_agencys_report_is_counted():
    answer = _answer("fact", ("gaj_2021_80607", "平潭综合实验区公安局"), ("hzs_2021_80609", "平潭综合实验区行政审批局"))
    assert other_agency_citations(GOLD, answer) == ["hzs_2021_80609"]


def test_gold_reports_and_the_named_agency_are_fine():
    answer = _answer("fact", ("gaj_2021_80607", "平潭综合实验区公安局"), ("gaj_2022_80624", "平潭综合实验区公安局"))
    assert other_agency_citations(GOLD, answer) == []


def test_an_answer_to_an_absent_question_from_another_agency_is_counted_an_abstention_is_not():
    assert other_agency_citations(ABSENT, _answer("fact", ("jjf_2021_80608", "平潭综合实验区经济发展局")))
    assert other_agency_citations(ABSENT, _answer("abstain", ("jjf_2021_80608", "平潭综合实验区经济发展局"))) == []
