"""unit_context: words around a figure that change how it reads (changes, years, "m", "pounds")."""

from __future__ import annotations

import pytest
from figure_docs import read

from extraction.interpret.mention import QuantityFamily
from extraction.interpret.unit_context import POUND_IN_TONNES, is_change, reread_units, year_like


def _from(doc) -> int:
    return [t.lower_ for t in doc].index("from")


@pytest.mark.parametrize(("text", "change"), [
    ("Inflation rose sharply from 2% to 3% last year.", True),
    ("The rate was cut by 5% from 8% in May.", True),
    ("Officials said from 40,000 to 60,000 troops were there.", False),
    ("Troops came from 12 countries, and from 40 to 60 more will follow.", False),
])
def test_unit_context_a_word_of_change_before_from(nlp, text, change):
    doc = nlp(text)
    assert is_change(doc, _from(doc)) is change


@pytest.mark.parametrize(("text", "number", "label", "year"), [
    ("Sales grew 2% from 2021 to 2023.", "2021", "number", True),
    ("The firm sold 2,021 cars.", "2,021", "number", False),
    ("Output reached 2500 tonnes.", "2500", "number", False),
    ("Rates rose 2% in a year.", "2%", "percent", False),
])
def test_unit_context_year_like(nlp, text, number, label, year):
    doc = nlp(text)
    assert year_like(doc, read(doc, number, label)) is year


@pytest.mark.parametrize(("text", "phrase", "km"), [
    ("The drone fell 100m from the school.", "100m", 0.1),
    ("They built a 5m-long boat.", "5m", 0.005),
])
def test_unit_context_m_before_a_word_of_place_or_size_is_metres(nlp, text, phrase, km):
    doc = nlp(text)
    (m,) = reread_units(doc, [read(doc, phrase)])
    assert (m.family, m.unit, m.factor) == (QuantityFamily.LENGTH, "km", 0.001)
    assert m.value == pytest.approx(km) and m.not_claim is None


def test_unit_context_m_of_money_stays_millions(nlp):
    doc = nlp("The club paid 100m for the striker.")
    (m,) = reread_units(doc, [read(doc, "100m")])
    assert m.family == QuantityFamily.NUMBER and m.value == 1e8


@pytest.mark.parametrize(("text", "weight"), [
    ("The parcel weighed 25 pounds in all.", True),
    ("They found 25 pounds of explosives.", True),
    ("The jacket cost 25 pounds in all.", False),
    ("They gave 25 pounds of aid.", False),
])
def test_unit_context_pounds_of_weight_or_money(nlp, text, weight):
    doc = nlp(text)
    before = read(doc, "25 pounds", "money")
    (m,) = reread_units(doc, [before])
    if weight:
        assert (m.family, m.unit, m.noun) == (QuantityFamily.MEASURE, "t", "pounds")
        assert m.value == pytest.approx(25 * POUND_IN_TONNES)
    else:
        assert m == before
