"""number_roles: what a bare number counts, or why it is not a claim, on Docs of our sentences."""

from __future__ import annotations

import pytest
from figure_docs import read

from extraction.interpret.mention import NounClass
from extraction.interpret.number_roles import is_furniture, span_text
from models.vocab import QuantityKind

NOT_CLAIMS = [
    # (sentence, the number, why it is not a claim, the mark it gets)
    ("He was aged 34 when he left.", "34", QuantityKind.AGE, None),
    ("Section 427 of the code applies.", "427", QuantityKind.NAME, "is_name"),
    ("The Apple iPhone 11 sold well.", "11", QuantityKind.NAME, "is_name"),
    ("She lives at 14 Elm Grove Road now.", "14", QuantityKind.NAME, "is_name"),
    ("The match ended 2-2 after extra time.", "2-2", QuantityKind.OTHER, "is_score"),
    ("Each one was checked by hand.", "one", QuantityKind.OTHER, "is_pronoun"),
    ("It is one of the world's 10 largest banks.", "10", QuantityKind.ORDINAL, "is_rank"),
    ("The vote is on Oct. 31 this year.", "31", QuantityKind.DATE, None),
    ("The report was published on February 20 and 21 in parts.", "21", QuantityKind.DATE, None),
    ("The war began in 1999 in the north.", "1999", QuantityKind.YEAR, None),
    ("The 61-year-old driver was hurt.", "61", QuantityKind.AGE, None),
    ("The talks lasted six years in all.", "six", QuantityKind.DURATION, None),
    ("Call 01234567 for details.", "01234567", QuantityKind.OTHER, None),
    ("Some 300 people, 40 of whom were children, fled.", "40", QuantityKind.OTHER, None),
]


@pytest.mark.parametrize(("text", "number", "why", "mark"), NOT_CLAIMS, ids=[r[0][:30] for r in NOT_CLAIMS])
def test_number_roles_says_why_a_number_is_not_a_claim(nlp, text, number, why, mark):
    m = read(nlp(text), number)
    assert m.not_claim == why
    marks = {k for k in ("is_name", "is_score", "is_pronoun", "is_rank") if getattr(m, k)}
    assert marks == ({mark} if mark else set())


COUNTS = [
    # (sentence, the number, the counted noun, its class)
    ("Moscow massed 14,000 Russian troops near the border.", "14,000", "troops", NounClass.MILITARY),
    ("Germany gave Ukraine 12 howitzers this year.", "12", "howitzers", NounClass.EQUIPMENT),
    ("The firm sold 120,000 cars in 2023.", "120,000", "cars", NounClass.THING),
    ("The blast killed two and injured 17 others.", "17", "others", NounClass.CASUALTY),
    ("More than 30 or more children were hurt.", "30", "children", NounClass.PERSON),
]


@pytest.mark.parametrize(("text", "number", "noun", "cls"), COUNTS, ids=[r[0][:30] for r in COUNTS])
def test_number_roles_finds_the_counted_noun(nlp, text, number, noun, cls):
    doc = nlp(text)
    m = read(doc, number)
    assert (m.noun, m.noun_class, m.unit, m.not_claim) == (noun, cls, noun, None)
    assert doc[m.noun_index].lower_ == noun


@pytest.mark.parametrize(("text", "number", "cls"), [
    ("Officials said 12,000 were killed in the fighting.", "12,000", NounClass.CASUALTY),
    ("The death toll rose to 46 on Sunday.", "46", NounClass.CASUALTY),
    ("Eight were killed, four of them children.", "four", NounClass.OF_THEM),
])
def test_number_roles_casualties_without_a_noun(nlp, text, number, cls):
    m = read(nlp(text), number)
    assert m.noun_class == cls and m.noun is None and m.not_claim is None


def test_number_roles_elided_noun_is_the_one_said_before(nlp):
    m = read(nlp("Britain sent troops in May and will send about 900 more."), "900")
    assert (m.noun, m.noun_class, m.elided_noun) == ("troops", NounClass.MILITARY, "troops")


def test_number_roles_margin_counts_the_noun_before_it(nlp):
    m = read(nlp("The party won a majority of 160 in the vote."), "160")
    assert m.is_margin and m.noun == "majority" and m.noun_class == NounClass.THING


def test_number_roles_glued_unit_is_what_it_measures(nlp):
    small = read(nlp("The car makes 610bhp at full power."), "610")
    large = read(nlp("The plant makes 6100bhp at full power."), "6100")
    assert small.unit == small.noun == "bhp" and small.not_claim == QuantityKind.OTHER and not small.is_name
    assert large.unit == "bhp" and large.not_claim is None


def test_number_roles_small_bare_number_is_no_claim_but_a_large_one_may_be(nlp):
    assert read(nlp("The tally stood at 12 by the evening."), "12").not_claim == QuantityKind.OTHER
    assert read(nlp("The tally stood at 12,000 by the evening."), "12,000").not_claim is None


def test_number_roles_classify_returns_a_new_mention(nlp):
    from dataclasses import FrozenInstanceError

    m = read(nlp("Section 427 of the code applies."), "427")
    with pytest.raises(FrozenInstanceError):
        m.not_claim = None  # type: ignore[misc]


def test_number_roles_span_text_is_the_text_between_tokens(nlp):
    doc = nlp("Some 50,000 troops massed.")
    assert span_text(doc, 1, 3) == "50,000 troops"


@pytest.mark.parametrize(("sentence", "furniture"), [
    ("We use cookies to improve your experience.", True),
    ("The army said 4,000 troops had arrived.", False),
])
def test_number_roles_furniture_sentences(sentence, furniture):
    assert is_furniture(sentence) is furniture
