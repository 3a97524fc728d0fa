"""Facts as flat rows, for CSV / JSON / Parquet export (schema: docs/facts_schema.md)."""

from __future__ import annotations

from pathlib import Path

from qa.types import Fact

FACT_FIELDS = ["agency", "year", "metric", "scope", "value", "unit", "qualifier", "status", "section", "source",
               "quote", "quote_start", "quote_end", "start", "end", "report_id", "note"]


def fact_rows(facts: list[Fact]) -> list[dict]:
    rows = []
    for f in facts:
        d = f.model_dump()
        d["qualifier"] = f.qualifier.value
        rows.append({k: d[k] for k in FACT_FIELDS})
    return rows


def write_parquet(facts: list[Fact], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("agency", pa.string()), ("year", pa.int32()), ("metric", pa.string()), ("scope", pa.string()),
        ("value", pa.float64()), ("unit", pa.string()), ("qualifier", pa.string()), ("status", pa.string()),
        ("section", pa.string()), ("source", pa.string()), ("quote", pa.string()), ("quote_start", pa.int64()),
        ("quote_end", pa.int64()), ("start", pa.int64()), ("end", pa.int64()), ("report_id", pa.string()),
        ("note", pa.string()),
    ])
    pq.write_table(pa.Table.from_pylist(fact_rows(facts), schema=schema), str(path))
