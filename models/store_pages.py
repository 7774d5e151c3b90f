"""What the served pages read from ``ClaimStore`` (mixed into ``models/store.py``): an overview,
a page of claims, claims, groups and conflicts by id, article rows and titles.

``extraction.web.reader.StoreReader`` opens the store read-only and calls these; no SQL is
written outside ``models/``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from models.claim import Claim
from models.errors import StoreError
from models.query import ClaimFilter
from models.store_sql import CLAIM_COLUMNS, CLAIM_FROM, StorePart, claim_from_row, filter_sql

_CHUNK = 500  # bound parameters per IN (...) list


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _marks(part: Sequence[Any]) -> str:
    return ", ".join("?" * len(part))


class StorePages(StorePart):
    """Reads for the served pages: small, by id, each one query (or one per 500 ids)."""

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        row = self.con.execute(sql, params).fetchone()
        return row[0] if row else None

    def overview(self) -> dict[str, Any]:
        """What the store holds: counts, the publication date range, the last ingest, and whether
        the corpus pass (copies, groups, conflicts) covers everything stored."""
        return {
            "articles": self._one("SELECT count(*) FROM articles"),
            "claims": self._one("SELECT count(*) FROM claims"),
            "sources": self._one("SELECT count(DISTINCT source_name) FROM claims"),
            "groups": self._one("SELECT count(*) FROM claim_groups"),
            "conflicts": self._one("SELECT count(*) FROM conflicts"),
            "first_published": self._one("SELECT min(published) FROM articles"),
            "last_published": self._one("SELECT max(published) FROM articles"),
            "undated_articles": self._one("SELECT count(*) FROM articles WHERE published IS NULL"),
            "last_ingest": self._one("SELECT max(ingested_at) FROM articles"),
            "corpus_current": self._one("SELECT 1 FROM meta WHERE key = 'corpus_stale'") is None,
            "claims_by_kind": dict(self.con.execute(
                "SELECT kind, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC")),
        }

    def claims_page(self, flt: ClaimFilter) -> list[Claim]:
        """The claims ``flt`` admits (with its limit and offset), in the store's order."""
        sql, params = filter_sql(flt)
        try:
            return [claim_from_row(row) for row in self.con.execute(sql, params)]
        except sqlite3.Error as exc:
            raise StoreError(f"query failed: {exc}", path=self.path) from exc

    def word_in_corpus(self, word: str) -> bool:
        """True when some claim's indexed text holds the word (so it is no misspelling)."""
        try:
            return self._one("SELECT 1 FROM claims_fts WHERE claims_fts MATCH ? LIMIT 1",
                             (f'"{word.replace(chr(34), "")}"',)) is not None
        except sqlite3.Error:
            return False

    def claims_by_id(self, ids: Sequence[str]) -> dict[str, Claim]:
        """The claims with these ids (unknown ids are left out)."""
        out: dict[str, Claim] = {}
        for part in _chunks(list(ids)):
            sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.id IN ({_marks(part)})"
            for row in self.con.execute(sql, part):
                claim = claim_from_row(row)
                out[claim.id] = claim
        return out

    def article_claims(self, article_id: str) -> list[Claim]:
        """The article's claims in text order."""
        sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.article_id = ? ORDER BY c.start"
        return [claim_from_row(row) for row in self.con.execute(sql, (article_id,))]

    def article_row(self, article_id: str) -> dict[str, Any] | None:
        """The article's stored row (text included) as a dict, or None."""
        cur = self.con.execute("SELECT * FROM articles WHERE id = ?", (article_id,))
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def groups_by_id(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Stored claim groups by id (their JSON as written by the corpus pass)."""
        out: dict[str, dict[str, Any]] = {}
        for part in _chunks(list(ids)):
            sql = f"SELECT id, json FROM claim_groups WHERE id IN ({_marks(part)})"
            out |= {gid: json.loads(data) for gid, data in self.con.execute(sql, part)}
        return out

    def conflicts_touching(self, group_ids: set[str]) -> list[dict[str, Any]]:
        """The stored conflicts that name one of these groups, in stored order."""
        out: dict[int, dict[str, Any]] = {}
        for part in _chunks(sorted(group_ids)):
            sql = ("SELECT rowid, json FROM conflicts WHERE EXISTS (SELECT 1 FROM json_each(conflicts.json, "
                   f"'$.group_ids') j WHERE j.value IN ({_marks(part)}))")
            out |= {rowid: json.loads(data) for rowid, data in self.con.execute(sql, part)}
        return [out[k] for k in sorted(out)]

    def titles(self, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Article id -> path, title, outlet, published, url (no text)."""
        out: dict[str, dict[str, Any]] = {}
        for part in _chunks(list(article_ids)):
            cur = self.con.execute("SELECT id, path, title, outlet, published, url FROM articles "
                                   f"WHERE id IN ({_marks(part)})", part)
            names = [d[0] for d in cur.description]
            out |= {row[0]: dict(zip(names, row, strict=True)) for row in cur}
        return out
