"""Every CLI command, end to end on the seed corpus and small texts we write."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, seeds_dir) -> Path:
    db = tmp_path_factory.mktemp("cli") / "claims.db"
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["articles"] == 5 and summary["added"] == 5 and summary["claims"] > 20
    return db


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_cli_ingest_is_idempotent(seeded_db, seeds_dir):
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(seeded_db), "--quiet"])
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 0 and summary["added"] == 0 and summary["skipped"] == 5


def test_cli_query_kursk_troops(seeded_db):
    result = runner.invoke(app, ["query", "--place", "Kursk", "--kind", "personnel", "--db", str(seeded_db), "--json"])
    assert result.exit_code == 0, result.output
    claims = _json_lines(result.stdout)
    values = {c["quantity"]["value"] for c in claims}
    assert {50000, 59000, 11000} <= values
    by_value = {c["quantity"]["value"]: c for c in claims}
    assert by_value[59000]["quantity"]["hedge"] == "approximately"
    assert "General Staff" in by_value[59000]["source"]["name"]
    assert by_value[11000]["actor"] == "North Korea"
    assert all(c["evidence"]["sentence"] and c["evidence"]["path"] for c in claims)


def test_cli_query_text_equals_filters(seeded_db):
    args = ["--db", str(seeded_db), "--json"]
    by_text = _json_lines(runner.invoke(app, ["query", "Kursk troops", *args]).stdout)
    by_filter = _json_lines(runner.invoke(app, ["query", "--place", "Kursk", "--kind", "personnel", *args]).stdout)
    assert by_text and sorted(c["id"] for c in by_text) == sorted(c["id"] for c in by_filter)


def test_cli_query_table_and_no_results(seeded_db):
    table = runner.invoke(app, ["query", "--source", "ISW", "--db", str(seeded_db)])
    assert table.exit_code == 0 and "Institute for the Study of War" in table.stdout
    none = runner.invoke(app, ["query", "--place", "Atlantis", "--db", str(seeded_db)])
    assert none.exit_code == 0 and "no claims found" in none.stdout


def test_cli_query_missing_store_exits_3(tmp_path):
    result = runner.invoke(app, ["query", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 3 and "no claim store" in result.stderr


def test_cli_export_jsonl_and_csv(seeded_db, tmp_path):
    out = tmp_path / "claims.jsonl"
    result = runner.invoke(app, ["export", "--db", str(seeded_db), "--format", "jsonl", "--output", str(out)])
    assert result.exit_code == 0
    lines = _json_lines(out.read_text())
    assert len(lines) > 20 and all({"kind", "quantity", "evidence", "source", "places"} <= c.keys() for c in lines)
    stdout_csv = runner.invoke(app, ["export", "--db", str(seeded_db), "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(stdout_csv)))
    assert len(rows) == len(lines) and rows[0]["kind"]


def test_cli_export_rejects_unknown_format(seeded_db):
    assert runner.invoke(app, ["export", "--db", str(seeded_db), "--format", "xml"]).exit_code == 2


def test_cli_schema_describes_export_line():
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert {"kind", "quantity", "evidence", "source"} <= schema["properties"].keys()


def test_cli_quantities_reads_stdin():
    result = runner.invoke(app, ["quantities", "-"], input="Some 50,000 troops and 12 tanks crossed on 13 November.")
    rows = _json_lines(result.stdout)
    assert [r["value"] for r in rows if r["not_claim"] is None] == [50000, 12]
    assert any(r["not_claim"] == "date" for r in rows)


def test_cli_failures_and_partial_exit_code(tmp_path):
    (tmp_path / "good.txt").write_text("Officials said 40 drones were shot down overnight.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    db = tmp_path / "c.db"
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "--quiet"])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "binary.txt" in result.stderr
    listed = runner.invoke(app, ["failures", "--db", str(db)]).stdout
    assert "empty" in listed and "binary" in listed
    assert json.loads(result.stdout.strip().splitlines()[-1])["added"] == 1


def test_cli_ingest_unwritable_store_exits_3(tmp_path, seeds_dir):
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(tmp_path / "missing" / "dir" / "c.db")])
    assert result.exit_code == 3 and "error:" in result.stderr


def test_cli_evaluate_against_gold(tmp_path):
    article = tmp_path / "a1.txt"
    article.write_text("Russia has about 575,000 troops in Ukraine, according to the Ukrainian General Staff.\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "a1", "kind": "personnel", "value": 575000, "unit": "count",
                                "hedge": "approximately", "actor": "Russia", "place": "Ukraine",
                                "source": ["General Staff"], "quote": "about 575,000 troops"}) + "\n")
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), str(article), "--json"])
    figures = json.loads(result.stdout)
    assert result.exit_code == 0 and figures["f1"] == 1.0 and figures["strict"] == 1.0
    missing = runner.invoke(app, ["evaluate", "--gold", str(gold), str(tmp_path / "none.txt"), "--min-f1", "0.5"])
    assert missing.exit_code == 3  # no gold document among the articles: an error, not F1 0.000
    article.write_text("Russia has about 500,000 troops in Ukraine.\n")
    worse = runner.invoke(app, ["evaluate", "--gold", str(gold), str(article), "--min-f1", "0.5"])
    assert worse.exit_code == 1  # a bar missed


def test_cli_no_corpus_pass_then_refresh(tmp_path, seeds_dir):
    db = tmp_path / "c.db"
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet", "--no-corpus-pass"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["added"] == 5 and summary["claim_groups"] == 0 and summary["copy_clusters"] == 0
    stale = runner.invoke(app, ["conflicts", "--db", str(db)])
    assert "out of date" in stale.stderr and "claims refresh" in stale.stderr
    assert "no conflicts found" in stale.stdout
    done = runner.invoke(app, ["refresh", "--db", str(db), "--quiet"])
    assert done.exit_code == 0, done.output
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["articles"] == 5 and figures["clusters"] == 1 and figures["conflicts"] >= 2
    fresh = runner.invoke(app, ["conflicts", "--db", str(db)])
    assert "out of date" not in fresh.stderr and "no conflicts found" not in fresh.stdout


def test_cli_refresh_missing_store_exits_3(tmp_path):
    result = runner.invoke(app, ["refresh", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3 and "no claim store" in result.stderr


def test_cli_query_is_paged_and_suggests_spellings(seeded_db):
    args = ["--db", str(seeded_db), "--json"]
    first = _json_lines(runner.invoke(app, ["query", "--limit", "4", *args]).stdout)
    second = _json_lines(runner.invoke(app, ["query", "--limit", "4", "--offset", "4", *args]).stdout)
    assert len(first) == 4 and len(second) == 4 and not {c["id"] for c in first} & {c["id"] for c in second}
    paged = runner.invoke(app, ["query", "--limit", "4", *args])
    assert "the next page: --offset 4" in paged.stderr
    typo = runner.invoke(app, ["query", "Kursk troups", *args])
    assert typo.exit_code == 0 and "did you mean: Kursk troops" in typo.stderr
