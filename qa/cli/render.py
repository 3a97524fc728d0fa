"""Terminal rendering of answers, sources, facts and ingest results (rich), shared by CLI and REPL."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qa.types import Answer, Fact

MODE_STYLE = {"fact": "green", "extract": "green", "retrieval": "cyan", "llm": "magenta", "abstain": "yellow"}


class AnswerStream:
    """What the terminal shows while an answer is being made: a spinner until the first token,
    then the tokens as they come. Use as `with AnswerStream(console) as show: ask(..., stream_to=show)`."""

    def __init__(self, console: Console, spinner: bool = True):
        self.console = console
        self.pieces: list[str] = []
        self._status = console.status("[dim]retrieving…[/dim]", spinner="dots") if spinner else None

    def __enter__(self) -> "AnswerStream":
        if self._status is not None:
            self._status.start()
        return self

    def __call__(self, piece: str) -> None:
        if not self.pieces and self._status is not None:
            self._status.stop()
        self.pieces.append(piece)
        self.console.print(piece, end="", markup=False, highlight=False)

    def __exit__(self, *exc) -> None:
        if self._status is not None:
            self._status.stop()
        if self.pieces:
            self.console.print()

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def print_answer(console: Console, answer: Answer, text_shown: bool = False, sources: bool = True,
                 streamed: str = "") -> None:
    """The answer, its mode and checks, notes and sources. `streamed`: the raw text already shown
    as it was generated; when checking changed it (sentences dropped), the checked text follows."""
    if streamed and _squash(streamed) != _squash(answer.text):
        console.print("[dim]checked answer:[/dim]")
        console.print(escape(answer.text))
    elif not text_shown and not streamed:
        console.print(escape(answer.text))
    style = MODE_STYLE.get(answer.mode, "white")
    status = f"  verification: {answer.verification}" if answer.mode in ("llm", "extract") else ""
    stages = ", ".join(f"{k} {v:.0f} ms" for k, v in answer.timing.stages.items())
    console.print(f"[{style}]({answer.mode}{status}, {answer.timing.total_ms:.0f} ms"
                  f"{': ' + escape(stages) if stages else ''})[/{style}]")
    for number in answer.unverified_numbers:
        console.print(f"[bold red]unverified number:[/bold red] {escape(number)}")
    for warning in answer.warnings:
        console.print(f"[yellow]note:[/yellow] {escape(warning)}")
    if sources:
        print_sources(console, answer)


def _squash(text: str) -> str:
    return "".join(text.split())


def print_sources(console: Console, answer: Answer) -> None:
    if not answer.citations:
        return
    console.print("[bold]Sources[/bold]")
    for i, c in enumerate(answer.citations, 1):
        where = f"{c.agency or '?'} {c.year or '?'} · {c.section}"
        page = f" p.{c.page}" if c.page else ""
        quote = " ".join(c.quote.split())
        console.print(f" [{i}] [bold]{escape(where)}[/bold]  [dim]{escape(c.path)}:{c.start}-{c.end}{page}[/dim]")
        console.print(f"     “{escape(quote)}”")


def print_ingest_result(console: Console, r) -> None:
    style = {"added": "green", "replaced": "green", "reread": "green", "unchanged": "dim", "error": "red",
             "skipped": "yellow", "duplicate": "yellow"}
    label = f"[{style.get(r.status, 'white')}]{r.status:<9}[/]"
    if r.status in ("error", "skipped", "duplicate"):
        console.print(f"{label} {escape(r.message)}")
        return
    what = f"{r.path}  {r.agency or '?'} {r.year or '?'} {r.template}"
    console.print(f"{label} {escape(what)}  {r.sections} sections, {r.chunks} chunks, {r.facts} facts")
    if r.status == "reread":
        console.print(f"          [dim]{escape(r.message)}[/dim]")
    for w in r.warnings:
        console.print(f"          [yellow]note:[/yellow] {escape(w)}")


def print_facts(console: Console, facts: list[Fact], fmt: str) -> None:
    from qa.export import FACT_FIELDS, fact_rows

    rows = fact_rows(facts)
    if fmt == "json":
        console.file.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=FACT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        console.file.write(buf.getvalue())
        return
    table = Table("agency", "year", "metric", "scope", "value", "unit", "qual.", "quote", show_lines=False)
    for f in facts:
        value = "—" if f.value is None else (str(int(f.value)) if float(f.value).is_integer() else str(f.value))
        quote = " ".join(f.quote.split())
        cells = (f.agency or "?", str(f.year or "?"), f.metric, f.scope, value, f.unit, f.qualifier.value,
                 quote[:60] + ("…" if len(quote) > 60 else ""))
        table.add_row(*map(escape, cells))  # report text is never rich markup
    console.print(table)
    console.print(f"[dim]{len(facts)} facts[/dim]")
