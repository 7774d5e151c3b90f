"""Copy clusters, claim groups and conflicts in ``ClaimStore`` (mixed into ``models/store.py``):
computed by ``extraction.corpus``, kept and read back here."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from models.claim import Claim, GroupRef
from models.errors import StoreError
from models.groups import ClaimGroup, Conflict
from models.store_sql import CLAIM_COLUMNS, CLAIM_FROM, StorePart, claim_from_row

_FETCH = 500


class StoreGroups(StorePart):
    """Writing and reading the corpus pass's results: clusters, groups, conflicts."""

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

    def pass_state(self) -> dict[str, list]:
        """Everything the corpus pass writes, in canonical (sorted) form, to compare two stores:
        copy clusters, each claim's group, groups and conflicts. Ids are deterministic, so they
        are compared as they are."""
        clusters = self.con.execute("SELECT id, cluster_id, canonical_id, round(similarity, 4) FROM articles "
                                    "WHERE cluster_id IS NOT NULL").fetchall()
        return {"clusters": sorted(clusters),
                "claim_groups": sorted(self.con.execute("SELECT id, group_id FROM claims").fetchall()),
                "groups": sorted(json.dumps(g, sort_keys=True) for g in self.groups()),
                "conflicts": sorted(json.dumps(c, sort_keys=True) for c in self.conflicts())}

    def claim_groups(self) -> dict[str, ClaimGroup]:
        """The stored claim groups as models, by id, in stored order."""
        return {g["id"]: ClaimGroup.model_validate(g) for g in self.groups()}

    def conflict_list(self) -> list[Conflict]:
        """The stored conflicts as models, in stored order."""
        return [Conflict.model_validate(c) for c in self.conflicts()]
