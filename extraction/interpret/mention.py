"""The quantity mention: one figure of a Doc and how it reads, a frozen typed value.

Every step of the quantity reading (``quantities``, ``number_roles``, ``unit_context``,
``figure_joins``) takes mentions and returns new ones (``replace`` below, the same as
``dataclasses.replace`` and several times faster); none changes a mention in place. What
``claims quantities`` prints is its twin ``models.mention.QuantityMention`` (``Mention.public``).

>>> m = Mention(0, 2, 0, 8, "12 tanks", QuantityFamily.NUMBER, ("quantities.number",), value=12.0)
>>> replace(m, noun="tanks", noun_class=NounClass.EQUIPMENT).noun_class
<NounClass.EQUIPMENT: 'equipment'>
>>> m.noun is None
True
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields

from models.mention import NounClass, QuantityFamily, QuantityMention
from models.vocab import Hedge, QuantityKind


@dataclass(frozen=True)
class Mention:
    """One quantity mention with its interpretation (offsets are token indices into the Doc,
    ``start_char``/``end_char`` characters into its text)."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    family: QuantityFamily
    #: the ids of the rules that read it: the quantity rule first, then a hedge's, a range's second figure's
    rules: tuple[str, ...]
    value: float | None = None
    low: float | None = None
    high: float | None = None
    #: canonical unit ("km2", "percent", "USD", "t"), the counted noun ("tanks"), or "count"
    unit: str = "count"
    hedge: Hedge = Hedge.EXACT
    #: the words of the hedge ("at least", "or more")
    hedge_text: str | None = None
    #: the hedge stands after the figure ("25 or more")
    hedge_after: bool = False
    #: what the figure counts (lower case) and the token index of that noun
    noun: str | None = None
    noun_class: NounClass | None = None
    noun_index: int | None = None
    #: why the figure is never a claim (None: it may be one)
    not_claim: QuantityKind | None = None
    #: the factor from the written unit to the canonical one ("12 kg" -> 0.001 t a kg)
    factor: float = 1.0
    #: a number that is part of a name or designator ("Section 427", "50 Cent", "the fly-half")
    is_name: bool = False
    #: a score ("2-2"), a pronoun ("each one"), a rank ("the 10 largest"), a magnitude ("thousands of")
    is_score: bool = False
    is_pronoun: bool = False
    is_rank: bool = False
    is_vague: bool = False
    #: in a sentence of site furniture (banners, footers)
    in_furniture: bool = False
    #: a multiplier word with no figure written ("doubled", "twice")
    no_numeral: bool = False
    #: "N times" that counts events ("raised rates five times"), not a multiplier
    counts_events: bool = False
    #: a unit joined to the figure by a dash ("a 1,000-km front line")
    dashed: bool = False
    #: "a majority of 160": the figure counts the margin noun before it
    is_margin: bool = False
    #: one of the two figures of a change ("rose from 40,000 to 60,000"), never joined into a range
    pair: bool = False
    #: the first figure of a change whose unit is written only after the second ("from 40 to 25 million m3")
    unit_of_next: bool = False
    #: the text of the figure whose unit this one took ("800 sq km, down from 1,300")
    unit_from: str | None = None
    #: the text of the total this figure is a part of ("five rounds, including three in ...")
    split_of: str | None = None
    #: the text of the figure this one restates in brackets ("1,450km (900 miles)")
    conversion_of: str | None = None
    #: the noun said before an elided figure ("sending about 900 more": "troops"), as written
    elided_noun: str | None = None

    def public(self, offset: int = 0) -> QuantityMention:
        """The mention as ``claims quantities`` prints it, its character offsets moved by ``offset``."""
        return QuantityMention(text=self.text, start=self.start_char + offset, end=self.end_char + offset,
                               value=self.value, low=self.low, high=self.high, unit=self.unit, hedge=self.hedge,
                               kind=self.family, not_claim=self.not_claim)


#: the names of Mention's fields (``replace`` refuses any other), and their defaults
_FIELDS = frozenset(f.name for f in fields(Mention))
_DEFAULTS = {f.name: f.default for f in fields(Mention) if f.default is not MISSING}


def new_mention(start: int, end: int, start_char: int, end_char: int, text: str, family: QuantityFamily,
                rules: tuple[str, ...]) -> Mention:
    """``Mention(start, end, start_char, end_char, text, family, rules)``, the other fields at
    their defaults, without ``__init__``'s call per field (the reading of every quantity span
    starts with one).

    >>> new_mention(0, 2, 0, 8, "12 tanks", QuantityFamily.NUMBER, ("quantities.number",)) == Mention(
    ...     0, 2, 0, 8, "12 tanks", QuantityFamily.NUMBER, ("quantities.number",))
    True
    """
    return _made(_DEFAULTS, dict(start=start, end=end, start_char=start_char, end_char=end_char, text=text,
                                 family=family, rules=rules))


def replace(m: Mention, /, **changes) -> Mention:
    """``dataclasses.replace`` for a Mention (a new mention with ``changes``; an unknown field
    is a TypeError), as one copy of its fields instead of a call of ``__init__`` with each:
    the quantity reading makes tens of thousands of these per thousand articles.

    >>> m = Mention(0, 2, 0, 8, "12 tanks", QuantityFamily.NUMBER, ("quantities.number",), value=12.0)
    >>> n = replace(m, noun="tanks")
    >>> (n.noun, n.value, m.noun)
    ('tanks', 12.0, None)
    """
    if not _FIELDS.issuperset(changes):
        raise TypeError(f"Mention has no field {sorted(set(changes) - _FIELDS)[0]!r}")
    return _made(m.__dict__, changes)


def _made(fields_: dict, changes: dict) -> Mention:
    """A Mention of ``fields_`` updated with ``changes``, built without ``__init__`` (a frozen
    dataclass refuses setattr; its ``__dict__`` takes the values)."""
    out = object.__new__(Mention)
    out.__dict__.update(fields_)
    out.__dict__.update(changes)
    return out
