"""The matching view of a text: simplified script, half-width ASCII, same length as the original.

Matching (regexes, vocabulary, BM25, embeddings) runs on this view; citations quote the
original. Keeping the view exactly as long as the original makes every offset valid in both,
so no offset map is needed: where opencc would change the length of a line, that line is
converted character by character instead.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc  # light (a few ms); imported lazily so `import qa` stays instant

    return opencc.OpenCC("t2s")


def _half_width(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII block
        return chr(code - 0xFEE0)
    if code == 0x3000:  # ideographic space
        return " "
    return ch


def _simplify_line(line: str) -> str:
    converted = _converter().convert(line)
    if len(converted) == len(line):
        return converted
    # Phrase conversion changed the length: fall back to one character at a time.
    out = []
    for ch in line:
        c = _converter().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def to_simplified(text: str) -> str:
    """Traditional → simplified, length-preserving."""
    return "\n".join(_simplify_line(line) for line in text.split("\n"))


def matching_view(text: str) -> str:
    """Simplified script and half-width ASCII; len(result) == len(text)."""
    return to_simplified("".join(_half_width(ch) for ch in text))


def is_traditional(text: str, sample: int = 4000) -> bool:
    """True when a noticeable share of the characters change under t2s."""
    head = text[:sample]
    converted = _converter().convert(head)
    changed = sum(1 for a, b in zip(head, converted) if a != b)
    han = sum(1 for ch in head if "\u4e00" <= ch <= "\u9fff") or 1
    return changed / han > 0.03
