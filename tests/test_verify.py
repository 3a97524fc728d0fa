"""verify_answer on hand-written answers: every number classified, bad markers removed."""

from __future__ import annotations

from qa.types import Citation, Fact
from qa.answer.verify import verify_answer

Q_APPS = "2013年，外交部共收到政府信息公开申请87份，已按《条例》有关规定及时答复。"
Q_REVIEW = "2013年，外交部依法办结因政府信息公开申请行政复议案件90起。"
Q_WEB = "在外交部门户网站主动发布信息15万余条，日均点击量700余万次。“外交小灵通”微博全年发布信息1.1万条。"
Q_PRESS = "全年共举行例行记者会近200场，发言人通过记者会和电话回答记者提问5000余条。"


def src(quote: str, report_id: str = "r2013", start: int = 0) -> Citation:
    return Citation(report_id=report_id, agency="外交部", year=2013, section="三、依申请公开信息情况",
                    quote=quote, start=start, end=start + len(quote))


def fact(metric: str, value: float, unit: str = "件", report_id: str = "r2013") -> Fact:
    return Fact(report_id=report_id, agency="外交部", year=2013, metric=metric, value=value, unit=unit,
                start=0, end=2, quote=Q_APPS, quote_start=0, quote_end=len(Q_APPS))


def outcomes(res):
    return [(c.raw, c.outcome) for c in res.checks]


def test_correct_number_is_verified():
    res = verify_answer("2013年外交部共收到政府信息公开申请87份[1]。", [src(Q_APPS)], [])
    assert res.status == "verified"
    assert outcomes(res) == [("87份", "source")]  # the year is not checked
    assert res.cited == [1]


def test_changed_number_is_caught_by_the_source():
    res = verify_answer("2013年外交部共收到政府信息公开申请85份[1]。", [src(Q_APPS)], [])
    assert res.status == "unverified"
    (c,) = res.checks
    assert c.outcome == "contradicted" and c.expected == 87
    assert res.unverified_numbers == ["85份"]
    assert "85份" in res.text  # no fact: flagged, not rewritten


def test_changed_number_is_corrected_by_a_fact():
    facts = [fact("applications_received", 87, "份")]
    res = verify_answer("2013年外交部共收到政府信息公开申请85份[1]。", [src(Q_APPS)], facts)
    assert res.status == "corrected"
    assert res.checks[0].outcome == "corrected" and res.checks[0].replacement == "87"
    assert "申请87份[1]" in res.text
    assert any("corrected 85份" in w for w in res.warnings)


def test_number_present_elsewhere_in_source_but_fact_of_metric_disagrees():
    # 90 appears in the cited text (review cases), but the metric named is applications.
    quote = Q_APPS + Q_REVIEW
    facts = [fact("applications_received", 87, "份"), fact("review_total", 90, "起")]
    res = verify_answer("外交部共收到政府信息公开申请90份[1]。", [src(quote)], facts)
    assert res.checks[0].metric == "applications_received"
    assert res.checks[0].outcome == "corrected"
    assert "申请87份" in res.text


def test_ambiguous_fact_values_are_flagged_not_rewritten():
    facts = [fact("applications_received", 87, "份"), fact("applications_received", 12, "份")]
    res = verify_answer("共收到政府信息公开申请85份[1]。", [src(Q_APPS)], facts)
    assert res.status == "unverified"
    assert res.checks[0].outcome == "contradicted"
    assert "85份" in res.text


def test_number_equal_to_a_fact_of_the_cited_report():
    quote = "外交部认真做好依申请公开工作。"  # the span itself has no number
    res = verify_answer("共收到政府信息公开申请87份[1]。", [src(quote)], [fact("applications_received", 87, "份")])
    assert res.status == "verified"
    assert res.checks[0].outcome == "fact"


def test_fact_of_another_report_does_not_count():
    quote = "外交部认真做好依申请公开工作。"
    res = verify_answer("共收到申请87份[1]。", [src(quote)], [fact("applications_received", 87, "份", "r2012")])
    assert res.status == "unverified"
    assert res.checks[0].outcome == "unsupported"


def test_number_without_citation():
    res = verify_answer("外交部共收到政府信息公开申请87份。\n另有行政复议案件12起[1]。", [src(Q_APPS)], [])
    got = dict(outcomes(res))
    assert got["87份"] == "found_uncited"  # stated by a source: kept, but warned
    assert got["12起"] == "unsupported"
    assert any("no citation" in w for w in res.warnings)
    res = verify_answer("外交部共收到政府信息公开申请33份。", [src(Q_APPS)], [])
    assert outcomes(res) == [("33份", "uncited")]
    assert res.status == "unverified" and res.unverified_numbers == ["33份"]


def test_wan_units_and_commas():
    res = verify_answer("微博全年发布信息11000条[1]，门户网站发布信息15万余条[1]。", [src(Q_WEB)], [])
    assert res.status == "verified", res.checks
    res = verify_answer("微博全年发布信息11,000条[1]，门户网站发布信息150,000余条[1]。", [src(Q_WEB)], [])
    assert res.status == "verified", res.checks
    res = verify_answer("Its Weibo account posted 1.1 million items [1].", [src(Q_WEB)], [])
    assert res.status == "unverified"  # 1.1 million != 1.1万
    res = verify_answer("Its Weibo account posted 11,000 items [1].", [src(Q_WEB)], [])
    assert res.status == "verified"


def test_wan_in_answer_vs_plain_number_in_source():
    res = verify_answer("发言人回答记者提问0.5万余条[1]。", [src(Q_PRESS)], [])
    assert res.status == "verified"
    res = verify_answer("发言人回答记者提问1.1万条[1]。", [src("回答提问11000条。")], [])
    assert res.status == "verified"


def test_nearly_200_matches_200():
    res = verify_answer("全年举行例行记者会200场[1]。", [src(Q_PRESS)], [])
    assert outcomes(res) == [("200场", "source")]
    res = verify_answer("全年举行例行记者会近200场[1]。", [src("全年共举行例行记者会200场。")], [])
    assert outcomes(res) == [("近200场", "source")]
    res = verify_answer("全年举行例行记者会近190场[1]。", [src("全年共举行例行记者会200场。")], [])
    assert res.status == "unverified"


def test_chinese_numerals():
    res = verify_answer("外交部办结行政复议案件九十起[1]。", [src(Q_REVIEW)], [])
    assert outcomes(res) == [("九十起", "source")]
    res = verify_answer("外交部办结行政复议案件八十起[1]。", [src(Q_REVIEW)], [])
    assert res.status == "unverified" and res.checks[0].expected == 90
    res = verify_answer("外交部办结行政复议案件90起[1]。", [src("办结行政复议案件九十起。")], [])
    assert res.status == "verified"


def test_citation_to_missing_source_is_removed():
    res = verify_answer("外交部共收到政府信息公开申请87份[1][7]。", [src(Q_APPS)], [])
    assert res.removed_citations == 1
    assert "[7]" not in res.text and "[1]" in res.text
    assert res.status == "verified"
    res = verify_answer("共收到申请87份[1, 7]，办结复议案件90起【9】。", [src(Q_APPS), src(Q_REVIEW)], [])
    assert res.removed_citations == 2
    assert res.text == "共收到申请87份[1]，办结复议案件90起。"
    assert res.cited == [1]


def test_only_bad_marker_makes_number_uncited():
    res = verify_answer("外交部办结行政复议案件90起[7]。", [src(Q_APPS)], [])
    assert res.removed_citations == 1
    assert res.checks[0].outcome == "uncited"


def test_years_ordinals_sections_are_not_checked():
    text = (
        "2014年外交部重点做好以下工作[1]：\n"
        "一是不断完善平台和渠道建设[1]；二是健全舆情收集机制[1]。\n"
        "1. 进一步理顺工作机制[1]。\n"
        "（三）加强能力建设，第三届论坛[1]。统计期限自2013年1月1日起至2013年12月31日止[1]。"
    )
    res = verify_answer(text, [src("存在的问题及改进措施")], [])
    assert res.checks == []
    assert res.status == "verified"


def test_marker_after_punctuation_cites_the_sentence_before():
    res = verify_answer("共收到政府信息公开申请87份。[1] 另外……", [src(Q_APPS)], [])
    assert outcomes(res) == [("87份", "source")]


def test_marker_later_in_paragraph_covers_earlier_sentence():
    res = verify_answer("共收到政府信息公开申请87份。均已按时答复[1]。", [src(Q_APPS)], [])
    assert outcomes(res) == [("87份", "source")]


def test_traditional_script_answer():
    res = verify_answer("外交部共收到政府資訊公開申請87份[1]，辦結行政復議案件九十起[2]。",
                        [src(Q_APPS), src(Q_REVIEW)], [])
    assert res.status == "verified", res.checks


def test_number_checked_against_its_own_clause_citation():
    res = verify_answer("共收到申请87份[1]，办结复议案件90起[1]。", [src(Q_APPS), src(Q_REVIEW)], [])
    got = dict(outcomes(res))
    assert got["87份"] == "source"
    assert got["90起"] in ("unsupported", "contradicted")  # [1] does not say 90


def test_traditional_answer_contradiction_and_metric_words():
    res = verify_answer("外交部共收到政府資訊公開申請85份[1]。", [src(Q_APPS)], [])
    assert res.checks[0].outcome == "contradicted" and res.checks[0].expected == 87
    facts = [fact("applications_received", 87, "份")]
    res = verify_answer("外交部共收到政府資訊公開申請85份[1]。", [src(Q_APPS)], facts)
    assert res.status == "corrected" and "申請87份" in res.text


def test_attach_missing_citation_by_overlap():
    res = verify_answer("外交部共收到政府信息公开申请87份，已按条例有关规定及时答复。", [src(Q_REVIEW), src(Q_APPS)], [],
                        attach_missing=True)
    assert res.added_citations == 1 and "答复[2]。" in res.text
    assert res.checks[0].outcome == "source" and res.cited == [2]
    res = verify_answer("这是一句与来源毫无关系的话，讲的是天气很好。", [src(Q_APPS)], [], attach_missing=True)
    assert res.added_citations == 0 and res.cited == []


def test_english_answer_sentences():
    res = verify_answer(
        "The ministry received 87 applications [1]. It handled 90 reconsideration cases [2]. Weibo posted 1.1 million.",
        [src(Q_APPS), src(Q_REVIEW)], [])
    got = dict(outcomes(res))
    assert got["87"] == "source" and got["90"] == "source"
    assert res.checks[2].outcome == "unsupported" and res.checks[2].value == 1_100_000  # paragraph cites [1],[2]
