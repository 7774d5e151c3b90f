"""Every rule file row has an id, a label and an example; each rule fires on its own example."""

from __future__ import annotations

import json

import pytest

from extraction import lexicons

FAMILIES = ("quantities", "hedges", "cues", "dates")
RULES = [(family, rule) for family in FAMILIES for rule in lexicons.rules(family)]


def test_rules_every_line_has_id_label_example():
    for family in FAMILIES:
        path = lexicons.DATA / "patterns" / f"{family}.jsonl"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                assert {"id", "label", "pattern", "example"} <= row.keys(), f"{path.name}:{n}"
                assert row["id"].split(".")[0] in ("quantity", "hedge", "source", "date"), row["id"]


@pytest.mark.parametrize(("family", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rules_fire_on_their_example(nlp, family, rule):
    doc = nlp(rule.example)
    hits = [s for s in doc.spans[family] if s.id_ == rule.id]
    found = [(s.text, s.id_) for s in doc.spans[family]]
    assert hits, f"{rule.id} did not fire on its example {rule.example!r}: {found}"
    if rule.expect is not None:
        assert any(s.text == rule.expect for s in hits), [s.text for s in hits]


def test_rules_macro_expansion_rejects_unknown_macro():
    with pytest.raises(KeyError):
        lexicons.expand_pattern([{"MACRO": "NO_SUCH_MACRO"}])
