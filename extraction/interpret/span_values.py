"""One quantity span read on its own: the value (or low and high), the canonical unit and its
factor, from the span's words and its rule's family ("2,700 square kilometres" -> 2700 km2,
"$19.5 billion" -> 19.5e9 USD, "a quarter" -> 25 percent, "tripled" -> 3 times, "thousands
of" -> 1,000-10,000, a magnitude). What the figure counts and whether it is a claim are
decided after (``number_roles``, ``quantities``).

Pure: reads the span and the unit table, returns a new ``Mention`` or None.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from extraction.interpret.mention import Mention, NounClass, QuantityFamily, new_mention, replace
from extraction.interpret.number_roles import span_text
from extraction.interpret.unit_context import POUND_IN_TONNES
from extraction.lexicon.lexicons import word_class
from extraction.lexicon.numbers import VULGAR_FRACTIONS, parse_fraction, parse_number, parse_range
from extraction.lexicon.units import lookup_unit, split_unit
from extraction.nlp.spans import lower_of, slice_text, words_of
from models.vocab import Hedge, QuantityKind

#: A fraction up to its fraction word ("a quarter" in "a quarter agreed").
_FRACTION_WORD = re.compile(r".*?\b(?:half|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?"
                            r"|tenths?)\b")


def interpret(span: Span) -> Mention | None:
    """The value and unit of one quantity span, its rule's label the family; None when the words
    do not parse.

    >>> import spacy
    >>> doc = spacy.blank("en")("Kyiv received $19.5 billion in aid.")
    >>> m = interpret(Span(doc, 2, 5, label="money", span_id="quantity.money"))  # "$19.5 billion"
    >>> m.value, m.unit, m.text, m.rules
    (19500000000.0, 'USD', '$19.5 billion', ('quantity.money',))
    """
    family = QuantityFamily(span.label_)
    doc = span.doc
    m = new_mention(span.start, span.end, span.start_char, span.end_char, slice_text(doc, span.start, span.end),
                    family, (span.id_,))
    words = " ".join(words_of(doc)[span.start:span.end]).replace("\u2013", "-").replace("\u2014", "-")
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
                before.lower_ not in word_class("temperature_lead_words")))
            if span[-2].whitespace_ or name:
                return None  # "42C" is hot; "Group 4 C" and "the iPhone 5C" are not
        return _measure(m, words, span)
    out = _numeric(m, words, "count", prefix=False, bare=True)
    if out is not None and len(span) == 1 and m.text in VULGAR_FRACTIONS:
        out = replace(out, family=QuantityFamily.FRACTION, unit="percent",
                      value=round(VULGAR_FRACTIONS[m.text] * 100, 6))
    return out


#: A dash between a number and its unit word: "a 1,000-km front line", "2,000-pound bombs".
_DASHED_UNIT = re.compile(r"\s*-\s*(?=[^\W\d])")


def _per_day(span: Span) -> int:
    """How many words after a measure make it a rate a day: "a day", "per day", "daily", "of
    oil a day"; 0 when none does."""
    doc, lower = span.doc, lower_of(span.doc)
    i, n = span.end, len(span.doc)
    if lower[i - 1] not in word_class("daily_rate_units") or i >= n:
        return 0
    if lower[i] == "daily":
        return 1
    k = 2 if i + 3 < n and lower[i] == "of" and doc[i + 1].is_alpha and not doc[i + 1].is_title else 0
    if i + k + 1 < n and lower[i + k] in word_class("per_words") and lower[i + k + 1] == "day":
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
    single = parse_number(re.sub(r"\s*-\s*", "-", number_text) if "-" in number_text else number_text)
    if single is not None and not number_text.lower().startswith("between"):
        read["value"] = round(single * factor, 9)
    else:
        r = parse_range(number_text)
        if r is None:
            return None
        read.update(low=round(r[0] * factor, 9), high=round(r[1] * factor, 9), hedge=Hedge.RANGE)
    return replace(m, unit=unit or "count", **read)
