"""The `openai` LLM backend: any OpenAI-compatible server (llama.cpp server, vLLM, Ollama, OpenAI …).

Spoken to through llama-index's `OpenAILike` (llama-index-llms-openai-like, over the openai
client), which brings chat completions, streaming, timeouts and retries. What this module adds:
a reachability check when the backend is made (an unreachable server or a refused key is one
`LLMUnavailable` before any question), loopback that never goes through an HTTP proxy, greedy
decoding, and the client's errors turned into `LLMUnavailable` so the caller falls back to cited
extracts. Nothing heavy is imported until a backend is made.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from qa.backends.llm_base import LLMUnavailable, Message


class OpenAICompatibleLLM:
    """Chat completions on an OpenAI-compatible server, greedy (temperature 0, seed 42)."""

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str = "sk-no-key", max_tokens: int = 384,
                 context_window: int = 4096, timeout: float = 120.0, max_retries: int = 2, check: bool = True):
        import httpx
        from llama_index.llms.openai_like import OpenAILike

        self.base_url = base_url.rstrip("/")
        self.model = model
        self.max_tokens = max_tokens
        self.context_window = context_window
        # trust_env=False: a loopback server must not go through an HTTP proxy
        self._http = httpx.Client(trust_env=False, timeout=httpx.Timeout(timeout, connect=5.0))
        self._llm = OpenAILike(
            model=model, api_base=self.base_url, api_key=api_key or "sk-no-key", is_chat_model=True,
            context_window=context_window, temperature=0.0, additional_kwargs={"seed": 42},
            max_tokens=None,  # per call instead: OpenAILike's own max_tokens would override the caller's
            timeout=timeout, max_retries=max_retries, http_client=self._http,
        )
        if check:
            self.ping()

    def ping(self) -> None:
        """LLMUnavailable unless the server answers (a server without /models is fine)."""
        import httpx

        headers = {"Authorization": f"Bearer {self._llm.api_key}"}
        try:
            r = self._http.get(f"{self.base_url}/models", headers=headers, timeout=5.0)
        except httpx.HTTPError as e:
            raise LLMUnavailable(f"cannot reach the LLM server at {self.base_url}: {e}") from e
        if r.status_code in (401, 403):
            raise LLMUnavailable(f"LLM server at {self.base_url} refused the API key ({r.status_code})")
        if r.status_code >= 500:
            raise LLMUnavailable(f"LLM server at {self.base_url} answered {r.status_code}")

    def complete(self, messages: list[Message], max_tokens: Optional[int] = None) -> str:
        with self._errors():
            reply = self._llm.chat(_chat_messages(messages), max_tokens=int(max_tokens or self.max_tokens))
        return reply.message.content or ""

    def stream(self, messages: list[Message], max_tokens: Optional[int] = None) -> Iterator[str]:
        with self._errors():
            replies = self._llm.stream_chat(_chat_messages(messages), max_tokens=int(max_tokens or self.max_tokens))
            try:
                for reply in replies:
                    if reply.delta:
                        yield reply.delta
            finally:  # a caller that stops early (deadline, Ctrl-C) closes the request too
                replies.close()

    @contextmanager
    def _errors(self):
        import httpx
        import openai

        try:
            yield
        except openai.APIStatusError as e:
            raise LLMUnavailable(f"LLM server answered {e.status_code}: {str(e.message)[:200]}") from e
        except (openai.APIError, httpx.HTTPError) as e:
            raise LLMUnavailable(f"LLM server at {self.base_url} failed: {e}") from e


def _chat_messages(messages: list[Message]):
    from llama_index.core.base.llms.types import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
