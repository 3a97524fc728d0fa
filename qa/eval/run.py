"""`run_eval`: ask every gold question through `qa.ask()`, score the answers, check the gate.

Heavy imports stay inside functions: importing this module costs nothing.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional, Union

from pydantic import BaseModel, Field

from qa.eval.gold import GoldItem, Kind, Language, load_sets
from qa.eval.paths import DEFAULT_THRESHOLDS, EVAL_STORE_EMBEDDER
from qa.eval.score import GateCheck, QuestionResult, Scores, aggregate, check_gate, expected_text, load_thresholds, score
from qa.eval.stores import EvalStore, fill_store, plan_store


class EvalReport(BaseModel):
    gold_paths: list[str] = Field(description="The gold files asked, in order.")
    reports_dir: Optional[str] = None
    mode: str
    settings_hash: str = ""
    store: Optional[EvalStore] = None
    overall: Scores
    by_set: dict[str, Scores] = Field(default_factory=dict, description="Scores of each gold file (by stem).")
    by_kind: dict[str, Scores]
    by_language: dict[str, Scores]
    results: list[QuestionResult]
    gate: list[GateCheck] = Field(default_factory=list)
    thresholds_path: str = Field(default="", description="The thresholds file the gate was read from, if any.")

    def failures(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.passed]

    def gate_ok(self) -> bool:
        return all(c.ok for c in self.gate)


def ask_one(item: GoldItem, set_name_: str, settings, mode: str) -> QuestionResult:
    """Ask one gold question through `qa.ask()` and score it; an exception is a scored error."""
    from qa import ask

    t = time.perf_counter()
    try:
        answer = ask(item.question, settings=settings, mode=mode)
        result = score(item, answer, round((time.perf_counter() - t) * 1000, 1))
    except Exception as exc:  # one failing question must not stop the run
        ms = (time.perf_counter() - t) * 1000
        result = QuestionResult(id=item.id, question=item.question, kind=item.kind.value,
                                language=item.language.value, mode="error", expected=expected_text(item),
                                error=f"{type(exc).__name__}: {exc}", latency_ms=round(ms, 1))
    result.set = set_name_
    return result


@contextmanager
def asked_settings(settings, plan: EvalStore, files: list[Path], embedder: str,
                   on_ingest=None) -> Iterator:
    """The settings to ask with: `settings` for the current store; else a copy on a temporary data
    dir filled with `files` (recorded on `plan`), removed on exit."""
    import tempfile

    if not files:
        yield settings
        return
    with tempfile.TemporaryDirectory(prefix="qa-eval-", ignore_cleanup_errors=True) as tmp:
        settings = settings.model_copy(update={"data_dir": Path(tmp), "auto_ingest_seeds": False,
                                               "embedder": embedder})
        started = time.perf_counter()
        plan.reports = fill_store(files, settings, on_ingest)
        plan.ingest_s = round(time.perf_counter() - started, 1)
        yield settings


def grouped_scores(results: list[QuestionResult], field: str, names: list[str]) -> dict[str, Scores]:
    """Scores of the results whose `field` is each of `names`, in that order (names with none left out)."""
    return {name: aggregate([r for r in results if getattr(r, field) == name])
            for name in names if any(getattr(r, field) == name for r in results)}


def run_eval(gold_path=None, mode: str = "none", settings=None,
             reports_dir: Union[str, Path, None] = None, thresholds: Union[str, Path, dict, None] = None,
             on_result=None, kinds: Optional[list[str]] = None, limit: Optional[int] = None,
             embedder: str = EVAL_STORE_EMBEDDER, on_ingest=None, on_plan=None) -> EvalReport:
    """Ask every gold question through `qa.ask()` and score the answers, overall and per gold file.

    gold_path: one gold file or a list of them (default: every eval/gold*.jsonl).
    The questions are asked against the store of `settings` when it holds every report they cite;
    otherwise (or when `reports_dir` is given) those reports — looked up by file stem in
    reports_dir, seeds/, ../shared/corpus/text and ../shared/corpus/pingtan — are ingested into a
    temporary data dir with `embedder`, and the user's store is left untouched. A report found
    nowhere raises MissingReports (one line naming them and the command that adds them).
    thresholds: a TOML path or a dict {"min": {...}, "max": {...}}; default eval/thresholds.toml.
    on_result: called with each QuestionResult as it is scored; on_plan with the EvalStore before
    any ingest; on_ingest with each IngestResult of the temporary store.
    kinds / limit: only questions of these kinds / only the first `limit` (slow LLM runs).
    """
    from qa.settings import get_settings

    settings = settings or get_settings()
    sets = load_sets(gold_path, kinds, limit)
    plan, files = plan_store([i for _, _, items in sets for i in items], settings,
                             Path(reports_dir) if reports_dir else None, embedder)
    if on_plan:
        on_plan(plan)
    with asked_settings(settings, plan, files, embedder, on_ingest) as asked:
        scored: list[QuestionResult] = []
        for name, _, items in sets:
            for item in items:
                scored.append(ask_one(item, name, asked, mode))
                if on_result:
                    on_result(scored[-1])
        report = EvalReport(
            gold_paths=[str(p) for _, p, _ in sets], reports_dir=str(reports_dir) if reports_dir else None,
            mode=mode, settings_hash=asked.fingerprint(), store=plan, overall=aggregate(scored),
            by_set={name: aggregate([r for r in scored if r.set == name]) for name, _, _ in sets},
            by_kind=grouped_scores(scored, "kind", [k.value for k in Kind]),
            by_language=grouped_scores(scored, "language", [lang.value for lang in Language]),
            results=scored,
        )
    if isinstance(thresholds, dict):
        report.gate = check_gate(report.overall, thresholds)
    elif thresholds is not None or DEFAULT_THRESHOLDS.exists():
        report.gate = check_gate(report.overall, load_thresholds(thresholds))
    return report
