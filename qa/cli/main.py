"""The `qa` command: parse, call the library, print. Nothing else lives here."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from qa.cli.console import console, error, fail
from qa.settings import MAX_YEAR, MIN_YEAR
from qa.types import Mode  # a Literal, so typer refuses any other value

# Plain click help: typer's rich panels print "<bool>" after flags, as if --json took a value.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Cited answers from Chinese government information-disclosure annual reports.")

# Settings a question depends on, shown under `qa ask --help` (descriptions from qa.settings).
ASK_VARIABLES = ("data_dir", "llm", "embedder", "top_k", "openai_base_url", "openai_model", "llm_model_path",
                 "auto_ingest_seeds")


def variables_help(names) -> str:
    """The QA_* variables of these settings, one a line, for a command's --help."""
    from qa.settings import Settings

    fields = Settings.model_fields
    width = max(len(f"QA_{n}") for n in names)
    lines = [f"  {('QA_' + n.upper()).ljust(width)}  {fields[n].description}" for n in names]
    return "\b\nEnvironment variables:\n" + "\n".join(lines)


def seed_on_first_use() -> None:
    """Ingest the bundled seed reports before the first question, on a line of its own with its
    time, so that time is not shown as the answer's (the library would seed silently inside ask)."""
    from qa.ingest import ensure_seeded, needs_seeding

    if not needs_seeding():
        return
    err = console(stderr=True)
    err.print("ingesting the bundled seed reports (first use)…", end=" ")
    err.print(f"done in {ensure_seeded(announce=False) or 0:.0f} s")


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Report files or folders (searched recursively)."),
    agency: Optional[str] = typer.Option(None, help="Agency name, when the report does not say it clearly."),
    year: Optional[int] = typer.Option(None, min=MIN_YEAR, max=MAX_YEAR,
                                       help="Year reported on, when the report does not say it clearly."),
    replace: bool = typer.Option(False, "--replace",
                                 help="This version replaces the stored report(s) of the same agency and year."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes reading and analysing files in parallel."),
):
    """Read reports, split them into sections, extract facts (answerable at once), then add vectors."""
    from rich.progress import Progress

    import qa
    from qa.cli.render import print_ingest_result

    out = console()
    counts: dict[str, int] = {}
    with Progress(console=out, transient=True) as progress:
        task = progress.add_task("reading", total=None)
        vectors = progress.add_task("vectors", total=None, visible=False)

        def start(total: int) -> None:
            progress.update(task, total=total)

        def show(result) -> None:
            counts[result.status] = counts.get(result.status, 0) + 1
            print_ingest_result(progress.console, result)
            if result.status != "error" or result.report_id:
                progress.advance(task)

        def embedding(done: int, total: int) -> None:
            progress.update(vectors, visible=True, completed=done, total=total,
                            description=f"vectors {done}/{total} chunks")

        try:
            qa.ingest(paths, agency=agency, year=year, on_result=show, on_start=start, replace=replace, jobs=jobs,
                      on_embed=embedding)
        except Exception as exc:  # the store itself is unusable: one clear line, not a traceback
            fail(failure_message(exc) or f"{type(exc).__name__}: {exc}")
    out.print("[dim]" + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + "[/dim]")
    if counts.get("error"):
        raise typer.Exit(1)


@app.command()
def remove(reports: List[str] = typer.Argument(..., help="Stored reports, by file path or report id.")):
    """Remove reports from the store (their facts, keyword rows and vectors)."""
    from rich.markup import escape

    from qa.ingest import remove as run_remove

    removed, unknown = run_remove(reports)
    out = console()
    for info in removed:
        out.print(f"removed {escape(info['path'])}  {escape(str(info['agency'] or '?'))} {info['year'] or '?'}")
    if unknown:
        fail(f"no stored report at {', '.join(unknown)} (give a path as ingested, or a report id)")


@app.command()
def doctor(
    check_only: bool = typer.Option(False, "--check", help="Report problems without repairing."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-create the vector index from the stored reports."),
):
    """Check that the facts table and the vector store agree; repair what does not."""
    import qa
    from qa.ingest import open_store
    from qa.store import damaged_message

    store = open_store()
    problems = store.integrity_problems()  # PRAGMA quick_check: random bytes inside pass every other check
    if problems:
        fail(damaged_message(store.path, "; ".join(problems)))
    report = qa.doctor(repair=not (check_only or rebuild), rebuild=rebuild)
    out = console()
    if rebuild:
        out.print(f"vector index re-created from the {store.count_reports()} stored reports")
    out.print(doctor_table(report))
    for path in report.reports_reindexed:
        out.print(f"re-indexed {path}", markup=False)
    for stale in report.stale_reports[:20]:
        out.print(f"stale ({stale.change}): {stale.path}", markup=False)
    if report.stale_reports:
        more = len(report.stale_reports) - 20
        out.print(("… and %d more: " % more if more > 0 else "") + "`qa ingest` of their files reads them again",
                  markup=False)
    out.print("[green]consistent[/green]" if report.ok else
                  ("[yellow]problems found[/yellow]" if check_only else "[green]repaired[/green]"))
    if check_only and not report.ok:
        raise typer.Exit(1)


def doctor_table(report):
    """What `qa doctor` checked, one row a check: count found and whether it is fine."""
    from rich.table import Table

    table = Table("check", "found", "status", title="facts table and vector store", title_justify="left")
    rows = [("reports left pending by a crash", report.pending_removed)]
    rows += [(f"orphan rows in {name}", n) for name, n in report.orphan_rows.items()]
    rows += [("chunks without vectors", report.vectors_missing), ("vectors without chunks", report.vectors_orphaned)]
    for check, n in rows:
        table.add_row(check, str(n), "[green]ok[/green]" if not n else "[yellow]problem[/yellow]")
    # not a problem: facts come first, vectors after (the next retrieval question or repair adds them)
    table.add_row("reports awaiting vectors", str(report.vectors_pending), "[green]ok[/green]")
    stale = len(report.stale_reports)  # read by another extractor: their facts may be out of date
    table.add_row("reports read by another extractor", str(stale),
                  "[yellow]stale[/yellow]" if stale else "[green]ok[/green]")
    return table


ASK_EXAMPLES = """\b
Examples:
  qa ask "外交部2013年因政府信息公开申请行政复议的案件有多少起?"
  qa ask "how many 行政复议 cases did 外交部 report in 2013?"
  qa ask --mode none "辽宁省外办2020年存在哪些问题?"
  qa ask --json "外交部2012年收到多少申请?"
"""


@app.command(epilog=ASK_EXAMPLES + "\n" + variables_help(ASK_VARIABLES))
def ask(
    question: str = typer.Argument(..., help="The question, in Chinese (simplified/traditional) or English."),
    mode: Optional[Mode] = typer.Option(None, help="How non-numeric questions are answered (default: QA_LLM)."),
    json_out: bool = typer.Option(False, "--json", help="Print the Answer as JSON."),
):
    """Answer one question, with citations (numbers from the facts table, never from an LLM)."""
    import qa
    from qa.cli.render import AnswerStream, print_answer

    seed_on_first_use()
    out = console()
    try:
        with AnswerStream(out, spinner=not json_out) as show:
            answer = qa.ask(question, mode=mode, stream_to=None if json_out else show)
    except ValueError as exc:
        fail(str(exc))
    except KeyboardInterrupt:  # Ctrl-C: stop now, even while the local model is still in a C call
        out.print("\n(cancelled)")
        sys.stdout.flush()
        os._exit(130)
    if json_out:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    print_answer(out, answer, streamed=show.text)


@app.command()
def chat(mode: Optional[Mode] = typer.Option(None, help="How non-numeric questions are answered (default: QA_LLM).")):
    """Interactive question answering (history, :help, :sources, :mode, :facts, :quit)."""
    from qa.cli.repl import run

    seed_on_first_use()
    run(mode)


@app.command()
def facts(
    agency: Optional[str] = typer.Option(None, help="Agency name or alias."),
    year: Optional[int] = typer.Option(None, min=MIN_YEAR, max=MAX_YEAR, help="Year reported on."),
    metric: Optional[str] = typer.Option(None, help="Metric id (see qa/facts/metrics.toml) or name, e.g. 行政复议."),
    fmt: str = typer.Option("table", "--format", help="table / csv / json / parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (needed for parquet)."),
):
    """Show or export the facts table (schema: docs/facts_schema.md)."""
    import qa
    from qa.cli.render import print_facts

    if fmt not in ("table", "csv", "json", "parquet"):
        fail(f"unknown format {fmt!r}: use table, csv, json or parquet")
    if fmt == "parquet" and output is None:
        fail("parquet is binary: give a file with --output FILE")
    seed_on_first_use()
    try:
        rows = qa.facts(agency, year, metric)
    except ValueError as exc:
        fail(str(exc))
    if fmt == "parquet":
        from qa.export import write_parquet

        write_parquet(rows, output)
        console(stderr=True).print(f"{len(rows)} facts written to {output}", markup=False)
    elif output is not None:
        with output.open("w", encoding="utf-8") as fh:
            print_facts(console(file=fh, width=200), rows, fmt)
    else:
        print_facts(console(), rows, fmt)


# Commands that live beside the library code they drive; each module's register(app) adds its
# own typer commands (heavy imports stay inside the command functions).
COMMAND_MODULES: list[str] = ["qa.cli.analysis", "qa.cli.eval"]


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
        error(message)
        sys.exit(1)


if __name__ == "__main__":
    main()
