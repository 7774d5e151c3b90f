"""Corpus-level passes over the store: copy clusters, claim groups and conflicts.

Run after extraction (``claims ingest`` does it at the end of every run). Each pass reads
the store, computes with the pure functions of ``extraction.dedup`` and
``extraction.grouping``, and writes its results back in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from extraction.dedup import cluster_documents, cluster_map
from extraction.grouping import find_conflicts, group_claims
from extraction.settings import Settings, get_settings
from models.groups import ClaimGroup, Conflict, DupCluster
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


def refresh(store: ClaimStore, settings: Settings | None = None) -> CorpusSummary:
    """Recompute copy clusters, claim groups and conflicts for everything in the store."""
    settings = settings or get_settings()
    summary = CorpusSummary()
    clusters = find_duplicates(store, settings)
    summary.articles = sum(len(c.members) for c in clusters)
    multi = [c for c in clusters if len(c.members) > 1]
    summary.clusters, summary.copies = len(multi), sum(len(c.members) - 1 for c in multi)
    groups = group_store_claims(store, cluster_map(clusters))
    summary.groups = len(groups)
    summary.multi_mention_groups = sum(1 for g in groups if g.mentions > 1)
    conflicts = find_conflicts(groups)
    store.replace_conflicts([c.model_dump(mode="json") for c in conflicts])
    summary.conflicts = len(conflicts)
    log.info("corpus refresh: %s", summary.as_dict())
    return summary


def find_duplicates(store: ClaimStore, settings: Settings) -> list[DupCluster]:
    """Cluster the stored articles into copies and record each article's cluster."""
    docs = ((a.id, a.text or "", a.published) for a in store.articles(with_text=True))
    clusters = cluster_documents(docs, settings)
    rows = []
    for c in clusters:
        for m in c.members:
            multi = len(c.members) > 1
            rows.append((m.doc_id, c.id if multi else None, c.canonical_id if multi else None,
                         m.similarity if multi else None))
    store.set_clusters(rows, clear=True)
    return clusters


def group_store_claims(store: ClaimStore, clusters: dict[str, str]) -> list[ClaimGroup]:
    """Group the stored claims (the same claim across articles) and record each claim's group."""
    groups = group_claims(list(store.claims()), clusters)
    store.replace_groups([g.model_dump(mode="json") for g in groups])
    store.set_groups(((cid, g.id) for g in groups for cid in g.claim_ids), clear=True)
    return groups


def stored_clusters(store: ClaimStore) -> list[dict]:
    """Copy clusters as stored: ``{"cluster", "canonical", "members": [{"path", "similarity"}]}``."""
    by_cluster: dict[str, list] = {}
    paths: dict[str, str] = {}
    for a in store.articles():
        paths[a.id] = a.path
        if a.cluster_id:
            by_cluster.setdefault(a.cluster_id, []).append(a)
    out = []
    for cid, members in sorted(by_cluster.items()):
        canonical = members[0].canonical_id
        members.sort(key=lambda a: (a.id != canonical, a.path))
        out.append({"cluster": cid, "canonical": paths.get(canonical or "", canonical),
                    "members": [{"path": a.path, "similarity": round(a.similarity or 0.0, 3)} for a in members]})
    return out


def stored_conflicts(store: ClaimStore) -> list[Conflict]:
    return [Conflict.model_validate(c) for c in store.conflicts()]


def stored_groups(store: ClaimStore) -> dict[str, ClaimGroup]:
    return {g["id"]: ClaimGroup.model_validate(g) for g in store.groups()}
