"""Corpus-level passes over the store: copy clusters, claim groups and conflicts.

Run after extraction (``claims ingest`` does it at the end of every run). Each pass reads
the store, computes with the pure functions of ``extraction.dedup`` and
``extraction.grouping``, and writes its results back in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from extraction.dedup import NearDupIndex
from extraction.grouping import find_conflicts, group_claims
from extraction.settings import Settings, get_settings
from models.groups import ClaimGroup, Conflict
from models.store import ClaimStore

log = logging.getLogger(__name__)


@dataclass
class CorpusSummary:
    """What a refresh found."""

    articles: int = 0
    clusters: int = 0
    copies: int = 0
    groups: int = 0
    multi_mention_groups: int = 0
    conflicts: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


#: (phase, done, total): "copies" counts articles, "groups" claims
Progress = Callable[[str, int, int], None]


def refresh(store: ClaimStore, settings: Settings | None = None, progress: Progress | None = None) -> CorpusSummary:
    """Recompute copy clusters, claim groups and conflicts for everything in the store.

    Streams: articles go through the near-duplicate index one at a time (in canonical order,
    through a second connection) and claims are grouped slice by slice (kind and unit, then
    date-ordered slices of ``group_slice_claims``), so memory holds the index and one slice, not the
    store. ``progress`` is told how far each phase is."""
    settings = settings or get_settings()
    summary = CorpusSummary()
    summary.articles, summary.clusters, summary.copies = find_duplicates(store, settings, progress)
    summary.groups, summary.multi_mention_groups, summary.conflicts = group_store_claims(store, settings, progress)
    store.mark_corpus_fresh()  # only now: a pass stopped half-way leaves the store marked stale
    log.info("corpus refresh: %s", summary.as_dict())
    return summary


def find_duplicates(store: ClaimStore, settings: Settings, progress: Progress | None = None) -> tuple[int, int, int]:
    """Cluster the stored articles into copies and record each copy's cluster, canonical and
    similarity. Returns (articles, clusters with copies, copies)."""
    total = store.count_articles() if progress is not None else 0
    index = NearDupIndex(settings, keep_members=False)
    store.set_clusters([], clear=True)
    rows: list[tuple[str, str, str, float]] = []
    canonicals: set[str] = set()
    articles = copies = 0
    for article_id, text, published in store.dedup_stream():
        articles += 1
        if progress is not None and articles % 500 == 0:
            progress("copies", articles, total)
        match = index.add(article_id, text, published)
        if match is None:
            continue
        copies += 1
        rows.append((article_id, match.cluster_id, match.canonical_id, match.similarity))
        if match.canonical_id not in canonicals:
            canonicals.add(match.canonical_id)
            rows.append((match.canonical_id, match.cluster_id, match.canonical_id, 1.0))
        if len(rows) >= 2000:
            store.set_clusters(rows)
            rows.clear()
    store.set_clusters(rows)
    if progress is not None:
        progress("copies", articles, total)
    return articles, len(canonicals), copies


def group_store_claims(store: ClaimStore, settings: Settings, progress: Progress | None = None) -> tuple[int, int, int]:
    """Group the stored claims (the same claim across articles), record each claim's group,
    and link conflicting groups. Returns (groups, groups with several mentions, conflicts)."""
    total = store.count_claims() if progress is not None else 0
    store.clear_groups()
    groups_n = multi = conflicts_n = done = 0
    for claims, clusters in store.claim_partitions(settings.group_slice_claims):
        done += len(claims)
        if progress is not None:
            progress("groups", done, total)
        groups = group_claims(claims, clusters,
                              appearances=store.appearance_outlets(c.evidence.doc_id for c in claims))
        conflicts = find_conflicts(groups)
        store.add_groups([g.model_dump(mode="json") for g in groups], [c.model_dump(mode="json") for c in conflicts])
        groups_n += len(groups)
        multi += sum(1 for g in groups if g.mentions > 1)
        conflicts_n += len(conflicts)
    return groups_n, multi, conflicts_n


def stored_clusters(store: ClaimStore) -> list[dict]:
    """Copy clusters as stored: ``{"cluster", "canonical", "members": [{"path", "similarity", "url",
    "outlet", "published"}]}``, one member per appearance. A text read in several places (the same
    story from three outlets, a page scraped twice) is a cluster even when no other text copies it:
    its appearances are exact copies (similarity 1.0)."""
    by_cluster: dict[str, list] = {}
    paths: dict[str, str] = {}
    for a in store.articles():
        paths[a.id] = a.path
        if a.cluster_id:
            by_cluster.setdefault(a.cluster_id, []).append(a)
        elif a.appearances > 1:
            by_cluster[f"dup:{a.id}"] = [a.model_copy(update={"canonical_id": a.id, "similarity": 1.0})]
    out = []
    for cid, members in sorted(by_cluster.items()):
        canonical = members[0].canonical_id
        members.sort(key=lambda a: (a.id != canonical, a.path))
        rows = []
        for a in members:
            seen = store.appearances(a.id) if a.appearances > 1 else []
            rows += [{"path": p.path, "similarity": round(a.similarity or 0.0, 3), "url": p.url,
                      "outlet": p.outlet, "published": p.published.isoformat() if p.published else None}
                     for p in seen] or [{"path": a.path, "similarity": round(a.similarity or 0.0, 3), "url": a.url,
                                         "outlet": a.outlet,
                                         "published": a.published.isoformat() if a.published else None}]
        out.append({"cluster": cid, "canonical": paths.get(canonical or "", canonical), "members": rows})
    return out


def stored_conflicts(store: ClaimStore) -> list[Conflict]:
    return [Conflict.model_validate(c) for c in store.conflicts()]


def stored_groups(store: ClaimStore) -> dict[str, ClaimGroup]:
    return {g["id"]: ClaimGroup.model_validate(g) for g in store.groups()}
