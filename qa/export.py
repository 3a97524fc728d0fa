"""Facts as flat rows, for CSV / JSON / Parquet export (schema: docs/facts_schema.md).

The fields and the Parquet types come from `qa.types.Fact`: a field added there is exported
too (after the documented columns, whose order scripts may rely on).
"""

from __future__ import annotations

import typing
from enum import Enum
from pathlib import Path

from qa.types import Fact

# the documented column order (docs/facts_schema.md); any other Fact field follows, in model order
LEADING_FIELDS = ["agency", "year", "metric", "scope", "value", "unit", "qualifier", "status", "section", "source",
                  "quote", "quote_start", "quote_end", "start", "end", "report_id", "note"]
FACT_FIELDS = [f for f in LEADING_FIELDS if f in Fact.model_fields] + \
              [f for f in Fact.model_fields if f not in LEADING_FIELDS]
# narrower than the annotation says (docs: year int32)
ARROW_OVERRIDES = {"year": "int32"}


def fact_rows(facts: list[Fact]) -> list[dict]:
    rows = []
    for f in facts:
        d = f.model_dump()
        rows.append({k: d[k].value if isinstance(d[k], Enum) else d[k] for k in FACT_FIELDS})
    return rows


def arrow_schema():
    """The Parquet schema of the facts: one column per field, typed from its annotation."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(name)) for name in FACT_FIELDS])


def _arrow_type(name: str):
    import pyarrow as pa

    if name in ARROW_OVERRIDES:
        return getattr(pa, ARROW_OVERRIDES[name])()
    annotation = Fact.model_fields[name].annotation
    kinds = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]  # Optional[X] → X
    kind = kinds[0]
    if isinstance(kind, type) and issubclass(kind, bool):
        return pa.bool_()
    if isinstance(kind, type) and issubclass(kind, int) and not issubclass(kind, Enum):
        return pa.int64()
    if isinstance(kind, type) and issubclass(kind, float):
        return pa.float64()
    if isinstance(kind, type) and issubclass(kind, (str, Enum)):
        return pa.string()
    raise TypeError(f"Fact.{name}: no Parquet type for {annotation!r}")


def write_parquet(facts: list[Fact], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(fact_rows(facts), schema=arrow_schema()), str(path))
