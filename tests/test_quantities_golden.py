"""The quantity golden table (tests/golden/quantities.jsonl): every figure as news prints it.

Each row lists every quantity ``claims quantities`` must read in its text (value in our
canonical unit, unit, hedge, and the mark when the mention is not a claim), and the numbers
that are not quantities ("not": a mark, or "none" for no mention at all). Dates, years, clock
times, ordinals and names are not quantities; everything else the extractor prints counts, so
a row fails on a missed figure, a wrong value, unit or hedge, and on an extra figure too.
Rows listed in quantities_known_gaps.txt are expected to fail (strict: a fixed gap must be
taken off the list).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.run.api import quantities_in_text

GOLDEN = Path(__file__).parent / "golden"
ROWS = [json.loads(line) for line in (GOLDEN / "quantities.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]
GAPS = {line.split()[0] for line in (GOLDEN / "quantities_known_gaps.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")}
NOT_QUANTITIES = frozenset({"date", "year", "time", "ordinal", "name"})


def _params():
    for row in ROWS:
        marks = [pytest.mark.xfail(strict=True, reason="known gap")] if row["id"] in GAPS else []
        yield pytest.param(row, id=row["id"], marks=marks)


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 + 1e-4 * abs(b)


def _matches(e: dict, m, text: str) -> bool:
    at = text.find(e["text"])
    if at < 0 or not (m.start_char < at + len(e["text"]) and m.end_char > at):
        return False
    if "value" in e:
        value_ok = _close(m.value, e["value"])
    else:
        value_ok = m.value is None and _close(m.low, e["low"]) and _close(m.high, e["high"])
    mark = m.not_claim.value if m.not_claim is not None else None
    return value_ok and m.unit == e["unit"] and m.hedge.value == e["hedge"] and (
        "mark" not in e or mark == e["mark"])


def _show(m) -> str:
    v = m.value if m.value is not None else (m.low, m.high)
    return f"{m.text!r} {v} {m.unit} {m.hedge.value} {m.not_claim.value if m.not_claim else 'claim'}"


def test_quantities_golden_table_is_large_and_well_formed():
    assert len(ROWS) >= 150
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    families = {r["id"].split(".")[0] for r in ROWS}
    assert {"change", "range", "year", "scale", "currency", "fraction", "hedge", "compound", "ambiguous", "noun",
            "measure", "name"} <= families
    for r in ROWS:
        for q in r["quantities"] + r["not"]:
            assert q["text"] in r["text"], r["id"]
    assert GAPS <= {r["id"] for r in ROWS}


@pytest.mark.parametrize("row", list(_params()))
def test_quantities_golden(row):
    text = row["text"]
    mentions = quantities_in_text(text)
    found = [m for m in mentions if m.not_claim is None or m.not_claim.value not in NOT_QUANTITIES]
    problems = []
    left = list(found)
    for e in row["quantities"]:
        hit = next((m for m in left if _matches(e, m, text)), None)
        if hit is None:
            problems.append(f"missing {e}")
        else:
            left.remove(hit)
    problems += [f"extra {_show(m)}" for m in left]
    for n in row["not"]:
        at = text.find(n["text"])
        over = [m for m in mentions if m.start_char < at + len(n["text"]) and m.end_char > at]
        if n["mark"] == "none":
            problems += [f"{n['text']!r} should give no mention: {_show(m)}" for m in over]
        elif not over or any(m.not_claim is None or m.not_claim.value != n["mark"] for m in over):
            problems.append(f"{n['text']!r} should be marked {n['mark']}: {[_show(m) for m in over]}")
    assert not problems, "; ".join(problems) + " | got: " + "; ".join(_show(m) for m in mentions)
