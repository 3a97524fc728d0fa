"""Facts stated in running text: "共收到政府信息公开申请119份" → applications_received 119 份.

Precision over recall. A number becomes a fact only when all of these hold:

* it is a count (`find_numbers` kind "count": never a year, date, percent, phone, docno, ordinal);
* it lies in a prose sentence: table rows of the 2019/2021 templates (a label followed by
  numbers, `|` cells, lines of bare numbers) and boilerplate spans are skipped;
* a metric term from metrics.toml names it, either
  - before it in the same clause (clauses split on ，；。（ etc.), the nearest term whose metric
    accepts the number's unit; no other count may lie between term and number, the gap may not
    join another thing with 和/及/与 ("吹风会和采访活动30余场" is skipped), and the number must be
    followed by punctuation or a small set of words (通过/均/已…) — "七个板块" counts 板块, not
    the term before it; or
  - right after its unit ("20多场“外交·大家谈”网络访谈", "103 件顺延到下年度"), for event and
    case metrics only;
* the unit fits the metric (网站…3000条 is not a website count);
* the term is a prose metric: table metrics (规章, 行政许可 …) block instead of matching.

Also:
* "其中" breakdowns are not the parent metric; after 行政复议 N 件，其中结果维持 … they become
  review_upheld / review_corrected / review_other / review_pending; other breakdowns are skipped.
* Cumulative counts ("开办一年多来", "…以来，" earlier in the sentence) are skipped; "日均" gets scope "daily_average".
* Zero statements become value 0 facts whose span is the phrase that says none:
  无因政府信息公开申请行政复议、提起行政诉讼 → review_total 0 and litigation_total 0,
  未收到政府信息公开申请 → applications_received 0, 均未收费 → fees_charged 0.
* 据不完全统计: the number's own qualifier wins (160餘件 → at_least); when the number has none,
  the qualifier is `incomplete`. Either way the note says "据不完全统计", so both caveats stay
  visible to the answer.
* A money amount with no metric term inside a section headed …支出… is spending (长春 2012:
  "信息更新15万元" under "(二)政府信息公开事务支出情况").

The quote is the whole sentence (split on 。！？； and paragraph ends; lines hard-wrapped by
PDF extraction are joined: `qa.facts.prose_sentences`); the span is the number, or the zero phrase.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Optional

from qa.facts.common import in_boilerplate, make_fact, vocabulary
from qa.facts.numbers import NumberMention, find_numbers
from qa.facts.prose_sentences import Clause, blank_inline_boilerplate, compact_sentence, heading_before, sentences
from qa.normalize import matching_view
from qa.types import Fact, Qualifier, Report, Section

# Metrics prose may state, with the units a prose number may carry for them.
_DOCS = {"件", "份", "条", "个", "宗", "项", "起"}
_CASES = {"件", "起", "宗", "个", "次", "例"}
_EVENTS = {"场", "次", "期", "场次"}
PROSE_UNITS: dict[str, set[str]] = {
    "applications_received": _DOCS | {"人次", "次", "批"},
    "applications_carried_over": _DOCS,
    "carried_forward": _DOCS,
    "results_total": _DOCS,
    "review_total": _CASES,
    "review_upheld": _CASES,
    "review_corrected": _CASES,
    "review_other": _CASES,
    "review_pending": _CASES,
    "litigation_total": _CASES,
    "proactive_disclosures": {"条", "件", "篇", "个", "项", "份"},
    "press_conferences": _EVENTS,
    "media_briefings": _EVENTS,
    "online_interviews": _EVENTS,
    "questions_answered": {"条", "个", "次", "项"},
    "microblog_posts": {"条", "篇", "次"},
    "microblog_followers": {"", "人", "名"},
    "wechat_posts": {"条", "篇", "期", "次"},
    "websites": {"个", "家"},
    "website_visits": {"次", "人次"},
    "archive_visitors": {"人次", "人"},
    "warnings_published": {"条", "次", "期"},
    "policy_interpretations": {"个", "条", "篇", "期", "次", "项", "件", "份"},
    "gazette_issues": {"期"},
    "consultations": {"人次", "次", "件", "个", "批"},
    "fees_charged": {"元", "万元"},
    "staff_fulltime": {"人", "名"},
    "staff_parttime": {"人", "名"},
    "spending": {"元", "万元"},
    "dedicated_funds": {"元", "万元"},
    "information_produced": {"条", "件", "个", "项"},
    "info_on_request": {"条", "件", "个", "项"},
    "info_withheld": {"条", "件", "个", "项"},
    "proactive_website": {"条", "件", "篇", "个", "项"},
    "reading_points": {"个", "处"},
    "public_opinion_responses": {"次", "条", "起", "件"},
    "complaints": _CASES,
}
# Prose-only names, on top of metrics.toml (too loose for questions, fine next to a number).
PROSE_TERMS: dict[str, list[str]] = {
    "website_visits": ["点击浏览数量", "阅读点击数", "浏览量", "浏览数量", "访问人次"],
    "policy_interpretations": ["解读政策性文件", "政策文件解读", "政策性解读文件", "解读政策"],
    "wechat_posts": ["微信公众号推文", "微信推文", "推文"],
    "consultations": ["咨询电话"],
    "staff_parttime": ["人员兼职"],
    "staff_fulltime": ["人员专职"],
    "info_withheld": ["不子公开信息数"],  # a misprint two finance-bureau reports repeat (不子 for 不予)
}
# Metrics a term right after the number may name ("12场新闻发布会", "103件顺延到下年度").
POST_TERM_METRICS = {"press_conferences", "media_briefings", "online_interviews", "carried_forward",
                     "applications_received", "review_total", "litigation_total",
                     "staff_parttime", "staff_fulltime"}  # "5名人员兼职从事…"
# Words that stop generic terms from naming received applications ("答复政府信息公开申请50件").
_VETO = {"applications_received": ("答复", "办结", "办理", "处理", "回复", "回应", "转办", "结转", "顺延", "咨询"),
         "proactive_disclosures": ("答复", "电子化")}  # "已主动公开答复数1条", "全文电子化的主动公开信息数": parts
# What may follow a number+unit for a term before it to name it.
_FOLLOW_OK_CHARS = set("，,。；;、)）(（:：!！?？“”\"'|") | {""}
_FOLLOW_OK_WORDS = ("通过", "参与", "参加", "均", "已", "全部", "较", "同比", "其中", "左右", "以上", "次", "的",
                    "信息", "原创信息")
_SUB_REVIEW = [("尚未审结", "review_pending"), ("其他结果", "review_other"), ("结果维持", "review_upheld"),
               ("结果纠正", "review_corrected"), ("维持", "review_upheld"), ("纠正", "review_corrected")]

@lru_cache(maxsize=1)
def _terms() -> list[tuple[str, str]]:
    """(term, metric), longest first; table metrics are included so that they block."""
    out = []
    for metric, entry in vocabulary()["metrics"].items():
        for term in entry.get("zh", []) + entry.get("extract_zh", []) + PROSE_TERMS.get(metric, []):
            out.append((matching_view(term), metric))
    out.sort(key=lambda t: -len(t[0]))
    return out


def _find_terms(s: str) -> list[tuple[int, int, str]]:
    """Non-overlapping term occurrences in `s`, longest first: (start, end, metric)."""
    taken = [False] * len(s)
    found = []
    for term, metric in _terms():
        start = 0
        while True:
            i = s.find(term, start)
            if i < 0:
                break
            if not any(taken[i:i + len(term)]):
                found.append((i, i + len(term), metric))
                for k in range(i, i + len(term)):
                    taken[k] = True
            start = i + 1
    found.sort()
    return found


def extract_prose_facts(report: Report, sections: list[Section]) -> list[Fact]:
    """Facts stated in the report's sentences (see the module doc for the rules)."""
    view = blank_inline_boilerplate(report, matching_view(report.text))
    mentions = find_numbers(report.text)
    mention_starts = [m.start for m in mentions]  # sorted: find_numbers goes left to right
    facts: list[Fact] = []
    seen: set = set()

    def add(metric, value, start, end, qa, qb, unit=None, qualifier=Qualifier.exact, scope="", note=""):
        key = (metric, scope, value, qa)
        if key in seen:
            return
        seen.add(key)
        facts.append(make_fact(report, sections, metric=metric, value=value, start=start, end=end,
                               quote_start=qa, quote_end=qb, unit=unit, qualifier=qualifier,
                               scope=scope, note=note))

    parent = None
    for qa, qb in sentences(report, view, frozenset(sec.start for sec in sections if sec.start > 0)):
        if in_boilerplate(report, qa):
            continue
        sent = compact_sentence(view, qa, qb)
        idx = {p: i for i, p in enumerate(sent.pos)}
        inside = mentions[bisect_left(mention_starts, qa):bisect_left(mention_starts, qb)]
        sent_mentions = [(idx[m.start], m) for m in inside if m.start in idx]
        count_pos = {i for i, m in sent_mentions if m.kind == "count"}
        # metric of the last fact before 其中: in this sentence, or the one before when this one opens
        # with 其中 (…共制作政府信息152条。其中，主动公开政府信息67条。)
        parent = parent if sent.compact.startswith("其中") else None
        for ci, m in sent_mentions:
            if m.kind != "count" or in_boilerplate(report, m.start):
                continue
            got = _metric_for(view, sent, ci, m, count_pos, parent)
            if got is None:
                continue
            metric, scope = got
            if not (metric.startswith("review_") and metric != "review_total") \
                    and metric not in _BREAKDOWN_PARTS.get(parent, ()):
                parent = metric
            unit = m.unit or vocabulary()["metrics"][metric].get("unit", "")
            note = ""
            if m.incomplete:
                note = "据不完全统计 (incomplete statistics)"
            add(metric, m.value, m.start, m.end, qa, qb, unit=unit, qualifier=m.qualifier, scope=scope,
                note=note)
        for metric, s, e in _zero_statements(sent):
            add(metric, 0.0, s, e, qa, qb, note="zero statement")
    return facts


_OWN_DOCUMENTS = {"applications_received": "info_on_request", "withheld_total": "info_withheld"}
_BREAKDOWN_PARTS = {
    "information_produced": {"proactive_disclosures", "info_on_request", "info_withheld"},
    "proactive_disclosures": {"proactive_website", "proactive_gazette"},
}


def _metric_for(view: str, sent: Clause, ci: int, m: NumberMention, count_pos: set[int], parent: Optional[str],
                breakdown: bool = False, rename: Optional[dict[str, str]] = None) -> Optional[tuple[str, str]]:
    """(metric, scope) naming the count `m` at compact index `ci` of the sentence, or None.
    `rename`: what a term names in this sentence instead (不予公开 of the bureau's own documents)."""
    if m.unit not in PROSE_UNITS_ALL:
        return None
    c = sent.compact
    cs = sent.clause_start[ci]  # the number's clause, in compact coordinates
    before_sent, clause = c[:ci], c[cs:ci]
    if "其中" in before_sent and not breakdown:
        return _breakdown_metric(view, sent, ci, m, count_pos, parent, clause)
    if re.search(r"(?<!今年)以来", before_sent) or "多来" in clause or _MULTI_YEAR.search(clause):
        return None  # counts over several years ("近3年共受理…"), not this year's
    if _PART_BEFORE.search(clause[-8:]) or clause.endswith("每"):
        return None  # "另外一件申请…": a part of something counted elsewhere
    scope = "daily_average" if "日均" in clause else ""
    if _CUMULATIVE.search(before_sent):
        scope = "cumulative"  # "历年累计主动公开政府信息837条": the running total
    # where the number's phrase ends (unit and post-qualifiers), in compact coordinates
    ue = ci
    while ue < len(sent.pos) and sent.pos[ue] < m.unit_end:
        ue += 1
    follow = c[ue:ue + 6]
    post = _term_after(c, ue, follow)
    if post is not None:  # a term right after the number names it
        return (post, scope) if post in POST_TERM_METRICS and m.unit in PROSE_UNITS[post] else None
    if not (follow[:1] in _FOLLOW_OK_CHARS or follow.startswith(_FOLLOW_OK_WORDS)):
        return None
    decided, metric = _term_before(clause, cs, ci, count_pos, m.unit, rename or {})
    if decided:
        return (metric, scope) if metric else None
    # money in a section about spending, when no term in the clause takes the unit
    if m.unit in ("元", "万元"):
        title = heading_before(view, sent.pos[0])
        if title and ("支出" in title or "经费" in title):
            return "spending", scope
    return None


def _breakdown_metric(view: str, sent: Clause, ci: int, m: NumberMention, count_pos: set[int],
                      parent: Optional[str], clause: str) -> Optional[tuple[str, str]]:
    """After 其中: a part of the parent metric (review results, or a part that is a metric of its own)."""
    if parent == "review_total":
        for word, metric in _SUB_REVIEW:
            if word in clause and m.unit in PROSE_UNITS[metric]:
                return metric, ""
    if parent not in _BREAKDOWN_PARTS:
        return None
    # "制作、获取政府信息总数473条，其中主动公开政府信息123条", "…18条，其中通过网站公开18条":
    # the parts are metrics of their own
    # …制发政府信息405条，其中…依申请公开177条、不予公开88条: the bureau's own documents, not requests
    own = _OWN_DOCUMENTS if parent == "information_produced" else None
    got = _metric_for(view, sent, ci, m, count_pos, None, breakdown=True, rename=own)
    return got if got is not None and got[0] in _BREAKDOWN_PARTS[parent] else None


def _term_after(c: str, ue: int, follow: str) -> Optional[str]:
    """The metric of a term right after the number's unit (past a quoted name), or None."""
    post = follow
    if post.startswith("“"):
        q = c.find("”", ue, ue + 20)
        if q > 0:
            post = c[q + 1:q + 9]
    post_terms = _find_terms(post)
    if post_terms and post_terms[0][0] <= 1 and not (post_terms[0][0] == 1 and post[0] != "的"):
        return post_terms[0][2]
    return None


def _term_before(clause: str, cs: int, ci: int, count_pos: set[int], unit: str,
                 rename: dict[str, str]) -> tuple[bool, Optional[str]]:
    """(decided, metric) from the nearest term before the number in its clause: (True, metric)
    names it, (True, None) blocks it, (False, None) when no term takes the number's unit."""
    for ts, te, metric in reversed(_find_terms(clause)):
        metric = rename.get(metric, metric)
        if metric not in PROSE_UNITS:
            return True, None  # a table metric (规章, 行政许可 …) blocks
        gap = clause[te:]
        if any(cs + te <= p < ci for p in count_pos):
            return True, None  # another number between term and this one
        if len(gap) > 30 or re.search(r"和|及|与|以及", gap):
            return True, None
        if clause[ts - 1:ts] in ("和", "及", "与") and ts > 0:
            return True, None  # "主动公开和依申请公开的政府信息共468条": a sum of two metrics
        if re.search(r"其[他它]应?$", clause[max(0, ts - 3):ts]):
            return True, None  # "其他应主动公开的政府信息2条": the last category, not the total
        if re.search(r"(?<!各)类", gap):
            return True, None  # "主要类别有：机构职能类信息15条": one category of the metric
        if unit not in PROSE_UNITS[metric]:
            continue  # try an earlier term: "微博在…等网站全年发布信息1.1万条"
        window = clause[max(0, ts - 8):ts] + gap
        if any(v in window for v in _VETO.get(metric, ())):
            return True, None
        return True, metric
    return False, None


PROSE_UNITS_ALL = set().union(*PROSE_UNITS.values())
_MULTI_YEAR = re.compile(r"近(?:\d+|[两二三四五六七八九十])年")
_PART_BEFORE = re.compile(r"(?:另外|其余|剩余)[^，,。；;]{0,3}$")
_CUMULATIVE = re.compile(r"历年累计|累计至今|至今累计|累计总|总累计")


_NEG = r"(?:无|没有|未发生|未有|未出现|不存在|未产生|未收到|未接到)"
_ZERO_PATTERNS = [
    # 无因政府信息公开申请行政复议、提起行政诉讼的情况 / 没有…申请行政复议、提起行政诉讼和申诉情况
    (re.compile(_NEG + r"[^，,。；;]{0,20}?(?:行政复议|复议|行政诉讼|诉讼)[^，,。；;]{0,20}?(?=情况|案件|的|[，,。；;]|$)"), None),
    # …行政复议申请、提起行政诉讼均为零件
    (re.compile(r"(?:行政复议|复议|行政诉讼|诉讼)[^，,。；;]{0,25}?(?:均为|皆为|都为|均是|为)(?:零|0|〇)(?:件|起|宗|个|次)?"), None),
    # 未收到政府信息公开申请
    # (not 没有收到申请公开的信息涉及“不予公开”的: no request touched 不予公开, requests did come)
    (re.compile(r"(?:未|没有|无)(?:收到|接到|受理|接收)(?:过)?(?:任何)?(?:[^，,。；;]{0,12}?)申请(?!人|[^，,。；;]{0,3}(?:复议|诉讼))"
                r"(?![^，,。；;]{0,8}涉及)"), "applications_received"),
    (re.compile(r"(?:无|没有)(?:政府信息公开申请|依申请公开申请|依申请公开事项)(?![^，,。；;]{0,10}(?:复议|诉讼|费))"),
     "applications_received"),
    (re.compile(_NEG + r"[^，,。；;]{0,15}?(?:收取|收费)"), "fees_charged"),
    (re.compile(r"(?:均未|未|没有|不)收(?:取)?(?:任何)?费"), "fees_charged"),
    # 未收取信息处理费, 没有产生信息公开处理费
    (re.compile(r"(?:均未|未|没有|不|无)(?:收取|产生)(?:过)?(?:任何)?[^，,。；;\d]{0,10}?(?:处理费|费用)"), "fees_charged"),
]


def _zero_statements(sent: Clause) -> list[tuple[str, int, int]]:
    out = []
    c = sent.compact
    for rx, metric in _ZERO_PATTERNS:
        for z in rx.finditer(c):
            phrase = z.group(0)
            if re.search(r"\d|[一二三四五六七八九十百千]+(?:件|起|个)", phrase.replace("〇", "")):
                continue  # a count is stated, not none
            if metric is None:
                metrics = []
                if "复议" in phrase:
                    metrics.append("review_total")
                if "诉讼" in phrase:
                    metrics.append("litigation_total")
            elif metric == "applications_received":
                if re.search(r"复议|诉讼|费", phrase):
                    continue
                metrics = [metric]
            else:
                if "标准" in phrase:
                    continue
                metrics = [metric]
            s, e = sent.pos[z.start()], sent.pos[z.end() - 1] + 1
            out.extend((mt, s, e) for mt in metrics)
    return out
