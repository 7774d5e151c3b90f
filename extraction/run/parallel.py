"""Extraction of article chunks in this process or in a pool of worker processes.

A *chunk* is a list of articles; every engine (in-process, process pool, Dask) turns one
chunk into a `ChunkResult` with `extract_chunk`, so all of them produce the same claims.
Workers only extract: the parent reads the inputs and is the only writer to the store.

>>> result = extract_chunk([Article.from_text("Some 50,000 troops were deployed.", "a.txt")])
>>> [c.quantity.value for _, claims in result.pairs for c in claims]
[50000.0]
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from models import Article, Claim, Failure
from models.article import input_line

log = logging.getLogger(__name__)


@dataclass
class ChunkResult:
    """The claims of a chunk's articles, the articles that broke the extractor, and texts read again."""

    pairs: list[tuple[Article, list[Claim]]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    #: articles read whose text the store had already (a cluster task's unit): appearances
    again: list[Article] = field(default_factory=list)


def extract_chunk(articles: list[Article], batch_size: int = 64) -> ChunkResult:
    """Extract every article of ``articles`` with ``nlp.pipe``; an article that raises is
    retried alone and, if it fails again, returned as an ``extract`` failure (reason
    ``extractor``) so the rest of the chunk is kept. The pipeline is built once per process.
    """
    from extraction.run.api import extract_articles

    result = ChunkResult()
    try:
        result.pairs = list(extract_articles(articles, batch_size=batch_size))
        return result
    except Exception:  # noqa: BLE001 - isolate the bad article, then go on
        log.debug("chunk of %d failed; retrying one article at a time", len(articles))
    for article in articles:
        try:
            result.pairs.extend(extract_articles([article], batch_size=1))
        except Exception as exc:  # noqa: BLE001
            log.exception("extraction failed for %s", article.path)
            result.failures.append(_extract_failure(article, f"{type(exc).__name__}: {exc}", "extractor"))
    return result


def _extract_failure(article: Article, message: str, reason: str) -> Failure:
    path, line = input_line(article.path)
    return Failure(path=path, line=line, stage="extract", reason=reason, message=message)


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(log_level: int, owner: int) -> None:
    """Runs once in every worker: Ctrl-C is the parent's business, the worker exits when the
    process that started the pool (``owner``) is gone, and the pipeline is built before the
    first chunk arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The worker's parent is the fork server, which outlives a killed owner (it exits only once
    # its workers have), so PR_SET_PDEATHSIG would never fire: a thread watches the owner instead.
    threading.Thread(target=_exit_with, args=(owner,), name="owner-watch", daemon=True).start()
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    from extraction.nlp.pipeline import get_nlp

    get_nlp()
    gc.freeze()  # what the worker holds from now on (modules, the pipeline) lives as long as it does


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc (not Linux): kill(0) said it exists


def _exit_with(owner: int, every: float = 0.5) -> None:
    while _alive(owner):
        time.sleep(every)
    os._exit(0)  # the owner is gone (kill -9, a crash): nobody will read this worker's results


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers start from a clean process (no threads of the parent, such as a
    # progress bar), and the heavy imports are done once in the server, not per worker
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["extraction.run.api", "extraction.run.parallel"])
        return ctx
    return multiprocessing.get_context("spawn")


def extract_in_pool(chunks: Iterable[list[Article]], workers: int, batch_size: int = 64,
                    in_flight: int | None = None) -> Iterator[ChunkResult]:
    """Extract ``chunks`` in ``workers`` processes; yields their results in the order of ``chunks``.

    Workers finish in any order, but the results are handed on in input order (a finished
    chunk waits for those before it), so the store holds the articles in the order they were
    read whatever the number of workers, and the corpus pass, which takes them in storing
    order, gives the same clusters and groups as one worker. At most ``in_flight`` chunks
    (default twice the workers) are submitted or waiting at a time, so the input is read
    only as fast as it is extracted and memory stays flat. When a worker dies (killed, out
    of memory, a crash in native code) the pool is restarted and the chunks it held are
    tried again one at a time; a chunk that kills a worker again fails its articles with
    reason ``worker_died`` and the run goes on.
    """
    limit = in_flight or 2 * workers
    pool = _pool(workers)
    pending: dict[Future[ChunkResult], tuple[list[Article], int, int]] = {}
    retry: deque[tuple[list[Article], int]] = deque()
    ready: dict[int, ChunkResult] = {}  # finished chunks waiting for those before them
    source = iter(chunks)
    exhausted = False
    submitted = emitted = 0
    try:
        while True:
            if retry:
                if not pending:  # a suspect runs alone, so it cannot take others down with it
                    chunk, seq = retry.popleft()
                    pending[pool.submit(extract_chunk, chunk, batch_size)] = (chunk, seq, 1)
            else:
                while not exhausted and submitted - emitted < limit:
                    chunk = next(source, None)
                    if chunk is None:
                        exhausted = True
                    else:
                        pending[pool.submit(extract_chunk, chunk, batch_size)] = (chunk, submitted, 0)
                        submitted += 1
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                done = set(pending)  # the whole pool is gone: collect every chunk it held
                wait(done)
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(workers)
            for future in done:
                chunk, seq, attempts = pending.pop(future)
                if not isinstance(future.exception(), BrokenProcessPool):
                    ready[seq] = future.result()
                elif attempts == 0:
                    retry.append((chunk, seq))
                else:
                    log.error("a worker process died on a chunk of %d articles; they are recorded as failed",
                              len(chunk))
                    message = "a worker process died while extracting this article's chunk"
                    ready[seq] = ChunkResult(failures=[_extract_failure(a, message, "worker_died") for a in chunk])
            retry = deque(sorted(retry, key=lambda r: r[1]))
            while emitted in ready:
                yield ready.pop(emitted)
                emitted += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(workers: int) -> ProcessPoolExecutor:
    level = logging.getLogger().getEffectiveLevel()
    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                               initargs=(level, os.getpid()))
