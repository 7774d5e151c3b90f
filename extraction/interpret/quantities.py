"""Every quantity mention of a processed Doc, interpreted: value, unit, hedge, what it counts,
and whether it is a claim at all (dates, durations, ages, names are not).

The walk: each quantity span is read on its own (``span_values``); a "range" that is really a
change ("rose from 40,000 to 60,000") is cut in two; the hedge before or after it is attached;
a bare number learns what it counts or why it is no claim (``number_roles``), a fraction or "N
times" what it is; then the mentions are read together (``unit_context``, ``figure_joins``).

Works on a processed Doc; returns frozen ``Mention`` values, never spaCy objects.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span

from extraction.interpret.figure_joins import adopt_unit, join_mentions
from extraction.interpret.mention import Mention, NounClass, QuantityFamily, replace
from extraction.interpret.number_roles import classify_number, furniture_spans, span_text
from extraction.interpret.span_values import interpret
from extraction.interpret.unit_context import is_change, reread_units
from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import word_class
from extraction.lexicon.numbers import SCALE_WORDS
from extraction.nlp.spans import lower_of, spans_of
from models.vocab import Hedge, QuantityKind

__all__ = ["Mention", "interpret", "mentions_from_doc"]


@lru_cache(maxsize=1)
def _hedge_positions() -> dict[str, str]:
    """Hedge rule id -> where the hedge stands: "before" its figure or "after" ("or more")."""
    return {r.id: r.get("position", "before") for r in lexicons.rules("hedges")}


def mentions_from_doc(doc: Doc) -> list[Mention]:
    """Every quantity mention of a processed Doc (the spans of the quantity, hedge and date rules),
    interpreted, in text order.

    >>> from extraction.nlp.pipeline import get_nlp
    >>> doc = get_nlp()("Some 50,000 troops and 12 tanks crossed on 13 November.")
    >>> troops, tanks, day = mentions_from_doc(doc)
    >>> troops.value, troops.hedge.value, troops.noun, troops.not_claim
    (50000.0, 'approximately', 'troops', None)
    >>> tanks.noun_class.value, day.not_claim.value
    ('equipment', 'date')
    """
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
                first = replace(adopt_unit(first, second), noun=second.noun, noun_class=second.noun_class)
            elif first.family == second.family == "number" and first.noun is None and second.noun is not None and (
                    first.not_claim in (None, QuantityKind.OTHER)):
                # "rose from 40,000 to 60,000 troops": the first figure counts what the second does
                first = replace(first, noun=second.noun, noun_class=second.noun_class, unit=second.unit,
                                not_claim=second.not_claim)
            out[-2] = first
    out.sort(key=lambda m: m.start)
    return join_mentions(doc, reread_units(doc, out), hedges_before)


_SIGN_WORDS = frozenset({"minus", "minus-"})


def _classify_fraction(m: Mention, span: Span) -> Mention:
    """A fraction word that names a thing ("Fourth of July", "the fly-half") or a part of a
    sequence ("the first half of the year", "the final third of the pitch") is not a share."""
    first = span.doc[span.start]
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if (first.is_title and not first.is_sent_start and first.lower_ not in word_class("fraction_openers")
            and nxt is not None and nxt.is_title):
        return replace(m, not_claim=QuantityKind.NAME, is_name=True)
    if span.start > 0 and span.doc[span.start - 1].lower_ in word_class("fraction_sequence_words"):
        return replace(m, not_claim=QuantityKind.ORDINAL)
    if first.text == "-" and span.start > 0 and not span.doc[span.start - 1].whitespace_:
        return replace(m, not_claim=QuantityKind.NAME, is_name=True)  # "the fly-half will start": a compound word
    return m


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
    while i >= 0 and lower[i] in word_class("hedge_words"):  # "by up to 10 times", "an increase of nearly six times"
        i -= 1
    prev = lower[i] if i >= 0 else ""
    comparative = len(nxt) > 4 and nxt.endswith("er") and doc[m.end].is_alpha  # "higher", "faster"
    if (nxt in word_class("multiplier_followers") or comparative or prev in word_class("multiplier_leaders")
            or prev in word_class("change_nouns")):
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
    before = lower[span.start - 1] if span.start > 0 else ""
    change = span.start > 0 and (before == "by" or before in word_class("change_words")) and m.high > 3 * m.low > 0
    if lower[k] == "to" and span.start > 0 and lower[span.start - 1] == "from" and is_change(doc, span.start - 1):
        change = True  # "inflation rose from 2.1% to 2.4%": from and to, not a range
    if not (year or change):
        return None
    return (Span(doc, span.start, k, label=span.label_, span_id=span.id_),
            Span(doc, k + 1, span.end, label=span.label_, span_id=span.id_))


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

