"""One verifier for every answer: each mode of `ask` carries per-number checks and provenance,
a number its citation does not state is unverified, and `invented_numbers` agrees with the eval's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.answer.verify import invented_numbers, verify
from qa.types import Answer, Citation, Fact

ROOT = Path(__file__).resolve().parent.parent
Q_APPS = "2013年，外交部共收到政府信息公开申请119份，已按《条例》有关规定及时答复。"


def _ask(question: str, settings, **update):
    from qa.answer.route import ask

    return ask(question, settings=settings.model_copy(update=update) if update else settings)


def _numbers_in(text: str) -> bool:
    return bool(re.search(r"\d", re.sub(r"(?:19|20)\d\d", "", re.sub(r"\[\d+\]", "", text))))


def _assert_checked(answer: Answer) -> None:
    assert answer.provenance is not None and answer.provenance.qa_version
    if _numbers_in(answer.text):
        assert answer.checks, answer.text
    else:
        assert answer.verification == "no numbers to check"
    for check in answer.checks:
        assert check.citation is None or 1 <= check.citation <= len(answer.citations)
    assert answer.unverified_numbers == [c.number for c in answer.checks if c.status == "unverified"]


@pytest.mark.parametrize("question,mode", [
    ("外交部2013年收到多少政府信息公开申请？", "fact"),
    ("外交部2012年和2013年收到的政府信息公开申请比较", "fact"),  # analysis: comparison over years
    ("How did applications received by the Ministry of Foreign Affairs change from 2012 to 2013?", "fact"),
    ("辽宁省外办2020年如何回应社会关切？", "extract"),  # the report's own list, quoted
    ("淮安市2024年不予公开的理由包括哪些？", "retrieval"),
    ("长春市外办2012年收到多少件政府信息公开申请？", "abstain"),
])
def test_every_mode_carries_verified_checks_and_provenance(store, settings, question, mode):
    answer = _ask(question, settings)
    assert answer.mode == mode, answer.text
    _assert_checked(answer)
    assert all(c.status == "verified" for c in answer.checks), answer.checks
    assert answer.verification in ("verified", "no numbers to check")
    assert "check" in answer.timing.stages


def test_fact_answer_checks_cite_its_citation(store, settings):
    answer = _ask("外交部2013年收到多少政府信息公开申请？", settings)
    (check,) = answer.checks
    assert (check.number, check.value, check.status, check.citation) == ("119份", 119, "verified", 1)
    assert "119" in answer.citations[check.citation - 1].quote
    assert answer.verification == "verified"


def test_computed_numbers_of_a_comparison_are_verified_as_computed(store, settings):
    answer = _ask("外交部2012年和2013年收到的政府信息公开申请比较", settings)
    by_value = {c.value: c for c in answer.checks}
    assert {134, 119, 15, 11.2} <= set(by_value), answer.checks
    assert by_value[134].citation == 1 and by_value[119].citation == 2
    assert all(c.status == "verified" for c in by_value.values())


def test_quoted_item_numbers_cite_their_own_item(store, settings):
    answer = _ask("辽宁省外办2020年如何回应社会关切？", settings)
    hours = [c for c in answer.checks if c.number.endswith("小时")]
    assert hours, answer.text
    for c in hours:  # "[2] …最迟5小时内…24小时内…": the marker opening the line cites what follows
        assert str(int(c.value)) in answer.citations[c.citation - 1].quote


def test_fact_answer_whose_number_its_quote_does_not_state_is_unverified():
    cite = Citation(report_id="r", agency="外交部", year=2013, quote=Q_APPS, start=0, end=len(Q_APPS))
    wrong = Fact(report_id="r", agency="外交部", year=2013, metric="applications_received", value=129, unit="份",
                 start=0, end=3, quote=Q_APPS, quote_start=0, quote_end=len(Q_APPS))
    answer = Answer(question="q", text="外交部2013年政府信息公开申请数量：129份", mode="fact",
                    citations=[cite], facts=[wrong], value=129, unit="份")
    verify(answer, facts=[])
    (check,) = answer.checks
    assert check.status == "unverified" and check.number == "129份"
    assert answer.verification == "unverified" and answer.unverified_numbers == ["129份"]
    right = answer.model_copy(update={"text": "外交部2013年政府信息公开申请数量：119份", "checks": []})
    assert verify(right, facts=[]).verification == "verified"
    assert right.checks[0].citation == 1


def test_no_numbers_says_so():
    cite = Citation(report_id="r", quote="继续发挥门户网站作为信息公开第一平台的作用。", start=0, end=22)
    answer = verify(Answer(question="q", text="[1] 继续发挥门户网站作为信息公开第一平台的作用。", mode="extract",
                           citations=[cite]))
    assert answer.checks == [] and answer.verification == "no numbers to check"


def test_llm_answer_through_ask_carries_checks(store, settings, monkeypatch):
    import qa.backends.llm as llm_module

    class QuoteLLM:
        """Copies the first source's first sentence (its first number changed, when asked) and cites it."""

        name = model = "fake"
        context_window, max_tokens = 4096, 200

        def __init__(self, number=None):
            self.number = number

        def stream(self, messages, max_tokens=None):
            body = messages[-1]["content"].split('<source id="1"', 1)[1].split("</source>", 1)[0]
            sentence = re.split(r"(?<=。)", body.split("\n", 1)[1].strip())[0].rstrip("。")
            if self.number:
                sentence = re.sub(r"\d+", self.number, sentence, count=1)
            yield sentence + "[1]。"

    question = "外交部2013年门户网站发布了什么信息？"
    monkeypatch.setattr(llm_module, "get_llm_within", lambda *a, **k: QuoteLLM())
    answer = _ask(question, settings, llm="local")
    assert answer.mode == "llm"
    _assert_checked(answer)
    assert answer.checks and all(c.status == "verified" and c.citation == 1 for c in answer.checks)
    assert answer.verification == "verified"

    monkeypatch.setattr(llm_module, "get_llm_within", lambda *a, **k: QuoteLLM("4321"))
    changed = _ask(question, settings, llm="local")
    _assert_checked(changed)
    assert changed.verification in ("corrected", "unverified")  # never "verified": 4321 is stated nowhere
    assert any(c.status != "verified" for c in changed.checks)
    assert not any(c.number.startswith("4321") and c.status == "verified" for c in changed.checks)


def test_llm_answer_with_an_invented_number_has_an_unverified_check():
    from qa.answer.generate import generate_answer
    from qa.types import Query

    text = (ROOT / "seeds" / "mfa_2013.txt").read_text(encoding="utf-8")
    start = text.index("三、依申请公开信息情况")
    quote = text[start:text.index("六、存在的问题", start)].rstrip()
    source = Citation(report_id="mfa2013", agency="外交部", year=2013, quote=quote, start=start, end=start + len(quote))

    class FakeLLM:
        name = model = "fake"
        context_window, max_tokens = 4096, 200

        def stream(self, messages, max_tokens=None):
            yield "外交部2013年共收到政府信息公开申请118份[1]，办结行政复议案件90起[1]。"

    question = "外交部2013年收到多少申请？"
    a = generate_answer(question, Query(question=question), [source], FakeLLM())
    statuses = {c.number: (c.status, c.citation) for c in a.checks}
    assert statuses["118份"][0] == "unverified" and statuses["90起"] == ("verified", 1)
    assert a.verification == "unverified" and a.unverified_numbers == ["118份"]
    from qa.eval.checks import invented_numbers as eval_invented

    # the eval counts with the same checks: 118 (the report says 119) is invented
    assert eval_invented(a) == invented_numbers(a) == ["118"]


@pytest.mark.parametrize("question", [
    "外交部2013年收到多少政府信息公开申请？",  # fact
    "外交部2012年和2013年收到的政府信息公开申请比较",  # comparison
    "How did applications received by the Ministry of Foreign Affairs change from 2012 to 2013?",  # trend
    "淮安市2024年不予公开的理由包括哪些？",  # retrieval
    "辽宁省外办2020年如何回应社会关切？",  # quoted list
])
def test_invented_numbers_is_what_the_eval_counts(store, settings, question):
    """Real answers of every mode invent nothing; a number added to their text is caught, by the
    answer's checker and by the eval's count (the same function)."""
    from qa.eval.checks import invented_numbers as eval_invented

    answer = _ask(question, settings)
    assert invented_numbers(answer) == eval_invented(answer) == []
    made_up = answer.model_copy(update={"text": answer.text + "\n另有98765件未列出[1]。"})
    assert invented_numbers(made_up) == eval_invented(made_up) == ["98765"]
