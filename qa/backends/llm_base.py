"""What every LLM backend shares: the `LLM` Protocol, its message type, its errors, the `none`
backend, and the threads that must finish before exit. qa.backends.llm chooses among backends."""

from __future__ import annotations

import atexit
import threading
import time
from typing import Iterator, Optional, Protocol, runtime_checkable

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


_RUNNING: set[threading.Thread] = set()  # generations told to stop (and loads cut short) that may still run


def _wait_for_generations(timeout: float = 30.0) -> None:
    """At exit, let stopped generations leave llama.cpp first: killing a thread inside it aborts."""
    end = time.monotonic() + timeout
    for th in list(_RUNNING):
        th.join(max(0.0, end - time.monotonic()))


atexit.register(_wait_for_generations)
