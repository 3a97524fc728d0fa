"""Which store the gold questions are asked against.

The user's store when it holds every report the questions cite; else a temporary store filled
with those reports, found by file stem in --reports and DEFAULT_REPORT_DIRS (`plan_store`,
`fill_store`). The user's store is never created, seeded or changed by an eval.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from pydantic import BaseModel, Field

from qa.eval.gold import GoldItem, report_files
from qa.eval.paths import DEFAULT_REPORT_DIRS, EVAL_STORE_EMBEDDER
from qa.eval.text import report_stem


class EvalStore(BaseModel):
    """The store the questions were asked against."""

    kind: str = Field(description="current (the user's store, holding every gold report) or temporary.")
    data_dir: str = Field(default="", description="Data dir of the current store (empty for a temporary one).")
    embedder: str = Field(description="Embedder of the store's vectors (narrative questions use retrieval).")
    reports: list[str] = Field(default_factory=list,
                               description="Files (or folders, before ingest) of the temporary store.")
    ingest_s: float = Field(default=0.0, description="Seconds spent filling the temporary store.")

    def describe(self) -> str:
        if self.kind == "current":
            return f"current store {self.data_dir} (embedder {self.embedder})"
        return (f"temporary store of {len(self.reports)} reports the gold sets need "
                f"(embedder {self.embedder}, ingested in {self.ingest_s:.0f} s)")


class MissingReports(RuntimeError):
    """Reports the gold sets cite are neither in the store nor in any folder searched."""

    def __init__(self, stems: list[str], dirs: list[Path]):
        self.stems, self.dirs = stems, dirs
        shown = ", ".join(stems[:8]) + (f" and {len(stems) - 8} more" if len(stems) > 8 else "")
        super().__init__(f"{len(stems)} report(s) the gold set needs are not ingested and not found in "
                         f"{', '.join(map(str, dirs))}: {shown}; add them with `qa ingest FOLDER` "
                         f"or `qa eval --reports FOLDER`")


def needed_reports(items: list[GoldItem]) -> list[str]:
    """Report stems the questions' evidence and values come from."""
    return list(dict.fromkeys(stem for item in items for stem in item.gold_reports()))


def stored_report_stems(settings) -> set[str]:
    from qa.ingest import open_store

    if not settings.sqlite_path.exists():  # do not create a store just to look into it
        return set()
    return {report_stem(r["path"]) for r in open_store(settings).reports()}


def plan_store(items: list[GoldItem], settings, reports_dir: Optional[Path] = None,
               embedder: str = EVAL_STORE_EMBEDDER) -> tuple[EvalStore, list[Path]]:
    """Which store to ask: the current one when it holds every report the questions need, else a
    temporary one filled with those reports (found in --reports and DEFAULT_REPORT_DIRS) — the
    files to ingest are returned. Raises MissingReports when some cannot be found."""
    needed = needed_reports(items)
    if reports_dir is None and set(needed) <= stored_report_stems(settings):
        return EvalStore(kind="current", data_dir=str(settings.data_dir), embedder=settings.embedder), []
    dirs = ([reports_dir] if reports_dir else []) + [d for d in DEFAULT_REPORT_DIRS if d.is_dir()]
    files = report_files(dirs)
    missing = [stem for stem in needed if stem not in files]
    if missing:
        raise MissingReports(missing, dirs)
    to_ingest = [reports_dir] if reports_dir else []
    to_ingest += [files[stem] for stem in needed if not (reports_dir and _inside(files[stem], reports_dir))]
    return EvalStore(kind="temporary", embedder=embedder, reports=[str(p) for p in to_ingest]), to_ingest


def _inside(path: Path, folder: Path) -> bool:
    return Path(folder).resolve() in Path(path).resolve().parents


def fill_store(paths: list[Path], settings, on_ingest=None) -> list[str]:
    """Ingest the reports of a temporary eval store (files or folders); returns the files read.
    Any that cannot be read is an error."""
    from qa.ingest import ingest

    results = ingest(paths, settings, on_result=on_ingest)
    bad = [r for r in results if r.status == "error"]
    if bad:
        raise RuntimeError("could not ingest: " + "; ".join(f"{r.path}: {r.message}" for r in bad))
    return [r.path for r in results if r.status not in ("skipped",)]
