"""qa: cited answers from Chinese government information-disclosure annual reports.

`from qa import ask` imports nothing heavy: torch, llama-index and chromadb load only when a
question needs retrieval.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Union

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from qa.ingest import IngestResult
    from qa.settings import Settings
    from qa.types import Answer

__all__ = ["ask", "ingest", "Answer"]


def ask(question: str, settings: Optional[Settings] = None, mode: Optional[str] = None,
        stream_to: Optional[Callable[[str], None]] = None) -> Answer:
    """Answer one question about the ingested reports, with citations.

    question: Chinese (simplified or traditional) or English, e.g. "外交部2013年收到多少政府信息公开申请?".
    settings: a qa.settings.Settings (default: from the QA_* environment variables).
    mode: how questions the facts table cannot answer are answered: "none" (cited extracts),
        "local" (bundled LLM) or "openai" (an OpenAI-compatible server); default QA_LLM.
    stream_to: called with each piece of text an LLM writes, as it writes it.

    Returns an Answer: .text, .value/.unit/.qualifier for a number, .citations (exact quotes with
    offsets), .mode (fact / retrieval / llm / abstain). Numbers come from the facts table, never
    from a language model. The bundled seed reports are ingested on first use.
    Raises ValueError for an empty question.
    """
    from qa.answer.route import ask as _ask

    return _ask(question, settings=settings, mode=mode, stream_to=stream_to)


def ingest(paths: Iterable[Union[str, Path]], settings: Optional[Settings] = None, agency: Optional[str] = None,
           year: Optional[int] = None, **options) -> list[IngestResult]:
    """Read reports (txt, HTML, PDF, DOCX; folders recursively) into the store, one result a file.

    agency / year: use these when a report does not name them clearly. Further options
    (on_result, on_start callbacks) are those of qa.ingest.ingest.
    """
    from qa.ingest import ingest as _ingest

    return _ingest(paths, settings=settings, agency=agency, year=year, **options)


class _Package(types.ModuleType):
    """Keeps `qa.ingest` the function: importing the submodule qa.ingest (which `ask` does) would
    otherwise rebind the package attribute to the module, and `qa.ingest(paths)` would fail."""

    def __setattr__(self, name: str, value) -> None:
        if name == "ingest" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name == "Answer":
        from qa.types import Answer

        return Answer
    raise AttributeError(name)
