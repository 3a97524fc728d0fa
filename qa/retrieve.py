"""Hybrid retrieval: Chroma vectors + FTS5 BM25 over jieba tokens, fused by reciprocal rank.

When the question names an agency and/or a year, both searches are restricted to those
reports: the 2012 and 2013 reports of one agency are never confused.
"""

from __future__ import annotations

import re
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


def query_tokens(query: Query) -> list[str]:
    """Question tokens minus the agency and year words (the filters already apply those)."""
    from qa.index import jieba_tokens

    from qa.meta import known_agencies

    aliases = [a for agency in query.agencies for a in known_agencies().get(agency, {}).get("aliases", [])]
    named = "".join(query.agencies) + "".join(aliases) + "".join(map(str, query.years))
    tokens = [t for t in jieba_tokens(query.question) if not (query.agencies or query.years) or t not in named]
    if query.metric:  # cross-lingual: an English question still finds the Chinese wording
        names = vocabulary()["metrics"][query.metric].get("zh", [])[:3]
        for name in names:
            tokens += jieba_tokens(name)
    return tokens


def retrieve(query: Query, store: Store, settings: Settings, k: Optional[int] = None) -> list[Hit]:
    from qa.index import fts_query, get_index

    k = k or settings.top_k
    report_ids = store.report_ids(query.agencies, query.years) if (query.agencies or query.years) else None
    pool = max(k * 4, 20)
    tokens = query_tokens(query)
    lexical = store.bm25(fts_query(tokens), report_ids, pool) if tokens else []
    semantic = get_index(settings).search(query.question, report_ids, pool)
    by_kind = _kind_ranking(query, store, report_ids)
    fused: dict[str, float] = {}
    for ranking in (lexical, semantic, by_kind):
        for rank, (chunk_id, _score) in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (settings.rrf_k + rank + 1)
    best = sorted(fused, key=lambda cid: -fused[cid])[:k]
    chunks = store.chunks_by_id(best)
    infos = {rid: store.report_info(rid) for rid in {c.report_id for c in chunks.values()}}
    hits = []
    for cid in best:
        if cid in chunks:
            info = infos.get(chunks[cid].report_id) or {}
            hits.append(Hit(chunk=chunks[cid], score=fused[cid], agency=info.get("agency"), year=info.get("year"),
                            path=info.get("path", ""), page_starts=info.get("page_starts", [])))
    return hits


def question_kind(query: Query) -> Optional[str]:
    """The section kind a question is about ("存在哪些问题" → problems), from the heading rules."""
    from qa.sections import classify

    kind = classify(matching_view(query.question))
    if kind.value == "other":
        kind = classify(EN_KIND_HINTS.get(next((w for w in EN_KIND_HINTS if w in query.question.lower()), ""), ""))
    if kind.value == "other" and query.metric:
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
    from qa.read import page_of

    return Citation(report_id=hit.chunk.report_id, path=hit.path, agency=hit.agency, year=hit.year,
                    section=hit.chunk.section_path, quote=report_text[start:end], start=start, end=end,
                    page=page_of(hit.page_starts, start))


def best_sentences(query: Query, hits: list[Hit], store: Store, n: int = 3) -> list[Citation]:
    """The sentences of the retrieved chunks that share the most with the question."""
    tokens = set(query_tokens(query))
    scored = []
    for rank, hit in enumerate(hits):
        text = store.report_text(hit.chunk.report_id)
        view = matching_view(text)
        for m in SENTENCE.finditer(text, hit.chunk.start, hit.chunk.end):
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            sentence = view[s:e]
            if len(sentence.strip()) < 4 or sentence.strip() in hit.chunk.section_path:
                continue  # a bare heading says nothing by itself
            overlap = sum(len(t) for t in tokens if t in sentence)
            # the fused chunk rank weighs more than word overlap: narrative answers use other words
            scored.append((overlap + 6.0 / (rank + 1), rank, s, e, hit, text))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    out: list[Citation] = []
    for _score, _rank, s, e, hit, text in scored[:n]:
        out.append(citation_for(hit, s, e, text))
    return out
