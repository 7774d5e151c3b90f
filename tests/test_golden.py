"""The golden table (tests/golden/sentences.jsonl): sentences we wrote, with their expected claims.

Each row is one test: every expected claim must be found with the right kind, hedge, actor,
place and source, and nothing else in scope may be extracted. Rows the extractor does not
get right yet are listed in tests/golden/known_gaps.txt and run as strict xfails, so a row
that starts passing fails the suite until it is taken off the list.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from extraction.cli.evaluate import IN_SCOPE, score

GOLDEN = Path(__file__).parent / "golden"
ROWS = [json.loads(line) for line in (GOLDEN / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]
GAPS = {line.split()[0] for line in (GOLDEN / "known_gaps.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")}


def _gold_lines(row: dict) -> list[dict]:
    if not row["claims"]:
        return [{"doc": row["id"], "kind": None}]
    return [{"doc": row["id"], **c} for c in row["claims"]]


def _predict(row: dict) -> list[dict]:
    from extraction.run.api import extract_text

    published = date.fromisoformat(row["published"]) if row.get("published") else None
    claims = extract_text(row["text"], published=published, path=f"{row['id']}.txt")
    return [json.loads(c.model_dump_json()) for c in claims]


def _problems(row: dict) -> list[str]:
    result = score(_gold_lines(row), _predict(row))
    problems = [f"missed {g.get('value', (g.get('low'), g.get('high')))} {g['kind']}" for g in result.misses]
    problems += [f"extra {p['kind']} {p['quantity']['value']} ({p['quantity']['text']})" for p in result.extras
                 if p["kind"] in IN_SCOPE]
    problems += [f"{attr}: want {g[attr]}, got {p.get(attr) if attr != 'hedge' else p['quantity']['hedge']}"
                 f"{' ' + str(p.get('places')) if attr == 'place' else ''}"
                 f"{' ' + str(p.get('source')) if attr == 'source' else ''}" for attr, g, p in result.wrong]
    return problems


def test_golden_table_is_well_formed():
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids)) and len(ROWS) >= 150
    assert GAPS <= set(ids), f"known_gaps.txt names rows that do not exist: {GAPS - set(ids)}"
    assert sum(1 for r in ROWS if not r["claims"]) >= 30


@pytest.mark.parametrize("row", [
    pytest.param(r, id=r["id"], marks=pytest.mark.xfail(strict=True, reason="known gap")) if r["id"] in GAPS
    else pytest.param(r, id=r["id"]) for r in ROWS
])
def test_golden_sentence(row):
    problems = _problems(row)
    assert not problems, f"{row['text']!r}: {problems}"
