"""span_values: one quantity span read on its own (value, range, canonical unit, factor, marks)."""

from __future__ import annotations

import pytest
from figure_docs import phrase_span

from extraction.interpret.mention import QuantityFamily
from extraction.interpret.span_values import interpret
from extraction.interpret.unit_context import POUND_IN_TONNES
from models.vocab import Hedge, QuantityKind

READINGS = [
    # (sentence, phrase, family label, value or (low, high), unit)
    ("Kyiv received $19.5 billion in aid.", "$19.5 billion", "money", 19.5e9, "USD"),
    ("Russia holds 2,700 square kilometres of land.", "2,700 square kilometres", "area", 2700.0, "km2"),
    ("He ran 3 miles before dawn.", "3 miles", "length", 4.828032, "km"),
    ("Rates rose by 5 to 7 per cent this year.", "5 to 7 per cent", "percent", (5.0, 7.0), "percent"),
    ("Rates rose by half a percentage point.", "half a percentage point", "percent", 0.5, "pp"),
    ("About a quarter agreed with the plan.", "a quarter", "fraction", 25.0, "percent"),
    ("Profits rose sixfold in a decade.", "sixfold", "ratio", 6.0, "times"),
    ("The odds were 10 to 1 against.", "10 to 1", "ratio", 10.0, "times"),
    ("The shop sold 12 kg of tea.", "12 kg", "measure", 0.012, "t"),
    ("It was 42C in the shade.", "42C", "measure", 42.0, "deg_c"),
]


@pytest.mark.parametrize(("text", "phrase", "label", "value", "unit"), READINGS, ids=[r[1] for r in READINGS])
def test_span_values_reads_value_and_canonical_unit(nlp, text, phrase, label, value, unit):
    m = interpret(phrase_span(nlp(text), phrase, label))
    assert m is not None
    got = m.value if not isinstance(value, tuple) else (m.low, m.high)
    assert got == pytest.approx(value) and m.unit == unit
    assert m.hedge == (Hedge.RANGE if isinstance(value, tuple) else Hedge.EXACT)
    assert m.rules == (f"test.{label}",) and m.text == phrase


def test_span_values_keeps_the_factor_of_the_written_unit(nlp):
    kg = interpret(phrase_span(nlp("The shop sold 12 kg of tea."), "12 kg", "measure"))
    miles = interpret(phrase_span(nlp("He ran 3 miles before dawn."), "3 miles", "length"))
    assert kg.factor == pytest.approx(0.001) and miles.factor == pytest.approx(1.609344)


def test_span_values_pounds_of_weight_are_tonnes(nlp):
    m = interpret(phrase_span(nlp("The parcel weighs 25 pounds."), "25 pounds", "measure"))
    assert m.unit == "t" and m.value == pytest.approx(25 * POUND_IN_TONNES) and m.factor == POUND_IN_TONNES
    assert m.noun == "pounds"


def test_span_values_a_rate_a_day_takes_the_words_after_it(nlp):
    doc = nlp("The field pumps 9.5 million barrels a day.")
    m = interpret(phrase_span(doc, "9.5 million barrels", "measure"))
    assert m.unit == "bbl/day" and m.value == pytest.approx(9.5e6)
    assert m.text == "9.5 million barrels a day" and doc[m.end - 1].text == "day"


def test_span_values_dashed_unit_is_marked(nlp):
    m = interpret(phrase_span(nlp("They dug a 1,000-km front line."), "1,000-km", "length"))
    assert m.dashed and m.value == 1000.0 and m.unit == "km"
    plain = interpret(phrase_span(nlp("They dug 1,000 km of trenches."), "1,000 km", "length"))
    assert not plain.dashed


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("Sales tripled last year.", "tripled", 3.0),
    ("It is twice as loud as a jet.", "twice as", 2.0),
])
def test_span_values_multiplier_words_have_no_numeral(nlp, text, phrase, value):
    m = interpret(phrase_span(nlp(text), phrase, "ratio"))
    assert m.value == value and m.unit == "times" and m.no_numeral


def test_span_values_for_every_divides_by_the_number_after_it(nlp):
    three = interpret(phrase_span(nlp("There were three soldiers for every defender."),
                                  "three soldiers for every", "ratio"))
    tenth = interpret(phrase_span(nlp("Holders get one share for every 10 shares held."),
                                  "one share for every 10", "ratio"))
    assert three.value == 3.0 and tenth.value == pytest.approx(0.1)


@pytest.mark.parametrize(("text", "phrase", "low"), [
    ("Thousands of people marched.", "Thousands of", 1e3),
    ("Tens of thousands of people marched.", "Tens of thousands of", 1e4),
    ("Dozens of people marched.", "Dozens of", 12.0),
])
def test_span_values_vague_is_a_magnitude_never_a_claim(nlp, text, phrase, low):
    m = interpret(phrase_span(nlp(text), phrase, "vague"))
    assert (m.low, m.high) == (low, low * 10) and m.hedge == Hedge.RANGE
    assert m.is_vague and m.not_claim == QuantityKind.OTHER


def test_span_values_cent_with_a_capital_is_a_name(nlp):
    m = interpret(phrase_span(nlp("The rapper 50 Cent sang last night."), "50 Cent", "money"))
    assert m.family == QuantityFamily.NUMBER and m.not_claim == QuantityKind.NAME and m.is_name
    cents = interpret(phrase_span(nlp("A stamp costs 50 cents now."), "50 cents", "money"))
    assert cents.family == QuantityFamily.MONEY and not cents.is_name


@pytest.mark.parametrize(("text", "phrase", "label"), [
    ("A crowd of lots came.", "lots", "number"),
    ("The team of Group 4 C won.", "4 C", "measure"),
])
def test_span_values_words_that_do_not_parse_are_none(nlp, text, phrase, label):
    assert interpret(phrase_span(nlp(text), phrase, label)) is None
