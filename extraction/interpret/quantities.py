"""Interpret the quantity spans the rulers found: value, unit, hedge, counted noun, and
whether the mention is a claim at all (dates, durations, ages, names are not).

Works on a processed Doc; returns frozen ``Mention`` values, never spaCy objects.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Span

from extraction.interpret.mention import Mention, NounClass, QuantityFamily
from extraction.interpret.number_roles import HEDGE_WORDS, classify_number, furniture_spans, span_text
from extraction.interpret.unit_context import (
    CHANGE_WORDS,
    NOT_AMOUNTS,
    POUND_IN_TONNES,
    is_change,
    reread_units,
    year_like,
)
from extraction.lexicon import lexicons
from extraction.lexicon.numbers import SCALE_WORDS, VULGAR_FRACTIONS, parse_fraction, parse_number, parse_range
from extraction.lexicon.units import lookup_unit, split_unit
from extraction.nlp.spans import lower_of, sent_starts_of, spans_of, words_of
from models.vocab import Hedge, QuantityKind

__all__ = ["Mention", "interpret", "mentions_from_doc"]


@lru_cache(maxsize=1)
def _hedge_positions() -> dict[str, str]:
    """Hedge rule id -> where the hedge stands: "before" its figure or "after" ("or more")."""
    return {r.id: r.get("position", "before") for r in lexicons.rules("hedges")}


def mentions_from_doc(doc: Doc) -> list[Mention]:
    """Every quantity mention in the Doc, interpreted, in text order."""
    hedges_before: dict[int, Span] = {}
    hedges_after: dict[int, Span] = {}
    rule_pos = _hedge_positions()
    for h in spans_of(doc, "hedges"):
        if rule_pos.get(h.id_) == "after":
            hedges_after[h.start] = h
        else:
            hedges_before[h.end] = h
    date_tokens: dict[int, str] = {}
    for d in spans_of(doc, "dates"):
        for i in range(d.start, d.end):
            date_tokens[i] = d.label_
    furniture = furniture_spans(doc)
    out = []
    for n, whole in enumerate(spans_of(doc, "quantities")):
        m = interpret(whole)
        parts = _change_parts(doc, whole, m)
        if m is None and parts is None:
            continue
        for span in parts or (whole,):
            if parts:
                m = interpret(span)
                if m is None and span is parts[0] and span.label_ != "number":
                    # "fell from 40 million to 25 million cubic metres": the first figure has no unit
                    m = interpret(Span(doc, span.start, span.end, label="number", span_id=span.id_))
                    if m is not None:
                        m = replace(m, unit_of_next=True)
                if m is None:
                    continue
                m = replace(m, pair=True)  # never joined back into a range
            if n in furniture:
                m = replace(m, not_claim=QuantityKind.OTHER, in_furniture=True)
            m = _apply_hedge(m, span, hedges_before, hedges_after)
            if m.family == "number":
                m = classify_number(m, span, doc, date_tokens)
                if m.hedge == Hedge.EXACT and m.noun_index is not None and m.noun_index >= span.end:
                    m = _apply_hedge(m, doc[span.start:m.noun_index + 1], {}, hedges_after)  # "30 seats or less"
            elif m.family == "fraction":
                m = _classify_fraction(m, span)
            elif m.family == "ratio":
                m = _classify_times(m, doc)
            out.append(_apply_sign(doc, m))
        if parts and len(out) >= 2 and out[-2].pair and out[-1].pair:
            first, second = replace(out[-2], unit_of_next=False), out[-1]
            if out[-2].unit_of_next and second.family != "number":
                first = replace(_adopt_unit(first, second), noun=second.noun, noun_class=second.noun_class)
            elif first.family == second.family == "number" and first.noun is None and second.noun is not None and (
                    first.not_claim in (None, QuantityKind.OTHER)):
                # "rose from 40,000 to 60,000 troops": the first figure counts what the second does
                first = replace(first, noun=second.noun, noun_class=second.noun_class, unit=second.unit,
                                not_claim=second.not_claim)
            out[-2] = first
    out.sort(key=lambda m: m.start)
    out = reread_units(doc, out)
    out = _fractions_of_numbers(doc, out, hedges_before)
    out = _join_ranges(doc, out)
    out = _drop_conversions(doc, out)
    out = _split_of_total(doc, out)
    return _share_units(doc, out)


#: Words between two figures that compare them ("from 700 metres to 300 metres a day",
#: "roughly 800 sq km, down from a peak of about 1,300").
_COMPARISON = frozenset({"from", "to", "and", "-", "–", "than", "compared", "with", "versus", "vs", "vs.",
                         "peak", "high", "low", "of", "a", "an", "the", "up", "down", "about", "around",
                         "some", "roughly", "nearly", "almost", "over", "under", "just", "more", "less",
                         "fewer", "approximately", "at", "least", "most", "its", "their", ",", "last",
                         "previous", "earlier", "level", "figure", "total", "record"})


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
        if b.end < len(doc) and lower[b.end] in ("per", "a", "an", "against") and b.family == "number":
            continue  # "slid 0.4% to 151.20 per dollar": a rate of something else
        if not all(w in _COMPARISON for w in between) or not any(
                w in ("from", "to", "than", "compared", "versus", "vs", "peak") for w in between):
            continue
        if a.family == "length" and b.family == "rate":
            out[k - 1] = replace(a, family=QuantityFamily.RATE, unit="km/day")
        elif b.family == "number" and b.noun is None and a.family in ("area", "length", "rate", "percent", "money"):
            before = lower[a.start - 1] if a.start > 0 else ""
            if a.family == "percent" and between == ["to"] and (before == "by" or before in CHANGE_WORDS):
                continue  # "sales rose 8% to 4.7 million": the change is in percent, the level is not
            out[k] = _adopt_unit(b, a)
        elif a.family == "number" and a.noun is None and b.family in ("area", "length", "rate", "percent", "money"):
            out[k - 1] = _adopt_unit(a, b)
    return out


def _adopt_unit(m: Mention, other: Mention) -> Mention:
    """``m`` in the family and unit of ``other``, its figures scaled by the factor of other's unit."""
    scaled = {attr: round(v * other.factor, 9) for attr in ("value", "low", "high")
              if (v := getattr(m, attr)) is not None}
    return replace(m, family=other.family, unit=other.unit, not_claim=None, unit_from=other.text, **scaled)


_RANGE_FAMILIES = frozenset({"percent", "money", "length", "area", "rate"})
_SIGN_WORDS = frozenset({"minus", "minus-"})
#: Words before a fraction that make it a part of a sequence, not a share ("the final third of
#: the pitch", "the first half of the year", "the last quarter").
_SEQUENCE_WORDS = frozenset({"first", "second", "third", "fourth", "final", "last", "opening", "closing",
                             "latter", "former", "early", "late", "top", "bottom", "upper", "lower"})


def _classify_fraction(m: Mention, span: Span) -> Mention:
    """A fraction word that names a thing ("Fourth of July", "the fly-half") or a part of a
    sequence ("the first half of the year", "the final third of the pitch") is not a share."""
    first = span.doc[span.start]
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if (first.is_title and not first.is_sent_start and first.lower_ not in ("a", "an", "one", "half", "quarter")
            and nxt is not None and nxt.is_title):
        return replace(m, not_claim=QuantityKind.NAME, is_name=True)
    if span.start > 0 and span.doc[span.start - 1].lower_ in _SEQUENCE_WORDS:
        return replace(m, not_claim=QuantityKind.ORDINAL)
    if first.text == "-" and span.start > 0 and not span.doc[span.start - 1].whitespace_:
        return replace(m, not_claim=QuantityKind.NAME, is_name=True)  # "the fly-half will start": a compound word
    return m


#: Words after "N times" that make it a multiplier: "six times more", "three times the size",
#: "twelve times what was on sale", "eleven times oversubscribed" (and any "-er" comparative).
_MULTIPLIER_AFTER = frozenset({"more", "less", "fewer", "as", "the", "that", "what", "its", "their",
                               "his", "her", "our", "this", "oversubscribed"})
#: Words before "N times" that make it a multiplier: "grew 20 times", "magnify text by 10 times".
_MULTIPLIER_BEFORE = frozenset({"by", "increased", "increase", "increases", "grew", "grown", "multiplied",
                                "leaped", "leapt", "jumped", "soared", "surged", "expanded", "exceeded",
                                "exceeds", "outnumber", "outnumbers", "outnumbered", "oversubscribed"})
#: Nouns of change before "of N times": "an increase of nearly six times".
_CHANGE_NOUNS = frozenset({"increase", "rise", "growth", "jump", "surge", "hike", "fall", "drop", "decline",
                           "decrease", "reduction"})


def _classify_times(m: Mention, doc: Doc) -> Mention:
    """"N times" is a multiplier only next to what it multiplies ("six times more", "three
    times the size", "grew 20 times"); otherwise it counts events ("raised rates five times",
    "attempted to advance 15 times", "downloaded 20,000 times"), which is a count like any
    other number of things."""
    lower = lower_of(doc)
    if m.end == 0 or lower[m.end - 1] != "times" or m.no_numeral:
        return m
    nxt = lower[m.end] if m.end < len(doc) else ""
    i = m.start - 1
    while i >= 0 and lower[i] in HEDGE_WORDS:  # "by up to 10 times", "an increase of nearly six times"
        i -= 1
    prev = lower[i] if i >= 0 else ""
    comparative = len(nxt) > 4 and nxt.endswith("er") and doc[m.end].is_alpha  # "higher", "faster"
    if nxt in _MULTIPLIER_AFTER or comparative or prev in _MULTIPLIER_BEFORE or prev in _CHANGE_NOUNS:
        return m
    return replace(m, family=QuantityFamily.NUMBER, unit="times", noun="times", noun_class=NounClass.THING,
                   noun_index=m.end - 1, counts_events=True)


def _apply_sign(doc: Doc, m: Mention) -> Mention:
    """"minus 387 Fahrenheit", "minus-5 yards": the sign word belongs to the figure."""
    if not (m.start > 0 and lower_of(doc)[m.start - 1] in _SIGN_WORDS):
        return m
    start = m.start - 1
    m = replace(m, start=start, start_char=doc[start].idx, text=span_text(doc, start, m.end))
    if m.value is not None:
        m = replace(m, value=-m.value)
    if m.low is not None and m.high is not None:
        m = replace(m, low=-m.high, high=-m.low)
    return m


def _change_parts(doc: Doc, span: Span, m: Mention) -> tuple[Span, Span] | None:
    """The two figures of a "range" that is not one: a change and the level it reached
    ("increased by $43.6 billion to $419.2 billion": the second more than three times the
    first) or a year and an amount ("rose in 2018 to 3.9 million"). None for a true range."""
    lower = lower_of(doc)
    if m is not None and (m.low is None or m.high is None):
        return None
    seps = [i for i in range(span.start + 1, span.end - 1) if lower[i] in ("to", "-", "–")]
    if len(seps) != 1:
        return None
    k = seps[0]
    first = doc[span.start]
    if m is None:
        # "fell from $10 to $9.50", "from 60,000 to 40,000 troops": a fall read as a range
        # whose bounds are the wrong way round is a change, two values
        if lower[seps[0]] == "to" and span.start > 0 and lower[span.start - 1] == "from":
            return (Span(doc, span.start, k, label=span.label_, span_id=span.id_),
                    Span(doc, k + 1, span.end, label=span.label_, span_id=span.id_))
        return None
    year = first.shape_ == "dddd" and 1800 <= m.low <= 2100 and k == span.start + 1 and (
        m.high >= 10 * m.low or any(w in SCALE_WORDS for w in lower[k + 1:span.end]))
    # "increased by $43.6 billion to $419.2 billion", "shares fell 12p to 873p": a change and a level
    change = span.start > 0 and (lower[span.start - 1] == "by" or lower[span.start - 1] in CHANGE_WORDS) and (
        m.high > 3 * m.low > 0)
    if lower[k] == "to" and span.start > 0 and lower[span.start - 1] == "from" and is_change(doc, span.start - 1):
        change = True  # "inflation rose from 2.1% to 2.4%": from and to, not a range
    if not (year or change):
        return None
    return (Span(doc, span.start, k, label=span.label_, span_id=span.id_),
            Span(doc, k + 1, span.end, label=span.label_, span_id=span.id_))


#: A fraction up to its fraction word ("a quarter" in "a quarter agreed").
_FRACTION_WORD = re.compile(r".*?\b(?:half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?"
                            r"|tenths?)\b")
_SCALES = frozenset({"dozen", "hundred", "thousand", "million", "billion", "trillion"})


def _fractions_of_numbers(doc: Doc, mentions: list[Mention], hedges_before: dict[int, Span]) -> list[Mention]:
    """"half a million" is 500,000 and "a quarter of a million" 250,000: a fraction before "a
    million" scales it, and is no share of its own; so in money ("half a billion dollars")."""
    lower = lower_of(doc)
    out: list[Mention] = []
    for m in mentions:
        scaled = (m.family in ("number", "money") and m.value is not None and m.high is None
                  and m.end - m.start >= 2 and (m.family == "money" or m.end - m.start == 2)
                  and lower[m.start] in ("a", "an", "one") and lower[m.start + 1] in _SCALES)
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
            out[-1] = _merge_range(doc, _adopt_unit(a, m), m)  # "a 4- to 6-metre trench"
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
            a.family in _RANGE_FAMILIES and a.not_claim is None and m.not_claim is None
            or a.family == "number" and a.noun is not None and a.noun == m.noun and a.not_claim == m.not_claim
            and a.not_claim in (None, QuantityKind.OTHER))
        bare_then_noun = a.family == m.family == "number" and a.noun is None and a.not_claim in (
            None, QuantityKind.OTHER) and not a.is_name
        level = (before == "by" or before in CHANGE_WORDS) and m.value > 3 * a.value > 0  # "fell 12p to 873p"
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
        same = b.unit == a.unit or a.family == b.family and a.family in ("money", "length", "area", "rate")
        if a.family == "fraction" and b.family == "percent":
            continue  # "three quarters of voters (73%)": the bracket gives the exact share, not a restatement
        if any(orths[t] == "(" for t in range(a.end, b.start)) and same and a.not_claim is None:
            out[j] = replace(b, not_claim=QuantityKind.OTHER, conversion_of=a.text)
    return out


def interpret(span: Span) -> Mention | None:
    """Parse the value and unit of one quantity span; None when the words do not parse."""
    family = QuantityFamily(span.label_)
    m = Mention(span.start, span.end, span.start_char, span.end_char, span.text, family, (span.id_,))
    words = " ".join(t.text for t in span).replace("\u2013", "-").replace("\u2014", "-")
    if family == "vague":
        return _vague(m, words.lower().split())
    if family == "fraction":
        core = re.sub(r"^(by)\s+|\s+(of|its|their|his|her|our|the)$", "", words.lower()).strip()
        fraction = _FRACTION_WORD.match(core)
        if fraction is not None:
            core = fraction.group(0)  # "a quarter agreed": the verb after the fraction is not part of it
        frac = parse_fraction(core)
        if frac is None:
            return None
        return replace(m, value=round(frac * 100, 6), unit="percent")
    if family == "ratio":
        low = words.lower()
        verb = re.match(r"(?:doubl|tripl|quadrupl)(?:e|ed|es|ing)\b", low)
        if verb:  # a multiplier word, not a figure written in the text
            m = replace(m, value={"d": 2.0, "t": 3.0, "q": 4.0}[low[0]], no_numeral=True)
        elif re.fullmatch(r"(.+?)\s*(?:-?\s*to\s*-?|:)\s*(?:1|one)", low):  # "10 to 1"
            m = replace(m, value=parse_number(re.sub(r"\s*(?:-?\s*to\s*-?|:)\s*(?:1|one)$", "", low)))
        elif low.startswith(("twice", "thrice")):
            m = replace(m, value=2.0 if low.startswith("twice") else 3.0, no_numeral=True)
        elif low.endswith("fold"):
            m = replace(m, value=parse_number(re.sub(r"-?\s*fold$", "", low).strip() or "x"))
        elif (every := re.fullmatch(r"(.+?)\s+for\s+(?:every|each)(?:\s+(\S+))?", low)) is not None:
            return _for_every(m, every.group(1).split(), every.group(2))
        else:
            return _numeric(m, words, "times", prefix=False)
        return replace(m, unit="times") if m.value is not None else None
    if family == "rate":
        core = re.sub(r"\s*(?:(?:a|per|each|every)\s+day|/\s*d(?:ay)?|daily)$", "", words, flags=re.I)
        if core != words:
            return _numeric(m, core, None, prefix=False, rate=True)
        return _numeric(m, words, None, prefix=False)
    if family == "money":
        last = span.doc[span.end - 1]
        if last.lower_ in ("cent", "cents", "pence") and last.is_title and not last.is_sent_start:
            m = replace(m, family=QuantityFamily.NUMBER, value=parse_number(words.rsplit(" ", 1)[0]),
                        not_claim=QuantityKind.NAME, is_name=True)  # "50 Cent": a name, not half a dollar
            return m if m.value is not None else None
        words = re.sub(r"^between\s+", "", words, flags=re.I)  # "between $5bn and $7bn"
        prefix = not (words[-1:].isalpha() and lookup_unit(words.split()[-1]) is not None) or (
            lookup_unit(words.split()[0]) is not None and len(words.split()) > 1
        )
        if split_unit(words, prefix=True) is None:
            prefix = False
        return _numeric(m, words, None, prefix=prefix)
    if family == "percent" and (point := re.fullmatch(r"(.+?)\s+(?:of\s+)?(?:a|one)\s+(?:percentage\s+)?points?",
                                                      words, flags=re.I)) is not None:
        frac = parse_fraction(point.group(1).lower())  # "a quarter of a point", "half a percentage point"
        if frac is None:
            return None
        return replace(m, value=round(frac, 9), unit="pp")
    if family in ("area", "length", "percent"):
        core = re.sub(r"\s+worth$", "", words, flags=re.I)
        if _DASHED_UNIT.search(core):
            core = _DASHED_UNIT.sub(" ", core)
            m = replace(m, dashed=True)  # "a 1,000-km front line": a compound modifier
        return _numeric(m, core, None, prefix=False)
    if family == "measure":
        if span[-1].lower_ in ("c", "f"):
            before = span.doc[span.start - 1] if span.start > 0 else None
            name = before is not None and (any(c.isupper() for c in before.text[1:]) or before.is_title and (
                before.lower_ not in _BEFORE_TEMPERATURE))
            if span[-2].whitespace_ or name:
                return None  # "42C" is hot; "Group 4 C" and "the iPhone 5C" are not
        return _measure(m, words, span)
    out = _numeric(m, words, "count", prefix=False, bare=True)
    if out is not None and len(span) == 1 and span.text in VULGAR_FRACTIONS:
        out = replace(out, family=QuantityFamily.FRACTION, unit="percent",
                      value=round(VULGAR_FRACTIONS[span.text] * 100, 6))
    return out


#: Capitalised words that may start a sentence before a temperature ("The 1.5C target", "About 40C").
_BEFORE_TEMPERATURE = frozenset({"the", "a", "an", "about", "around", "some", "nearly", "almost", "over", "under",
                                 "just", "only", "up", "down", "at", "by", "to", "of", "in", "above", "below", "minus"})
#: A dash between a number and its unit word: "a 1,000-km front line", "2,000-pound bombs".
_DASHED_UNIT = re.compile(r"\s*-\s*(?=[^\W\d])")


#: Units that a rate a day follows ("barrels a day", "cubic metres per day", "tonnes daily").
_DAILY_UNITS = frozenset({"tonnes", "tons", "barrels", "litres", "liters", "bcm", "metres", "meters", "feet",
                          "megawatt-hours", "mwh", "gwh", "kwh"})


def _per_day(span: Span) -> int:
    """How many words after a measure make it a rate a day: "a day", "per day", "daily", "of
    oil a day"; 0 when none does."""
    doc, lower = span.doc, lower_of(span.doc)
    i, n = span.end, len(span.doc)
    if lower[i - 1] not in _DAILY_UNITS or i >= n:
        return 0
    if lower[i] == "daily":
        return 1
    k = 2 if i + 3 < n and lower[i] == "of" and doc[i + 1].is_alpha and not doc[i + 1].is_title else 0
    if i + k + 1 < n and lower[i + k] in ("a", "per", "each", "every") and lower[i + k + 1] == "day":
        return k + 2
    return 0


def _measure(m: Mention, words: str, span: Span) -> Mention | None:
    """Mass, volume, power, energy, speed, temperature: value in the canonical unit of
    units.tsv (t, m3, bbl, mw, mwh, km/h, deg_c), a per-day rate as "<unit>/day"; the unit
    word is also the counted noun, so a large figure stays a count claim as before."""
    core = words
    reach = _per_day(span)
    per_day = reach > 0
    if per_day:  # "9.5 million barrels a day", "barrels of oil per day"
        end = span.end + reach
        m = replace(m, end=end, end_char=span.doc[end - 1].idx + len(span.doc[end - 1]),
                    text=span_text(span.doc, span.start, end))
    if _DASHED_UNIT.search(core):
        core = _DASHED_UNIT.sub(" ", core)
        m = replace(m, dashed=True)
    pound = re.fullmatch(r"(.+?)\s+pounds?", core, flags=re.I)
    if pound is not None:
        value = parse_number(pound.group(1))
        if value is None:
            return None
        m = replace(m, value=round(value * POUND_IN_TONNES, 12), unit="t", factor=POUND_IN_TONNES)
    else:
        read = _numeric(m, core, None, prefix=False)
        if read is None:
            return None
        m = read
    return replace(m, unit=m.unit + "/day" if per_day else m.unit, noun=core.split()[-1].lower(),
                   noun_class=NounClass.THING)


def _for_every(m: Mention, head: list[str], divisor: str | None) -> Mention | None:
    """'three soldiers for every defender' (3 times), 'one share for every 10 shares held' (0.1
    times): the figure before the counted noun (one or two words), over the number after
    'every' if there is one."""
    per = parse_number(divisor) if divisor else 1.0
    if not per:
        return None
    for cut in (1, 2):
        read = _numeric(m, " ".join(head[:-cut]), "times", prefix=False) if len(head) > cut else None
        if read is not None:
            value, low, high = (None if v is None else round(v / per, 9) for v in (read.value, read.low, read.high))
            return replace(read, value=value, low=low, high=high)
    return None


_VAGUE_SCALES = {"dozens": 12.0, "tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}


def _vague(m: Mention, words: list[str]) -> Mention:
    """"thousands of" -> 1,000-10,000, "tens of thousands of" -> 10,000-100,000, "dozens of" ->
    12-120: a magnitude, not a figure, so never a claim."""
    scale = 1.0
    for w in words:
        scale *= _VAGUE_SCALES.get(w, 1.0)
    return replace(m, low=scale, high=scale * 10, hedge=Hedge.RANGE, not_claim=QuantityKind.OTHER, is_vague=True)


def _numeric(m: Mention, words: str, unit: str | None, prefix: bool, rate: bool = False,
             bare: bool = False) -> Mention | None:
    """``m`` with value (or low/high) and the canonical unit read from the number words and the unit
    words; None when they do not parse."""
    number_text = words
    factor = 1.0
    read: dict = {}
    if not bare and unit is None:
        parts = split_unit(words, prefix=prefix)
        if parts is None:
            return None
        number_text, surface = parts
        if prefix:  # "$45 billion to $55 billion", "US $89 to $93 billion"
            symbol = surface.split()[-1]
            number_text = re.sub(rf"(?<=\s)(?:{re.escape(surface)}|{re.escape(symbol)})\s*", "", number_text)
        hit = lookup_unit(surface)
        if hit is None:
            return None
        unit, factor = hit
        read["factor"] = factor
        if rate:
            unit = "km/day" if unit == "km" else None
            if unit is None:
                return None
    elif unit == "times":
        number_text = re.sub(r"\s*(?:times|x)$", "", words, flags=re.I)
    single = parse_number(re.sub(r"\s*-\s*", "-", number_text))
    if single is not None and not number_text.lower().startswith("between"):
        read["value"] = round(single * factor, 9)
    else:
        r = parse_range(number_text)
        if r is None:
            return None
        read.update(low=round(r[0] * factor, 9), high=round(r[1] * factor, 9), hedge=Hedge.RANGE)
    return replace(m, unit=unit or "count", **read)


def _apply_hedge(m: Mention, span: Span, before: dict[int, Span], after: dict[int, Span]) -> Mention:
    """``m`` with the hedge that stands before ``span`` (or after it: "25 or more"), if any."""
    if m.hedge == Hedge.RANGE:
        return m
    h = before.get(span.start)
    if h is None and span.start > 0 and span.doc[span.start - 1].lower_ in ("a", "an", "the"):
        h = before.get(span.start - 1)  # "nearly a fifth", "up to a third"
    hedge_after = m.hedge_after
    if h is None:
        h = after.get(span.end)
        hedge_after = hedge_after or h is not None  # "25 or more": the quote puts it after the figure
    if h is None:
        return m
    return replace(m, hedge=Hedge(h.label_), hedge_text=h.text, rules=(*m.rules, h.id_), hedge_after=hedge_after)

