"""One schema source: the store's tables, the export fields and the Parquet schema follow the
pydantic models, and facts go through the store unchanged."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from conftest import seed
from qa.export import FACT_FIELDS, arrow_schema, fact_rows, write_parquet
from qa.facts import extract_facts
from qa.read.report import read_report
from qa.schema import SECTION_RENAMES
from qa.sections import split_sections
from qa.store import Store
from qa.types import Chunk, Fact, Report, Section, StoredReport


def columns(store: Store, table: str) -> set[str]:
    return {r[1] for r in store.db.execute(f"PRAGMA table_info({table})")}


def test_tables_hold_every_model_field(tmp_path):
    store = Store(tmp_path / "qa.sqlite")
    assert columns(store, "facts") == set(Fact.model_fields)
    assert columns(store, "chunks") == set(Chunk.model_fields)
    assert columns(store, "sections") == {SECTION_RENAMES.get(f, f) for f in Section.model_fields}
    assert columns(store, "reports") >= set(Report.model_fields) | set(StoredReport.model_fields)


def test_export_fields_and_parquet_schema_are_the_fact_fields(tmp_path):
    assert sorted(FACT_FIELDS) == sorted(Fact.model_fields)
    assert FACT_FIELDS[:3] == ["agency", "year", "metric"]  # the documented order leads
    schema = arrow_schema()
    assert schema.names == FACT_FIELDS
    assert (schema.field("year").type, schema.field("value").type, schema.field("start").type,
            schema.field("qualifier").type) == (pa.int32(), pa.float64(), pa.int64(), pa.string())
    report = read_report(seed("mfa_2013"))
    facts = extract_facts(report, split_sections(report))
    path = tmp_path / "facts.parquet"
    write_parquet(facts, path)
    assert pq.read_table(path).to_pylist() == fact_rows(facts)


def test_facts_sections_and_chunks_come_back_as_written(tmp_path):
    from qa.sections import chunk_sections
    from qa.versions import Extraction

    report = read_report(seed("mfa_2013"))
    sections = split_sections(report)
    chunks = chunk_sections(report, sections, 300)
    facts = extract_facts(report, sections)
    store = Store(tmp_path / "qa.sqlite")
    store.write_report(report, sections, chunks, facts, {c.id: "x" for c in chunks},
                       extraction=Extraction(version=7, settings='{"chunk_chars": 300}'))
    every_field = lambda f: f.model_dump_json()  # noqa: E731 — a total order, whatever the store's
    assert len(facts) > 5 and sorted(store.facts(report_id=report.id), key=every_field) == sorted(facts, key=every_field)
    assert store.sections_of(report.id) == sections
    assert store.chunks_of(report.id) == sorted(chunks, key=lambda c: c.start)
    info = store.report_info(report.id)
    assert (info.extractor_version, info.extraction_settings) == (7, '{"chunk_chars": 300}')
    assert (info.title, info.template, info.boilerplate) == (report.title, report.template.value, report.boilerplate)
