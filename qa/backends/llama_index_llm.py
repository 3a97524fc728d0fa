"""Any of our LLMs as a llama-index LLM (`as_llama_index_llm`), for code that speaks llama-index.

Imports llama-index at module import: only `qa.backends.llm.as_llama_index_llm` imports this
module, when called. Chat keeps its roles; streaming yields the growing text and each delta.
"""

from __future__ import annotations

from typing import Any, Sequence

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, CompletionResponse, LLMMetadata, MessageRole
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from pydantic import PrivateAttr

from qa.backends.llm_base import LLM, Message


def _messages(messages: Sequence[ChatMessage]) -> list[Message]:
    return [{"role": m.role.value if isinstance(m.role, MessageRole) else str(m.role), "content": m.content or ""}
            for m in messages]


def _user(prompt: str) -> list[Message]:
    return [{"role": "user", "content": prompt}]


class QaLLM(CustomLLM):
    """A qa LLM (local / openai / none, or a fake in tests) behind llama-index's LLM interface."""

    _inner: Any = PrivateAttr()

    def __init__(self, inner: LLM):
        super().__init__()
        self._inner = inner

    @classmethod
    def class_name(cls) -> str:
        return "qa_llm"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=getattr(self._inner, "context_window", 4096) or 4096,
                           num_output=getattr(self._inner, "max_tokens", 384), is_chat_model=True,
                           model_name=f"{self._inner.name}:{self._inner.model}")

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self._inner.complete(_user(prompt), kwargs.get("max_tokens")))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
        def gen():
            text = ""
            for piece in self._inner.stream(_user(prompt), kwargs.get("max_tokens")):
                text += piece
                yield CompletionResponse(text=text, delta=piece)

        return gen()

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = self._inner.complete(_messages(messages), kwargs.get("max_tokens"))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any):
        def gen():
            text = ""
            for piece in self._inner.stream(_messages(messages), kwargs.get("max_tokens")):
                text += piece
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=piece)

        return gen()
