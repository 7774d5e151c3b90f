"""Parquet export, groups and conflicts in every format, and the store's SQL views (on the seed articles)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from extraction.cli import app
from models.parquet import arrow_schema
from models.tables import CLAIM_TABLE, CONFLICT_TABLE, GROUP_TABLE
from models.views import VIEWS

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("formats") / "claims.db"
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(path), "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return path


def _jsonl(db: Path, *args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_export_parquet_round_trips_the_jsonl_rows(db: Path, tmp_path: Path) -> None:
    lines = _jsonl(db, "export")
    out = tmp_path / "claims.parquet"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0 and f"{len(lines)} claims written" in result.stderr
    table = pq.read_table(out)
    assert len(lines) > 20 and table.num_rows == len(lines)
    assert table.column("id").to_pylist() == [line["id"] for line in lines]
    first, row = lines[0], table.slice(0, 1).to_pylist()[0]
    assert row["quantity_text"] == first["quantity"]["text"] and row["rules"] == first["rules"]
    assert [p["name"] for p in row["places"]] == [p["name"] for p in first["places"]]
    assert row["group_id"] == (first["group"] or {}).get("id")


def test_export_parquet_has_the_documented_types(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.parquet"
    runner.invoke(app, ["export", "--db", str(db), "--format", "parquet", "--output", str(out)])
    schema = pq.read_schema(out)
    assert schema.equals(arrow_schema(CLAIM_TABLE), check_metadata=False)
    expected = {"value": pa.float64(), "start": pa.int64(), "published": pa.date32(), "period_start": pa.date32(),
                "period_resolved": pa.bool_(), "rules": pa.list_(pa.string()), "kind": pa.string()}
    for name, arrow_type in expected.items():
        assert schema.field(name).type == arrow_type, name
    assert pa.types.is_struct(schema.field("places").type.value_type)
    documented = _readme_columns("### Parquet and CSV columns")
    assert {c.name for c in CLAIM_TABLE} <= documented


def test_export_parquet_needs_an_output_file(db: Path) -> None:
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "parquet"])
    assert result.exit_code == 2 and "--output" in result.output


def test_export_rejects_an_unknown_format(db: Path) -> None:
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "xml"])
    assert result.exit_code == 2 and "jsonl, csv, parquet" in result.output


@pytest.mark.parametrize(("args", "table"), [(["export", "--groups"], GROUP_TABLE), (["conflicts"], CONFLICT_TABLE)])
def test_groups_and_conflicts_in_every_format(db: Path, tmp_path: Path, args: list[str], table: tuple) -> None:
    rows = _jsonl(db, *args, "--format", "jsonl")
    assert rows and all("id" in r for r in rows)
    as_csv = runner.invoke(app, [*args, "--db", str(db), "--format", "csv"])
    records = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert as_csv.exit_code == 0 and list(records[0]) == [c.name for c in table]
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    out = tmp_path / "rows.parquet"
    result = runner.invoke(app, [*args, "--db", str(db), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    read = pq.read_table(out)
    assert read.column("id").to_pylist() == [r["id"] for r in rows]
    assert read.schema.equals(arrow_schema(table), check_metadata=False)


def test_conflicts_csv_keeps_both_intervals(db: Path) -> None:
    result = runner.invoke(app, ["conflicts", "--db", str(db), "--format", "csv"])
    record = next(csv.DictReader(io.StringIO(result.stdout)))
    intervals = json.loads(record["values"])
    assert len(intervals) == 2 and all(set(i) == {"low", "high"} for i in intervals)
    assert "; " in record["group_ids"]


def test_views_match_the_tables(db: Path) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # a plain reader, as sqlite3 or Datasette would be
    count = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
             for name in ("claims", "claims_view", "claim_groups", "groups_view", "conflicts", "conflicts_view")}
    assert count["claims_view"] == count["claims"] > 0
    assert count["groups_view"] == count["claim_groups"] > 0
    assert count["conflicts_view"] == count["conflicts"] > 0
    for line in _jsonl(db, "export")[:10]:
        row = con.execute("SELECT quantity_text, kind, value, path, published, group_mentions FROM claims_view "
                          "WHERE id = ?", (line["id"],)).fetchone()
        assert row == (line["quantity"]["text"], line["kind"], line["quantity"]["value"], line["evidence"]["path"],
                       line["evidence"]["published"], (line["group"] or {}).get("mentions"))
    low_a, high_a, low_b, high_b = con.execute("SELECT low_a, high_a, low_b, high_b FROM conflicts_view").fetchone()
    assert high_a < low_b or high_b < low_a  # a conflict's intervals do not overlap
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    seen = con.execute("SELECT count(*), count(DISTINCT doc_id), sum(claims) FROM appearances_view").fetchone()
    assert seen == (articles, articles, count["claims"])  # each seed text was read once


def test_views_are_brought_up_to_date_in_an_older_store(tmp_path: Path) -> None:
    """A store whose view lacks a column (written by an older version) gets the new definition."""
    from models.store import ClaimStore

    db = tmp_path / "old.db"
    ClaimStore(db).close()
    with sqlite3.connect(db) as con:
        con.execute("DROP VIEW claims_view")
        con.execute("CREATE VIEW claims_view AS SELECT id FROM claims")
    ClaimStore(db).close()
    with sqlite3.connect(db) as con:
        assert "actor_id" in [row[1] for row in con.execute("PRAGMA table_info(claims_view)")]


def test_views_are_documented_in_the_readme(db: Path) -> None:
    con = sqlite3.connect(db)
    for name in VIEWS:
        columns = [row[1] for row in con.execute(f"PRAGMA table_info({name})")]
        assert columns and set(columns) <= _readme_columns(f"#### {name}"), name


def _readme_columns(heading: str) -> set[str]:
    """Backticked names in the README paragraph or table that follows ``heading``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n\n", text.find("|", start))
    return set(re.findall(r"`([a-z_]+)`", text[start:end]))
