"""Pure number, fraction, range and unit parsing: tables of news spellings, and property tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.lexicon.numbers import parse_fraction, parse_number, parse_range
from extraction.lexicon.units import lookup_unit, split_unit, to_canonical

NUMBERS = [
    ("78,329", 78329), ("110,649", 110649), ("2,700", 2700), ("10.8", 10.8), ("0.5", 0.5),
    ("1.2 million", 1_200_000), ("5bn", 5e9), ("3.5m", 3.5e6), ("1.2 mln", 1.2e6), ("20k", 20_000),
    ("six", 6), ("eleven", 11), ("fifty-nine thousand", 59_000), ("two hundred and fifty", 250),
    ("a hundred", 100), ("one-and-a-half", 1.5), ("two and a half", 2.5), ("twice", 2),
    ("a dozen", 12), ("twenty-five", 25), ("1,000,000", 1e6),
    (".001", 0.001), ("-50.8 bn", -50.8e9), ("minus 5", -5), ("minus-1.4", -1.4), ("8 b", 8e9),
]
NOT_NUMBERS = ["", "a", "troops", "200-300", "five six", "twenty thirty", "F-16", "3rd", "x" * 100]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_numbers_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_numbers_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("one-fifth", 0.2), ("a fifth", 0.2), ("half", 0.5), ("a third", 1 / 3), ("two-thirds", 2 / 3),
    ("three quarters", 0.75), ("3/4", 0.75), ("one tenth", 0.1),
])
def test_numbers_parse_fraction(text, value):
    assert parse_fraction(text) == pytest.approx(value)


@pytest.mark.parametrize(("text", "bounds"), [
    ("200-300", (200, 300)), ("3,000 to 5,000", (3000, 5000)), ("between 2 and 2.5", (2, 2.5)),
    ("1-2 million", (1e6, 2e6)), ("two to two-and-a-half", (2, 2.5)),
])
def test_numbers_parse_range(text, bounds):
    assert parse_range(text) == pytest.approx(bounds)


def test_numbers_parse_range_rejects_reversed_and_single():
    assert parse_range("300-200") is None
    assert parse_range("300") is None


@pytest.mark.parametrize(("surface", "canonical"), [
    ("sq km", ("km2", 1.0)), ("square kilometres", ("km2", 1.0)), ("square miles", ("km2", 2.589988)),
    ("hectares", ("km2", 0.01)), ("miles", ("km", 1.609344)), ("metres", ("km", 0.001)),
    ("%", ("percent", 1.0)), ("per cent", ("percent", 1.0)), ("$", ("USD", 1.0)), ("€", ("EUR", 1.0)),
    ("£", ("GBP", 1.0)), ("roubles", ("RUB", 1.0)), ("hryvnias", ("UAH", 1.0)),
])
def test_units_lookup(surface, canonical):
    assert lookup_unit(surface) == canonical


def test_units_convert_and_split():
    assert to_canonical(3, "miles") == (pytest.approx(4.828032), "km")
    assert split_unit("2,700 square kilometres") == ("2,700", "square kilometres")
    assert split_unit("$ 19.5 billion", prefix=True) == ("19.5 billion", "$")
    assert split_unit("2,700 bananas") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_numbers_never_crash_on_arbitrary_text(text):
    for fn in (parse_number, parse_fraction, parse_range):
        result = fn(text)
        assert result is None or isinstance(result, (float, tuple))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_numbers_digits_with_separators_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


def _unit_surfaces() -> st.SearchStrategy[str]:
    from extraction.lexicon.units import unit_table

    return st.sampled_from(sorted(unit_table()))


#: any text, and texts that hold a known unit (before or after a figure, any case), so the
#: properties below are tried on hits as well as misses
_UNIT_TEXTS = st.one_of(
    st.text(max_size=40),
    st.tuples(st.deferred(_unit_surfaces), st.sampled_from(["12", "1,200", "about 5", ""]), st.booleans(),
              st.booleans()).map(lambda t: ((f"{t[1]} {t[0]}" if t[2] else f"{t[0]} {t[1]}")).strip()
                                 if not t[3] else (f"{t[1]} {t[0]}" if t[2] else f"{t[0]} {t[1]}").upper().strip()),
)


@settings(max_examples=300, deadline=None)
@given(_UNIT_TEXTS)
def test_units_never_crash(text):
    """Any text: no exception, and a split or a look-up that answers says something true."""
    from models.vocab import Unit

    words = text.split()
    for prefix in (False, True):
        split = split_unit(text, prefix=prefix)
        if split is not None:
            rest, unit = split
            assert lookup_unit(unit) is not None  # the unit found is one of the table's
            if not unit[0].isalnum() and prefix and words and not words[0].lower() == unit.lower():
                continue  # a symbol glued to the number ("US$5"): the first word was cut in two
            # the text is the rest and the unit, word for word, in order
            assert (unit.split() + rest.split() if prefix else rest.split() + unit.split()) == words
    hit = lookup_unit(text)
    if hit is not None:
        canonical, factor = hit
        assert Unit(canonical) and factor > 0
        assert lookup_unit(f"  {text} ") == hit  # spacing does not matter
        if text.upper().lower() == text.lower():  # nor case (where upper-casing keeps the letters)
            assert lookup_unit(text.upper()) == hit


def test_units_table_only_names_canonical_units():
    from extraction.lexicon.units import unit_table
    from models.vocab import Unit

    known = {u.value for u in Unit}
    assert {unit for unit, _ in unit_table().values()} <= known
