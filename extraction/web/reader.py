"""Read-only access to a claim store for the served pages.

The store is opened read-only (``mode=ro`` and ``query_only``): the server can never write
to it. The reads themselves are typed methods of ``ClaimStore`` (``models/store_pages.py``);
this wrapper names them for the pages. One ``StoreReader`` per request (SQLite connections
are cheap, and a request runs on a worker thread).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models import Claim
from models.errors import StoreError
from models.query import ClaimFilter
from models.store import ClaimStore


class StoreReader:
    """Typed reads over an existing store, opened read-only; a context manager."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError("no claim store here (run 'claims ingest' first)", path=self.path)
        # the store's own read-only opening: mode=ro (immutable where the folder cannot be
        # written), query_only, a file of another program or an older schema refused with one line
        self._store = ClaimStore(self.path, readonly=True)

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._store.close()

    def overview(self) -> dict[str, Any]:
        """What the store holds (``ClaimStore.overview``)."""
        return self._store.overview()

    def corpus_current(self) -> bool:
        """False when articles were stored after the last complete corpus pass (copies, claim
        groups and conflicts then miss them: ``claims refresh``)."""
        return not self._store.corpus_stale()

    def claims(self, flt: ClaimFilter) -> list[Claim]:
        """The claims ``flt`` admits (with its limit and offset), in the store's order."""
        return self._store.claims_page(flt)

    def word_in_corpus(self, word: str) -> bool:
        """True when some claim's indexed text holds the word (so it is no misspelling)."""
        return self._store.word_in_corpus(word)

    def claims_by_id(self, ids: list[str]) -> dict[str, Claim]:
        """The claims with these ids (unknown ids are left out)."""
        return self._store.claims_by_id(ids)

    def claim(self, claim_id: str) -> Claim | None:
        return self._store.claims_by_id([claim_id]).get(claim_id)

    def article_claims(self, article_id: str) -> list[Claim]:
        return self._store.article_claims(article_id)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The article's stored row (text included) as a dict, or None."""
        return self._store.article_row(article_id)

    def appearances(self, doc_id: str) -> list[dict[str, Any]]:
        """Every place the article's text was printed or read, first seen first: path, url,
        outlet, title, published, current, ingested_at.

        The same story printed by three outlets is one text with three appearances.
        """
        return [a.model_dump(mode="json") for a in self._store.appearances(doc_id)]

    def groups(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Stored claim groups by id (their JSON as written by the corpus pass)."""
        return self._store.groups_by_id(ids)

    def conflicts(self, group_ids: set[str] | None = None) -> list[dict[str, Any]]:
        """Stored conflicts; with ``group_ids``, only those touching one of these groups."""
        if group_ids is None:
            return self._store.conflicts()
        return self._store.conflicts_touching(group_ids)

    def titles(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Article id -> path, title, outlet, published, url (no text)."""
        return self._store.titles(article_ids)
