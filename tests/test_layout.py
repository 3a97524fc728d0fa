"""The package layout issue 15 asks for, kept: no module over 400 lines, no function over 60, no
import cycle between qa's modules (counting imports inside functions too), one layer per package."""

from __future__ import annotations

import ast
from pathlib import Path

QA = Path(__file__).resolve().parent.parent / "qa"


def _modules() -> dict[str, Path]:
    out = {}
    for path in QA.rglob("*.py"):
        parts = path.relative_to(QA.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qa"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("qa")}
    return {m for m in found if m in modules}


def test_no_module_over_400_lines_and_no_function_over_60():
    long_files = [f"{p.relative_to(QA.parent)}: {n}" for p in QA.rglob("*.py")
                  if (n := p.read_text(encoding="utf-8").count("\n")) > 400]
    long_functions = [f"{p.relative_to(QA.parent)}:{f.lineno} {f.name}: {f.end_lineno - f.lineno + 1}"
                      for p in QA.rglob("*.py") for f in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                      if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.end_lineno - f.lineno >= 60]
    assert not long_files and not long_functions, long_files + long_functions


def test_no_import_cycle():
    modules = _modules()
    graph = {name: {d for d in _imports(path, modules)
                    if not d.startswith(name + ".") and not name.startswith(d + ".")}  # a package and its own modules
             for name, path in modules.items()}
    cycles = []

    def visit(node: str, stack: list[str], done: set[str]) -> None:
        for dep in graph[node]:
            if dep in stack:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, stack + [dep], done)
        done.add(node)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name], done)
    assert not cycles, cycles


def test_one_package_per_layer():
    for layer in ("read", "facts", "answer", "eval", "cli"):
        assert (QA / layer / "__init__.py").exists(), layer
    assert not list(QA.glob("read_*.py")) and not (QA / "cli.py").exists() and not (QA / "evaluate.py").exists()
