"""SQLite store: reports, sections, chunks (+ jieba-tokenised FTS5 for BM25) and facts.

One file, `qa.sqlite`, in the data dir. A report's rows are written in one transaction that
also removes the version it replaces, so readers see either the old report or the new one,
never neither. Its vectors come after: `reports.vectors` is 0 until they are in Chroma (the
report is answered by facts and BM25 meanwhile), and the vectors of replaced reports wait in
`stale_vectors` until they are deleted from Chroma. Status 'pending' only exists in stores
written by older versions (removed on the next ingest or `qa doctor`). Schema changes are
small migration functions applied in order.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Optional

from qa.types import Chunk, Fact, Report, Section


def _m1(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE reports (
            id TEXT PRIMARY KEY, path TEXT, title TEXT, agency TEXT, year INTEGER, region TEXT,
            level TEXT, template TEXT, script TEXT, source_format TEXT, text TEXT,
            boilerplate TEXT, warnings TEXT, status TEXT NOT NULL, ingested_at REAL);
        CREATE INDEX reports_agency_year ON reports(agency, year);
        CREATE INDEX reports_path ON reports(path);
        CREATE TABLE sections (
            report_id TEXT, idx INTEGER, number TEXT, title TEXT, path TEXT, kind TEXT,
            level INTEGER, start INTEGER, "end" INTEGER, PRIMARY KEY (report_id, idx));
        CREATE TABLE chunks (
            id TEXT PRIMARY KEY, report_id TEXT, section_index INTEGER, section_path TEXT,
            section_kind TEXT, start INTEGER, "end" INTEGER, text TEXT);
        CREATE INDEX chunks_report ON chunks(report_id);
        CREATE VIRTUAL TABLE chunks_fts USING fts5(tokens, chunk_id UNINDEXED, report_id UNINDEXED);
        CREATE TABLE facts (
            report_id TEXT, agency TEXT, year INTEGER, metric TEXT, scope TEXT, value REAL,
            unit TEXT, qualifier TEXT, section TEXT, source TEXT, start INTEGER, "end" INTEGER,
            quote TEXT, quote_start INTEGER, quote_end INTEGER, status TEXT, note TEXT);
        CREATE INDEX facts_lookup ON facts(metric, agency, year);
        CREATE INDEX facts_report ON facts(report_id);
        """
    )


def _m2(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE reports ADD COLUMN page_starts TEXT DEFAULT '[]'")


def _m3(db: sqlite3.Connection) -> None:
    # readers filter on status (and agency/year) on every question: never scan the report texts
    db.execute("CREATE INDEX reports_status ON reports(status, agency, year)")


def _m4(db: sqlite3.Connection) -> None:
    # facts first, vectors after: existing reports already have their vectors
    db.execute("ALTER TABLE reports ADD COLUMN vectors INTEGER NOT NULL DEFAULT 1")
    db.execute("CREATE INDEX reports_vectors ON reports(vectors)")
    db.execute("CREATE TABLE stale_vectors (report_id TEXT PRIMARY KEY)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")


MIGRATIONS = [_m1, _m2, _m3, _m4]


class StoreVersionError(RuntimeError):
    """The store was written by a newer qa whose schema this one does not know."""


class StoreUnavailable(RuntimeError):
    """qa.sqlite cannot be opened (damaged, or cannot be created); the message says what to do."""


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
FACT_COLUMNS = [
    "report_id", "agency", "year", "metric", "scope", "value", "unit", "qualifier", "section", "source",
    "start", "end", "quote", "quote_start", "quote_end", "status", "note",
]


class Store:
    def __init__(self, path: Path):
        self.path = path
        self.db, self.read_only = _connect(path)
        self.db.row_factory = sqlite3.Row
        try:
            if not self.read_only:
                self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(damaged_message(path, exc)) from exc

    def integrity_problems(self) -> list[str]:
        """What `PRAGMA quick_check` finds wrong (empty: the file is sound). Reads every page."""
        try:
            rows = [r[0] for r in self.db.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def _migrate(self) -> None:
        if not self.read_only:
            self.db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at REAL)")
        done = {r[0] for r in self.db.execute("SELECT version FROM migrations")}
        if done and max(done) > len(MIGRATIONS):
            raise StoreVersionError(
                f"{self.path} has schema version {max(done)}, newer than this qa ({len(MIGRATIONS)}): upgrade qa")
        if self.read_only and len(done) < len(MIGRATIONS):
            raise StoreUnavailable(f"{self.path} needs a schema upgrade but is read-only: "
                                   "open it once where it can be written")
        for version, migration in enumerate(MIGRATIONS, start=1):
            if version not in done:
                with self.db:
                    migration(self.db)
                    self.db.execute("INSERT INTO migrations VALUES (?, ?)", (version, time.time()))

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writing
    def write_report(
        self, report: Report, sections: list[Section], chunks: list[Chunk], facts: list[Fact],
        tokens: dict[str, str], replace: Iterable[str] = (),
    ) -> list[str]:
        """Write a report (answerable at once, vectors still to add) and, in the same transaction,
        remove the reports it replaces: any at its path or with its id, and the ids in `replace`.
        Returns the ids removed; their vectors are queued in stale_vectors."""
        with self.db:
            old = list(dict.fromkeys([*self.replaced_ids(report), *replace]))
            for rid in old:
                self._delete(rid)
            self.db.execute(
                "INSERT INTO reports (id, path, title, agency, year, region, level, template, script, "
                "source_format, text, boilerplate, warnings, status, ingested_at, page_starts, vectors) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
                (report.id, report.path, report.title, report.agency, report.year, report.region, report.level,
                 report.template.value, report.script, report.source_format, report.text,
                 json.dumps(report.boilerplate), json.dumps(report.warnings, ensure_ascii=False), "complete",
                 time.time(), json.dumps(report.page_starts)),
            )
            self.db.executemany(
                "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?)",
                [(s.report_id, s.index, s.number, s.title, s.path, s.kind.value, s.level, s.start, s.end)
                 for s in sections],
            )
            self.db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                [(c.id, c.report_id, c.section_index, c.section_path, c.section_kind.value, c.start, c.end, c.text)
                 for c in chunks],
            )
            # FTS rows share the chunk's rowid, so deleting a report's rows never scans the index
            self.db.executemany(
                "INSERT INTO chunks_fts (rowid, tokens, chunk_id, report_id) "
                "SELECT rowid, ?, id, report_id FROM chunks WHERE id = ?",
                [(tokens[c.id], c.id) for c in chunks],
            )
            self.db.executemany(
                f"INSERT INTO facts VALUES ({','.join('?' * len(FACT_COLUMNS))})",
                [tuple(_fact_row(f)) for f in facts],
            )
        return old

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

    def find_reports(self, ref: str) -> list[dict]:
        """Complete reports named by path (as stored or absolute) or by id / id prefix (≥ 6 chars)."""
        paths = {ref, str(Path(ref).expanduser().resolve())}
        rows = self.db.execute(
            f"SELECT id, path, agency, year FROM reports WHERE status = 'complete' AND "
            f"(path IN ({','.join('?' * len(paths))}) OR (length(?) >= 6 AND id LIKE ? || '%'))",
            [*paths, ref, ref])
        return [dict(r) for r in rows]

    def has_reports_outside(self, folders: list[str]) -> bool:
        """Whether any complete report was read from outside these folders (one indexed query)."""
        sql = "SELECT 1 FROM reports WHERE status = 'complete'"
        args: list = []
        for folder in folders:
            prefix = folder.rstrip("/") + "/"
            sql += " AND substr(path, 1, ?) != ?"
            args += [len(prefix), prefix]
        return self.db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def same_agency_year(self, agency: Optional[str], year: Optional[int]) -> list[dict]:
        """Complete reports of this agency and year (both must be known)."""
        if not agency or not year:
            return []
        rows = self.db.execute(
            "SELECT id, path FROM reports WHERE status = 'complete' AND agency = ? AND year = ?", (agency, year))
        return [dict(r) for r in rows]

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

    def report_texts(self, agency: Optional[str], year: Optional[int]) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, path, text FROM reports WHERE status = 'complete' AND agency IS ? AND year IS ?",
            (agency, year))
        return [dict(r) for r in rows]

    def pending_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM reports WHERE status != 'complete'")]

    def count_reports(self) -> int:
        return self.db.execute("SELECT count(*) FROM reports WHERE status = 'complete'").fetchone()[0]

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM reports WHERE status = 'complete' LIMIT 1").fetchone() is None

    def reports(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, path, title, agency, year, region, level, template, script FROM reports "
            "WHERE status = 'complete' ORDER BY agency, year"
        )
        return [dict(r) for r in rows]

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

    def report_info(self, report_id: str) -> Optional[dict]:
        row = self.db.execute(
            "SELECT id, path, title, agency, year, template, page_starts, boilerplate FROM reports WHERE id = ?",
            (report_id,)
        ).fetchone()
        if not row:
            return None
        info = dict(row)
        info["page_starts"] = json.loads(info["page_starts"] or "[]")
        info["boilerplate"] = [tuple(span) for span in json.loads(info["boilerplate"] or "[]")]
        return info

    def report_ids(self, agencies: Iterable[str] = (), years: Iterable[int] = ()) -> list[str]:
        where, args = _agency_year_filter("", agencies, years)
        return [r[0] for r in self.db.execute(f"SELECT id FROM reports WHERE status = 'complete'{where}", args)]

    def sections_of(self, report_id: str) -> list[Section]:
        rows = self.db.execute("SELECT * FROM sections WHERE report_id = ? ORDER BY idx", (report_id,))
        return [
            Section(report_id=r["report_id"], index=r["idx"], number=r["number"], title=r["title"], path=r["path"],
                    kind=r["kind"], level=r["level"], start=r["start"], end=r["end"])
            for r in rows
        ]

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
    return Chunk(id=r["id"], report_id=r["report_id"], section_index=r["section_index"],
                 section_path=r["section_path"], section_kind=r["section_kind"], text=r["text"],
                 start=r["start"], end=r["end"])


def _fact_row(f: Fact) -> list:
    d = f.model_dump()
    d["qualifier"] = f.qualifier.value
    return [d[k] for k in FACT_COLUMNS]
