"""Retrieval on the real seeds: the gold sentence is in the top 3 chunks; named years never mix."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from qa.retrieve import retrieve
from qa.understand import understand

QUESTIONS = [json.loads(line) for line in (ROOT / "eval" / "retrieval.jsonl").read_text().splitlines() if line]


@pytest.mark.parametrize("q", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_gold_sentence_in_top3(q, store, settings):
    query = understand(q["question"], store.agencies())
    hits = retrieve(query, store, settings, k=3)
    assert any(q["gold"] in h.chunk.text for h in hits), [h.chunk.text[:40] for h in hits]


def test_question_languages_covered():
    langs = {q["language"] for q in QUESTIONS}
    assert {"zh", "traditional", "en", "mixed"} <= langs
    assert len(QUESTIONS) >= 12


@pytest.mark.parametrize("year,other", [(2012, 2013), (2013, 2012)])
@pytest.mark.parametrize("template", ["外交部{y}年收到多少政府信息公开申请?", "外交部{y}年主动公开工作情况如何?",
                                      "What did the Ministry of Foreign Affairs publish online in {y}?"])
def test_named_year_never_confused(year, other, template, store, settings):
    query = understand(template.format(y=year), store.agencies())
    assert query.years == [year] and query.agencies == ["外交部"]
    hits = retrieve(query, store, settings, k=5)
    assert hits and all(h.year == year and h.agency == "外交部" for h in hits)


def test_unfiltered_question_searches_everything(store, settings):
    query = understand("哪些机关开通了政务微博?", store.agencies())
    assert query.agencies == [] and query.years == []
    hits = retrieve(query, store, settings, k=5)
    assert len({h.chunk.report_id for h in hits}) >= 2
