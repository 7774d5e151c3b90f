"""Words around a figure that change how it reads: a word of change before "from" (a change
of two values, not a range), a year that takes no unit, "m" that is metres and "pounds" that
are weight. Pure functions over a processed Doc and the mentions of ``quantities``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from extraction.interpret.mention import Mention, NounClass, QuantityFamily, replace
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import lower_of
from models.vocab import QuantityKind

#: Pounds of weight ("2,000-pound bombs", "25 pounds of explosives"), in tonnes.
POUND_IN_TONNES = 0.00045359237

NOT_AMOUNTS = frozenset({QuantityKind.YEAR, QuantityKind.DATE, QuantityKind.TIME, QuantityKind.ORDINAL,
                          QuantityKind.NAME, QuantityKind.AGE, QuantityKind.DURATION})


def year_like(doc: Doc, m: Mention) -> bool:
    """A bare four-digit number (or range of two) that reads as a year: 1800-2100, no separator.

    >>> import spacy
    >>> from spacy.tokens import Span
    >>> from extraction.interpret.span_values import interpret
    >>> doc = spacy.blank("en")("Sales grew from 2021 to 2,500 units.")
    >>> year_like(doc, interpret(Span(doc, 3, 4, label="number")))  # "2021"
    True
    >>> year_like(doc, interpret(Span(doc, 5, 6, label="number")))  # "2,500"
    False
    """
    if m.family != "number" or m.noun is not None:
        return False
    values = [v for v in (m.value, m.low, m.high) if v is not None]
    return bool(values) and all(1800 <= v <= 2100 and v == int(v) for v in values) and doc[m.start].shape_ == "dddd"


def is_change(doc: Doc, i: int) -> bool:
    """Whether the "from" at token ``i`` follows a word of change within five words of its
    clause ("rose sharply from", "was cut by 5% from", "lifted its dividend from").

    >>> import spacy
    >>> is_change(spacy.blank("en")("Inflation rose sharply from 2% to 3%."), 3)
    True
    >>> is_change(spacy.blank("en")("Officials said from 40,000 to 60,000 troops were there."), 2)
    False
    """
    lower = lower_of(doc)
    for j in range(i - 1, max(-1, i - 6), -1):
        w = lower[j]
        if w in word_class("change_words"):
            return True
        if w in (",", ";", ":", ".", "said", "says", "say") or doc[j].is_sent_start:
            return False
    return False


def reread_units(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Ambiguous unit words read by context: "100m from the school" is metres (a bare "m" with
    no currency before it, followed by a word of place or size); "25 pounds of explosives" is
    a weight (pounds in words, followed by "of" and no word of money). Returns new mentions.

    >>> import spacy
    >>> from spacy.tokens import Span
    >>> from extraction.interpret.span_values import interpret
    >>> doc = spacy.blank("en")("The drone fell 100m from the school.")
    >>> [(m.family.value, m.value, m.unit) for m in reread_units(doc, [interpret(Span(doc, 3, 5, label="number"))])]
    [('length', 0.1, 'km')]
    """
    lower = lower_of(doc)
    n = len(doc)
    out = []
    for m in mentions:
        nxt = lower[m.end] if m.end < n else ""
        if nxt == "-" and m.end + 1 < n and lower[m.end + 1] in word_class("size_adjectives"):
            nxt = lower[m.end + 1]  # "a 5m-long boat"
        if (m.family == "number" and m.value is not None and m.end - m.start >= 2 and lower[m.end - 1] == "m"
                and doc[m.end - 2].like_num and doc[m.end - 2].whitespace_ == ""
                and nxt in word_class("metre_followers") and m.value < 1e10):
            metres = m.value / 1e6
            m = replace(m, family=QuantityFamily.LENGTH, unit="km", value=round(metres / 1000, 9), noun=None,
                        noun_class=None, not_claim=None, factor=0.001)
        elif (m.family == "money" and lower[m.end - 1] in ("pounds", "pound") and "£" not in m.text
              and m.value is not None and m.value < 1e6 and (
                  nxt == "of" and m.end + 1 < n and lower[m.end + 1] not in word_class("money_after_of")
                  or any(w in word_class("weight_words") for w in lower[max(0, m.start - 4):m.start]))):
            m = replace(m, family=QuantityFamily.MEASURE, unit="t", value=round(m.value * POUND_IN_TONNES, 12),
                        noun="pounds", noun_class=NounClass.THING, factor=POUND_IN_TONNES)
        out.append(m)
    return out
