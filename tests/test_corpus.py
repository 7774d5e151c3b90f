"""Copies, claim groups and conflicts on the seed corpus, through the CLI a fact-checker uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory, seeds_dir) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "claims.db"
    assert runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(path), "--quiet"]).exit_code == 0
    return path


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_corpus_two_versions_of_one_bbc_story_are_one_cluster(db):
    clusters = _lines(runner.invoke(app, ["duplicates", "--db", str(db), "--json"]).stdout)
    assert len(clusters) == 1
    (cluster,) = clusters
    names = sorted(Path(m["path"]).name[:3] for m in cluster["members"])
    assert names == ["002", "004"] and Path(cluster["canonical"]).name.startswith("004")  # 004 is dated
    assert all(0.5 <= m["similarity"] <= 1.0 for m in cluster["members"])


def test_corpus_syndicated_figure_is_one_group_with_one_independent_source(db):
    claims = _lines(runner.invoke(app, ["query", "--kind", "territory", "--db", str(db), "--json"]).stdout)
    (c593,) = {c["group"]["id"]: c for c in claims if c["quantity"]["value"] == 593}.values()
    assert c593["group"]["mentions"] == 2 and c593["group"]["independent_sources"] == 1


def test_corpus_kursk_troop_figures_conflict(db):
    conflicts = _lines(runner.invoke(app, ["conflicts", "--db", str(db), "--json"]).stdout)
    pairs = [sorted(g["representative"]["value"] for g in c["groups"]) for c in conflicts]
    assert [50000, 59000] in pairs
    kursk = next(c for c in conflicts if sorted(g["representative"]["value"] for g in c["groups"]) == [50000, 59000])
    assert kursk["differs"] == ["value"] and all(g["kind"] == "personnel" for g in kursk["groups"])
    assert [1171, 1376] in pairs  # the Kursk area Ukraine took: 1,171 vs about 1,376


def test_corpus_rewrite_joins_the_group_without_being_a_copy(db):
    claims = _lines(runner.invoke(app, ["query", "Kursk troops", "--db", str(db), "--json"]).stdout)
    fifty = [c for c in claims if c["quantity"]["value"] == 50000]
    assert {Path(c["evidence"]["path"]).name[:3] for c in fifty} == {"001", "002", "004"}
    assert len({c["group"]["id"] for c in fifty}) == 1
    assert fifty[0]["group"]["independent_sources"] == 2  # the copies count once, the rewrite once


def test_corpus_export_groups(db, tmp_path):
    out = tmp_path / "groups.jsonl"
    result = runner.invoke(app, ["export", "--groups", "--db", str(db), "--output", str(out)])
    groups = _lines(out.read_text())
    assert result.exit_code == 0 and groups
    assert all({"id", "mentions", "independent_sources", "claim_ids", "article_ids"} <= g.keys() for g in groups)
    assert sum(g["mentions"] for g in groups) == len(_lines(runner.invoke(app, ["export", "--db", str(db)]).stdout))


def test_corpus_conflicts_text_output(db):
    text = runner.invoke(app, ["conflicts", "--db", str(db)]).stdout
    assert "59,000" in text and "independent" in text


def test_corpus_store_streams_articles_in_canonical_order(db):
    from models.store import ClaimStore

    with ClaimStore(db) as store:
        rows = list(store.dedup_stream())
    assert len(rows) == 5
    dated = [r for r in rows if r[2] is not None]
    assert rows[: len(dated)] == dated  # dated first (earliest), undated last
    undated = [len(r[1]) for r in rows[len(dated):]]
    assert undated == sorted(undated, reverse=True)  # longest first among equals


def test_corpus_claims_are_grouped_slice_by_slice(db):
    from models.store import ClaimStore

    with ClaimStore(db) as store:
        total = store.count_claims()
        slices = list(store.claim_partitions(slice_claims=3))
        whole = list(store.claim_partitions(slice_claims=10**6))
    assert sum(len(claims) for claims, _ in slices) == total == sum(len(c) for c, _ in whole)
    assert len(slices) > len(whole)
    assert all(len({(c.kind, c.quantity.unit) for c in claims}) == 1 for claims, _ in slices)


def test_corpus_pass_again_rewrites_no_claim_and_keeps_every_group(db, tmp_path):
    """A second pass over an unchanged store finds the same groups and copies, rewrites no claim
    row and no article row outside a copy cluster (each holds its JSON or its text)."""
    import shutil

    from extraction.corpus.refresh import refresh
    from models.store import ClaimStore

    copy = tmp_path / "again.db"
    shutil.copy(db, copy)
    with ClaimStore(copy) as store:
        before = store.con.execute("SELECT id, group_id FROM claims ORDER BY id").fetchall()
        clusters = store.con.execute("SELECT id, cluster_id FROM articles ORDER BY id").fetchall()
        store.con.execute("CREATE TEMP TABLE writes (what TEXT)")
        for table in ("claims", "articles"):
            store.con.execute(f"CREATE TEMP TRIGGER {table}_written AFTER UPDATE ON main.{table} "
                              f"BEGIN INSERT INTO writes VALUES ('{table}'); END")
        summary = refresh(store)
        written = store.con.execute("SELECT what, count(*) FROM writes GROUP BY what").fetchall()
        after = store.con.execute("SELECT id, group_id FROM claims ORDER BY id").fetchall()
        assert store.con.execute("SELECT id, cluster_id FROM articles ORDER BY id").fetchall() == clusters
    assert after == before and all(gid for _, gid in after) and summary.groups == len({g for _, g in after})
    assert dict(written).get("claims", 0) == 0
    members = sum(1 for _, cluster in clusters if cluster)
    assert 0 < members < len(clusters)
    assert dict(written).get("articles", 0) <= 2 * members  # cleared and set again: the cluster members only
