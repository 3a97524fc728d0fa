"""Every answer says what produced it (issue 15, point 2: Answer.provenance)."""

from __future__ import annotations

import pytest

from qa.answer.route import ask
from qa.provenance import provenance


@pytest.mark.parametrize("question,mode", [
    ("外交部2013年共收到多少份政府信息公开申请？", "fact"),
    ("辽宁省外办2020年存在哪些问题？", "extract"),
    ("商务部2013年收到多少份政府信息公开申请？", "abstain"),
    ("外交部2013年为什么要加强信息解读和回应？", "retrieval"),
])
def test_every_answer_mode_carries_provenance(store, settings, question, mode):
    answer = ask(question, settings=settings, mode="none")
    assert answer.mode == mode, answer.text
    p = answer.provenance
    assert p and p.qa_version and p.settings_hash and p.vocabulary_hash and p.prompts_hash
    assert (p.llm, p.embedder) == ("none", settings.embedder)


def test_provenance_follows_the_settings_and_the_backend(settings):
    base = provenance(settings, "none")
    assert provenance(settings.model_copy(update={"top_k": settings.top_k + 1}), "none").settings_hash \
        != base.settings_hash
    assert provenance(settings.model_copy(update={"openai_api_key": "sk-other"}), "none") == base  # secrets left out
    assert "Qwen2.5" in provenance(settings, "local").llm_model
    assert settings.openai_model in provenance(settings, "openai").llm_model
