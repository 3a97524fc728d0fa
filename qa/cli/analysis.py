"""`qa trend` and `qa audit`: thin shells over `qa.trend` / `qa.audit` (printing: qa.answer.charts)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from qa.cli.console import console, fail


def register(app: typer.Typer) -> None:
    app.command("trend")(trend)
    app.command("audit")(audit)


def trend(
    metric: str = typer.Argument(..., help="Metric id (qa/facts/metrics.toml) or a metric name, e.g. 行政复议."),
    agency: Optional[str] = typer.Option(None, help="Agency name or alias (default: every agency)."),
    scope: Optional[str] = typer.Option(None, help="Table column, e.g. natural_person (default: the total)."),
    png: Optional[Path] = typer.Option(None, "--png", help="Also write a PNG bar chart to this file."),
    json_out: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
):
    """One metric over the years: table, terminal bars, optional PNG; missing values shown as missing."""
    import qa
    from qa.answer.charts import print_trend, trend_png

    try:
        analysis = qa.trend(metric, agency, scope=scope)
    except ValueError as exc:
        fail(str(exc))
    if json_out:
        sys.stdout.write(analysis.model_dump_json(indent=1) + "\n")
    else:
        print_trend(console(), analysis)
    if png:
        title = trend_png(analysis, png)
        console(stderr=json_out).print(f"wrote {png} ({title})", markup=False)


def audit(
    reports: Optional[List[str]] = typer.Argument(None, help="Report ids, paths, file names or agency names (default: all)."),
    fmt: str = typer.Option("table", "--format", help="table / json."),
):
    """Check each report against itself: template arithmetic, prose vs table, unread cells, sections."""
    import qa

    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}: use table or json")
    try:
        result = qa.audit(reports or [])
    except ValueError as exc:
        fail(str(exc))
    if fmt == "json":
        sys.stdout.write(json.dumps(result.model_dump(), ensure_ascii=False, indent=1) + "\n")
    else:
        _print_audit(console(), result)
    if result.count("error"):
        raise typer.Exit(2)


def _print_audit(out, result) -> None:
    from rich.markup import escape
    from rich.table import Table

    colour = {"error": "red", "warning": "yellow", "info": "dim"}
    for rep in result.reports:
        head = f"{rep.agency or '?'} {rep.year or '?'} ({rep.template}) — {rep.path}"
        if not rep.findings:
            out.print(f"[green]✓[/green] {escape(head)}: {rep.checks} checks, no findings")
            continue
        table = Table(title=escape(head), show_lines=True, title_justify="left")
        for col in ("severity", "check", "finding", "where (quote)"):
            table.add_column(col)
        for f in rep.findings:
            where = " / ".join(" ".join(c.quote.split())[:70] + f" @{c.start}-{c.end}" for c in f.citations[:3])
            table.add_row(f"[{colour[f.severity]}]{f.severity}[/]", f.check, escape(f.message), escape(where))
        out.print(table)
    out.print(f"{len(result.reports)} report(s): {result.count('error')} error(s), "
                  f"{result.count('warning')} warning(s), {result.count('info')} info")
