"""`qa trend` and `qa audit`: thin shells over qa.answer.charts / qa.answer.analysis and qa.answer.audit."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("trend")(trend)
    app.command("audit")(audit)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(message: str) -> None:
    from rich.markup import escape

    _console(stderr=True).print(f"[red]error:[/red] {escape(message)}")  # messages quote file and report text
    raise typer.Exit(1)


def trend(
    metric: str = typer.Argument(..., help="Metric id (qa/facts/metrics.toml) or a metric name, e.g. 行政复议."),
    agency: Optional[str] = typer.Option(None, help="Agency name or alias (default: every agency)."),
    scope: Optional[str] = typer.Option(None, help="Table column, e.g. natural_person (default: the total)."),
    png: Optional[Path] = typer.Option(None, "--png", help="Also write a PNG bar chart to this file."),
    json_out: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
):
    """One metric over the years: table, terminal bars, optional PNG; missing values shown as missing."""
    from qa.answer.charts import print_trend, trend_analysis, trend_png
    from qa.facts.common import vocabulary
    from qa.cli.main import resolve_agency
    from qa.ingest import ensure_seeded, open_store

    metric_id = metric if metric in vocabulary()["metrics"] else None
    if metric_id is None:
        from qa.normalize import matching_view
        from qa.understand import find_metric

        metric_id = find_metric(matching_view(metric))
    if metric_id is None:
        _fail(f"unknown metric {metric!r}: see qa/facts/metrics.toml")
    ensure_seeded()
    store = open_store()
    try:
        name = resolve_agency(agency, store) if agency else None
    except ValueError as exc:
        _fail(str(exc))
    analysis = trend_analysis(store, metric_id, name, scope)
    if json_out:
        sys.stdout.write(analysis.model_dump_json(indent=1) + "\n")
    else:
        print_trend(_console(), analysis)
    if png:
        title = trend_png(analysis, png)
        _console(stderr=json_out).print(f"wrote {png} ({title})", markup=False)


def audit(
    reports: Optional[List[str]] = typer.Argument(None, help="Report ids, paths, file names or agency names (default: all)."),
    fmt: str = typer.Option("table", "--format", help="table / json."),
):
    """Check each report against itself: template arithmetic, prose vs table, unread cells, sections."""
    from qa.answer.audit import audit as run_audit
    from qa.ingest import ensure_seeded, open_store

    if fmt not in ("table", "json"):
        _fail(f"unknown format {fmt!r}: use table or json")
    ensure_seeded()
    store = open_store()
    try:
        result = run_audit(store, reports or [])
    except KeyError as exc:
        _fail(str(exc.args[0]))
    if fmt == "json":
        sys.stdout.write(json.dumps(result.model_dump(), ensure_ascii=False, indent=1) + "\n")
    else:
        _print_audit(_console(), result)
    if result.count("error"):
        raise typer.Exit(2)


def _print_audit(console, result) -> None:
    from rich.markup import escape
    from rich.table import Table

    colour = {"error": "red", "warning": "yellow", "info": "dim"}
    for rep in result.reports:
        head = f"{rep.agency or '?'} {rep.year or '?'} ({rep.template}) — {rep.path}"
        if not rep.findings:
            console.print(f"[green]✓[/green] {escape(head)}: {rep.checks} checks, no findings")
            continue
        table = Table(title=escape(head), show_lines=True, title_justify="left")
        for col in ("severity", "check", "finding", "where (quote)"):
            table.add_column(col)
        for f in rep.findings:
            where = " / ".join(" ".join(c.quote.split())[:70] + f" @{c.start}-{c.end}" for c in f.citations[:3])
            table.add_row(f"[{colour[f.severity]}]{f.severity}[/]", f.check, escape(f.message), escape(where))
        console.print(table)
    console.print(f"{len(result.reports)} report(s): {result.count('error')} error(s), "
                  f"{result.count('warning')} warning(s), {result.count('info')} info")
