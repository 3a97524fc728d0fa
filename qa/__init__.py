"""qa: cited answers from Chinese government information-disclosure annual reports.

`from qa import ask` imports nothing heavy: torch, llama-index and chromadb load only when a
question needs retrieval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from qa.types import Answer

__all__ = ["ask", "ingest", "Answer"]


def ask(question: str, **options) -> "Answer":
    from qa.answer import ask as _ask

    return _ask(question, **options)


def ingest(paths, **options):
    from qa.ingest import ingest as _ingest

    return _ingest(paths, **options)


def __getattr__(name: str):
    if name == "Answer":
        from qa.types import Answer

        return Answer
    raise AttributeError(name)
