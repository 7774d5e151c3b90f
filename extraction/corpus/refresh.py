"""Corpus-level pass over the store: copy clusters, claim groups and conflicts, incrementally.

Run after extraction (``claims ingest`` does it at the end of every run that stored
something). The pass takes only what is new since the last one, in the order it was stored:

1. texts read again since the last pass (new appearances) mark their articles dirty;
2. each new article is matched against the store's copy index (``StoredNearDupIndex``);
   an article whose cluster changes is dirty;
3. each new claim joins a claim group, or founds one, through the store's group index
   (``StoredGrouper``); groups span the whole store;
4. the groups that gained a claim, or hold a claim of a dirty article, are counted again
   (mentions, outlets, independent sources);
5. conflicts are recomputed for the conflict blocks (kind, unit, actor) of those groups.

Each step commits in batches together with its progress counters and what it leaves dirty,
so a pass stopped at any point leaves the store marked stale and the next pass finishes it.
``refresh(full=True)`` (``claims refresh --full``) forgets the indexes and runs the same code
over everything: the result equals the batch-by-batch one. A store written before schema 5,
one whose claims were re-extracted (a new extractor version replaces them), or one indexed
with other dedup settings gets a full pass by itself.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from extraction.corpus.dedup import DedupParams
from extraction.corpus.grouping import GroupingParams, GroupTally, conflict_block, iter_links, make_conflict
from extraction.corpus.index import (
    ConflictGroup,
    StoredArticleSets,
    StoredGrouper,
    StoredNearDupIndex,
    conflict_signature,
)
from extraction.run.settings import Settings, get_settings
from models.claim import Claim
from models.corpus_index import cluster_ops
from models.groups import ClaimGroup, Conflict
from models.store import ClaimStore
from models.vocab import ClaimKind, Unit

log = logging.getLogger(__name__)

#: articles (copies) and claims (groups) between two commits of the pass
ARTICLES_PER_COMMIT = 2000
CLAIMS_PER_COMMIT = 20_000
#: claim groups held in memory before they are written and forgotten (bounds the pass's memory)
GROUPS_IN_MEMORY = 20_000
GROUPS_PER_EXPORT = 2000
CONFLICTS_PER_WRITE = 5000
CLAIMS_PER_EXPORT = 10_000


@dataclass
class CorpusSummary:
    """What a refresh found (for the whole store), and how much it had to do."""

    articles: int = 0
    clusters: int = 0
    copies: int = 0
    groups: int = 0
    multi_mention_groups: int = 0
    conflicts: int = 0
    full: bool = False
    new_articles: int = 0
    new_claims: int = 0
    groups_counted: int = 0
    conflict_blocks: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


#: (phase, done, total): "copies" counts articles, "groups" claims
Progress = Callable[[str, int, int], None]


def _fingerprint(settings: Settings) -> str:
    return json.dumps({"dedup": DedupParams.from_settings(settings).model_dump(),
                       "grouping": settings.grouping.model_dump(), "index": 1}, sort_keys=True)


def refresh(store: ClaimStore, settings: Settings | None = None, progress: Progress | None = None,
            full: bool = False) -> CorpusSummary:
    """Bring copy clusters, claim groups and conflicts up to date with everything stored.

    Incremental: only articles and claims stored since the last pass are matched, against the
    indexes the store keeps; only the groups they touch are counted again and only their
    conflict blocks re-linked. ``full`` rebuilds every index and result from nothing (the
    same result as the incremental passes that led here). Memory holds one batch and the
    index rows it looked up, never the store. ``progress`` is told how far each phase is."""
    settings = settings or get_settings()
    summary = CorpusSummary()
    fingerprint = _fingerprint(settings)
    meta = store.corpus_meta()
    claims_done = int(meta.get("corpus_claims", 0))
    if (full or meta.get("corpus_params") != fingerprint
            or store.claims_up_to(claims_done) != int(meta.get("corpus_claim_count", -1))):
        store.corpus_reset(fingerprint)
        meta, summary.full = store.corpus_meta(), True
    resumed = store.count_dirty("cblock") > 0  # left by a pass that stopped: its changed groups are not known
    store.note_new_appearances(int(meta["corpus_appearances"]))
    summary.new_articles = _copies(store, settings, meta, progress)
    summary.new_claims = _groups(store, meta, progress, complete=summary.full, params=settings.grouping)
    store.dirty_articles_to_groups()
    changed: set[str] | None = None if resumed or summary.full else set()  # a full pass rewrites every conflict
    summary.groups_counted = _export(store, changed)
    summary.conflict_blocks = _conflicts(store, changed, settings.grouping)
    store.mark_corpus_fresh()  # only now: a pass stopped half-way leaves the store marked stale
    for k, v in store.corpus_counts().items():
        setattr(summary, k, v)
    log.info("corpus refresh: %s", summary.as_dict())
    return summary


def _copies(store: ClaimStore, settings: Settings, meta: dict[str, str], progress: Progress | None) -> int:
    """Match the articles stored since the last pass against the copy index; returns how many."""
    after = int(meta["corpus_articles"])
    total = store.count_articles_after(after) if progress is not None else 0
    index = StoredNearDupIndex(store, DedupParams.from_settings(settings), int(meta["corpus_arrivals"]),
                               int(meta["corpus_next_cluster"]))
    ops: list[tuple[str, tuple]] = []
    done = last = 0
    for rowid, article_id, text, published in store.articles_after(after):
        match = index.add(article_id, text, published)
        if match is not None:
            ops += cluster_ops(article_id, match)
        done, last = done + 1, rowid
        if done % ARTICLES_PER_COMMIT == 0:
            index.flush(ops, {"corpus_articles": last})
            ops = []
            if progress is not None:
                progress("copies", done, total)
    if done:
        index.flush(ops, {"corpus_articles": last})
    if progress is not None:
        progress("copies", done, total)
    return done


def _groups(store: ClaimStore, meta: dict[str, str], progress: Progress | None, complete: bool,
            params: GroupingParams | None = None) -> int:
    """Put each claim stored since the last pass in a claim group; returns how many claims."""
    after, count = int(meta["corpus_claims"]), int(meta.get("corpus_claim_count", 0))
    total = (store.count_claims() - count) if progress is not None else 0
    grouper = StoredGrouper(store, params, complete=complete)
    done = last = 0
    for n, data in store.claims_after(after):
        grouper.add(n, Claim.model_validate_json(data))
        done, last = done + 1, n
        if done % CLAIMS_PER_COMMIT == 0:
            grouper.flush({"corpus_claims": last, "corpus_claim_count": count + done},
                          forget=grouper.in_memory > GROUPS_IN_MEMORY)
            if progress is not None:
                progress("groups", done, total)
    if done:
        grouper.flush({"corpus_claims": last, "corpus_claim_count": count + done})
    if progress is not None:
        progress("groups", done, total)
    return done


def _export(store: ClaimStore, changed: set[str] | None) -> int:
    """Count the dirty groups again (mentions, outlets, sources) and store them, adding their ids
    to ``changed`` (unless None); returns how many. A batch holds the counts of a few groups
    (``GroupTally``: ids and names), however large they grow, and parses one claim at a time."""
    done = 0
    while ids := store.dirty("group", GROUPS_PER_EXPORT):
        index = store.group_rows(ids)
        size = 0
        for i, gid in enumerate(ids):
            size += index[gid][3] if gid in index else 0
            if i and size > CLAIMS_PER_EXPORT:
                ids = ids[:i]
                break
        seen = store.appearance_outlets(store.group_member_articles(ids))
        tallies: dict[str, GroupTally] = defaultdict(GroupTally)
        for gid, data, article_id, cluster in store.group_member_rows(ids):
            tallies[gid].add(Claim.model_validate_json(data), cluster, seen.get(article_id))
        out, cblocks = [], {}
        for gid in ids:
            if gid not in index or gid not in tallies:
                continue
            block, lo, hi, _ = index[gid]
            kind, unit, category = json.loads(block)
            group = tallies.pop(gid).group(gid, (ClaimKind(kind), Unit(unit), category), lo, hi)
            out.append(group.model_dump(mode="json"))
            cb = conflict_block(group)
            cblocks[gid] = None if cb is None else json.dumps([cb[0].value, cb[1].value, cb[2]])
        relink = None if changed is None else _to_relink(store, out, cblocks)
        store.groups_export(out, cblocks, ids, relink)
        if changed is not None:
            changed.update(ids)
        done += len(out)
    return done


def _to_relink(store: ClaimStore, groups_json: list[dict], cblocks: dict[str, str | None]) -> set[str]:
    """The groups whose conflict blocks must be linked again: new groups, groups whose signature
    changed (interval, dates, place, actor...), and groups that gained an article some other
    group of their block holds (two groups of one article do not conflict). Any other group
    counted again (a new mention of the same figure, a copy found) changes no conflict."""
    before = store.group_json(list(cblocks))
    out = set()
    for g in groups_json:
        gid, cblock, old = g["id"], cblocks.get(g["id"]), before.get(g["id"])
        if cblock is None and old is None:
            continue
        was = json.loads(old) if old is not None else None
        if was is None or conflict_signature(was) != conflict_signature(g):
            out.add(gid)
        elif cblock is not None and (gained := set(g["article_ids"]) - set(was["article_ids"])):
            if store.shares_block_article(gid, cblock, gained):
                out.add(gid)
    return out


def _conflicts(store: ClaimStore, changed: set[str] | None, params: GroupingParams | None = None) -> int:
    """Link the conflicting groups of each dirty conflict block again; returns how many blocks.

    A conflict between two groups that did not change (``changed``: the groups counted again in
    this pass) is the same as stored and is not rewritten; ``None``: rewrite them all. A block
    is held as ``ConflictGroup``s (the article lists are read when a pair needs them) and its
    conflicts are written as they are found."""
    done = 0
    shares_article = StoredArticleSets(store)
    while blocks := store.dirty("cblock", 100):
        for cblock in blocks:
            groups = [ConflictGroup(data) for data in store.cblock_groups(cblock)]
            old = store.cblock_conflict_ids(cblock) if changed is not None else set()
            ids: set[str] = set()
            write: list[dict] = []
            for cid, a, b, differs in iter_links(groups, params, shares_article):  # type: ignore[arg-type]
                ids.add(cid)
                if changed is None or cid not in old or a.id in changed or b.id in changed:
                    write.append(make_conflict(cid, a, b, differs).model_dump(mode="json"))
                    if len(write) >= CONFLICTS_PER_WRITE:
                        store.conflicts_write(cblock, write)
                        write = []
            store.conflicts_done(cblock, ids, write)
            done += 1
    return done


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
    return store.conflict_list()


def stored_groups(store: ClaimStore) -> dict[str, ClaimGroup]:
    return store.claim_groups()
