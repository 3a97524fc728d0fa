"""The one terminal console every command, the REPL and `qa eval` print through."""

from __future__ import annotations

from typing import IO, NoReturn, Optional


def console(stderr: bool = False, file: Optional[IO[str]] = None, width: Optional[int] = None):
    """A rich Console; no highlighting (report text is printed as written) and soft wrapping.
    file / width: write to a file instead of the terminal (`qa facts --output`)."""
    from rich.console import Console

    return Console(stderr=stderr, file=file, width=width, highlight=False, soft_wrap=True)


def error(message: str, out=None) -> None:
    """Print `error: message` on `out` (default stderr); the REPL prints on its own console and goes on."""
    from rich.markup import escape

    (out or console(stderr=True)).print(f"[red]error:[/red] {escape(message)}")  # messages quote file and report text


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `error: message` on stderr and exit with `code`."""
    import typer

    error(message)
    raise typer.Exit(code)
