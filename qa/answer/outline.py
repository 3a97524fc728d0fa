"""A report's own outline and lists, found in its text: the quotable units of narrative answers.

1. `outline(text)` finds the report's headings in the text itself — level 1 (一、…) and level 2
   (（一）…) — also when a web page has lost its line breaks and the headings run inline, as in
   most of `pingtan/`. The headings must come in sequence and must not read like table rows.
2. `split_items` splits a span into its top-level enumerated items (一是…二是…, 1.…2.…,
   （一）…（二）…, ①…②…); a list nested inside an item stays part of it. A part with no list
   is quoted sentence by sentence (`sentence_items`).

Everything runs on the matching view (simplified, half-width, same length as the original), so
every quote is the original text at its span, in the report's own script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.normalize import matching_view

CN_NUM = "一二三四五六七八九十"
MAX_ITEM_CHARS = 480
TABLE_ROW = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度|予以公开|部分公开|无法提供|不予处理|其他处理|总计")
TITLE_ENDS = ("情况", "措施", "打算", "概述", "事项", "问题", "方向", "计划", "建设", "形式", "渠道")
# the end of a report's text: a signature date, attachments, tables appended after the last section
TAIL = re.compile(r"[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
                  r"|(?:19|20)\d\d年\d{1,2}月\d{1,2}日\s*$|附件下载|附件[:：]|附表|附[:：]|需要说明的事项与附表")
BEFORE_HEADING = set(" \t\n\u3000。；;：:！!？?）)」”\"、，,>|")

FAMILIES = {
    "shi": re.compile(rf"([{CN_NUM}])\s*是"),
    "paren": re.compile(rf"\(([{CN_NUM}]{{1,2}})\)"),
    "digit": re.compile(r"(?<![\d.．])(\d{1,2})\s*[.、．](?![\d])"),
    "paren_digit": re.compile(r"\((\d{1,2})\)"),
    "circled": re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩])"),
}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
INLINE_FAMILIES = {"shi", "circled"}  # items of these end with their sentence, not at the next heading


@dataclass(frozen=True)
class Block:
    """A heading and the text it governs. Offsets index the original text."""

    level: int  # 1 for 一、 headings, 2 for （一） headings (0: no heading)
    label: str  # number and title as written, e.g. 五、存在的主要问题及改进情况
    title: str  # title without its number, original script
    start: int  # offset of the heading
    body: int  # offset where the text after the title begins
    end: int  # end offset (exclusive) of the block
    path: str  # parent label > own label


@dataclass(frozen=True)
class Item:
    """One quoted list item (its marker included) or sentence."""

    start: int
    end: int
    topic: str = ""  # problems / measures when a list could be told apart, else ''

def cn_value(s: str) -> int:
    if s in CIRCLED:
        return CIRCLED.index(s) + 1
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if len(s) == 2 and s[0] == "十":
        return 10 + CN_NUM.index(s[1]) + 1
    if len(s) == 2 and s[1] == "十":
        return (CN_NUM.index(s[0]) + 1) * 10
    return CN_NUM.index(s[0]) + 1 if s and s[0] in CN_NUM else 0


# ---------------------------------------------------------------------------- outline
def _title(view: str, start: int, limit: int, level: int = 1) -> int:
    """End offset of a heading title starting at `start` (inline headings run into their body)."""
    stop = min(limit, start + (40 if level == 1 else 24))
    stops = r"[。：:；;\n|]|\s{1,}(?=\S)|\d|[(（]|[一二三四五六七八九十]是"
    m = re.search(stops, view[start:stop])
    end = start + m.start() if m else stop
    if end - start > 14:
        for word in TITLE_ENDS:
            i = view.find(word, start, end)
            if i >= 0 and i + len(word) - start >= 2:
                return i + len(word)
    return end


def _level1(view: str) -> list[tuple[int, int, int]]:
    """(start, body start, number) of 一、二、… headings in sequence. A heading may follow any
    character when its title names a known part of a report (web text runs "…650.10元三、收到和处理…"),
    and one missing number is tolerated for such titles."""
    from qa.sections import classify

    out, expected = [], 1
    for m in re.finditer(rf"([{CN_NUM}]{{1,3}})\s*、\s*", view):
        n = cn_value(m.group(1))
        if n not in (expected, expected + 1):
            continue
        body = _title(view, m.end(), len(view))
        title = view[m.end():body]
        if len(re.findall(r"[\u4e00-\u9fff]", title)) < 2 or TABLE_ROW.search(title[:12]):
            continue
        known = classify(title).value != "other" or "其他需要报告" in title
        before = view[m.start() - 1] if m.start() else "\n"
        plain = before in BEFORE_HEADING or before.isspace() or before.isdigit()
        if (n == expected and (plain or known)) or (n == expected + 1 and known and plain):
            out.append((m.start(), body, n))
            expected = n + 1
    return out


def _level2(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, body start) of （一）（二）… in sequence inside [start, end)."""
    out, expected = [], 1
    for m in FAMILIES["paren"].finditer(view, start, end):
        if cn_value(m.group(1)) == expected:
            out.append((m.start(), _title(view, m.end(), end, level=2)))
            expected += 1
    return out


def outline(text: str, sections: tuple = ()) -> tuple[Block, ...]:
    """Level-1 and level-2 blocks of a report, in text order. A report whose headings are not
    numbered (short standalone lines) falls back to its stored `sections`."""
    blocks = _numbered_outline(text)
    if sum(1 for b in blocks if b.level == 1) >= 3 or not sections:
        return blocks
    return tuple(_block_of(text, s) for s in sections if s.level >= 1)


def _block_of(text: str, section) -> Block:
    at = text.find(section.title, section.start, section.end)
    body = at + len(section.title) if at >= 0 else section.start
    label = " ".join(text[section.start:body].split()) or section.title
    return Block(level=min(section.level, 2), label=label, title=section.title, start=section.start, body=body,
                 end=section.end, path=section.path)


@lru_cache(maxsize=64)
def text_view(text: str) -> str:
    return matching_view(text)


@lru_cache(maxsize=64)
def _numbered_outline(text: str) -> tuple[Block, ...]:
    view = text_view(text)
    heads = _level1(view)
    blocks: list[Block] = []
    for i, (s, body, _n) in enumerate(heads):
        e = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        tail = TAIL.search(view, body, e)
        e = tail.start() if tail else e
        label = " ".join(text[s:body].split())
        blocks.append(Block(level=1, label=label, title=text[s:body].split("、", 1)[-1].strip(), start=s, body=body,
                            end=e, path=label))
        subs = _level2(view, body, e)
        for j, (ss, sb) in enumerate(subs):
            se = subs[j + 1][0] if j + 1 < len(subs) else e
            sub_label = " ".join(text[ss:sb].split())
            blocks.append(Block(level=2, label=sub_label, title=re.sub(r"^[(（][^)）]*[)）]\s*", "", sub_label),
                                start=ss, body=sb, end=se, path=f"{label} > {sub_label}"))
    return tuple(blocks)


# ---------------------------------------------------------------------------- items
def _runs(view: str, start: int, end: int) -> list[tuple[str, list[int]]]:
    """Sequences 1, 2, 3… of each marker family inside [start, end): (family, marker offsets)."""
    runs = []
    for family, pattern in FAMILIES.items():
        current: list[int] = []
        last = 0
        for m in pattern.finditer(view, start, end):
            n = cn_value(m.group(1))
            if n == 1:
                if len(current) >= 2:
                    runs.append((family, current))
                current, last = [m.start()], 1
            elif current and n == last + 1 and m.start() - current[-1] < 800:
                current.append(m.start())
                last = n
        if len(current) >= 2:
            runs.append((family, current))
    return sorted(runs, key=lambda r: r[1][0])


def _sentence_end(view: str, pos: int, end: int) -> int:
    m = re.compile(r"[。！？!?]|\n\s*\n").search(view, pos, end)
    return m.end() if m else end


def _last_item_end(view: str, family: str, marker: int, end: int, longest: int) -> int:
    """Where the last item of a list ends: its sentence (inline lists), or about as long as the
    longest item before it, cut at a sentence end (paragraph lists), never past `end`."""
    if family in INLINE_FAMILIES:
        return _sentence_end(view, marker, end)
    cap = min(end, marker + max(longest * 3 // 2, 80))
    if cap >= end:
        return end
    ends = [m.end() for m in re.finditer(r"[。！？!?]", view[marker:cap])]
    return marker + ends[-1] if ends else _sentence_end(view, marker, end)


def _prose_list(view: str, markers: list[int]) -> bool:
    """Items that say something (not table rows like "1．在办件0 2．办结件0")."""
    spans = [view[a:b] for a, b in zip(markers, markers[1:])]
    return not spans or sum(len(re.findall(r"[\u4e00-\u9fff]", s)) for s in spans) / len(spans) >= 8


def _nested(view: str, prev_last: int, first: int) -> bool:
    """A list starting right after the last item's short title ('（三）规范公开行为1、…') is nested."""
    gap = view[prev_last:first]
    return len(gap) < 60 and not re.search(r"[。！？!?；;]", gap)


def split_items(text: str, start: int, end: int) -> list[tuple[int, int, list[Item]]]:
    """Top-level enumerated lists in text[start:end]: (lead-in start, lead-in end, items)."""
    view = text_view(text)
    groups: list[tuple[str, list[int]]] = []
    reach: dict[int, int] = {}  # group index → last marker of a list nested in its last item
    for family, markers in _runs(view, start, end):
        if groups:
            _, prev = groups[-1]
            if markers[0] < prev[-1] or _nested(view, prev[-1], markers[0]):
                if markers[0] > prev[-1]:
                    reach[len(groups) - 1] = max(reach.get(len(groups) - 1, 0), markers[-1])
                continue  # inside an item of the list before
        groups.append((family, markers))
    kept = [i for i, g in enumerate(groups) if _prose_list(view, g[1])]
    out, lead_start = [], start
    for n, gi in enumerate(kept):
        family, markers = groups[gi]
        limit = groups[kept[n + 1]][1][0] if n + 1 < len(kept) else end
        items = []
        for k, s in enumerate(markers):
            if k + 1 < len(markers):
                e = markers[k + 1]
            else:
                longest = max((b - a for a, b in zip(markers, markers[1:])), default=80)
                e = _last_item_end(view, family, s, limit, longest)
                if gi in reach:  # the nested list belongs to this item, to its last sentence
                    e = max(e, _sentence_end(view, reach[gi], limit))
            items.append(Item(start=s, end=_trim_end(text, s, e)))
        out.append((lead_start, markers[0], items))
        lead_start = items[-1].end
    return out


def _trim_end(text: str, s: int, e: int) -> int:
    """Strip trailing spaces; cut very long items at a sentence end (the quote stays verbatim)."""
    if e - s > MAX_ITEM_CHARS:
        cut = [m.end() for m in re.finditer(r"[。；;！？!?]", text[s:s + MAX_ITEM_CHARS])]
        e = s + cut[-1] if cut else s + MAX_ITEM_CHARS
    while e > s and text[e - 1] in " \t\r\n\u3000":
        e -= 1
    return e


def sentence_items(text: str, start: int, end: int, limit: int = 5) -> list[Item]:
    """A part without a list: its sentences, as items."""
    items = []
    for m in re.finditer(r"(?:[^。！？!?\n]|\n(?!\s*\n))+(?:[。！？!?]|(?=\n\s*\n)|$)", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s] in " \t\u3000":
            s += 1
        if len(re.findall(r"[\u4e00-\u9fff]", text[s:e])) >= 6:
            items.append(Item(start=s, end=_trim_end(text, s, e)))
        if len(items) >= limit:
            break
    return items



def items_in(text: str, start: int, end: int) -> list[Item]:
    """The enumerated items of text[start:end], or its sentences when it has no list."""
    groups = split_items(text, start, end)
    items = [it for _, _, its in groups for it in its]
    return items or sentence_items(text, start, end)

