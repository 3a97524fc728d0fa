"""Ingest: files → Report → sections, chunks, facts → SQLite, then vectors → Chroma.

Facts first, vectors after. Each report's rows (report, sections, chunks, FTS, facts) are
written in one SQLite transaction that also removes the version it replaces, so the report is
answerable (facts, BM25) the moment it commits and an edited report is never missing: readers
see the old version until the new one is in. Vectors are added afterwards in batches across
reports (`qa.index.embed_missing`); a report without vectors yet is still answered by BM25,
and whatever a kill or a vector-store failure leaves unembedded is embedded by the next
ingest, `qa doctor`, or the next retrieval question.

With `jobs > 1`, files are read and analysed (sections, facts, jieba tokens) in worker
processes; all SQLite writes stay in this process, one report at a time.
"""

from __future__ import annotations

import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from pydantic import BaseModel, Field

from qa.read.report import SUPPORTED_SUFFIXES, ReadError, read_report
from qa.settings import Settings, get_settings
from qa.store import Store
from qa.types import Chunk, Fact, Report, Section, StoredReport
from qa.versions import Extraction, current_extraction, extraction_change, stored_extraction


class IngestResult(BaseModel):
    path: str
    status: str = Field(description="added / replaced / reread (unchanged file, read again by another extractor "
                                    "version or settings) / unchanged / duplicate / error / skipped")
    report_id: str = ""
    agency: Optional[str] = None
    year: Optional[int] = None
    template: str = ""
    sections: int = 0
    chunks: int = 0
    facts: int = 0
    message: str = ""
    warnings: list[str] = Field(default_factory=list)


class Prepared(BaseModel):
    """One file read and analysed, ready to be written (built in a worker process with --jobs)."""
    report: Report
    sections: Optional[list[Section]] = None
    chunks: list[Chunk] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    tokens: dict[str, str] = Field(default_factory=dict)


@lru_cache(maxsize=4)
def _store(path: str) -> Store:
    return Store(Path(path))


def open_store(settings: Optional[Settings] = None) -> Store:
    settings = settings or get_settings()
    return _store(str(settings.sqlite_path))


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files to read (folders recursively), and results for paths that cannot be read at all."""
    if isinstance(paths, (str, Path)):  # ingest("mfa.txt") means one file, not its characters
        paths = [paths]
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
    paths: Iterable[str | Path] | str | Path,
    settings: Optional[Settings] = None,
    agency: Optional[str] = None,
    year: Optional[int] = None,
    on_result: Optional[Callable[[IngestResult], None]] = None,
    on_start: Optional[Callable[[int], None]] = None,
    replace: bool = False,
    jobs: int = 1,
    embed: bool = True,
    on_embed: Optional[Callable[[int, int], None]] = None,
) -> list[IngestResult]:
    """Ingest report files or folders. replace: this version replaces the stored reports of the
    same agency and year (a corrected copy). jobs: worker processes for reading and analysis.
    embed=False leaves the vectors to the next ingest, `qa doctor` or retrieval question.
    on_embed(chunks done, chunks total) reports embedding progress."""
    settings = settings or get_settings()
    store = open_store(settings)
    if getattr(store, "read_only", False):  # fail before reading anything, not once per file
        raise PermissionError(f"cannot write the store at {store.path}")
    files, results = expand_paths(paths)
    if on_start:
        on_start(len(files))
    for r in results:
        if on_result:
            on_result(r)
    index = None
    if embed:
        from qa.index import IndexUnavailable, get_index

        try:  # a vector server that is not there: say so before writing anything
            index = get_index(settings)
        except IndexUnavailable as exc:
            for path in files:
                results.append(IngestResult(path=str(path), status="error", message=str(exc)))
                if on_result:
                    on_result(results[-1])
            return results
    _clean_pending(store)
    for path, prepared in _prepare_all(files, settings, agency, year, jobs):
        result = _write_one(path, prepared, store, settings, replace, bool(agency or year))
        results.append(result)
        if on_result:
            on_result(result)
    if index is not None:
        failure = _embed(store, index, on_embed)
        if failure:
            results.append(failure)
            if on_result:
                on_result(failure)
    if any(r.status in ("added", "reread") for r in results):
        from qa.answer.cedict import chinese_words

        chinese_words()  # builds the dictionary index once per machine, so English questions never wait for it
    return results


def _embed(store: Store, index, on_embed) -> Optional[IngestResult]:
    """Add the missing vectors; a vector store that fails leaves them for later, said once."""
    from qa.index import IndexUnavailable, embed_missing

    try:
        embed_missing(store, index, on_progress=on_embed)
    except IndexUnavailable as exc:
        waiting = len(store.unembedded())
        return IngestResult(path=index.where, status="error",
                            message=f"vectors not added ({exc}); {waiting} report(s) are answered by facts and "
                                    f"keyword search until `qa doctor` adds them")
    return None


def _prepare_all(files: list[Path], settings: Settings, agency, year, jobs: int
                 ) -> Iterator[tuple[Path, Prepared | IngestResult]]:
    """(path, read or error) per file, in order; analysis happens in workers when jobs > 1."""
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield path, _read(path, settings, agency, year)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent may already hold torch / Chroma threads
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        args = [(path, settings.model_dump_json(), agency, year) for path in files]
        for path, prepared in zip(files, pool.map(_prepare_in_worker, args, chunksize=1)):
            yield path, prepared


def _prepare_in_worker(args) -> Prepared | IngestResult:
    path, settings_json, agency, year = args
    settings = Settings.model_validate_json(settings_json)
    prepared = _read(path, settings, agency, year)
    return _analyse(prepared, settings) if isinstance(prepared, Prepared) else prepared


def _read(path: Path, settings: Settings, agency, year) -> Prepared | IngestResult:
    from qa.meta import canonical_agency

    try:
        report = read_report(path, settings)  # the reader applies the size and text limits
    except ReadError as exc:
        return IngestResult(path=str(path), status="error", message=str(exc))
    # absolute, so a citation names the file wherever `qa ingest` ran
    updates: dict = {"path": str(Path(path).resolve())}
    if agency:
        updates["agency"] = canonical_agency(agency)
    if year:
        updates["year"] = year
    report = report.model_copy(update=updates)
    report.warnings = [w for w in report.warnings if not (("agency" in w and agency) or ("year" in w and year))]
    return Prepared(report=report)


def _analyse(prepared: Prepared, settings: Settings) -> Prepared:
    from qa.facts import extract_facts
    from qa.index import jieba_tokens
    from qa.sections import chunk_sections, split_sections

    if prepared.sections is not None:
        return prepared
    report = prepared.report
    sections = split_sections(report)
    chunks = chunk_sections(report, sections, settings.chunk_chars)
    tokens = {c.id: " ".join(jieba_tokens(f"{c.section_path} {c.text}")) for c in chunks}
    return Prepared(report=report, sections=sections, chunks=chunks, facts=extract_facts(report, sections),
                    tokens=tokens)


def _write_one(path: Path, prepared: Prepared | IngestResult, store: Store, settings: Settings,
               replace: bool, overridden: bool) -> IngestResult:
    if isinstance(prepared, IngestResult):
        return prepared
    report = prepared.report
    extraction = current_extraction(settings)
    refused, targets, warnings, reread = _plan(report, store, replace, overridden, extraction)
    if refused:
        return refused
    prepared = _analyse(prepared, settings)
    if not overridden and not _looks_like_a_report(prepared):
        return IngestResult(path=str(path), status="error",
                            message=f"{path}: not a report (no agency, no year, no sections): "
                                    f"give --agency and --year to ingest it anyway")
    removed = store.write_report(report, prepared.sections, prepared.chunks, prepared.facts, prepared.tokens,
                                 replace=targets, extraction=extraction)
    status = "reread" if reread else "replaced" if removed else "added"
    message = f"{report.path}: read again ({reread})" if reread else ""
    return IngestResult(path=report.path, status=status, message=message, report_id=report.id,
                        agency=report.agency, year=report.year, template=report.template.value,
                        sections=len(prepared.sections), chunks=len(prepared.chunks), facts=len(prepared.facts),
                        warnings=report.warnings + warnings)


def _plan(report: Report, store: Store, replace: bool, overridden: bool, extraction: Extraction
          ) -> tuple[Optional[IngestResult], list[str], list[str], str]:
    """(refusal or None, stored reports this one replaces, warnings, what changed since this
    unchanged file was read: '' when it is read for the first time) for one report."""
    from qa.dedup import find_duplicate

    def refuse(status: str, message: str) -> IngestResult:
        return IngestResult(path=report.path, status=status, report_id=report.id, agency=report.agency,
                            year=report.year, template=report.template.value, message=message)

    stored = store.report_info(report.id) if store.is_complete(report.id) else None
    reread = ""
    if stored and _same_file(stored.path, report.path) and not overridden:
        reread = extraction_change(stored_extraction(stored), extraction)
        if not reread:
            return refuse("unchanged", f"{report.path}: unchanged"), [], [], ""
    if stored and not _same_file(stored.path, report.path) and not replace and Path(stored.path).exists():
        return refuse("duplicate", f"{report.path}: same content as {stored.path}, kept"), [], [], ""
    duplicate = find_duplicate(report, store)
    if duplicate and not replace:
        return refuse("duplicate", f"{report.path}: same report as {duplicate.path} "
                                   f"({duplicate.similarity:.0%} alike): not ingested again; "
                                   f"`qa ingest --replace` makes this version replace it"), [], [], ""
    same_year = [r for r in store.same_agency_year(report.agency, report.year)
                 if r.id != report.id and not _same_file(r.path, report.path)]
    if replace:
        return None, [r.id for r in same_year] + ([duplicate.id] if duplicate else []), [], reread
    warnings = [f"conflict: {report.agency} {report.year} is also reported by {r.path}: answers may "
                f"differ between them; keep one with `qa ingest --replace` or `qa remove`" for r in same_year]
    return None, [], warnings, reread


def _same_file(stored_path: str, path: str) -> bool:
    return stored_path == path or Path(stored_path).resolve() == Path(path)


TITLE_WORDS = ("信息公开", "information disclosure", "open government information")


def _looks_like_a_report(prepared: Prepared) -> bool:
    """A report names its agency or year, or has report sections or the title words; a note
    saying "hello world" has none of these. A Markdown file must name its agency or year."""
    from qa.normalize import matching_view

    report = prepared.report
    if report.agency or report.year:
        return True
    if Path(report.path).suffix.lower() == ".md":
        return False  # notes beside reports (a corpus's SOURCES.md) quote report titles and headings
    if any(s.kind.value != "other" for s in prepared.sections or []):
        return True
    view = matching_view(report.text[:5000]).lower()
    return any(word in view for word in TITLE_WORDS)


def _clean_pending(store: Store) -> None:
    """Reports left 'pending' by an older qa killed mid-report: remove their rows (their
    vectors are queued for deletion)."""
    for rid in store.pending_ids():
        store.delete_report(rid)


def remove(refs: Iterable[str] | str, settings: Optional[Settings] = None) -> tuple[list[StoredReport], list[str]]:
    """Remove stored reports named by path or id (prefix). Returns (removed reports, refs not found)."""
    settings = settings or get_settings()
    store = open_store(settings)
    refs = [refs] if isinstance(refs, str) else list(refs)
    removed, unknown = [], []
    for ref in refs:
        found = store.find_reports(str(ref))
        if not found:
            unknown.append(str(ref))
        for info in found:
            store.delete_report(info.id)
            removed.append(info)
    if removed:  # best effort now; a vector store that is down is cleaned by the next ingest or doctor
        from qa.index import IndexUnavailable, embed_missing, get_index

        try:
            embed_missing(store, get_index(settings), report_ids=[])
        except IndexUnavailable:
            pass
    return removed, unknown


def needs_seeding(settings: Optional[Settings] = None) -> bool:
    """True while the bundled seeds are still to be ingested (first use, or an interrupted one)."""
    settings = settings or get_settings()
    if not settings.auto_ingest_seeds or not settings.seeds_dir.is_dir():
        return False
    store = open_store(settings)
    state = store.get_meta("seeds")
    return not (state == "done" or (state is None and not _only_seeds(store, settings.seeds_dir)))


def ensure_seeded(settings: Optional[Settings] = None, announce: bool = True) -> Optional[float]:
    """On first use, ingest the bundled seed reports so a question works right away; returns
    the seconds it took (None when there was nothing to do).

    Facts and keyword rows only (about a second, no vector store imported): their vectors are
    added by the first question that needs retrieval. Marked done only when every seed is in, so
    an interrupted first use is finished by the next call."""
    settings = settings or get_settings()
    if not needs_seeding(settings):
        return None
    store = open_store(settings)
    store.set_meta("seeds", "started")
    if announce:
        print(f"qa: first use — ingesting the bundled seed reports from {settings.seeds_dir} …",
              file=sys.stderr, end="", flush=True)
    started = time.perf_counter()
    ingest([settings.seeds_dir], settings, embed=False)
    store.set_meta("seeds", "done")
    took = time.perf_counter() - started
    if announce:
        print(f" done in {took:.1f} s", file=sys.stderr)
    return took


def _only_seeds(store: Store, seeds_dir: Path) -> bool:
    """The store is empty or holds seed reports only (a first use interrupted by an older qa)."""
    return not store.has_reports_outside([str(seeds_dir.resolve()), str(seeds_dir)])
