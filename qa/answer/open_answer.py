"""Answers read from the named report's own sentence (qa.answer.open_numbers finds it).

`open_number_answer`: a count in no vocabulary, cited. `prefer_open_number`: the vocabulary found a
metric, but the report may state it only in words no extractor knows, state it several times, or
the question may ask for a part of it (为民办实事类信息 within 主动公开, 减税降费 within the 107条),
in another unit (几项 against a table's 条) or another kind of unit (阅读人数 against 480条 posts):
then the report's own sentence that best matches the question decides. A table cell asked for by
its column or by the table's words stays with the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from qa.answer.abstain import abstain_answer
from qa.answer.fact import TABLE_WORDS, change_line, select_main
from qa.answer.wording import fact_citation, format_value
from qa.facts.common import vocabulary
from qa.store import Store
from qa.types import Answer, Query

OPEN_MARGIN = 2  # shared words by which the report's own sentence must beat a vocabulary fact
# English nouns for "things counted" in general: "documents released proactively" asks for the total
ITEM_NOUNS = frozenset({"documents", "document", "items", "item", "pieces", "piece", "records", "record"})


def open_number_answer(query: Query, store: Store) -> tuple[Optional[Answer], float]:
    """A count read from the sentence of the named report that shares most words with the
    question, with its score; (None, 0) when no sentence fits."""
    from qa.answer.open_numbers import best_hits, hit_fact

    if not query.agencies:
        return None, 0.0
    hits, unique = best_hits(query, store, store.report_ids(query.agencies, query.years))
    if not hits:
        return None, 0.0
    english = query.language in ("en", "mixed")
    facts = [hit_fact(h, store) for h in hits]
    lines = list(dict.fromkeys(
        f"{f.agency} ({f.year}): {format_value(f, english)}" if english else f"{f.agency}{f.year}年：{format_value(f, english)}"
        for f in facts))
    change = change_line(facts, english) if query.intent == "compare" and unique else None
    lines += [change] if change else []
    lead = "The report states:" if english else "报告原文："
    quotes = [f"[{i + 1}] “{' '.join(f.quote.split())}”" for i, f in enumerate(facts)]
    single = facts[0] if unique and len({(f.report_id, f.value) for f in facts}) == 1 else None
    warnings = [] if single or len({f.report_id for f in facts}) > 1 else [
        "the report states more than one number that fits the question: all are listed"]
    answer = Answer(question=query.question, text="\n".join(lines + [lead] + quotes), mode="extract",
                    value=single.value if single else None, unit=single.unit if single else "",
                    qualifier=single.qualifier if single else None,
                    citations=[fact_citation(f, store) for f in facts], facts=facts, query=query,
                    warnings=warnings)
    return answer, hits[0].score


@dataclass
class _FactFit:
    """How well the vocabulary's facts fit the question."""
    shared: int  # question words the best fact's clause shares
    part: bool  # the question names more than that clause says: a part of the metric
    english_part: tuple[tuple[str, ...], ...]  # ... by English words whose Chinese the report writes, not that clause
    misfit: bool  # every fact is in another kind of unit than the question asks in
    other_unit: bool  # every fact is in another unit than the one the question names (几项 vs 条)
    units: set[str]  # the units the question asks in
    wanted: set[str]  # the question's words (open_numbers.question_bigrams)
    running: bool  # the question asks for a running total
    metric: str  # the metric the facts are of


def _fact_fit(query: Query, answer: Answer, store: Store) -> _FactFit:
    from qa.answer.open_numbers import fact_clause, question_bigrams, statement_score
    from qa.answer.running import asks_running_total
    from qa.answer.units import unit_misfit, wanted_units

    wanted, running = question_bigrams(query), asks_running_total(query.question)
    shared = max((statement_score(wanted, fact_clause(f), running)[1] for f in answer.facts), default=0)
    units = wanted_units(query.question)
    facts = answer.facts if answer.mode == "fact" else []
    english_part = _english_part(query, wanted, answer, store)
    part = len(wanted) >= shared + OPEN_MARGIN or bool(english_part)
    # 受理了多少件 of requests a report counts in 条: 件 is the metric's own counter, not another unit
    usual = vocabulary()["metrics"].get(query.metric or "", {}).get("unit", "")
    other_unit = bool(units and facts) and usual not in units and all(f.unit and f.unit not in units for f in facts)
    return _FactFit(shared, part, english_part, bool(facts) and unit_misfit(units, facts), other_unit, units,
                    wanted, running, query.metric or "")


def _english_part(query: Query, wanted: set[str], answer: Answer, store: Store) -> tuple[tuple[str, ...], ...]:
    """An English question naming a part of what the facts count ("items on institutional functions
    published proactively"): a word of it that the report writes (机构职能) but no fact's clause does."""
    from qa.answer.open_numbers import english_groups, fact_clause, report_clauses

    if query.language not in ("en", "mixed") or not answer.facts:
        return ()
    first = answer.facts[0]
    groups = english_groups(query, wanted, report_clauses(store, first.report_id).view)
    clauses = " ".join(fact_clause(f) for f in answer.facts)
    return tuple(forms for key, forms in groups.items()
                 if forms and not key.startswith("~~") and key.lstrip("~=") not in ITEM_NOUNS
                 and not any(f in clauses for f in forms))


def _compares_a_part(query: Query, answer: Answer, store: Store) -> bool:
    """A comparison of a part of a generic metric (机构职能类 within 主动公开) in words the facts lack."""
    if not vocabulary()["metrics"].get(query.metric or "", {}).get("generic") or not answer.facts:
        return False
    fit = _fact_fit(query, answer, store)
    return fit.part


def _template_answers(query: Query, store: Store) -> bool:
    from qa.answer.open_numbers import template_metrics

    return query.metric in template_metrics() and any(
        (store.report_info(r) or {}).get("template") in ("t2019", "t2021")
        for r in store.report_ids(query.agencies, query.years))


def prefer_open_number(query: Query, store: Store, answer: Answer) -> Answer:
    """The fact answer, or the report's own sentence when it answers the question better."""
    if answer.mode not in ("fact", "abstain"):
        return answer
    if answer.mode == "abstain" and query.agencies and query.intent in ("lookup", "compare"):
        from qa.answer.units import counts_the_metrics_kind

        opened = open_number_answer(query, store)[0]
        return opened if opened and counts_the_metrics_kind(query.question, query.metric, opened.facts) else answer
    if query.intent == "compare" and query.agencies and not query.scope and _compares_a_part(query, answer, store):
        opened = open_number_answer(query, store)[0]  # "work-news items, 2014 and 2016": each report's part
        if opened is not None and {f.report_id for f in opened.facts} >= {f.report_id for f in answer.facts}:
            return opened
    if query.intent != "lookup" or not query.agencies or query.scope or TABLE_WORDS.search(query.question):
        return answer
    fit = _fact_fit(query, answer, store)
    if not (fit.part or fit.misfit) and _template_answers(query, store):
        return answer  # the template's own table row answers it
    stated = {f.value for f in select_main(store.facts(query.metric, query.agencies, query.years), None)}
    if len(stated) <= 1 and not (fit.part or fit.misfit or fit.other_unit):
        return answer  # one value, and no sentence could match the question clearly better
    opened, _ = open_number_answer(query, store)
    if opened is None or opened.value is None:
        return abstain_answer(query, store) if fit.misfit else answer
    if not _open_wins(fit, answer, opened, stated):
        return answer
    _note_others(answer, opened, query)
    return opened


def _open_wins(fit: _FactFit, answer: Answer, opened: Answer, stated: set) -> bool:
    """Does the report's own sentence answer the question better than the vocabulary's facts?"""
    from qa.answer.grams import han_bigrams
    from qa.answer.open_numbers import fact_clause, statement_score
    from qa.normalize import matching_view

    if fit.misfit or (fit.other_unit and opened.unit in fit.units):
        return True
    if answer.value is not None and (opened.value, opened.unit or answer.unit) == (answer.value, answer.unit):
        return False  # the same number: the fact carries its metric and unit
    # the open sentence may name the whole in its lead-in (在主动公开的107条政府信息中，…其中:减税降费22条)
    shared = max(statement_score(fit.wanted, matching_view(f.quote), fit.running)[1] for f in opened.facts)
    # ... and names the part the fact's clause does not (为民办实事类信息132条 within 主动公开201条)
    fact_words = set().union(*(han_bigrams(fact_clause(f)) for f in answer.facts)) & fit.wanted
    open_words = set().union(*(han_bigrams(matching_view(f.quote)) for f in opened.facts)) & fit.wanted
    # (an English question: the number's own clause writes the part the fact's does not: 机构职能类信息25条)
    names_en = any(form in fact_clause(f) for f in opened.facts for forms in fit.english_part for form in forms)
    names_part = fit.part and ((len(open_words - fact_words) >= OPEN_MARGIN and shared >= fit.shared) or names_en)
    # ... and never one that leaves out what a specific metric's clause names (公报 of 政府公报公开条0); a
    # generic metric (主动公开) is what its parts leave out
    covers = fact_words <= open_words or bool(vocabulary()["metrics"].get(fit.metric, {}).get("generic"))
    return (len(stated) > 1 and opened.value in stated) or (covers and (shared >= fit.shared + OPEN_MARGIN or names_part))


def _note_others(answer: Answer, opened: Answer, query: Query) -> None:
    """Keep the fact answer's other figures as a note on the open answer (never dropped silently)."""
    from qa.answer.open_numbers import fact_clause

    english = query.language != "zh"
    others = [f for f in answer.facts if f.value is not None and f.value != opened.value]
    if others:
        opened.warnings.append(("the report also states: " if english else "同一报告另称：") + "；".join(
            dict.fromkeys(f"{format_value(f, english)}（{' '.join(fact_clause(f).split())[:40]}）" for f in others)))
