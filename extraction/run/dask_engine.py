"""Extraction on an existing Dask cluster (``dask.distributed``): ``claims ingest --engine dask``.

The scheduler carries units of work, not articles: the parent cuts the inputs into
`extraction.readers.ranges.InputUnit` s (byte ranges of about 8 MB of a JSONL dump, cut at
line starts, or runs of whole files) and sends each unit's name to the cluster. A task reads
its unit from the file system the workers share with the parent, extracts it with the
pipeline its worker process built once (``get_nlp`` is cached) and returns a *shard*: the
unit's articles and claims as JSON lines (or, with ``shard_dir``, writes the shard there and
returns its path). The parent merges the shards into the store in input order, one
transaction per shard, so the store has one writer, holds the articles in reading order (the
corpus pass, run once after the merge, gives what a local run gives) and a run stopped at any
point resumes like a local one: when the store is not empty, a unit's article ids are read
first (a cheap task) and the texts the store has are not extracted again.

Standard input cannot be cut up: it is read by the parent and sent in chunks of articles
(`extract_on_dask`). Workers need this package installed (the same version as the parent)
and the input paths readable under the same names. Needs the ``dask`` extra: ``pip install
'claims-extraction[dask]'``. Start workers with one thread each (``dask worker ADDRESS
--nworkers N --nthreads 1``): the threads of one worker process take turns on its pipeline
(``api.extract_articles``), so extra threads add nothing.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from extraction.readers.ranges import InputUnit, read_unit
from extraction.run.parallel import ChunkResult, _extract_failure, extract_chunk
from extraction.run.settings import Settings
from models import Article, Claim, Failure
from models.errors import ClaimsError

log = logging.getLogger(__name__)


def shard_lines(result: ChunkResult) -> list[str]:
    """A chunk's result as JSON lines: ``{"article": ..., "claims": [...]}`` or ``{"failure": ...}``."""
    lines = [json.dumps({"article": a.model_dump(mode="json"), "claims": [c.model_dump(mode="json") for c in cs]},
                        ensure_ascii=False) for a, cs in result.pairs]
    lines += [json.dumps({"failure": f.model_dump(mode="json")}, ensure_ascii=False) for f in result.failures]
    lines += [json.dumps({"again": a.model_dump(mode="json")}, ensure_ascii=False) for a in result.again]
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
        elif "again" in row:
            result.again.append(Article.model_validate(row["again"]))
        else:
            result.pairs.append((Article.model_validate(row["article"]),
                                 [Claim.model_validate(c) for c in row["claims"]]))
    return result


def extract_shard(articles: list[Article], batch_size: int = 64, shard_dir: str | None = None) -> list[str] | str:
    """The Dask task: extract a chunk; return its shard lines, or write them to a new file in
    ``shard_dir`` and return the file's path."""
    return _shard(shard_lines(extract_chunk(articles, batch_size)), shard_dir)


def _shard(lines: list[str], shard_dir: str | None) -> list[str] | str:
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
    """Extract chunks of articles the parent read (standard input) on the Dask cluster at
    ``scheduler`` (an address or a ``Client``); yields each chunk's result in the order of ``chunks``.

    At most ``in_flight`` chunks (default twice the cluster's threads) are on the cluster at
    a time, so the parent reads the input only as fast as the cluster extracts it. A chunk
    whose task fails (e.g. its workers keep dying) fails its articles, with reason
    ``worker_died``, and the run goes on. A shard file is deleted once it has been read.
    """
    with _client(scheduler) as client:
        threads = sum(client.nthreads().values()) or 1
        limit = in_flight or 2 * threads
        log.info("extracting on the Dask cluster %s (%d threads)", client.scheduler.address, threads)
        directory = str(shard_dir) if shard_dir is not None else None
        source = iter(chunks)
        queue: deque[tuple[list[Article], Any]] = deque()

        def submit(chunk: list[Article]) -> None:
            queue.append((chunk, client.submit(extract_shard, chunk, batch_size, directory, pure=False)))

        for chunk in islice(source, limit):
            submit(chunk)
        while queue:
            chunk, future = queue.popleft()
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


def unit_ids(unit: InputUnit, settings: Settings) -> list[str]:
    """The Dask task that precedes ``extract_unit`` when the store is not empty: the ids of the
    unit's articles, so the parent can say which texts it has already."""
    return [a.id for a in read_unit(unit, settings) if isinstance(a, Article)]


def extract_unit(unit: InputUnit, settings: Settings, known: frozenset[str] = frozenset(),
                 shard_dir: str | None = None) -> list[str] | str:
    """The Dask task: read ``unit`` and extract its articles, but for those whose text is in
    ``known`` (the store has it: returned as read again); returns the shard as ``extract_shard``."""
    result, fresh = ChunkResult(), []
    for item in read_unit(unit, settings):
        if isinstance(item, Failure):
            result.failures.append(item)
        elif item.id in known:
            result.again.append(item)
        else:
            fresh.append(item)
    extracted = extract_chunk(fresh, settings.batch_size)
    result.pairs, result.failures = extracted.pairs, result.failures + extracted.failures
    return _shard(shard_lines(result), shard_dir)


def extract_units_on_dask(units: Iterable[InputUnit | Failure], scheduler: object, settings: Settings,
                          known: Callable[[list[str]], set[str]] | None = None, in_flight: int | None = None,
                          shard_dir: str | Path | None = None) -> Iterator[ChunkResult]:
    """Extract ``units`` on the Dask cluster at ``scheduler`` (an address or a ``Client``); yields
    each unit's result in the order of ``units`` (a planning ``Failure`` as a result of its own).

    ``known`` (the store's ``stored_ids``) is asked, per unit, which of its article ids the store
    has; None: the store was empty. At most ``in_flight`` units (default twice the cluster's
    threads) are on the cluster at a time. A unit whose task fails (e.g. its workers keep dying)
    is one ``worker_died`` failure naming its file and first line, and the run goes on."""
    with _client(scheduler) as client:
        threads = sum(client.nthreads().values()) or 1
        limit = in_flight or 2 * threads
        log.info("extracting units on the Dask cluster %s (%d threads)", client.scheduler.address, threads)
        directory = str(shard_dir) if shard_dir is not None else None
        queue: deque[tuple[InputUnit | Failure, Any]] = deque()
        source = iter(units)

        def submit(unit: InputUnit | Failure) -> None:
            if isinstance(unit, Failure):
                queue.append((unit, None))
                return
            have: frozenset[str] = frozenset()
            if known is not None:
                ids = client.submit(unit_ids, unit, settings, pure=False)
                try:
                    have = frozenset(known(ids.result()))
                except Exception:  # noqa: BLE001 - the extract task will fail the same way and say so
                    have = frozenset()
                finally:
                    ids.release()
            queue.append((unit, client.submit(extract_unit, unit, settings, have, directory, pure=False)))

        for unit in islice(source, limit):
            submit(unit)
        while queue:
            unit, future = queue.popleft()
            if future is None:
                yield ChunkResult(failures=[unit])
            else:
                yield _unit_result(unit, future)
            following = next(source, None)
            if following is not None:
                submit(following)


def _unit_result(unit: InputUnit, future: Any) -> ChunkResult:
    try:
        shard = future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker and the like: fail the unit, go on
        log.error("Dask task failed on %s: %s", unit.key, exc)
        message = f"the Dask task failed on {unit.key}: {type(exc).__name__}: {exc}"
        return ChunkResult(failures=[Failure(path=unit.paths[0], line=unit.line if unit.end >= 0 else None,
                                             stage="extract", reason="worker_died", message=message)])
    finally:
        future.release()
    if isinstance(shard, str):
        with open(shard, encoding="utf-8") as fh:
            result = read_shard(fh)
        os.remove(shard)
        return result
    return read_shard(shard)


class _client:
    """A ``distributed.Client`` for ``scheduler`` (an address, closed at the end, or a client)."""

    def __init__(self, scheduler: object) -> None:
        self.scheduler, self.own, self.client = scheduler, False, None

    def __enter__(self) -> Any:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ClaimsError("the dask engine needs dask.distributed: pip install 'claims-extraction[dask]'") from exc
        if isinstance(self.scheduler, Client):
            self.client = self.scheduler
            return self.client
        try:
            self.client, self.own = Client(self.scheduler), True
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClaimsError(f"cannot connect to the Dask scheduler at {self.scheduler}: {exc}") from exc
        return self.client

    def __exit__(self, *exc: object) -> None:
        if self.own and self.client is not None:
            self.client.close()
