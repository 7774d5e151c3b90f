"""Nothing lost, nothing hidden: re-ingest is keyed by the text, every appearance of a text is
kept, and a newer text at a known path or URL is a new version (issue 11).

Texts are ours; each test ingests a few of them through the runner into a fresh store.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from extraction.corpus.refresh import stored_clusters, stored_groups
from extraction.run.runner import ingest
from models import ClaimFilter
from models.store import ClaimStore

TROOPS = "Some 50,000 troops were massed near the border, the ministry said on Tuesday."
TANKS = "The army lost 120 tanks in the first week of fighting, according to the defence ministry."
SHELLS = "Factories produced 3,000 shells a day last month, officials said."


def _line(text: str, **fields: str) -> str:
    return json.dumps({"text": text, **fields}) + "\n"


def _run(db: Path, *paths: Path | str, **kw) -> dict:
    return ingest([str(p) for p in paths], db, workers=1, **kw).as_dict()


def _texts(db: Path) -> set[str]:
    with ClaimStore(db, readonly=True) as store:
        return {a.text for a in store.articles(with_text=True)}


def _values(db: Path, flt: ClaimFilter | None = None) -> list[float]:
    with ClaimStore(db, readonly=True) as store:
        claims = store.query(flt) if flt else store.claims()
        return sorted(c.quantity.value for c in claims)


def test_appearances_overwritten_dump_stores_the_new_texts(tmp_path):
    """``latest.jsonl`` is rewritten every day under the same name: yesterday's lines were
    skipped by their key (``latest.jsonl:1``) before, and today's texts never stored."""
    db, dump = tmp_path / "claims.db", tmp_path / "latest.jsonl"
    dump.write_text(_line(TROOPS) + _line(TANKS))
    assert _run(db, dump)["added"] == 2
    dump.write_text(_line(SHELLS) + _line(TANKS))
    summary = _run(db, dump)
    assert (summary["added"], summary["skipped"]) == (1, 1)
    assert _values(db) == [120, 3000, 50000]


def test_appearances_line_inserted_at_the_top_adds_one_text_and_no_appearance(tmp_path):
    db, dump = tmp_path / "claims.db", tmp_path / "dump.jsonl"
    dump.write_text(_line(TROOPS) + _line(TANKS))
    _run(db, dump)
    dump.write_text(_line(SHELLS) + _line(TROOPS) + _line(TANKS))
    summary = _run(db, dump)
    assert (summary["added"], summary["skipped"], summary["new_appearances"]) == (1, 2, 0)
    with ClaimStore(db, readonly=True) as store:
        assert store.count_articles() == 3
        assert sum(len(store.appearances(a.id)) for a in store.articles()) == 3


def test_appearances_second_stdin_run_stores_its_text(tmp_path, monkeypatch):
    import io

    db = tmp_path / "claims.db"
    for text in (TROOPS, TANKS):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        _run(db, "-")
    assert _values(db) == [120, 50000]


def test_appearances_edited_text_is_a_new_current_version(tmp_path):
    db, page = tmp_path / "claims.db", tmp_path / "story.txt"
    page.write_text(TROOPS)
    _run(db, page)
    page.write_text(TROOPS.replace("50,000", "60,000"))
    assert _run(db, page)["added"] == 1
    assert len(_texts(db)) == 2  # both versions kept
    assert _values(db) == [50000, 60000]
    assert _values(db, ClaimFilter(current_only=True)) == [60000]
    page.write_text(TROOPS)  # the edit is undone: the first text is current again
    _run(db, page)
    assert _values(db, ClaimFilter(current_only=True)) == [50000]


def test_appearances_versions_follow_the_url_across_dumps(tmp_path):
    db = tmp_path / "claims.db"
    (tmp_path / "monday.jsonl").write_text(_line(TROOPS, url="https://news.example/a") + _line(TANKS))
    (tmp_path / "tuesday.jsonl").write_text(_line(TROOPS.replace("50,000", "55,000"), url="https://news.example/a"))
    _run(db, tmp_path / "monday.jsonl")
    _run(db, tmp_path / "tuesday.jsonl")
    assert _values(db) == [120, 50000, 55000]
    assert _values(db, ClaimFilter(current_only=True)) == [120, 55000]  # a dump line with no URL is no version


def test_appearances_word_for_word_copies_are_listed_and_counted(tmp_path):
    """Three outlets print the same text: one text, three appearances, listed by ``claims
    duplicates``, three mentions and three outlets, one independent source."""
    db, folder = tmp_path / "claims.db", tmp_path / "pages"
    folder.mkdir()
    for n, outlet in enumerate(("Daily One", "Evening Two", "Weekly Three")):
        (folder / f"{n}.txt").write_text(f"Troops massed\n2024-08-1{n} | {outlet} | \n\n{TROOPS}\n")
    summary = _run(db, folder)
    assert (summary["added"], summary["skipped"]) == (1, 2)
    with ClaimStore(db, readonly=True) as store:
        article = next(store.articles())
        seen = store.appearances(article.id)
        assert [a.outlet for a in seen] == ["Daily One", "Evening Two", "Weekly Three"]
        assert [a.path.rsplit("/", 1)[1] for a in seen] == ["0.txt", "1.txt", "2.txt"]
        clusters = stored_clusters(store)
        group = next(iter(stored_groups(store).values()))
    assert len(clusters) == 1 and len(clusters[0]["members"]) == 3
    assert {m["similarity"] for m in clusters[0]["members"]} == {1.0}
    assert (group.mentions, group.independent_sources) == (3, 1)
    assert group.outlets == ["Daily One", "Evening Two", "Weekly Three"]
    assert _run(db, folder)["new_appearances"] == 0  # read again: nothing new


def test_appearances_copies_inside_one_run_wait_for_their_text(tmp_path):
    """The same text twice in one dump and in a file beside it, extracted in worker chunks."""
    db, folder = tmp_path / "claims.db", tmp_path / "in"
    folder.mkdir()
    lines = [_line(f"Report {n}: the army lost {n + 10} tanks, officials said.") for n in range(40)]
    (folder / "a.jsonl").write_text("".join(lines) + _line(TROOPS, outlet="Wire"))
    (folder / "b.jsonl").write_text(_line(TROOPS, outlet="Reprint"))
    summary = ingest([str(folder)], db, workers=2).as_dict()
    assert (summary["added"], summary["skipped"]) == (41, 1)
    with ClaimStore(db, readonly=True) as store:
        troops = next(a for a in store.articles() if a.appearances > 1)
        assert {a.outlet for a in store.appearances(troops.id)} == {"Wire", "Reprint"}


def test_appearances_store_of_schema_3_is_migrated_not_rebuilt(tmp_path, monkeypatch):
    import models.migrations as migrations_module

    db = tmp_path / "claims.db"
    with monkeypatch.context() as m:  # written by code before appearances
        m.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS[:3])
        m.setattr(ClaimStore, "_appear", staticmethod(lambda con, article, failing: 0))
        m.setattr(ClaimStore, "_any_failing", staticmethod(lambda con: False))
        (tmp_path / "d.jsonl").write_text(_line(TROOPS, outlet="Wire") + _line(TANKS))
        _run(db, tmp_path / "d.jsonl", corpus_pass=False)
        with ClaimStore(db) as store:
            assert store.schema_version() == 3
            before = sorted(c.model_dump_json() for c in store.claims())
    with ClaimStore(db) as store:
        assert store.schema_version() == len(migrations_module.MIGRATIONS)  # 4 and on
        assert sorted(c.model_dump_json() for c in store.claims()) == before
        seen = [p for a in store.articles() for p in store.appearances(a.id)]
    assert sorted((p.location, p.outlet or "") for p in seen) == [(str(tmp_path / "d.jsonl"), ""),
                                                                 (str(tmp_path / "d.jsonl"), "Wire")]
    summary = _run(db, tmp_path / "d.jsonl")  # re-read after the migration: the same appearances
    assert (summary["added"], summary["new_appearances"]) == (0, 0)


def test_appearances_failure_is_resolved_once_the_input_reads_fine(tmp_path):
    db, dump = tmp_path / "claims.db", tmp_path / "d.jsonl"
    dump.write_text(_line(TROOPS) + "{not json\n")
    _run(db, dump)
    with ClaimStore(db, readonly=True) as store:
        assert [(f.line, f.reason) for f in store.failures()] == [(2, "json")]
    dump.write_text(_line(TROOPS) + _line(TANKS))
    _run(db, dump)
    with ClaimStore(db, readonly=True) as store:
        assert store.failures() == []
        assert [(f.line, f.reason) for f in store.failures(resolved=True)] == [(2, "json")]


def test_appearances_foreign_sqlite_file_is_refused(tmp_path):
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE photos (id INTEGER, caption TEXT)")
    con.commit()
    con.close()
    from models.errors import StoreError

    with pytest.raises(StoreError, match="not a claims store"):
        ClaimStore(db)
    with sqlite3.connect(db) as con:  # nothing was added to it
        assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["photos"]
