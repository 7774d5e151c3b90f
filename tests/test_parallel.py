"""Extraction in worker processes: the store ends up the same as with one process."""

from __future__ import annotations

import logging
from pathlib import Path

from extraction.run import runner
from extraction.run.parallel import default_workers, extract_chunk
from extraction.run.runner import ingest
from extraction.run.settings import Settings
from models import Article
from models.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent



def _store(db: Path) -> tuple[list[str], set[str]]:
    with ClaimStore(db) as store:
        claims = sorted(c.model_dump_json(exclude={"group"}) for c in store.claims())
        return claims, store.processed_keys()


def test_parallel_two_workers_store_equals_one(nlp, tmp_path, caplog, dumps):
    dump = dumps.write_jsonl(tmp_path / "dump.jsonl", 40, seed=11, sentences=(1, 3))
    settings = Settings(batch_size=6)
    one = ingest([dump], tmp_path / "one.db", settings=settings, workers=1)
    with caplog.at_level(logging.INFO, logger="extraction.run.runner"):
        two = ingest([dump], tmp_path / "two.db", settings=settings, workers=2)
    assert "2 worker processes" in caplog.text
    assert (two.added, two.claims, two.failed) == (one.added, one.claims, 0) == (40, one.claims, 0)
    assert _store(tmp_path / "two.db") == _store(tmp_path / "one.db")


def test_parallel_single_chunk_stays_in_process(nlp, tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for one chunk")

    monkeypatch.setattr(runner, "extract_in_pool", no_pool)
    (tmp_path / "a.txt").write_text("Some 50,000 troops were deployed to the border, officials said.\n")
    summary = ingest([tmp_path / "a.txt"], tmp_path / "c.db", workers=4)
    assert summary.added == 1 and summary.claims == 1


def test_parallel_extract_chunk_keeps_order_and_claims(nlp):
    articles = [Article.from_text(t, f"{i}.txt") for i, t in
                enumerate(["Some 50,000 troops were deployed.", "No figures here.", "Prices rose 4.5% in March."])]
    result = extract_chunk(articles, batch_size=2)
    assert [a.path for a, _ in result.pairs] == ["0.txt", "1.txt", "2.txt"] and not result.failures
    assert [len(cs) for _, cs in result.pairs] == [1, 0, 1]


def test_parallel_default_workers_is_positive():
    assert default_workers() >= 1


def test_extraction_does_not_grow_the_vocabulary(nlp, monkeypatch):
    """Once the vocabulary holds ``VOCABULARY_STRINGS`` strings, every batch runs in a spaCy
    memory zone: the new words of a dump (names, numbers, typos) are freed after their batch,
    so a run over millions of articles keeps a flat vocabulary."""
    from extraction.run import api
    from extraction.run.api import extract_articles
    from models import Article

    monkeypatch.setattr(api, "VOCABULARY_STRINGS", 0)
    before = len(nlp.vocab.strings)
    articles = [Article.from_text(f"Zorblatt{i} said {1000 + i:,} troops of Qwertania{i} crossed the river.",
                                  path=f"made-up-{i}.txt") for i in range(50)]
    claims = [c for _, found in extract_articles(articles, batch_size=8) for c in found]
    assert len(claims) == 50 and {c.quantity.value for c in claims} == {1000.0 + i for i in range(50)}
    assert len(nlp.vocab.strings) == before
    assert "Qwertania7" not in nlp.vocab.strings


def test_the_first_articles_teach_the_vocabulary(nlp, monkeypatch):
    from extraction.run import api
    from models import Article

    """Below the cap, the words a batch brings stay (spaCy need not build their lexemes again);
    at the cap, the next batch's do not."""
    monkeypatch.setattr(api, "VOCABULARY_STRINGS", len(nlp.vocab.strings) + 1)
    list(api.extract_articles([Article.from_text("Some 300 Plonkovians fled.", path="kept.txt")]))
    assert "Plonkovians" in nlp.vocab.strings
    assert len(nlp.vocab.strings) >= api.VOCABULARY_STRINGS
    list(api.extract_articles([Article.from_text("Some 400 Snerkovians fled.", path="freed.txt")]))
    assert "Snerkovians" not in nlp.vocab.strings


def test_threads_sharing_the_pipeline_take_turns(nlp, monkeypatch):
    """Worker threads of one process (a Dask worker with several threads) share the pipeline;
    with memory zones on, each batch must hold it alone, or one thread's zone frees the words
    of another's batch. Claims from four threads equal one thread's."""
    from concurrent.futures import ThreadPoolExecutor

    from extraction.run import api
    from models import Article

    monkeypatch.setattr(api, "VOCABULARY_STRINGS", 0)
    texts = [[Article.from_text(f"Officials said {100 + 7 * i + k:,} troops of Vorlandia{i}x{k} moved {k + 2} km.",
                                path=f"t{i}-{k}.txt") for k in range(12)] for i in range(4)]

    def run(articles):
        return [(a.path, sorted((c.kind.value, c.quantity.value, c.actor, c.evidence.sentence) for c in cs))
                for a, cs in api.extract_articles(articles, batch_size=3)]

    alone = [run(batch) for batch in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(run, texts))
    assert together == alone
    assert all(len(cs) == 2 for batch in alone for _, cs in batch)


def test_parallel_pool_yields_results_in_input_order(nlp):
    """A long chunk first and short ones after: the short ones finish first, yet come out after it."""
    from extraction.run.parallel import extract_in_pool

    long = [Article.from_text(" ".join(f"Some {n * 7 + k},000 troops were deployed near Kharkiv." for k in range(40)),
                              f"long{n}.txt") for n in range(12)]
    short = [[Article.from_text(f"Prices rose {n}.5% in March.", f"short{n}.txt")] for n in range(1, 6)]
    chunks = [long, *short]
    results = list(extract_in_pool(chunks, workers=2, batch_size=4))
    assert [[a.path for a, _ in r.pairs] for r in results] == [[a.path for a in c] for c in chunks]
