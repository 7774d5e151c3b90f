"""The incremental corpus pass's two indexes, backed by the store: copies and claim groups.

Both take what is new in storing order (articles by rowid, claims by ``n``) and match it
against what the store keeps (``models.corpus_index``), loading only the index rows a new
item looks up. A full rebuild is the same code over every article and claim from empty
indexes, so the result of adding articles batch by batch equals one pass over them all, in
the order they were stored.

* ``StoredNearDupIndex`` is ``extraction.corpus.dedup.NearDupIndex`` whose postings, exact hashes,
  clusters and sampled-shingle counts live in the store (no retirement: the store bounds
  nothing in memory). A cluster's centres are re-read from the articles' texts when a new
  article is verified against them.
* ``StoredGrouper`` assigns each new claim to a claim group online: it joins the group of its
  block (kind, unit, category, place, actor) whose interval overlaps its own the most, else the
  one group with a place or actor it lacks whose interval overlaps it, else it founds one. The
  groups of a block are found by log-scale value bucket, as in ``extraction.corpus.grouping``.
"""

from __future__ import annotations

import json
import zlib
from collections import OrderedDict, defaultdict
from datetime import date
from typing import Any

import numpy as np

from extraction.corpus.dedup import _SLOT_BITS, DedupParams, NearDupIndex, _Cluster, content_words, normalise
from extraction.corpus.grouping import GroupingParams, block_key, more_specific, value_buckets
from models.claim import Claim
from models.corpus_index import WIDE_BUCKET
from models.store import ClaimStore
from models.vocab import ClaimKind, Unit

__all__ = ["ConflictGroup", "StoredArticleSets", "conflict_signature", "StoredGrouper", "StoredNearDupIndex"]


class _StoredPostings:
    """The posting lists of ``NearDupIndex``: stored pairs plus this run's new ones, as sets."""

    def __init__(self, index: StoredNearDupIndex) -> None:
        self.index = index
        self.new: dict[int, set[int]] = {}

    def add(self, keys: np.ndarray, slot: int) -> None:
        for key in keys.tolist():
            self.new.setdefault(key, set()).add(slot)

    def lookup(self, keys: np.ndarray, max_postings: int) -> tuple[np.ndarray, int]:
        store = self.index.store
        listed = keys.tolist()
        unique = list(dict.fromkeys(listed))
        counts = store.posting_counts(unique)
        sets: dict[int, set[int]] = defaultdict(set)
        for key, cluster in store.postings([k for k in unique if 0 < counts.get(k, 0) <= max_postings]):
            sets[key].add(cluster)
        total = {}
        for k in unique:
            if counts.get(k, 0) > max_postings:
                total[k] = counts[k]
                continue
            if k in self.new:
                sets[k] |= self.new[k]
            total[k] = len(sets.get(k, ()))
        kept = len(listed) - sum(1 for k in listed if total[k] > max_postings)
        packed = [(k << _SLOT_BITS) | s for k in listed if 0 < total[k] <= max_postings for s in sorted(sets[k])]
        if packed:
            self.index.load_sampled({p & ((1 << _SLOT_BITS) - 1) for p in packed})
        return np.array(packed, np.uint64), kept


class _StoredClusters(dict):
    """Live clusters by number, loaded from the store on first use."""

    def __init__(self, index: StoredNearDupIndex) -> None:
        super().__init__()
        self.index = index

    def get(self, number: Any, default: Any = None) -> Any:
        if number in self:
            return self[number]
        if number is None or number < 0:
            return default
        cluster = self.index.load_cluster(int(number))
        return default if cluster is None else cluster


class _StoredExact(dict):
    """Exact-text hash -> cluster number, from the store on a miss; ``new`` holds this run's."""

    def __init__(self, index: StoredNearDupIndex) -> None:
        super().__init__()
        self.index = index
        self.new: set[int] = set()

    def __setitem__(self, key: int, value: int) -> None:
        self.new.add(key)
        super().__setitem__(key, value)

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self[key]
        number = self.index.store.exact_cluster(key)
        if number is None:
            return default
        dict.__setitem__(self, key, number)
        return number


class StoredNearDupIndex(NearDupIndex):
    """``NearDupIndex`` over the store's copy index; ``flush`` writes what it learnt.

    ``arrivals`` and ``next_cluster`` continue the counters of the pass before (the store's
    ``corpus_arrivals`` and ``corpus_next_cluster``).
    """

    def __init__(self, store: ClaimStore, params: DedupParams, arrivals: int, next_cluster: int) -> None:
        super().__init__(params.model_copy(update={"max_clusters": 1 << 27}), keep_members=False)
        self.store = store
        self._postings = _StoredPostings(self)  # type: ignore[assignment]
        self._live = _StoredClusters(self)
        self._exact = _StoredExact(self)
        self._arrivals, self._next_cluster = arrivals, next_cluster
        self._sampled_known: set[int] = set()

    def _ring(self, number: int, value: int) -> None:
        if number >= self._sampled.size:
            self._sampled = np.concatenate([self._sampled, np.zeros(max(1024, number + 1 - self._sampled.size),
                                                                    np.int32)])
        self._sampled[number] = value
        self._sampled_known.add(number)

    def load_sampled(self, numbers: set[int]) -> None:
        """Make the sampled-shingle counts of clusters ``numbers`` known (for containment estimates)."""
        missing = [n for n in numbers if n not in self._sampled_known and n not in self._live]
        for number, row in self.store.dedup_clusters(missing).items():
            self._ring(number, row[3])

    def load_cluster(self, number: int) -> _Cluster | None:
        row = self.store.dedup_clusters([number]).get(number)
        if row is None:
            return None
        cid, canonical, rank, sampled, centres = row
        cluster = _Cluster(number, canonical, rank)
        cluster.id, cluster.members = cid, []
        texts = self.store.article_texts(centres)
        for doc_id in centres:
            text = texts.get(doc_id, "")
            words = content_words(text, normalise(text), self.params.min_line_words)
            cluster.centres.append((doc_id, zlib.compress(" ".join(words).encode("utf-8"), 1)))
        dict.__setitem__(self._live, number, cluster)
        self._ring(number, sampled)
        return cluster

    def flush(self, ops: list[tuple[str, tuple]], meta: dict[str, Any]) -> None:
        """Write new postings, exact hashes and the clusters used since the last flush, the
        articles' cluster rows (``ops``) and the counters, in one transaction; then forget them."""
        postings = [(k, s) for k, slots in self._postings.new.items() for s in slots]
        exact = [(k, dict.__getitem__(self._exact, k)) for k in self._exact.new]
        clusters = [(c.number, c.id, c.canonical_id, c.canonical_key, int(self._sampled[c.number]),
                     [d for d, _ in c.centres]) for c in self._live.values()]
        self.store.dedup_flush(postings, exact, clusters, ops,
                               {**meta, "corpus_arrivals": self._arrivals, "corpus_next_cluster": self._next_cluster},
                               self.params.max_postings)
        self._postings.new.clear()
        self._live.clear()
        dict.clear(self._exact)
        self._exact.new.clear()
        self._sampled_known.clear()  # re-read from the store when a cluster is met again


class _G:
    __slots__ = ("id", "place", "actor", "lo", "hi", "founder", "members", "changed")

    def __init__(self, gid: str, place: str | None, actor: str | None, lo: float, hi: float, founder: int,
                 members: int) -> None:
        self.id, self.place, self.actor, self.lo, self.hi = gid, place, actor, lo, hi
        self.founder, self.members, self.changed = founder, members, False


class _Super:
    """The groups of one (kind, unit, category) in memory: those loaded from the store and new ones."""

    def __init__(self, name: str, complete: bool) -> None:
        self.name = name
        self.groups: dict[str, _G] = {}
        self.by_bucket: dict[int, list[_G]] = defaultdict(list)
        self.wide: list[_G] = []
        # the same by (place, actor, bucket): a claim with a place and an actor looks only in its block
        self.own: dict[tuple, list[_G]] = defaultdict(list)
        self.loaded: set[int] = set()
        self.wide_loaded = self.all_loaded = complete

    def post(self, g: _G, bucket: int) -> None:
        (self.wide if bucket == WIDE_BUCKET else self.by_bucket[bucket]).append(g)
        self.own[(g.place, g.actor, bucket)].append(g)


class StoredGrouper:
    """Online claim grouping over the store's group index. ``add`` one claim at a time (in
    storing order), ``flush`` to write groups, bucket postings and the claims' groups.

    ``complete``: the store holds no group yet (a full rebuild), so nothing need be looked up
    until the first flush."""

    def __init__(self, store: ClaimStore, params: GroupingParams | None = None, complete: bool = False) -> None:
        self.store = store
        self.params = params or GroupingParams()
        self.complete = complete
        self.supers: dict[str, _Super] = {}
        self.buckets: list[tuple[str, int, str]] = []
        self.assignments: list[tuple[str, int]] = []
        self.in_memory = 0

    def _super(self, name: str) -> _Super:
        sup = self.supers.get(name)
        if sup is None:
            sup = self.supers[name] = _Super(name, self.complete)
        return sup

    def _load(self, sup: _Super, span: range | None) -> None:
        if sup.all_loaded:
            return
        if span is None:
            rows = self.store.indexed_groups(sup.name, None, False)
            fresh = {b for *_, b in rows} - sup.loaded - ({WIDE_BUCKET} if sup.wide_loaded else set())
            sup.all_loaded = sup.wide_loaded = True
        else:
            missing = [b for b in span if b not in sup.loaded]
            if not missing and sup.wide_loaded:
                return
            bounds = (min(missing), max(missing)) if missing else (1, 0)
            rows = self.store.indexed_groups(sup.name, bounds, not sup.wide_loaded)
            fresh = set(range(bounds[0], bounds[1] + 1)) - sup.loaded
            if not sup.wide_loaded:
                fresh.add(WIDE_BUCKET)
            sup.wide_loaded = True
        for gid, place, actor, lo, hi, founder, members, bucket in rows:
            if bucket not in fresh:
                continue
            g = sup.groups.get(gid)
            if g is None:
                g = sup.groups[gid] = _G(gid, place, actor, lo, hi, founder, members)
                self.in_memory += 1
            sup.post(g, bucket)
        sup.loaded |= {b for b in fresh if b != WIDE_BUCKET}

    def _overlapping(self, sup: _Super, lo: float, hi: float, block: tuple | None = None) -> list[_G]:
        """The groups of ``sup`` whose interval overlaps ``lo``-``hi``; only those of ``block``
        ((place, actor)) if given."""
        span = value_buckets(lo, hi)
        self._load(sup, span)
        if span is None:
            pool = list(sup.groups.values())
        elif block is None:
            pool = [g for b in span for g in sup.by_bucket.get(b, ())] + sup.wide
        else:
            pool = [g for b in (*span, WIDE_BUCKET) for g in sup.own.get((*block, b), ())]
        seen: set[str] = set()
        out = []
        for g in pool:
            if g.id not in seen and g.lo <= hi and lo <= g.hi:
                seen.add(g.id)
                out.append(g)
        return out

    def add(self, n: int, claim: Claim) -> str:
        """Put claim number ``n`` in a group; returns the group id."""
        key = block_key(claim, self.params)
        kind, unit, category, place, actor = key
        sup = self._super(json.dumps([kind.value, unit.value, category]))
        lo, hi = claim.quantity.interval()
        vague = place is None or actor is None
        pool = self._overlapping(sup, lo, hi, None if vague else (place, actor))
        own = [g for g in pool if g.place == place and g.actor == actor]
        target = None
        if own:
            target = max(own, key=lambda g: (min(g.hi, hi) - max(g.lo, lo), g.members, -g.lo, -g.founder))
        elif vague:
            fits = [g for g in pool if (g.place is not None or g.actor is not None)
                    and more_specific((*key[:3], g.place, g.actor), key)]
            target = fits[0] if len(fits) == 1 else None
        if target is not None:
            target.lo, target.hi = max(target.lo, lo), min(target.hi, hi)
            target.members += 1
        else:
            target = _G(f"grp:{claim.id}", place, actor, lo, hi, n, 1)
            sup.groups[target.id] = target
            self.in_memory += 1
            span = value_buckets(lo, hi)
            for b in span if span is not None else (WIDE_BUCKET,):
                sup.post(target, b)
                self.buckets.append((sup.name, b, target.id))
        target.changed = True
        self.assignments.append((target.id, n))
        return target.id

    def flush(self, meta: dict[str, Any], forget: bool = False) -> None:
        """Write the changed groups, new bucket postings, the claims' groups and ``meta`` in one
        transaction; ``forget`` then drops the groups held in memory (they are re-read on demand)."""
        rows = [(g.id, sup.name, g.place, g.actor, g.lo, g.hi, g.founder, g.members)
                for sup in self.supers.values() for g in sup.groups.values() if g.changed]
        self.store.groups_flush(rows, self.buckets, self.assignments, meta)
        for sup in self.supers.values():
            for g in sup.groups.values():
                g.changed = False
        self.buckets, self.assignments = [], []
        if forget:
            self.supers.clear()
            self.complete = False
            self.in_memory = 0


class _Text:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class ConflictGroup:
    """What ``find_conflicts`` reads of a stored ``ClaimGroup``, without its member and article
    lists (which grow with the store): a conflict block is held in memory as these."""

    __slots__ = ("id", "kind", "unit", "low", "high", "representative", "category", "actor", "place", "place_type",
                 "period_start", "period_end", "first_published", "last_published")

    def __init__(self, data: str) -> None:
        g = json.loads(data)
        self.id, self.kind, self.unit = g["id"], ClaimKind(g["kind"]), Unit(g["unit"])
        self.low, self.high = float(g["low"]), float(g["high"])
        self.representative = _Text(g["representative"]["text"])
        self.category, self.actor, self.place, self.place_type = (g.get(k) for k in ("category", "actor", "place",
                                                                                    "place_type"))
        self.period_start, self.period_end = _day(g.get("period_start")), _day(g.get("period_end"))
        self.first_published, self.last_published = _day(g.get("first_published")), _day(g.get("last_published"))


def conflict_signature(group: dict[str, Any]) -> tuple:
    """What ``find_conflicts`` reads of a group (a ``ClaimGroup`` as JSON) but its articles: a
    group whose signature and articles did not change cannot change a conflict."""
    return (group["kind"], group["unit"], group["low"], group["high"], group["representative"]["text"],
            *(group.get(k) for k in ConflictGroup.__slots__[6:]))


class StoredArticleSets:
    """``shares_article`` for ``find_conflicts`` over ``ConflictGroup``s: the article ids of a group
    are read from the store when a pair of groups gets that far, and the latest ``limit`` ids read
    are kept."""

    def __init__(self, store: ClaimStore, limit: int = 100_000) -> None:
        self.store, self.limit = store, limit
        self.sets: OrderedDict[str, frozenset[str]] = OrderedDict()
        self.held = 0

    def _articles(self, gid: str) -> frozenset[str]:
        found = self.sets.get(gid)
        if found is not None:
            self.sets.move_to_end(gid)
            return found
        found = self.sets[gid] = frozenset(self.store.group_articles(gid))
        self.held += len(found)
        while self.held > self.limit and len(self.sets) > 2:
            self.held -= len(self.sets.popitem(last=False)[1])
        return found

    def __call__(self, a: Any, b: Any) -> bool:
        return not self._articles(a.id).isdisjoint(self._articles(b.id))
