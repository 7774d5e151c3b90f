"""One settings object for the whole tool: defaults, overridden by CLI options or CLAIMS_* variables.

The dedup and grouping parameters are nested models (``DedupParams``, ``GroupingParams``, defined
beside the code that uses them): ``CLAIMS_DEDUP__MIN_CONTAINMENT=0.6`` (two underscores) or
``claims --set dedup.min_containment=0.6 refresh --full``.

>>> Settings().dedup.shingle_size, Settings().grouping.conflict_window_days
(5, 14)
>>> Settings(dedup_min_containment=0.7).dedup.min_containment  # the older flat name still works
0.7
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_cache_dir
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from extraction.corpus.dedup import DedupParams
from extraction.corpus.grouping import GroupingParams
from extraction.lexicon.lexicons import field_names

#: the flat names the four dedup settings had before ``dedup`` was nested, and where they went
_DEDUP_ALIASES = {"dedup_shingle_size": "shingle_size", "dedup_sample_rate": "sample_rate",
                  "dedup_min_containment": "min_containment", "dedup_min_token_set": "min_token_set"}


def _fields(field: str) -> list[str]:
    return list(field_names("jsonl")[field])


class Settings(BaseSettings):
    """Every tunable of the pipeline. ``CLAIMS_DB=x.db`` overrides ``db``, and so on."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", env_nested_delimiter="__", extra="forbid")

    db: Path = Field(default=Path("claims.db"), description="SQLite claim store")
    # JSONL dumps: which fields hold what (first one present wins); defaults in data/readers/fields.tsv
    text_fields: list[str] = Field(default_factory=lambda: _fields("text"))
    title_fields: list[str] = Field(default_factory=lambda: _fields("title"))
    date_fields: list[str] = Field(default_factory=lambda: _fields("published"))
    outlet_fields: list[str] = Field(default_factory=lambda: _fields("outlet"))
    url_fields: list[str] = Field(default_factory=lambda: _fields("url"))
    #: a line with no text field but one of these is an HTML page (main text and metadata read from it)
    html_fields: list[str] = Field(default_factory=lambda: _fields("html"))
    id_fields: list[str] = Field(default_factory=lambda: _fields("id"))
    max_article_chars: int = Field(default=2_000_000, ge=1,
                                   description="longer articles are refused as a too_large failure")
    max_file_bytes: int = Field(default=200_000_000, ge=1, description="larger single-article files are refused")
    # near-duplicate detection (extraction/corpus/dedup.py) and claim grouping and conflicts
    # (extraction/corpus/grouping.py); changing one makes the next corpus pass a full one
    dedup: DedupParams = Field(default_factory=DedupParams, description="near-duplicate detection")
    grouping: GroupingParams = Field(default_factory=GroupingParams, description="claim groups and conflicts")
    # the older flat names of four dedup settings (CLAIMS_DEDUP_MIN_CONTAINMENT ...): folded into ``dedup``
    dedup_shingle_size: int | None = Field(default=None, ge=1, description="older name of dedup.shingle_size")
    dedup_sample_rate: int | None = Field(default=None, ge=1, description="older name of dedup.sample_rate")
    dedup_min_containment: float | None = Field(default=None, description="older name of dedup.min_containment")
    dedup_min_token_set: float | None = Field(default=None, description="older name of dedup.min_token_set")
    group_slice_claims: int = Field(
        default=20_000,
        description="unused since the incremental corpus pass groups across the whole store (kept so that "
                    "CLAIMS_GROUP_SLICE_CLAIMS stays a valid setting)",
    )
    workers: int | None = Field(default=None, ge=1, description="extraction processes; None = number of cores")
    batch_size: int = Field(default=64, ge=1, description="articles a worker extracts and the store writes at once")
    cache_dir: Path | None = Field(
        default_factory=lambda: Path(user_cache_dir("claims")),
        description="where building the pipeline keeps what it derives from the data files; empty: no cache")

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _no_cache(cls, value: object) -> object:
        """An empty ``CLAIMS_CACHE_DIR`` switches the build cache off."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _fold_dedup_aliases(self) -> Settings:
        """A flat ``dedup_*`` setting, where given, sets its field of ``dedup``."""
        update = {new: getattr(self, old) for old, new in _DEDUP_ALIASES.items() if getattr(self, old) is not None}
        if update:
            self.dedup = DedupParams.model_validate({**self.dedup.model_dump(), **update})
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
