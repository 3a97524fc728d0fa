"""Ingest: files → Report → sections, chunks, facts → SQLite + Chroma, one report at a time.

Each report is written to SQLite in one transaction as 'pending', its vectors are added to
Chroma, and only then is it marked 'complete'. A failure in between removes the report again,
so nothing is ever half-written; re-ingesting the same content replaces, never duplicates.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional

from pydantic import BaseModel, Field

from qa.read import SUPPORTED_SUFFIXES, ReadError, read_report
from qa.settings import Settings, get_settings
from qa.store import Store


class IngestResult(BaseModel):
    path: str
    status: str = Field(description="added / replaced / unchanged / duplicate / error / skipped")
    report_id: str = ""
    agency: Optional[str] = None
    year: Optional[int] = None
    template: str = ""
    sections: int = 0
    chunks: int = 0
    facts: int = 0
    message: str = ""
    warnings: list[str] = Field(default_factory=list)


@lru_cache(maxsize=4)
def _store(path: str) -> Store:
    return Store(Path(path))


def open_store(settings: Optional[Settings] = None) -> Store:
    settings = settings or get_settings()
    return _store(str(settings.sqlite_path))


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files to read (folders recursively), and results for paths that cannot be read at all."""
    files, problems = [], []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(child)
                elif child.is_file():
                    problems.append(IngestResult(path=str(child), status="skipped",
                                                 message=f"unsupported file type {child.suffix or '(none)'}"))
        elif p.exists():
            files.append(p)
        else:
            problems.append(IngestResult(path=str(p), status="error", message=f"{p}: no such file"))
    return files, problems


def ingest(
    paths: Iterable[str | Path],
    settings: Optional[Settings] = None,
    agency: Optional[str] = None,
    year: Optional[int] = None,
    on_result: Optional[Callable[[IngestResult], None]] = None,
    on_start: Optional[Callable[[int], None]] = None,
) -> list[IngestResult]:
    settings = settings or get_settings()
    store = open_store(settings)
    files, results = expand_paths(paths)
    if on_start:
        on_start(len(files))
    for r in results:
        if on_result:
            on_result(r)
    index = None
    if store.pending_ids():  # a previous run was killed mid-report: finish cleaning it first
        from qa.index import get_index

        index = get_index(settings)
        _clean_pending(store, index)
    for path in files:
        result, index = _ingest_one(path, store, settings, index, agency, year)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def _ingest_one(path, store, settings, index, agency, year):
    from qa.facts import extract_facts
    from qa.index import IndexUnavailable, get_index, jieba_tokens
    from qa.meta import canonical_agency
    from qa.sections import chunk_sections, split_sections

    try:
        size_mb = Path(path).stat().st_size / 2**20
        if size_mb > settings.max_file_mb:
            raise ReadError(f"{path}: file too large ({size_mb:.1f} MB > {settings.max_file_mb} MB; "
                            f"reports are rarely over 5 MB — raise QA_MAX_FILE_MB if this one is real)")
        report = read_report(path)
    except ReadError as exc:
        return IngestResult(path=str(path), status="error", message=str(exc)), index
    updates = {}
    if agency:
        updates["agency"] = canonical_agency(agency)
    if year:
        updates["year"] = year
    if updates:
        report = report.model_copy(update=updates)
        report.warnings = [w for w in report.warnings if not (("agency" in w and agency) or ("year" in w and year))]
    if store.is_complete(report.id) and not updates and _same_path(store, report):
        return _result(report, "unchanged", store), index
    from qa.dedup import find_duplicate

    duplicate = find_duplicate(report, store)
    if duplicate:
        return IngestResult(path=str(path), status="duplicate", report_id=report.id, agency=report.agency,
                            year=report.year, template=report.template.value,
                            message=f"{path}: same report as {duplicate['path']} "
                                    f"({duplicate['similarity']:.0%} alike): not ingested again"), index
    sections = split_sections(report)
    chunks = chunk_sections(report, sections, settings.chunk_chars)
    facts = extract_facts(report, sections)
    tokens = {c.id: " ".join(jieba_tokens(f"{c.section_path} {c.text}")) for c in chunks}
    try:
        index = index or get_index(settings)
        replaced = store.replaced_ids(report)
        store.write_report(report, sections, chunks, facts, tokens)
        for old in replaced:
            index.delete_report(old)
        index.add(report, chunks)
    except IndexUnavailable as exc:
        store.delete_report(report.id)
        return IngestResult(path=str(path), status="error", message=str(exc)), index
    except BaseException:
        store.delete_report(report.id)  # roll back: no half report stays behind
        raise
    store.mark_complete(report.id)
    status = "replaced" if replaced else "added"
    return IngestResult(path=str(path), status=status, report_id=report.id, agency=report.agency, year=report.year,
                        template=report.template.value, sections=len(sections), chunks=len(chunks),
                        facts=len(facts), warnings=report.warnings), index


def _same_path(store: Store, report) -> bool:
    info = store.report_info(report.id)
    return bool(info) and info["path"] == report.path


def _result(report, status: str, store: Store) -> IngestResult:
    n_facts = len(store.facts(report_id=report.id))
    return IngestResult(path=report.path, status=status, report_id=report.id, agency=report.agency,
                        year=report.year, template=report.template.value, facts=n_facts, warnings=report.warnings)


def _clean_pending(store: Store, index) -> None:
    """Reports left 'pending' by a crash: remove their rows and vectors."""
    for rid in store.pending_ids():
        index.delete_report(rid)
        store.delete_report(rid)


def ensure_seeded(settings: Optional[Settings] = None) -> None:
    """On first use, ingest the bundled seed reports so a question works right away."""
    settings = settings or get_settings()
    store = open_store(settings)
    if settings.auto_ingest_seeds and store.is_empty() and settings.seeds_dir.is_dir():
        print(f"qa: first use — ingesting the seed reports from {settings.seeds_dir} …", file=sys.stderr)
        ingest([settings.seeds_dir], settings)


class DoctorReport(BaseModel):
    pending_removed: int = 0
    orphan_rows: dict[str, int] = Field(default_factory=dict)
    vectors_missing: int = 0
    vectors_orphaned: int = 0
    reports_reindexed: list[str] = Field(default_factory=list)
    ok: bool = True


def doctor(settings: Optional[Settings] = None, repair: bool = True) -> DoctorReport:
    """Check (and repair) that SQLite and the vector store agree, chunk for chunk."""
    from qa.index import get_index
    from qa.types import Report

    settings = settings or get_settings()
    store = open_store(settings)
    index = get_index(settings)
    out = DoctorReport(pending_removed=len(store.pending_ids()), orphan_rows=store.orphan_rows())
    chunk_ids = store.chunk_ids()
    vector_ids = set(index.collection.get(include=[])["ids"])
    missing, orphaned = chunk_ids - vector_ids, vector_ids - chunk_ids
    out.vectors_missing, out.vectors_orphaned = len(missing), len(orphaned)
    out.ok = not (out.pending_removed or any(out.orphan_rows.values()) or missing or orphaned)
    if repair and not out.ok:
        _clean_pending(store, index)
        store.delete_orphans()
        if orphaned:
            index.collection.delete(ids=sorted(orphaned))
        for rid in sorted({cid.split(":")[0] for cid in missing}):
            info = store.report_info(rid)
            report = Report(id=rid, path=info["path"], agency=info["agency"], year=info["year"],
                            text=store.report_text(rid))
            index.add(report, list(store.chunks_by_id([c for c in chunk_ids if c.startswith(rid + ":")]).values()))
            out.reports_reindexed.append(info["path"])
    return out
