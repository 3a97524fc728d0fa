"""Chunks → llama-index nodes → Chroma (vectors), and jieba tokens for SQLite FTS5 (BM25).

The Chroma collection's name carries the embedder and chunk size, so changing either never
mixes vectors. Telemetry is off. `QA_CHROMA_HOST` switches from the embedded PersistentClient
to a Chroma server (`chroma run`).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Optional

from qa.normalize import matching_view
from qa.settings import Settings
from qa.types import Chunk, Report

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

TOKEN_SKIP = re.compile(r"^[\s\W_]+$")
STOPWORDS = set("的 了 和 与 及 或 在 是 有 为 对 等 中 年 多少 什么 哪些 怎么 如何 吗 呢 个 了 这 那 我 我们 共".split())
EN_STOPWORDS = set("the a an of in on for to did does do how many much what which was were is are by report reported".split())


class IndexUnavailable(RuntimeError):
    """The vector store cannot be reached (Chroma server down, store locked, …)."""


def jieba_tokens(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(60)
    out = []
    for tok in jieba.lcut_for_search(matching_view(text).lower()):
        tok = tok.strip()
        if tok and not TOKEN_SKIP.match(tok) and tok not in STOPWORDS and tok not in EN_STOPWORDS:
            out.append(tok)
    return out


def fts_query(tokens: list[str]) -> str:
    unique = list(dict.fromkeys(t.replace('"', "") for t in tokens))
    return " OR ".join(f'"{t}"' for t in unique if t)


def embed_text(report: Report, chunk: Chunk) -> str:
    """What the embedder sees: agency, year and section title, then the chunk, all simplified."""
    head = f"{report.agency or ''} {report.year or ''}年 {chunk.section_path}"
    return matching_view(f"{head}\n{chunk.text}")


class VectorIndex:
    def __init__(self, settings: Settings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from qa.backends.embeddings import get_embedder

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        self.where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.chroma_path)
        try:
            if settings.chroma_host:
                client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                             settings=chroma_settings)
                client.heartbeat()
            else:
                settings.chroma_path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
            self.collection = client.get_or_create_collection(
                settings.collection_name(), metadata={"hnsw:space": "cosine"}
            )
        except Exception as exc:  # chromadb raises many types; the user needs one message
            reason = " ".join(str(exc).split())  # chromadb messages span lines
            hint = ("is the Chroma server running?" if settings.chroma_host else
                    "the data dir is read-only" if "readonly" in reason else
                    "if it is damaged, `qa doctor --rebuild` re-creates it from the stored reports")
            raise IndexUnavailable(f"vector store not available at {self.where} ({reason}): {hint}") from exc
        self.store = ChromaVectorStore(chroma_collection=self.collection)
        self.embedder = get_embedder(settings.embedder)

    def add(self, report: Report, chunks: list[Chunk]) -> None:
        from llama_index.core.schema import TextNode

        if not chunks:
            return
        vectors = self.embedder.embed_documents([embed_text(report, c) for c in chunks])
        nodes = [
            TextNode(
                id_=c.id, text=c.text, embedding=vec.tolist(),
                metadata={"report_id": report.id, "agency": report.agency or "", "year": report.year or 0,
                          "section": c.section_path, "kind": c.section_kind.value, "start": c.start, "end": c.end},
            )
            for c, vec in zip(chunks, vectors)
        ]
        # ingest deletes the old vectors of a replaced report first; a new report has none.
        # Chroma refuses batches over its max batch size (5,461 here): a long text has more chunks.
        batch = 1000
        for i in range(0, len(nodes), batch):
            self._guard(self.store.add, nodes[i:i + batch])

    def delete_report(self, report_id: str) -> None:
        self._guard(self.collection.delete, where={"report_id": report_id})

    def _guard(self, call, *args, **kwargs):
        """Any failure of the vector store (server gone, disk) becomes one clear IndexUnavailable."""
        try:
            return call(*args, **kwargs)
        except Exception as exc:
            raise IndexUnavailable(f"vector store at {self.where} failed: {type(exc).__name__}: {exc}") from exc

    def count(self) -> int:
        return self.collection.count()

    def search(self, question: str, report_ids: Optional[list[str]], k: int) -> list[tuple[str, float]]:
        from llama_index.core.vector_stores.types import (
            FilterOperator, MetadataFilter, MetadataFilters, VectorStoreQuery,
        )

        if report_ids is not None and not report_ids:
            return []
        filters = None
        if report_ids is not None:
            filters = MetadataFilters(filters=[MetadataFilter(key="report_id", value=report_ids,
                                                              operator=FilterOperator.IN)])
        query = VectorStoreQuery(query_embedding=self.embedder.embed_query(matching_view(question)).tolist(),
                                 similarity_top_k=k, filters=filters)
        result = self._guard(self.store.query, query)
        return list(zip(result.ids or [], result.similarities or []))


@lru_cache(maxsize=2)
def _cached_index(settings_key: str, settings_json: str) -> VectorIndex:
    return VectorIndex(Settings.model_validate_json(settings_json))


def rebuild_index(settings: Settings, store) -> int:
    """Throw the vector index away and re-create it from the chunks in SQLite (the index is
    derived data: nothing is lost). Returns the number of chunks indexed."""
    import shutil

    import chromadb
    from chromadb.api.client import SharedSystemClient

    _cached_index.cache_clear()
    if settings.chroma_host:
        try:
            chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port).delete_collection(
                settings.collection_name())
        except Exception:  # no such collection: nothing to throw away
            pass
    else:
        SharedSystemClient.clear_system_cache()  # forget clients holding the old files
        shutil.rmtree(settings.chroma_path, ignore_errors=True)
    index = get_index(settings)
    by_report: dict[str, list[str]] = {}
    for chunk_id in sorted(store.chunk_ids()):
        by_report.setdefault(chunk_id.split(":")[0], []).append(chunk_id)
    for report_id, ids in by_report.items():
        info = store.report_info(report_id)
        report = Report(id=report_id, path=info["path"], agency=info["agency"], year=info["year"], text="")
        index.add(report, list(store.chunks_by_id(ids).values()))
    return sum(len(ids) for ids in by_report.values())


def get_index(settings: Settings) -> VectorIndex:
    return _cached_index(settings.fingerprint() + str(settings.data_dir) + settings.chroma_host,
                         settings.model_dump_json())
