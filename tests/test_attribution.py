"""Attribution: the source of a figure in every form news uses (sentences written for these tests)."""

from __future__ import annotations

import pytest

from extraction.api import extract_text
from extraction.source_context import noun_referents

CASES = [
    # (text, expected source name (word containment), expected words in Source.text or None)
    ("Russia has lost 2,000 tanks, according to the Institute for the Study of War.",
     "Institute for the Study of War", None),
    ("Moscow holds some 110,000 sq km of Ukraine, ISW figures showed.", "Institute for the Study of War", None),
    ("Data from the UN refugee agency shows 5.1 million refugees in Europe.", "UNHCR", None),
    ("An analysis by DeepState found that Russia took 3,900 sq km last year.", "DeepState", None),
    ("The figure of 61,000 comes from estimates published by the Ukrainian military.",
     "Armed Forces of Ukraine", None),
    ("Zelensky said 31,000 Ukrainian soldiers had been killed.", "Zelensky", None),
    ("Ukraine has lost 90 aircraft, a Western official told the BBC.", "Western official", None),
    ("Dr Anna Kowal, an analyst at the Warsaw Defence Institute, said 4,000 drones were launched.",
     "Anna Kowal", "analyst at the Warsaw Defence Institute"),
    ("Russia lost 1,100 troops in a day, the Kyiv Independent reported, citing the General Staff.",
     "General Staff", None),
    ("Drone attacks rose almost 30% in June – Ukraine's air force", "air force", None),
    ("Support for talks: 44%. Source: Kyiv International Institute of Sociology",
     "Kyiv International Institute of Sociology", None),
    ("The Royal United Services Institute studied the data. Losses were 2,000 a week, the think tank concluded.",
     "Royal United Services Institute", "think tank"),
    ("Ukraine needs another 150,000 soldiers, the secretary of the National Security and Defence Council said.",
     "National Security and Defence Council", None),
    ("Exit polls suggested that 52% of voters backed the ruling party.", "exit polls", None),
]


@pytest.mark.parametrize(("text", "name", "words"), CASES, ids=[c[0][:40] for c in CASES])
def test_attribution_finds_the_source(text, name, words):
    claims = extract_text(text)
    assert claims, text
    source = claims[0].source
    assert source is not None, text
    assert name.lower() in f"{source.name} {source.text}".lower(), source
    if words:
        assert words.lower() in source.text.lower(), source


@pytest.mark.parametrize("text", [
    "Russia fired 40 missiles at Kyiv overnight.",
    "Kyiv expects to receive $5bn a year from the fund.",
])
def test_attribution_names_nobody_when_the_text_cites_nobody(text):
    assert all(c.source is None for c in extract_text(text))


def test_attribution_outlet_that_only_relays_is_not_the_source():
    (claim,) = extract_text("Russia lost 900 troops, Reuters reported, citing Ukraine's General Staff.")
    assert claim.source is not None and "Reuters" not in claim.source.name


def test_attribution_noun_referents_reads_the_gazetteer():
    table = noun_referents()
    assert table["pollster"] == frozenset({"pollster"})
    assert "person" not in table["organisation"]
    assert table["report"] is None
