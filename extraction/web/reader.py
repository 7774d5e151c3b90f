"""Read-only access to a claim store for the served pages.

The connection is opened with ``mode=ro`` and ``query_only``: the server can never write
to the store. Every statement is parameterised. One ``StoreReader`` per request (SQLite
connections are cheap, and a request runs on a worker thread).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from models import Claim
from models.errors import StoreError
from models.query import ClaimFilter
from models.store import ClaimStore
from models.store_sql import CLAIM_COLUMNS, CLAIM_FROM, claim_from_row, filter_sql


class StoreReader:
    """Typed reads over an existing store, opened read-only; a context manager."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError("no claim store here (run 'claims ingest' first)", path=self.path)
        # the store's own read-only opening: mode=ro (immutable where the folder cannot be
        # written), a file of another program or an older schema refused with one line
        self._store = ClaimStore(self.path, readonly=True)
        self.con = self._store.con
        try:
            self.con.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            self._store.close()
            raise StoreError(f"cannot read claim store: {exc}", path=self.path) from exc

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._store.close()

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
            "corpus_current": self.corpus_current(),
            "claims_by_kind": dict(self.con.execute(
                "SELECT kind, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC")),
        }

    def corpus_current(self) -> bool:
        """False when articles were stored after the last complete corpus pass (copies, claim
        groups and conflicts then miss them: ``claims refresh``)."""
        return self._one("SELECT 1 FROM meta WHERE key = 'corpus_stale'") is None

    def claims(self, flt: ClaimFilter) -> list[Claim]:
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

    def claims_by_id(self, ids: list[str]) -> dict[str, Claim]:
        """The claims with these ids (unknown ids are left out)."""
        out: dict[str, Claim] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.id IN ({', '.join('?' * len(chunk))})"
            for row in self.con.execute(sql, chunk):
                claim = claim_from_row(row)
                out[claim.id] = claim
        return out

    def claim(self, claim_id: str) -> Claim | None:
        return self.claims_by_id([claim_id]).get(claim_id)

    def article_claims(self, article_id: str) -> list[Claim]:
        sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.article_id = ? ORDER BY c.start"
        return [claim_from_row(row) for row in self.con.execute(sql, (article_id,))]

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The article's stored row (text included) as a dict, or None."""
        cur = self.con.execute("SELECT * FROM articles WHERE id = ?", (article_id,))
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    def appearances(self, doc_id: str) -> list[dict[str, Any]]:
        """Every place the article's text was printed or read, first seen first: path, url,
        outlet, title, published, current, ingested_at.

        The same story printed by three outlets is one text with three appearances.
        """
        return [a.model_dump(mode="json") for a in self._store.appearances(doc_id)]

    def groups(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Stored claim groups by id (their JSON as written by the corpus pass)."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            sql = f"SELECT id, json FROM claim_groups WHERE id IN ({', '.join('?' * len(chunk))})"
            out |= {gid: json.loads(data) for gid, data in self.con.execute(sql, chunk)}
        return out

    def conflicts(self, group_ids: set[str] | None = None) -> list[dict[str, Any]]:
        """Stored conflicts; with ``group_ids``, only those touching one of these groups."""
        if group_ids is None:
            return [json.loads(r[0]) for r in self.con.execute("SELECT json FROM conflicts ORDER BY rowid")]
        ids, out = sorted(group_ids), {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            sql = ("SELECT rowid, json FROM conflicts WHERE EXISTS (SELECT 1 FROM json_each(conflicts.json, "
                   f"'$.group_ids') j WHERE j.value IN ({', '.join('?' * len(chunk))}))")
            out |= {rowid: json.loads(data) for rowid, data in self.con.execute(sql, chunk)}
        return [out[k] for k in sorted(out)]

    def titles(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Article id -> path, title, outlet, published, url (no text)."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i:i + 500]
            cur = self.con.execute("SELECT id, path, title, outlet, published, url FROM articles "
                                   f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
            names = [d[0] for d in cur.description]
            out |= {row[0]: dict(zip(names, row, strict=True)) for row in cur}
        return out
