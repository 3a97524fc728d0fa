"""The `local` LLM backend: xllamacpp runs the assembled Qwen2.5-Coder-1.5B-Instruct GGUF in-process
(`qa.backends.model_file.ensure_model`), and `serve` puts the same model behind llama.cpp's
OpenAI-compatible HTTP server (`python -m qa.backends.llm serve`).

llama.cpp's server engine also opens an HTTP listener on 127.0.0.1 at a random port; it is
protected by a random API key. Generation streams from a thread so the consumer can stop at a
deadline or on Ctrl-C while llama.cpp is still inside a C call.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import time
from typing import Any, Iterator, Optional

from qa.backends.llm_base import _RUNNING, HEARTBEAT_S, LLMUnavailable, Message

_LOCAL_CACHE: dict[tuple, "LocalLLM"] = {}
_LOCAL_LOCK = threading.Lock()


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
