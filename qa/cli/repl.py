"""`qa chat`: a question loop with history. Parses commands, calls the library, prints."""

from __future__ import annotations

import sys
from typing import Callable, Optional

HELP = """Ask a question in Chinese or English, e.g. 外交部2013年收到多少政府信息公开申请?
Commands:
  :help              this text
  :sources           the full sources of the last answer
  :mode none|local|openai   how narrative questions are answered (facts never need an LLM)
  :facts [agency] [year]    facts of the store, filtered
  :quit              leave (Ctrl-D works too; Ctrl-C cancels the line)"""


def _reader(history_file) -> Callable[[str], str]:
    """prompt_toolkit with persistent history on a terminal; plain input() when piped."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory

        history_file.parent.mkdir(parents=True, exist_ok=True)
        session = PromptSession(history=FileHistory(str(history_file)))
        return session.prompt
    return input


def handle_command(line: str, state: dict, console) -> bool:
    """Run a :command; False means quit."""
    from rich.markup import escape

    from qa.cli.render import print_facts, print_sources

    cmd, _, arg = line[1:].partition(" ")
    arg = arg.strip()
    if cmd in ("quit", "q", "exit"):
        return False
    if cmd in ("help", "h", "?"):
        console.print(HELP, markup=False)  # rich would take "[agency] [year]" for style tags
    elif cmd == "sources":
        if state.get("last"):
            print_sources(console, state["last"])
        else:
            console.print("No answer yet.")
    elif cmd == "mode":
        if arg in ("none", "local", "openai"):
            state["mode"] = arg
            console.print(f"mode: {arg}", markup=False)
        else:
            console.print(f"mode is {state['mode']}; use :mode none|local|openai", markup=False)
    elif cmd == "facts":
        from qa.cli.main import resolve_agency
        from qa.ingest import open_store

        store = open_store()
        years = [int(a) for a in arg.split() if a.isdigit()]
        name = " ".join(a for a in arg.split() if not a.isdigit())  # English names have spaces
        try:
            agencies = [resolve_agency(name, store)] if name else []
        except ValueError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}")
            return True
        print_facts(console, store.facts(None, agencies, years)[:200], "table")
    else:
        console.print(f"unknown command :{cmd} — try :help", markup=False)
    return True


def run(mode: Optional[str] = None) -> None:
    from rich.console import Console

    from qa.answer.route import ask
    from qa.ingest import ensure_seeded
    from qa.cli.render import AnswerStream, print_answer
    from qa.settings import get_settings

    settings = get_settings()
    console = Console(highlight=False, soft_wrap=True)
    state = {"mode": mode or settings.llm, "last": None}
    ensure_seeded(settings)
    read = _reader(settings.data_dir / "chat_history")
    console.print("qa chat — :help for commands, :quit to leave")
    while True:
        try:
            line = read("qa> ").strip()
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if not line:
            continue
        if line.startswith(":"):
            if not handle_command(line, state, console):
                break
            continue
        try:
            with AnswerStream(console) as show:
                answer = ask(line, mode=state["mode"], stream_to=show)
        except KeyboardInterrupt:  # generation stops in the background; the prompt comes back now
            console.print("\n(cancelled)")
            continue
        except ValueError as exc:
            from rich.markup import escape

            console.print(f"[red]error:[/red] {escape(str(exc))}")
            continue
        state["last"] = answer
        print_answer(console, answer, sources=True, streamed=show.text)
