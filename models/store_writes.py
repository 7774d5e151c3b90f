"""Writes of ``ClaimStore``: articles with their claims, appearances, processed inputs, runs and
failures (mixed into ``models/store.py``). Every write is one transaction and safe to repeat."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from typing import Any

from models import migrations
from models.article import Article, Failure, input_file
from models.claim import Claim
from models.errors import StoreError
from models.store_sql import ARTICLE_COLUMNS, CLAIM_INSERT, StorePart, article_fields, claim_row, now

log = logging.getLogger("models.store")


class StoreWrites(StorePart):
    """Storing articles, claims and appearances; resumable runs and their failures."""

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

