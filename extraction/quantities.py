"""Interpret the quantity spans the rulers found: value, unit, hedge, counted noun, and
whether the mention is a claim at all (dates, durations, ages, names are not).

Works on a processed Doc; returns plain dataclasses, never spaCy objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from extraction import lexicons
from extraction.numbers import SCALE_WORDS, parse_fraction, parse_number, parse_range
from extraction.units import lookup_unit, split_unit
from models.vocab import Hedge, QuantityKind

#: Words that never head a counted noun phrase: function words and auxiliaries.
STOP_NOUNS = frozenset(
    """of the a an in on at to from and or but that which who whom whose was were is are be been being
    have has had will would could should may might must can do does did not no than as by for with
    into onto over under about around per each every this these those it its their his her our your
    they them he she we you i there here when where while since until after before during more less
    most least also just only some all any both either neither other such so very too up down out off
    again further then once percent per cent times more fewer among between through across against
    along behind beyond near toward towards within without upon via amid amidst""".split()
)
_CASUALTY_NOUNS = frozenset({"deaths", "casualties", "losses", "fatalities", "dead", "killed", "wounded",
                             "injured"})
_ORDINAL_WORDS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth".split())
_DESIGNATORS = frozenset(
    """page pages p. pp. chapter article section paragraph no no. number line room flight route highway
    road bus gate platform version episode season level step stage phase round grade class category
    channel square street avenue building block unit apt apartment terminal resolution""".split()
)
_AGE_PRE = frozenset({"aged", "age", "ages"})
_AUX = frozenset({"were", "was", "have", "has", "had", "been", "are", "is", "being", "reportedly", "also",
                  "people", "more", "others"})


@dataclass
class Mention:
    """One quantity mention with its interpretation (offsets are token indices into the Doc)."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    family: str
    rules: list[str]
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = "count"
    hedge: Hedge = Hedge.EXACT
    noun: str | None = None
    noun_class: str | None = None
    noun_index: int | None = None
    not_claim: QuantityKind | None = None
    hedge_text: str | None = None
    extra: dict = field(default_factory=dict)


def mentions_from_doc(doc: Doc) -> list[Mention]:
    """Every quantity mention in the Doc, interpreted, in text order."""
    hedges_before: dict[int, Span] = {}
    hedges_after: dict[int, Span] = {}
    rule_pos = {r.id: r.get("position", "before") for r in lexicons.rules("hedges")}
    for h in doc.spans.get("hedges", []):
        if rule_pos.get(h.id_) == "after":
            hedges_after[h.start] = h
        else:
            hedges_before[h.end] = h
    date_tokens: dict[int, str] = {}
    for d in doc.spans.get("dates", []):
        for i in range(d.start, d.end):
            date_tokens[i] = d.label_
    out = []
    for span in doc.spans.get("quantities", []):
        m = interpret(span)
        if m is None:
            continue
        _apply_hedge(m, span, hedges_before, hedges_after)
        if m.family == "number":
            _classify_number(m, span, doc, date_tokens)
        out.append(m)
    out.sort(key=lambda m: m.start)
    _drop_conversions(doc, out)
    return out


def _drop_conversions(doc: Doc, mentions: list[Mention]) -> None:
    """'1,450km (900 miles)': the figure in brackets restates the one before it."""
    for a, b in zip(mentions, mentions[1:]):
        lo = max(a.end, b.start - 4)
        if any(doc[i].text == "(" for i in range(lo, b.start)) and b.unit == a.unit and a.not_claim is None:
            b.not_claim = QuantityKind.OTHER
            b.extra["conversion_of"] = a.text


def interpret(span: Span) -> Mention | None:
    """Parse the value and unit of one quantity span; None when the words do not parse."""
    family = span.label_
    text = span.text
    m = Mention(span.start, span.end, span.start_char, span.end_char, text, family, [span.id_])
    words = " ".join(t.text for t in span).replace("\u2013", "-").replace("\u2014", "-")
    if family == "fraction":
        core = re.sub(r"^(by)\s+|\s+(of)$", "", words.lower()).strip()
        frac = parse_fraction(core)
        if frac is None:
            return None
        m.value, m.unit = round(frac * 100, 6), "percent"
        return m
    if family == "ratio":
        low = words.lower()
        if low.startswith(("twice", "thrice")):
            m.value = 2.0 if low.startswith("twice") else 3.0
        elif low.endswith("fold"):
            m.value = parse_number(re.sub(r"-?\s*fold$", "", low).strip() or "x")
        else:
            return _numeric(m, words, "times", prefix=False)
        m.unit = "times"
        return m if m.value is not None else None
    if family == "rate":
        core = re.sub(r"\s*(?:(?:a|per|each|every)\s+day|/\s*d(?:ay)?|daily)$", "", words, flags=re.I)
        if core != words:
            return _numeric(m, core, None, prefix=False, rate=True)
        return _numeric(m, words, None, prefix=False)
    if family == "money":
        prefix = not (words[-1:].isalpha() and lookup_unit(words.split()[-1]) is not None) or (
            lookup_unit(words.split()[0]) is not None and len(words.split()) > 1
        )
        if split_unit(words, prefix=True) is None:
            prefix = False
        return _numeric(m, words, None, prefix=prefix)
    if family in ("area", "length", "percent"):
        core = re.sub(r"\s+worth$", "", words, flags=re.I)
        return _numeric(m, core, None, prefix=False)
    return _numeric(m, words, "count", prefix=False, bare=True)


def _numeric(m: Mention, words: str, unit: str | None, prefix: bool, rate: bool = False,
             bare: bool = False) -> Mention | None:
    """Fill value/low/high and the canonical unit from the number words and the unit words."""
    number_text = words
    factor = 1.0
    if not bare and unit is None:
        parts = split_unit(words, prefix=prefix)
        if parts is None:
            return None
        number_text, surface = parts
        if prefix:  # "$45 billion to $55 billion"
            number_text = re.sub(rf"(?<=\s){re.escape(surface)}\s*", "", number_text)
        hit = lookup_unit(surface)
        if hit is None:
            return None
        unit, factor = hit
        if rate:
            unit = "km/day" if unit == "km" else None
            if unit is None:
                return None
    elif unit == "times":
        number_text = re.sub(r"\s*times$", "", words, flags=re.I)
    single = parse_number(re.sub(r"\s*-\s*", "-", number_text))
    if single is not None and not number_text.lower().startswith("between"):
        m.value = round(single * factor, 9)
    else:
        r = parse_range(number_text)
        if r is None:
            return None
        m.low, m.high = round(r[0] * factor, 9), round(r[1] * factor, 9)
        m.hedge = Hedge.RANGE
    m.unit = unit or "count"
    return m


def _apply_hedge(m: Mention, span: Span, before: dict[int, Span], after: dict[int, Span]) -> None:
    if m.hedge == Hedge.RANGE:
        return
    h = before.get(span.start)
    if h is None and span.start > 0 and span.doc[span.start - 1].lower_ in ("a", "an", "the"):
        h = before.get(span.start - 1)  # "nearly a fifth", "up to a third"
    if h is None:
        h = after.get(span.end)
    if h is not None:
        m.hedge = Hedge(h.label_)
        m.hedge_text = h.text
        m.rules.append(h.id_)


def _classify_number(m: Mention, span: Span, doc: Doc, date_tokens: dict[int, str]) -> None:
    """Decide what a bare number counts, or why it is not a claim."""
    label = next((date_tokens[i] for i in range(span.start, span.end) if i in date_tokens), None)
    if label is not None:
        m.not_claim = QuantityKind.YEAR if label == "year" else (
            QuantityKind.TIME if label == "time" else QuantityKind.DATE)
        return
    first = doc[span.start]
    if m.value is not None and first.shape_ == "dddd" and 1800 <= m.value <= 2100 and span.end - span.start == 1:
        m.not_claim = QuantityKind.YEAR
        return
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None:
        if prev.lower_ in _AGE_PRE:
            m.not_claim = QuantityKind.AGE
            return
        if prev.lower_ in _DESIGNATORS or prev.text in ("#", "No", "No."):
            m.not_claim = QuantityKind.OTHER
            return
        if prev.is_title and not prev.is_sent_start and first.is_digit and prev.lower_ not in STOP_NOUNS:
            # "Article 5", "Flight 17", "Brigade 3": a number that is part of a name
            m.not_claim = QuantityKind.OTHER
            return
    if first.is_title and not first.is_sent_start and first.is_alpha:
        m.not_claim = QuantityKind.OTHER  # "World War Two", "Group of Seven"
        return
    if first.lower_ in _ORDINAL_WORDS:
        m.not_claim = QuantityKind.ORDINAL
        return
    noun_i = _counted_noun(doc, span.end)
    if noun_i is not None:
        tok = doc[noun_i]
        m.noun, m.noun_index = tok.lower_, noun_i
        m.noun_class = lexicons.counted_nouns().get(tok.lower_) or (
            "casualty" if tok.lower_ in lexicons.casualty_words() else "thing")
        m.unit = m.noun
        if m.noun_class == "time":
            nxt = doc[noun_i + 1] if noun_i + 1 < len(doc) else None
            m.not_claim = QuantityKind.AGE if nxt is not None and nxt.lower_ in ("old", "-") else QuantityKind.DURATION
        elif m.noun_class == "age":
            m.not_claim = QuantityKind.AGE
        return
    if span.end < len(doc) and doc[span.end].text in ("-", "–") and span.end + 1 < len(doc):
        nxt = doc[span.end + 1].lower_
        if nxt in ("year", "years", "month", "week", "day", "hour", "minute"):
            m.not_claim = QuantityKind.AGE if "old" in doc[span.end: span.end + 5].text else QuantityKind.DURATION
            return
    after = [t.lower_ for t in doc[span.end: span.end + 5] if t.lower_ not in _AUX]
    casualty = lexicons.casualty_words()
    if after[:1] and after[0] in casualty or after[:2] == ["of", "them"] or after[:2] == ["of", "those"]:
        m.noun_class = "casualty" if after[0] in casualty else "of_them"
        return
    small = m.value is not None and m.value < 1000 and not any(t.lower_ in SCALE_WORDS for t in span)
    if m.value is None and m.high is not None and m.high < 30:
        m.not_claim = QuantityKind.OTHER  # "2-1": scores and the like
    elif small:
        m.not_claim = QuantityKind.OTHER


def _counted_noun(doc: Doc, i: int) -> int | None:
    """Index of the noun counted by a number ending at token ``i``: skip up to three
    modifiers ("78,000 Russian troops", "24,000 military vehicles"); None when none follows."""
    nouns = lexicons.counted_nouns()
    n = len(doc)
    limit = min(n, i + 4)
    j = i
    while j < limit:
        tok = doc[j]
        low = tok.lower_
        if low in nouns or low in _CASUALTY_NOUNS:
            return j
        if not tok.is_alpha and low not in ("-",) or low in STOP_NOUNS or tok.is_sent_start:
            break
        j += 1
    # no known noun: a plain lower-case word right after the number still names what is counted
    if i < n:
        tok = doc[i]
        if tok.is_alpha and tok.is_lower and tok.lower_ not in STOP_NOUNS and len(tok) > 2:
            return i
    return None
