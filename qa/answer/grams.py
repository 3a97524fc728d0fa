"""Character n-grams, the word-free overlap measure every answer stage uses on Chinese text."""

from __future__ import annotations

import re


def han_bigrams(text: str, join_spaces: bool = False) -> set[str]:
    """Bigrams inside each run of Chinese characters. join_spaces: white space does not break a
    run (PDF line breaks fall inside words)."""
    if join_spaces:
        text = re.sub(r"\s+", "", text)
    return {run[i:i + 2] for run in re.findall(r"[\u4e00-\u9fff]{2,}", text) for i in range(len(run) - 1)}


def char_grams(text: str, n: int) -> set[str]:
    """n-grams of the matching view's Chinese characters, digits and lower-case letters, run together."""
    from qa.normalize import matching_view

    t = re.sub(r"[^\u4e00-\u9fff0-9a-z]", "", matching_view(text).lower())
    return {t[i:i + n] for i in range(len(t) - n + 1)}
