"""Parquet output (pyarrow) of the tables in ``models/tables.py``: typed, written in row groups.

Usage::

    write_parquet(CLAIM_TABLE, store.claims(), "claims.parquet")
    # 1204
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from models.tables import Column, row

__all__ = ["arrow_schema", "write_parquet"]

#: rows per Parquet row group: memory stays flat however many claims the store holds
ROW_GROUP = 10_000


def _types() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "string": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(),
        "date": pa.date32(), "strings": pa.list_(pa.string()),
        "places": pa.list_(pa.struct([("name", pa.string()), ("type", pa.string()), ("text", pa.string())])),
        "intervals": pa.list_(pa.struct([("low", pa.float64()), ("high", pa.float64())])),
        "quantity": pa.struct([("value", pa.float64()), ("low", pa.float64()), ("high", pa.float64()),
                               ("unit", pa.string()), ("hedge", pa.string()), ("text", pa.string())]),
    }


def arrow_schema(table: tuple[Column, ...]) -> Any:
    """The pyarrow schema of ``table`` (a ``models.tables`` column list)."""
    import pyarrow as pa

    types = _types()
    return pa.schema([pa.field(c.name, types[c.type], metadata={"doc": c.doc} if c.doc else None) for c in table])


def write_parquet(table: tuple[Column, ...], items: Iterable[Any], path: str | os.PathLike[str]) -> int:
    """Write one row per item to a Parquet file at ``path``; returns the number of rows.

    An empty input still writes a file with the schema and no rows.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    n = 0
    with pq.ParquetWriter(os.fspath(path), schema, compression="zstd") as writer:
        batch: list[list[Any]] = []
        for item in items:
            batch.append(row(table, item))
            n += 1
            if len(batch) == ROW_GROUP:
                writer.write_table(_arrow_table(schema, batch, pa))
                batch = []
        if batch or n == 0:
            writer.write_table(_arrow_table(schema, batch, pa))
    return n


def _arrow_table(schema: Any, rows: list[list[Any]], pa: Any) -> Any:
    columns = [pa.array([r[i] for r in rows], type=field.type) for i, field in enumerate(schema)]
    return pa.Table.from_arrays(columns, schema=schema)
