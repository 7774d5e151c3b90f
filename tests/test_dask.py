"""Extraction on a Dask cluster (a LocalCluster with two worker processes): same store as a local run."""

from __future__ import annotations

import json
from pathlib import Path

import distributed  # noqa: E402 - the test extra installs it; a missing engine must fail, not skip
import pytest

from extraction.readers import ranges
from extraction.readers.ingest import iter_inputs
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


def _exports(db: Path) -> dict:
    """Claims with their groups, groups and conflicts in the store's order, appearances."""
    with ClaimStore(db, readonly=True) as store:
        return {"claims": [c.model_dump_json() for c in store.claims()],
                "groups": [json.dumps(g, sort_keys=True) for g in store.groups()],
                "conflicts": [json.dumps(c, sort_keys=True) for c in store.conflicts()],
                "articles": [a.model_dump_json(exclude={"ingested_at"}) for a in store.articles()]}


@pytest.fixture
def small_units(monkeypatch):
    """Units of about 3 kB, so a small dump is cut into many byte ranges."""
    monkeypatch.setattr(ranges, "UNIT_BYTES", 3000)


def _dump_with_copies(dumps, path: Path, n: int, seed: int) -> Path:
    """A dump of ``n`` articles, a few of them read twice (another outlet) and one bad line."""
    records = list(dumps.iter_articles(n, seed=seed, sentences=(2, 4)))
    records += [{**records[i], "id": f"again{i}", "outlet": "Second Outlet"} for i in range(0, n, 7)]
    lines = [json.dumps(r) for r in records]
    lines.insert(n // 2, "{not json")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_dask_units_cover_the_dump_like_the_local_reader(tmp_path, dumps):
    dump = _dump_with_copies(dumps, tmp_path / "dump.jsonl", 40, seed=5)
    units = list(ranges.plan_units([dump, dumps.write_jsonl(tmp_path / "b.jsonl", 3, seed=6)], target_bytes=2500))
    assert len(units) > 5 and all(isinstance(u, ranges.InputUnit) for u in units)
    assert units[-1].end == -1 and units[-1].paths == (str(tmp_path / "b.jsonl"),)  # a small file is whole
    cut = [u for u in units if u.end >= 0]
    assert [u.start for u in cut[1:]] == [u.end for u in cut[:-1]] and cut[-1].end == dump.stat().st_size
    read = [x.model_dump_json() for u in units for x in ranges.read_unit(u)]
    assert read == [x.model_dump_json() for x in iter_inputs([dump, tmp_path / "b.jsonl"])]
    assert any('"line":21' in r for r in read)  # the bad line keeps its number


def test_dask_units_store_equals_local_run(nlp, tmp_path, cluster, dumps, small_units):
    """Byte ranges on the cluster, shards merged in input order: the same store, groups and
    conflicts as one local worker; run again on a partly filled store, only the rest is extracted."""
    dump = _dump_with_copies(dumps, tmp_path / "dump.jsonl", 40, seed=9)
    local = ingest([dump], tmp_path / "local.db", workers=1)
    remote = ingest([dump], tmp_path / "dask.db", engine="dask", scheduler=cluster.scheduler_address)
    assert (remote.added, remote.claims, remote.failed, remote.skipped) == \
        (local.added, local.claims, 1, local.skipped)
    assert _exports(tmp_path / "dask.db") == _exports(tmp_path / "local.db")
    head = tmp_path / "head.jsonl"
    head.write_text("".join(dump.read_text().splitlines(keepends=True)[:15]))
    part = tmp_path / "part.db"
    ingest([head], part, workers=1, corpus_pass=False)
    rest = ingest([dump], part, engine="dask", scheduler=cluster.scheduler_address)
    assert rest.added == local.added - 15 and rest.claims < local.claims
    with ClaimStore(part) as a, ClaimStore(tmp_path / "local.db") as b:  # the head's claims name head.jsonl
        assert sorted(c.id for c in a.claims()) == sorted(c.id for c in b.claims())




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
