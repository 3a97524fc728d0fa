"""The `qa` command: parse, call the library, print. Nothing else lives here."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Cited answers from Chinese government information-disclosure annual reports.")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = 1) -> None:
    _console(stderr=True).print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Report files or folders (searched recursively)."),
    agency: Optional[str] = typer.Option(None, help="Agency name, when the report does not say it clearly."),
    year: Optional[int] = typer.Option(None, help="Year reported on, when the report does not say it clearly."),
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
            _fail(f"{type(exc).__name__}: {exc}")
    console.print("[dim]" + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + "[/dim]")
    if counts.get("error"):
        raise typer.Exit(1)


@app.command()
def doctor(check_only: bool = typer.Option(False, "--check", help="Report problems without repairing.")):
    """Check that the facts table and the vector store agree; repair what does not."""
    from qa.ingest import doctor as run_doctor

    report = run_doctor(repair=not check_only)
    console = _console()
    console.print(f"pending reports: {report.pending_removed}; orphan rows: {report.orphan_rows}; "
                  f"vectors missing: {report.vectors_missing}; orphan vectors: {report.vectors_orphaned}")
    for path in report.reports_reindexed:
        console.print(f"re-indexed {path}")
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
    from qa.render import AnswerStream, print_answer

    console = _console()
    try:
        with AnswerStream(console, spinner=not json_out) as show:
            answer = run_ask(question, mode=mode, stream_to=None if json_out else show)
    except ValueError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:  # Ctrl-C: stop now, even while the local model is still in a C call
        console.print("\n(cancelled)")
        sys.stdout.flush()
        os._exit(130)
    if json_out:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    print_answer(console, answer, streamed=show.text)


@app.command()
def chat(mode: Optional[str] = typer.Option(None, help="none / local / openai (default: QA_LLM).")):
    """Interactive question answering (history, :help, :sources, :mode, :facts, :quit)."""
    from qa.repl import run

    run(mode)


@app.command()
def facts(
    agency: Optional[str] = typer.Option(None, help="Agency name or alias."),
    year: Optional[int] = typer.Option(None, help="Year reported on."),
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
        _console(stderr=True).print(f"{len(rows)} facts written to {output}")
    elif output is not None:
        from rich.console import Console

        with output.open("w", encoding="utf-8") as fh:
            print_facts(Console(file=fh, width=200), rows, fmt)
    else:
        print_facts(_console(), rows, fmt)


# Commands that live beside the library code they drive; each module's register(app) adds its
# own typer commands (heavy imports stay inside the command functions).
COMMAND_MODULES: list[str] = ["qa.cli_analysis", "qa.evaluate"]


def main() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    app()


if __name__ == "__main__":
    main()
