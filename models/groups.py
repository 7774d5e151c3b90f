"""Outputs of de-duplication and claim grouping: copy clusters, claim groups and conflicts.

Built by ``extraction.corpus.dedup`` (``DupMatch``, ``DupCluster``) and ``extraction.corpus.grouping``
(``ClaimGroup``, ``Conflict``). Frozen and ``extra="forbid"`` like every model that crosses
into the store or the export.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.claim import GroupRef, Quantity
from models.vocab import ClaimKind, Unit

_FROZEN = ConfigDict(frozen=True, extra="forbid")

#: What a conflict link can name as the reason two groups disagree.
Difference = Literal["value", "period", "category", "scope"]


class DupMatch(BaseModel):
    """An article found to be a copy of an earlier-indexed article (``NearDupIndex.add``)."""

    model_config = _FROZEN

    doc_id: str
    cluster_id: str
    canonical_id: str = Field(description="the cluster's canonical article: earliest published, else longest")
    similarity: float = Field(description="shingle containment (shared / shorter) with the copy it matched, 0-1")
    exact: bool = Field(description="same normalised text as a cluster member")


class DupMember(BaseModel):
    """One article of a copy cluster and its similarity to the canonical copy."""

    model_config = _FROZEN

    doc_id: str
    similarity: float = Field(description="1.0 for the canonical and exact copies")


class DupCluster(BaseModel):
    """Articles that are copies of one story (exact, trimmed, re-introduced, typo'd, shuffled)."""

    model_config = _FROZEN

    id: str = Field(description="'dup:' + the id of the article that founded the cluster")
    canonical_id: str
    members: list[DupMember] = Field(description="canonical first, then in arrival order")

    @property
    def doc_ids(self) -> list[str]:
        return [m.doc_id for m in self.members]


class ClaimGroup(BaseModel):
    """The same claim (kind, compatible actor and place, overlapping value intervals) in several articles."""

    model_config = _FROZEN

    id: str = Field(description="'grp:' + the id of the claim that founded the group")
    kind: ClaimKind
    unit: Unit
    low: float = Field(description="the value interval every member allows (intersection of their intervals)")
    high: float
    representative: Quantity = Field(description="the most precise member quantity")
    category: str | None = Field(default=None, description="casualties: killed, wounded, killed_or_wounded...")
    actor: str | None = None
    place: str | None = None
    place_type: str | None = None
    claim_ids: list[str]
    article_ids: list[str]
    outlets: list[str]
    sources: list[str] = Field(description="distinct cited source names")
    mentions: int = Field(description="number of claims in the group")
    independent_sources: int = Field(
        description="distinct cited sources, plus copy clusters whose mentions cite no source"
    )
    period_start: date | None = Field(default=None, description="union of the members' resolved periods")
    period_end: date | None = None
    first_published: date | None = Field(default=None, description="as-of range: members' publication dates")
    last_published: date | None = None

    def ref(self) -> GroupRef:
        """The ``GroupRef`` to store on each member claim (``claim.model_copy(update={"group": ...})``)."""
        return GroupRef(id=self.id, mentions=self.mentions, independent_sources=self.independent_sources)


class Conflict(BaseModel):
    """Two groups about the same quantity whose value intervals do not overlap."""

    model_config = _FROZEN

    id: str
    group_ids: list[str]
    values: list[tuple[float, float]] = Field(description="the groups' value intervals, in group_ids order")
    differs: list[Difference] = Field(
        description="what explains the difference when it can be told (period, category, scope); "
        "['value'] when the groups agree on everything but the number"
    )
    explanation: str
