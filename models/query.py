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
    limit: int | None = None
