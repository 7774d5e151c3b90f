"""The persistent indexes of the incremental corpus pass, kept in the claim store (schema 5).

``ClaimStore`` inherits these methods; ``extraction.corpus.refresh`` and ``extraction.corpus.index``
drive them. What is kept (``models/migrations.py``, ``_V5_CORPUS_INDEX``):

* copies: sampled shingle postings ``(key, cluster)``, exact-text hashes and each cluster's
  canonical, rank, sampled-shingle count and centres, so a new article is matched by a few
  indexed look-ups instead of a pass over every stored text;
* claim groups: each group's block, place and actor keys, value interval, founder and size,
  posted under its log-scale value buckets; conflicts by conflict block;
* ``meta`` counters saying how far each index has got (the article rowid, claim ``n`` and
  appearance id taken so far), written in the same transaction as the rows they cover;
* ``corpus_dirty``: the articles, groups and conflict blocks a pass has yet to redo.

Every write here is one transaction, so a pass stopped at any point (``kill -9``) leaves the
indexes consistent with their counters, and the next pass goes on from there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from models.groups import DupMatch
from models.store_sql import StorePart

_FETCH = 500
_CHUNK = 500  # bound parameters per IN (...) list
#: meta keys of the corpus pass
META_KEYS = ("corpus_articles", "corpus_claims", "corpus_claim_count", "corpus_appearances",
             "corpus_arrivals", "corpus_next_cluster", "corpus_params")


def signed(key: int) -> int:
    """An unsigned 64-bit hash as SQLite's signed INTEGER."""
    return key - (1 << 64) if key >= 1 << 63 else key


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def cluster_ops(doc_id: str, match: DupMatch) -> list[tuple[str, tuple[Any, ...]]]:
    """The article-row updates (SQL, params) a ``DupMatch`` makes, in order: the founder joins its
    cluster when its first copy arrives; a new canonical takes over the cluster (the old one keeps
    its match score as similarity); the copy records its cluster, canonical and similarity. Both
    articles are marked dirty, so the groups of their claims are counted again."""
    cid, canonical, sim = match.cluster_id, match.canonical_id, match.similarity
    founder = cid[len("dup:"):]
    ops: list[tuple[str, tuple[Any, ...]]] = [
        ("UPDATE articles SET cluster_id = ?, canonical_id = ?, similarity = 1.0 WHERE id = ? "
         "AND cluster_id IS NULL", (cid, founder, founder))]
    if canonical == doc_id:
        ops += [("UPDATE articles SET similarity = ? WHERE cluster_id = ? AND id = canonical_id", (sim, cid)),
                ("UPDATE articles SET canonical_id = ? WHERE cluster_id = ?", (doc_id, cid)),
                ("UPDATE articles SET cluster_id = ?, canonical_id = ?, similarity = 1.0 WHERE id = ?",
                 (cid, doc_id, doc_id))]
    else:
        ops.append(("UPDATE articles SET cluster_id = ?, canonical_id = ?, similarity = ? WHERE id = ?",
                    (cid, canonical, sim, doc_id)))
    ops += [("INSERT OR IGNORE INTO corpus_dirty VALUES ('article', ?)", (a,)) for a in {doc_id, founder}]
    return ops


class CorpusIndex(StorePart):
    """Methods of ``ClaimStore`` for the corpus pass's indexes (mixed in; needs ``con`` and ``_tx``)."""

    # -- progress counters --------------------------------------------------------------

    def corpus_meta(self) -> dict[str, str]:
        """The corpus pass's counters and settings fingerprint (``META_KEYS``) as stored."""
        marks = ", ".join("?" * len(META_KEYS))
        return dict(self.con.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", META_KEYS).fetchall())

    @staticmethod
    def _set_meta(con: sqlite3.Connection, values: dict[str, Any]) -> None:
        con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])

    def corpus_reset(self, params: str) -> None:
        """Forget every cluster, group, conflict and index row: the next pass rebuilds them all
        (``claims refresh --full``). ``params`` fingerprints the settings the indexes are built with."""
        with self._tx() as con:
            con.execute("UPDATE articles SET cluster_id = NULL, canonical_id = NULL, similarity = NULL "
                        "WHERE cluster_id IS NOT NULL OR canonical_id IS NOT NULL OR similarity IS NOT NULL")
            for table in ("dedup_postings", "dedup_exact", "dedup_clusters", "group_index", "group_buckets",
                          "conflict_blocks", "corpus_dirty", "claim_groups", "conflicts"):
                con.execute(f"DELETE FROM {table}")
            con.execute(f"DELETE FROM meta WHERE key IN ({', '.join('?' * len(META_KEYS))})", META_KEYS)
            self._set_meta(con, {"corpus_articles": 0, "corpus_claims": 0, "corpus_claim_count": 0,
                                 "corpus_appearances": 0, "corpus_arrivals": 0, "corpus_next_cluster": 0,
                                 "corpus_params": params})
            con.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_stale', '1')")

    def claims_up_to(self, n: int) -> int:
        """How many claims are stored with ``n`` at most ``n`` (fewer than were grouped: some were
        replaced, and the groups must be rebuilt)."""
        return int(self.con.execute("SELECT count(*) FROM claims WHERE n <= ?", (n,)).fetchone()[0])

    def note_new_appearances(self, after: int) -> int:
        """Mark dirty the texts read again (appearance id above ``after``); returns the last id."""
        with self._tx() as con:
            last = int(con.execute("SELECT ifnull(max(id), 0) FROM appearances").fetchone()[0])
            if last > after:
                con.execute("INSERT OR IGNORE INTO corpus_dirty SELECT DISTINCT 'article', article_id "
                            "FROM appearances WHERE id > ? AND id <= ?", (after, last))
                self._set_meta(con, {"corpus_appearances": last})
            return last

    # -- copies ---------------------------------------------------------------------------

    def articles_after(self, rowid: int) -> Iterator[tuple[int, str, str, date | None]]:
        """(rowid, id, text, published) of the articles stored after ``rowid``, in storing order,
        read through a second connection so the caller may write while it streams."""
        reader = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) if str(self.path) != ":memory:" else None
        con = reader or self.con
        try:
            cur = con.execute("SELECT rowid, id, text, published FROM articles WHERE rowid > ? ORDER BY rowid",
                              (rowid,))
            while rows := cur.fetchmany(_FETCH):
                for rid, aid, text, published in rows:
                    yield rid, aid, text or "", date.fromisoformat(published) if published else None
        finally:
            if reader is not None:
                reader.close()

    def count_articles_after(self, rowid: int) -> int:
        return int(self.con.execute("SELECT count(*) FROM articles WHERE rowid > ?", (rowid,)).fetchone()[0])

    def posting_counts(self, keys: Sequence[int]) -> dict[int, int]:
        """{shingle key: clusters posted under it (at most ``max_postings + 1`` are kept)} for the
        keys that have postings."""
        out: dict[int, int] = {}
        for part in _chunks(list(keys)):
            out.update(self.con.execute(f"SELECT key, count(*) FROM dedup_postings WHERE key IN "
                                        f"({', '.join('?' * len(part))}) GROUP BY key", part).fetchall())
        return out

    def postings(self, keys: Sequence[int]) -> list[tuple[int, int]]:
        """(key, cluster) postings of ``keys``."""
        out: list[tuple[int, int]] = []
        for part in _chunks(list(keys)):
            out += self.con.execute(f"SELECT key, cluster FROM dedup_postings WHERE key IN "
                                    f"({', '.join('?' * len(part))})", part).fetchall()
        return out

    def exact_cluster(self, key: int) -> int | None:
        row = self.con.execute("SELECT cluster FROM dedup_exact WHERE key = ?", (signed(key),)).fetchone()
        return None if row is None else int(row[0])

    def dedup_clusters(self, numbers: Iterable[int]) -> dict[int, tuple[str, str, tuple, int, list[str]]]:
        """{number: (cluster id, canonical id, rank, sampled shingles, centre article ids)}."""
        out = {}
        for part in _chunks(list(numbers)):
            rows = self.con.execute("SELECT number, id, canonical_id, rank, sampled, centres FROM dedup_clusters"
                                    f" WHERE number IN ({', '.join('?' * len(part))})", part)
            for number, cid, canonical, rank, sampled, centres in rows:
                out[number] = (cid, canonical, tuple(json.loads(rank)), sampled, json.loads(centres))
        return out

    def article_texts(self, ids: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in _chunks(list(ids)):
            out.update(self.con.execute(f"SELECT id, text FROM articles WHERE id IN ({', '.join('?' * len(part))})",
                                        part).fetchall())
        return out

    def dedup_flush(self, postings: Iterable[tuple[int, int]], exact: Iterable[tuple[int, int]],
                    clusters: Iterable[tuple[int, str, str, tuple, int, list[str]]],
                    ops: Iterable[tuple[str, tuple]], meta: dict[str, Any], max_postings: int = 64) -> None:
        """Write what the copy index learnt from a run of articles, and the cluster rows of their
        articles (``ops``: ``(sql, params)`` in order), with the counters, in one transaction.
        A shingle key keeps at most ``max_postings + 1`` postings."""
        with self._tx() as con:
            # a key posted under more than ``max_postings`` clusters is skipped by every look-up
            # (boilerplate), so one posting more than that is kept: counts stay cheap at any size
            con.executemany("INSERT OR IGNORE INTO dedup_postings SELECT ?, ? WHERE (SELECT count(*) FROM "
                            "(SELECT 1 FROM dedup_postings WHERE key = ? LIMIT ?)) <= ?",
                            [(k, c, k, max_postings + 1, max_postings) for k, c in postings])
            con.executemany("INSERT OR REPLACE INTO dedup_exact VALUES (?, ?)",
                            [(signed(k), n) for k, n in exact])
            con.executemany("INSERT OR REPLACE INTO dedup_clusters VALUES (?, ?, ?, ?, ?, ?)",
                            [(n, cid, can, json.dumps(list(rank)), sampled, json.dumps(centres))
                             for n, cid, can, rank, sampled, centres in clusters])
            for sql, params in ops:
                con.execute(sql, params)
            self._set_meta(con, meta)

    # -- claim groups -------------------------------------------------------------------

    def claims_after(self, n: int, kind: str | None = None, unit: str | None = None
                     ) -> Iterator[tuple[int, str]]:
        """(n, claim JSON) of the claims stored after ``n``, in storing order; of one kind and unit if given."""
        where = "n > ?"
        params: list[Any] = [n]
        if kind is not None:
            where += " AND kind = ? AND unit = ?"
            params += [kind, unit]
        cur = self.con.execute(f"SELECT n, json FROM claims WHERE {where} ORDER BY n", params)
        while rows := cur.fetchmany(_FETCH):
            yield from rows

    def kind_units_after(self, n: int) -> list[tuple[str, str]]:
        return self.con.execute("SELECT DISTINCT kind, unit FROM claims WHERE n > ? ORDER BY 1, 2", (n,)).fetchall()

    def indexed_groups(self, block: str, buckets: tuple[int, int] | None, wide: bool
                       ) -> list[tuple[str, str | None, str | None, float, float, int, int, int]]:
        """(id, place, actor, lo, hi, founder, members, bucket) of the groups of a block posted under
        the buckets ``buckets`` (first, last), and under the wide bucket if ``wide``; every group
        of the block if ``buckets`` is None."""
        sql = ("SELECT g.id, g.place, g.actor, g.lo, g.hi, g.founder, g.members, b.bucket FROM group_buckets b "
               "JOIN group_index g ON g.id = b.group_id WHERE b.block = ?")
        if buckets is None:
            return self.con.execute(sql, (block,)).fetchall()
        rows = self.con.execute(sql + " AND b.bucket BETWEEN ? AND ?", (block, *buckets)).fetchall()
        if wide:
            rows += self.con.execute(sql + " AND b.bucket = ?", (block, WIDE_BUCKET)).fetchall()
        return rows

    def groups_flush(self, groups: Iterable[tuple], buckets: Iterable[tuple[str, int, str]],
                     assignments: Iterable[tuple[str, int]], meta: dict[str, Any]) -> None:
        """Write changed groups (``(id, block, place, actor, lo, hi, founder, members)``), new bucket
        postings, the claims' groups (``(group id, n)``) and the counters, in one transaction;
        the changed groups are marked for export."""
        groups = list(groups)
        with self._tx() as con:
            con.executemany("INSERT INTO group_index (id, block, place, actor, lo, hi, founder, members) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET lo = excluded.lo, "
                            "hi = excluded.hi, members = excluded.members", groups)
            con.executemany("INSERT OR IGNORE INTO group_buckets VALUES (?, ?, ?)", buckets)
            con.executemany("UPDATE claims SET group_id = ? WHERE n = ? AND group_id IS NOT ?",
                            [(gid, n, gid) for gid, n in assignments])
            con.executemany("INSERT OR IGNORE INTO corpus_dirty VALUES ('group', ?)", [(g[0],) for g in groups])
            self._set_meta(con, meta)

    def dirty_articles_to_groups(self) -> None:
        """The groups of the claims of dirty articles (new copies, texts read again) become dirty."""
        with self._tx() as con:
            con.execute("INSERT OR IGNORE INTO corpus_dirty SELECT DISTINCT 'group', c.group_id FROM claims c "
                        "WHERE c.article_id IN (SELECT key FROM corpus_dirty WHERE what = 'article') "
                        "AND c.group_id IS NOT NULL")
            con.execute("DELETE FROM corpus_dirty WHERE what = 'article'")

    def dirty(self, what: str, limit: int) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT key FROM corpus_dirty WHERE what = ? ORDER BY key LIMIT ?",
                                               (what, limit))]

    def count_dirty(self, what: str) -> int:
        return int(self.con.execute("SELECT count(*) FROM corpus_dirty WHERE what = ?", (what,)).fetchone()[0])

    def group_rows(self, ids: Sequence[str]) -> dict[str, tuple[str, float, float, int]]:
        """{group id: (block, lo, hi, members)} from the group index."""
        out = {}
        for part in _chunks(list(ids)):
            rows = self.con.execute(f"SELECT id, block, lo, hi, members FROM group_index WHERE id IN "
                                    f"({', '.join('?' * len(part))})", part)
            out.update({gid: (block, lo, hi, members) for gid, block, lo, hi, members in rows})
        return out

    def group_member_rows(self, ids: Sequence[str]) -> Iterator[tuple[str, str, str, str | None]]:
        """(group id, claim JSON, article id, article's cluster id) of the members of groups ``ids``."""
        for part in _chunks(list(ids)):
            yield from self.con.execute(
                "SELECT c.group_id, c.json, c.article_id, a.cluster_id FROM claims c JOIN articles a "
                f"ON a.id = c.article_id WHERE c.group_id IN ({', '.join('?' * len(part))})", part)

    def groups_export(self, groups_json: list[dict[str, Any]], cblocks: dict[str, str | None],
                      done: Sequence[str], relink: set[str] | None = None) -> None:
        """Store exported groups and their conflict blocks, mark the old and new blocks of the
        groups ``relink`` (None: of all) dirty, and drop ``done`` from the dirty groups, in one
        transaction."""
        rows = [(g["id"], g["mentions"], g["independent_sources"], json.dumps(g, default=str)) for g in groups_json]
        marked = [g for g in cblocks if relink is None or g in relink]
        with self._tx() as con:
            old = []
            for part in _chunks(marked):
                old += con.execute(f"SELECT cblock FROM group_index WHERE cblock IS NOT NULL AND id IN "
                                   f"({', '.join('?' * len(part))})", part).fetchall()
            con.executemany("INSERT OR REPLACE INTO claim_groups VALUES (?, ?, ?, ?)", rows)
            con.executemany("UPDATE group_index SET cblock = ? WHERE id = ?", [(b, g) for g, b in cblocks.items()])
            con.executemany("INSERT OR IGNORE INTO corpus_dirty VALUES ('cblock', ?)",
                            {(cblocks[g],) for g in marked if cblocks[g] is not None} | set(old))
            con.executemany("DELETE FROM corpus_dirty WHERE what = 'group' AND key = ?", [(g,) for g in done])

    def group_json(self, ids: Sequence[str]) -> dict[str, str]:
        """{group id: stored JSON} of the groups ``ids`` that are stored."""
        out: dict[str, str] = {}
        for part in _chunks(list(ids)):
            out.update(self.con.execute(f"SELECT id, json FROM claim_groups WHERE id IN "
                                        f"({', '.join('?' * len(part))})", part).fetchall())
        return out

    def shares_block_article(self, gid: str, cblock: str, articles: Iterable[str]) -> bool:
        """Whether a group of conflict block ``cblock`` other than ``gid`` holds a claim of one of
        ``articles``."""
        for part in _chunks(list(articles)):
            if self.con.execute(
                    "SELECT 1 FROM claims c JOIN group_index g ON g.id = c.group_id WHERE c.group_id != ? AND "
                    f"g.cblock = ? AND c.article_id IN ({', '.join('?' * len(part))}) LIMIT 1",
                    (gid, cblock, *part)).fetchone():
                return True
        return False

    def cblock_groups(self, cblock: str) -> Iterator[str]:
        """The stored JSON of every group of a conflict block, by group id, read a page at a time."""
        cur = self.con.execute(
            "SELECT cg.json FROM group_index g JOIN claim_groups cg ON cg.id = g.id WHERE g.cblock = ? ORDER BY g.id",
            (cblock,))
        while rows := cur.fetchmany(_FETCH):
            for (data,) in rows:
                yield data

    def group_articles(self, gid: str) -> list[str]:
        """The article ids of a stored group."""
        row = self.con.execute("SELECT json FROM claim_groups WHERE id = ?", (gid,)).fetchone()
        return [] if row is None else list(json.loads(row[0]).get("article_ids", []))

    def group_member_articles(self, ids: Sequence[str]) -> set[str]:
        """The distinct article ids of the members of groups ``ids``."""
        out: set[str] = set()
        for part in _chunks(list(ids)):
            out.update(r[0] for r in self.con.execute(
                f"SELECT DISTINCT article_id FROM claims WHERE group_id IN ({', '.join('?' * len(part))})", part))
        return out

    def cblock_conflict_ids(self, cblock: str) -> set[str]:
        """The ids of the stored conflicts of one conflict block."""
        return {r[0] for r in self.con.execute("SELECT id FROM conflict_blocks WHERE cblock = ?", (cblock,))}

    def conflicts_write(self, cblock: str, changed_json: list[dict[str, Any]]) -> None:
        """Write new or changed conflicts of one conflict block (the block stays dirty until
        ``conflicts_done``), in one transaction."""
        with self._tx() as con:
            self._write_conflicts(con, cblock, changed_json)

    def conflicts_done(self, cblock: str, ids: set[str], changed_json: list[dict[str, Any]]) -> None:
        """Make the conflicts of one conflict block ``ids``: write the last ``changed_json``, drop
        the others, and drop the block from the dirty ones, in one transaction."""
        with self._tx() as con:
            self._write_conflicts(con, cblock, changed_json)
            gone = [(i,) for i in self.cblock_conflict_ids(cblock) - ids]
            con.executemany("DELETE FROM conflicts WHERE id = ?", gone)
            con.executemany("DELETE FROM conflict_blocks WHERE id = ?", gone)
            con.execute("DELETE FROM corpus_dirty WHERE what = 'cblock' AND key = ?", (cblock,))

    @staticmethod
    def _write_conflicts(con: sqlite3.Connection, cblock: str, changed_json: list[dict[str, Any]]) -> None:
        con.executemany("INSERT OR REPLACE INTO conflicts VALUES (?, ?)",
                        [(c["id"], json.dumps(c, default=str)) for c in changed_json])
        con.executemany("INSERT OR REPLACE INTO conflict_blocks VALUES (?, ?)",
                        [(c["id"], cblock) for c in changed_json])

    def corpus_counts(self) -> dict[str, int]:
        """articles, clusters (with copies), copies, groups, multi-mention groups and conflicts stored."""
        con = self.con

        def one(sql: str) -> int:
            return int(con.execute(sql).fetchone()[0])

        clustered = one("SELECT count(*) FROM articles WHERE cluster_id IS NOT NULL")
        clusters = one("SELECT count(DISTINCT cluster_id) FROM articles WHERE cluster_id IS NOT NULL")
        return {"articles": one("SELECT count(*) FROM articles"), "clusters": clusters,
                "copies": clustered - clusters, "groups": one("SELECT count(*) FROM claim_groups"),
                "multi_mention_groups": one("SELECT count(*) FROM claim_groups WHERE mentions > 1"),
                "conflicts": one("SELECT count(*) FROM conflicts")}


#: the bucket a group too wide for value buckets is posted under
WIDE_BUCKET = -(1 << 62)
