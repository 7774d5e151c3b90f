"""The default claim store: one SQLite file with a versioned schema, indexes and full-text search.

>>> with ClaimStore(tmp / "claims.db") as store:            # doctest: +SKIP
...     store.add(article, claims, input_key=article.path)
...     hits = list(store.query(ClaimFilter(place="kursk", kinds=["territory"])))

Every write runs in one transaction, so a failure leaves nothing half-written, and every
write is safe to repeat: re-adding an article already stored by the same extractor
version changes nothing. The schema lives in ``models/migrations.py``.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from models import migrations
from models.article import Appearance, Article, Failure, input_file, version_key_of
from models.claim import Claim, GroupRef
from models.corpus_index import CorpusIndex
from models.errors import StoreError
from models.query import ClaimFilter
from models.store_sql import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    CLAIM_FROM,
    CLAIM_INSERT,
    ArticleRow,
    article_fields,
    casefold,
    claim_from_row,
    claim_row,
    filter_sql,
    now,
)
from models.views import create_views

__all__ = ["ArticleRow", "ClaimStore"]

log = logging.getLogger(__name__)
_FETCH = 500


class ClaimStore(CorpusIndex):
    """Claims, articles, failures and runs in one SQLite file (WAL, foreign keys on).

    Opening creates the file and applies any missing migrations; the directory must exist
    and be writable, else ``StoreError``. Use as a context manager, or call ``close()``.
    """

    def __init__(self, path: str | os.PathLike[str], readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._con: sqlite3.Connection | None = None
        memory = str(path) == ":memory:"
        if not memory:
            self._check_path()
        try:
            con = self._connect(memory)
            self._con = con
            con.create_function("casefold", 1, casefold, deterministic=True)
            con.create_function("claims_location", 1, input_file, deterministic=True)
            con.create_function("claims_version_key", 2, version_key_of, deterministic=True)
            con.execute("PRAGMA busy_timeout = 5000")
            self._check_ours()
            if readonly:
                self._check_version()
                return
            con.execute("PRAGMA foreign_keys = ON")
            if not memory:
                con.execute("PRAGMA journal_mode = WAL")
                con.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
            create_views(con)
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(f"cannot open claim store: {exc}", path=self.path) from exc
        except StoreError:
            self.close()
            raise

    def _connect(self, memory: bool) -> sqlite3.Connection:
        if memory or not self.readonly:
            return sqlite3.connect(str(self.path), isolation_level=None)
        uri = self.path.resolve().as_uri()
        con = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return con
        except sqlite3.OperationalError:
            # a WAL store in a directory we may not write (a read-only mount, a shared folder):
            # SQLite cannot create the shared-memory file, so read it as an immutable file
            con.close()
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)

    def _check_ours(self) -> None:
        """Refuse a SQLite file that another program owns (tables, but no claims schema)."""
        if self.schema_version() == 0 and self.con.execute(
                "SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 1").fetchone():
            raise StoreError("not a claims store (a SQLite file with other tables); "
                             "give another --db", path=self.path)

    def _check_version(self) -> None:
        current, known = self.schema_version(), len(migrations.MIGRATIONS)
        if current == 0:
            raise StoreError("not a claims store (an empty file)", path=self.path)
        if current > known:
            raise StoreError(f"schema version {current} is newer than this program knows ({known}); upgrade it",
                             path=self.path)
        if current < known:
            raise StoreError(f"written by an older version (schema {current}, now {known}): open it once "
                             "with a command that writes (claims refresh) to migrate it", path=self.path)

    @classmethod
    def open(cls, path: str | os.PathLike[str], readonly: bool = False) -> ClaimStore:
        """Open (creating if needed) the store at ``path``; the same as ``ClaimStore(path)``.

        ``readonly``: the store must exist; nothing is ever written (no migration either), so
        a user who may only read the file (a shared store, a read-only mount) can query it."""
        return cls(path, readonly=readonly)

    def _check_path(self) -> None:
        parent = self.path.parent
        if self.readonly:
            if not self.path.is_file() or not os.access(self.path, os.R_OK):
                raise StoreError("cannot open claim store: not a readable file", path=self.path)
            return
        if not parent.is_dir():
            raise StoreError(f"cannot open claim store: directory {parent} does not exist", path=self.path)
        if self.path.exists():
            if not self.path.is_file() or not os.access(self.path, os.R_OK | os.W_OK):
                raise StoreError("cannot open claim store: not a writable file", path=self.path)
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(f"cannot open claim store: directory {parent} is not writable", path=self.path)

    def __enter__(self) -> ClaimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def con(self) -> sqlite3.Connection:
        """The open connection (for read-only SQL by callers who need it)."""
        if self._con is None:
            raise StoreError("the claim store is closed", path=self.path)
        return self._con

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        con = self.con
        if self.readonly:
            raise StoreError("the store was opened read-only", path=self.path)
        try:
            con.execute("BEGIN IMMEDIATE")
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"write failed, nothing stored: {exc}", path=self.path) from exc
            raise

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version recorded in the store (0 for an empty file)."""
        con = self.con
        if not con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            return 0
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        steps = migrations.MIGRATIONS
        current = self.schema_version()
        if current > len(steps):
            raise StoreError(
                f"schema version {current} is newer than this program knows ({len(steps)}); upgrade it",
                path=self.path,
            )
        for version in range(current + 1, len(steps) + 1):
            with self._tx() as con:
                for statement in steps[version - 1]:
                    con.execute(statement)
                con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),))
            log.info("%s: migrated claim store to schema version %d", self.path, version)

    # -- writing articles and claims ------------------------------------------------------

    def add(
        self, article: Article, claims: list[Claim], input_key: str | None = None,
        extractor_version: str | None = None,
    ) -> bool:
        """Store an article and its claims in one transaction; True if anything was written.

        ``extractor_version`` defaults to the claims' version. If the article is already
        stored under the same version nothing changes (False); under another version its
        claims are replaced. ``input_key`` is marked processed either way.
        """
        return self.add_many([(article, claims, input_key)], extractor_version=extractor_version) == 1

    def add_many(
        self, items: Iterable[tuple[Article, list[Claim], str | None]], extractor_version: str | None = None
    ) -> int:
        """``add`` for a batch, all in one transaction; returns how many articles were written."""
        written = 0
        with self._tx() as con:
            last = con.execute("SELECT ifnull(max(n), 0) FROM claims").fetchone()[0]
            failing = self._any_failing(con)
            for article, claims, input_key in items:
                written += self._add(con, article, claims, input_key, extractor_version)
                self._appear(con, article, failing)
            if written:  # in the same transaction: stored articles always leave the marker
                con.execute(migrations.FTS_INSERT_NEW, (last,))  # the batch's new claims, at once
                con.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_stale', '1')")
        return written

    def corpus_stale(self) -> bool:
        """True when articles were stored (or replaced) after the last complete corpus pass, so
        copy clusters, claim groups and conflicts are out of date -- also after a pass that was
        interrupted or skipped (``claims ingest --no-corpus-pass``)."""
        return self.con.execute("SELECT 1 FROM meta WHERE key = 'corpus_stale'").fetchone() is not None

    def mark_corpus_fresh(self) -> None:
        """Record that a corpus pass covered everything stored (``extraction.corpus.refresh``)."""
        with self._tx() as con:
            con.execute("DELETE FROM meta WHERE key = 'corpus_stale'")

    def _add(
        self, con: sqlite3.Connection, article: Article, claims: list[Claim], input_key: str | None,
        extractor_version: str | None,
    ) -> bool:
        versions = {c.extractor_version for c in claims}
        versions |= {extractor_version} if extractor_version else set()
        if len(versions) > 1:
            raise StoreError(
                f"article {article.id}: claims from several extractor versions {sorted(versions)}",
                path=article.path,
            )
        version = next(iter(versions), None)
        row = con.execute("SELECT extractor_version FROM articles WHERE id = ?", (article.id,)).fetchone()
        status = "added"
        if row is not None and row[0] == version:
            status = "unchanged"
        elif row is not None:
            con.execute("DELETE FROM claims WHERE article_id = ?", (article.id,))
            con.execute(
                f"UPDATE articles SET {', '.join(f'{c} = ?' for c in ARTICLE_COLUMNS[:-1])} WHERE id = ?",
                (*article_fields(article), version, now(), article.id),
            )
            status = "replaced"
            log.info("%s: re-extracted by %s (was %s); claims replaced", article.path, version, row[0])
        else:
            con.execute(
                f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * 10)})",
                (*article_fields(article), version, now(), article.id),
            )
        if status != "unchanged":
            con.executemany(CLAIM_INSERT, [claim_row(article, claim) for claim in claims])
        if input_key is not None:
            self._mark(con, input_key, article.id, status)
        return status != "unchanged"

    def add_appearances(self, articles: Iterable[Article]) -> int:
        """Record where already-stored texts were read again (another file, outlet or URL), in
        one transaction; returns how many appearances are new. Re-reading the same input adds
        nothing. Every text must be stored already (``StoreError`` otherwise)."""
        with self._tx() as con:
            failing = self._any_failing(con)
            try:
                return sum(self._appear(con, article, failing) for article in articles)
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"an appearance of a text that is not stored: {exc}", path=self.path) from exc

    @staticmethod
    def _any_failing(con: sqlite3.Connection) -> bool:
        return con.execute("SELECT 1 FROM failures WHERE resolved_at IS NULL LIMIT 1").fetchone() is not None

    @staticmethod
    def _appear(con: sqlite3.Connection, article: Article, failing: bool) -> int:
        """Record one appearance of a stored text; a text read at a URL or one-article file that
        had another text becomes its current version. Failures of this input are resolved."""
        published = article.published.isoformat() if article.published else None
        cur = con.execute(
            "INSERT OR IGNORE INTO appearances (article_id, location, outlet, input_key, url, title, published,"
            " version_key, current, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            (article.id, article.location, article.outlet or "", article.path, article.url, article.title,
             published, article.version_key, now()))
        if article.version_key is not None:
            con.execute("UPDATE appearances SET current = (article_id = ?) WHERE version_key = ?"
                        " AND current != (article_id = ?)", (article.id, article.version_key, article.id))
        if failing:
            con.execute(
                "UPDATE failures SET resolved_at = ? WHERE resolved_at IS NULL AND ((line IS NULL AND path IN (?, ?))"
                " OR (line IS NOT NULL AND path || ':' || line = ?))",
                (now(), article.path, input_file(article.path), article.path))
        return cur.rowcount

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

    # -- resumable runs, failures ---------------------------------------------------------

    @staticmethod
    def _mark(con: sqlite3.Connection, input_key: str, article_id: str | None, status: str) -> None:
        con.execute(
            "INSERT OR REPLACE INTO processed_inputs (input_key, article_id, status, at) VALUES (?, ?, ?, ?)",
            (input_key, article_id, status, now()),
        )

    def mark_processed(self, input_key: str, article_id: str | None, status: str) -> None:
        """Record that an input (a path, or ``dump.jsonl:LINE``) was handled, e.g. status ``failed``."""
        with self._tx() as con:
            self._mark(con, input_key, article_id, status)

    def is_processed(self, input_key: str) -> bool:
        """True if this input was marked processed (by ``add`` or ``mark_processed``)."""
        sql = "SELECT 1 FROM processed_inputs WHERE input_key = ?"
        return self.con.execute(sql, (input_key,)).fetchone() is not None

    def processed_keys(self) -> set[str]:
        """Every processed input key, so a resumed run can skip them."""
        return {row[0] for row in self.con.execute("SELECT input_key FROM processed_inputs")}

    def record_failure(self, failure: Failure, run_id: int | None = None) -> None:
        """Store an input that could not be processed. An input that failed before in the same
        way (a resumed or repeated run) keeps its one row: the count goes up, and the row takes
        this run's message, time and id."""
        with self._tx() as con:
            con.execute(
                "INSERT INTO failures (path, line, stage, reason, message, at, run_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(path, ifnull(line, -1), stage, reason) DO UPDATE SET message = excluded.message,"
                " at = excluded.at, run_id = excluded.run_id, times = times + 1, resolved_at = NULL",
                (failure.path, failure.line, failure.stage, failure.reason, failure.message, now(), run_id),
            )

    def failure_counts(self) -> dict[tuple[str, int | None, str, str], int]:
        """(path, line, stage, reason) -> how many runs met that failure."""
        rows = self.con.execute("SELECT path, line, stage, reason, times FROM failures")
        return {(p, ln, s, r): n for p, ln, s, r, n in rows}

    def failures(self, run_id: int | None = None, resolved: bool = False) -> list[Failure]:
        """Inputs still failing, in the order they failed, optionally of one run only; with
        ``resolved``, also those that a later run read fine (the history)."""
        where = [] if resolved else ["resolved_at IS NULL"]
        params: tuple[Any, ...] = ()
        if run_id is not None:
            where.append("run_id = ?")
            params = (run_id,)
        sql = "SELECT path, line, stage, reason, message FROM failures"
        rows = self.con.execute(sql + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id", params)
        return [Failure(path=p, line=ln, stage=s, reason=r, message=m) for p, ln, s, r, m in rows]

    def resolved_failures(self) -> set[tuple[str, int | None, str, str]]:
        """(path, line, stage, reason) of the failures a later run read fine."""
        rows = self.con.execute("SELECT path, line, stage, reason FROM failures WHERE resolved_at IS NOT NULL")
        return {(p, ln, s, r) for p, ln, s, r in rows}

    def start_run(self, args: dict[str, Any]) -> int:
        """Record the start of a run with its arguments (as JSON); returns the run id."""
        with self._tx() as con:
            cur = con.execute("INSERT INTO runs (started, args) VALUES (?, ?)",
                              (now(), json.dumps(args, default=str, sort_keys=True)))
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, articles: int, claims: int, failures: int) -> None:
        """Record the end of a run and its counts."""
        with self._tx() as con:
            cur = con.execute(
                "UPDATE runs SET finished = ?, articles = ?, claims = ?, failures = ? WHERE id = ?",
                (now(), articles, claims, failures, run_id),
            )
            if cur.rowcount != 1:
                raise StoreError(f"no run with id {run_id}", path=self.path)

    def runs(self) -> list[dict[str, Any]]:
        """Every run as a dict (id, started, finished, args, articles, claims, failures)."""
        names = ("id", "started", "finished", "args", "articles", "claims", "failures")
        cur = self.con.execute(f"SELECT {', '.join(names)} FROM runs ORDER BY id")
        return [{**dict(zip(names, row, strict=True)), "args": json.loads(row[3])} for row in cur]

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

    # -- clusters, groups and conflicts (computed elsewhere, kept here) -----------------------

    def set_clusters(self, rows: Iterable[tuple[str, str | None, str | None, float | None]],
                     clear: bool = False) -> int:
        """Set (article_id, cluster_id, canonical_id, similarity); ``clear`` first resets every article.

        Returns how many articles were updated; unknown ids are ignored.
        """
        with self._tx() as con:
            if clear:  # only the rows that have one: an article row holds its whole text
                con.execute("UPDATE articles SET cluster_id = NULL, canonical_id = NULL, similarity = NULL "
                            "WHERE cluster_id IS NOT NULL OR canonical_id IS NOT NULL OR similarity IS NOT NULL")
            return sum(con.execute(
                "UPDATE articles SET cluster_id = ?, canonical_id = ?, similarity = ? WHERE id = ?",
                (cluster, canonical, sim, aid)).rowcount for aid, cluster, canonical, sim in rows)

    def set_groups(self, rows: Iterable[tuple[str, str | None]], clear: bool = False) -> int:
        """Set (claim_id, group_id); ``clear`` first removes every claim's group. Returns claims updated."""
        with self._tx() as con:
            if clear:
                con.execute("UPDATE claims SET group_id = NULL")
            return sum(con.execute("UPDATE claims SET group_id = ? WHERE id = ?", (gid, cid)).rowcount
                       for cid, gid in rows)

    def dedup_stream(self) -> Iterator[tuple[str, str, date | None]]:
        """(id, text, published) of every article in canonical order: earliest published first,
        undated last, longest first among equals. Read through a second, read-only connection,
        so the caller may write cluster assignments while it streams."""
        reader = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            cur = reader.execute("SELECT id, text, published FROM articles "
                                 "ORDER BY published IS NULL, published, n_chars DESC, id")
            while rows := cur.fetchmany(_FETCH):
                for aid, text, published in rows:
                    yield aid, text or "", date.fromisoformat(published) if published else None
        finally:
            reader.close()

    def claim_partitions(self, slice_claims: int) -> Iterator[tuple[list[Claim], dict[str, str]]]:
        """The claims in slices that can be grouped apart, each with the copy cluster of its
        articles: by kind and unit, and within those by publication date (undated first), a
        slice closing once it holds ``slice_claims`` claims and the date changes. Memory holds
        one slice, never the whole store."""
        keys = self.con.execute("SELECT DISTINCT kind, unit FROM claims ORDER BY kind, unit").fetchall()
        for kind, unit in keys:
            sql = (f"SELECT {CLAIM_COLUMNS}, a.cluster_id, a.id, c.published FROM {CLAIM_FROM} "
                   "WHERE c.kind = ? AND c.unit = ? ORDER BY c.published IS NOT NULL, c.published, c.id")
            cur = self.con.execute(sql, (kind, unit))
            batch: list[Claim] = []
            clusters: dict[str, str] = {}
            last: str | None = None
            while rows := cur.fetchmany(_FETCH):
                for row in rows:
                    if len(batch) >= slice_claims and row[-1] != last:
                        yield batch, clusters
                        batch, clusters = [], {}
                    last = row[-1]
                    batch.append(claim_from_row(row[:-3]))
                    if row[-3]:
                        clusters[row[-2]] = row[-3]
            if batch:
                yield batch, clusters

    def clear_groups(self) -> None:
        """Forget every claim group and conflict (before they are recomputed slice by slice).

        The claims keep their group ids until ``add_groups`` overwrites them: a pass gives every
        claim a group, and rewriting each claim row (with its JSON) to NULL first doubled the
        pass's writes. A claim whose group is gone reads as ungrouped (``claim_from_row``)."""
        with self._tx() as con:
            con.execute("DELETE FROM claim_groups")
            con.execute("DELETE FROM conflicts")

    def add_groups(self, groups_json: list[dict[str, Any]], conflicts_json: list[dict[str, Any]]) -> None:
        """Store claim groups (setting each member claim's group) and conflicts, in one transaction."""
        rows = []
        for group in groups_json:
            ref = GroupRef.model_validate({k: group.get(k) for k in GroupRef.model_fields})
            rows.append((ref.id, ref.mentions, ref.independent_sources, json.dumps(group, default=str)))
        with self._tx() as con:
            con.executemany("INSERT OR REPLACE INTO claim_groups VALUES (?, ?, ?, ?)", rows)
            # a claim whose group has not changed since the last pass is not rewritten
            con.executemany("UPDATE claims SET group_id = ? WHERE id = ? AND group_id IS NOT ?",
                            [(g["id"], cid, g["id"]) for g in groups_json for cid in g.get("claim_ids", [])])
            con.executemany("INSERT OR REPLACE INTO conflicts VALUES (?, ?)",
                            [(c["id"], json.dumps(c, default=str)) for c in conflicts_json])

    def replace_groups(self, groups_json: list[dict[str, Any]]) -> None:
        """Replace every stored claim group; each needs ``id``, ``mentions`` and ``independent_sources``."""
        rows = []
        for group in groups_json:
            try:
                ref = GroupRef.model_validate({k: group.get(k) for k in GroupRef.model_fields})
            except ValueError as exc:
                raise StoreError(f"group {group.get('id')!r} lacks a valid id/mentions/independent_sources: "
                                 f"{exc}", path=self.path) from exc
            rows.append((ref.id, ref.mentions, ref.independent_sources, json.dumps(group, default=str)))
        with self._tx() as con:
            con.execute("DELETE FROM claim_groups")
            con.executemany("INSERT INTO claim_groups VALUES (?, ?, ?, ?)", rows)

    def replace_conflicts(self, conflicts_json: list[dict[str, Any]]) -> None:
        """Replace every stored conflict; each needs an ``id``."""
        if missing := [c for c in conflicts_json if not isinstance(c.get("id"), str)]:
            raise StoreError(f"conflict without a string id: {json.dumps(missing[0], default=str)[:200]}",
                             path=self.path)
        with self._tx() as con:
            con.execute("DELETE FROM conflicts")
            con.executemany("INSERT INTO conflicts VALUES (?, ?)",
                            [(c["id"], json.dumps(c, default=str)) for c in conflicts_json])

    def groups(self) -> list[dict[str, Any]]:
        """The stored claim groups as given to ``replace_groups`` (dates come back as strings)."""
        rows = self.con.execute("SELECT json FROM claim_groups ORDER BY rowid")
        return [json.loads(row[0]) for row in rows]

    def conflicts(self) -> list[dict[str, Any]]:
        """The stored conflicts as given to ``replace_conflicts``."""
        return [json.loads(row[0]) for row in self.con.execute("SELECT json FROM conflicts ORDER BY rowid")]
