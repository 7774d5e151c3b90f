"""Reads of ``ClaimStore``: claims by filter, articles, appearances, counts (mixed into
``models/store.py``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from models.article import Appearance
from models.claim import Claim
from models.errors import StoreError
from models.query import ClaimFilter
from models.store_sql import CLAIM_COLUMNS, CLAIM_FROM, ArticleRow, StorePart, claim_from_row, filter_sql

_FETCH = 500


class StoreReads(StorePart):
    """Typed reads: claims, articles, where a text appeared, which ids are stored, counts."""

    def appearances(self, article_id: str) -> list[Appearance]:
        """Every place the text ``article_id`` was read, in the order it was first seen."""
        rows = self.con.execute(
            "SELECT article_id, location, input_key, url, nullif(outlet, ''), title, published, current, ingested_at"
            " FROM appearances WHERE article_id = ? ORDER BY id", (article_id,))
        names = ("article_id", "location", "path", "url", "outlet", "title", "published", "current", "ingested_at")
        return [Appearance(**dict(zip(names, row, strict=True))) for row in rows]

    def appearance_outlets(self, article_ids: Iterable[str]) -> dict[str, tuple[int, list[str]]]:
        """``{article id: (appearances, outlets)}`` for the texts with more than one appearance (a
        text read once is one mention of its article's outlet)."""
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, tuple[int, list[str]]] = {}
        for i in range(0, len(ids), _FETCH):
            part = ids[i:i + _FETCH]
            rows = self.con.execute(
                "SELECT article_id, count(*), group_concat(nullif(outlet, ''), char(31)) FROM appearances"
                f" WHERE article_id IN ({', '.join('?' * len(part))}) GROUP BY article_id HAVING count(*) > 1",
                part)
            for aid, n, outlets in rows:
                out[aid] = (n, sorted(set(outlets.split(chr(31)))) if outlets else [])
        return out

    def stored_ids(self, article_ids: list[str]) -> set[str]:
        """The ids among ``article_ids`` whose text is stored (one query, for a chunk of a run)."""
        found: set[str] = set()
        for i in range(0, len(article_ids), _FETCH):
            part = article_ids[i:i + _FETCH]
            rows = self.con.execute(f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(part))})", part)
            found.update(row[0] for row in rows)
        return found

    def has_article(self, article_id: str) -> bool:
        """True if an article with this id is stored."""
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    # -- reading --------------------------------------------------------------------------

    def _iter_claims(self, sql: str, params: Iterable[Any] = ()) -> Iterator[Claim]:
        # run the query now, so a bad query fails at the call rather than at the first next()
        try:
            cur = self.con.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise StoreError(f"query failed: {exc}", path=self.path) from exc
        return (claim_from_row(row) for rows in iter(lambda: cur.fetchmany(_FETCH), []) for row in rows)

    def query(self, flt: ClaimFilter) -> Iterator[Claim]:
        """Claims matching every field set in ``flt``, by publication date (unknown last), path, offset.

        ``place`` matches any place name or place text, ``source`` the source's name or
        text, ``actor`` the actor, all as case-insensitive substrings; a place in ``flt.ids``
        also by its id or a whole name in ``flt.exact``, and an actor in ``flt.ids`` by those
        only; ``since``/``until``
        bound the article's publication date (undated claims never match them); ``text``
        is a full-text search on sentence, places, source, actor and kind, every word required.
        """
        sql, params = filter_sql(flt)
        return self._iter_claims(sql, params)

    def claims(self) -> Iterator[Claim]:
        """Every claim, ordered by article path then offset."""
        return self._iter_claims(f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} ORDER BY a.path, c.start, c.id")

    def articles(self, with_text: bool = False) -> Iterator[ArticleRow]:
        """Every stored article, ordered by path; ``text`` is None unless ``with_text``."""
        fields = [f for f in ArticleRow.model_fields if f != "text" or with_text]
        columns = [f if f != "appearances" else
                   "(SELECT count(*) FROM appearances p WHERE p.article_id = articles.id)" for f in fields]
        cur = self.con.execute(f"SELECT {', '.join(columns)} FROM articles ORDER BY path, id")
        while rows := cur.fetchmany(_FETCH):
            yield from (ArticleRow(**dict(zip(fields, row, strict=True))) for row in rows)

    def count_claims(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM claims").fetchone()[0])

    def count_articles(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM articles").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        """Counts for a summary: articles, claims, claims by kind, failures, runs, groups, conflicts."""
        con = self.con

        def count(table: str) -> int:
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        return {
            "path": str(self.path),
            "schema_version": self.schema_version(),
            **{t: count(t) for t in ("articles", "claims", "failures", "runs", "processed_inputs")},
            "groups": count("claim_groups"),
            "conflicts": count("conflicts"),
            "claims_by_kind": dict(con.execute("SELECT kind, count(*) FROM claims GROUP BY 1 ORDER BY 1")),
            "extractor_versions": dict(con.execute(
                "SELECT coalesce(extractor_version, ''), count(*) FROM articles GROUP BY 1 ORDER BY 1")),
        }

