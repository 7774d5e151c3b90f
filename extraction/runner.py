"""Batch ingestion: read inputs, skip what the store already has, extract, write in batches.

A bad input never stops the run: it becomes a ``Failure`` recorded in the store.
Progress goes to an optional callback so the library never prints.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extraction.api import extract_articles
from extraction.corpus import refresh
from extraction.ingest import iter_inputs
from extraction.pipeline import EXTRACTOR_VERSION
from extraction.settings import Settings, get_settings
from models import Article, Claim, Failure
from models.store import ClaimStore

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What one ingest run did; ``failures`` counts failed inputs by reason."""

    articles: int = 0
    added: int = 0
    skipped: int = 0
    claims: int = 0
    failures: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    clusters: int = 0
    groups: int = 0
    conflicts: int = 0

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def as_dict(self) -> dict:
        return {"articles": self.articles, "added": self.added, "skipped": self.skipped,
                "claims": self.claims, "failed": self.failed, "failures": dict(self.failures),
                "copy_clusters": self.clusters, "claim_groups": self.groups, "conflicts": self.conflicts,
                "seconds": round(self.seconds, 2)}


Progress = Callable[[RunSummary], None]


def ingest(paths: Sequence[str | Path], db: str | Path, settings: Settings | None = None,
           progress: Progress | None = None, on_failure: Callable[[Failure], None] | None = None,
           refresh_always: bool = False) -> RunSummary:
    """Ingest articles from files, directories, JSONL dumps or ``-`` into the store at ``db``.

    Articles already stored by this extractor version are skipped, so a re-run (or a run
    resumed after a crash) does no work twice. When anything new was stored, copy clusters,
    claim groups and conflicts are recomputed (``extraction.corpus.refresh``).
    """
    settings = settings or get_settings()
    summary = RunSummary()
    t0 = time.perf_counter()
    with ClaimStore(db) as store:
        run_id = store.start_run({"paths": [str(p) for p in paths], "extractor_version": EXTRACTOR_VERSION})
        done = store.processed_keys()

        def fail(f: Failure) -> None:
            summary.failures[f.reason] += 1
            store.record_failure(f, run_id)
            if on_failure is not None:
                on_failure(f)

        def fresh() -> Iterator[Article]:
            for item in iter_inputs(paths, settings):
                if isinstance(item, Failure):
                    fail(item)
                    continue
                summary.articles += 1
                if item.path in done or store.has_article(item.id):
                    summary.skipped += 1
                    continue
                yield item

        batch: list[tuple[Article, list[Claim], str | None]] = []
        for article, claims in _safe_extract(fresh(), settings.batch_size, fail):
            batch.append((article, claims, article.path))
            summary.claims += len(claims)
            if len(batch) >= settings.batch_size:
                summary.added += store.add_many(batch, extractor_version=EXTRACTOR_VERSION)
                batch.clear()
                if progress is not None:
                    summary.seconds = time.perf_counter() - t0
                    progress(summary)
        if batch:
            summary.added += store.add_many(batch, extractor_version=EXTRACTOR_VERSION)
        if summary.added or refresh_always:
            corpus = refresh(store, settings)
            summary.clusters, summary.groups, summary.conflicts = corpus.clusters, corpus.groups, corpus.conflicts
        summary.seconds = time.perf_counter() - t0
        store.finish_run(run_id, summary.added, summary.claims, summary.failed)
        if progress is not None:
            progress(summary)
    return summary


def _safe_extract(articles: Iterable[Article], batch_size: int,
                  fail: Callable[[Failure], None]) -> Iterator[tuple[Article, list[Claim]]]:
    """Extract in batches; an article that breaks the extractor is recorded and skipped."""
    pending: list[Article] = []

    def run(chunk: list[Article]) -> Iterator[tuple[Article, list[Claim]]]:
        try:
            yield from list(extract_articles(chunk, batch_size=batch_size))
        except Exception:  # noqa: BLE001 - isolate the bad article, then go on
            for a in chunk:
                try:
                    yield from list(extract_articles([a], batch_size=1))
                except Exception as exc:  # noqa: BLE001
                    log.exception("extraction failed for %s", a.path)
                    fail(Failure(path=a.path, stage="extract", reason="extractor",
                                 message=f"{type(exc).__name__}: {exc}"))

    for article in articles:
        pending.append(article)
        if len(pending) >= batch_size:
            yield from run(pending)
            pending = []
    if pending:
        yield from run(pending)
