"""Batch ingestion in one process: chunks, skipping what is stored, failures, progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.run import api
from extraction.run.progress import count_inputs, progress_reporter
from extraction.run.runner import RunSummary, ingest
from extraction.run.settings import Settings
from models.errors import ClaimsError
from models.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent



@pytest.fixture()
def dump(tmp_path, dumps) -> Path:
    return dumps.write_jsonl(tmp_path / "dump.jsonl", 30, seed=5, sentences=(1, 3))


def _claims(db: Path) -> list[str]:
    with ClaimStore(db) as store:
        return sorted(c.model_dump_json(exclude={"group"}) for c in store.claims())


def test_runner_ingest_stores_every_article_once(nlp, dump, tmp_path):
    settings = Settings(batch_size=8)
    summary = ingest([dump], tmp_path / "c.db", settings=settings, workers=1)
    assert (summary.articles, summary.added, summary.skipped, summary.failed) == (30, 30, 0, 0)
    with ClaimStore(tmp_path / "c.db") as store:
        assert store.count_articles() == 30 and store.count_claims() == summary.claims > 30
        assert len(store.processed_keys()) == 30
    again = ingest([dump], tmp_path / "c.db", settings=settings, workers=1)
    assert (again.added, again.skipped, again.claims) == (0, 30, 0)


def test_runner_claims_equal_extract_articles(nlp, dump, tmp_path):
    ingest([dump], tmp_path / "c.db", settings=Settings(batch_size=7), workers=1)
    from extraction.readers.ingest import iter_inputs

    pairs = api.extract_articles(iter_inputs([dump]))
    direct = sorted(c.model_dump_json(exclude={"group"}) for _, cs in pairs for c in cs)
    assert _claims(tmp_path / "c.db") == direct


def test_runner_same_text_twice_in_one_run_is_stored_once(nlp, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Officials said 40 drones were shot down overnight.\n")
    summary = ingest([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "c.db", workers=1)
    assert (summary.articles, summary.added, summary.skipped) == (2, 1, 1)


def test_runner_extractor_error_fails_one_article_only(nlp, dump, tmp_path, monkeypatch):
    real = api.extract_articles

    def fragile(articles, batch_size=64):
        articles = list(articles)
        if any(a.path.endswith(":3") for a in articles):
            raise RuntimeError("boom")
        return real(articles, batch_size=batch_size)

    monkeypatch.setattr(api, "extract_articles", fragile)
    seen = []
    summary = ingest([dump], tmp_path / "c.db", settings=Settings(batch_size=8), workers=1, on_failure=seen.append)
    assert summary.added == 29 and dict(summary.failures) == {"extractor": 1}
    assert [(f.line, f.stage) for f in seen] == [(3, "extract")] and "boom" in seen[0].message
    with ClaimStore(tmp_path / "c.db") as store:
        assert [f.reason for f in store.failures()] == ["extractor"]
        assert not store.is_processed(f"{dump}:3")


def test_runner_rejects_unknown_engine_and_dask_without_scheduler(tmp_path):
    with pytest.raises(ClaimsError, match="unknown engine"):
        ingest([], tmp_path / "c.db", engine="spark")
    with pytest.raises(ClaimsError, match="scheduler"):
        ingest([], tmp_path / "c.db", engine="dask")


def test_runner_progress_sees_every_chunk(nlp, dump, tmp_path):
    seen: list[tuple[int, int]] = []
    ingest([dump], tmp_path / "c.db", settings=Settings(batch_size=10), workers=1,
           progress=lambda s: seen.append((s.articles, s.extracted)))
    assert seen[-1] == (30, 30) and len(seen) >= 4


def test_progress_count_inputs(tmp_path, dump):
    (tmp_path / "one.txt").write_text("x")
    (tmp_path / "no_final_newline.jsonl").write_text('{"text": "a"}\n{"text": "b"}')
    assert count_inputs([dump, tmp_path / "one.txt", tmp_path / "no_final_newline.jsonl"]) == 33
    assert count_inputs([tmp_path]) is None and count_inputs(["-"]) is None
    assert count_inputs([tmp_path / "x.jsonl.gz"]) is None
    assert count_inputs([dump], limit_bytes=10) is None


def test_progress_lines_are_json_and_rate_limited():
    lines: list[str] = []
    with progress_reporter("lines", write=lines.append, every=0.0) as report:
        report(RunSummary(articles=10, claims=4, seconds=2.0))
    assert json.loads(lines[0])["progress"] == {"articles": 10, "claims": 4, "failed": 0,
                                                "articles_per_second": 5.0, "seconds": 2.0}
    with progress_reporter("lines", write=lines.append, every=3600) as report:
        report(RunSummary(articles=10))
    assert len(lines) == 1
    with progress_reporter("none") as report:
        assert report is None


def test_runner_interrupted_corpus_pass_is_redone_by_the_next_run(nlp, dump, tmp_path, monkeypatch):
    """Killed during the corpus pass, after every article was stored: the next run stores
    nothing new but still finishes the pass, because the store stays marked out of date."""
    from extraction.corpus import refresh as corpus

    db = tmp_path / "c.db"

    def interrupted(*args, **kwargs):  # after the copies, before any group
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(corpus, "_groups", interrupted)
        with pytest.raises(KeyboardInterrupt):
            ingest([dump], db, workers=1)
    with ClaimStore(db) as store:
        assert store.count_articles() == 30 and store.corpus_stale() and not store.groups()
    again = ingest([dump], db, workers=1)
    assert again.added == 0 and again.groups > 0
    with ClaimStore(db) as store:
        assert not store.corpus_stale() and len(store.groups()) == again.groups
    assert ingest([dump], db, workers=1).groups == 0  # fresh: nothing to redo


def test_corpus_pass_reports_progress(nlp, dump, tmp_path):
    """The corpus pass (minutes on a big store) tells how far each phase is."""
    seen: list[tuple[str, int, int]] = []
    summary = ingest([dump], tmp_path / "c.db", workers=1, corpus_progress=lambda *a: seen.append(a))
    copies = [s for s in seen if s[0] == "copies"]
    groups = [s for s in seen if s[0] == "groups"]
    assert copies[-1] == ("copies", 30, 30)
    assert groups and groups[-1][1] == groups[-1][2] == summary.claims
    assert [d for _, d, _ in groups] == sorted(d for _, d, _ in groups)


def test_corpus_pass_progress_lines_are_json():
    lines: list[str] = []
    with progress_reporter("lines", write=lines.append, every=0.0) as report:
        report.corpus("copies", 500, 1000)
        report.corpus("groups", 20000, 60000)
    rows = [json.loads(line)["corpus_pass"] for line in lines]
    assert [(r["phase"], r["done"], r["total"]) for r in rows] == [("copies", 500, 1000), ("groups", 20000, 60000)]
