"""`qa eval`: options, progress and score tables, exit codes. The scoring is qa.eval.

Exit codes: 0 done (and the gate held), 1 --gate and a threshold failed, 2 bad options, gold file
or thresholds, or reports the sets need that cannot be found or read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from qa.eval.paths import DEFAULT_THRESHOLDS, EVAL_STORE_EMBEDDER, project_relative
from qa.types import Mode

SCORE_ROWS = [("n", "questions"), ("numeric_em", "numeric EM"), ("comparison_em", "comparison EM"),
              ("abstention", "abstention"), ("absent_ok", "absent ok"), ("citation_precision", "citation prec."),
              ("report_accuracy", "report"), ("section_accuracy", "section"), ("recall_at_k", "recall@k"),
              ("phrase_pass", "phrases"), ("invented_numbers", "invented"), ("wrong_agency", "other agency"),
              ("passed", "passed"),
              ("errors", "errors"), ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms")]
# Metrics are rows and groups columns, at most this many a table, so a table fits 80 columns.
GROUPS_PER_TABLE = 6
BAD_INPUT = 2  # exit code of a bad option, gold file or thresholds file (1 is a failed gate)


# ---------------------------------------------------------------------------- printing
def _cell(key: str, value) -> str:
    if isinstance(value, int):
        return str(value)
    if key.startswith("latency"):
        return f"{value:.0f}"
    return "—" if value is None else f"{value:.3f}"


def scores_tables(title: str, groups: dict) -> list:
    """One table per GROUPS_PER_TABLE groups of Scores: a row per metric, a column per group."""
    from rich.table import Table

    names = list(groups)
    tables = []
    for i in range(0, len(names), GROUPS_PER_TABLE):
        part = names[i:i + GROUPS_PER_TABLE]
        t = Table(title=title if i == 0 else f"{title} (cont.)", title_justify="left", show_edge=False)
        t.add_column("metric", no_wrap=True)
        for name in part:
            t.add_column(name, justify="right", overflow="fold", min_width=5)
        for key, label in SCORE_ROWS:
            t.add_row(label, *(_cell(key, getattr(groups[name], key)) for name in part))
        tables.append(t)
    return tables


def short_answer(r, limit: int = 160) -> str:
    """A QuestionResult's answer on one line: its value, then its text cut at `limit` characters."""
    from qa.eval.text import format_number

    if r.error:
        return r.error
    head = (f"value={format_number(r.answer_value)}{r.answer_unit} ({r.answer_qualifier}) "
            if r.answer_value is not None else "")
    text = " ".join(r.answer_text.split())
    return head + (text[:limit] + "…" if len(text) > limit else text)


def print_failures(console, report) -> None:
    from rich.markup import escape

    from qa.eval.score import why_failed

    failures = report.failures()
    console.print(f"[bold]failing questions ({len(failures)})[/bold]")
    several = len(report.by_set) > 1
    for r in failures:
        where = f"{r.set}:{r.id}" if several else r.id
        console.print(f"[red]✗[/red] {escape(where)} — {escape('; '.join(why_failed(r)))}")
        console.print(f"    Q: {escape(r.question)}")
        console.print(f"    expected: {escape(r.expected)}")
        console.print(f"    got {escape(f'[{r.mode}]')}: {escape(short_answer(r))}")


def gate_table(report):
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=f"gate ({escape(report.thresholds_path or 'thresholds')}, overall)", title_justify="left")
    for col in ("metric", "rule", "value", "ok"):
        t.add_column(col)
    for c in report.gate:
        shown = "n/a" if c.value is None else (f"{c.value:g}" if float(c.value).is_integer() else f"{c.value:.3f}")
        t.add_row(c.metric, f"{c.op} {c.limit:g}", shown, "[green]pass[/green]" if c.ok else "[red]FAIL[/red]")
    return t


def print_report(console, report, show_failures: bool = True) -> None:
    """An EvalReport: sets, mode and store, score tables overall / by kind / by language, the
    failing questions, the gate."""
    from rich.markup import escape

    sets = ", ".join(f"{name} ({s.n})" for name, s in report.by_set.items())
    console.print(f"sets: {escape(sets)}")
    console.print(f"mode: {report.mode} · settings: {report.settings_hash}"
                  + (f" · reports: {escape(report.reports_dir)}" if report.reports_dir else ""))
    if report.store:
        console.print(f"store: {escape(report.store.describe())}")
    overall = {"all": report.overall, **(report.by_set if len(report.by_set) > 1 else {})}
    for title, groups in (("overall and by set", overall), ("by kind", report.by_kind),
                          ("by language", report.by_language)):
        for table in scores_tables(title, groups):
            console.print(table)
    if show_failures and report.failures():
        print_failures(console, report)
    if report.gate:
        console.print(gate_table(report))


# ---------------------------------------------------------------------------- the command
def checked_inputs(gold: Optional[list[Path]], kinds: Optional[list[str]], limit: Optional[int],
                   reports: Optional[Path], thresholds: Optional[Path]) -> tuple[int, Optional[dict]]:
    """(questions to ask, thresholds or None when the file does not exist); exits 2 on a bad input
    before any question is asked."""
    from qa.cli.console import fail
    from qa.eval.gold import Kind, load_sets
    from qa.eval.score import load_thresholds

    if reports is not None and not reports.is_dir():
        fail(f"{reports} is not a directory", BAD_INPUT)
    try:
        bad_kinds = [k for k in kinds or [] if k not in Kind.__members__]
        if bad_kinds:
            raise ValueError(f"unknown kind(s) {bad_kinds}: use {', '.join(Kind.__members__)}")
        total = sum(len(items) for _, _, items in load_sets(gold or None, kinds or None, limit))
        limits = load_thresholds(thresholds) if thresholds and Path(thresholds).exists() else None
    except (OSError, ValueError) as exc:
        fail(str(exc), BAD_INPUT)
    return total, limits


def progress_printers(err, total: int):
    """(on_result, on_plan) callbacks of run_eval printing progress on stderr."""
    done = [0]

    def progress(r) -> None:
        done[0] += 1
        mark = "[green]✓[/green]" if r.passed else "[red]✗[/red]"
        err.print(f"{done[0]:>3}/{total} {mark} {r.set}:{r.id}  ({r.latency_ms:.0f} ms)")

    def planned(store) -> None:
        if store.kind == "temporary":
            err.print(f"ingesting the reports the gold sets need into a temporary store "
                      f"(embedder {store.embedder}) …")

    return progress, planned


def eval_command(
    gold: Optional[list[Path]] = typer.Option(
        None, "--set", metavar="FILE", help="Gold questions (JSONL, see eval/README.md); repeatable. Default: every eval/gold*.jsonl."),
    mode: Mode = typer.Option("none", help="How narrative questions are answered."),
    json_out: Optional[Path] = typer.Option(None, "--json", metavar="FILE",
                                            help="Write the full report as JSON to this file."),
    reports: Optional[Path] = typer.Option(
        None, "--reports", metavar="DIR", help="Ingest this folder (and the other reports the sets cite) into a temporary store."),
    embedder: str = typer.Option(EVAL_STORE_EMBEDDER, help="Embedder of a temporary store (fast by default)."),
    gate: bool = typer.Option(False, "--gate", help="Exit 1 when a threshold fails."),
    thresholds: Path = typer.Option(DEFAULT_THRESHOLDS, help="Thresholds for --gate (TOML)."),
    failures: bool = typer.Option(True, help="List the failing questions."),
    kind: Optional[list[str]] = typer.Option(None, "--kind", help="Only questions of this kind (repeatable)."),
    limit: Optional[int] = typer.Option(None, help="Only the first N questions."),
):
    """Score the tool on gold sets of questions: exact numbers, abstention, citations, latency.

    The questions are asked against your store when it holds every report they cite; otherwise
    those reports are ingested into a temporary store first (your store is left untouched).
    """
    from qa.cli.console import console, fail
    from qa.eval.run import run_eval

    out, err = console(), console(stderr=True)
    total, limits = checked_inputs(gold, kind, limit, reports, thresholds)
    progress, planned = progress_printers(err, total)
    try:
        report = run_eval(gold or None, mode=mode, reports_dir=reports, thresholds=limits or {},
                          on_result=progress, kinds=kind or None, limit=limit, embedder=embedder,
                          on_plan=planned)
    except (RuntimeError, ValueError) as exc:  # MissingReports, a report that cannot be ingested
        fail(str(exc), BAD_INPUT)
    report.thresholds_path = project_relative(thresholds) if limits else ""
    print_report(out, report, show_failures=failures)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(report.model_dump_json(indent=2), encoding="utf-8")
        out.print(f"report written to {json_out}")
    if gate and not report.gate_ok():
        failed = ", ".join(f"{c.metric} {c.value} (needs {c.op} {c.limit:g})" for c in report.gate if not c.ok)
        err.print(f"[red]gate failed:[/red] {failed}")
        raise typer.Exit(1)


def register(app) -> None:
    """Add `qa eval` to the `qa` typer app (qa.cli.main's COMMAND_MODULES)."""
    app.command("eval")(eval_command)
