"""Quantity interpretation: values, units, hedges, counted nouns and what is not a claim."""

from __future__ import annotations

import pytest

from extraction.run.api import extract_text, quantities_in_text
from models.vocab import Hedge, QuantityKind

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


def _mentions(text):
    return [m for m in quantities_in_text(text)]


def _bounds(m):
    return m.value if m.value is not None else (m.low, m.high)


MENTIONS = [
    # (text, mention text, value or (low, high))
    ("Temperatures fell to minus 12 Celsius overnight.", "minus 12", -12.0),
    ("The side finished the half on minus-3 yards.", "minus-3", -3.0),
    ("The trade gap widened to $-4.2bn in March.", "$-4.2bn", -4.2e9),
    ("Demand for sub-200 sq m flats has grown.", "200 sq m", 0.0002),
    ("The error rate fell to .05 per cent last year.", ".05 per cent", 0.05),
    ("The world population passed 8 B people.", "8 B", 8e9),
    ("Guidance was cut from the US $89 to $93 billion it gave before.", "US $89 to $93 billion", (89e9, 93e9)),
    ("Most adults hear tones between 40Hz and 60Hz.", "40Hz and 60", (40.0, 60.0)),
    ("Talks could take two or three weeks.", "two or three", (2.0, 3.0)),
    ("Four out of five voters backed the plan.", "Four out of five", 80.0),
    ("Exports increased by $3.1 billion to $52.4 billion.", "$52.4 billion", 52.4e9),
    ("Exports increased by $3.1 billion to $52.4 billion.", "$3.1 billion", 3.1e9),
    ("Sales rose in 2019 to 4.2 million units.", "4.2 million", 4.2e6),
    ("Prices rose by 5 to 7 per cent.", "5 to 7 per cent", (5.0, 7.0)),
    ("The new engine makes 250bhp/320Nm.", "250", 250.0),
    ("The new engine makes 250bhp/320Nm.", "320", 320.0),
    ("The car returns 52.3mpg/124g/km on paper.", "52.3", 52.3),
    ("Output of the plant rose sixfold in a decade.", "sixfold", 6.0),
]


@pytest.mark.parametrize(("text", "surface", "value"), MENTIONS, ids=[f"{m[1]}|{m[0][:30]}" for m in MENTIONS])
def test_quantities_mentions_read_signs_units_and_pairs(text, surface, value):
    found = {m.text: m for m in _mentions(text)}
    assert surface in found, list(found)
    got = _bounds(found[surface])
    assert got == (pytest.approx(value) if not isinstance(value, tuple) else pytest.approx(value))


@pytest.mark.parametrize(("text", "surface", "mark"), [
    ("The match ended 1-1 after extra time.", "1-1", "is_score"),
    ("He lives at 14 Elm Grove Road in the town.", "14", "is_name"),
    ("The flat at 22 Ave Foch was sold.", "22", "is_name"),
    ("Crowds gathered for the Fourth of July parade.", "Fourth of", "is_name"),
    ("Sales more than doubled last year.", "doubled", "no_numeral"),
    ("It is twice as loud as a jet.", "twice as", "no_numeral"),
])
def test_quantities_marks_what_is_not_a_quantity(text, surface, mark):
    found = {m.text: m for m in _mentions(text)}
    assert surface in found and getattr(found[surface], mark), list(found)


def test_quantities_glued_unit_is_not_part_of_a_name():
    found = {m.text: m for m in _mentions("The Lamborghini's 610bhp V10 is loud.")}
    assert found["610"].unit == "bhp" and not found["610"].is_name


def test_quantities_sequence_fraction_is_not_a_share():
    found = {m.text: m for m in _mentions("Profits rose in the first half of the year.")}
    assert found["half of"].not_claim is not None


def test_quantities_far_apart_alternatives_are_not_a_range():
    texts = [m.text for m in _mentions("No matter how many: 50,000, 150,000 or 1 million soldiers.")]
    assert "150,000" in texts and "1 million" in texts


def test_quantities_a_range_of_amounts_is_not_split_as_a_year():
    found = {m.text: m for m in _mentions("Adults need about 2000 - 2500 calories a day.")}
    assert _bounds(found["2000 - 2500"]) == (2000.0, 2500.0)


@pytest.mark.parametrize("text", [
    "Russia launched about 40 drones and more than 12 missiles on 13 November, officials said.",
    "Since the start of October, Ukraine retook 593 sq km, or close to a fifth of the area, in 2024.",
    "The 2022-23 winter saw up to 300 strikes a week or so, 5 am local time.",
])
def test_quantities_fast_path_matches_the_full_pipeline(nlp, text):
    from extraction.interpret.quantities import mentions_from_doc

    key = lambda ms: [(m.start, m.end, m.value, m.low, m.high, m.unit, m.hedge, m.not_claim) for m in ms]  # noqa: E731
    assert key(quantities_in_text(text)) == key(mentions_from_doc(nlp(text)))


@pytest.mark.parametrize(("text", "tokens"), [
    ("114bhp/200Nm", ["114", "bhp", "/", "200", "Nm"]),
    ("43.5mpg/117g/km", ["43.5", "mpg", "/", "117", "g", "/", "km"]),
    ("minus-5", ["minus-", "5"]),
    ("sub-300", ["sub-", "300"]),
    ("COVID-19", ["COVID-19"]),
])
def test_quantities_tokenizer_splits_units_and_sign_words(nlp, text, tokens):
    assert [t.text for t in nlp.make_doc(text)] == tokens


def test_quantities_word_lists_are_lexeme_flags_for_new_words(nlp):
    # a spelling the vocabulary has never seen still carries its rule's flag
    assert [m.value for m in quantities_in_text("Attacks rose THREEFOLD in a month.")] == [3.0]


@pytest.mark.parametrize(("sentence", "furniture"), [
    ("Read more: 7 things to know", True),
    ("We and our 612 partners use cookies.", True),
    ("Troops read more than 7 reports.", False),
])
def test_quantities_is_furniture(sentence, furniture):
    from extraction.interpret.number_roles import is_furniture

    assert is_furniture(sentence) is furniture


# The walk of mentions_from_doc on Docs of our sentences: changes cut in two, hedges, signs, "N times".

def _walk(nlp, text):
    from extraction.interpret.quantities import mentions_from_doc

    return mentions_from_doc(nlp(text))


def test_quantities_a_change_is_two_figures_and_the_first_takes_the_seconds_noun(nlp):
    first, second = _walk(nlp, "Troop numbers rose from 40,000 to 60,000 troops.")
    assert (first.value, second.value) == (40_000.0, 60_000.0) and first.pair and second.pair
    assert first.noun == second.noun == "troops" and first.hedge == Hedge.EXACT


def test_quantities_a_change_whose_unit_is_written_once_shares_it(nlp):
    first, second = _walk(nlp, "Imports fell from 40 million to 25 million cubic metres.")
    assert (first.family, first.unit, first.value) == ("measure", "m3", 40e6)
    assert second.unit == "m3" and not first.unit_of_next


def test_quantities_a_change_and_the_level_it_reached(nlp):
    change, level = _walk(nlp, "Sales increased by $43.6 billion to $419.2 billion.")
    assert (change.value, level.value, change.unit) == (43.6e9, 419.2e9, "USD")


@pytest.mark.parametrize(("text", "hedge", "after"), [
    ("The plan needs at least 14 votes.", Hedge.AT_LEAST, False),
    ("The plan needs 25 or more votes.", Hedge.AT_LEAST, True),
    ("The party won 30 seats or less.", Hedge.AT_MOST, True),
])
def test_quantities_hedge_before_or_after_the_figure(nlp, text, hedge, after):
    (m,) = _walk(nlp, text)
    assert m.hedge == hedge and m.hedge_after is after
    assert m.rules[0].startswith("quantity.") and m.rules[-1].startswith(f"hedge.{hedge.value}.")


def test_quantities_sign_word_belongs_to_the_figure(nlp):
    (m,) = _walk(nlp, "It was minus 5 degrees at night.")
    assert (m.text, m.value) == ("minus 5", -5.0)


@pytest.mark.parametrize(("text", "events"), [
    ("The bank raised rates five times last year.", True),
    ("Output is six times higher than before.", False),
    ("The index grew 20 times in a decade.", False),
])
def test_quantities_n_times_counts_events_or_multiplies(nlp, text, events):
    (m,) = _walk(nlp, text)
    assert m.counts_events is events
    assert (m.family, m.noun) == (("number", "times") if events else ("ratio", None))


def test_quantities_furniture_sentence_figures_are_not_claims(nlp):
    (m,) = _walk(nlp, "We use cookies. Accept all 3 cookies now.")
    assert m.in_furniture and m.not_claim == QuantityKind.OTHER
