"""The default claim store: one SQLite file with a versioned schema, indexes and full-text search.

Usage::

    with ClaimStore(tmp / "claims.db") as store:
        store.add(article, claims, input_key=article.path)
        hits = list(store.query(ClaimFilter(place="kursk", kinds=["territory"])))

Every write runs in one transaction, so a failure leaves nothing half-written, and every
write is safe to repeat: re-adding an article already stored by the same extractor
version changes nothing. The schema lives in ``models/migrations.py``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models import migrations
from models.article import input_file, version_key_of
from models.corpus_index import CorpusIndex
from models.errors import StoreError
from models.store_groups import StoreGroups
from models.store_pages import StorePages
from models.store_reads import StoreReads
from models.store_sql import ArticleRow, casefold
from models.store_writes import StoreWrites
from models.views import create_views

__all__ = ["ArticleRow", "ClaimStore"]

log = logging.getLogger(__name__)


class ClaimStore(StoreWrites, StoreReads, StoreGroups, StorePages, CorpusIndex):
    """Claims, articles, failures and runs in one SQLite file (WAL, foreign keys on).

    The methods live by concern in ``store_writes`` (articles, claims, runs, failures),
    ``store_reads`` (claims by filter, articles, counts), ``store_groups`` (clusters, groups,
    conflicts), ``store_pages`` (what the served pages read) and ``corpus_index`` (the
    incremental corpus pass's indexes).

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
                con.execute("PRAGMA query_only = ON")  # a reader can never write, whatever it runs
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

