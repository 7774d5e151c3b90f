"""A quantitative claim and its parts, in exactly the shape the JSONL export writes.

Every model is frozen and forbids extra fields, so a misspelt field is an error.
"""

from __future__ import annotations

import hashlib
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.vocab import ClaimKind, Hedge, SourceType, Unit

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Quantity(BaseModel):
    """The number: a value, or a low/high range, in a canonical unit."""

    model_config = _FROZEN

    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: Unit
    hedge: Hedge = Hedge.EXACT
    text: str = Field(description="the words of the quantity as printed, e.g. 'nearly 2,700 square kilometers'")

    @model_validator(mode="after")
    def _value_or_range(self) -> Quantity:
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("a quantity needs a value or both low and high")
        return self

    def interval(self) -> tuple[float, float]:
        """The interval of values the text allows, widened by the hedge.

        "around 2,700", "nearly 2,700" and "2,700" overlap; "some 50,000" and "around 59,000" do not.

        >>> Quantity(value=1000, unit="km2", hedge="at_least", text="more than 1,000").interval()
        (1000.0, 1500.0)
        """
        if self.value is None:
            return float(self.low), float(self.high)  # type: ignore[arg-type]
        v = float(self.value)
        slack = {
            Hedge.EXACT: (0.005, 0.005),
            Hedge.APPROXIMATELY: (0.05, 0.05),
            Hedge.NEARLY: (0.1, 0.0),
            Hedge.AT_LEAST: (0.0, 0.5),
            Hedge.AT_MOST: (0.5, 0.0),
            Hedge.RANGE: (0.0, 0.0),
        }[self.hedge]
        return v - abs(v) * slack[0], v + abs(v) * slack[1]


class Source(BaseModel):
    """Who the text says the figure comes from."""

    model_config = _FROZEN

    name: str = Field(description="canonical name, e.g. 'Institute for the Study of War'")
    type: SourceType | None = None
    text: str = Field(description="the words naming the source in the article, e.g. 'ISW figures'")
    cue: str | None = Field(default=None, description="the attribution cue, e.g. 'according to', 'showed'")


class Place(BaseModel):
    """A place the claim is about, most specific first in Claim.places."""

    model_config = _FROZEN

    name: str = Field(description="canonical name, e.g. 'Kharkiv region'")
    id: str | None = Field(default=None, description="stable id: ISO 3166-1 alpha-2 for a country ('UA'), "
                           "ISO 3166-2 for a subdivision ('UA-63'), else 'place:<country>:<slug>' "
                           "('place:ua:kharkiv'); null for a place outside the gazetteer")
    type: str | None = Field(default=None, description="country, region, city, ...")
    text: str | None = Field(default=None, description="the words in the text, e.g. 'the region'")


class Period(BaseModel):
    """The time a claim is about or as of, resolved against the publication date when known."""

    model_config = _FROZEN

    text: str
    start: date | None = None
    end: date | None = None
    resolved: bool = Field(description="False when the text gave a date that could not be anchored")


class Evidence(BaseModel):
    """Where the claim was printed: article, sentence and character offsets into the article text."""

    model_config = _FROZEN

    doc_id: str
    path: str
    title: str | None = None
    published: date | None = None
    sentence: str
    start: int = Field(description="offset of the quantity in the article text")
    end: int
    sentence_start: int


class GroupRef(BaseModel):
    """The claim group a claim belongs to (the same claim across articles)."""

    model_config = _FROZEN

    id: str
    mentions: int
    independent_sources: int


class Claim(BaseModel):
    """One quantitative claim: the export line."""

    model_config = _FROZEN

    id: str
    kind: ClaimKind
    quantity: Quantity
    actor: str | None = Field(default=None, description="canonical name, e.g. 'United States' for 'US' or 'America'")
    actor_id: str | None = Field(default=None, description="stable id of the actor: ISO 3166-1 alpha-2 for a "
                                 "country ('US'), else 'org:<slug>' ('org:nato', 'org:eu'); null for an actor "
                                 "outside the gazetteers")
    places: list[Place] = Field(default_factory=list)
    source: Source | None = None
    reporter: str | None = Field(default=None, description="the outlet that published the article")
    period: Period | None = None
    evidence: Evidence
    rules: list[str] = Field(default_factory=list, description="ids of the rules that produced the claim")
    extractor_version: str
    group: GroupRef | None = None

    @staticmethod
    def make_id(doc_id: str, start: int, end: int, kind: str) -> str:
        """Stable claim id from its article and position."""
        return hashlib.sha256(f"{doc_id}:{start}:{end}:{kind}".encode()).hexdigest()[:16]
