"""How the store's rows map to the models, and how a ClaimFilter becomes SQL.

Pure functions over models and tuples, and ``StorePart``, the base of the store's mixins;
the connection lives in ``models/store.py``.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from models.article import Article
from models.claim import Claim, GroupRef
from models.errors import StoreError
from models.query import ClaimFilter


class StorePart:
    """A part of ``ClaimStore`` kept in its own module (mixed in): it needs ``path``, ``con``
    and ``_tx``, which ``ClaimStore`` provides."""

    path: Any
    readonly: bool

    @property
    def con(self) -> sqlite3.Connection:  # provided by ClaimStore
        raise NotImplementedError

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:  # provided by ClaimStore
        raise NotImplementedError

    def schema_version(self) -> int:  # provided by ClaimStore
        raise NotImplementedError


#: Columns every claim-reading query selects, in the order ``claim_from_row`` expects.
CLAIM_COLUMNS = "c.json, c.group_id, g.id, g.mentions, g.independent_sources"
CLAIM_FROM = "claims c JOIN articles a ON a.id = c.article_id LEFT JOIN claim_groups g ON g.id = c.group_id"

CLAIM_INSERT = (
    "INSERT INTO claims (id, article_id, kind, value, low, high, unit, hedge, actor, place,"
    " places_text, source_name, source_text, source_type, published, start, sentence,"
    " group_id, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

# the columns `article_fields` fills, then extractor_version, ingested_at and id
ARTICLE_COLUMNS = ("path", "title", "outlet", "published", "url", "text", "n_chars",
                   "extractor_version", "ingested_at", "id")


class ArticleRow(BaseModel):
    """An article as stored: its metadata, cluster, and the text only when asked for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    path: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    n_chars: int
    extractor_version: str | None = None
    ingested_at: str
    cluster_id: str | None = None
    canonical_id: str | None = None
    similarity: float | None = None
    appearances: int = Field(default=1, description="places the text was read (files, dump lines, URLs)")
    text: str | None = None


def now() -> str:
    """The current UTC time as stored: ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def casefold(value: object) -> str | None:
    """SQL function ``casefold(x)``: Unicode-aware lower case (SQLite's lower() is ASCII only)."""
    return value.casefold() if isinstance(value, str) else None


def fts_query(text: str) -> str | None:
    """Turn user words into an FTS5 query: each word quoted (so punctuation is literal), all ANDed.

    A trailing ``*`` keeps prefix search; words with no letter or digit are dropped.
    Returns None when nothing searchable is left.

    >>> fts_query('troops "Kursk" 50,000 tank*')
    '"troops" AND "Kursk" AND "50,000" AND "tank"*'
    """
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', "")
        if any(ch.isalnum() for ch in word):
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " AND ".join(terms) or None


def article_fields(article: Article) -> tuple[Any, ...]:
    """The article's values for the first seven of ARTICLE_COLUMNS."""
    published = article.published.isoformat() if article.published else None
    return (article.path, article.title, article.outlet, published, article.url, article.text,
            len(article.text))


def places_text(claim: Claim) -> str | None:
    """Every place name and place text of a claim, one a line, without repeats."""
    parts: list[str] = []
    for place in claim.places:
        parts += [p for p in (place.name, place.text) if p and p not in parts]
    return "\n".join(parts) or None


def claim_row(article: Article, claim: Claim) -> tuple[Any, ...]:
    """The values CLAIM_INSERT needs; StoreError if the claim is not about this article."""
    if claim.evidence.doc_id != article.id:
        raise StoreError(
            f"claim {claim.id} belongs to article {claim.evidence.doc_id!r}, not {article.id!r}",
            path=article.path,
        )
    q, src = claim.quantity, claim.source
    published = article.published or claim.evidence.published
    return (
        claim.id, article.id, claim.kind.value, q.value, q.low, q.high, q.unit.value, q.hedge.value,
        claim.actor, claim.places[0].name.casefold() if claim.places else None, places_text(claim),
        src.name if src else None, src.text if src else None,
        src.type.value if src and src.type else None,
        published.isoformat() if published else None, claim.evidence.start, claim.evidence.sentence,
        claim.group.id if claim.group else None, claim.model_dump_json(),
    )


def claim_from_row(row: tuple[Any, ...]) -> Claim:
    """Rebuild a Claim from CLAIM_COLUMNS, with its group as the store now has it.

    The group comes from ``claim_groups``; failing that, the group the claim was stored
    with if its id is still the claim's ``group_id``; else None.
    """
    data, group_id, g_id, mentions, independent = row
    claim = Claim.model_validate_json(data)
    group: GroupRef | None = None
    if g_id is not None:
        group = GroupRef(id=g_id, mentions=mentions, independent_sources=independent)
    elif group_id is not None and claim.group is not None and claim.group.id == group_id:
        group = claim.group
    return claim if group == claim.group else claim.model_copy(update={"group": group})


def _canonical_terms(name: str, flt: ClaimFilter) -> tuple[list[str], list[Any]]:
    """The SQL terms by which a claim names the actor or place of ``flt.ids`` / ``flt.exact``:
    its stored id, or a whole stored name equal to one of the exact names (rows written before
    ids, under the name their text used: "US", "Britain")."""
    if name not in ("actor", "place") or (name not in flt.ids and not flt.exact.get(name)):
        return [], []
    exact = list(dict.fromkeys(n.casefold() for n in flt.exact.get(name, []) if n))
    terms: list[str] = []
    args: list[Any] = []
    if name == "actor":
        if name in flt.ids:
            terms.append("json_extract(c.json, '$.actor_id') = ?")
            args.append(flt.ids[name])
        if exact:
            terms.append(f"casefold(c.actor) IN ({', '.join('?' * len(exact))})")
            args += exact
        return terms, args
    if name in flt.ids:
        terms.append("EXISTS (SELECT 1 FROM json_each(c.json, '$.places') WHERE json_extract(value, '$.id') = ?)")
        args.append(flt.ids[name])
    # places_text holds one name or text a line: a whole line equals an exact name
    terms += ["instr(char(10) || casefold(c.places_text) || char(10), char(10) || ? || char(10)) > 0"] * len(exact)
    args += exact
    return terms, args


def filter_sql(flt: ClaimFilter) -> tuple[str, list[Any]]:
    """The SELECT (over CLAIM_COLUMNS) and parameters for the claims that ``flt`` admits.

    Order: publication date (latest first with ``newest_first``; undated last), article path, offset.
    """
    where: list[str] = []
    params: list[Any] = []
    if flt.kinds:
        where.append(f"c.kind IN ({', '.join('?' * len(flt.kinds))})")
        params += [k.value for k in flt.kinds]
    substrings = (
        ("place", flt.place, ("c.places_text",)),
        ("source", flt.source, ("c.source_name", "c.source_text")),
        ("actor", flt.actor, ("c.actor",)),
    )
    for name, needle, columns in substrings:
        if needle is None or not needle.strip():
            continue
        needles = list(dict.fromkeys(n.strip().casefold() for n in [needle, *flt.aliases.get(name, [])]
                                     if n and n.strip()))
        terms = [] if name == "actor" and name in flt.ids else [
            f"instr(casefold({col}), ?) > 0" for col in columns for _ in needles]
        args: list[Any] = [n for _ in columns for n in needles] if terms else []
        id_terms, id_args = _canonical_terms(name, flt)
        where.append("(" + " OR ".join(terms + id_terms) + ")")
        params += args + id_args
    if flt.source_type is not None:
        where.append("c.source_type = ?")
        params.append(flt.source_type)
    # a claim's own period when it has one, else the day it was published
    if flt.period_start is not None:
        where.append("coalesce(json_extract(c.json, '$.period.end'), json_extract(c.json, '$.period.start'),"
                     " c.published) >= ?")
        params.append(flt.period_start.isoformat())
    if flt.period_end is not None:
        where.append("coalesce(json_extract(c.json, '$.period.start'), json_extract(c.json, '$.period.end'),"
                     " c.published) <= ?")
        params.append(flt.period_end.isoformat())
    if flt.since is not None:
        where.append("c.published >= ?")
        params.append(flt.since.isoformat())
    if flt.until is not None:
        where.append("c.published <= ?")
        params.append(flt.until.isoformat())
    if flt.current_only:
        where.append("EXISTS (SELECT 1 FROM appearances p WHERE p.article_id = c.article_id AND p.current = 1)")
    if flt.text is not None and (match := fts_query(flt.text)) is not None:
        where.append("c.n IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)")
        params.append(match)
    sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM}"
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    sql += (" ORDER BY c.published IS NULL, c.published" + (" DESC" if flt.newest_first else "")
            + ", a.path, c.start, c.id")
    if flt.limit is not None or flt.offset:
        sql += " LIMIT ? OFFSET ?"
        params += [max(flt.limit, 0) if flt.limit is not None else -1, flt.offset]
    return sql, params
