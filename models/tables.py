"""The flat tables of the export: claims, claim groups and conflicts as typed columns.

One column list per table says each column's name, its type and how it is read from a
``Claim`` (or a stored group or conflict, as the JSON dict the store keeps). The CSV and
Parquet writers (``models/export.py``, ``models/parquet.py``) both follow these lists, so a
CSV header and a Parquet schema never disagree. Common fields are flat columns; places are a
list of structs, rules and other lists are lists of strings (joined with "; " in CSV).

Types: ``string``, ``float`` (64-bit), ``int`` (64-bit), ``bool``, ``date`` (a calendar day),
``strings`` (list of strings), ``places`` (list of {name, type, text}), ``intervals`` (list of
{low, high}), ``quantity`` ({value, low, high, unit, hedge, text}).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.claim import Claim

__all__ = ["CLAIM_TABLE", "CONFLICT_TABLE", "GROUP_TABLE", "Column"]


@dataclass(frozen=True)
class Column:
    """A column of an exported table: name, type (see the module docstring) and getter."""

    name: str
    type: str
    get: Callable[[Any], Any]
    doc: str = ""


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _opt(obj: Any, attr: str) -> Any:
    return getattr(obj, attr) if obj is not None else None


#: One row per claim, in the order of ``claims export``.
CLAIM_TABLE: tuple[Column, ...] = (
    Column("id", "string", lambda c: c.id, "stable claim id"),
    Column("kind", "string", lambda c: c.kind.value, "territory, personnel, casualties, ..."),
    Column("value", "float", lambda c: c.quantity.value, "the figure (null for a range)"),
    Column("low", "float", lambda c: c.quantity.low, "a range's low end"),
    Column("high", "float", lambda c: c.quantity.high, "a range's high end"),
    Column("unit", "string", lambda c: c.quantity.unit.value, "km2, km, percent, count, USD, ..."),
    Column("hedge", "string", lambda c: c.quantity.hedge.value, "exact, approximately, at_least, ..."),
    Column("quantity_text", "string", lambda c: c.quantity.text, "the quantity as printed"),
    Column("actor", "string", lambda c: c.actor),
    Column("places", "places", lambda c: [p.model_dump() for p in c.places], "most specific first"),
    Column("source_name", "string", lambda c: _opt(c.source, "name")),
    Column("source_type", "string", lambda c: c.source.type.value if c.source and c.source.type else None),
    Column("source_text", "string", lambda c: _opt(c.source, "text")),
    Column("source_cue", "string", lambda c: _opt(c.source, "cue")),
    Column("reporter", "string", lambda c: c.reporter, "the outlet that published the article"),
    Column("period_text", "string", lambda c: _opt(c.period, "text")),
    Column("period_start", "date", lambda c: _opt(c.period, "start")),
    Column("period_end", "date", lambda c: _opt(c.period, "end")),
    Column("period_resolved", "bool", lambda c: _opt(c.period, "resolved")),
    Column("doc_id", "string", lambda c: c.evidence.doc_id, "the article's id"),
    Column("path", "string", lambda c: c.evidence.path, "the input the article was read from"),
    Column("title", "string", lambda c: c.evidence.title),
    Column("published", "date", lambda c: c.evidence.published),
    Column("sentence", "string", lambda c: c.evidence.sentence),
    Column("start", "int", lambda c: c.evidence.start, "offset of the quantity in the article text"),
    Column("end", "int", lambda c: c.evidence.end),
    Column("sentence_start", "int", lambda c: c.evidence.sentence_start),
    Column("rules", "strings", lambda c: list(c.rules), "ids of the rules that produced the claim"),
    Column("extractor_version", "string", lambda c: c.extractor_version),
    Column("group_id", "string", lambda c: _opt(c.group, "id")),
    Column("group_mentions", "int", lambda c: _opt(c.group, "mentions")),
    Column("group_independent_sources", "int", lambda c: _opt(c.group, "independent_sources")),
)

#: One row per claim group (``claims export --groups``), read from the stored group's JSON.
GROUP_TABLE: tuple[Column, ...] = (
    Column("id", "string", lambda g: g["id"]),
    Column("kind", "string", lambda g: g.get("kind")),
    Column("unit", "string", lambda g: g.get("unit")),
    Column("low", "float", lambda g: g.get("low"), "the interval every member allows"),
    Column("high", "float", lambda g: g.get("high")),
    Column("representative", "quantity", lambda g: g.get("representative"), "the most precise member quantity"),
    Column("category", "string", lambda g: g.get("category")),
    Column("actor", "string", lambda g: g.get("actor")),
    Column("place", "string", lambda g: g.get("place")),
    Column("place_type", "string", lambda g: g.get("place_type")),
    Column("mentions", "int", lambda g: g.get("mentions")),
    Column("independent_sources", "int", lambda g: g.get("independent_sources")),
    Column("sources", "strings", lambda g: g.get("sources", [])),
    Column("outlets", "strings", lambda g: g.get("outlets", [])),
    Column("claim_ids", "strings", lambda g: g.get("claim_ids", [])),
    Column("article_ids", "strings", lambda g: g.get("article_ids", [])),
    Column("period_start", "date", lambda g: _day(g.get("period_start"))),
    Column("period_end", "date", lambda g: _day(g.get("period_end"))),
    Column("first_published", "date", lambda g: _day(g.get("first_published"))),
    Column("last_published", "date", lambda g: _day(g.get("last_published"))),
)

#: One row per conflict (``claims conflicts``), read from the stored conflict's JSON.
CONFLICT_TABLE: tuple[Column, ...] = (
    Column("id", "string", lambda c: c["id"]),
    Column("group_ids", "strings", lambda c: c.get("group_ids", []), "the groups that disagree"),
    Column("values", "intervals", lambda c: [{"low": lo, "high": hi} for lo, hi in c.get("values", [])],
           "their value intervals, in group_ids order"),
    Column("differs", "strings", lambda c: c.get("differs", []), "value, period, category, scope"),
    Column("explanation", "string", lambda c: c.get("explanation")),
)


def row(table: tuple[Column, ...], item: Claim | dict[str, Any]) -> list[Any]:
    """The values of one row, in column order."""
    return [column.get(item) for column in table]
