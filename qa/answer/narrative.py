"""Narrative answers quoted from the report's own lists: problems, measures, channels, highlights.

Annual reports state their problems and measures as enumerated lists (一是…二是…, 1.…2.…,
（一）…（二）…, ①…②…). For "存在哪些问题" the best answer quotes that list item by item, each
with its span: fast, exact, and nothing to hallucinate. The report's outline and its items are
found by `qa.answer.outline`; here:

1. `pick_blocks` chooses the (sub)section a question is about: a heading sharing clearly more
   words with the question wins ("如何加强载体建设" → （四）加强载体建设); else the section of the
   question's topic (problems/measures → 存在的主要问题及改进情况, channels → 公开形式 …).
2. `items_for` keeps, within a problems-and-measures section, the list of the asked topic, told
   apart by their sub-headings (（一）存在问题 / （二）改进措施) or by the words before each list.
"""

from __future__ import annotations

import re
from typing import Optional

from qa.answer.grams import han_bigrams
from qa.answer.outline import (TABLE_ROW, Block, Item, items_in, outline, sentence_items,  # noqa: F401 (re-exported)
                               split_items, text_view)
from qa.normalize import matching_view
from qa.types import Answer, Citation, Query

MAX_ITEMS = 10
MAX_REPORTS = 3

TOPIC_ZH = {
    "problems": re.compile(r"问题|不足|差距|短板|薄弱|困难|欠缺"),
    "measures": re.compile(r"改进|措施|下一步|打算|计划|整改|今后|努力方向|做好|抓好|重点工作|工作重点|做法|举措|怎么做|将.{0,4}哪些"),
    "channels": re.compile(r"渠道|形式|方式|载体|途径|媒体"),
    "highlights": re.compile(r"成果|成效|成绩|亮点|进展|主要工作|做了哪些"),
}
TOPIC_EN = {
    "problems": re.compile(r"problem|shortcoming|weakness|deficien|difficult|challenge|issue|shortfall", re.I),
    "measures": re.compile(r"measure|improv|plan|next step|going forward|future|remed|action", re.I),
    "channels": re.compile(r"channel|\bforms?\b|platform|\bmeans\b|media|outlet", re.I),
    "highlights": re.compile(r"achiev|highlight|accomplish|progress|results", re.I),
}
# English words → the Chinese words a heading would use (heading match for English questions)
GLOSSARY = {
    "organi": "组织", "leadership": "领导", "platform": "平台", "channel": "渠道", "form": "形式",
    "public concern": "社会关切", "concerns": "关切", "respond": "回应", "interpret": "解读", "training": "培训",
    "system": "制度", "mechanism": "机制", "carrier": "载体", "website": "网站", "new media": "新媒体",
    "supervis": "监督", "guarantee": "保障", "key area": "重点领域", "budget": "预算", "final account": "决算",
    "withh": "不予公开", "not disclos": "不予公开", "service": "服务", "publicity": "宣传", "archive": "档案",
    "press": "新闻发布", "publication": "出版物", "proactiv": "主动公开",
}
CHANNEL_WORDS = re.compile(r"门户网站|网站|微信|微博|公众号|新媒体|新闻发布|报刊|报纸|电视|广播|公开栏|公告栏|客户端|APP|"
                           r"热线|服务窗口|查阅点|政府公报|档案馆|图书馆")
GENERIC = re.compile(r"政府信息公开|政务公开|信息公开|主动公开|政府信息|(?<!予)公开|工作|情况|年度|报告|哪些|什么|如何|"
                     r"怎样|主要|进一步|存在|方面|有关|相关|提出|采取|了|的|和|及|与|在|是|年|有")
MEASURE_CUE = re.compile(r"下一步|下步|改进|措施|今后|打算|计划|将|努力|以下.{0,6}工作|重点|抓好|做好")
PROBLEM_CUE = re.compile(r"问题|不足|差距|短板|薄弱|欠缺|表现在|困难")
TURN = re.compile(r"下一步|下步|下阶段|下一阶段|今后|针对|为此|因此|对此|将继续|我们将|将从|将切实|考虑从|改进措施|整改措施|重点做好"
                  r"|(?:19|20)\d\d\s*年.{0,8}将")

# ---------------------------------------------------------------------------- topics and headings
def question_topics(query: Query) -> list[str]:
    """problems / measures / channels / highlights the question asks about, in that order."""
    view = matching_view(query.question)
    return [t for t in TOPIC_ZH if TOPIC_ZH[t].search(view) or TOPIC_EN[t].search(query.question)]


def _bigrams(view: str) -> set[str]:
    """Character bigrams of the Chinese runs left after generic words are taken out."""
    return han_bigrams(GENERIC.sub(" ", view))


def _terms(query: Query) -> tuple[set[str], set[str]]:
    """Content bigrams of the question (agency, years and generic words removed), and the Chinese
    words its English words name (glossary)."""
    view = matching_view(query.question)
    for name in query.agencies:
        view = view.replace(name, " ")
    lower = query.question.lower()
    for mention in query.agency_mentions:  # "Market Supervision Administration" names no topic (监督)
        lower = lower.replace(mention.lower(), " ")
    # a glossary word starts an English word: "form" names 形式 in "forms", not in "information"
    return _bigrams(re.sub(r"\d+", " ", view)), {zh for en, zh in GLOSSARY.items() if re.search(rf"\b{en}", lower)}


def heading_score(block: Block, terms: tuple[set[str], set[str]]) -> int:
    """Shared content bigrams with the question; a Chinese word named by an English word counts 3."""
    grams, words = terms
    view = matching_view(block.title)
    return len(_bigrams(view) & grams) + 3 * sum(1 for w in words if w in view)


def _problem_section(blocks: tuple[Block, ...]) -> list[Block]:
    return [b for b in blocks if b.level == 1 and PROBLEM_CUE.search(matching_view(b.title))
            and not TABLE_ROW.search(b.title)]


def pick_blocks(blocks: tuple[Block, ...], query: Query, topics: list[str]) -> list[tuple[Block, list[str]]]:
    """(block, topics to keep inside it) the question is about; [] when none fits."""
    terms = _terms(query)
    scored = sorted(((heading_score(b, terms), -b.level, b.start, b) for b in blocks), key=lambda x: x[:3],
                    reverse=True)
    best = scored[0] if scored else None
    wants_list = bool({"problems", "measures"} & set(topics))
    if best and best[0] >= 3 and not (wants_list and PROBLEM_CUE.search(matching_view(best[3].title))):
        return [(best[3], [])]
    if wants_list:
        sections = _problem_section(blocks)
        return [(sections[0], [t for t in topics if t in ("problems", "measures")])] if sections else []
    if "channels" in topics:
        subs = [b for b in blocks if TOPIC_ZH["channels"].search(matching_view(b.title)) or "平台" in b.title]
        if subs:  # the heading the question names (形式 / 平台 …), else 形式/渠道 before 载体/平台
            return [(min(subs, key=lambda b: (-heading_score(b, terms), not re.search(r"形式|渠道|方式|途径", b.title),
                                              -b.level, b.start)), [])]
        return [(CHANNELS, [])]
    if "highlights" in topics:
        overview = [b for b in blocks if b.level == 1 and re.search(r"概述|总体情况|基本情况|概况", matching_view(b.title))]
        if overview:
            return [(overview[0], [])]
    if best and (best[0] >= 2 or (best[0] >= 1 and best[0] == len(_bigrams(matching_view(best[3].title))))):
        return [(best[3], [])]  # two shared words, or a short heading the question names whole ("公开内容")
    return []


def _sub_for_topic(blocks: tuple[Block, ...], parent: Block, topic: str) -> Optional[Block]:
    """（一）存在问题 / （二）改进措施: the sub-block of a problems section for one topic."""
    for b in blocks:
        if b.level == 2 and parent.start <= b.start < parent.end:
            t = matching_view(b.title)
            is_measure = bool(re.search(r"改进|措施|打算|下一步|计划|方向|整改|努力", t))
            is_problem = bool(PROBLEM_CUE.search(t)) and not is_measure
            if (topic == "problems" and is_problem) or (topic == "measures" and is_measure):
                return b
    return None


def items_for(text: str, blocks: tuple[Block, ...], block: Block, topics: list[str]) -> list[tuple[Block, Item]]:
    """The quoted items of `block`; inside a problems section only those of the asked topics."""
    if block is CHANNELS:
        return [(whole, it) for whole, it in channel_sentences(text, blocks)]
    if not topics:
        return [(block, it) for it in items_in(text, block.body, block.end)]
    out: list[tuple[Block, Item]] = []
    view = text_view(text)
    for topic in topics:
        sub = _sub_for_topic(blocks, block, topic)
        if sub is not None:
            out += [(sub, it) for it in items_in(text, sub.body, sub.end)]
            continue
        groups = split_items(text, block.body, block.end)
        chosen = []
        for gi, (ls, le, items) in enumerate(groups):
            if _lead_topic(view[ls:le], gi) == topic:
                chosen += items
        if not chosen:  # no list for this topic: the sentences before / after the turn to measures
            turn = _turn(view, block.body, block.end)
            first_list = groups[0][1] if groups else block.end
            s, e = (block.body, min(turn, first_list)) if topic == "problems" else (turn, block.end)
            chosen = sentence_items(text, s, e) if e > s else []
        out += [(block, it) for it in chosen]
    return out


def _turn(view: str, start: int, end: int) -> int:
    """Offset of the first sentence that turns from problems to measures ("下一步，我们将…")."""
    pos = start
    for m in re.finditer(r"[。！？!?；;]", view[start:end] + "。"):
        sentence_end = start + m.end()
        if TURN.search(view[pos:min(pos + 16, sentence_end)]):
            return pos
        pos = sentence_end
    return end


def _lead_topic(lead: str, index: int) -> str:
    """problems / measures: the cue nearest the end of the words before a list wins
    ("需要改进的地方。主要表现在：" → problems; "针对存在问题，下一步将：" → measures)."""
    last = {topic: max((m.end() for m in cue.finditer(lead)), default=-1)
            for topic, cue in (("problems", PROBLEM_CUE), ("measures", MEASURE_CUE))}
    if last["problems"] == last["measures"]:
        return "problems" if index == 0 else "measures"
    return max(last, key=last.get)


CHANNELS = Block(level=0, label="", title="", start=0, body=0, end=0, path="")  # "no heading: sentences naming channels"


def channel_sentences(text: str, blocks: tuple[Block, ...], limit: int = 5) -> list[tuple[Block, Item]]:
    """A report with no 公开形式 heading: its sentences that name publication channels."""
    scored = []
    for it in sentence_items(text, 0, len(text), limit=10_000):
        names = set(CHANNEL_WORDS.findall(text_view(text)[it.start:it.end]))
        if names:
            scored.append((len(names), -it.start, it))
    best = sorted(sorted(scored, key=lambda x: x[:2], reverse=True)[:limit], key=lambda x: -x[1])
    out = []
    for _, _, it in best:  # the sentences naming the most channels, in text order
        owner = next((b for b in reversed(blocks) if b.start <= it.start < b.end), None)
        out.append((owner or Block(level=0, label="", title="", start=0, body=0, end=len(text), path=""), it))
    return out



# ---------------------------------------------------------------------------- answer
TOPIC_WORDS = {"problems": ("问题", "problems"), "measures": ("改进措施", "measures"),
               "channels": ("公开渠道和形式", "channels and forms"), "highlights": ("主要工作", "highlights")}


def narrative_answer(query: Query, store) -> Optional[Answer]:
    """Quoted list items answering a problems / measures / channels / highlights question, or None."""
    topics = question_topics(query)
    if not (query.agencies or query.years):
        return None
    report_ids = _reports_named(store, query)[:MAX_REPORTS]
    cites: list[Citation] = []
    heads: list[str] = []
    english = query.language in ("en", "mixed")
    for rid in report_ids:
        info = store.report_info(rid) or {}
        text = store.report_text(rid)
        blocks = outline(text, tuple(store.sections_of(rid)))
        for block, keep in pick_blocks(blocks, query, topics):
            for sub, item in items_for(text, blocks, block, keep)[:MAX_ITEMS]:
                cites.append(Citation(report_id=rid, path=info.get("path", ""), agency=info.get("agency"),
                                      year=info.get("year"), section=sub.path, quote=text[item.start:item.end],
                                      start=item.start, end=item.end, page=_page(info, item.start)))
            heads.append(_lead(info, block, keep or topics, english))
    if not cites:
        return None
    body = "\n".join(f"[{i}] {' '.join(c.quote.split())}" for i, c in enumerate(cites, 1))
    text = "\n".join(dict.fromkeys(heads)) + "\n" + body
    return Answer(question=query.question, text=text, mode="extract", citations=cites, query=query,
                  warnings=[])


def _reports_named(store, query: Query) -> list[str]:
    """The reports the question is about. Without an agency, several reports of the year would
    be a guess: keep the one whose agency name shares clearly most characters with the question."""
    ids = store.report_ids(query.agencies, query.years)
    if query.agencies or len(ids) <= 1:
        return ids
    asked = set(matching_view(query.question))
    scored = sorted(((len(asked & set((store.report_info(r) or {}).get("agency") or "")), r) for r in ids), reverse=True)
    return [scored[0][1]] if scored[0][0] >= scored[1][0] + 2 else []


def _page(info: dict, start: int) -> Optional[int]:
    from qa.read.report import page_of

    return page_of(info.get("page_starts", []), start)


def _lead(info: dict, block: Block, topics: list[str], english: bool) -> str:
    who = f"{info.get('agency') or ''}{info.get('year') or ''}"
    what = "、".join(TOPIC_WORDS[t][0] for t in topics)
    where = f"“{block.label}”" if block.label else ""
    if english:
        what_en = " and ".join(TOPIC_WORDS[t][1] for t in topics) or "points"
        return (f"The {info.get('agency') or ''} {info.get('year') or ''} report states these {what_en}"
                f"{' under ' + where if where else ''} (quoted in the original Chinese):")
    return f"{who}年报告{where}" + (f"所列{what}：" if what else "原文：")
