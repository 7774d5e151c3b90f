"""The structured form of a claim query, shared by the CLI, the store and the API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from models.vocab import ClaimKind


class ClaimFilter(BaseModel):
    """Filters on claims; every field set must hold (AND). Text fields match case-insensitively.

    ``place``, ``source`` and ``actor`` match a name or an alias as a substring
    ("Kursk" finds "Kursk region"); ``text`` is a full-text query on the sentence.
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
    since: date | None = Field(default=None, description="published on or after")
    until: date | None = Field(default=None, description="published on or before")
    limit: int | None = None
    current_only: bool = Field(
        default=False,
        description="only claims of texts that are the current version of some page or file (a newer "
        "text read at the same URL or path retires the older one)",
    )
