"""Chunks → llama-index nodes → Chroma (vectors), and jieba tokens for SQLite FTS5 (BM25).

The Chroma collection's name carries the embedder and chunk size, so changing either never
mixes vectors. Telemetry is off. `QA_CHROMA_HOST` switches from the embedded PersistentClient
to a Chroma server (`chroma run`).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Callable, Iterable, Optional

from qa.normalize import matching_view
from qa.settings import Settings
from qa.types import Chunk, Report

# Chunks embedded per model call during ingest: reports are grouped until a batch is this big
# (one call per report wastes the model on batches of 5–20 short chunks).
EMBED_BATCH_CHUNKS = 256

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
        self.add_many([(report, chunks)])

    def add_many(self, batch: list[tuple[Report, list[Chunk]]]) -> None:
        """Embed the chunks of several reports in one model call and add them."""
        from llama_index.core.schema import TextNode

        pairs = [(report, c) for report, chunks in batch for c in chunks]
        if not pairs:
            return
        vectors = self.embedder.embed_documents([embed_text(report, c) for report, c in pairs])
        nodes = [
            TextNode(
                id_=c.id, text=c.text, embedding=vec.tolist(),
                metadata={"report_id": report.id, "agency": report.agency or "", "year": report.year or 0,
                          "section": c.section_path, "kind": c.section_kind.value, "start": c.start, "end": c.end},
            )
            for (report, c), vec in zip(pairs, vectors)
        ]
        # a run killed between adding vectors and marking the report leaves some behind: clear
        # them by id (cheap), since Chroma refuses to add an id twice
        self._guard(self.collection.delete, ids=[node.id_ for node in nodes])
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


def embed_missing(store, index: VectorIndex, report_ids: Optional[Iterable[str]] = None,
                  on_progress: Optional[Callable[[int, int], None]] = None) -> list[str]:
    """Bring the vector store up to date with SQLite: delete the vectors of replaced or removed
    reports, then embed the reports that have none yet (of `report_ids` if given), batched
    across reports. Each report is marked once its vectors are in. Returns the ids embedded.
    on_progress(chunks done, chunks total)."""
    adopt_collection(store, index)
    stale = store.stale_vector_ids()
    for rid in stale:
        index.delete_report(rid)
    store.forget_stale(stale)
    todo = store.unembedded(report_ids)
    total, done, embedded = store.count_chunks(todo), 0, []
    batch: list[tuple[Report, list[Chunk]]] = []

    def flush() -> None:
        nonlocal done, batch
        index.add_many(batch)
        store.mark_embedded([report.id for report, _ in batch])
        embedded.extend(report.id for report, _ in batch)
        done += sum(len(chunks) for _, chunks in batch)
        batch = []
        if on_progress:
            on_progress(done, total)

    for rid in todo:
        info = store.report_info(rid)
        if not info:  # removed meanwhile by another process
            continue
        report = Report(id=rid, path=info.path, agency=info.agency, year=info.year, text="")
        batch.append((report, store.chunks_of(rid)))
        if sum(len(chunks) for _, chunks in batch) >= EMBED_BATCH_CHUNKS:
            flush()
    if batch:
        flush()
    return embedded


def adopt_collection(store, index: VectorIndex) -> None:
    """The first use of a collection (a new embedder or chunk size): when it is empty, every
    report's vectors are still to be added to it."""
    name = index.collection.name
    if store.get_meta("collection") == name:
        return
    if index.count() == 0:
        store.mark_unembedded(store.report_ids())
    store.set_meta("collection", name)


# A retrieval question embeds the reports it needs that have no vectors yet (the seeds after a
# first use) when they are few; more than this many chunks is an ingest's job, not a question's.
MAX_CHUNKS_AT_QUESTION = 1500


def embed_for_question(store, index: VectorIndex, report_ids: Optional[list[str]], warnings: list[str]) -> None:
    """Before a vector search: add the missing vectors of the reports in scope if they are few;
    otherwise say that those reports are searched by keywords only."""
    import sys

    adopt_collection(store, index)
    todo = store.unembedded(report_ids)
    if not todo:
        return
    n_chunks = store.count_chunks(todo)
    if n_chunks > MAX_CHUNKS_AT_QUESTION:
        warnings.append(f"{len(todo)} report(s) have no vectors yet and are searched by keywords only: "
                        f"`qa doctor` adds them")
        return
    print(f"qa: adding the vectors of {len(todo)} report(s) ({n_chunks} chunks) before the first search …",
          file=sys.stderr, end="", flush=True)
    embed_missing(store, index, report_ids=todo)
    print(" done", file=sys.stderr)


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
        report = Report(id=report_id, path=info.path, agency=info.agency, year=info.year, text="")
        index.add(report, list(store.chunks_by_id(ids).values()))
    return sum(len(ids) for ids in by_report.values())


def get_index(settings: Settings) -> VectorIndex:
    return _cached_index(settings.fingerprint() + str(settings.data_dir) + settings.chroma_host,
                         settings.model_dump_json())
