"""The structured form of a claim query, shared by the CLI, the store and the API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from models.vocab import ClaimKind


class ClaimFilter(BaseModel):
    """Filters on claims; every field set must hold (AND). Text fields match case-insensitively.

    ``place``, ``source`` and ``actor`` match a name or an alias as a substring
    ("Kursk" finds "Kursk region"); ``text`` is a full-text query on the sentence. An actor or
    place the gazetteers know comes with its ``ids`` entry and its ``exact`` names: then the
    actor matches by id or by one whole name of any length ("US", "U.S.", "America", as older
    extractors stored them), no longer as a substring; a place matches by id, a whole stored name
    or text, or a substring as before.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str | None = Field(default=None, description="full-text query on the sentence")
    kinds: list[ClaimKind] = Field(default_factory=list)
    place: str | None = None
    source: str | None = None
    actor: str | None = None
    aliases: dict[str, list[str]] = Field(
        default_factory=dict,
        description="other names that also satisfy the place, source or actor filter ('ISW' for the "
        "Institute for the Study of War, 'Britain' for the United Kingdom)",
    )
    source_type: str | None = Field(default=None, description="the source's type, e.g. military, think_tank")
    ids: dict[str, str] = Field(
        default_factory=dict,
        description="the stable id the place or actor filter names ('actor': 'US', 'place': 'UA-63')",
    )
    exact: dict[str, list[str]] = Field(
        default_factory=dict,
        description="every lower-case name of that place or actor, of any length ('us', 'u.s.', "
        "'united states'): a stored actor, place name or place text equal to one of them matches",
    )
    since: date | None = Field(default=None, description="published on or after")
    until: date | None = Field(default=None, description="published on or before")
    period_start: date | None = Field(
        default=None, description="the claim's period (else its publication date) ends on or after this day")
    period_end: date | None = Field(
        default=None, description="the claim's period (else its publication date) starts on or before this day")
    limit: int | None = None
    offset: int = Field(default=0, ge=0, description="skip this many matching claims (paging)")
    newest_first: bool = Field(default=False, description="order by publication date, latest first (undated last)")
    current_only: bool = Field(
        default=False,
        description="only claims of texts that are the current version of some page or file (a newer "
        "text read at the same URL or path retires the older one)",
    )
