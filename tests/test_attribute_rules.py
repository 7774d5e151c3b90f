"""Every attribute of every claim names the rule that set it (issue 13: "every claim says why")."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.run.api import extract_text

SEEDS = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
#: The attribute families a claim's ``rules`` must each name once: kind, source, actor, places,
#: period and hedge (the quantity's own rule comes from the pattern files).
FAMILIES = ("quantity.", "hedge.", "kind.", "source.", "actor.", "place.", "period.")


def _check(claim) -> list[str]:
    problems = []
    for family in FAMILIES:
        ids = [r for r in claim.rules if r.startswith(family)]
        if not ids:
            problems.append(f"{claim.quantity.text!r}: no {family} rule in {claim.rules}")
    null_rules = {"source.": claim.source is None, "actor.": claim.actor is None, "place.": not claim.places,
                  "period.": claim.period is None}
    for family, empty in null_rules.items():
        said_none = any(r.startswith(family + "none") for r in claim.rules)
        if empty != said_none:
            problems.append(f"{claim.quantity.text!r}: {family} value {'empty' if empty else 'set'} but rules "
                            f"{[r for r in claim.rules if r.startswith(family)]}")
    return problems


def test_attribute_rules_on_seed_articles():
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip(f"no seed articles in {SEEDS}")
    problems, n = [], 0
    for path in paths:
        for claim in extract_text(path.read_text(encoding="utf-8"), path=str(path)):
            n += 1
            problems += _check(claim)
    assert n > 20 and not problems, problems[:10]


@pytest.mark.parametrize("text", [
    "Ukraine's air force said it shot down 41 of the 48 drones Russia launched overnight.",
    "A poll of 1,000 adults by Ipsos found 58 percent of Britons back the plan.",
    "The company made a profit of $2bn last year.",
    "Some 3,000 troops will be sent to Poland, officials said on Monday.",
])
def test_attribute_rules_on_written_sentences(text):
    claims = extract_text(text, path="x.txt")
    assert claims
    problems = [p for c in claims for p in _check(c)]
    assert not problems, problems
