"""Figures read together: the steps after each quantity span has been read on its own, over
the mentions of one Doc in text order. A fraction scales the figure after it ("half a
million"), two figures become a range ("5% to 10%", "between six and 12 people", "one in ten"),
a bracketed figure restates the one before it ("1,450km (900 miles)"), bare numbers after
"including" split a total, and a figure compared with another takes its unit ("800 sq km,
down from about 1,300").

Pure over a processed Doc; every step returns new mentions.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from extraction.interpret.mention import Mention, QuantityFamily, replace
from extraction.interpret.number_roles import span_text
from extraction.interpret.unit_context import NOT_AMOUNTS, is_change, year_like
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import lower_of, sent_starts_of, words_of
from models.vocab import Hedge, QuantityKind

#: Families whose unit is written with the figure: a bare number compared with one of them
#: shares its unit, and two of them with the same unit make a range.
_UNIT_FAMILIES = frozenset({QuantityFamily.PERCENT, QuantityFamily.MONEY, QuantityFamily.LENGTH,
                            QuantityFamily.AREA, QuantityFamily.RATE})
#: Families a figure in brackets may restate in another unit ("1,450km (900 miles)", "$48bn (£38bn)").
_CONVERTIBLE_FAMILIES = _UNIT_FAMILIES - {QuantityFamily.PERCENT}


def join_mentions(doc: Doc, mentions: list[Mention], hedges_before: dict[int, Span]) -> list[Mention]:
    """The mentions of ``doc`` (read one span at a time, in text order) read together: fractions
    that scale a figure, ranges, bracketed restatements, parts of a total, shared units.
    ``hedges_before`` maps a token index to the hedge span that ends there.

    >>> import spacy
    >>> from extraction.interpret.span_values import interpret
    >>> doc = spacy.blank("en")("Inflation will be between 5% and 10% next year.")
    >>> figures = [interpret(Span(doc, 4, 6, label="percent")), interpret(Span(doc, 7, 9, label="percent"))]
    >>> [(m.text, m.low, m.high, m.hedge.value) for m in join_mentions(doc, figures, {})]
    [('5% and 10%', 5.0, 10.0, 'range')]
    """
    out = _fractions_of_numbers(doc, mentions, hedges_before)
    out = _join_ranges(doc, out)
    out = _drop_conversions(doc, out)
    out = _split_of_total(doc, out)
    return _share_units(doc, out)


def _split_of_total(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'five rounds of talks, including three in Belarus and two in Turkey': bare numbers
    listed after "including" split the figure before them and count what it counts."""
    lower = lower_of(doc)
    out = list(mentions)
    head: Mention | None = None
    for k in range(1, len(out)):
        prev, m = out[k - 1], out[k]
        if m.family != "number" or m.noun is not None or m.not_claim not in (None, QuantityKind.OTHER) or (
                m.is_name or m.is_score):
            head = None
            continue
        before = lower[m.start - 1] if m.start > 0 else ""
        if lower[m.start] == "one":  # "including one in which ...": a pronoun
            head = None
            continue
        if (before == "including" and prev.family == "number" and prev.noun is not None and prev.not_claim is None
                and m.start - prev.end <= 8 and not sent_starts_of(doc)[prev.end:m.start + 1].any()):
            head = prev
        elif not (head is not None and before in ("and", ",") and prev.split_of):
            head = None
        if head is not None and m.value is not None and head.value is not None and m.value < head.value:
            out[k] = replace(m, noun=head.noun, noun_class=head.noun_class, unit=head.unit, not_claim=None,
                             split_of=head.text)
    return out


def _share_units(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A figure compared with another in the same breath shares its unit: the bare number in
    "800 sq km, down from a peak of about 1,300" is km2, and "700 metres" in "from 700 metres
    to 300 metres a day" is a rate."""
    lower = lower_of(doc)
    out = list(mentions)
    for k in range(1, len(out)):
        a, b = out[k - 1], out[k]
        if a.not_claim is not None or b.not_claim is not None and b.family != "number":
            continue
        if b.not_claim in NOT_AMOUNTS or year_like(doc, b) or year_like(doc, a):
            continue  # "up 3% from 2022", "grew 2% from 2021 to 2023": a year takes no unit
        if b.start - a.end > 12:
            continue
        between = lower[a.end:b.start]
        if sent_starts_of(doc)[a.end:b.end].any():
            continue
        if "," in between:  # "800 sq km of the Kursk region, down from a peak of about 1,300"
            between = between[len(between) - 1 - between[::-1].index(","):]
        if b.end < len(doc) and lower[b.end] in word_class("rate_of_words") and b.family == "number":
            continue  # "slid 0.4% to 151.20 per dollar": a rate of something else
        if not all(w in word_class("comparison_gap_words") for w in between) or not any(
                w in word_class("comparison_cues") for w in between):
            continue
        if a.family == "length" and b.family == "rate":
            out[k - 1] = replace(a, family=QuantityFamily.RATE, unit="km/day")
        elif b.family == "number" and b.noun is None and a.family in _UNIT_FAMILIES:
            before = lower[a.start - 1] if a.start > 0 else ""
            if a.family == "percent" and between == ["to"] and (before == "by" or before in word_class("change_words")):
                continue  # "sales rose 8% to 4.7 million": the change is in percent, the level is not
            out[k] = adopt_unit(b, a)
        elif a.family == "number" and a.noun is None and b.family in _UNIT_FAMILIES:
            out[k - 1] = adopt_unit(a, b)
    return out


def adopt_unit(m: Mention, other: Mention) -> Mention:
    """``m`` in the family and unit of ``other``, its figures scaled by the factor of other's unit."""
    scaled = {attr: round(v * other.factor, 9) for attr in ("value", "low", "high")
              if (v := getattr(m, attr)) is not None}
    return replace(m, family=other.family, unit=other.unit, not_claim=None, unit_from=other.text, **scaled)




def _fractions_of_numbers(doc: Doc, mentions: list[Mention], hedges_before: dict[int, Span]) -> list[Mention]:
    """"half a million" is 500,000 and "a quarter of a million" 250,000: a fraction before "a
    million" scales it, and is no share of its own; so in money ("half a billion dollars")."""
    lower = lower_of(doc)
    out: list[Mention] = []
    for m in mentions:
        scaled = (m.family in ("number", "money") and m.value is not None and m.high is None
                  and m.end - m.start >= 2 and (m.family == "money" or m.end - m.start == 2)
                  and lower[m.start] in ("a", "an", "one") and lower[m.start + 1] in word_class("scale_number_words"))
        prev = out[-1] if out else None
        if scaled and prev is not None and prev.family == "fraction" and prev.end == m.start and (
                prev.value is not None and lower[prev.end - 1] == "of"):
            out.pop()  # "a quarter of" + "a million"
            m = _scale(doc, m, prev.start, prev.value / 100)
            if m.hedge == Hedge.EXACT and prev.hedge != Hedge.EXACT:
                m = replace(m, hedge=prev.hedge, hedge_text=prev.hedge_text)
        elif scaled and m.start > 0 and lower[m.start - 1] == "half":
            m = _scale(doc, m, m.start - 1, 0.5)  # "half a million"
            h = hedges_before.get(m.start)
            if h is not None and m.hedge == Hedge.EXACT:
                m = replace(m, hedge=Hedge(h.label_), hedge_text=h.text, rules=(*m.rules, h.id_))
        out.append(m)
    return out


def _scale(doc: Doc, m: Mention, start: int, factor: float) -> Mention:
    """``m`` times ``factor``, starting at token ``start`` (the fraction word that scales it)."""
    return replace(m, value=round((m.value or 0) * factor, 6), start=start, start_char=doc[start].idx,
                   text=span_text(doc, start, m.end))


#: The words that make "one … three" a share: "one out of three", "six in ten", "one in every five".
_SHARE_OF = (["out", "of"], ["out", "of", "every"], ["in"], ["in", "every"])


def _join_ranges(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Two figures with the same unit joined into a range: "5% to 10%", "1 per cent to 1.5 per
    cent", "between $62 and $68", "between 15kHz and 17kHz", "three or four years". Not after
    "from": "from 5% to 10%" is a change, two values. "One out of three" and "six in ten" are
    fractions."""
    lower = lower_of(doc)
    out: list[Mention] = []
    # (index in ``out`` of a figure, the token after the ")" of its bracketed restatement, which
    # is the last of ``out``: a bracketed figure is never joined to the one before it)
    bracket: tuple[int, int] | None = None
    for m in mentions:
        a = out[-1] if out else None
        if bracket is not None:
            # "between $40,000 (£21,000) and $90,000": the range's first figure is before the bracket
            (i, close), first = bracket, out[bracket[0]]
            if (lower[close:m.start] == ["and"] and first.start > 0 and lower[first.start - 1] == "between"
                    and first.family == m.family and first.unit == m.unit and first.hedge == Hedge.EXACT
                    and first.value is not None and m.value is not None and first.value < m.value):
                out[i] = first = _merge_range(doc, first, m)
                out[-1] = replace(out[-1], not_claim=QuantityKind.OTHER, conversion_of=first.text)
                bracket = None
                continue
        bracket = None
        if (a is not None and a.end < len(doc) and lower[a.end:m.start] == ["("] and m.end < len(doc)
                and lower[m.end] == ")" and m.family == a.family and m.family in ("money", "length", "area")):
            bracket = (len(out) - 1, m.end + 1)
        if (a is not None and m.dashed and m.value is not None and a.family == "number"
                and a.noun is None and a.value is not None and a.hedge == Hedge.EXACT
                and a.not_claim in (None, QuantityKind.OTHER) and not a.is_name
                and lower[a.end:m.start] in (["-", "to"], ["to"], ["-", "or"], ["or"])
                and a.value < m.value / m.factor):
            out[-1] = _merge_range(doc, adopt_unit(a, m), m)  # "a 4- to 6-metre trench"
            continue
        share_of = a is not None and lower[a.end:m.start] in _SHARE_OF  # "fewer than one in ten": hedged
        if (a is None or a.value is None or m.value is None or a.hedge != Hedge.EXACT and not share_of
                or a.value >= m.value or a.pair):
            out.append(m)
            continue
        # "between 15kHz and 17kHz": the words between the first figure's unit and the second
        gap = a.noun_index + 1 if a.noun_index == a.end and a.noun == m.noun else a.end
        between = lower[gap:m.start]
        before = lower[a.start - 1] if a.start > 0 else ""
        same_unit = a.family == m.family and a.unit == m.unit and (
            a.family in _UNIT_FAMILIES and a.not_claim is None and m.not_claim is None
            or a.family == "number" and a.noun is not None and a.noun == m.noun and a.not_claim == m.not_claim
            and a.not_claim in (None, QuantityKind.OTHER))
        bare_then_noun = a.family == m.family == "number" and a.noun is None and a.not_claim in (
            None, QuantityKind.OTHER) and not a.is_name
        # "fell 12p to 873p": a change and the level it reached
        level = (before == "by" or before in word_class("change_words")) and m.value > 3 * a.value > 0
        if same_unit and (between in (["to"], ["-"], ["–"]) and not (before == "from" and is_change(doc, a.start - 1))
                          and not (level and between == ["to"]) or between == ["and"] and before == "between"):
            out[-1] = _merge_range(doc, a, m)
            continue
        if bare_then_noun and between == ["and"] and before == "between" and m.family == "number" and (
                m.not_claim not in (QuantityKind.YEAR, QuantityKind.DATE, QuantityKind.TIME)):
            out[-1] = replace(_merge_range(doc, a, m), unit=m.unit, noun=m.noun, noun_class=m.noun_class,
                              noun_index=m.noun_index, not_claim=m.not_claim)  # "between six and 12 people"
            continue
        if bare_then_noun and between == ["or"] and m.value <= 2 * a.value and m.not_claim not in (
                QuantityKind.YEAR, QuantityKind.DATE, QuantityKind.TIME):
            out[-1] = replace(_merge_range(doc, a, m), family=m.family, unit=m.unit, noun=m.noun,
                              noun_class=m.noun_class, noun_index=m.noun_index,
                              not_claim=m.not_claim)  # "three or four years", "5 or 6 per cent"
            continue
        if bare_then_noun and between in _SHARE_OF and a.value > 0 and m.not_claim in (None, QuantityKind.OTHER):
            # "one out of three Germans", "six in ten voters", "one in every five"; the denominator's
            # own verdict ("ten" alone is too small to count) is not the share's
            merged = _merge_range(doc, a, m)
            out[-1] = replace(merged, family=QuantityFamily.FRACTION, unit="percent",
                              value=round(100 * a.value / m.value, 6), low=None, high=None, hedge=a.hedge,
                              noun=m.noun, noun_class=m.noun_class, not_claim=None)
            continue
        out.append(m)
    return out


def _merge_range(doc: Doc, a: Mention, m: Mention) -> Mention:
    """The range from ``a`` to ``m``, with the rules of both."""
    return replace(a, low=a.value, high=m.value, value=None, hedge=Hedge.RANGE, end=m.end, end_char=m.end_char,
                   text=span_text(doc, a.start, m.end), rules=(*a.rules, *(r for r in m.rules if r not in a.rules)))


def _drop_conversions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'1,450km (900 miles)': the figure in brackets restates the one before it."""
    orths = words_of(doc)
    out = list(mentions)
    outer: list[int] = []
    for k, m in enumerate(out):  # in text order: a mention inside the one before it (a range's restatement) is skipped
        if not outer or m.start >= out[outer[-1]].end or m.end > out[outer[-1]].end:
            outer.append(k)
    for i, j in zip(outer, outer[1:], strict=False):  # a restatement inside a range is not "a"
        a, b = out[i], out[j]
        if b.start - a.end > 4:
            continue  # "One in three women ... Most (62%) said": a bracket far from the figure
        same = b.unit == a.unit or a.family == b.family and a.family in _CONVERTIBLE_FAMILIES
        if a.family == "fraction" and b.family == "percent":
            continue  # "three quarters of voters (73%)": the bracket gives the exact share, not a restatement
        if any(orths[t] == "(" for t in range(a.end, b.start)) and same and a.not_claim is None:
            out[j] = replace(b, not_claim=QuantityKind.OTHER, conversion_of=a.text)
    return out
