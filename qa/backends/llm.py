"""LLM backends behind one small Protocol, chosen by name (`Settings.llm`).

- `local`  xllamacpp runs the assembled GGUF in-process (qa.backends.local_llm; `serve` puts it
           behind an OpenAI-compatible HTTP server: `python -m qa.backends.llm serve`).
- `openai` any OpenAI-compatible server (`openai_base_url`, `openai_model`, `openai_api_key`),
           through llama-index's OpenAILike (qa.backends.openai_compatible).
- `none`   no LLM: `complete`/`stream` raise `LLMUnavailable`.

`get_llm(settings)` raises `LLMUnavailable` when the backend cannot be loaded or reached; the
caller falls back to extractive answers with a one-line notice. `as_llama_index_llm(llm)`
wraps any of them as a llama-index LLM (qa.backends.llama_index_llm).

Generation is greedy (temperature 0) so answers are reproducible. Nothing heavy is imported
at module import time: the backends' modules load when a backend is made.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Optional

# The Protocol and what every backend shares live in qa.backends.llm_base (no backend imports
# this module, so there is no cycle); imported here, they stay importable from qa.backends.llm.
from qa.backends.llm_base import _RUNNING, HEARTBEAT_S, LLM, LLMTimeout, LLMUnavailable, Message, NoLLM  # noqa: F401


# ------------------------------------------------------------------ choosing


def get_llm(settings=None) -> LLM:
    """The LLM named by `settings.llm` (local / openai / none). Raises LLMUnavailable."""
    if settings is None:
        from qa.settings import get_settings

        settings = get_settings()
    name = (settings.llm or "none").strip().lower()
    if name == "local":
        from qa.backends.local_llm import load_local

        return load_local(settings)
    if name in ("openai", "openai-like", "openai_compatible"):
        from qa.backends.openai_compatible import OpenAICompatibleLLM

        return OpenAICompatibleLLM(settings.openai_base_url, settings.openai_model, settings.openai_api_key,
                                   max_tokens=settings.llm_max_tokens, context_window=settings.llm_context)
    if name in ("none", "", "off"):
        return NoLLM()
    raise LLMUnavailable(f"unknown LLM backend {settings.llm!r}: use local, openai or none")


def get_llm_within(settings, deadline: Optional[float] = None) -> LLM:
    """get_llm, but give up at `deadline` (time.monotonic()) with LLMTimeout: loading the local
    model the first time (joining its parts) goes on in the background for the next ask."""
    if deadline is None:
        return get_llm(settings)
    box: dict[str, Any] = {}

    def load() -> None:
        try:
            box["llm"] = get_llm(settings)
        except BaseException as e:  # handed to the caller
            box["error"] = e
        finally:
            _RUNNING.discard(threading.current_thread())

    th = threading.Thread(target=load, name="qa-llm-load", daemon=True)
    _RUNNING.add(th)  # a load cut short by the deadline finishes before exit, and serves the next ask
    th.start()
    th.join(max(0.0, deadline - time.monotonic()))
    if "error" in box:
        raise box["error"]
    if "llm" not in box:
        raise LLMTimeout("the LLM is still loading")
    return box["llm"]


# ------------------------------------------------------------------ llama-index, re-exports


def as_llama_index_llm(llm: LLM):
    """Wrap one of our LLMs as a llama-index LLM (chat keeps its roles; streaming supported)."""
    from qa.backends.llama_index_llm import QaLLM

    return QaLLM(llm)


# Where the backends used to live: `from qa.backends.llm import LocalLLM` keeps working, lazily.
_MOVED = {"LocalLLM": "qa.backends.local_llm", "load_local": "qa.backends.local_llm", "serve": "qa.backends.local_llm",
          "OpenAICompatibleLLM": "qa.backends.openai_compatible"}


def __getattr__(name: str):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover - manual/test helper
    import argparse

    ap = argparse.ArgumentParser(prog="python -m qa.backends.llm")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("serve", help="OpenAI-compatible server on the local GGUF")
    sp.add_argument("--model", default="", help="GGUF path (default: the assembled local model)")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8080)
    sp.add_argument("--ctx", type=int, default=4096)
    sp.add_argument("--threads", type=int, default=2)
    sp.add_argument("--api-key", default="")
    a = ap.parse_args()
    model = a.model
    if not model:
        from qa.backends.model_file import ensure_model
        from qa.settings import get_settings

        model = str(ensure_model(get_settings()))
    from qa.backends.local_llm import serve

    serve(model, a.host, a.port, a.ctx, a.threads, a.api_key)
