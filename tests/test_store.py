"""The SQLite claim store: schema and migrations, idempotent writes, filters, FTS, failures, runs."""

from __future__ import annotations

import os
import pickle
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from store_fixtures import KURSK, POKROVSK, UNDATED, VERSION, make_claim, sample

from models import ClaimFilter, Failure, GroupRef
from models import migrations as migrations_module
from models.errors import ClaimsError, IngestError, StoreError
from models.migrations import SCHEMA_VERSION
from models.store import ClaimStore
from models.store_sql import fts_query


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "claims.db"


@pytest.fixture
def store(db: Path):
    with ClaimStore(db) as s:
        s.add_many((a, c, a.path) for a, c in sample())
        yield s


def quantities(claims) -> list[str]:
    return [c.quantity.text for c in claims]


def fts_rows(store: ClaimStore) -> int:
    return store.con.execute("SELECT count(*) FROM claims_fts").fetchone()[0]


# -- schema --------------------------------------------------------------------------------


def test_store_schema_created_on_open(db: Path) -> None:
    with ClaimStore.open(db) as s:
        con = s.con
        assert s.schema_version() == SCHEMA_VERSION
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    tables = {"meta", "articles", "claims", "failures", "runs", "processed_inputs", "claim_groups"}
    assert tables | {"conflicts", "claims_fts"} <= names
    indexed = ("kind", "place", "source_name", "actor", "published", "article_id", "group_id")
    assert {f"claims_{c}" for c in indexed} <= names


def test_store_reopen_keeps_data_and_version(db: Path) -> None:
    with ClaimStore(db) as s:
        s.add(KURSK, sample()[0][1])
    with ClaimStore(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert (s.count_articles(), s.count_claims()) == (1, 2)


def test_store_migration_applied_on_reopen(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ClaimStore(db) as s:
        s.add(KURSK, sample()[0][1])
    extra = ("ALTER TABLE claims ADD COLUMN note TEXT",)
    monkeypatch.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS + (extra,))
    with ClaimStore(db) as s:
        assert s.schema_version() == SCHEMA_VERSION + 1
        assert "note" in {r[1] for r in s.con.execute("PRAGMA table_info(claims)")}
        assert s.count_claims() == 2
    with ClaimStore(db) as s:  # applied once, not again
        assert s.schema_version() == SCHEMA_VERSION + 1


def _before_appearances(m: pytest.MonkeyPatch) -> None:
    """Make the store write as code before schema 4 did: no appearances, no resolved failures."""
    m.setattr(ClaimStore, "_appear", staticmethod(lambda con, article, failing: 0))
    m.setattr(ClaimStore, "_any_failing", staticmethod(lambda con: False))


def test_store_migration_3_indexes_new_claims_per_batch(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Version 3 drops the per-row full-text trigger: claims stored before the migration stay
    searchable, and claims stored after it are indexed by the batch insert."""
    (first, first_claims), (second, second_claims) = sample()[0], sample()[1]
    with monkeypatch.context() as m:  # a version-2 store, written by version-2 code (the trigger indexes)
        m.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS[:2])
        m.setattr(migrations_module, "FTS_INSERT_NEW", "SELECT ?")
        _before_appearances(m)
        with ClaimStore(db) as s:
            s.add(first, first_claims)
            assert s.schema_version() == 2 and fts_rows(s) == len(first_claims)
    with ClaimStore(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert "claims_fts_insert" not in {r[0] for r in s.con.execute("SELECT name FROM sqlite_master")}
        s.add(second, second_claims)
        assert fts_rows(s) == s.count_claims() == len(first_claims) + len(second_claims)
        for claim in first_claims + second_claims:
            hits = {c.id for c in s.query(ClaimFilter(text=claim.evidence.sentence.split()[0]))}
            assert claim.id in hits


def test_store_migration_2_folds_repeated_failures(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A version-1 store recorded a failing input once per run; version 2 keeps one row per
    input with the count and the latest message."""
    with monkeypatch.context() as m:
        m.setattr(migrations_module, "MIGRATIONS", migrations_module.MIGRATIONS[:1])
        _before_appearances(m)
        with ClaimStore(db) as s:
            assert s.schema_version() == 1
            for n in range(3):
                s.con.execute("INSERT INTO failures (path, line, stage, reason, message, at, run_id)"
                              " VALUES ('d.jsonl', 2, 'ingest', 'json', ?, 'now', ?)", (f"run {n}", n))
            s.con.execute("INSERT INTO failures (path, line, stage, reason, message, at, run_id)"
                          " VALUES ('e.txt', NULL, 'ingest', 'empty', 'empty file', 'now', 0)")
            s.con.commit()
    with ClaimStore(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert [(f.path, f.message) for f in s.failures()] == [("d.jsonl", "run 2"), ("e.txt", "empty file")]
        assert s.failure_counts() == {("d.jsonl", 2, "ingest", "json"): 3, ("e.txt", None, "ingest", "empty"): 1}
        s.record_failure(Failure(path="e.txt", stage="ingest", reason="empty", message="still empty"))
        assert s.failure_counts()[("e.txt", None, "ingest", "empty")] == 2
        assert len(s.failures()) == 2


def test_store_newer_schema_refused(db: Path) -> None:
    with ClaimStore(db) as s:
        s.con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer"):
        ClaimStore(db)


@pytest.mark.parametrize(
    "make_path, needle",
    [
        (lambda tmp: tmp / "missing" / "claims.db", "does not exist"),
        (lambda tmp: (tmp / "file.txt").write_text("x") and tmp / "file.txt" / "claims.db", "does not exist"),
        (lambda tmp: (tmp / "notes.db").write_text("not a database " * 100) and tmp / "notes.db", "database"),
        (lambda tmp: tmp, "not a writable file"),
    ],
    ids=["missing-dir", "parent-is-file", "not-a-database", "is-a-directory"],
)
def test_store_unopenable_path_raises(tmp_path: Path, make_path, needle: str) -> None:
    path = make_path(tmp_path)
    with pytest.raises(StoreError, match=needle) as info:
        ClaimStore(path)
    assert str(path) in str(info.value)
    assert info.value.path == str(path)
    assert "\n" not in str(info.value)


def test_store_unwritable_dir_checked_before_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    with pytest.raises(StoreError, match="not writable"):
        ClaimStore(tmp_path / "claims.db")
    assert not (tmp_path / "claims.db").exists()


def test_store_closed_store_raises(db: Path) -> None:
    s = ClaimStore(db)
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count_claims()


# -- writing -------------------------------------------------------------------------------


def test_store_readd_is_idempotent(store: ClaimStore) -> None:
    before = (store.count_articles(), store.count_claims(), fts_rows(store))
    assert store.add(KURSK, sample()[0][1], input_key="copy/kursk.txt") is False
    assert store.add_many((a, c, None) for a, c in sample()) == 0
    assert (store.count_articles(), store.count_claims(), fts_rows(store)) == before == (3, 6, 6)
    assert store.is_processed("copy/kursk.txt")


def test_store_new_extractor_version_replaces_claims(store: ClaimStore) -> None:
    new = make_claim(KURSK, "approximately 50,000 troops", "personnel", 50000, "count", version="0.2.0")
    assert store.add(KURSK, [new]) is True
    mine = [c for c in store.claims() if c.evidence.doc_id == KURSK.id]
    assert [(c.quantity.text, c.extractor_version) for c in mine] == [(new.quantity.text, "0.2.0")]
    assert store.count_claims() == 5 and fts_rows(store) == 5
    assert list(store.query(ClaimFilter(text="square kilometres"))) == []
    assert {r.id: r.extractor_version for r in store.articles()}[KURSK.id] == "0.2.0"
    assert store.add(KURSK, [new]) is False


def test_store_article_without_claims_keeps_version(db: Path) -> None:
    with ClaimStore(db) as s:
        assert s.add(UNDATED, [], extractor_version=VERSION) is True
        assert s.add(UNDATED, [], extractor_version=VERSION) is False
        assert s.has_article(UNDATED.id) and not s.has_article("0" * 16)
        assert [r.extractor_version for r in s.articles()] == [VERSION]


def test_store_mixed_extractor_versions_refused(db: Path) -> None:
    claims = [make_claim(KURSK, "approximately 50,000 troops", "personnel", 50000, "count", version=v)
              for v in ("0.1.0", "0.2.0")]
    with ClaimStore(db) as s, pytest.raises(StoreError, match="several extractor versions"):
        s.add(KURSK, claims)


def _duplicate_claim(s: ClaimStore) -> None:
    claim = sample()[0][1][0]
    s.add(KURSK, [claim, claim], input_key="kursk")


def _foreign_claim_in_batch(s: ClaimStore) -> None:
    stray = make_claim(POKROVSK, "1,200 soldiers", "casualties", 1200, "count", doc_id=KURSK.id)
    s.add_many([(KURSK, sample()[0][1], "kursk"), (POKROVSK, [stray], "pokrovsk")])


def _claim_id_clash_in_batch(s: ClaimStore) -> None:
    clash = sample()[0][1][0]
    s.add_many([(KURSK, [clash], "kursk"), (POKROVSK, [clash.model_copy(update={
        "evidence": clash.evidence.model_copy(update={"doc_id": POKROVSK.id})})], "pokrovsk")])


@pytest.mark.parametrize("write", [_duplicate_claim, _foreign_claim_in_batch, _claim_id_clash_in_batch])
def test_store_failed_write_rolls_back(db: Path, write) -> None:
    with ClaimStore(db) as s:
        with pytest.raises(StoreError):
            write(s)
        assert (s.count_articles(), s.count_claims(), fts_rows(s)) == (0, 0, 0)
        assert s.processed_keys() == set()
        assert s.add(KURSK, sample()[0][1]) is True  # the store is still usable


# -- querying ------------------------------------------------------------------------------

FILTERS = [
    ({}, ["more than 1,000 square kilometres", "approximately 50,000 troops", "1,200 soldiers",
          "about one-fifth", "$61bn", "3 Patriot batteries"]),
    ({"kinds": ["territory", "casualties"]}, ["more than 1,000 square kilometres", "1,200 soldiers"]),
    ({"kinds": ["ratio"]}, []),
    ({"place": "kursk"}, ["more than 1,000 square kilometres", "approximately 50,000 troops"]),
    ({"place": "THE REGION"}, ["approximately 50,000 troops"]),
    ({"place": "zürich"}, ["3 Patriot batteries"]),
    ({"place": "ZÜRICH"}, ["3 Patriot batteries"]),
    ({"place": "Pokrov"}, ["1,200 soldiers"]),
    ({"source": "isw"}, ["more than 1,000 square kilometres"]),
    ({"source": "study of war"}, ["more than 1,000 square kilometres"]),
    ({"source": "general staff"}, ["1,200 soldiers"]),
    ({"actor": "russia"}, ["approximately 50,000 troops", "1,200 soldiers", "about one-fifth"]),
    ({"actor": "united"}, ["$61bn"]),
    ({"since": date(2024, 9, 1)}, ["1,200 soldiers", "about one-fifth"]),
    ({"until": date(2024, 8, 20)}, ["more than 1,000 square kilometres", "approximately 50,000 troops"]),
    ({"since": date(2024, 8, 21), "until": date(2024, 11, 12)}, []),
    ({"text": "troops"}, ["approximately 50,000 troops"]),
    ({"text": "Kursk ISW"}, ["more than 1,000 square kilometres"]),
    ({"text": "50,000"}, ["approximately 50,000 troops"]),
    ({"text": "soldier*"}, ["1,200 soldiers"]),
    ({"text": "casualties"}, ["1,200 soldiers"]),
    ({"text": "russia pokrovsk", "kinds": ["casualties"], "source": "staff", "since": date(2024, 1, 1)},
     ["1,200 soldiers"]),
    ({"actor": "russia", "place": "ukraine"}, ["about one-fifth"]),
    ({"actor": "russia", "limit": 2}, ["approximately 50,000 troops", "1,200 soldiers"]),
    ({"limit": 0}, []),
    ({"place": "  ", "text": " "}, ["more than 1,000 square kilometres", "approximately 50,000 troops",
                                    "1,200 soldiers", "about one-fifth", "$61bn", "3 Patriot batteries"]),
]


@pytest.mark.parametrize("fields, expected", FILTERS, ids=[str(f) for f, _ in FILTERS])
def test_store_query_filters(store: ClaimStore, fields: dict, expected: list[str]) -> None:
    assert quantities(store.query(ClaimFilter(**fields))) == expected


@pytest.mark.parametrize("text", ['"', "'", "AND", "OR NOT", "NEAR(", "troops)", "*", "-", "^x", "a:b",
                                  "kursk's", "(50,000)", 'say "hi', "sentence: x", "{actor}: russia", "\\"])
def test_store_fts_punctuation_does_not_crash(store: ClaimStore, text: str) -> None:
    """Punctuation is literal, never FTS syntax: the hits are exactly the claims whose indexed
    text holds every searchable word (none for most of these)."""
    hits = list(store.query(ClaimFilter(text=text)))
    words = [w.strip("\"'()*^:{}-\\").casefold() for w in text.split()]
    words = [w for w in words if any(ch.isalnum() for ch in w)]
    every = list(store.claims())
    if not words:
        assert len(hits) == len(every)  # nothing searchable: the filter admits everything
    for claim in hits:
        haystack = " ".join(filter(None, [claim.evidence.sentence, claim.actor, claim.kind.value,
                                          *(p.name for p in claim.places), *(p.text or "" for p in claim.places),
                                          claim.source.name if claim.source else None,
                                          claim.source.text if claim.source else None])).casefold()
        assert all(part in haystack for w in words for part in w.replace(":", " ").split())


@pytest.mark.parametrize("text, expected", [
    ("troops", '"troops"'),
    ('say "hi there', '"say" AND "hi" AND "there"'),
    ("tank* -", '"tank"*'),
    ("- * ()", None),
])
def test_store_fts_query_quotes_terms(text: str, expected: str | None) -> None:
    assert fts_query(text) == expected


def test_store_claims_ordered_by_path_and_offset(store: ClaimStore) -> None:
    rows = [(c.evidence.path, c.evidence.start) for c in store.claims()]
    assert rows == sorted(rows) and len(rows) == 6


def test_store_claims_round_trip_unchanged(store: ClaimStore) -> None:
    stored = {c.id: c for c in store.claims()}
    assert stored == {c.id: c for _, claims in sample() for c in claims}


def test_store_articles_rows(store: ClaimStore) -> None:
    rows = list(store.articles())
    assert [r.path for r in rows] == sorted(a.path for a, _ in sample())
    assert all(r.text is None and r.extractor_version == VERSION for r in rows)
    kursk = next(r for r in store.articles(with_text=True) if r.id == KURSK.id)
    assert (kursk.text, kursk.n_chars, kursk.published, kursk.outlet) == (
        KURSK.text, len(KURSK.text), date(2024, 8, 20), "BBC")


def test_store_stats(store: ClaimStore) -> None:
    stats = store.stats()
    assert (stats["articles"], stats["claims"], stats["schema_version"]) == (3, 6, SCHEMA_VERSION)
    assert stats["claims_by_kind"]["territory"] == 1 and sum(stats["claims_by_kind"].values()) == 6
    assert stats["extractor_versions"] == {VERSION: 3}


# -- resume, failures, runs ----------------------------------------------------------------


def test_store_processed_keys_for_resume(store: ClaimStore) -> None:
    store.mark_processed("dump.jsonl:7", None, "failed")
    assert store.processed_keys() == {KURSK.path, POKROVSK.path, UNDATED.path, "dump.jsonl:7"}
    assert store.is_processed("dump.jsonl:7") and not store.is_processed("dump.jsonl:8")
    store.mark_processed("dump.jsonl:7", KURSK.id, "added")  # a retry overwrites the status
    assert len(store.processed_keys()) == 4


def test_store_failures_round_trip(db: Path) -> None:
    failures = [
        Failure(path="a.txt", stage="ingest", reason="empty", message="no text"),
        Failure(path="dump.jsonl", line=12, stage="ingest", reason="json", message="Expecting value"),
        Failure(path="b.html", stage="extract", reason="crash", message="IndexError: list index"),
    ]
    with ClaimStore(db) as s:
        run = s.start_run({"inputs": ["a.txt"], "since": date(2024, 1, 1)})
        s.record_failure(failures[0])
        for failure in failures[1:]:
            s.record_failure(failure, run_id=run)
        s.finish_run(run, articles=2, claims=5, failures=2)
    with ClaimStore(db) as s:
        assert s.failures() == failures
        assert s.failures(run_id=run) == failures[1:]
        (row,) = s.runs()
        assert (row["articles"], row["claims"], row["failures"]) == (2, 5, 2)
        assert row["args"] == {"inputs": ["a.txt"], "since": "2024-01-01"} and row["finished"]
        with pytest.raises(StoreError, match="no run"):
            s.finish_run(run + 1, 0, 0, 0)


# -- clusters, groups, conflicts -----------------------------------------------------------


def test_store_groups_rebuild_group_ref(store: ClaimStore) -> None:
    troops = sample()[0][1][1]
    groups = [{"id": "g1", "mentions": 3, "independent_sources": 2, "claims": [troops.id]}]
    store.replace_groups(groups)
    assert store.set_groups([(troops.id, "g1"), ("no-such-claim", "g1")]) == 1
    assert store.groups() == groups
    grouped = {c.id: c.group for c in store.claims()}
    assert grouped[troops.id] == GroupRef(id="g1", mentions=3, independent_sources=2)
    assert sum(g is not None for g in grouped.values()) == 1
    assert next(store.query(ClaimFilter(kinds=["personnel"]))).group == grouped[troops.id]
    store.replace_groups([])
    assert next(store.query(ClaimFilter(kinds=["personnel"]))).group is None
    store.set_groups([], clear=True)
    assert store.con.execute("SELECT count(group_id) FROM claims").fetchone()[0] == 0


@pytest.mark.parametrize("group", [{"mentions": 1, "independent_sources": 1}, {"id": "g", "mentions": "x"}])
def test_store_invalid_group_refused(store: ClaimStore, group: dict) -> None:
    with pytest.raises(StoreError, match="group"):
        store.replace_groups([group])


def test_store_conflicts_round_trip(store: ClaimStore) -> None:
    conflicts = [{"id": "c1", "claims": ["a", "b"], "on": date(2024, 8, 20)}]
    store.replace_conflicts(conflicts)
    store.replace_conflicts(conflicts)
    assert store.conflicts() == [{"id": "c1", "claims": ["a", "b"], "on": "2024-08-20"}]
    with pytest.raises(StoreError, match="id"):
        store.replace_conflicts([{"claims": []}])
    assert len(store.conflicts()) == 1


def test_store_set_clusters(store: ClaimStore) -> None:
    rows = [(KURSK.id, "k1", KURSK.id, 1.0), (POKROVSK.id, "k1", KURSK.id, 0.91), ("nope", "k", "nope", 0)]
    assert store.set_clusters(rows) == 2
    rows = {r.id: (r.cluster_id, r.canonical_id, r.similarity) for r in store.articles()}
    assert rows[POKROVSK.id] == ("k1", KURSK.id, 0.91) and rows[UNDATED.id] == (None, None, None)
    store.set_clusters([], clear=True)
    assert {r.cluster_id for r in store.articles()} == {None}


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("error, text", [
    (StoreError("locked", path="x.db"), "x.db: locked"),
    (IngestError("bad\nJSON", path="d.jsonl", line=3), "d.jsonl:3: bad JSON"),
    (ClaimsError("plain"), "plain"),
])
def test_store_errors_one_line_and_picklable(error: ClaimsError, text: str) -> None:
    assert str(error) == text
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.path, copy.line) == (type(error), text, error.path, error.line)


def test_store_sqlite_errors_become_store_errors(store: ClaimStore) -> None:
    with pytest.raises(StoreError) as info:
        store.mark_processed(None, None, "x")  # type: ignore[arg-type]
    assert isinstance(info.value.__cause__, sqlite3.Error)
