"""SQLite store: reports, sections, chunks (+ jieba-tokenised FTS5 for BM25) and facts.

One file, `qa.sqlite`, in the data dir. A report's rows are written in one transaction that
also removes the version it replaces, so readers see either the old report or the new one,
never neither. Its vectors come after: `reports.vectors` is 0 until they are in Chroma (the
report is answered by facts and BM25 meanwhile), and the vectors of replaced reports wait in
`stale_vectors` until they are deleted from Chroma. Status 'pending' only exists in stores
written by older versions (removed on the next ingest or `qa doctor`). Each report records
the extractor version and settings that read it (`qa.versions`). Reports come back as
`StoredReport` models; the schema — named migrations, and column lists derived from the
models — is `qa.schema`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Optional

from qa.schema import (  # noqa: F401 — StoreUnavailable and StoreVersionError are imported from here
    CHUNK_FIELDS, FACT_COLUMNS, REPORT_COLUMNS, SECTION_FIELDS, SECTION_RENAMES, STORED_COLUMNS,
    StoreUnavailable, StoreVersionError, column_list, insert_sql, migrate, values_of,
)
from qa.types import Chunk, Fact, Report, Section, StoredReport
from qa.versions import Extraction


def damaged_message(path: Path, exc: BaseException) -> str:
    reason = " ".join(str(exc).split())  # quick_check lists pages on several lines
    return (f"{path} is damaged ({reason}): move it away and ingest the reports again "
            f"(`qa ingest FILES…`); `qa doctor --check` tells more")


def _connect(path: Path) -> tuple[sqlite3.Connection, bool]:
    """(connection, read_only). A store in a read-only place is opened read-only, so questions
    still work; a file that is not a SQLite database raises StoreUnavailable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db, False
    except (sqlite3.OperationalError, PermissionError) as exc:  # read-only dir, file or file system
        if not path.is_file():
            raise StoreUnavailable(f"cannot create {path} ({exc}): make the data dir writable "
                                   "or point QA_DATA_DIR elsewhere") from exc
        writable_error = exc
    except sqlite3.DatabaseError as exc:  # "file is not a database": overwritten or garbage
        raise StoreUnavailable(damaged_message(path, exc)) from exc
    # immutable: nobody can write a read-only store, and SQLite need not create -shm/-wal files
    for query in ("mode=ro", "immutable=1"):
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=30)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db, True
        except sqlite3.DatabaseError as exc:
            last = exc
    raise StoreUnavailable(f"cannot open {path} ({writable_error}; read-only: {last})") from last


class Store:
    def __init__(self, path: Path):
        self.path = path
        self.db, self.read_only = _connect(path)
        self.db.row_factory = sqlite3.Row
        try:
            if not self.read_only:
                self.db.execute("PRAGMA synchronous=NORMAL")
            migrate(self.db, path, self.read_only)
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(damaged_message(path, exc)) from exc

    def integrity_problems(self) -> list[str]:
        """What `PRAGMA quick_check` finds wrong (empty: the file is sound). Reads every page, so a
        sound result is remembered until the store is written (`qa doctor` asks twice)."""
        version = (self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes)
        if getattr(self, "_sound_at", None) == version:
            return []
        try:
            rows = [r[0] for r in self.db.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        if rows == ["ok"]:
            self._sound_at = version
        return [] if rows == ["ok"] else rows

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writing
    def write_report(
        self, report: Report, sections: list[Section], chunks: list[Chunk], facts: list[Fact],
        tokens: dict[str, str], replace: Iterable[str] = (), extraction: Optional[Extraction] = None,
    ) -> list[str]:
        """Write a report (answerable at once, vectors still to add) and, in the same transaction,
        remove the reports it replaces: any at its path or with its id, and the ids in `replace`.
        `extraction`: what read it (None: not recorded, so the next ingest reads it again).
        Returns the ids removed; their vectors are queued in stale_vectors."""
        with self.db:
            old = list(dict.fromkeys([*self.replaced_ids(report), *replace]))
            for rid in old:
                self._delete(rid)
            self.db.execute(insert_sql("reports", REPORT_COLUMNS), _report_values(report, extraction))
            self.db.executemany(insert_sql("sections", [SECTION_RENAMES.get(f, f) for f in SECTION_FIELDS]),
                                [values_of(s, SECTION_FIELDS) for s in sections])
            self.db.executemany(insert_sql("chunks", CHUNK_FIELDS), [values_of(c, CHUNK_FIELDS) for c in chunks])
            # FTS rows share the chunk's rowid, so deleting a report's rows never scans the index
            self.db.executemany(
                "INSERT INTO chunks_fts (rowid, tokens, chunk_id, report_id) "
                "SELECT rowid, ?, id, report_id FROM chunks WHERE id = ?",
                [(tokens[c.id], c.id) for c in chunks],
            )
            self.db.executemany(insert_sql("facts", FACT_COLUMNS), [values_of(f, FACT_COLUMNS) for f in facts])
            if report.agency:
                from qa.link_en import name_syllables

                self.db.execute("INSERT OR IGNORE INTO name_syllables (name, syllables) VALUES (?, ?)",
                                (report.agency, " ".join(name_syllables(report.agency))))
        return old

    def name_syllables(self) -> dict[str, tuple[str, ...]]:
        """Agency name → the pinyin syllables of its characters, as written at ingest."""
        rows = self.db.execute("SELECT name, syllables FROM name_syllables")
        return {name: tuple(syl.split(" ")) for name, syl in rows}

    def replaced_ids(self, report: Report) -> list[str]:
        """Ids of stored reports that writing this report would replace (same path or same id)."""
        return [r[0] for r in self.db.execute("SELECT id FROM reports WHERE path = ? OR id = ?", (report.path, report.id))]

    def mark_embedded(self, report_ids: Iterable[str]) -> None:
        """These reports' vectors are in the vector store."""
        with self.db:
            self.db.executemany("UPDATE reports SET status = 'complete', vectors = 1 WHERE id = ?",
                                [(rid,) for rid in report_ids])

    def mark_unembedded(self, report_ids: Iterable[str]) -> None:
        """These reports' vectors are (partly) missing: the next embedding step adds them."""
        with self.db:
            self.db.executemany("UPDATE reports SET vectors = 0 WHERE id = ?", [(rid,) for rid in report_ids])

    def mark_complete(self, report_id: str) -> None:
        self.mark_embedded([report_id])

    def delete_report(self, report_id: str) -> None:
        """Remove a report's rows; its vectors are queued in stale_vectors."""
        with self.db:
            self._delete(report_id)

    def unembedded(self, report_ids: Optional[Iterable[str]] = None) -> list[str]:
        """Complete reports whose vectors are not in the vector store yet (of `report_ids` if given)."""
        rows = [r[0] for r in self.db.execute(
            "SELECT id FROM reports WHERE vectors = 0 AND status = 'complete' ORDER BY rowid")]
        if report_ids is not None:
            wanted = set(report_ids)
            rows = [rid for rid in rows if rid in wanted]
        return rows

    def count_chunks(self, report_ids: list[str]) -> int:
        if not report_ids:
            return 0
        return self.db.execute(
            f"SELECT count(*) FROM chunks WHERE report_id IN ({','.join('?' * len(report_ids))})",
            report_ids).fetchone()[0]

    def stale_vector_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT report_id FROM stale_vectors")]

    def forget_stale(self, report_ids: Iterable[str]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM stale_vectors WHERE report_id = ?", [(rid,) for rid in report_ids])

    def get_meta(self, key: str) -> Optional[str]:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def find_reports(self, ref: str) -> list[StoredReport]:
        """Complete reports named by path (as stored or absolute) or by id / id prefix (≥ 6 chars)."""
        paths = {ref, str(Path(ref).expanduser().resolve())}
        return self._stored_reports(
            f"status = 'complete' AND (path IN ({','.join('?' * len(paths))}) "
            "OR (length(?) >= 6 AND id LIKE ? || '%'))",
            [*paths, ref, ref])

    def has_reports_outside(self, folders: list[str]) -> bool:
        """Whether any complete report was read from outside these folders (one indexed query)."""
        sql = "SELECT 1 FROM reports WHERE status = 'complete'"
        args: list = []
        for folder in folders:
            prefix = folder.rstrip("/") + "/"
            sql += " AND substr(path, 1, ?) != ?"
            args += [len(prefix), prefix]
        return self.db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def same_agency_year(self, agency: Optional[str], year: Optional[int]) -> list[StoredReport]:
        """Complete reports of this agency and year (both must be known)."""
        if not agency or not year:
            return []
        return self._stored_reports("status = 'complete' AND agency = ? AND year = ?", [agency, year])

    def stale_reports(self, current: Extraction) -> list[StoredReport]:
        """Complete reports read by another extractor version or with other extraction settings
        than `current` (those stored by an older qa, which recorded neither, included)."""
        return self._stored_reports(
            "status = 'complete' AND (extractor_version IS NOT ? OR extraction_settings IS NOT ?) ORDER BY path",
            [current.version, current.settings])

    def _stored_reports(self, where: str, args: list, text: bool = False) -> list[StoredReport]:
        columns = STORED_COLUMNS + (["text"] if text else [])
        rows = self.db.execute(f"SELECT {column_list(columns)} FROM reports WHERE {where}", args)
        return [_stored_report(r) for r in rows]

    def _delete(self, report_id: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO stale_vectors VALUES (?)", (report_id,))
        self.db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE report_id = ?)", (report_id,))
        for table in ("sections", "chunks", "facts"):
            self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        self.db.execute("DELETE FROM reports WHERE id = ?", (report_id,))

    # ------------------------------------------------------------------ reading
    def is_complete(self, report_id: str) -> bool:
        row = self.db.execute("SELECT status FROM reports WHERE id = ?", (report_id,)).fetchone()
        return bool(row) and row[0] == "complete"

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT c.id FROM chunks c JOIN reports r ON r.id = c.report_id WHERE r.status = 'complete'")}

    def orphan_rows(self) -> dict[str, int]:
        """Rows whose report is gone (should never happen; `qa doctor` counts and removes them)."""
        out = {}
        for table, col in (("sections", "report_id"), ("chunks", "report_id"), ("facts", "report_id"),
                           ("chunks_fts", "report_id")):
            out[table] = self.db.execute(
                f"SELECT count(*) FROM {table} WHERE {col} NOT IN (SELECT id FROM reports)").fetchone()[0]
        return out

    def delete_orphans(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM chunks_fts WHERE rowid NOT IN (SELECT rowid FROM chunks)")
            for table in ("sections", "chunks", "facts", "chunks_fts"):
                self.db.execute(f"DELETE FROM {table} WHERE report_id NOT IN (SELECT id FROM reports)")

    def report_texts(self, agency: Optional[str], year: Optional[int]) -> list[StoredReport]:
        """Complete reports of this agency and year (either may be None), with their texts."""
        return self._stored_reports("status = 'complete' AND agency IS ? AND year IS ?", [agency, year], text=True)

    def pending_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM reports WHERE status != 'complete'")]

    def count_reports(self) -> int:
        return self.db.execute("SELECT count(*) FROM reports WHERE status = 'complete'").fetchone()[0]

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM reports WHERE status = 'complete' LIMIT 1").fetchone() is None

    def reports(self) -> list[StoredReport]:
        return self._stored_reports("status = 'complete' ORDER BY agency, year", [])

    def agencies(self) -> list[str]:
        """Agencies of complete reports; cached until this or another connection writes."""
        version = (self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes)
        if getattr(self, "_agencies", (None, None))[0] != version:
            rows = self.db.execute(
                "SELECT DISTINCT agency FROM reports WHERE status = 'complete' AND agency IS NOT NULL")
            self._agencies = (version, [r[0] for r in rows])
        return self._agencies[1]

    def report_text(self, report_id: str) -> str:
        row = self.db.execute("SELECT text FROM reports WHERE id = ?", (report_id,)).fetchone()
        return row[0] if row else ""

    def report_info(self, report_id: str) -> Optional[StoredReport]:
        """The report with this id, complete or not (None: no such report)."""
        found = self._stored_reports("id = ?", [report_id])
        return found[0] if found else None

    def report_ids(self, agencies: Iterable[str] = (), years: Iterable[int] = ()) -> list[str]:
        where, args = _agency_year_filter("", agencies, years)
        return [r[0] for r in self.db.execute(f"SELECT id FROM reports WHERE status = 'complete'{where}", args)]

    def sections_of(self, report_id: str) -> list[Section]:
        rows = self.db.execute("SELECT * FROM sections WHERE report_id = ? ORDER BY idx", (report_id,))
        return [Section(**{f: r[SECTION_RENAMES.get(f, f)] for f in SECTION_FIELDS}) for r in rows]

    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        rows = self.db.execute(
            f"SELECT c.* FROM chunks c JOIN reports r ON r.id = c.report_id "
            f"WHERE r.status = 'complete' AND c.id IN ({','.join('?' * len(ids))})", ids)
        return {r["id"]: _chunk(r) for r in rows}

    def chunks_of(self, report_id: str) -> list[Chunk]:
        """All chunks of one report, in text order (complete or not: ingest embeds them)."""
        rows = self.db.execute("SELECT * FROM chunks WHERE report_id = ? ORDER BY start", (report_id,))
        return [_chunk(r) for r in rows]

    def chunk_ids_of_kind(self, kind: str, report_ids: list[str], limit: int = 40) -> list[str]:
        if not report_ids:
            return []
        rows = self.db.execute(
            f"SELECT id FROM chunks WHERE section_kind = ? AND report_id IN ({','.join('?' * len(report_ids))}) "
            "ORDER BY report_id, start LIMIT ?", [kind, *report_ids, limit])
        return [r[0] for r in rows]

    def bm25(self, match: str, report_ids: Optional[list[str]], k: int) -> list[tuple[str, float]]:
        """(chunk_id, score) best first; `match` is an FTS5 query over jieba tokens."""
        sql = "SELECT chunk_id, bm25(chunks_fts) AS s FROM chunks_fts WHERE chunks_fts MATCH ?"
        if report_ids is None:
            return [(r[0], -r[1]) for r in self.db.execute(sql + " ORDER BY s LIMIT ?", (match, k))]
        # A report's FTS rows share its chunks' rowids, which are contiguous: a rowid range per
        # report lets FTS5 skip the other 10,000 reports instead of matching them and filtering.
        hits: list[tuple[str, float]] = []
        for rid in report_ids:
            lo, hi = self.db.execute("SELECT min(rowid), max(rowid) FROM chunks WHERE report_id = ?", (rid,)).fetchone()
            if lo is not None:
                rows = self.db.execute(sql + " AND rowid BETWEEN ? AND ? ORDER BY s LIMIT ?", (match, lo, hi, k))
                hits += [(r[0], -r[1]) for r in rows]
        return sorted(hits, key=lambda h: -h[1])[:k]

    def facts(
        self, metric: Optional[str] = None, agencies: Iterable[str] = (), years: Iterable[int] = (),
        report_id: Optional[str] = None,
    ) -> list[Fact]:
        sql = (
            "SELECT f.* FROM facts f JOIN reports r ON r.id = f.report_id WHERE r.status = 'complete'"
        )
        args: list = []
        if metric:
            sql += " AND f.metric = ?"
            args.append(metric)
        where, more = _agency_year_filter("f.", agencies, years)
        sql += where
        args += more
        if report_id:
            sql += " AND f.report_id = ?"
            args.append(report_id)
        sql += " ORDER BY f.agency, f.year, f.start"
        return [Fact(**{k: r[k] for k in FACT_COLUMNS}) for r in self.db.execute(sql, args)]


def _agency_year_filter(prefix: str, agencies: Iterable[str], years: Iterable[int]) -> tuple[str, list]:
    """' AND agency IN (…) AND year IN (…)' for whichever of the two is given."""
    sql, args = "", []
    for column, values in (("agency", list(agencies)), ("year", list(years))):
        if values:
            sql += f" AND {prefix}{column} IN ({','.join('?' * len(values))})"
            args += values
    return sql, args


def _chunk(r: sqlite3.Row) -> Chunk:
    return Chunk(**{f: r[f] for f in CHUNK_FIELDS})


def _report_values(report: Report, extraction: Optional[Extraction]) -> tuple:
    """The reports row of a report just read: complete (answerable), vectors still to add."""
    values = dict(zip(Report.model_fields, values_of(report, list(Report.model_fields))))
    for name in ("page_starts", "boilerplate", "warnings"):
        values[name] = json.dumps(values[name], ensure_ascii=False)
    extraction = extraction or Extraction()
    values.update(status="complete", ingested_at=time.time(), vectors=0,
                  extractor_version=extraction.version, extraction_settings=extraction.settings)
    return tuple(values[c] for c in REPORT_COLUMNS)


def _stored_report(r: sqlite3.Row) -> StoredReport:
    # built without validation: the store wrote these rows from validated models
    values = dict(r)
    values["page_starts"] = json.loads(values["page_starts"] or "[]")
    values["boilerplate"] = [tuple(span) for span in json.loads(values["boilerplate"] or "[]")]
    values["extraction_settings"] = values["extraction_settings"] or ""
    return StoredReport.model_construct(**values)
