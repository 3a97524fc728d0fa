"""`qa doctor`: is qa.sqlite sound, do SQLite and the vector store agree chunk for chunk, and
which reports were read by another extractor version or settings (stale: `qa ingest` reads them
again). Repairs what it can: leftovers of a crash, orphan rows and vectors, missing vectors.
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from qa.settings import Settings, get_settings
from qa.store import Store, StoreUnavailable, damaged_message
from qa.versions import current_extraction, extraction_change, stored_extraction


class StaleReport(BaseModel):
    """A stored report read by another extractor version or with other extraction settings."""

    path: str = Field(description="File the report was read from.")
    report_id: str = Field(description="Its content hash.")
    change: str = Field(description='What differs, stored → current: "extractor ? → 1", "chunk_chars 300 → 500".')


class DoctorReport(BaseModel):
    pending_removed: int = 0
    orphan_rows: dict[str, int] = Field(default_factory=dict)
    vectors_missing: int = 0
    vectors_pending: int = Field(default=0, description="Reports whose vectors are still to be added (facts-first "
                                                        "ingest): normal, not a problem; repair adds them.")
    vectors_orphaned: int = 0
    reports_reindexed: list[str] = Field(default_factory=list)
    stale_reports: list[StaleReport] = Field(
        default_factory=list, description="Reports read by another extractor or settings: `qa ingest` of their "
                                          "files reads them again (not repaired here: the files are needed).")
    ok: bool = True


def check_integrity(store: Store) -> None:
    """Raise StoreUnavailable (saying what to do) when `PRAGMA quick_check` finds the file damaged:
    random bytes inside the file pass every other check."""
    problems = store.integrity_problems()
    if problems:
        raise StoreUnavailable(damaged_message(store.path, "; ".join(problems)))


def stale_reports(store: Store, settings: Settings) -> list[StaleReport]:
    current = current_extraction(settings)
    return [StaleReport(path=r.path, report_id=r.id, change=extraction_change(stored_extraction(r), current))
            for r in store.stale_reports(current)]


def doctor(settings: Optional[Settings] = None, repair: bool = True) -> DoctorReport:
    """Check (and repair) that SQLite is sound and agrees with the vector store, chunk for chunk:
    reports left pending by an older qa, orphan rows, vectors missing (added) or orphaned
    (deleted); list the stale reports. A damaged qa.sqlite raises StoreUnavailable."""
    from qa.index import embed_missing, get_index
    from qa.ingest import _clean_pending, open_store

    settings = settings or get_settings()
    store = open_store(settings)
    check_integrity(store)
    index = get_index(settings)
    out = DoctorReport(pending_removed=len(store.pending_ids()), orphan_rows=store.orphan_rows(),
                       stale_reports=stale_reports(store, settings))
    chunk_ids = store.chunk_ids()
    waiting = set(store.unembedded())
    vector_ids = set(index.collection.get(include=[])["ids"])
    missing = {cid for cid in chunk_ids - vector_ids if cid.split(":")[0] not in waiting}
    orphaned = vector_ids - chunk_ids
    out.vectors_missing, out.vectors_orphaned, out.vectors_pending = len(missing), len(orphaned), len(waiting)
    out.ok = not (out.pending_removed or any(out.orphan_rows.values()) or missing or orphaned)
    if repair and not (out.ok and not waiting):
        _clean_pending(store)
        store.delete_orphans()
        if orphaned:
            index.collection.delete(ids=sorted(orphaned))
        store.mark_unembedded({cid.split(":")[0] for cid in missing})
        for rid in embed_missing(store, index):
            out.reports_reindexed.append(store.report_info(rid).path)
    return out
