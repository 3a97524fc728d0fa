"""LLM backends behind one small Protocol, chosen by name (`Settings.llm`).

- `local`  xllamacpp runs the assembled Qwen2.5-Coder-1.5B-Instruct GGUF in-process
           (`qa.backends.model_file.ensure_model`). llama.cpp's server engine also opens an
           HTTP listener on 127.0.0.1 at a random port; it is protected by a random API key.
- `openai` any OpenAI-compatible server (`openai_base_url`, `openai_model`, `openai_api_key`),
           spoken to with plain httpx (chat completions, SSE streaming).
- `none`   no LLM: `complete`/`stream` raise `LLMUnavailable`.

`get_llm(settings)` raises `LLMUnavailable` when the backend cannot be loaded or reached; the
caller falls back to extractive answers with a one-line notice. `as_llama_index_llm(llm)`
wraps any of them as a llama-index `CustomLLM`.

Generation is greedy (temperature 0) so answers are reproducible. Nothing heavy is imported
at module import time.
"""

from __future__ import annotations

import atexit
import json
import queue
import secrets
import threading
import time
from typing import Any, Iterator, Optional, Protocol, runtime_checkable

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": str}


class LLMUnavailable(RuntimeError):
    """The chosen LLM cannot be used (disabled, model missing, server unreachable, load failed)."""


class LLMTimeout(LLMUnavailable):
    """The LLM did not load or finish within the ask's time budget (QA_TIMEOUT)."""


HEARTBEAT_S = 0.2  # the local stream yields "" this often while it waits: callers check clocks, Ctrl-C lands


@runtime_checkable
class LLM(Protocol):
    name: str  # backend name: local / openai / none
    model: str  # model file or server model name, for display and settings hashes
    context_window: int

    def complete(self, messages: list[Message], max_tokens: Optional[int] = None) -> str:
        """The whole assistant reply."""
        ...

    def stream(self, messages: list[Message], max_tokens: Optional[int] = None) -> Iterator[str]:
        """The assistant reply as text pieces, as soon as they are generated."""
        ...


# ------------------------------------------------------------------ none


class NoLLM:
    name = "none"
    model = ""
    context_window = 0

    def __init__(self, reason: str = "no LLM configured (QA_LLM=none)"):
        self.reason = reason

    def complete(self, messages: list[Message], max_tokens: Optional[int] = None) -> str:
        raise LLMUnavailable(self.reason)

    def stream(self, messages: list[Message], max_tokens: Optional[int] = None) -> Iterator[str]:
        raise LLMUnavailable(self.reason)


# ------------------------------------------------------------------ local (xllamacpp)

_LOCAL_CACHE: dict[tuple, "LocalLLM"] = {}
_LOCAL_LOCK = threading.Lock()
_RUNNING: set[threading.Thread] = set()  # generations told to stop that may still be in llama.cpp


def _wait_for_generations(timeout: float = 30.0) -> None:
    """At exit, let stopped generations leave llama.cpp first: killing a thread inside it aborts."""
    end = time.monotonic() + timeout
    for th in list(_RUNNING):
        th.join(max(0.0, end - time.monotonic()))


atexit.register(_wait_for_generations)


class LocalLLM:
    """A GGUF run in-process by xllamacpp's llama.cpp server engine (one slot, greedy)."""

    name = "local"

    def __init__(self, model_path: str, n_ctx: int = 4096, n_threads: int = 2, max_tokens: int = 384,
                 verbosity: int = 1):
        try:
            import xllamacpp as xlc
        except Exception as e:  # pragma: no cover - depends on the install
            raise LLMUnavailable(f"xllamacpp is not installed ({e}); pip install xllamacpp") from e
        self.model = str(model_path)
        self.context_window = n_ctx
        self.max_tokens = max_tokens
        self.load_seconds = 0.0
        self.last_timings: dict = {}  # llama.cpp timings of the last streamed reply (prompt_n, predicted_n …)
        p = xlc.CommonParams()
        p.model.path = self.model
        p.n_ctx = n_ctx
        p.n_predict = max_tokens
        p.n_parallel = 1
        p.cpuparams.n_threads = n_threads
        p.cpuparams_batch.n_threads = n_threads
        p.sampling.temp = 0.0
        p.sampling.top_k = 1
        p.sampling.seed = 42
        p.hostnames = ["127.0.0.1"]
        p.port = 0
        p.ui = False
        p.api_keys = [secrets.token_hex(16)]  # nobody else on this machine may use the listener
        p.verbosity = verbosity  # 1 = errors only
        p.warmup = True
        t = time.perf_counter()
        try:
            self._server = xlc.Server(p)
        except Exception as e:
            raise LLMUnavailable(f"could not load {self.model}: {e}") from e
        self.load_seconds = time.perf_counter() - t

    def _request(self, messages: list[Message], max_tokens: Optional[int], stream: bool) -> dict:
        return {
            "messages": messages,
            "max_tokens": int(max_tokens or self.max_tokens),
            "temperature": 0.0,
            "top_k": 1,
            "seed": 42,
            "stream": stream,
            "cache_prompt": True,  # the constant system prompt is prefilled once, then reused
        }

    def complete(self, messages: list[Message], max_tokens: Optional[int] = None) -> str:
        res = self._server.handle_chat_completions(self._request(messages, max_tokens, False))
        return _content_or_raise(res)

    def stream(self, messages: list[Message], max_tokens: Optional[int] = None) -> Iterator[str]:
        q: queue.Queue = queue.Queue()
        stop = threading.Event()
        done = object()

        def on_chunk(chunk: Any) -> bool:
            if isinstance(chunk, (str, bytes)):
                try:
                    chunk = json.loads(chunk)
                except ValueError:
                    return stop.is_set()
            q.put(chunk)
            return stop.is_set()  # True stops generation (consumer went away)

        def run() -> None:
            try:
                res = self._server.handle_chat_completions(self._request(messages, max_tokens, True), on_chunk)
                if isinstance(res, dict) and res.get("error"):
                    q.put(res)
            except Exception as e:  # surfaced in the consumer
                q.put(e)
            finally:
                q.put(done)
                _RUNNING.discard(threading.current_thread())

        th = threading.Thread(target=run, name="qa-llm-stream", daemon=True)
        _RUNNING.add(th)
        th.start()
        try:
            while True:
                try:
                    item = q.get(timeout=HEARTBEAT_S)
                except queue.Empty:
                    yield ""  # nothing yet (prefill): give the caller its chance to stop
                    continue
                if item is done:
                    break
                if isinstance(item, dict) and item.get("timings"):
                    self.last_timings = item["timings"]
                if isinstance(item, Exception):
                    raise LLMUnavailable(f"local model failed: {item}") from item
                if isinstance(item, dict) and item.get("error"):
                    raise LLMUnavailable(f"local model failed: {item['error']}")
                piece = _delta(item)
                if piece:
                    yield piece
        finally:
            # Do not wait for the engine: it stops at its next token (a long prefill cannot be cut),
            # and the next request queues behind it. Ctrl-C gets the prompt back at once.
            stop.set()
            th.join(timeout=0.05)


def _delta(chunk: Any) -> str:
    try:
        choice = chunk["choices"][0]
    except (KeyError, IndexError, TypeError):
        return ""
    delta = choice.get("delta") or {}
    return delta.get("content") or choice.get("text") or ""


def _content_or_raise(res: Any) -> str:
    if isinstance(res, (str, bytes)):
        res = json.loads(res)
    if not isinstance(res, dict) or res.get("error") or "choices" not in res:
        raise LLMUnavailable(f"LLM returned an error: {res.get('error') if isinstance(res, dict) else res!r}")
    return res["choices"][0]["message"].get("content") or ""


def load_local(settings) -> LocalLLM:
    """The local model, loaded once per process (per model path / context / threads)."""
    from qa.backends.model_file import ModelFileError, ensure_model

    try:
        path = ensure_model(settings)
    except ModelFileError as e:
        raise LLMUnavailable(str(e)) from e
    key = (str(path), settings.llm_context, settings.llm_threads, settings.llm_max_tokens)
    with _LOCAL_LOCK:
        llm = _LOCAL_CACHE.get(key)
        if llm is None:
            llm = LocalLLM(str(path), settings.llm_context, settings.llm_threads, settings.llm_max_tokens)
            _LOCAL_CACHE[key] = llm
    return llm


# ------------------------------------------------------------------ openai-compatible (httpx)


class OpenAICompatibleLLM:
    """Chat completions on any OpenAI-compatible server (llama.cpp server, vLLM, Ollama, OpenAI...)."""

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str = "sk-no-key", max_tokens: int = 384,
                 context_window: int = 4096, timeout: float = 120.0, check: bool = True):
        import httpx

        self.base_url = base_url.rstrip("/")
        self.model = model
        self.max_tokens = max_tokens
        self.context_window = context_window
        self._client = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {api_key}"} if api_key else {},
            timeout=httpx.Timeout(timeout, connect=5.0),
            trust_env=False,  # a loopback server must not go through an HTTP proxy
        )
        if check:
            self.ping()

    def ping(self) -> None:
        import httpx

        try:
            r = self._client.get("/models", timeout=5.0)
        except httpx.HTTPError as e:
            raise LLMUnavailable(f"cannot reach the LLM server at {self.base_url}: {e}") from e
        if r.status_code in (401, 403):
            raise LLMUnavailable(f"LLM server at {self.base_url} refused the API key ({r.status_code})")
        if r.status_code >= 500:
            raise LLMUnavailable(f"LLM server at {self.base_url} answered {r.status_code}")

    def _body(self, messages: list[Message], max_tokens: Optional[int], stream: bool) -> dict:
        return {
            "model": self.model,
            "messages": messages,
            "max_tokens": int(max_tokens or self.max_tokens),
            "temperature": 0.0,
            "seed": 42,
            "stream": stream,
        }

    def complete(self, messages: list[Message], max_tokens: Optional[int] = None) -> str:
        import httpx

        try:
            r = self._client.post("/chat/completions", json=self._body(messages, max_tokens, False))
        except httpx.HTTPError as e:
            raise LLMUnavailable(f"LLM server at {self.base_url} failed: {e}") from e
        if r.status_code != 200:
            raise LLMUnavailable(f"LLM server answered {r.status_code}: {r.text[:200]}")
        return _content_or_raise(r.json())

    def stream(self, messages: list[Message], max_tokens: Optional[int] = None) -> Iterator[str]:
        import httpx

        try:
            with self._client.stream("POST", "/chat/completions", json=self._body(messages, max_tokens, True)) as r:
                if r.status_code != 200:
                    r.read()
                    raise LLMUnavailable(f"LLM server answered {r.status_code}: {r.text[:200]}")
                for line in r.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    try:
                        chunk = json.loads(data)
                    except ValueError:
                        continue
                    if isinstance(chunk, dict) and chunk.get("error"):
                        raise LLMUnavailable(f"LLM server error: {chunk['error']}")
                    piece = _delta(chunk)
                    if piece:
                        yield piece
        except httpx.HTTPError as e:
            raise LLMUnavailable(f"LLM server at {self.base_url} failed: {e}") from e


# ------------------------------------------------------------------ choosing


def get_llm(settings=None) -> LLM:
    """The LLM named by `settings.llm` (local / openai / none). Raises LLMUnavailable."""
    if settings is None:
        from qa.settings import get_settings

        settings = get_settings()
    name = (settings.llm or "none").strip().lower()
    if name == "local":
        return load_local(settings)
    if name in ("openai", "openai-like", "openai_compatible"):
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


# ------------------------------------------------------------------ llama-index


def as_llama_index_llm(llm: LLM):
    """Wrap one of our LLMs as a llama-index CustomLLM (chat keeps its roles; streaming supported)."""
    from typing import Sequence

    from llama_index.core.base.llms.types import (
        ChatMessage,
        ChatResponse,
        CompletionResponse,
        LLMMetadata,
        MessageRole,
    )
    from llama_index.core.llms import CustomLLM
    from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
    from pydantic import PrivateAttr

    def to_messages(messages: Sequence[ChatMessage]) -> list[Message]:
        return [{"role": m.role.value if isinstance(m.role, MessageRole) else str(m.role),
                 "content": m.content or ""} for m in messages]

    class QaLLM(CustomLLM):
        _inner: Any = PrivateAttr()

        def __init__(self, inner: LLM):
            super().__init__()
            self._inner = inner

        @classmethod
        def class_name(cls) -> str:
            return "qa_llm"

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(
                context_window=getattr(self._inner, "context_window", 4096) or 4096,
                num_output=getattr(self._inner, "max_tokens", 384),
                is_chat_model=True,
                model_name=f"{self._inner.name}:{self._inner.model}",
            )

        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            text = self._inner.complete([{"role": "user", "content": prompt}], kwargs.get("max_tokens"))
            return CompletionResponse(text=text)

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
            def gen():
                text = ""
                for piece in self._inner.stream([{"role": "user", "content": prompt}], kwargs.get("max_tokens")):
                    text += piece
                    yield CompletionResponse(text=text, delta=piece)

            return gen()

        @llm_chat_callback()
        def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
            text = self._inner.complete(to_messages(messages), kwargs.get("max_tokens"))
            return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

        @llm_chat_callback()
        def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any):
            def gen():
                text = ""
                for piece in self._inner.stream(to_messages(messages), kwargs.get("max_tokens")):
                    text += piece
                    yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=piece)

            return gen()

    return QaLLM(llm)


# ------------------------------------------------------------------ serving the local model


def serve(model_path: str, host: str = "127.0.0.1", port: int = 8080, n_ctx: int = 4096, n_threads: int = 2,
          api_key: str = "") -> None:
    """Run llama.cpp's OpenAI-compatible HTTP server on `model_path` until interrupted.

    `python -m qa.backends.llm serve [--port 8080] [--model PATH]` — then QA_LLM=openai
    QA_OPENAI_BASE_URL=http://127.0.0.1:8080/v1 uses it.
    """
    import signal

    import xllamacpp as xlc

    p = xlc.CommonParams()
    p.model.path = str(model_path)
    p.n_ctx = n_ctx
    p.n_parallel = 1
    p.cpuparams.n_threads = n_threads
    p.cpuparams_batch.n_threads = n_threads
    p.hostnames = [host]
    p.port = port
    p.ui = False
    p.verbosity = 1
    if api_key:
        p.api_keys = [api_key]
    server = xlc.Server(p)
    print(f"serving {model_path} at {server.listening_address}/v1", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        stop.wait(0.5)
    del server


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
    serve(model, a.host, a.port, a.ctx, a.threads, a.api_key)
