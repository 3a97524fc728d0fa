"""Agency linking: the agencies a question names, among the agencies whose reports are ingested.

No alias list per agency. A Chinese mention names an agency when it is a recognizable short
form of the agency's full name: its characters appear in the name in order (地税局 → 地方税务局,
外办 → 外事办公室, 财金局 → 财政金融局, 市政府办公厅 → 市人民政府办公厅) and it ends on the name's own
suffix (局, 办→办公室, 委→委员会 …). An English mention is linked by `qa.link_en`: a small glossary of
institutional terms (`qa/data/glossary.toml`), the pinyin of the place and of pinyin names (Pingtan
Guoziju: the same short-form rule over syllables), and CC-CEDICT for any other English word.

Several agencies fitting one mention is never resolved by guessing: the year the question names
narrows them, a nearly exact form wins (平潭财政局 is 平潭县财政局, one character dropped, not
平潭综合实验区财政金融局, seven dropped; 平潭经发局 fits both 经济发展局 and is ambiguous), and otherwise the question is ambiguous and the answer
lists the candidates. A mention that fits nothing is an unknown agency: the answer abstains and
names the closest ingested agencies with the years held.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping, Optional

from qa.link_en import english_mentions, english_place

# Characters an agency name (and so a mention of one) ends with.
SUFFIX_CHARS = set("局办室会委厅部署府区县市处院所站队心馆")
# What may follow the last character a mention matched: 外办 → 外事办公室, 发改委 → 发展和改革委员会,
# 洪泽区 → 淮安市洪泽区人民政府.
ALLOWED_TAILS = {"", "公室", "员会", "公厅", "人民政府", "政府"}
# Mentions starting with these are question words, not part of a name.
NOT_NAME = re.compile(r"[的了吗呢是在有和与及或对向从为年月日共各该本其这那哪些个多少几以由按据给被把于]")
# Characters of institution words and place levels: a mention made only of these names nothing.
GENERIC_CHARS = set("人民政府办公室厅委员会局部署省市县区")
MAX_MENTION = 24
NEAR_EXACT = 1  # a short form that drops at most this many characters (平潭财政局 for 平潭县财政局) ...
CLEAR_MARGIN = 3  # ... wins over one that drops at least this many more; otherwise: ambiguous


@dataclass
class Mention:
    text: str
    start: int
    end: int
    agencies: list[str] = field(default_factory=list)  # every agency the mention fits, best first
    weak: bool = False  # only a place and generic words ("Pingtan government" portal): no agency of its own


@dataclass
class Linking:
    agencies: list[str] = field(default_factory=list)  # linked: one per mention
    ambiguous: list[str] = field(default_factory=list)  # a mention fit several: the candidates
    from_place: bool = False  # the candidates share only the place the question names
    unknown: Optional[str] = None  # a mention of an agency that fits no ingested agency
    mentions: list[Mention] = field(default_factory=list)


# ---------------------------------------------------------------------------- Chinese mentions
def _align(mention: str, name: str) -> Optional[tuple[int, int]]:
    """(first matched index, skipped characters) of the best in-order match of `mention` in `name`
    ending on the name's suffix, or None. Skipped = name characters between the matched ones."""
    best: Optional[tuple[int, int]] = None
    last = mention[-1]
    for end in [i for i, c in enumerate(name) if c == last and name[i + 1:] in ALLOWED_TAILS]:
        # match backwards from `end`, each character as late as possible: fewest skips inside
        j, pos = len(mention) - 2, end
        while j >= 0:
            pos = name.rfind(mention[j], 0, pos)
            if pos < 0:
                break
            j -= 1
        if j >= 0:
            continue
        skipped = (end - pos + 1) - len(mention)
        if best is None or skipped < best[1]:
            best = (pos, skipped)
    return best


@lru_cache(maxsize=4096)
def suffix_ends(name: str) -> frozenset[int]:
    """Indices a short form of the name may end on: its suffix character (办 of 办公室 too)."""
    return frozenset(i for i, c in enumerate(name) if c in SUFFIX_CHARS and name[i + 1:] in ALLOWED_TAILS)


@lru_cache(maxsize=4)
def _char_index(names: tuple[str, ...]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for name in names:
        for ch in set(name):
            index[ch].add(name)
    return {ch: frozenset(v) for ch, v in index.items()}


def _fits(mention: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(skipped, starts-late, name) for every name the mention is a short form of, best first."""
    index = _char_index(names)
    pool: Optional[frozenset[str]] = None
    for ch in set(mention):
        pool = index.get(ch, frozenset()) if pool is None else pool & index.get(ch, frozenset())
        if not pool:
            return []
    out = []
    for name in pool or ():
        hit = _align(mention, name)
        if hit:
            out.append((hit[1], int(hit[0] > 0), name))
    return sorted(out)


def chinese_mentions(view: str, names: tuple[str, ...]) -> list[Mention]:
    """The longest span ending on each suffix character that fits some agency; nested spans dropped."""
    found: list[Mention] = []
    for end, ch in enumerate(view):
        if ch not in SUFFIX_CHARS:
            continue
        for start in range(max(0, end - MAX_MENTION), end):  # longest first
            text = view[start:end + 1]
            if not re.fullmatch(r"[\u4e00-\u9fff()（）]+", text) or NOT_NAME.match(text):
                continue
            fits = _fits(text, names)
            if fits and _has_function(text, [f[2] for f in fits]):
                m = _unmodified(view, Mention(text, start, end + 1, [f[2] for f in fits]), fits)
                if m.agencies or not _government_information(view, end):
                    found.append(m)
                break
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in found:
        if not any(k.start <= m.start and m.end <= k.end for k in kept):
            kept = [k for k in kept if not (m.start <= k.start and k.end <= m.end)] + [m]
    return kept


def _government_information(view: str, end: int) -> bool:
    """…公安政府信息公开申请: 政府 before 信息 is the phrase 政府信息, not the end of an unknown agency."""
    return view[end - 1:end + 1] == "政府" and view.startswith("信息", end + 1)


def _unmodified(view: str, m: Mention, fits: list[tuple[int, int, str]]) -> Mention:
    """平潭综合实验区农村发展局 is not 经济发展局 because 发展局 fits it: a short form that starts inside
    a name must not follow a word the name lacks (农村). Such names are dropped; a mention left
    with none is an unknown agency, named by its whole span."""
    before = view[m.start - 1] if m.start else ""
    if not before or not re.match(r"[\u4e00-\u9fff]", before) or NOT_NAME.match(before) or before in "请问查":
        return m
    kept = [name for late_skip, late, name in fits if not late or before in name]
    if kept:
        return Mention(m.text, m.start, m.end, kept)
    start = m.start
    while start > 0 and re.match(r"[\u4e00-\u9fff]", view[start - 1]) and (
            view[start - 1] in "与和及" or not NOT_NAME.match(view[start - 1])):  # 自然资源与规划局
        start -= 1
    return Mention(view[start:m.end], start, m.end, [])


def _has_function(mention: str, names: list[str]) -> bool:
    """A mention names an institution, not only a place or a suffix: 政府 (as in 政府信息公开) and
    区政府 name nothing; 平潭县局 fits every 平潭县 bureau and names none."""
    if not set(mention) - GENERIC_CHARS:
        return False
    core = re.sub(r"^[\u4e00-\u9fff]{1,6}?(?:省|市(?!场)|县|区|自治州|州)", "", mention)
    return len(core) >= 2 or any(mention == n for n in names)


def _rank(mention: Mention, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    return [f for f in _fits(mention.text, names) if f[2] in mention.agencies]


# ---------------------------------------------------------------------------- linking
def link_agencies(view: str, question: str, agency_years: Mapping[str, Iterable[int]],
                  years: Iterable[int] = ()) -> Linking:
    """The agencies a question names, by exact name, short form, or English name."""
    names = tuple(sorted(agency_years))
    years = set(years)
    mentions = chinese_mentions(view, names)
    if re.search(r"[A-Za-z]{3,}", question):
        spans = english_mentions(question, names, suffix_ends, _places(names))
        mentions += [Mention(question[s.start:s.end], s.start, s.end, s.agencies, s.weak) for s in spans
                     if not any(k.start <= s.start < k.end for k in mentions)]
    if any(m.agencies for m in mentions):  # "the Pingtan government portal …, the Management Committee Office's report"
        mentions = [m for m in mentions if m.agencies or not m.weak]
    result = Linking(mentions=mentions)
    if not mentions:  # only a place named ("平潭2021年…", "Pingtan's residents"): its agencies are the candidates
        place = _place_candidates(view, names)
        en_place = None if place else english_place(question, _places(names))
        if place or en_place:
            place = place or en_place
            narrowed = _named_after_place(view, *place) if not en_place else None
            mentions.append(narrowed or Mention(place[0], -1, -1, place[1]))
            result.from_place = narrowed is None
    for m in sorted(mentions, key=lambda m: m.start):
        chosen = _choose(m, names, agency_years, years)
        if not m.agencies:
            result.unknown = result.unknown or m.text
        elif chosen is None:
            result.ambiguous = _held_in(m.agencies, agency_years, years) or m.agencies
        elif chosen:
            result.agencies.append(chosen)
    result.agencies = list(dict.fromkeys(result.agencies))
    return result


PLACE = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:省|市(?!场)|县|区|自治州|州|旗)")  # 平潭市场监督管理局: 市场 is no 市


def _place_candidates(view: str, names: tuple[str, ...]) -> Optional[tuple[str, list[str]]]:
    """The longest place a question names (平潭, 平潭综合实验区) and the agencies of that place."""
    best: Optional[tuple[str, list[str]]] = None
    for name in names:
        m = PLACE.match(name)
        place = m.group(0) if m else ""
        for key in dict.fromkeys((place, place[:-1], name[:2])):
            if len(key) >= 2 and key in view and (best is None or len(key) >= len(best[0])):
                if best is None or len(key) > len(best[0]):
                    best = (key, [])
                best[1].append(name)
                break
    return best


@lru_cache(maxsize=4)
def _places(names: tuple[str, ...]) -> dict[str, list[str]]:
    """Each place the names start with, without its level (平潭县, 平潭 → 平潭), and its agencies."""
    found: dict[str, list[str]] = defaultdict(list)
    for name in names:
        m = PLACE.match(name)
        keys = [k for k in ((m.group(0) if m else ""), name[:2]) if len(k) >= 2]
        for bare in dict.fromkeys(k[:-1] if len(k) > 2 and k[-1] in "省市县区州旗" else k for k in keys):
            found[bare].append(name)
    return dict(found)


def _named_after_place(view: str, place: str, agencies: list[str]) -> Optional[Mention]:
    """“平潭国资”微信公众号: the place and a short form without its suffix (国资 → 国有资产管理局) name
    the place's agencies that have those characters in order."""
    at = view.find(place)
    run = re.match(r"[\u4e00-\u9fff]*", view[at + len(place):]).group(0)[:8]
    for n in range(len(run), 1, -1):
        text = place + run[:n]
        fits = [a for a in agencies if _in_order(text, a)]
        if fits:  # the longest run that fits: several (平潭市场监管 of a renamed bureau) are for the years to decide
            return Mention(text, at, at + len(text), fits)
    return None


def _in_order(mention: str, name: str) -> bool:
    pos = 0
    for ch in mention:
        pos = name.find(ch, pos) + 1
        if not pos:
            return False
    return True


def _choose(m: Mention, names: tuple[str, ...], agency_years: Mapping[str, Iterable[int]],
            years: set[int]) -> Optional[str]:
    if not m.agencies:
        return None
    candidates = _held_in(m.agencies, agency_years, years) or m.agencies
    if m.text in candidates:  # the full name itself
        return m.text
    if len(candidates) == 1:
        return candidates[0]
    ranked = [f for f in _rank(m, names) if f[2] in candidates]
    if len(ranked) >= 2 and ranked[0][0] <= NEAR_EXACT and ranked[0][0] + CLEAR_MARGIN <= ranked[1][0]:
        return ranked[0][2]
    if re.search(r"[A-Za-z]", m.text):  # English: the name that says nothing the mention does not
        by_core = sorted(candidates, key=_core_length)  # Transport Bureau: 交通局, not 交通与建设局
        if _core_length(by_core[0]) + CLEAR_MARGIN <= _core_length(by_core[1]):
            return by_core[0]
    return None


def _core_length(name: str) -> int:
    """Characters of a name after its place (平潭县交通局 → 交通局: 3)."""
    m = PLACE.match(name)
    return len(name) - (len(m.group(0)) if m else 0)


def _held_in(agencies: list[str], agency_years: Mapping[str, Iterable[int]], years: set[int]) -> list[str]:
    if not years:
        return []
    return [a for a in agencies if years & set(agency_years.get(a, ()))]


def closest_agencies(mention: str, agency_years: Mapping[str, Iterable[int]], n: int = 3) -> list[str]:
    """The ingested agencies sharing most characters with a mention, for "did you mean"."""
    def overlap(name: str) -> float:
        common = len(set(mention) & set(name))
        return common / (len(set(mention)) or 1)

    ranked = sorted(agency_years, key=lambda a: (-overlap(a), len(a)))
    return [a for a in ranked[:n] if overlap(a) > 0]


def describe_years(agency: str, agency_years: Mapping[str, Iterable[int]]) -> str:
    """外交部: 2012, 2013 — runs of consecutive years folded (2009–2013)."""
    ys = sorted(set(agency_years.get(agency, ())))
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    return f"{agency}: {', '.join(parts)}"


def agency_years(store) -> dict[str, list[int]]:
    """Agency → years of its complete reports; cached until the store is written."""
    db = store.db
    version = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
    cached = getattr(store, "_agency_years", None)
    if not cached or cached[0] != version:
        held: dict[str, set[int]] = defaultdict(set)
        rows = db.execute("SELECT agency, year FROM reports WHERE status = 'complete' AND agency IS NOT NULL")
        for agency, year in rows:
            if year is not None:
                held[agency].add(year)
            else:
                held.setdefault(agency, set())
        cached = (version, {a: sorted(ys) for a, ys in held.items()})
        store._agency_years = cached
        if hasattr(store, "name_syllables"):
            from qa.link_en import remember_syllables

            remember_syllables(store.name_syllables())
    return cached[1]
