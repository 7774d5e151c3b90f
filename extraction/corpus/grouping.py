"""Claim groups (the same claim in several articles) and conflicts between groups. Pure: no spaCy.

Same claim = same kind and unit, same casualty category, compatible actor and place, and
value intervals (``Quantity.interval()``, widened by the hedge) that overlap: "around
2,700", "nearly 2,700" and "2,700" agree; "more than 1,000" and "1,024" agree. Rewrites
that are not copies join the groups too: membership is decided by these fields, never by
wording (string similarity separates paraphrases poorly, see shared/notes/dedup.md).

How groups are formed, without comparing all pairs:

1. Claims are blocked by (kind, unit, category, place, actor), case-folded.
2. In a block, claims are taken most precise first; each joins the group whose interval
   overlaps its own the most (the group keeps the *intersection* of its members'
   intervals, so every member agrees with every other), else founds a group. Groups are
   found through log-scale value buckets, so a claim looks only at groups of similar value.
3. A group with no place (or no actor) joins the one group with a place (an actor) of the
   same kind, unit and category whose interval overlaps it, when there is exactly one.

Independent sources of a group: each distinct cited source counts once, however many
outlets and copies repeat it (two outlets citing ISW count once); mentions citing no
source count once per copy cluster (``clusters``: article id -> dedup cluster id), unless
that cluster cites a source for the group. Syndicated copies therefore count once.

Conflicts link groups about the same quantity (a war quantity of the same kind, unit, actor
and place, near in time, within a factor of five) whose intervals do not overlap, saying
what explains the difference when it can be told: ``category`` (killed vs killed or
wounded), ``scope`` (a region vs no place or a whole country), ``period`` (different
resolved periods or as-of dates); ``["value"]`` when the groups agree on everything but
the number. Undated groups are linked only when actor and place match.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from extraction.lexicon.lexicons import casualty_words, word_class
from extraction.lexicon.lexicons import lookup as _lookup
from models.claim import Claim, GroupRef
from models.groups import ClaimGroup, Conflict
from models.vocab import ClaimKind

__all__ = ["GroupTally", "GroupingParams", "block_key", "claim_category", "conflict_block", "export_group",
           "find_conflicts", "group_claims", "group_refs", "iter_conflicts", "iter_links", "make_conflict",
           "more_specific", "value_buckets"]

#: ``shares_article(a, b)``: whether two groups hold claims of one article
SharesArticle = Callable[[Any, Any], bool]
_WORD = re.compile(r"[^\W\d_]+|\d")  # letter runs; a digit ends the window after a quantity
_BUCKET = math.log(1.05)  # value buckets 5% wide on a log scale
_MAX_BUCKETS = 64  # wider intervals are scanned against the whole block
#: kinds whose (actor, place, time) names one quantity, so that two values disagree; a share,
#: a ratio, a sum of money or a count needs what it is of, which the claim does not carry
CONFLICT_KINDS = frozenset({ClaimKind.TERRITORY, ClaimKind.PERSONNEL, ClaimKind.CASUALTIES,
                            ClaimKind.EQUIPMENT, ClaimKind.DISTANCE, ClaimKind.RATE})
#: place types that cover a whole country or front (a claim there differs in scope from a region's)
#: are the word class ``coarse_places``


class GroupingParams(BaseModel):
    """Tunables of grouping and conflict detection, with their defaults: ``Settings.grouping``
    (``CLAIMS_GROUPING__<FIELD>``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    conflict_window_days: int = Field(default=14, description="groups reported further apart are not linked")
    period_gap_days: int = Field(default=2, description="as-of dates further apart differ in period")
    max_conflict_ratio: float = Field(default=5.0, description="values further apart are different quantities")
    max_conflicts_per_group: int = Field(default=20, description="nearest in time first")
    max_comparisons: int = Field(default=1000, description="later groups of a block compared with each group")
    category_window: int = Field(default=6, description="words after the quantity read for its category")


@functools.lru_cache(maxsize=1 << 14)  # a few thousand names and places recur in every block
def _norm(s: str | None) -> str | None:
    if not s:
        return None
    s = " ".join(s.casefold().split())
    return s[4:] if s.startswith("the ") else s


_PLACE_SUFFIX = re.compile(r"\s+(?:region|oblast|province|governorate|city|district)$")


def places_lookup():
    return _lookup("places")


@functools.lru_cache(maxsize=1 << 14)
def _place_key(s: str | None) -> str | None:
    """A place as a grouping key: "Kursk region", "the Kursk region" and "Kursk" are one place."""
    n = _norm(s)
    return _PLACE_SUFFIX.sub("", n) if n else None


def _country_of(place: str | None) -> str | None:
    """The country a place lies in, from the places gazetteer ("Kursk region" -> "Russia")."""
    if not place:
        return None
    entry = places_lookup().get(place.casefold())
    if entry is None:
        return None
    return entry.name if entry.type == "country" else (entry.country or None)


def claim_category(claim: Claim, window: int = 6) -> str | None:
    """Casualty category of a claim from the words after its quantity (before it if none).

    "2,700 killed or wounded" and "2,700 casualties" give ``killed_or_wounded``; "5 killed
    and 12 wounded" gives ``killed`` for 5 (the window stops at the next number).
    """
    if claim.kind != ClaimKind.CASUALTIES:
        return None
    words = casualty_words()
    sentence, ev = claim.evidence.sentence, claim.evidence
    start, end = ev.start - ev.sentence_start, ev.end - ev.sentence_start
    if not 0 <= start <= end <= len(sentence):  # offsets not into this sentence: find the words
        start = max(sentence.find(claim.quantity.text), 0)
        end = start + len(claim.quantity.text)
    after = _WORD.findall(sentence[end:].casefold())
    cut = next((i for i, w in enumerate(after) if w.isdigit()), len(after))
    found = {words[w] for w in _WORD.findall(claim.quantity.text.casefold()) + after[:min(cut, window)]
             if w in words}
    if not found:
        found = {words[w] for w in _WORD.findall(sentence[:start].casefold())[-4:] if w in words}
    if "killed_or_wounded" in found or {"killed", "wounded"} <= found:
        return "killed_or_wounded"
    return "+".join(sorted(found)) or None


class _Group:
    __slots__ = ("founder", "key", "lo", "hi", "members")

    def __init__(self, founder: Claim, key: tuple, lo: float, hi: float) -> None:
        self.founder, self.key, self.lo, self.hi = founder, key, lo, hi
        self.members: list[Claim] = [founder]


def _buckets(lo: float, hi: float) -> range | None:
    def b(v: float) -> int:
        return math.floor(math.copysign(math.log1p(abs(v)), v) / _BUCKET)

    first, last = b(lo), b(hi)
    return range(first, last + 1) if last - first < _MAX_BUCKETS else None


class _Block:
    """The groups of one block, found by log-scale value bucket."""

    def __init__(self) -> None:
        self.groups: list[_Group] = []
        self.by_bucket: dict[int, list[_Group]] = defaultdict(list)
        self.wide: list[_Group] = []

    def add(self, g: _Group) -> None:
        self.groups.append(g)
        span = _buckets(g.lo, g.hi)
        for b in span if span is not None else ():
            self.by_bucket[b].append(g)
        if span is None:
            self.wide.append(g)

    def overlapping(self, lo: float, hi: float) -> list[_Group]:
        span = _buckets(lo, hi)
        pool = self.groups if span is None else [g for b in span for g in self.by_bucket.get(b, ())] + self.wide
        seen: set[int] = set()
        out = []
        for g in pool:
            if id(g) not in seen and g.members and g.lo <= hi and lo <= g.hi:
                seen.add(id(g))
                out.append(g)
        return out


def _join(g: _Group, claims: list[Claim], lo: float, hi: float) -> None:
    g.members.extend(claims)
    g.lo, g.hi = max(g.lo, lo), min(g.hi, hi)


def group_claims(
    claims: list[Claim], clusters: dict[str, str] | None = None, params: GroupingParams | None = None,
    appearances: dict[str, tuple[int, list[str]]] | None = None,
) -> list[ClaimGroup]:
    """Group claims that state the same figure; ``clusters`` maps article id -> dedup cluster id.

    ``appearances`` maps the id of a text read in several places (word-for-word copies: three
    outlets, two scrapes) to (how many, their outlets): each appearance is a mention and names
    an outlet, and all of them are one independent source, like any copies.
    Every claim lands in exactly one group (a lone claim makes a group of one).
    """
    params = params or GroupingParams()
    clusters = clusters or {}
    appearances = appearances or {}

    def width(c: Claim) -> float:
        lo, hi = c.quantity.interval()
        return (hi - lo) / max(abs(hi + lo) / 2, 1e-9)

    blocks: dict[tuple, _Block] = defaultdict(_Block)
    for c in sorted(claims, key=lambda c: (width(c), c.id)):
        lo, hi = c.quantity.interval()
        key = block_key(c, params)
        fits = blocks[key].overlapping(lo, hi)
        if fits:
            best = max(fits, key=lambda g: (min(g.hi, hi) - max(g.lo, lo), len(g.members), -g.lo))
            _join(best, [c], lo, hi)
        else:
            blocks[key].add(_Group(c, key, lo, hi))
    groups = sorted((g for b in blocks.values() for g in b.groups), key=lambda g: g.founder.id)
    specific: dict[tuple, _Block] = defaultdict(_Block)  # step 3: groups with a place or an actor
    for g in groups:
        if g.key[3] is not None or g.key[4] is not None:
            specific[g.key[:3]].add(g)
    for g in groups:
        if g.key[3] is None or g.key[4] is None:
            fits = [h for h in specific[g.key[:3]].overlapping(g.lo, g.hi)
                    if h is not g and _more_specific(h.key, g.key)]
            if len(fits) == 1:
                _join(fits[0], g.members, g.lo, g.hi)
                g.members = []
    groups = [g for g in groups if g.members]
    return sorted((_export(g, clusters, appearances) for g in groups), key=lambda g: g.id)


def _more_specific(h: tuple, g: tuple) -> bool:
    """``h`` agrees with ``g`` and fills in a place or an actor ``g`` lacks."""
    place_ok = g[3] is None or g[3] == h[3]
    actor_ok = g[4] is None or g[4] == h[4]
    return place_ok and actor_ok and h[3:] != g[3:]


def _export(g: _Group, clusters: dict[str, str], appearances: dict[str, tuple[int, list[str]]]) -> ClaimGroup:
    return export_group(f"grp:{g.founder.id}", g.key, g.lo, g.hi, g.members, clusters, appearances)


def block_key(claim: Claim, params: GroupingParams | None = None) -> tuple:
    """The block a claim is grouped in: (kind, unit, casualty category, place key, actor key).

    The actor key is the actor's stable id when the gazetteer knows it, so "UK" and "Britain"
    are one actor; else its name, case-folded."""
    params = params or GroupingParams()
    place = _place_key(claim.places[0].name) if claim.places else None
    return (claim.kind, claim.quantity.unit, claim_category(claim, params.category_window), place,
            claim.actor_id or _norm(claim.actor))


def more_specific(h: tuple, g: tuple) -> bool:
    """Block ``h`` agrees with block ``g`` and fills in a place or an actor ``g`` lacks (same kind,
    unit and category assumed)."""
    return _more_specific(h, g)


def value_buckets(lo: float, hi: float) -> range | None:
    """The log-scale value buckets (5% wide) an interval covers; None when it covers too many."""
    return _buckets(lo, hi)


def conflict_block(group: ClaimGroup) -> tuple | None:
    """The block ``find_conflicts`` compares a group in: (kind, unit, actor key), or None for a kind
    that never conflicts. Conflicts only link groups of one block."""
    return (group.kind, group.unit, _norm(group.actor)) if group.kind in CONFLICT_KINDS else None


def export_group(group_id: str, key: tuple, lo: float, hi: float, members: list[Claim], clusters: dict[str, str],
                 appearances: dict[str, tuple[int, list[str]]]) -> ClaimGroup:
    """A group of ``members`` (its block ``key`` and interval ``lo``-``hi``) as a ``ClaimGroup``:
    mentions, outlets, sources and independent sources counted over copy ``clusters`` and
    ``appearances`` as ``group_claims`` does."""
    tally = GroupTally()
    for c in members:
        tally.add(c, clusters.get(c.evidence.doc_id), appearances.get(c.evidence.doc_id))
    return tally.group(group_id, key, lo, hi)


class GroupTally:
    """What ``export_group`` counts, taken one member at a time in any order: memory holds the
    member ids and the distinct names, never the claims."""

    def __init__(self) -> None:
        self.claim_ids: list[str] = []
        self.articles: set[str] = set()
        self.outlets: set[str] = set()
        self.sources: set[str] = set()
        self.sourced: set[str | None] = set()
        self.cited_in: set[str] = set()
        self.uncited: set[str] = set()
        self.mentions = 0
        self.precise: tuple | None = None  # (width, id, quantity) of the most precise member
        self.actor: tuple[str, str] | None = None  # (id, actor) of the first member (by id) naming one
        self.place: tuple[str, Any] | None = None  # (id, first place) of the first member with a place
        self.period: list = [None, None]
        self.published: list = [None, None]

    def add(self, c: Claim, cluster: str | None, appearances: tuple[int, list[str]] | None) -> None:
        """Count member ``c``; ``cluster``: its article's copy cluster; ``appearances``: (how many,
        outlets) when its text was read in several places."""
        doc = c.evidence.doc_id
        self.claim_ids.append(c.id)
        self.articles.add(doc)
        if c.reporter:
            self.outlets.add(c.reporter)
        count, outlets = appearances or (1, [])
        self.outlets.update(outlets)
        self.mentions += count
        if c.source:
            self.sources.add(c.source.name)
            self.sourced.add(_norm(c.source.name))
            self.cited_in.add(cluster or doc)
        else:
            self.uncited.add(cluster or doc)
        low, high = c.quantity.interval()
        if self.precise is None or (high - low, c.id) < self.precise[:2]:
            self.precise = (high - low, c.id, c.quantity)
        if c.actor and (self.actor is None or c.id < self.actor[0]):
            self.actor = (c.id, c.actor)
        if c.places and (self.place is None or c.id < self.place[0]):
            self.place = (c.id, c.places[0])
        p = c.period
        if p and p.resolved and p.start:
            _widen(self.period, p.start, p.end or p.start)
        if c.evidence.published:
            _widen(self.published, c.evidence.published, c.evidence.published)

    def group(self, group_id: str, key: tuple, lo: float, hi: float) -> ClaimGroup:
        """The ``ClaimGroup`` of the members counted (``key``: its block; ``lo``-``hi``: its interval)."""
        assert self.precise is not None, "a group has at least one member"
        place = self.place[1] if self.place else None
        return ClaimGroup(
            id=group_id, kind=key[0], unit=key[1], low=lo, high=hi, representative=self.precise[2], category=key[2],
            actor=self.actor[1] if self.actor else None,
            place=place.name if place else None, place_type=place.type if place else None,
            claim_ids=sorted(self.claim_ids), article_ids=sorted(self.articles), outlets=sorted(self.outlets),
            sources=sorted(self.sources), mentions=self.mentions,
            independent_sources=len(self.sourced) + len(self.uncited - self.cited_in),
            period_start=self.period[0], period_end=self.period[1],
            first_published=self.published[0], last_published=self.published[1],
        )


def _widen(span: list, start: date, end: date) -> None:
    span[0] = start if span[0] is None else min(span[0], start)
    span[1] = end if span[1] is None else max(span[1], end)


def group_refs(groups: list[ClaimGroup]) -> dict[str, GroupRef]:
    """``{claim id: GroupRef}``, to set ``Claim.group`` with ``claim.model_copy(update=...)``."""
    return {cid: g.ref() for g in groups for cid in g.claim_ids}


def _coarse(g: ClaimGroup) -> bool:
    return g.place is None or (g.place_type or "").casefold() in word_class("coarse_places")


def _apart(a: tuple[date | None, date | None], b: tuple[date | None, date | None], days: int) -> bool:
    """True when both ranges are known and more than ``days`` apart."""
    if None in a or None in b:
        return False
    gap = timedelta(days=days)
    return a[1] + gap < b[0] or b[1] + gap < a[0]  # type: ignore[operator]


def _differs(a: ClaimGroup, b: ClaimGroup, params: GroupingParams, shares_article: SharesArticle | None = None
             ) -> list[str] | None:
    """What explains two non-overlapping groups' difference, or None if they are not the same quantity."""
    lo, hi = sorted((abs(a.low + a.high) / 2, abs(b.low + b.high) / 2))
    if lo <= 0 or hi / lo > params.max_conflict_ratio:
        return None  # "1,000" and "110,649" square kilometres are not two readings of one figure
    if _apart((a.first_published, a.last_published), (b.first_published, b.last_published),
              params.conflict_window_days):
        return None
    out = []
    if a.category and b.category and a.category != b.category:
        if "killed_or_wounded" not in (a.category, b.category):
            return None  # killed vs wounded are different quantities, not a disagreement
        out.append("category")
    shared = shares_article(a, b) if shares_article is not None else not set(a.article_ids).isdisjoint(b.article_ids)
    if shared:
        return None  # one article giving two figures tells a change ("then 1,376, now 800"), not a dispute
    if (a.first_published is None or b.first_published is None) and not (
        a.place and a.actor and _place_key(a.place) == _place_key(b.place) and _norm(a.actor) == _norm(b.actor)
    ):
        return None  # without dates, only the same actor at the same place says "the same quantity"
    if _place_key(a.place) != _place_key(b.place):
        if _coarse(a) == _coarse(b):
            return None  # two regions, or two countries: different quantities
        region, whole = (b, a) if _coarse(a) else (a, b)
        if whole.place is not None and _country_of(region.place) not in (None, _country_of(whole.place)):
            return None  # a region of another country is not part of that whole
        out.append("scope")
    if _apart((a.period_start, a.period_end), (b.period_start, b.period_end), 0) or _apart(
        (a.first_published, a.last_published), (b.first_published, b.last_published), params.period_gap_days
    ):
        out.append("period")
    return out or ["value"]


def _explain(a: ClaimGroup, b: ClaimGroup, differs: list[str]) -> str:
    what = f"{a.representative.text!r} vs {b.representative.text!r} ({a.kind.value}"
    what += f", {a.actor})" if a.actor else ")"
    reasons = {
        "value": "the same quantity with different values",
        "category": f"different categories: {a.category} vs {b.category}",
        "scope": f"different scope: {a.place or 'no place'} vs {b.place or 'no place'}",
        "period": f"different periods or as-of dates: {a.period_start or a.first_published} vs "
                  f"{b.period_start or b.first_published}",
    }
    return f"{what}: " + "; ".join(reasons[d] for d in differs)


def find_conflicts(groups: list[ClaimGroup], params: GroupingParams | None = None,
                   shares_article: SharesArticle | None = None) -> list[Conflict]:
    """Link groups about the same quantity whose value intervals do not overlap.

    Groups are blocked by (kind, unit, actor), then compared only within the same place,
    or a place against no place / a whole country (scope); only with groups first reported
    within ``conflict_window_days``, nearest in time first, at most ``max_comparisons``
    comparisons and ``max_conflicts_per_group`` links per group. ``shares_article(a, b)`` says
    whether two groups hold a claim of one article (default: from their ``article_ids``), so that
    the corpus pass can link groups read without their member lists.
    """
    return list(iter_conflicts(groups, params, shares_article))


def iter_conflicts(groups: list[ClaimGroup], params: GroupingParams | None = None,
                   shares_article: SharesArticle | None = None) -> Iterator[Conflict]:
    """``find_conflicts`` one conflict at a time, so that a caller can store them as they come."""
    return (make_conflict(*link) for link in iter_links(groups, params, shares_article))


def iter_links(groups: list[ClaimGroup], params: GroupingParams | None = None,
               shares_article: SharesArticle | None = None) -> Iterator[tuple[str, Any, Any, list[str]]]:
    """The links of ``find_conflicts`` as (conflict id, group, group, what differs), before the
    ``Conflict`` is built (``make_conflict``): a caller that keeps most conflicts as stored builds few."""
    params = params or GroupingParams()
    blocks: dict[tuple, list[ClaimGroup]] = defaultdict(list)
    for g in groups:
        if g.kind in CONFLICT_KINDS:
            blocks[(g.kind, g.unit, _norm(g.actor))].append(g)
    links: dict[str, int] = defaultdict(int)
    reach = params.max_comparisons
    for block in blocks.values():
        by_place: dict[str | None, list[ClaimGroup]] = defaultdict(list)
        for g in sorted(block, key=_when):
            by_place[_place_key(g.place)].append(g)
        coarse = sorted((g for g in block if _coarse(g)), key=_when)
        for same in by_place.values():
            for i, a in enumerate(same):
                yield from _link(a, same[i + 1:i + 1 + reach], params, links, shares_article)
        for a in block:
            if not _coarse(a):
                yield from _link(a, _near(coarse, a, params), params, links, shares_article)


def make_conflict(cid: str, a: Any, b: Any, differs: list[str]) -> Conflict:
    return Conflict(id=cid, group_ids=[a.id, b.id], values=[(a.low, a.high), (b.low, b.high)],
                    differs=differs, explanation=_explain(a, b, differs))  # type: ignore[arg-type]


def _when(g: ClaimGroup) -> tuple[date, str]:
    return g.first_published or date.min, g.id


def _near(sorted_groups: list[ClaimGroup], a: ClaimGroup, params: GroupingParams) -> list[ClaimGroup]:
    """The first ``max_comparisons`` groups first reported from ``conflict_window_days`` before ``a``
    on (from the first if ``a`` is undated)."""
    start = 0
    if a.first_published is not None:
        since = a.first_published - timedelta(days=params.conflict_window_days)
        start = bisect.bisect_left(sorted_groups, (since, ""), key=_when)
    return sorted_groups[start:start + params.max_comparisons]


def _link(a: ClaimGroup, later: list[ClaimGroup], params: GroupingParams, links: dict[str, int],
          shares_article: SharesArticle | None = None) -> Iterator[tuple[str, Any, Any, list[str]]]:
    window = timedelta(days=params.conflict_window_days)
    for b in later[: params.max_comparisons]:
        if a.first_published and b.first_published and b.first_published - a.first_published > window:
            break
        if links[a.id] >= params.max_conflicts_per_group:
            break
        if b is a or (a.low <= b.high and b.low <= a.high) or links[b.id] >= params.max_conflicts_per_group:
            continue
        differs = _differs(a, b, params, shares_article)
        if differs is None:
            continue
        links[a.id] += 1
        links[b.id] += 1
        yield "conf:" + hashlib.sha256("|".join(sorted((a.id, b.id))).encode()).hexdigest()[:16], a, b, differs
