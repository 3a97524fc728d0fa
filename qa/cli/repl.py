"""`qa chat`: a question loop with history. Parses commands, calls the library, prints."""

from __future__ import annotations

import sys
from typing import Callable, Optional, get_args

from qa.cli.console import console, error
from qa.types import Mode

MODES = get_args(Mode)  # none, local, openai

HELP = f"""Ask a question in Chinese or English, e.g. 外交部2013年收到多少政府信息公开申请?
Commands:
  :help              this text
  :sources           the full sources of the last answer
  :mode {"|".join(MODES)}   how narrative questions are answered (facts never need an LLM)
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


def handle_command(line: str, state: dict, out) -> bool:
    """Run a :command, printing on the console `out`; False means quit."""
    from qa.cli.render import print_facts, print_sources

    cmd, _, arg = line[1:].partition(" ")
    arg = arg.strip()
    if cmd in ("quit", "q", "exit"):
        return False
    if cmd in ("help", "h", "?"):
        out.print(HELP, markup=False)  # rich would take "[agency] [year]" for style tags
    elif cmd == "sources":
        if state.get("last"):
            print_sources(out, state["last"])
        else:
            out.print("No answer yet.")
    elif cmd == "mode":
        if arg in MODES:
            state["mode"] = arg
            out.print(f"mode: {arg}", markup=False)
        else:
            out.print(f"mode is {state['mode']}; use :mode {'|'.join(MODES)}", markup=False)
    elif cmd == "facts":
        show_facts(arg, out, print_facts)
    else:
        out.print(f"unknown command :{cmd} — try :help", markup=False)
    return True


def show_facts(arg: str, out, print_facts) -> None:
    """`:facts [agency] [year]`: the first 200 facts of qa.facts, agency names resolved as in questions."""
    import qa

    years = [int(a) for a in arg.split() if a.isdigit()]
    name = " ".join(a for a in arg.split() if not a.isdigit())  # English names have spaces
    try:
        rows = [f for year in years or [None] for f in qa.facts(name or None, year)]
    except ValueError as exc:
        error(str(exc), out)
        return
    print_facts(out, rows[:200], "table")


def run(mode: Optional[Mode] = None) -> None:
    """The chat loop: a line is a question or a :command; Ctrl-C cancels, Ctrl-D or :quit leaves."""
    from qa.ingest import ensure_seeded
    from qa.settings import get_settings

    settings = get_settings()
    out = console()
    state = {"mode": mode or settings.llm, "last": None}
    ensure_seeded(settings)
    read = _reader(settings.data_dir / "chat_history")
    out.print("qa chat — :help for commands, :quit to leave")
    while True:
        try:
            line = read("qa> ").strip()
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if line.startswith(":") and not handle_command(line, state, out):
            break
        if line and not line.startswith(":"):
            answer_line(line, state, out)


def answer_line(question: str, state: dict, out) -> None:
    """Ask one question, streaming the answer; it becomes the one `:sources` shows."""
    import qa
    from qa.cli.render import AnswerStream, print_answer

    try:
        with AnswerStream(out) as show:
            answer = qa.ask(question, mode=state["mode"], stream_to=show)
    except KeyboardInterrupt:  # generation stops in the background; the prompt comes back now
        out.print("\n(cancelled)")
        return
    except ValueError as exc:
        error(str(exc), out)
        return
    state["last"] = answer
    print_answer(out, answer, sources=True, streamed=show.text)
