"""Quantity interpretation: values, units, hedges, counted nouns and what is not a claim."""

from __future__ import annotations

import pytest

from extraction.api import extract_text, quantities_in_text

KINDS = [
    # (text, kind, value or (low, high), hedge)
    ("The rouble has lost about half its value this year.", "share", 50.0, "approximately"),
    ("Britain will send about 800 more troops, adding to the 900 soldiers it has there.", "personnel", 800.0,
     "approximately"),
    ("Kyiv has received six F-16 jets so far.", "equipment", 6.0, "exact"),
    ("Berlin has pledged 18 Leopard 2 tanks.", "equipment", 18.0, "exact"),
    ("The strike killed one man and injured three in the village.", "casualties", 3.0, "exact"),
    ("The death toll from the attack rose to 37, officials said.", "casualties", 37.0, "exact"),
    ("A missile hit the base, killing at least 14 soldiers.", "casualties", 14.0, "at_least"),
    ("Negotiators met for at least four rounds of talks.", "count", 4.0, "at_least"),
    ("All five of the reactors remain shut down.", "count", 5.0, "exact"),
    ("Russia outfires Ukraine by about 8 to 1 in some sectors.", "ratio", 8.0, "approximately"),
    ("Kyiv expects between $4bn and $6bn a year from the scheme.", "money", (4e9, 6e9), "range"),
    ("Oslo has pledged 120 billion kroner to Ukraine.", "money", 120e9, "exact"),
    ("Bern has frozen 6.1 billion Swiss francs of Russian assets.", "money", 6.1e9, "exact"),
    ("Its forces hold 700 sq km of the region, down from a peak of about 1,200.", "territory", 1200.0,
     "approximately"),
    ("The advance has slowed from about 600 metres to 200 metres a day.", "rate", 0.6, "approximately"),
]


@pytest.mark.parametrize(("text", "kind", "value", "hedge"), KINDS, ids=[k[0][:40] for k in KINDS])
def test_quantities_kind_value_and_hedge(text, kind, value, hedge):
    claims = extract_text(text)
    def same(c):
        q = c.quantity
        got = (q.low, q.high) if isinstance(value, tuple) else q.value
        return got is not None and (got == pytest.approx(value))
    hits = [c for c in claims if same(c)]
    assert hits, [(c.kind, c.quantity.value, c.quantity.low) for c in claims]
    assert hits[0].kind.value == kind and hits[0].quantity.hedge.value == hedge


@pytest.mark.parametrize("text", [
    "Ukrainians seeking help can call the helpline on +44 20 7946 0321.",
    "We and our 612 partners use cookies to store information on a device.",
    "Read more: 7 things to know about the offensive",
    "View 212 comments | Share this article",
    "Copyright © 2024. All rights reserved.",
    "Updated 09:15 GMT | 6 min read",
    "She stormed to the 1,500m title in Glasgow.",
    "Sanctions were tightened in early 2025.2 The report says more.",
    "The 3rd Assault Brigade moved to the front on 13 November.",
])
def test_quantities_page_furniture_codes_and_names_are_not_claims(text):
    assert extract_text(text) == []


def test_quantities_bracketed_conversion_is_not_a_second_claim():
    claims = extract_text("Congress approved $48bn (£38bn) in aid for Ukraine.")
    assert [c.quantity.value for c in claims] == [48e9]


def test_quantities_mentions_expose_not_claim_reasons():
    mentions = quantities_in_text("The war has lasted 17 months.")
    assert mentions and all(m.not_claim is not None for m in mentions)
