"""The command line (`qa`) and the REPL: parse, call the library, print."""
from qa.cli.main import app, main

__all__ = ["app", "main"]
