"""The quantity mention (extraction.interpret.mention) and its public twin (models.mention)."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace

import pytest
from pydantic import ValidationError

from extraction.interpret.mention import Mention, NounClass, QuantityFamily
from extraction.lexicon import lexicons
from models.mention import QuantityMention
from models.vocab import Hedge, QuantityKind


def _mention(**kw) -> Mention:
    return Mention(3, 5, 10, 23, "50,000 troops", QuantityFamily.NUMBER, ("quantity.number.bare",), **kw)


def test_mention_is_frozen_and_replace_builds_a_new_one():
    m = _mention(value=50_000.0)
    with pytest.raises(FrozenInstanceError):
        m.value = 1.0  # type: ignore[misc]
    n = replace(m, noun="troops", noun_class=NounClass.MILITARY)
    assert (m.noun, n.noun, n.value) == (None, "troops", 50_000.0)


def test_mention_a_misspelt_mark_is_an_error():
    with pytest.raises(TypeError):
        replace(_mention(), is_nam=True)


def test_mention_public_twin_moves_offsets_and_names_the_family_kind():
    m = _mention(value=50_000.0, hedge=Hedge.APPROXIMATELY, noun="troops", not_claim=QuantityKind.OTHER)
    q = m.public(offset=100)
    assert (q.start, q.end, q.kind, q.hedge, q.not_claim) == (110, 123, QuantityFamily.NUMBER, Hedge.APPROXIMATELY,
                                                              QuantityKind.OTHER)


def test_mention_public_json_line_is_the_quantities_command_line():
    line = json.dumps(_mention(low=1.0, high=2.0, hedge=Hedge.RANGE).public().model_dump(mode="json"),
                      ensure_ascii=False)
    assert line == ('{"text": "50,000 troops", "start": 10, "end": 23, "value": null, "low": 1.0, "high": 2.0, '
                    '"unit": "count", "hedge": "range", "kind": "number", "not_claim": null}')


def test_mention_public_twin_forbids_unknown_fields_and_is_frozen():
    q = _mention(value=1.0).public()
    with pytest.raises(ValidationError):
        QuantityMention(**q.model_dump(), noun="troops")
    with pytest.raises(ValidationError):
        q.value = 2.0  # type: ignore[misc]


def test_mention_families_cover_every_quantity_rule_label():
    labels = {r.label for r in lexicons.rules("quantities")}
    assert labels <= {f.value for f in QuantityFamily}


def test_mention_noun_classes_cover_the_counted_noun_table():
    assert set(lexicons.counted_nouns().values()) <= {c.value for c in NounClass}
