"""Extraction on a Dask cluster (a LocalCluster with two worker processes): same store as a local run."""

from __future__ import annotations

from pathlib import Path

import distributed  # noqa: E402 - the test extra installs it; a missing engine must fail, not skip
import pytest

from extraction.run.dask_engine import extract_on_dask, read_shard, shard_lines
from extraction.run.parallel import extract_chunk
from extraction.run.runner import ingest
from extraction.run.settings import Settings
from models import Article
from models.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent



@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as local:
        yield local


def _store(db: Path) -> tuple[list[str], set[str], int]:
    with ClaimStore(db) as store:
        claims = sorted(c.model_dump_json(exclude={"group"}) for c in store.claims())
        return claims, store.processed_keys(), store.count_articles()


def test_dask_store_equals_local_run(nlp, tmp_path, cluster, dumps):
    dump = dumps.write_jsonl(tmp_path / "dump.jsonl", 30, seed=21, sentences=(1, 3))
    settings = Settings(batch_size=5)
    local = ingest([dump], tmp_path / "local.db", settings=settings, workers=1)
    remote = ingest([dump], tmp_path / "dask.db", settings=settings, engine="dask",
                    scheduler=cluster.scheduler_address)
    assert remote.engine == "dask" and (remote.added, remote.claims, remote.failed) == (30, local.claims, 0)
    assert _store(tmp_path / "dask.db") == _store(tmp_path / "local.db")
    again = ingest([dump], tmp_path / "dask.db", settings=settings, engine="dask", scheduler=cluster.scheduler_address)
    assert (again.added, again.skipped) == (0, 30)


def test_dask_shard_files_are_merged_and_removed(nlp, tmp_path, cluster):
    articles = [Article.from_text(f"Some {n},000 troops were deployed near Kharkiv.", f"{n}.txt") for n in range(1, 7)]
    shards = tmp_path / "shards"
    shards.mkdir()
    with distributed.Client(cluster.scheduler_address) as client:
        results = list(extract_on_dask([articles[:3], articles[3:]], client, batch_size=2, shard_dir=shards))
    values = sorted(c.quantity.value for r in results for _, cs in r.pairs for c in cs)
    assert values == [1000.0 * n for n in range(1, 7)] and not list(shards.iterdir())


def test_dask_shard_lines_round_trip(nlp):
    articles = [Article.from_text("Prices rose 4.5% in March, the central bank said.", "a.jsonl:3")]
    result = extract_chunk(articles)
    assert read_shard(shard_lines(result)) == result
