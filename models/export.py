"""Writing claims out: JSONL (the full Claim, one a line), flat CSV, and the JSON Schema of a line;
claim groups and conflicts as JSONL or CSV (their tables are in ``models/tables.py``; Parquet
is ``models/parquet.py``).

Usage::

    with open("claims.jsonl", "w", encoding="utf-8") as fp:
        write_jsonl(store.claims(), fp)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from typing import Any, TextIO

from models.claim import Claim
from models.tables import Column, row

#: CSV columns, in order, with how each is read from a claim.
CSV_COLUMNS: dict[str, Callable[[Claim], Any]] = {
    "id": lambda c: c.id,
    "kind": lambda c: c.kind,
    "value": lambda c: c.quantity.value,
    "low": lambda c: c.quantity.low,
    "high": lambda c: c.quantity.high,
    "unit": lambda c: c.quantity.unit,
    "hedge": lambda c: c.quantity.hedge,
    "quantity_text": lambda c: c.quantity.text,
    "actor": lambda c: c.actor,
    "actor_id": lambda c: c.actor_id,
    "places": lambda c: "; ".join(p.name for p in c.places),
    "place_ids": lambda c: "; ".join(p.id or "" for p in c.places) if any(p.id for p in c.places) else None,
    "source_name": lambda c: c.source.name if c.source else None,
    "source_type": lambda c: c.source.type if c.source else None,
    "source_text": lambda c: c.source.text if c.source else None,
    "reporter": lambda c: c.reporter,
    "period_text": lambda c: c.period.text if c.period else None,
    "period_start": lambda c: c.period.start if c.period else None,
    "period_end": lambda c: c.period.end if c.period else None,
    "doc_id": lambda c: c.evidence.doc_id,
    "path": lambda c: c.evidence.path,
    "published": lambda c: c.evidence.published,
    "title": lambda c: c.evidence.title,
    "start": lambda c: c.evidence.start,
    "end": lambda c: c.evidence.end,
    "sentence": lambda c: c.evidence.sentence,
    "rules": lambda c: "; ".join(c.rules),
    "extractor_version": lambda c: c.extractor_version,
    "group_id": lambda c: c.group.id if c.group else None,
    "group_mentions": lambda c: c.group.mentions if c.group else None,
    "group_independent_sources": lambda c: c.group.independent_sources if c.group else None,
}


def _cell(value: Any) -> str:
    """A CSV cell: empty for None, enum values as exported, whole floats without '.0', ISO dates."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_jsonl(claims: Iterable[Claim], fp: TextIO) -> int:
    """Write each claim as one JSON line (every field, None as null); returns the number written."""
    n = 0
    for claim in claims:
        fp.write(claim.model_dump_json())
        fp.write("\n")
        n += 1
    return n


def write_csv(claims: Iterable[Claim], fp: TextIO) -> int:
    """Write a header and one flat row per claim (see CSV_COLUMNS); returns the number of rows.

    Open ``fp`` with ``newline=""``, as the csv module requires. Lists (places, rules)
    are joined with "; ".
    """
    writer = csv.writer(fp)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for claim in claims:
        writer.writerow([_cell(get(claim)) for get in CSV_COLUMNS.values()])
        n += 1
    return n


def write_dicts_jsonl(items: Iterable[dict[str, Any]], fp: TextIO) -> int:
    """Write each stored group or conflict (its JSON dict) as one line; returns the number written."""
    n = 0
    for item in items:
        fp.write(json.dumps(item, ensure_ascii=False))
        fp.write("\n")
        n += 1
    return n


def write_table_csv(table: tuple[Column, ...], items: Iterable[Any], fp: TextIO) -> int:
    """Write a header and one row per item of a ``models.tables`` table; returns the number of rows.

    Lists of strings are joined with "; ", nested values (places, intervals, a quantity) are JSON.
    """
    writer = csv.writer(fp)
    writer.writerow([column.name for column in table])
    n = 0
    for item in items:
        writer.writerow([_cell(value) for value in row(table, item)])
        n += 1
    return n


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every line of ``write_jsonl`` output satisfies."""
    schema = Claim.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
