"""The one terminal console every command, the REPL and `qa eval` print through."""

from __future__ import annotations

from typing import NoReturn


def console(stderr: bool = False):
    """A rich Console; no highlighting (report text is printed as written) and soft wrapping."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `error: message` on stderr and exit with `code`."""
    import typer
    from rich.markup import escape

    console(stderr=True).print(f"[red]error:[/red] {escape(message)}")  # messages quote file and report text
    raise typer.Exit(code)
