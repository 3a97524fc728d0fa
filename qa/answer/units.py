"""The units a question asks in, and the kind of unit a figure is in.

多少条 / how many items → 条; 金额 / 经费 / budget → 元, 万元; 人数 → 人, 人次; 多少小时 → 小时; 占比 /
what percentage → %. A fact in another kind of unit (480条 posts for 阅读人数, 198条 for 占比) is not what
the question asks for (`unit_misfit`). Used by open numbers and by fact answers choosing a unit.
"""

from __future__ import annotations

import re
from typing import Optional

from qa.normalize import matching_view
from qa.understand import COUNTED_AMOUNT
from qa.types import Fact

UNIT_IN_QUESTION = re.compile(
    r"(?:多少|几)\s*(人次|万元|批次|个工作日|工作日|小时|分钟|平方公里|万平方米|平方米|立方米|公里|千米|公顷"
    r"|[个名人件场条次期份篇项家批部册本户类处所位宗笔卷期天日米亩吨辆艘座])")
MONEY = re.compile(r"金额|经费|资金|费用|多少钱|收费")
MONEY_UNITS = ("元", "万元", "亿元")
TIME_UNITS = ("小时", "分钟", "天", "日", "个工作日", "工作日")
MEASURE_UNITS = ("公里", "千米", "米", "平方米", "万平方米", "平方公里", "立方米", "亩", "吨", "公顷")
# measures asked in English, wherever the word stands ("how many kilometres of rural road")
EN_MEASURES = [(re.compile(r"\b(?:kilometres?|kilometers?|km)\b", re.I), ("公里", "千米")),
               (re.compile(r"\bsquare (?:metres?|meters?)\b", re.I), ("平方米", "万平方米")),
               (re.compile(r"\b(?:tonnes?|tons?)\b", re.I), ("吨",)), (re.compile(r"\bhectares?\b", re.I), ("公顷",)),
               (re.compile(r"\b(?:vehicles?|cars?|buses)\b", re.I), ("辆",)),
               (re.compile(r"\b(?:ships?|boats?|vessels?)\b", re.I), ("艘",))]
PERSONS = re.compile(r"人数|人次|多少人|几人|关注用户|关注人数|关注量|粉丝|用户数|订阅"
                     r"|\b(?:followers?|fans|subscribers|users|visitors|attendees|participants|readers)\b", re.I)
PERCENT = re.compile(r"占比|比例|百分比|比率|百分之|率(?:是|为|达)?多少|占[^，。？?]{0,16}(?:多少|几)"
                     r"|\b(?:percentage|percent|proportion|share of|rate)\b", re.I)
VIEWS = re.compile(r"点击量|点击数|点击浏览|浏览量|浏览次数|访问量|访问次数|阅读量|播放量"
                   r"|\b(?:page ?views|views|clicks|hits|(?:page|site|website) visits|visits to|times viewed|times read)\b",
                   re.I)  # (not a bare "visits": the Letters and Visits Bureau)
VIEW_UNITS = ("次", "人次", "")  # 访问量达12万 has no unit of its own
PERSON_UNITS = ("人", "人次", "名", "位", "")  # 近24.5万 (readers) has no unit of its own
DAYS = ("天", "日", "个工作日", "工作日")
SAME_UNITS = {"批": ("批次",), "批次": ("批",), "人": ("名",), "名": ("人",), **{d: DAYS for d in DAYS}}
EN_UNITS = {"items": ("条", "项", "件"), "batches": ("批次", "批"), "articles": ("篇",), "issues": ("期",),
            "sessions": ("期", "场", "次"), "times": ("次",), "copies": ("份",), "people": ("人", "名", "人次"),
            "persons": ("人", "名"), "staff": ("人", "名"), "visitors": ("人次",), "posts": ("条", "篇"),
            "conferences": ("场", "次"), "meetings": ("场", "次"), "events": ("场", "次"), "lectures": ("场", "次"),
            "person-times": ("人次",), "documents": ("份", "件", "个", "条"), "cases": ("件", "起")}
EN_UNIT_NOUN = re.compile(rf"(?:how many|(?:the )?number of) (?:[^\s?？]+ ){{0,4}}?({'|'.join(EN_UNITS)})\b", re.I)

def wanted_units(question: str) -> set[str]:
    """The units a question asks in: 多少条 / how many items → 条; 金额/经费 → 元, 万元; 人数 → 人, 人次;
    多少小时 → 小时; none named → any."""
    view = matching_view(question)
    if PERCENT.search(view):  # 占比 / what percentage: a share, never a count
        return {"%"}
    named = _counter_named(view)
    if named:
        return set(named)
    for pattern, units in EN_MEASURES:
        if pattern.search(view):
            return set(units)
    m = EN_UNIT_NOUN.search(view)
    if m:  # "how many budget and final accounts items": items, not money
        return set(EN_UNITS[m.group(1).lower()])
    if MONEY.search(view) or re.search(r"\b(?:amount|yuan|rmb|funds?|funding|budget|money|spent|spend|spending|cost)\b",
                                       COUNTED_AMOUNT.sub(" ", view.lower())):
        return set(MONEY_UNITS)
    if VIEWS.search(view):  # 点击量 近10万次: views, never the 33条 posted in the same sentence
        return set(VIEW_UNITS)
    return set(PERSON_UNITS) if PERSONS.search(view) else set()


def unit_preference(question: str) -> tuple[str, ...]:
    """Units in the order an answer should give them when a report states one figure in several
    (3场 and 3次 of press conferences): the question's own noun first ("conferences": 场). None
    named: () — the report's first statement stands (3条 in prose before the table's 3 件)."""
    view = matching_view(question)
    named = _counter_named(view)
    if named:
        return named
    noun = EN_UNIT_NOUN.search(view)
    return EN_UNITS[noun.group(1).lower()] if noun else ()


def _counter_named(view: str) -> tuple[str, ...]:
    """多少条 / 几场: the counter the question names, and its same-meaning forms (批 and 批次)."""
    m = UNIT_IN_QUESTION.search(view)
    return (m.group(1), *SAME_UNITS.get(m.group(1), ())) if m else ()


UNIT_CLASSES = {"money": set(MONEY_UNITS), "time": set(TIME_UNITS), "persons": {"人", "人次", "名", "位"},
                "percent": {"%"}}


def _unit_class(units: set[str]) -> Optional[str]:
    units = units - {""}
    if not units:
        return None
    for name, members in UNIT_CLASSES.items():
        if units <= members:
            return name
    return "items" if not any(units & m for m in UNIT_CLASSES.values()) else None


def unit_misfit(units: set[str], facts: list[Fact]) -> bool:
    """The question asks in one kind of unit (`units`, from wanted_units: 金额 → 元, 人数 → 人,
    多少小时) and every fact is in another (480条 posts for 阅读人数): those facts are not what it asks for."""
    asked = _unit_class(units)
    stated = [_unit_class({f.unit}) for f in facts if f.unit]
    return bool(asked and stated) and all(c and c != asked for c in stated)


UNIT_KINDS = {"items": {"条", "件", "篇", "份", "项", "个", "期", "批", "批次", "部", "册", "本", "家", "类"},
              "times": {"次", "人次", "场"}, "persons": {"人", "名", "位", "户"}, "money": set(MONEY_UNITS),
              "time": set(TIME_UNITS), "percent": {"%"}}


def same_kind(a: str, b: str) -> bool:
    """Two units that count the same kind of thing (条 and 篇: items; 次 and 人次: times; 人 and 名)."""
    return a == b or any(a in kind and b in kind for kind in UNIT_KINDS.values())


def counts_the_metrics_kind(question: str, metric: str, facts: list[Fact]) -> bool:
    """Read from a sentence for a metric, figures must count what the metric counts (visits in
    次/人次, followers in 人: never 108条 posts), unless the question names its own unit."""
    from qa.facts.common import vocabulary

    if wanted_units(question):  # "articles", 金额: the sentence search already kept to that unit
        return True
    unit = vocabulary()["metrics"].get(metric or "", {}).get("unit", "")
    return not unit or all(not f.unit or same_kind(unit, f.unit) for f in facts)


def unit_word_bigrams(question: str) -> set[str]:
    """Bigrams of the words that name the unit asked for (金额, 经费, 人数, 小时 ...)."""
    view = matching_view(question)
    words = [m.group(0) for pattern in (MONEY, PERSONS, UNIT_IN_QUESTION) for m in pattern.finditer(view)]
    return {w[i:i + 2] for w in words for i in range(len(w) - 1)}
