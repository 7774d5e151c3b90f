"""A quantity mention as ``claims quantities`` prints it: every figure the text holds, claim or
not, with its offsets, value, unit, hedge and family. The extraction's own working value
(``extraction.interpret.mention.Mention``) carries more (the counted noun, the marks of why a
figure is not a claim); this is its public twin, frozen, with no extra fields.

>>> QuantityMention(text="12 tanks", start=4, end=12, value=12.0, unit="tanks",
...                 kind=QuantityFamily.NUMBER).model_dump(mode="json")["kind"]
'number'
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.vocab import Hedge, QuantityKind


class QuantityFamily(StrEnum):
    """The family of the rule that found a figure (the ``label`` of ``patterns/quantities.jsonl``),
    and so how its value and unit are read."""

    NUMBER = "number"
    PERCENT = "percent"
    MONEY = "money"
    LENGTH = "length"
    AREA = "area"
    RATE = "rate"
    FRACTION = "fraction"
    RATIO = "ratio"
    MEASURE = "measure"
    VAGUE = "vague"


class NounClass(StrEnum):
    """What a counted figure counts: the classes of ``lexicon/counted_nouns.tsv``, a casualty word,
    or "of them" (the noun is the figure's before it)."""

    MILITARY = "military"
    PERSON = "person"
    EQUIPMENT = "equipment"
    THING = "thing"
    TIME = "time"
    AGE = "age"
    CASUALTY = "casualty"
    OF_THEM = "of_them"


class QuantityMention(BaseModel):
    """One figure of a text, as one JSON line of ``claims quantities`` (field order is the line's)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(description="the words of the figure as written")
    start: int = Field(description="character offset of the first character")
    end: int = Field(description="character offset after the last character")
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = Field(default="count", description="canonical unit, or the counted noun")
    hedge: Hedge = Hedge.EXACT
    kind: QuantityFamily = Field(description="the figure's family (its rule's label)")
    not_claim: QuantityKind | None = Field(default=None, description="why the figure is never a claim, if it is not")
