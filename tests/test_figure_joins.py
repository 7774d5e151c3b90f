"""figure_joins: the mentions of a Doc read together (ranges, shares, scaled fractions,
bracketed restatements, parts of a total, shared units)."""

from __future__ import annotations

import pytest
from figure_docs import read

from extraction.interpret.figure_joins import join_mentions
from extraction.interpret.mention import QuantityFamily
from models.vocab import Hedge, QuantityKind


def _join(nlp, text, *phrases):
    doc = nlp(text)
    return join_mentions(doc, [read(doc, p, label) for p, label in phrases], {})


@pytest.mark.parametrize(("text", "phrases", "joined", "low", "high"), [
    ("Inflation will be between 5% and 10% next year.", [("5%", "percent"), ("10%", "percent")],
     "5% and 10%", 5.0, 10.0),
    ("It took three or four years to build.", [("three", "number"), ("four", "number")], "three or four", 3.0, 4.0),
    ("The room holds between six and 12 people.", [("six", "number"), ("12", "number")], "six and 12", 6.0, 12.0),
])
def test_figure_joins_two_figures_make_a_range(nlp, text, phrases, joined, low, high):
    (m,) = _join(nlp, text, *phrases)
    assert (m.text, m.low, m.high, m.value, m.hedge) == (joined, low, high, None, Hedge.RANGE)


def test_figure_joins_a_range_takes_the_noun_of_its_second_figure(nlp):
    (m,) = _join(nlp, "The room holds between six and 12 people.", ("six", "number"), ("12", "number"))
    assert (m.noun, m.unit) == ("people", "people")


def test_figure_joins_from_after_a_word_of_change_is_two_values(nlp):
    ms = _join(nlp, "Inflation rose from 5% to 10% last year.", ("5%", "percent"), ("10%", "percent"))
    assert [m.value for m in ms] == [5.0, 10.0] and all(m.hedge == Hedge.EXACT for m in ms)


def test_figure_joins_dashed_unit_is_shared_by_the_first_figure(nlp):
    (m,) = _join(nlp, "They dug a 4- to 6-metre trench.", ("4", "number"), ("6-metre", "length"))
    assert m.family == QuantityFamily.LENGTH and (m.low, m.high) == pytest.approx((0.004, 0.006))
    assert m.rules == ("test.number", "test.length") and m.unit_from == "6-metre"


def test_figure_joins_one_in_ten_is_a_share(nlp):
    (m,) = _join(nlp, "One in ten voters agreed.", ("One", "number"), ("ten", "number"))
    assert (m.family, m.unit, m.value, m.noun, m.not_claim) == (QuantityFamily.FRACTION, "percent", 10.0, "voters",
                                                                 None)


def test_figure_joins_half_a_million_is_scaled(nlp):
    (m,) = _join(nlp, "The city has half a million people.", ("a million", "number"))
    assert (m.text, m.value) == ("half a million", 500_000.0)


def test_figure_joins_bracketed_figure_restates_the_one_before(nlp):
    first, second = _join(nlp, "The road is 1,450km (900 miles) long.", ("1,450km", "length"),
                          ("900 miles", "length"))
    assert first.not_claim is None and first.conversion_of is None
    assert second.not_claim == QuantityKind.OTHER and second.conversion_of == "1,450km"


def test_figure_joins_range_around_a_bracketed_restatement(nlp):
    joined, restated = _join(nlp, "Pay will be between $40,000 (£21,000) and $90,000 a year.",
                             ("$40,000", "money"), ("£21,000", "money"), ("$90,000", "money"))
    assert (joined.low, joined.high, joined.unit) == (40_000.0, 90_000.0, "USD")
    assert restated.not_claim == QuantityKind.OTHER and restated.conversion_of == joined.text


def test_figure_joins_a_compared_bare_figure_takes_the_unit(nlp):
    area, bare = _join(nlp, "Its forces hold 700 sq km, down from a peak of about 1,200.", ("700 sq km", "area"),
                       ("1,200", "number"))
    assert (bare.family, bare.unit, bare.value, bare.unit_from) == (QuantityFamily.AREA, "km2", 1200.0, "700 sq km")
    assert area.unit_from is None


def test_figure_joins_a_length_compared_with_a_rate_is_a_rate(nlp):
    first, _ = _join(nlp, "Advances slowed from 700 metres to 300 metres a day.", ("700 metres", "length"),
                     ("300 metres a day", "rate"))
    assert (first.family, first.unit) == (QuantityFamily.RATE, "km/day")


def test_figure_joins_figures_after_including_split_the_total(nlp):
    total, three, two = _join(nlp, "Talks lasted five rounds, including three in Minsk and two in Ankara.",
                              ("five", "number"), ("three", "number"), ("two", "number"))
    assert total.split_of is None
    assert [(m.noun, m.split_of, m.not_claim) for m in (three, two)] == [("rounds", "five", None)] * 2


def test_figure_joins_do_not_change_their_input(nlp):
    doc = nlp("Inflation will be between 5% and 10% next year.")
    ms = [read(doc, "5%", "percent"), read(doc, "10%", "percent")]
    before = list(ms)
    join_mentions(doc, ms, {})
    assert ms == before and ms[0].hedge == Hedge.EXACT
