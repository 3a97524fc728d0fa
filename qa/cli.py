"""The `qa` command: parse, call the library, print. Nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from qa.settings import MAX_YEAR, MIN_YEAR

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Cited answers from Chinese government information-disclosure annual reports.")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = 1) -> None:
    from rich.markup import escape

    _console(stderr=True).print(f"[red]error:[/red] {escape(message)}")  # messages quote file and report text
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Report files or folders (searched recursively)."),
    agency: Optional[str] = typer.Option(None, help="Agency name, when the report does not say it clearly."),
    year: Optional[int] = typer.Option(None, min=MIN_YEAR, max=MAX_YEAR,
                                       help="Year reported on, when the report does not say it clearly."),
):
    """Read reports, split them into sections, index chunks and extract facts."""
    from qa.ingest import ingest as run_ingest
    from qa.render import print_ingest_result

    from rich.progress import Progress

    console = _console()
    counts: dict[str, int] = {}
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)

        def start(total: int) -> None:
            progress.update(task, total=total)

        def show(result) -> None:
            counts[result.status] = counts.get(result.status, 0) + 1
            print_ingest_result(progress.console, result)
            if result.status != "error" or result.report_id:
                progress.advance(task)

        try:
            run_ingest(paths, agency=agency, year=year, on_result=show, on_start=start)
        except Exception as exc:  # the store itself is unusable: one clear line, not a traceback
            _fail(failure_message(exc) or f"{type(exc).__name__}: {exc}")
    console.print("[dim]" + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + "[/dim]")
    if counts.get("error"):
        raise typer.Exit(1)


@app.command()
def doctor(
    check_only: bool = typer.Option(False, "--check", help="Report problems without repairing."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-create the vector index from the stored reports."),
):
    """Check that the facts table and the vector store agree; repair what does not."""
    from qa.ingest import doctor as run_doctor
    from qa.ingest import open_store
    from qa.store import damaged_message

    store = open_store()
    problems = store.integrity_problems()  # PRAGMA quick_check: random bytes inside pass every other check
    if problems:
        _fail(damaged_message(store.path, "; ".join(problems)))
    if rebuild:
        from qa.index import rebuild_index
        from qa.settings import get_settings

        chunks = rebuild_index(get_settings(), store)
        _console().print(f"vector index re-created: {chunks} chunks of {store.count_reports()} reports")
        return
    report = run_doctor(repair=not check_only)
    console = _console()
    console.print(f"pending reports: {report.pending_removed}; orphan rows: {report.orphan_rows}; "
                  f"vectors missing: {report.vectors_missing}; orphan vectors: {report.vectors_orphaned}")
    for path in report.reports_reindexed:
        console.print(f"re-indexed {path}", markup=False)
    console.print("[green]consistent[/green]" if report.ok else
                  ("[yellow]problems found[/yellow]" if check_only else "[green]repaired[/green]"))
    if check_only and not report.ok:
        raise typer.Exit(1)


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question, in Chinese (simplified/traditional) or English."),
    mode: Optional[str] = typer.Option(None, help="none / local / openai (default: QA_LLM)."),
    json_out: bool = typer.Option(False, "--json", help="Print the Answer as JSON."),
):
    """Answer one question, with citations."""
    from qa.answer import ask as run_ask

    console = _console()
    streamed = []

    def stream(token: str) -> None:
        streamed.append(token)
        if not json_out:
            console.print(token, end="", markup=False)

    try:
        answer = run_ask(question, mode=mode, stream_to=stream)
    except ValueError as exc:
        _fail(str(exc))
    if json_out:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    if streamed:
        console.print()
    from qa.render import print_answer

    print_answer(console, answer, text_shown=bool(streamed))


@app.command()
def chat(mode: Optional[str] = typer.Option(None, help="none / local / openai (default: QA_LLM).")):
    """Interactive question answering (history, :help, :sources, :mode, :facts, :quit)."""
    from qa.repl import run

    run(mode)


@app.command()
def facts(
    agency: Optional[str] = typer.Option(None, help="Agency name or alias."),
    year: Optional[int] = typer.Option(None, min=MIN_YEAR, max=MAX_YEAR, help="Year reported on."),
    metric: Optional[str] = typer.Option(None, help="Metric id (see qa/facts/metrics.toml)."),
    fmt: str = typer.Option("table", "--format", help="table / csv / json / parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (needed for parquet)."),
):
    """Show or export the facts table (schema: docs/facts_schema.md)."""
    from qa.ingest import ensure_seeded, open_store
    from qa.meta import canonical_agency
    from qa.render import print_facts

    if fmt not in ("table", "csv", "json", "parquet"):
        _fail(f"unknown format {fmt!r}: use table, csv, json or parquet")
    if fmt == "parquet" and output is None:
        _fail("parquet is binary: give a file with --output FILE")
    ensure_seeded()
    store = open_store()
    rows = store.facts(metric, [canonical_agency(agency)] if agency else [], [year] if year else [])
    if fmt == "parquet":
        from qa.export import write_parquet

        write_parquet(rows, output)
        _console(stderr=True).print(f"{len(rows)} facts written to {output}", markup=False)
    elif output is not None:
        from rich.console import Console

        with output.open("w", encoding="utf-8") as fh:
            print_facts(Console(file=fh, width=200), rows, fmt)
    else:
        print_facts(_console(), rows, fmt)


# Commands that live beside the library code they drive; each module's register(app) adds its
# own typer commands (heavy imports stay inside the command functions).
COMMAND_MODULES: list[str] = ["qa.cli_analysis", "qa.evaluate"]


def failure_message(exc: Exception) -> Optional[str]:
    """One line saying what is wrong and what to do, for failures of the store itself."""
    import sqlite3

    from qa.index import IndexUnavailable
    from qa.settings import get_settings
    from qa.store import StoreUnavailable, StoreVersionError, damaged_message

    if isinstance(exc, (StoreUnavailable, StoreVersionError, IndexUnavailable)):
        return str(exc)
    settings = get_settings()
    if isinstance(exc, PermissionError) or (isinstance(exc, sqlite3.DatabaseError) and "readonly" in str(exc)):
        return (f"{settings.data_dir} is read-only ({exc}): questions still work; ingest and doctor "
                "need to write — make it writable or point QA_DATA_DIR elsewhere")
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return f"{settings.sqlite_path} is busy ({exc}): another qa is writing to it; try again when it is done"
    if isinstance(exc, sqlite3.DatabaseError):
        return damaged_message(settings.sqlite_path, exc)
    return None


def main() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    try:
        app()
    except Exception as exc:  # the one place that turns store failures into one line, not a traceback
        message = failure_message(exc)
        if message is None:
            raise
        from rich.markup import escape

        _console(stderr=True).print(f"[red]error:[/red] {escape(message)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
