"""Every rule file row has an id, a label and an example; each rule fires on its own example."""

from __future__ import annotations

import json

import pytest

from extraction.lexicon import lexicons

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


def test_rules_read_no_lexical_attribute_the_blank_pipeline_drops(nlp):
    """The blank pipeline computes only the lexical attributes something reads (pipeline.UNUSED_LEX_ATTRS
    are dropped); a rule reading a dropped one would silently never match."""
    from spacy.attrs import IDS

    from extraction.nlp.pipeline import UNUSED_LEX_ATTRS

    assert not {IDS[a] for a in UNUSED_LEX_ATTRS} & set(nlp.vocab.lex_attr_getters)
    for _, rule in RULES:
        used = {attr for pattern in rule.patterns for spec in pattern for attr in spec}
        assert not used & set(UNUSED_LEX_ATTRS), (rule.id, used & set(UNUSED_LEX_ATTRS))
    # the ones kept still work on words the vocabulary meets for the first time
    doc = nlp.make_doc("Zyxwvutsr 12,345 Qwertyuiop")
    assert doc[1].like_num and doc[0].is_title and doc[0].is_alpha and doc[1].shape_ == "dd,ddd"
