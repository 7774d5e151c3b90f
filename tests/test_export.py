"""JSONL and CSV export of claims, and the JSON Schema of an export line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from store_fixtures import sample

from models import Claim, GroupRef
from models.export import CSV_COLUMNS, export_schema, write_csv, write_jsonl
from models.store import ClaimStore


@pytest.fixture
def claims() -> list[Claim]:
    return [c for _, claims in sample() for c in claims]


def test_export_jsonl_round_trip(claims: list[Claim]) -> None:
    fp = io.StringIO()
    assert write_jsonl(claims, fp) == len(claims)
    lines = fp.getvalue().splitlines()
    assert len(lines) == len(claims)
    assert [Claim.model_validate_json(line) for line in lines] == claims


def test_export_jsonl_keeps_none_as_null(claims: list[Claim]) -> None:
    fp = io.StringIO()
    write_jsonl(claims[-1:], fp)
    line = json.loads(fp.getvalue())
    assert line["source"] is None and line["group"] is None and line["period"] is None
    assert line["quantity"]["low"] is None and line["evidence"]["published"] is None
    assert line["quantity"]["hedge"] == "exact" and line["kind"] == "equipment"


def test_export_jsonl_from_store_carries_group(tmp_path: Path) -> None:
    with ClaimStore(tmp_path / "claims.db") as store:
        store.add_many((a, c, None) for a, c in sample())
        first = next(store.claims())
        store.replace_groups([{"id": "g1", "mentions": 2, "independent_sources": 1}])
        store.set_groups([(first.id, "g1")])
        fp = io.StringIO()
        assert write_jsonl(store.claims(), fp) == 6
    back = [Claim.model_validate_json(line) for line in fp.getvalue().splitlines()]
    assert back[0].group == GroupRef(id="g1", mentions=2, independent_sources=1)


def test_export_csv_header_and_rows(claims: list[Claim]) -> None:
    fp = io.StringIO(newline="")
    assert write_csv(claims, fp) == len(claims)
    rows = list(csv.reader(io.StringIO(fp.getvalue(), newline="")))
    assert rows[0] == list(CSV_COLUMNS) and len(rows) == len(claims) + 1
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    assert rows[0][:3] == ["id", "kind", "value"] and rows[0][-1] == "group_independent_sources"


def test_export_csv_values(claims: list[Claim]) -> None:
    fp = io.StringIO(newline="")
    write_csv(claims, fp)
    rows = {r["quantity_text"]: r for r in csv.DictReader(io.StringIO(fp.getvalue(), newline=""))}
    troops = rows["approximately 50,000 troops"]
    assert (troops["value"], troops["unit"], troops["hedge"], troops["actor"]) == (
        "50000", "count", "approximately", "Russia")
    assert (troops["period_start"], troops["period_end"], troops["published"]) == (
        "2024-08-01", "2024-08-31", "2024-08-20")
    assert troops["source_name"] == "" and troops["low"] == "" and troops["group_id"] == ""
    territory = rows["more than 1,000 square kilometres"]
    assert territory["source_type"] == "think_tank" and territory["places"] == "Kursk region"
    patriots = rows["3 Patriot batteries"]
    assert patriots["places"] == "Zürich" and patriots["sentence"].endswith('"for repairs".')
    assert rows["$61bn"]["value"] == "61000000000"


def test_export_csv_multi_places_and_group(claims: list[Claim]) -> None:
    from models import Place

    claim = claims[0].model_copy(update={
        "places": [Place(name="Sudzha"), Place(name="Kursk region")], "rules": ["a.b", "c.d"],
        "group": GroupRef(id="g7", mentions=4, independent_sources=3),
        "quantity": claims[0].quantity.model_copy(update={"value": 2.5}),
    })
    fp = io.StringIO(newline="")
    write_csv([claim], fp)
    (row,) = csv.DictReader(io.StringIO(fp.getvalue(), newline=""))
    assert (row["places"], row["rules"], row["value"]) == ("Sudzha; Kursk region", "a.b; c.d", "2.5")
    assert (row["group_id"], row["group_mentions"], row["group_independent_sources"]) == ("g7", "4", "3")


def test_export_csv_actor_and_place_ids(claims: list[Claim]) -> None:
    from models import Place

    claim = claims[0].model_copy(update={
        "actor": "United States", "actor_id": "US",
        "places": [Place(name="Sudzha", id="place:ru:sudzha"), Place(name="Atlantis"),
                   Place(name="Kursk region", id="RU-KRS")],
    })
    fp = io.StringIO(newline="")
    write_csv([claim, claims[1]], fp)
    row, other = csv.DictReader(io.StringIO(fp.getvalue(), newline=""))
    assert (row["actor"], row["actor_id"]) == ("United States", "US")
    assert row["place_ids"] == "place:ru:sudzha; ; RU-KRS"  # one per place, in the order of `places`
    assert other["place_ids"] == "" and other["actor_id"] == ""


def test_export_csv_empty_writes_header_only() -> None:
    fp = io.StringIO(newline="")
    assert write_csv([], fp) == 0
    assert fp.getvalue().strip() == ",".join(CSV_COLUMNS)


def test_export_schema_describes_a_line(claims: list[Claim]) -> None:
    schema = export_schema()
    assert {"quantity", "evidence"} <= set(schema["required"])
    assert {"quantity", "evidence", "places", "source", "group", "actor", "actor_id"} <= set(schema["properties"])
    assert "id" in schema["$defs"]["Place"]["properties"]
    json.dumps(schema)
    import jsonschema
    for claim in claims:
        jsonschema.validate(json.loads(claim.model_dump_json()), schema)


def _drop_evidence(line: dict) -> None:
    del line["evidence"]


def _unknown_hedge(line: dict) -> None:
    line["quantity"]["hedge"] = "maybe"


def _out_of_scope_kind(line: dict) -> None:
    line["kind"] = "date"


def _extra_field(line: dict) -> None:
    line["evidence"]["page"] = 3


@pytest.mark.parametrize("spoil", [_drop_evidence, _unknown_hedge, _out_of_scope_kind, _extra_field])
def test_export_schema_rejects_bad_line(claims: list[Claim], spoil) -> None:
    import jsonschema
    line = json.loads(claims[0].model_dump_json())
    spoil(line)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(line, export_schema())
