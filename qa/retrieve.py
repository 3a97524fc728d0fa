"""Hybrid retrieval: Chroma vectors + FTS5 BM25 over jieba tokens, fused by reciprocal rank.

When the question names an agency and/or a year, both searches are restricted to those
reports: the 2012 and 2013 reports of one agency are never confused.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pydantic import BaseModel

from qa.facts.common import vocabulary
from qa.normalize import matching_view
from qa.settings import Settings
from qa.store import Store
from qa.types import Chunk, Citation, Query

SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


class Hit(BaseModel):
    chunk: Chunk
    score: float
    agency: Optional[str] = None
    year: Optional[int] = None
    path: str = ""
    page_starts: list[int] = []
    boilerplate: list[tuple[int, int]] = []


def query_tokens(query: Query) -> list[str]:
    """Question tokens minus the agency and year words (the filters already apply those)."""
    return list(_query_tokens(query.question, tuple(query.agencies), tuple(query.years), query.metric))


@lru_cache(maxsize=256)
def _query_tokens(question: str, agencies: tuple[str, ...], years: tuple[int, ...],
                  metric: Optional[str]) -> tuple[str, ...]:
    """Cached: retrieval ranks chunks and then sentences with the same tokens (one jieba cut)."""
    from qa.index import jieba_tokens
    from qa.meta import known_agencies

    aliases = [a for agency in agencies for a in known_agencies().get(agency, {}).get("aliases", [])]
    named = "".join(agencies) + "".join(aliases) + "".join(map(str, years))
    tokens = [t for t in jieba_tokens(question) if not (agencies or years) or t not in named]
    if metric:  # cross-lingual: an English question still finds the Chinese wording
        for name in vocabulary()["metrics"][metric].get("zh", [])[:3]:
            tokens += jieba_tokens(name)
    return tuple(tokens)


def retrieve(query: Query, store: Store, settings: Settings, k: Optional[int] = None,
             warnings: Optional[list[str]] = None) -> list[Hit]:
    from qa.index import IndexUnavailable, embed_for_question, fts_query, get_index

    warnings = warnings if warnings is not None else []
    k = k or settings.top_k
    report_ids = store.report_ids(query.agencies, query.years) if (query.agencies or query.years) else None
    pool = max(k * 4, 20)
    tokens = query_tokens(query)
    lexical = store.bm25(fts_query(tokens), report_ids, pool) if tokens else []
    try:
        index = get_index(settings)
        embed_for_question(store, index, report_ids, warnings)  # facts-first reports get their vectors
        semantic = index.search(query.question, report_ids, pool)
    except IndexUnavailable as exc:  # Chroma down: BM25 alone still finds cited sentences
        semantic = []
        warnings.append(f"vector search unavailable ({exc}); keyword search only")
    fused: dict[str, float] = {}
    for ranking in (lexical, semantic):
        for rank, (chunk_id, _score) in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (settings.rrf_k + rank + 1)
    # the section the question is about, as a third list: its chunks ranked by the first two
    # (in report order they lifted a section's first table rows over the sentence asked for)
    by_kind = sorted(_kind_ranking(query, store, report_ids), key=lambda c: -fused.get(c[0], 0.0))
    for rank, (chunk_id, _score) in enumerate(by_kind):
        fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (settings.rrf_k + rank + 1)
    best = sorted(fused, key=lambda cid: -fused[cid])[:k]
    chunks = store.chunks_by_id(best)
    infos = {rid: store.report_info(rid) for rid in {c.report_id for c in chunks.values()}}
    hits = []
    for cid in best:
        if cid in chunks:
            info = infos.get(chunks[cid].report_id) or {}
            hits.append(Hit(chunk=chunks[cid], score=fused[cid], agency=info.get("agency"), year=info.get("year"),
                            path=info.get("path", ""), page_starts=info.get("page_starts", []),
                            boilerplate=info.get("boilerplate", [])))
    return hits


def question_kind(query: Query) -> Optional[str]:
    """The section kind a question is about ("存在哪些问题" → problems), from the heading rules."""
    from qa.sections import classify
    from qa.understand import COUNTING

    kind = classify(matching_view(query.question))
    if kind.value == "other":
        kind = classify(EN_KIND_HINTS.get(next((w for w in EN_KIND_HINTS if w in query.question.lower()), ""), ""))
    if kind.value == "other" and query.metric and COUNTING.search(query.question):
        # a count's home section; a "when did … open its WeChat account" question is not about
        # the section where the post counts are
        return vocabulary()["metrics"][query.metric].get("kind")
    return None if kind.value == "other" else kind.value


EN_KIND_HINTS = {"problem": "问题", "improve": "改进", "shortcoming": "不足", "reconsideration": "复议",
                 "litigation": "诉讼", "fee": "收费", "application": "依申请", "request": "依申请",
                 "proactive": "主动公开", "staff": "工作人员", "overview": "概述"}


def _kind_ranking(query: Query, store: Store, report_ids: Optional[list[str]]) -> list[tuple[str, float]]:
    """Chunks of the section kind the question is about, in report order (a third RRF list)."""
    kind = question_kind(query)
    if not kind or report_ids is None:
        return []
    return [(cid, 1.0) for cid in store.chunk_ids_of_kind(kind, report_ids)]


def citation_for(hit: Hit, start: int, end: int, report_text: str) -> Citation:
    from qa.read.report import page_of

    return Citation(report_id=hit.chunk.report_id, path=hit.path, agency=hit.agency, year=hit.year,
                    section=hit.chunk.section_path, quote=report_text[start:end], start=start, end=end,
                    page=page_of(hit.page_starts, start))


def best_sentences(query: Query, hits: list[Hit], store: Store, n: int = 3, span_chars: int = 240) -> list[Citation]:
    """The sentences of the retrieved chunks that answer best. For narrative and list questions
    each citation is a passage: the best sentence and those after it in its chunk (a lead-in like
    "重点做好以下工作：" is useless without its items), one passage per chunk."""
    from qa.sections import sentence_spans

    tokens = set(query_tokens(query))
    passages = query.intent in ("narrative", "list")
    texts: dict[str, tuple[str, str]] = {}
    scored, sentences = [], {}
    for rank, hit in enumerate(hits):
        rid = hit.chunk.report_id
        if rid not in texts:
            original = store.report_text(rid)
            texts[rid] = (original, matching_view(original))
        text, view = texts[rid]
        spans = []
        for s, e in sentence_spans(text, hit.chunk.start, hit.chunk.end, hit.boilerplate):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e - s < 4 or text[s:e] in hit.chunk.section_path:
                continue  # a bare heading says nothing by itself
            spans.append((s, e))
        sentences[hit.chunk.id] = spans
        for j, (s, e) in enumerate(spans):
            overlap = sum(len(t) for t in tokens if t in view[s:e])
            # the fused chunk rank weighs more than word overlap: narrative answers use other words
            scored.append((overlap + 6.0 / (rank + 1), rank, j, hit))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    out: list[Citation] = []
    used: set[str] = set()
    top = scored[0][0] if scored else 0.0
    for score, _rank, j, hit in scored:
        if len(out) >= n or (out and score < 0.7 * top):
            break  # a much weaker sentence is not a source worth citing
        if passages and hit.chunk.id in used:
            continue
        spans = sentences[hit.chunk.id]
        lo, hi = (_grow(spans, j, span_chars, hit.boilerplate) if passages else (j, j))
        s, e = spans[lo][0], spans[hi][1]
        used.add(hit.chunk.id)
        out.append(citation_for(hit, s, e, texts[hit.chunk.report_id][0]))
    return out


def _grow(spans: list[tuple[int, int]], j: int, budget: int, boilerplate) -> tuple[int, int]:
    """Widen sentence j to a passage: the sentences after it, then before it, within `budget`
    characters and never across boilerplate ("以上问题…" needs the 一是/二是 before it)."""
    def joinable(a: int, b: int) -> bool:
        return not any(spans[a][1] <= bs < spans[b][0] for bs, _ in boilerplate)

    lo = hi = j
    grown = True
    while grown:
        grown = False
        if hi + 1 < len(spans) and spans[hi + 1][1] - spans[lo][0] <= budget and joinable(hi, hi + 1):
            hi, grown = hi + 1, True
        if lo > 0 and spans[hi][1] - spans[lo - 1][0] <= budget and joinable(lo - 1, lo):
            lo, grown = lo - 1, True
    return lo, hi
