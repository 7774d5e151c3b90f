"""Batch ingestion: read inputs, skip what the store already has, extract, write in batches.

The parent process reads the inputs as a stream, drops articles the store already has,
cuts the rest into chunks and hands them to an engine: this process (one worker), a pool
of worker processes (``extraction.run.parallel``) or a Dask cluster (``extraction.run.dask_engine``).
It is the only writer: each chunk's articles, claims and input keys go to the store in
one transaction, so a run killed at any point (Ctrl-C, ``kill -9``) leaves a consistent
store, and the same command started again goes on where it stopped.

A bad input never stops the run: it becomes a ``Failure`` recorded in the store.
Progress goes to an optional callback so the library never prints.
"""

from __future__ import annotations

import gc
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TypeVar

from extraction.nlp.pipeline import EXTRACTOR_VERSION
from extraction.readers.ingest import iter_inputs
from extraction.run.parallel import ChunkResult, default_workers, extract_chunk, extract_in_pool
from extraction.run.settings import Settings, get_settings
from models import Article, Failure
from models.errors import ClaimsError
from models.store import ClaimStore

T = TypeVar("T")

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")


@dataclass
class RunSummary:
    """What one ingest run did; ``failures`` counts failed inputs by reason.

    ``articles`` counts articles read (stored now or before), ``inputs`` everything read
    (articles and failed inputs), for progress against an estimated total.
    """

    articles: int = 0
    added: int = 0
    skipped: int = 0
    claims: int = 0
    failures: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    clusters: int = 0
    groups: int = 0
    conflicts: int = 0
    extracted: int = 0
    appearances: int = 0
    unreadable: int = 0
    workers: int = 1
    engine: str = "local"

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def inputs(self) -> int:
        return self.articles + self.unreadable

    def as_dict(self) -> dict:
        return {"articles": self.articles, "added": self.added, "skipped": self.skipped,
                "new_appearances": self.appearances,
                "claims": self.claims, "failed": self.failed, "failures": dict(self.failures),
                "copy_clusters": self.clusters, "claim_groups": self.groups, "conflicts": self.conflicts,
                "seconds": round(self.seconds, 2), "workers": self.workers, "engine": self.engine,
                "articles_per_second": round(self.extracted / self.seconds, 1) if self.seconds else 0.0}


Progress = Callable[[RunSummary], None]


def ingest(paths: Sequence[str | Path], db: str | Path, settings: Settings | None = None,
           progress: Progress | None = None, on_failure: Callable[[Failure], None] | None = None,
           refresh_always: bool = False, workers: int | None = None, engine: str = "local",
           scheduler: object | None = None, corpus_pass: bool = True,
           corpus_progress: Callable[[str, int, int], None] | None = None) -> RunSummary:
    """Ingest articles from files, directories, JSONL dumps or ``-`` into the store at ``db``.

    ``workers`` extraction processes (default ``settings.workers``, else the number of
    cores; 1 extracts in this process, as does any run whose new articles fit in one
    chunk). ``engine="dask"`` sends units of the input (byte ranges of JSONL dumps, runs of
    files; ``extraction.readers.ranges``) to the Dask cluster at ``scheduler`` (an address
    such as ``tcp://10.0.0.5:8786``, or a ``distributed.Client``) instead, which reads and
    extracts them; the shards are stored here in input order.

    An article whose text is already stored is not extracted again: where it was read
    (another file, outlet or URL) is recorded as one more appearance of that text, so a
    re-run, or a run resumed after a crash, does no work twice and loses nothing. A new
    text at a known URL or file is stored as that page's current version. When anything new was stored -- by this run
    or by one whose corpus pass was interrupted or skipped -- copy clusters, claim groups and
    conflicts are recomputed (``extraction.corpus.refresh``); ``corpus_pass=False`` leaves
    that to a later run or ``claims refresh`` (ingesting many dumps one after another).
    Raises ``StoreError`` when the store cannot be opened or written, ``ClaimsError`` for
    a bad engine; ``KeyboardInterrupt`` leaves the committed chunks in the store.
    """
    settings = settings or get_settings()
    if engine not in ENGINES:
        raise ClaimsError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "dask" and scheduler is None:
        raise ClaimsError("the dask engine needs a scheduler address (--scheduler tcp://HOST:8786)")
    workers = workers or settings.workers or default_workers()
    summary = RunSummary(workers=workers if engine == "local" else 0, engine=engine)
    t0 = time.perf_counter()
    with _collector_skips_what_is_alive(), ClaimStore(db) as store:
        run_id = store.start_run({"paths": [str(p) for p in paths], "extractor_version": EXTRACTOR_VERSION,
                                  "engine": engine, "workers": summary.workers})

        def fail(f: Failure) -> None:
            summary.failures[f.reason] += 1
            summary.unreadable += f.stage == "ingest"
            store.record_failure(f, run_id)
            if on_failure is not None:
                on_failure(f)

        # ids sent to extraction and not yet stored (bounded by the queue), each with the further
        # appearances of its text read meanwhile, recorded once the text is stored
        in_flight: dict[str, list[Article]] = {}
        units = engine == "dask" and not any(str(p) == "-" for p in paths)
        if units:  # the cluster reads byte ranges and files itself; shards merged here in input order
            from extraction.readers.ranges import plan_units
            from extraction.run.dask_engine import extract_units_on_dask

            known = store.stored_ids if store.count_articles() else None
            results: Iterable[ChunkResult] = extract_units_on_dask(plan_units(paths), scheduler, settings, known)
        else:
            chunks = _fresh_chunks(iter_inputs(paths, settings), store, summary, fail, in_flight, settings.batch_size)
            if engine == "dask":
                from extraction.run.dask_engine import extract_on_dask

                results = extract_on_dask(chunks, scheduler, batch_size=settings.batch_size)
            else:
                results = _extract_local(chunks, workers, settings.batch_size)
        for result in results:
            for failure in result.failures:
                fail(failure)
            if units:
                _unit_copies(store, result, summary, in_flight)
            if result.pairs:
                batch = [(article, claims, article.path) for article, claims in result.pairs]
                summary.added += store.add_many(batch, extractor_version=EXTRACTOR_VERSION)
                summary.claims += sum(len(claims) for _, claims in result.pairs)
                summary.extracted += len(result.pairs)
                copies = [c for article, _ in result.pairs for c in in_flight.pop(article.id, [])]
                if copies:
                    summary.appearances += store.add_appearances(copies)
            if progress is not None:
                summary.seconds = time.perf_counter() - t0
                progress(summary)
        if corpus_pass and (summary.added or summary.appearances or refresh_always or store.corpus_stale()):
            from extraction.corpus.refresh import refresh

            corpus = refresh(store, settings, corpus_progress)
            summary.clusters, summary.groups, summary.conflicts = corpus.clusters, corpus.groups, corpus.conflicts
        summary.seconds = time.perf_counter() - t0
        store.finish_run(run_id, summary.added, summary.claims, summary.failed)
        if progress is not None:
            progress(summary)
    return summary


@contextmanager
def _collector_skips_what_is_alive() -> Iterator[None]:
    """During a run the cyclic garbage collector leaves alone the objects alive when it started
    (the modules, spaCy's among them, and what the caller holds): they outlive the run, and
    every full collection would walk them all again (about 0.4 s of CPU in a one-core run over
    2,222 articles). They go back to the collector when the run ends; a process that froze
    objects itself (``gc.freeze``) is left as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _fresh_chunks(items: Iterable[Article | Failure], store: ClaimStore, summary: RunSummary,
                  fail: Callable[[Failure], None], in_flight: dict[str, list[Article]],
                  size: int) -> Iterator[list[Article]]:
    """Chunks of up to ``size`` articles that neither the store nor this run has yet.

    The check is one query per chunk, not a set of every key ever stored, so memory does
    not grow with the store or the corpus.
    """
    chunk: list[Article] = []
    for item in items:
        if isinstance(item, Failure):
            fail(item)
            continue
        summary.articles += 1
        chunk.append(item)
        if len(chunk) >= size:
            fresh = _unseen(store, chunk, in_flight, summary)
            chunk = []
            if fresh:
                yield fresh
    if chunk and (fresh := _unseen(store, chunk, in_flight, summary)):
        yield fresh


def _unseen(store: ClaimStore, chunk: list[Article], in_flight: dict[str, list[Article]],
            summary: RunSummary) -> list[Article]:
    """The articles of ``chunk`` whose text is new. A text already stored is skipped, and
    where it was read now is recorded as an appearance; a text this run is extracting
    already waits in ``in_flight`` for its first copy to be stored."""
    return _first_copies(store, chunk, lambda article: article, in_flight, summary)


def _unit_copies(store: ClaimStore, result: ChunkResult, summary: RunSummary,
                 in_flight: dict[str, list[Article]]) -> None:
    """A cluster unit's shard before it is stored: texts the store had when the unit was read
    are appearances now; of the rest, a text stored by an earlier shard, or read twice in this
    one, keeps its first copy and the others wait in ``in_flight`` to be recorded after it."""
    summary.articles += len(result.pairs) + len(result.again)
    summary.skipped += len(result.again)
    if result.again:
        summary.appearances += store.add_appearances(result.again)
    result.pairs = _first_copies(store, result.pairs, lambda pair: pair[0], in_flight, summary)


def _first_copies(store: ClaimStore, items: list[T], article_of: Callable[[T], Article],
                  in_flight: dict[str, list[Article]], summary: RunSummary) -> list[T]:
    """The items whose article is the first copy of its text: a text already stored becomes an
    appearance now, one this run is extracting waits in ``in_flight``; both count as skipped."""
    stored = store.stored_ids([article_of(item).id for item in items])
    fresh, again = [], []
    for item in items:
        article = article_of(item)
        if article.id in stored:
            again.append(article)
        elif article.id in in_flight:
            in_flight[article.id].append(article)
        else:
            in_flight[article.id] = []
            fresh.append(item)
            continue
        summary.skipped += 1
    if again:
        summary.appearances += store.add_appearances(again)
    return fresh


def _extract_local(chunks: Iterable[list[Article]], workers: int, batch_size: int) -> Iterator[ChunkResult]:
    """Chunks through a process pool, or in this process for one worker or a single chunk
    (starting worker processes costs more than one chunk of extraction)."""
    source = iter(chunks)
    head = [c for c in (next(source, None), next(source, None)) if c is not None]
    if workers > 1 and len(head) == 2:
        log.info("extracting with %d worker processes", workers)
        yield from extract_in_pool(chain(head, source), workers, batch_size)
        return
    for chunk in chain(head, source):
        yield extract_chunk(chunk, batch_size)
