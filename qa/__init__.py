"""qa: cited answers from Chinese government information-disclosure annual reports.

The library mirrors the `qa` command: `ask`, `ingest`, `facts`, `trend`, `audit`, `doctor` and
`evaluate` are what `qa ask`, `qa ingest`, `qa facts` … call. Each imports its implementation
when called, so `import qa` is light and a fact question never loads torch, llama-index or chromadb.
Every function takes `settings=` (a qa.settings.Settings; default: from the QA_* environment).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Union

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from qa.answer.analysis import Analysis
    from qa.answer.audit import AuditResult
    from qa.eval import EvalReport
    from qa.health import DoctorReport
    from qa.ingest import IngestResult
    from qa.settings import Settings
    from qa.types import Answer, Fact, Mode

__all__ = ["ask", "ingest", "facts", "trend", "audit", "doctor", "evaluate", "Answer"]


def ask(question: str, *, mode: Optional[Mode] = None, settings: Optional[Settings] = None,
        stream_to: Optional[Callable[[str], None]] = None) -> Answer:
    """Answer one question about the ingested reports, with citations.

    question: Chinese (simplified or traditional) or English.
    mode: how questions the facts table cannot answer are answered (qa.types.Mode): "none" (cited
        extracts), "local" (bundled LLM) or "openai" (an OpenAI-compatible server); default QA_LLM.
    stream_to: called with each piece of text an LLM writes, as it writes it.

    Returns an Answer: .text, .value/.unit/.qualifier for a number, .citations (exact quotes with
    offsets), .mode (fact / extract / retrieval / llm / abstain), .checks. Numbers come from the
    facts table, never from a language model. The bundled seed reports are ingested on first use.
    Raises ValueError for an empty question.

    >>> answer = qa.ask("外交部2013年收到多少政府信息公开申请?")
    >>> answer.value, answer.unit, answer.citations[0].quote
    (119.0, '份', '2013年,外交部共收到政府信息公开申请119份,已按《条例》有关规定及时答复。')
    """
    from qa.answer.route import ask as _ask

    return _ask(question, settings=settings, mode=mode, stream_to=stream_to)


def ingest(paths: Union[str, Path, Iterable[Union[str, Path]]], *, settings: Optional[Settings] = None,
           agency: Optional[str] = None, year: Optional[int] = None, replace: bool = False, jobs: int = 1,
           on_result: Optional[Callable[[IngestResult], None]] = None,
           on_start: Optional[Callable[[int], None]] = None,
           on_embed: Optional[Callable[[int, int], None]] = None) -> list[IngestResult]:
    """Read reports (txt, HTML, PDF, DOCX; folders recursively) into the store, one result a file.

    agency / year: use these when a report does not name them clearly.
    replace: this version replaces the stored report(s) of the same agency and year.
    jobs: processes reading and analysing files in parallel.
    on_start(number of files), on_result(IngestResult), on_embed(chunks done, chunks total): progress.

    >>> [r.status for r in qa.ingest(["seeds/mfa_2013.txt"])]  # "unchanged" once stored
    ['added']
    """
    from qa.ingest import ingest as _ingest

    return _ingest(paths, settings=settings, agency=agency, year=year, replace=replace, jobs=jobs,
                   on_result=on_result, on_start=on_start, on_embed=on_embed)


def _seeded_store(settings: Optional[Settings]):
    """The store, with the bundled seeds ingested on first use (as `ask` does)."""
    from qa.ingest import ensure_seeded, open_store

    ensure_seeded(settings)
    return open_store(settings)


def facts(agency: Optional[str] = None, year: Optional[int] = None, metric: Optional[str] = None, *,
          settings: Optional[Settings] = None) -> list[Fact]:
    """The facts table (what `qa facts` shows): every number the reports state, with its quote.

    agency: a name or alias as a question would write it (外交部, 长春市外侨办, "foreign ministry").
    year: the year reported on. metric: an id of qa/facts/metrics.toml or a metric name (行政复议).
    Raises ValueError for an agency no ingested report is of (naming the closest known) or an
    unknown metric.

    >>> [(f.metric, f.scope, f.value) for f in qa.facts("外交部", 2013, "review_total")]
    [('review_total', '', 90.0)]
    """
    from qa.names import resolve_agency, resolve_metric

    store = _seeded_store(settings)
    agencies = [resolve_agency(agency, store)] if agency else []
    return store.facts(resolve_metric(metric) if metric else None, agencies, [year] if year else [])


def trend(metric: str, agency: Optional[str] = None, *, years: Optional[Iterable[int]] = None,
          scope: Optional[str] = None, settings: Optional[Settings] = None) -> Analysis:
    """One metric over the years (what `qa trend` shows): a row per report, with citations,
    missing values marked missing (never zero), and the changes between years.

    metric: an id of qa/facts/metrics.toml or a metric name. agency: a name or alias (default:
    every agency). years: only these years. scope: a table column, e.g. natural_person.
    Raises ValueError for an unknown metric or agency.

    >>> [(r.year, r.value) for r in qa.trend("applications_received", "外交部").rows]
    [(2012, 134.0), (2013, 119.0)]
    """
    from qa.answer.analysis import trend as _trend
    from qa.names import resolve_agency, resolve_metric

    metric_id = resolve_metric(metric)
    store = _seeded_store(settings)
    name = resolve_agency(agency, store) if agency else None
    return _trend(store, metric_id, name, list(years or ()), scope)


def audit(reports: Iterable[str] = (), *, settings: Optional[Settings] = None) -> AuditResult:
    """Check each report against itself (what `qa audit` shows): template arithmetic, prose vs
    table, unread cells, missing sections. reports: ids, paths, file names or agency names
    (default: every stored report). Raises ValueError for a reference no stored report matches.

    >>> result = qa.audit(["35_huaian-hongze-district_2023.txt"])
    >>> result.count("error"), result.reports[0].findings[0].check
    (2, 'review_total')
    """
    from qa.answer.audit import audit as _audit

    store = _seeded_store(settings)
    try:
        return _audit(store, list(reports))
    except KeyError as exc:  # audit names the reference it cannot find
        raise ValueError(exc.args[0]) from None


def doctor(*, repair: bool = True, rebuild: bool = False, settings: Optional[Settings] = None) -> DoctorReport:
    """Check that the facts table and the vector store agree, chunk for chunk (what `qa doctor`
    does); repair what does not unless repair=False. rebuild: re-create the vector index from the
    stored reports first (it is derived data: nothing is lost). Returns what was found.

    >>> qa.doctor(repair=False).ok
    True
    """
    from qa.health import doctor as _doctor

    if rebuild:
        from qa.index import rebuild_index
        from qa.ingest import open_store
        from qa.settings import get_settings

        settings = settings or get_settings()
        rebuild_index(settings, open_store(settings))
    return _doctor(settings, repair=repair)


def evaluate(sets: Union[str, Path, list, None] = None, *, mode: Mode = "none",
             thresholds: Union[str, Path, dict, None] = None, settings: Optional[Settings] = None) -> EvalReport:
    """Ask gold questions through `ask` and score the answers (what `qa eval` does): exact
    numbers, abstention, citations, latency, and the threshold gate.

    sets: gold JSONL file(s) (default: every eval/gold*.jsonl). thresholds: a TOML path or a dict
    {"min": {...}, "max": {...}} (default eval/thresholds.toml). The questions are asked against
    the store of `settings` when it holds every report they cite, else against a temporary store.

    >>> report = qa.evaluate("eval/gold.jsonl")
    >>> report.gate_ok()
    True
    """
    from qa.eval import run_eval

    return run_eval(sets, mode=mode, settings=settings, thresholds=thresholds)


class _Package(types.ModuleType):
    """Keeps `qa.ingest` and `qa.facts` the functions: importing the submodules qa.ingest and
    qa.facts (which `ask` does) would otherwise rebind the package attribute to the module, and
    `qa.ingest(paths)` / `qa.facts()` would fail."""

    def __setattr__(self, name: str, value) -> None:
        if name in ("ingest", "facts") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name == "Answer":
        from qa.types import Answer

        return Answer
    raise AttributeError(name)
