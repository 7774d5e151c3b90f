"""Near-duplicate articles: exact copies and syndicated copies (trimmed, re-introduced, typo'd, shuffled).

Pure, no spaCy. Design from measurements (shared/notes/dedup.md): containment, not Jaccard,
over a *sampled* 5-word-shingle index; verify every candidate; cluster around a canonical
copy, never by transitive closure. ``NearDupIndex.add`` does, for each article:

1. Exact: 8-byte BLAKE2b of ``normalise_text(text)``; same normalised text = exact copy.
2. Content: URLs removed; lines kept if they have ``min_line_words`` words and end like a
   sentence, or are long prose. Menus, link lists and other-headline lists, which all
   pages of a site share, are not story text. A text with no such line is kept whole.
3. Shingles: CRC-32 word hashes combined into 64-bit hashes of ``shingle_size`` words
   (deterministic across processes, vectorised with numpy).
4. Blocking: one shingle in ``sample_rate`` (by hash, so copies sample alike) is looked up
   in a posting index of cluster *centres*; a sample posted by more than ``max_postings``
   centres is boilerplate or a stock phrase and ignored. Clusters sharing ``min_hits``
   samples, with an estimated containment >= ``prefilter``, are verified, best first, at
   most ``max_candidates``. Never all pairs.
5. Verify against each centre of a candidate (from its zlib content): containment (shared
   shingles / the shorter text's shingles) >= ``min_containment`` and rapidfuzz
   ``token_set_ratio`` >= ``min_token_set``. Containment makes a trimmed copy inside a
   longer one a copy; token_set_ratio is a second opinion. A text under ``excerpt_ratio``
   of the other's length must have ``min_excerpt`` shingles: a consent wall or error page
   whose banner the full page also shows is not a copy of the story.
6. Join the verified cluster with the highest containment, or found a new one.

Canonical: the earliest-published member; among equal or missing dates, the longest
text (whitespace collapsed); then the first to arrive. Members are matched against *centres* only (the
founder and each later member that became canonical, at most ``max_centres``), never
against each other, so copies of copies cannot chain unrelated stories. A new member that
outranks the canonical becomes canonical (and a centre, unless it is an exact copy); the old
canonical takes its match score as similarity, other members keep their similarity to the
centre they matched. ``cluster_documents`` adds articles in canonical order, so there the
founder is the canonical and every similarity is to it; streaming in another order may
cluster differently.

Memory: per live cluster, the zlib content of its centres (about 45% of the text) and 8
bytes per sampled shingle in sorted numpy runs; per article, an exact-hash entry and its
membership record. Beyond ``max_clusters`` live clusters the oldest are retired (members
kept, index entries dropped), which bounds the index for any stream.

>>> index = NearDupIndex(DedupParams())
>>> index.add("a", "Some story text.", None) is None
True
>>> index.add("b", "some  story text.", None).exact
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.groups import DupCluster, DupMatch, DupMember

__all__ = ["DedupParams", "NearDupIndex", "cluster_documents", "cluster_map", "containment", "content_text",
           "content_words", "normalise", "shingle_hashes"]

_WORD = re.compile(r"\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_QUOTES = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'))
_SLOT_BITS = 28  # a posting packs the shingle hash's top 36 bits and a 28-bit cluster slot
_SLOT_MASK = np.uint64((1 << _SLOT_BITS) - 1)
_MIX = (np.uint64(30), np.uint64(0xBF58476D1CE4E5B9), np.uint64(27), np.uint64(0x94D049BB133111EB))
_PRIME = np.uint64(0x100000001B3)


class DedupParams(BaseModel):
    """Thresholds of near-duplicate detection: ``Settings.dedup`` (``CLAIMS_DEDUP__<FIELD>``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    shingle_size: int = Field(default=5, ge=1, description="words per shingle")
    sample_rate: int = Field(default=8, ge=1, description="index one shingle in N (by hash)")
    min_containment: float = Field(default=0.5, description="verified copy: shared / shorter's shingles")
    min_token_set: float = Field(default=85.0, description="verified copy: rapidfuzz token_set_ratio")
    min_line_words: int = Field(default=7, description="shorter lines are page furniture, not content")
    min_shingles: int = Field(default=20, description="shorter contents are matched only as exact copies")
    excerpt_ratio: float = Field(default=0.2, description="a copy this much shorter than the other is an excerpt")
    min_excerpt: int = Field(default=100, description="shingles an excerpt needs (a consent wall has fewer)")
    prefilter: float = Field(default=0.25, description="estimated containment from samples to verify")
    min_hits: int = Field(default=2, description="shared sampled shingles to become a candidate")
    max_candidates: int = Field(default=4, description="candidate clusters verified per article")
    max_postings: int = Field(default=64, description="a sample in more centres is boilerplate")
    max_centres: int = Field(default=3, description="centres (founder + later canonicals) per cluster")
    max_clusters: int = Field(default=200_000, le=1 << 27, description="live clusters (~1 KB each); oldest retired")
    buffer_postings: int = Field(default=1 << 16, description="postings buffered before a sorted run")

    @classmethod
    def from_settings(cls, settings: Any) -> DedupParams:
        """The ``dedup`` of an ``extraction.run.settings.Settings``."""
        return settings.dedup


def normalise(text: str) -> str:
    """``models.article.normalise_text`` (same output), faster on long texts."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    for a, b in _QUOTES:
        text = text.replace(a, b)
    return " ".join(text.split()).lower()


def content_text(text: str, min_line_words: int = 7, prose_words: int = 25) -> str:
    """The story lines of ``text``: the whole text if it has none.

    A story line has at least ``min_line_words`` words and ends like a sentence, or has at
    least ``prose_words`` words; URLs are removed first. Menus, link lists, titles and
    lists of other headlines (the furniture pages of one site share) are dropped.

    >>> content_text("Home | News\\nMore headlines from the region today\\nTroops crossed the river on Monday.", 5)
    'Troops crossed the river on Monday.'
    """
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    lines = text.splitlines()
    kept = [line for line in lines if _is_story_line(line, min_line_words, prose_words)]
    if not kept:
        return text
    return text if len(kept) == len(lines) else "\n".join(kept)


def _is_story_line(line: str, min_words: int, prose_words: int) -> bool:
    spaces = line.count(" ")
    if spaces < min_words - 1:  # words <= spaces + 1
        return False
    n = spaces + 1 if "  " not in line and "\t" not in line else len(line.split())
    return n >= prose_words or (n >= min_words and _SENTENCE_END.search(line) is not None)


def _words(norm: str) -> list[str]:
    return _WORD.findall(norm)


def content_words(text: str, norm: str, min_line_words: int = 7) -> list[str]:
    """The words ``NearDupIndex`` shingles: those of the story lines (``content_text``) of ``text``,
    normalised; ``norm`` is ``normalise(text)``, reused when every line is a story line."""
    content = content_text(text, min_line_words)
    return _words(norm if content is text else normalise(content))


class _WordHashes(dict):
    """CRC-32 of words, memoised (cleared when it holds ``limit`` words, to bound its memory)."""

    def __init__(self, limit: int = 1 << 18) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, word: str) -> int:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


def shingle_hashes(words: list[str], k: int = 5, word_hashes: dict[str, int] | None = None) -> np.ndarray:
    """Sorted unique 64-bit hashes of the ``k``-word shingles (one shingle if fewer words)."""
    if not words:
        return np.zeros(0, np.uint64)
    if word_hashes is not None:
        w = np.fromiter(map(word_hashes.__getitem__, words), np.uint64, len(words))
    else:
        w = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint64, len(words))
    m = max(1, len(w) - k + 1)
    k = min(k, len(w))
    h = np.zeros(m, np.uint64)
    for i in range(k):
        h = h * _PRIME + w[i : i + m]
    s1, m1, s2, m2 = _MIX  # splitmix64 finaliser: spread the bits before sampling by hash
    h ^= h >> s1
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> np.uint64(31)
    return _sorted_unique(h)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    a = np.sort(a)  # faster than np.unique on short arrays
    keep = np.empty(a.size, bool)
    keep[:1] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Shared shingles over the shingles of the smaller set (sorted unique arrays)."""
    if not a.size or not b.size:
        return 0.0
    return np.intersect1d(a, b, assume_unique=True).size / min(a.size, b.size)


def _exact_key(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


class _Postings:
    """Multiset of (shingle key, slot) as sorted uint64 runs plus a small dict buffer (an LSM tree)."""

    def __init__(self, buffer_cap: int) -> None:
        self.runs: list[np.ndarray] = []
        self.buffer: dict[int, list[int]] = {}
        self.buffered = 0
        self.buffer_cap = buffer_cap
        self.min_live = 0  # slots below this are retired and dropped when runs merge

    def add(self, keys: np.ndarray, slot: int) -> None:
        for key in keys.tolist():
            self.buffer.setdefault(key, []).append(slot)
        self.buffered += keys.size
        if self.buffered >= self.buffer_cap:
            self._flush()

    def _flush(self) -> None:
        packed = [(k << _SLOT_BITS) | s for k, slots in self.buffer.items() for s in slots]
        self.runs.append(np.sort(np.array(packed, np.uint64)))
        self.buffer, self.buffered = {}, 0
        while len(self.runs) > 1 and self.runs[-2].size <= 2 * self.runs[-1].size:
            b, a = self.runs.pop(), self.runs.pop()
            merged = np.sort(np.concatenate([a, b]), kind="stable")  # timsort: linear on two runs
            self.runs.append(merged[(merged & _SLOT_MASK) >= self.min_live])

    def lookup(self, keys: np.ndarray, max_postings: int) -> tuple[np.ndarray, int]:
        """Packed postings of ``keys``, skipping keys posted more than ``max_postings`` times (boilerplate),
        and the number of keys not skipped."""
        lo_b = keys << np.uint64(_SLOT_BITS)
        hi_b = lo_b | _SLOT_MASK
        spans = [(run, run.searchsorted(lo_b), run.searchsorted(hi_b, "right")) for run in self.runs]
        counts = np.zeros(keys.size, np.int64)
        for _, lo, hi in spans:
            counts += hi - lo
        extra = [self.buffer.get(k, ()) for k in keys.tolist()] if self.buffer else None
        if extra is not None:
            counts += np.fromiter(map(len, extra), np.int64, keys.size)
        ok = (counts > 0) & (counts <= max_postings)
        kept = int(keys.size - np.count_nonzero(counts > max_postings))
        if not ok.any():
            return np.zeros(0, np.uint64), kept
        found: list[np.ndarray] = []
        for run, lo, hi in spans:
            lo, n = lo[ok], (hi - lo)[ok]
            if n.sum():
                starts = np.repeat(lo - np.cumsum(n) + n, n)
                found.append(run[starts + np.arange(n.sum())])
        if extra is not None:
            packed = [(k << _SLOT_BITS) | s for k, e, o in zip(keys.tolist(), extra, ok.tolist(), strict=True)
                      if o for s in e]
            found.append(np.array(packed, np.uint64))
        return (np.concatenate(found) if found else np.zeros(0, np.uint64)), kept


class _Cluster:
    __slots__ = ("number", "id", "canonical_id", "canonical_key", "centres", "members")

    def __init__(self, number: int, doc_id: str, key: tuple) -> None:
        self.number = number
        self.id = f"dup:{doc_id}"
        self.canonical_id = doc_id
        self.canonical_key = key
        self.centres: list[tuple[str, bytes]] = []  # (doc_id, zlib of the content's words)
        self.members: list[list] = [[doc_id, 1.0]]

    def export(self) -> DupCluster:
        first = [m for m in self.members if m[0] == self.canonical_id][:1]
        rest = [m for m in self.members if m[0] != self.canonical_id]
        return DupCluster(
            id=self.id,
            canonical_id=self.canonical_id,
            members=[DupMember(doc_id=d, similarity=s) for d, s in first + rest],
        )


def _length(text: str) -> int:
    """Length of the text with whitespace runs collapsed: "longest" ignores layout."""
    return len(" ".join(text.split()))


def _canonical_key(published: date | None, length: int, number: int) -> tuple:
    return (published is None, published.toordinal() if published else 0, -length, number)


class NearDupIndex:
    """Streaming near-duplicate detector: ``add`` one article at a time, ``clusters`` at any time.

    ``settings``: a ``DedupParams``, an ``extraction.run.settings.Settings`` or None (defaults).
    ``keep_members=False`` keeps no membership records (``clusters`` then lists live clusters
    with their canonical only), for streams where the caller stores each ``DupMatch``.
    """

    def __init__(self, settings: Any = None, keep_members: bool = True) -> None:
        self.params = settings if isinstance(settings, DedupParams) else (
            DedupParams() if settings is None else DedupParams.from_settings(settings))
        self.keep_members = keep_members
        self._postings = _Postings(self.params.buffer_postings)
        self._live: dict[int, _Cluster] = {}
        self._retired: list[DupCluster] = []
        self._exact: dict[int, int] = {}
        self._word_hashes = _WordHashes()
        # sampled shingles of each live cluster's largest centre, by cluster number in a ring
        self._sampled = np.zeros(min(1024, 2 * self.params.max_clusters), np.int32)
        self._arrivals = 0
        self._next_cluster = 0

    def __len__(self) -> int:
        """Number of articles added."""
        return self._arrivals

    def add(self, doc_id: str, text: str, published: date | None = None) -> DupMatch | None:
        """Index an article; return its match if it is a copy of an article already added, else None."""
        p = self.params
        self._arrivals += 1
        norm = normalise(text)
        key = _canonical_key(published, _length(text), self._arrivals)
        exact_key = _exact_key(norm)
        cluster = self._live.get(self._exact.get(exact_key, -1))
        if cluster is not None:
            return self._join(cluster, doc_id, key, 1.0, True, None)
        words = content_words(text, norm, p.min_line_words)
        shingles = shingle_hashes(words, p.shingle_size, self._word_hashes)
        sampled = shingles[shingles % np.uint64(p.sample_rate) == 0] >> np.uint64(_SLOT_BITS)
        best = None
        if shingles.size >= p.min_shingles and sampled.size:
            best = self._best_match(words, shingles, sampled)
        if best is not None:
            cluster, sim = best
            self._exact[exact_key] = cluster.number
            return self._join(cluster, doc_id, key, sim, False, (words, sampled))
        self._found(doc_id, key, exact_key, words, sampled)
        return None

    def _best_match(self, words: list[str], shingles: np.ndarray, sampled: np.ndarray) -> tuple | None:
        from rapidfuzz import fuzz  # only the corpus pass verifies copies: ingest need not import it

        p = self.params
        packed, distinct = self._postings.lookup(sampled, p.max_postings)
        if packed.size < p.min_hits:
            return None
        slots, hits = np.unique((packed & _SLOT_MASK).astype(np.int64), return_counts=True)
        slots, hits = slots[hits >= p.min_hits], hits[hits >= p.min_hits]
        counts = self._sampled[slots % (2 * p.max_clusters)]
        estimate = hits / np.maximum(1, np.minimum(distinct, counts))  # boilerplate samples left out
        order = np.argsort(-estimate, kind="stable")[: p.max_candidates]
        joined = " ".join(words)
        best = None
        for i in order[estimate[order] >= p.prefilter].tolist():
            cluster = self._live.get(int(slots[i]))
            if cluster is None:
                continue
            for _, zcontent in reversed(cluster.centres):
                other = zlib.decompress(zcontent).decode("utf-8")
                theirs = shingle_hashes(other.split(" "), p.shingle_size, self._word_hashes)
                small, large = sorted((shingles.size, theirs.size))
                if small < p.excerpt_ratio * large and small < p.min_excerpt:
                    continue  # a page of furniture (consent wall, error page) inside a full page
                sim = containment(shingles, theirs)
                if sim < p.min_containment or (best is not None and sim <= best[1]):
                    continue
                if fuzz.token_set_ratio(joined, other) >= p.min_token_set:
                    best = (cluster, round(sim, 4))
        return best

    def _found(self, doc_id: str, key: tuple, exact_key: int, words: list[str], sampled: np.ndarray) -> None:
        number = self._next_cluster
        if number > int(_SLOT_MASK):
            raise OverflowError(f"NearDupIndex holds at most {int(_SLOT_MASK) + 1} clusters; start a new index")
        self._next_cluster += 1
        cluster = _Cluster(number, doc_id, key)
        self._live[number] = cluster
        self._exact[exact_key] = number
        self._add_centre(cluster, doc_id, words, sampled)
        while len(self._live) > self.params.max_clusters:
            self._retire()

    def _add_centre(self, cluster: _Cluster, doc_id: str, words: list[str], sampled: np.ndarray) -> None:
        number, ring = cluster.number, cluster.number % (2 * self.params.max_clusters)
        if ring >= self._sampled.size:
            grow = min(max(1024, ring), 2 * self.params.max_clusters - self._sampled.size)
            self._sampled = np.concatenate([self._sampled, np.zeros(grow, np.int32)])
        self._sampled[ring] = max(int(self._sampled[ring]) if cluster.centres else 0, sampled.size)
        if cluster.centres:  # post each (shingle, cluster) once: hits count distinct shared samples
            posted = np.concatenate([self._sample(zlib.decompress(c[1]).decode("utf-8").split(" "))
                                     for c in cluster.centres])
            sampled = np.setdiff1d(sampled, posted)
        centre = (doc_id, zlib.compress(" ".join(words).encode("utf-8"), 1))
        if len(cluster.centres) >= self.params.max_centres:
            cluster.centres[-1] = centre  # the founder stays; the latest canonical replaces the last
        else:
            cluster.centres.append(centre)
        if sampled.size:
            self._postings.add(sampled, number)

    def _sample(self, words: list[str]) -> np.ndarray:
        """The sampled shingles of ``words`` as posting keys (the hash's top 36 bits)."""
        shingles = shingle_hashes(words, self.params.shingle_size, self._word_hashes)
        return shingles[shingles % np.uint64(self.params.sample_rate) == 0] >> np.uint64(_SLOT_BITS)

    def _join(self, cluster: _Cluster, doc_id: str, key: tuple, sim: float, exact: bool,
              signature: tuple | None) -> DupMatch:
        if key < cluster.canonical_key:
            for m in cluster.members:
                if m[0] == cluster.canonical_id:
                    m[1] = sim
            cluster.canonical_id, cluster.canonical_key = doc_id, key
            if signature is not None:
                self._add_centre(cluster, doc_id, *signature)
            sim_recorded = 1.0
        else:
            sim_recorded = sim
        if self.keep_members:
            cluster.members.append([doc_id, sim_recorded])
        return DupMatch(doc_id=doc_id, cluster_id=cluster.id, canonical_id=cluster.canonical_id,
                        similarity=sim, exact=exact)

    def _retire(self) -> None:
        number = next(iter(self._live))
        cluster = self._live.pop(number)
        if self.keep_members:
            self._retired.append(cluster.export())
        self._postings.min_live = number + 1
        if len(self._exact) > 4 * self.params.max_clusters:
            self._exact = {k: n for k, n in self._exact.items() if n in self._live}

    def clusters(self, include_singletons: bool = True) -> list[DupCluster]:
        """Every cluster so far (retired first, then live, in founding order)."""
        out = self._retired + [c.export() for c in self._live.values()]
        return out if include_singletons else [c for c in out if len(c.members) > 1]


def cluster_documents(
    docs: Iterable[tuple[str, str, date | None]], settings: Any = None, include_singletons: bool = True
) -> list[DupCluster]:
    """Cluster ``(doc_id, text, published)`` articles into copy clusters.

    The articles are added in canonical order (earliest published first, undated last,
    longest first among equals), so each cluster's founder is its canonical and every
    similarity is to the canonical. Equals ``NearDupIndex.add`` over the same order.
    """
    ordered = sorted(docs, key=lambda d: _canonical_key(d[2], _length(d[1]), 0)[:3] + (d[0],))
    index = NearDupIndex(settings)
    for doc_id, text, published in ordered:
        index.add(doc_id, text, published)
    return index.clusters(include_singletons)


def cluster_map(clusters: Iterable[DupCluster]) -> dict[str, str]:
    """``{article id: cluster id}`` for ``extraction.corpus.grouping.group_claims``."""
    return {m.doc_id: c.id for c in clusters for m in c.members}
