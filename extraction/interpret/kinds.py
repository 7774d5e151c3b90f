"""What a figure measures: the kind of a claim, decided in one place.

A figure with a unit takes its family's kind ("4.5%" a share, "$2bn" money, "30 km" a distance);
a bare number takes the class of the noun it counts (``lexicon/counted_nouns.tsv``): troops are
personnel, tanks equipment, people killed casualties, anything else a count. Casualty words
around a count of people ("40 people were killed") make it casualties. A small number word that
counts nothing in particular ("two sides", "three reasons") is not a claim.

Pure over a processed Doc and ``quantities.Mention``; every decision names its rule id.

>>> sorted(FAMILY_KIND)[:3]
['area', 'fraction', 'length']
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from extraction.interpret.quantities import Mention
from extraction.lexicon import lexicons
from extraction.nlp.spans import lower_of
from models.vocab import ClaimKind

FAMILY_KIND = {
    "area": ClaimKind.TERRITORY, "length": ClaimKind.DISTANCE, "rate": ClaimKind.RATE,
    "percent": ClaimKind.SHARE, "fraction": ClaimKind.SHARE, "ratio": ClaimKind.RATIO,
    "money": ClaimKind.MONEY,
}
#: Kinds whose place is where the counted people or money are, which a country subject names.
POPULATION_KINDS = frozenset({ClaimKind.SHARE, ClaimKind.COUNT, ClaimKind.MONEY, ClaimKind.RATIO})
_NUMBER_WORD_KINDS = frozenset({"military", "person", "equipment"})


def kind_of(m: Mention, doc: Doc, sent: Span) -> tuple[ClaimKind | None, str]:
    """The kind of the figure ``m`` in ``sent`` (None: not a claim) and the id of the rule."""
    lower = lower_of(doc)
    after = m.end + 1 if m.end + 1 < len(doc) and lower[m.end] == "-" else m.end  # "doubled-down"
    if m.family == "ratio" and after < len(doc) and lower[after] in lexicons.word_class("idiom_followers"):
        return None, "kind.none.idiom"  # "doubled down on his claim"
    if m.family in FAMILY_KIND:
        return FAMILY_KIND[m.family], f"kind.unit.{m.family}"
    if _one_of(lower, m):
        return None, "kind.none.one_of"  # "one of the two missiles": which one, not how many
    cls = m.noun_class
    if cls == "casualty":
        return ClaimKind.CASUALTIES, "kind.casualties.noun"
    if cls in (None, "of_them"):
        if _casualty_context(m, doc, sent):
            return ClaimKind.CASUALTIES, "kind.casualties.context"
        if (m.value or m.high or 0) >= 1000:
            return ClaimKind.COUNT, "kind.count.large_bare_number"
        return None, "kind.none.small_bare_number"
    if (lower[m.start] in lexicons.word_class("small_number_words") and (m.value or m.high or 0) <= 10
            and cls not in _NUMBER_WORD_KINDS and not _listed_thing(m, lower) and not _counted_small(m, doc)
            and not m.counts_events
            and not m.split_of):
        return None, "kind.none.small_number_word"  # "two sides"; but "extended the deadline three times"
    if cls == "equipment":
        after = (m.noun_index + 1) if m.noun_index is not None else m.end
        if after < len(doc) and lower[after] in lexicons.word_class("event_nouns"):
            return ClaimKind.COUNT, "kind.count.events"  # "120 artillery strikes": strikes, not guns
        return ClaimKind.EQUIPMENT, "kind.equipment.noun"
    if cls in ("military", "person", "thing") and _casualty_context(m, doc, sent):
        if cls != "thing" or m.noun in ("others",):
            return ClaimKind.CASUALTIES, "kind.casualties.context"
        return ClaimKind.COUNT, "kind.count.noun"
    if cls == "military":
        return ClaimKind.PERSONNEL, "kind.personnel.noun"
    return ClaimKind.COUNT, "kind.count.noun"


def _one_of(lower: list[str], m: Mention) -> bool:
    """'one of the two missiles': "one" picks an item out of a set named after it, and a small
    number after "one of the" names that set again; neither counts anything new."""
    if m.value is None or m.value > 10:
        return False
    if lower[m.start] == "one" and lower[m.end:m.end + 2] == ["of", "the"]:
        return True
    return m.start >= 3 and lower[m.start - 3:m.start] == ["one", "of", "the"]


def _listed_thing(m: Mention, lower: list[str]) -> bool:
    """'three rounds of talks', 'nine wars', 'eight villages': a small number word that counts a
    plural noun of ``lexicon/counted_nouns.tsv`` (what news counts) is a count; a noun not listed
    there ("two sides", "three reasons", "two ways") is not. After a definite determiner the
    words name a set the reader already knows ("the two Nordic states", "its four regions"),
    unless a relative clause defines it there ("the nine wars in which it fought"); units of
    a country's map ("four regions") are named sets too."""
    if (m.value or 0) < 2 or m.noun_class != "thing" or m.noun not in lexicons.counted_nouns():
        return False
    if m.noun in lexicons.word_class("named_unit_nouns"):
        return False
    if m.start > 0 and lower[m.start - 1] in lexicons.word_class("sequence_words"):
        return False  # "the first two matches", "the other two countries": a place in a series
    if m.start > 0 and lower[m.start - 1] in lexicons.word_class("definite_determiners"):
        after = lower[m.noun_index + 1:m.noun_index + 3] if m.noun_index is not None else []
        return bool(after) and (after[0] in lexicons.word_class("relative_openers")
                                or after[0] in ("in", "on", "at") and after[1:2] == ["which"])
    return True


def _counted_small(m: Mention, doc: Doc) -> bool:
    """'at least three rounds of talks', 'all six of the reactors': a small number word that
    is a count because it is hedged or totals a set."""
    lower = lower_of(doc)
    if lower[m.start] in ("one", "a", "an"):
        return False
    hedge = (m.hedge_text or "").lower()
    return hedge in lexicons.word_class("counting_hedges") or m.start > 0 and lower[m.start - 1] == "all"


def _casualty_context(m: Mention, doc: Doc, sent: Span) -> bool:
    lower = lower_of(doc)
    words = lexicons.casualty_words()
    lo = max(sent.start, m.start - 5)
    hi = min(sent.end, (m.noun_index or m.end) + 8)
    return any(lower[i] in words for i in range(lo, hi))
