"""Citation markers in an answer ([1], [1, 2], 【3】) and the clause / sentence / paragraph spans
that tie a number or a sentence to the sources it cites."""

from __future__ import annotations

import re

from qa.answer.grams import char_grams
from qa.types import Citation

MARKER_RE = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*)\s*[\]】］]")
CLAUSE_END = "，,；;：:"
SENT_END = "。！？!?.\n"  # "." only when followed by a space or the end (not 1.1, not gov.cn)


def clean_markers(text: str, n_sources: int) -> tuple[str, int]:
    removed = 0

    def repl(m: re.Match) -> str:
        nonlocal removed
        nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
        good = [n for n in nums if 1 <= n <= n_sources]
        removed += len(nums) - len(good)
        if not good:
            return ""
        if len(good) == len(nums):
            return m.group(0)
        return "".join(f"[{n}]" for n in dict.fromkeys(good))

    return MARKER_RE.sub(repl, text), removed


def markers_in(text: str) -> list[tuple[int, int, list[int]]]:
    return [(m.start(), m.end(), [int(x) for x in re.findall(r"\d+", m.group(1))]) for m in MARKER_RE.finditer(text)]


def spans(text: str, ends: str) -> list[tuple[int, int]]:
    """Split text at `ends` characters; markers right after a boundary belong to the span before it."""
    out = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in ends and not (text[i] == "." and i + 1 < n and not text[i + 1].isspace()):
            j = i + 1
            # swallow "。[1][2]" — markers after the punctuation cite what came before; a marker
            # opening a line ("\n[2] …", a quoted list) cites what follows it
            while text[i] != "\n":
                k = j
                while k < n and text[k] in " \t":
                    k += 1
                m = MARKER_RE.match(text, k)
                if not m:
                    break
                j = m.end()
            out.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        out.append((start, n))
    return out


def cited_for(pos: int, markers, clauses, sentences, paragraphs) -> list[int]:
    for group in (clauses, sentences, paragraphs):
        for s, e in group:
            if s <= pos < e:
                found = [n for ms, me, nums in markers if s <= ms and me <= e for n in nums]
                if found:
                    return sorted(set(found))
                break
    return []


def attach_missing(text: str, sources: list[Citation], threshold: float = 0.6) -> tuple[str, int]:
    """Add [k] to sentences without markers whose bigrams lie >= threshold in source k (unique best)."""
    src_grams = [char_grams(c.quote, 2) for c in sources]
    inserts: list[tuple[int, str]] = []
    for s, e in spans(text, SENT_END):
        sent = text[s:e]
        if MARKER_RE.search(sent):
            continue
        grams = char_grams(sent, 2)
        if len(grams) < 6:
            continue
        scores = [len(grams & g) / len(grams) for g in src_grams]
        best = max(scores)
        if best < threshold or scores.count(best) > 1:
            continue
        k = scores.index(best) + 1
        body = sent.rstrip()
        pos = s + len(body)
        while pos > s and text[pos - 1] in "。！？!?.；;：:，,":
            pos -= 1
        inserts.append((pos, f"[{k}]"))
    for pos, mark in sorted(inserts, reverse=True):
        text = text[:pos] + mark + text[pos:]
    return text, len(inserts)


def renumber(text: str, new_number: dict[int, int]) -> str:
    """Markers rewritten to other numbers (source k → citation new_number[k]); unknown ones dropped."""
    def repl(m: re.Match) -> str:
        nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
        new = [new_number[n] for n in nums if n in new_number]
        return m.group(0) if new == nums else "".join(f"[{n}]" for n in dict.fromkeys(new))

    return MARKER_RE.sub(repl, text)
