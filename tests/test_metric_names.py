"""Metric names match the words a question uses, not one fixed phrase (issue 13 point 4).

Every name of every metric in qa/facts/metrics.toml, and the common ways of writing it — traditional
script, 工作人员 for 人员, "full time" for "full-time", a singular for a plural, a capital letter —
must reach that metric, so a fact question is a 1 ms lookup instead of a retrieval or LLM call.
"""

from __future__ import annotations

import re

import pytest

# how users write what the vocabulary calls otherwise (question words → metric)
COMMON_PHRASES = {
    "全职工作人员": "staff_fulltime", "专职工作人员": "staff_fulltime", "全职员工": "staff_fulltime",
    "兼职工作人员": "staff_parttime", "full time staff": "staff_fulltime", "full-time employees": "staff_fulltime",
    "part-time employees": "staff_parttime", "lawsuit": "litigation_total", "press conference": "press_conferences",
    "网站浏览量": "website_visits", "答记者问": "questions_answered", "收取的费用": "fees_charged",
    "结转到下年度": "carried_forward", "administrative licenses": "admin_licensing", "penalty": "admin_penalty",
    "consultation": "consultations", "requests for publication": "unprocessed_publication",
    "spent": "spending", "行政复议申请": "review_total", "主动公开的政府信息": "proactive_disclosures",
}


def zh_variants(name: str) -> set[str]:
    import opencc

    out = {name, opencc.OpenCC("s2t").convert(name)}
    if name.endswith("人员") and not name.endswith("工作人员"):
        out.add(name[:-2] + "工作人员")
    return out


def en_variants(name: str) -> set[str]:
    out = {name, name.title(), name.replace("-", " ")}
    words = name.split()
    if len(words) > 1 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        last = re.sub(r"ies$", "y", words[-1]) if words[-1].endswith("ies") else words[-1][:-1]
        out.add(" ".join(words[:-1] + [last]))
    return out


def question(words: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", words):
        return f"外交部2013年{words}有多少？"
    return f"How many {words} did the Foreign Ministry report in 2013?"


def resolved(words: str):
    from qa.normalize import matching_view
    from qa.understand import find_metric

    return find_metric(matching_view(question(words)))


def vocabulary_cases() -> list[tuple[str, str]]:
    from qa.facts.common import vocabulary

    cases = []
    for metric, info in vocabulary()["metrics"].items():
        cases += [(v, metric) for n in info.get("zh", []) for v in sorted(zh_variants(n))]
        cases += [(v, metric) for n in info.get("en", []) for v in sorted(en_variants(n))]
    return cases


def test_every_metric_name_and_its_variants_reach_the_metric():
    wrong = [f"{words!r} → {resolved(words)} (want {metric})" for words, metric in vocabulary_cases()
             if resolved(words) != metric]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("words,metric", sorted(COMMON_PHRASES.items()))
def test_common_phrasings(words, metric):
    assert resolved(words) == metric


def test_full_time_staff_is_a_fact_lookup(store):
    """The issue's case: 全职工作人员 went to a 172 s LLM call; it is a fact (or a cited abstention)."""
    import qa

    answer = qa.ask("外交部2013年全职工作人员有多少？", mode="none")
    assert answer.query.metric == "staff_fulltime" and answer.mode in ("fact", "abstain"), answer.text
