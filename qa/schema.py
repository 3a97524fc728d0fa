"""The schema of qa.sqlite: named migrations, and the column lists the store reads and writes.

Columns come from the pydantic models (`qa.types`): a field added to Fact is written, read and
exported without a second list to keep in step (its column still needs a migration; the tests
compare the tables with the models). Migrations are small functions applied in order, each in
one transaction, and recorded in the `migrations` table by name (stores written before names
recorded numbers 1-4: they are renamed on first open).
"""

from __future__ import annotations

import sqlite3
import time
from enum import Enum
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from qa.types import Chunk, Fact, Report, Section, StoredReport


class StoreVersionError(RuntimeError):
    """The store was written by a newer qa whose schema this one does not know."""


class StoreUnavailable(RuntimeError):
    """qa.sqlite cannot be opened (damaged, or cannot be created); the message says what to do."""


# ---------------------------------------------------------------------------- columns
# model field → column, where the column is named otherwise ("index" reads badly in SQL)
SECTION_RENAMES = {"index": "idx"}

FACT_COLUMNS = list(Fact.model_fields)
SECTION_FIELDS = list(Section.model_fields)
CHUNK_FIELDS = list(Chunk.model_fields)
# what a report row holds beyond its Report fields
REPORT_EXTRA_COLUMNS = ["status", "ingested_at", "vectors", "extractor_version", "extraction_settings"]
REPORT_COLUMNS = list(Report.model_fields) + REPORT_EXTRA_COLUMNS
# what the store returns for a report: everything but its text, unless asked for
STORED_COLUMNS = [name for name in StoredReport.model_fields if name != "text"]
JSON_COLUMNS = ("page_starts", "boilerplate", "warnings")


def column_list(columns: list[str]) -> str:
    """'"a", "b"' — quoted, since some columns ("end") are SQL keywords."""
    return ", ".join(f'"{c}"' for c in columns)


def insert_sql(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table} ({column_list(columns)}) VALUES ({', '.join('?' * len(columns))})"


def values_of(model: BaseModel, fields: list[str]) -> tuple:
    """The model's values for these fields, as SQLite stores them (enums as their values)."""
    dumped = model.model_dump(include=set(fields))
    return tuple(dumped[f].value if isinstance(dumped[f], Enum) else dumped[f] for f in fields)


# ---------------------------------------------------------------------------- migrations
def m001_initial(db: sqlite3.Connection) -> None:
    # statement by statement: executescript would commit halfway through the migration
    for statement in (
        """CREATE TABLE reports (
            id TEXT PRIMARY KEY, path TEXT, title TEXT, agency TEXT, year INTEGER, region TEXT,
            level TEXT, template TEXT, script TEXT, source_format TEXT, text TEXT,
            boilerplate TEXT, warnings TEXT, status TEXT NOT NULL, ingested_at REAL)""",
        "CREATE INDEX reports_agency_year ON reports(agency, year)",
        "CREATE INDEX reports_path ON reports(path)",
        """CREATE TABLE sections (
            report_id TEXT, idx INTEGER, number TEXT, title TEXT, path TEXT, kind TEXT,
            level INTEGER, start INTEGER, "end" INTEGER, PRIMARY KEY (report_id, idx))""",
        """CREATE TABLE chunks (
            id TEXT PRIMARY KEY, report_id TEXT, section_index INTEGER, section_path TEXT,
            section_kind TEXT, start INTEGER, "end" INTEGER, text TEXT)""",
        "CREATE INDEX chunks_report ON chunks(report_id)",
        "CREATE VIRTUAL TABLE chunks_fts USING fts5(tokens, chunk_id UNINDEXED, report_id UNINDEXED)",
        """CREATE TABLE facts (
            report_id TEXT, agency TEXT, year INTEGER, metric TEXT, scope TEXT, value REAL,
            unit TEXT, qualifier TEXT, section TEXT, source TEXT, start INTEGER, "end" INTEGER,
            quote TEXT, quote_start INTEGER, quote_end INTEGER, status TEXT, note TEXT)""",
        "CREATE INDEX facts_lookup ON facts(metric, agency, year)",
        "CREATE INDEX facts_report ON facts(report_id)",
    ):
        db.execute(statement)


def m002_page_starts(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE reports ADD COLUMN page_starts TEXT DEFAULT '[]'")


def m003_status_index(db: sqlite3.Connection) -> None:
    # readers filter on status (and agency/year) on every question: never scan the report texts
    db.execute("CREATE INDEX reports_status ON reports(status, agency, year)")


def m004_vectors(db: sqlite3.Connection) -> None:
    # facts first, vectors after: existing reports already have their vectors
    db.execute("ALTER TABLE reports ADD COLUMN vectors INTEGER NOT NULL DEFAULT 1")
    db.execute("CREATE INDEX reports_vectors ON reports(vectors)")
    db.execute("CREATE TABLE stale_vectors (report_id TEXT PRIMARY KEY)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")


def m005_extractor_version(db: sqlite3.Connection) -> None:
    # existing reports were read by an extractor that did not say which: NULL and '' are stale
    db.execute("ALTER TABLE reports ADD COLUMN extractor_version INTEGER")
    db.execute("ALTER TABLE reports ADD COLUMN extraction_settings TEXT NOT NULL DEFAULT ''")


def m006_name_syllables(db: sqlite3.Connection) -> None:
    # the pinyin of each agency's name, written at ingest: an English question links by it without
    # importing pypinyin (0.4 s) at every cold start
    db.execute("CREATE TABLE name_syllables (name TEXT PRIMARY KEY, syllables TEXT NOT NULL)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_initial, m002_page_starts, m003_status_index, m004_vectors, m005_extractor_version,
    m006_name_syllables,
]
# what stores recorded as numbers 1, 2, … before migrations had names
NUMBERED = [m.__name__ for m in MIGRATIONS[:4]]


def migrate(db: sqlite3.Connection, path: Path, read_only: bool) -> None:
    """Apply the migrations this store lacks, in order, each in its own transaction."""
    if not read_only:
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at REAL)")
    done = applied(db)
    unknown = done - {m.__name__ for m in MIGRATIONS}
    if unknown:
        raise StoreVersionError(f"{path} has schema changes this qa does not know ({', '.join(sorted(unknown))}), "
                                f"made by a newer qa: upgrade qa")
    todo = [m for m in MIGRATIONS if m.__name__ not in done]
    if read_only and (todo or _numbered(db)):
        raise StoreUnavailable(f"{path} needs a schema upgrade but is read-only: open it once where it can be written")
    if _numbered(db):
        _in_transaction(db, _name_numbered)
    for migration in todo:
        _in_transaction(db, lambda db, m=migration: _apply(db, m))


def applied(db: sqlite3.Connection) -> set[str]:
    """Names of the migrations this store has had (numbers recorded by older stores translated)."""
    if not _numbered(db):
        return {r[0] for r in db.execute("SELECT name FROM migrations")}
    numbers = [r[0] for r in db.execute("SELECT version FROM migrations")]
    return {NUMBERED[n - 1] if 1 <= n <= len(NUMBERED) else f"number {n}" for n in numbers}


def _numbered(db: sqlite3.Connection) -> bool:
    return "version" in {r[1] for r in db.execute("PRAGMA table_info(migrations)")}


def _name_numbered(db: sqlite3.Connection) -> None:
    """The migrations table of a store that recorded numbers, rewritten with names (times kept)."""
    if not _numbered(db):  # another process renamed them while this one waited for the lock
        return
    rows = db.execute("SELECT version, applied_at FROM migrations ORDER BY version").fetchall()
    db.execute("CREATE TABLE migrations_named (name TEXT PRIMARY KEY, applied_at REAL)")
    db.executemany("INSERT INTO migrations_named (name, applied_at) VALUES (?, ?)",
                   [(NUMBERED[version - 1], at) for version, at in rows])
    db.execute("DROP TABLE migrations")
    db.execute("ALTER TABLE migrations_named RENAME TO migrations")


def _apply(db: sqlite3.Connection, migration) -> None:
    if migration.__name__ in applied(db):  # applied by another process while this one waited
        return
    migration(db)
    db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (migration.__name__, time.time()))


def _in_transaction(db: sqlite3.Connection, change: Callable[[sqlite3.Connection], None]) -> None:
    """One write transaction, taken before reading (BEGIN IMMEDIATE): schema changes and their
    record commit together or not at all (SQLite DDL is transactional)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        change(db)
    except BaseException:
        db.rollback()
        raise
    db.commit()
