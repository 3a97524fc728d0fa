"""English agency mentions: the ingested agencies an English (or mixed) question names.

No alias list per agency. A mention is a run of name words (glossary words, capitalized words)
around an institution word: an English one (Bureau, Office, regulator …) or a capitalized pinyin
word ending on a syllable an agency name ends with (Ju 局, Ban 办, Wei 委 …). It fits an agency
whose name holds
- a Chinese form of every glossary term (`qa/data/glossary.toml`: Finance → 财政, State Assets → 国有资产),
- the syllables of every pinyin word in order (Pingtan Guoziju → ping tan … guo … zi … ju:
  平潭综合实验区国有资产管理局), ending on the name's suffix when the institution word is pinyin —
  the pinyin analogue of the Chinese short-form rule. A word is split only into syllables the
  names hold (pypinyin has no splitter), and every split is tried against each name,
- for every other English word, the Chinese word its CC-CEDICT glosses give: the one two-character
  word of the ingested names whose glosses hold it (assets → 资产, traffic → 交通); a word giving
  several (security: 公安, 安全) or none names nothing. The dictionary takes ~2 s to load, so it is
  read only for a word neither the glossary nor pinyin explains.

Split from qa/link.py (the Chinese rules, Mention and the choice among fits): it passes in where a
name may end and the places the names hold, so this module imports nothing of it (no cycle).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Callable, Mapping, Optional

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.toml"
INSTITUTION = re.compile(
    r"\b(bureau|office|commission|committee|government|ministry|department|administration|zone|county|"
    r"district|city|province|municipality|center|centre|regulator|aic|psb|police)\b", re.I)
GENERIC_EN = {"ministry", "bureau", "office", "commission", "committee", "government", "people's", "municipal",
              "city", "county", "district", "province", "provincial", "department", "administration", "zone",
              "center", "centre", "general", "municipality", "regulator"}
Ends = Callable[[str], frozenset[int]]  # where a short form of a name may end (qa.link.suffix_ends)


@dataclass
class Word:
    text: str  # lower case, accents and a possessive 's dropped
    start: int
    end: int
    possessive: bool  # "Bureau's": the name may end here
    capital: bool


@dataclass
class Span:
    start: int
    end: int
    agencies: list[str] = field(default_factory=list)
    weak: bool = False  # only a place and generic words: "the Pingtan government portal"
    possessive: bool = False


@lru_cache(maxsize=1)
def glossary() -> dict:
    from qa.facts.common import load_data_file

    return load_data_file(GLOSSARY_FILE)


def _plain(ch: str) -> str:
    """One lower-case character without its accent (Píngtán, lǜ → u): offsets stay the question's."""
    return "'" if ch == "’" else unicodedata.normalize("NFD", ch.lower())[0]


def _words(question: str) -> list[Word]:
    lower = "".join(_plain(c) for c in question)
    out = []
    for m in re.finditer(r"[a-z][a-z'\-]*", lower):
        possessive = m.group(0).endswith("'s") and m.group(0) not in _glossary_words()  # people's government
        out.append(Word(m.group(0)[:-2] if possessive else m.group(0), m.start(), m.end(), possessive,
                        question[m.start()].isupper()))
    return out


def english_mentions(question: str, names: tuple[str, ...], ends: Ends,
                     places: Mapping[str, list[str]]) -> list[Span]:
    """Each mention and the names it fits; `places` (平潭 → its agencies) tell a place word from a name word."""
    words = _words(question)
    stop = set(glossary()["stop"])
    place_words = {pinyin(p) for p in places}
    out: list[Span] = []
    for i, word in enumerate(words):
        pinyin_end = not INSTITUTION.fullmatch(word.text) and word.capital and _ends_on_suffix(
            _bare(word.text), names, ends)
        if not (INSTITUTION.fullmatch(word.text) or pinyin_end) or any(s.start <= word.start < s.end for s in out):
            continue
        lo, hi = _extent(question, words, i, stop)
        phrase = [w.text for w in words[lo:hi + 1] if w.text not in ("of", "for", "the")]
        if all(w in GENERIC_EN or w == "and" for w in phrase):  # "government information", "the bureau": no agency
            continue
        fits = _english_fits(phrase, names, ends if pinyin_end else None)
        if pinyin_end and not fits:  # a capitalized word that only looked like pinyin names nothing
            continue
        weak = all(w in GENERIC_EN or w == "and" or _bare(w) in place_words for w in phrase)
        out.append(Span(words[lo].start, words[hi].end, fits, weak, words[hi].possessive))
    return _outermost(out + _lower_pinyin_names(question, words, names, ends, place_words, out))


def _lower_pinyin_names(question: str, words: list[Word], names: tuple[str, ...], ends: Ends,
                        place_words: set[str], found: list[Span]) -> list[Span]:
    """"pingtan jingji fazhan ju" typed in lower case: after a place's pinyin, up to four words that
    all split into the names' syllables, the last ending on a name's suffix (ju, ban, wei)."""
    heard, out = syllables_of(names)[1], []
    for i, word in enumerate(words):
        if _bare(word.text) not in place_words or any(s.start <= word.start < s.end for s in found):
            continue
        run = []
        for nxt in words[i + 1:i + 5]:
            if nxt.capital or not _last_syllables(_u(nxt.text), heard):
                break
            run.append(nxt)
            # a word of two syllables or more (jingji, caizheng): "he ban" is English as often as pinyin
            if len(run) >= 2 and _ends_on_suffix(_bare(nxt.text), names, ends) and max(len(w.text) for w in run) >= 5:
                fits = _english_fits([word.text] + [w.text for w in run], names, ends)
                if fits:
                    out.append(Span(word.start, nxt.end, fits, False, nxt.possessive))
                break
    return out


def _extent(question: str, words: list[Word], i: int, stop: set[str]) -> tuple[int, int]:
    """The name words around the institution word at i: "Pingtan County Finance Bureau",
    "Bureau of Letters and Visits"."""
    lo = i
    while lo > 0 and i - lo < 8:
        if _name_word(question, words[lo - 1], stop):
            lo -= 1
        elif words[lo - 1].text == "and" and lo > 1 and _name_word(question, words[lo - 2], stop):
            lo -= 2  # "Letters and Visits Bureau": an "and" inside the name
        else:
            break
    hi = i
    if hi + 1 < len(words) and words[hi + 1].text in ("of", "for"):  # "Ministry of Foreign Affairs"
        hi += 1
        while hi + 1 < len(words) and hi - i < 8 and _name_word(question, words[hi + 1], stop - {"and"}):
            hi += 1
            if words[hi].possessive:  # "the Social Affairs Bureau of Pingtan's WeChat": the name ends there
                break
    return lo, hi


def _outermost(spans: list[Span]) -> list[Span]:
    """A span inside a longer one is the same name, unless the longer one fits nothing and the
    inner one ends on a possessive: "the Pingtan Social Affairs Bureau's office" is the bureau's."""
    def inside(m: Span, o: Span) -> bool:
        return o is not m and o.start <= m.start and m.end <= o.end

    def rescued(m: Span) -> bool:
        return bool(m.agencies) and m.possessive

    kept = [m for m in spans if not any(inside(m, o) and (o.agencies or not rescued(m)) for o in spans)]
    return [o for o in kept if o.agencies or not any(inside(m, o) and rescued(m) for m in spans)]


def _name_word(question: str, word: Word, stop: set[str]) -> bool:
    """A word of an agency's English name: a glossary word, or a capitalized one (a place, pinyin)."""
    return word.text not in stop and (word.text in _glossary_words() or question[word.start].isupper())


@lru_cache(maxsize=1)
def _glossary_words() -> frozenset[str]:
    return frozenset(w for term in glossary()["terms"] for w in term.split()) | {"of", "for", "and"}


def _terms(words: list[str]) -> tuple[list[list[str]], list[str]]:
    """The Chinese forms of the glossary terms among the words (longest terms first), and the other words."""
    terms = glossary()["terms"]
    longest = max(len(t.split()) for t in terms)
    wanted: list[list[str]] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = " ".join(words[i:i + n])
            if key in terms:
                if terms[key]:  # an empty list: a word that says nothing about the name
                    wanted.append(terms[key])
                i += n
                break
        else:
            if words[i] != "and":  # "and" outside a term ("finance and banking") joins nothing
                rest.append(_bare(words[i]))
            i += 1
    return wanted, rest


def _english_fits(words: list[str], names: tuple[str, ...], ends: Optional[Ends]) -> list[str]:
    """Names holding a Chinese form of every glossary term, the syllables of the pinyin words in
    order (ending on the name's suffix when `ends` is given) and a CC-CEDICT word of every other word."""
    wanted, rest = _terms(words)
    if not wanted and not rest:
        return []
    heard = syllables_of(names)[1]
    spelled = [w for w in rest if _last_syllables(_u(w), heard)]
    english = [w for w in rest if w not in spelled]
    fits = [n for n in names if all(any(_and(a) in _and(n) for a in alts) for alts in wanted)
            and _in_order(spelled, syllables_of(names)[0][n], ends(n) if ends else None)]
    if english and fits:  # only now: the dictionary takes seconds to load
        said = [_cedict_word(w, names) for w in english]
        fits = [n for n in fits if all(zh and zh in n for zh in said)]
    return fits


def _and(text: str) -> str:
    """和, 与 and 及 all write "and" in a name (自然资源与规划局 is natural resources and planning)."""
    return text.replace("与", "和").replace("及", "和")


def _bare(word: str) -> str:
    return re.sub(r"['\-]", "", word)


def _u(text: str) -> str:
    """pypinyin writes ü as v (lv 旅); a reader writes lu or lü (→ u)."""
    return text.replace("v", "u")


@lru_cache(maxsize=4096)
def pinyin(name: str) -> str:
    return "".join(_syllables(name))


_KNOWN_SYLLABLES: dict[str, tuple[str, ...]] = {}  # read from the store (written at ingest)


def remember_syllables(known: dict[str, tuple[str, ...]]) -> None:
    """Names whose syllables the store holds: no pypinyin import for them."""
    _KNOWN_SYLLABLES.update(known)


@lru_cache(maxsize=4096)
def _syllables(name: str) -> tuple[str, ...]:
    """One syllable per character of the name ("" for a bracket), so indices are the name's."""
    known = _KNOWN_SYLLABLES.get(name)
    if known is None:  # a place (平潭) is the start of a name the store holds
        known = next((syl[:len(name)] for full, syl in _KNOWN_SYLLABLES.items() if full.startswith(name)), None)
    return known if known and len(known) >= len(name) else name_syllables(name)


def name_syllables(name: str) -> tuple[str, ...]:
    """The syllables computed by pypinyin (~0.4 s to import: ingest pays it, English questions on
    names the store holds do not)."""
    from pypinyin import lazy_pinyin

    return tuple(re.sub(r"[^a-z]", "", s) for s in lazy_pinyin(name, errors=lambda text: list(text)))


@lru_cache(maxsize=4)
def syllables_of(names: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Each name's syllables (ü as u), and every syllable the names hold."""
    per_name = {n: tuple(_u(s) for s in _syllables(n)) for n in names}
    return per_name, frozenset(s for syl in per_name.values() for s in syl if s)


def _ends_on_suffix(word: str, names: tuple[str, ...], ends: Ends) -> bool:
    """A word that splits into the names' syllables, the last one a syllable some name ends on (ju, ban, wei)."""
    return bool(_last_syllables(_u(word), syllables_of(names)[1]) & _suffix_syllables(names, ends))


@lru_cache(maxsize=4)
def _suffix_syllables(names: tuple[str, ...], ends: Ends) -> frozenset[str]:
    per_name = syllables_of(names)[0]
    return frozenset(per_name[n][i] for n in names for i in ends(n))


@lru_cache(maxsize=4096)
def _last_syllables(word: str, heard: frozenset[str]) -> frozenset[str]:
    """The last syllable of every way the word splits into syllables of `heard` (none: not pinyin)."""
    out = {word} if word in heard else set()
    for n in range(1, min(len(word), 7)):  # a syllable has six letters at most
        if word[:n] in heard:
            out |= _last_syllables(word[n:], heard)
    return frozenset(out)


def _in_order(words: list[str], syl: tuple[str, ...], ends: Optional[frozenset[int]]) -> bool:
    """The words, spelled by syllables of the name taken in order (characters between may be
    skipped, a word never ends inside a syllable), the last one at an index of `ends` if given."""
    if not words:
        return ends is None
    target = _u("".join(words))
    cuts = set(accumulate(len(w) for w in words))

    @lru_cache(maxsize=None)
    def match(p: int, j: int) -> bool:  # target[:p] spelled by syllables before index j
        for i in range(j, len(syl)):
            q = p + len(syl[i])
            if syl[i] and target.startswith(syl[i], p) and not any(p < c < q for c in cuts):
                if q == len(target) and (ends is None or i in ends) or q < len(target) and match(q, i + 1):
                    return True
        return False

    return match(0, 0)


def _cedict_word(word: str, names: tuple[str, ...]) -> Optional[str]:
    """The one two-character word of the names whose CC-CEDICT glosses hold the English word.
    Two characters: the morphemes names are built of (财政, 交通); a longer word says more than the
    English word (planning → 计划生育 is family planning). Several: the word does not say which."""
    from qa.answer.cedict import chinese_words, stem

    said = chinese_words().get(stem(word), frozenset()) & _bigrams(names)
    return next(iter(said)) if len(said) == 1 else None


@lru_cache(maxsize=4)
def _bigrams(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n[i:i + 2] for n in names for i in range(len(n) - 1))


def english_place(question: str, places: Mapping[str, list[str]]) -> Optional[tuple[str, list[str]]]:
    """The place an English question names by its pinyin ("Pingtan's …") and the agencies of that
    place: a question naming a place and no agency we can link is never answered from all of them."""
    words = {_bare(w.text) for w in _words(question)}
    found = {place: agencies for place, agencies in places.items() if pinyin(place) in words}
    if not found:
        return None
    place = max(found, key=lambda k: len(found[k]))
    return pinyin(place).capitalize(), found[place]
