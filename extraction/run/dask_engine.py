"""Extraction on an existing Dask cluster (``dask.distributed``): ``claims ingest --engine dask``.

The parent reads the inputs and sends chunks of articles to the cluster; each task
builds the pipeline once per worker process (``get_nlp`` is cached) and returns a
*shard*: the chunk's articles and claims as JSON lines (or, with ``shard_dir`` on a file
system that the workers and the parent share, writes the shard there and returns its
path). The parent merges every shard into the store, one transaction per shard, so the
store has one writer and a run stopped at any point resumes like a local one.

Workers need this package installed (the same version as the parent). Needs the
``dask`` extra: ``pip install 'claims-extraction[dask]'``. Start workers with one thread
each (``dask worker ADDRESS --nworkers N --nthreads 1``): the threads of one worker process
take turns on its pipeline (``api.extract_articles``), so extra threads add nothing.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from extraction.run.parallel import ChunkResult, _extract_failure, extract_chunk
from models import Article, Claim, Failure
from models.errors import ClaimsError

log = logging.getLogger(__name__)


def shard_lines(result: ChunkResult) -> list[str]:
    """A chunk's result as JSON lines: ``{"article": ..., "claims": [...]}`` or ``{"failure": ...}``."""
    lines = [json.dumps({"article": a.model_dump(mode="json"), "claims": [c.model_dump(mode="json") for c in cs]},
                        ensure_ascii=False) for a, cs in result.pairs]
    lines += [json.dumps({"failure": f.model_dump(mode="json")}, ensure_ascii=False) for f in result.failures]
    return lines


def read_shard(lines: Iterable[str]) -> ChunkResult:
    """The inverse of `shard_lines`."""
    result = ChunkResult()
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        if "failure" in row:
            result.failures.append(Failure.model_validate(row["failure"]))
        else:
            result.pairs.append((Article.model_validate(row["article"]),
                                 [Claim.model_validate(c) for c in row["claims"]]))
    return result


def extract_shard(articles: list[Article], batch_size: int = 64, shard_dir: str | None = None) -> list[str] | str:
    """The Dask task: extract a chunk; return its shard lines, or write them to a new file in
    ``shard_dir`` and return the file's path."""
    lines = shard_lines(extract_chunk(articles, batch_size))
    if shard_dir is None:
        return lines
    path = os.path.join(shard_dir, f"shard-{uuid.uuid4().hex}.jsonl")
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)  # a shard is complete or absent
    return path


def extract_on_dask(chunks: Iterable[list[Article]], scheduler: object, batch_size: int = 64,
                    in_flight: int | None = None, shard_dir: str | Path | None = None) -> Iterator[ChunkResult]:
    """Extract ``chunks`` on the Dask cluster at ``scheduler`` (an address or a ``Client``);
    yields each chunk's result as it completes (any order).

    At most ``in_flight`` chunks (default twice the cluster's threads) are on the cluster at
    a time, so the parent reads the input only as fast as the cluster extracts it. A chunk
    whose task fails (e.g. its workers keep dying) fails its articles, with reason
    ``worker_died``, and the run goes on. A shard file is deleted once it has been yielded
    (the caller has stored it by then).
    """
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ClaimsError("the dask engine needs dask.distributed: pip install 'claims-extraction[dask]'") from exc
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler) if own else scheduler
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClaimsError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from exc
    assert isinstance(client, Client)
    directory = str(shard_dir) if shard_dir is not None else None
    try:
        threads = sum(client.nthreads().values()) or 1
        limit = in_flight or 2 * threads
        log.info("extracting on the Dask cluster %s (%d threads)", client.scheduler.address, threads)
        source = iter(chunks)
        chunk_of = {}
        queue = as_completed()

        def submit(chunk: list[Article]) -> None:
            future = client.submit(extract_shard, chunk, batch_size, directory, pure=False)
            chunk_of[future.key] = chunk
            queue.add(future)

        for chunk in islice(source, limit):
            submit(chunk)
        for future in queue:
            chunk = chunk_of.pop(future.key)
            try:
                shard = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker and the like: fail the chunk, go on
                log.error("Dask task failed on a chunk of %d articles: %s", len(chunk), exc)
                message = f"the Dask task failed: {type(exc).__name__}: {exc}"
                shard = None
                yield ChunkResult(failures=[_extract_failure(a, message, "worker_died") for a in chunk])
            finally:
                future.release()
            if isinstance(shard, str):
                with open(shard, encoding="utf-8") as fh:
                    yield read_shard(fh)
                os.remove(shard)
            elif shard is not None:
                yield read_shard(shard)
            following = next(source, None)
            if following is not None:
                submit(following)
    finally:
        if own:
            client.close()
