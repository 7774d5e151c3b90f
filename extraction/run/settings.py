"""One settings object for the whole tool: defaults, overridden by CLI options or CLAIMS_* variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every tunable of the pipeline. ``CLAIMS_DB=x.db`` overrides ``db``, and so on."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", extra="forbid")

    db: Path = Field(default=Path("claims.db"), description="SQLite claim store")
    # JSONL dumps: which fields hold what (first one present wins)
    text_fields: list[str] = ["text", "body", "content", "article", "maintext"]
    title_fields: list[str] = ["title", "headline"]
    date_fields: list[str] = ["date", "published", "publish_date", "date_publish", "seendate", "pubdate"]
    outlet_fields: list[str] = ["outlet", "source", "publisher", "domain", "site", "source_domain"]
    url_fields: list[str] = ["url", "link"]
    #: a line with no text field but one of these is an HTML page (main text and metadata read from it)
    html_fields: list[str] = ["html", "raw_html", "content_html", "html_content"]
    id_fields: list[str] = ["id", "doc_id", "doc"]
    max_article_chars: int = Field(default=2_000_000, ge=1,
                                   description="longer articles are refused as a too_large failure")
    max_file_bytes: int = Field(default=200_000_000, ge=1, description="larger single-article files are refused")
    # near-duplicate detection (see extraction/corpus/dedup.py)
    dedup_shingle_size: int = 5
    dedup_sample_rate: int = Field(default=8, description="keep one shingle in N (by hash) for blocking")
    dedup_min_containment: float = Field(default=0.5, description="verified copy: containment at least this")
    dedup_min_token_set: float = Field(default=85.0, description="verified copy: rapidfuzz token_set_ratio")
    group_slice_claims: int = Field(
        default=20_000,
        description="unused since the incremental corpus pass groups across the whole store (kept so that "
                    "CLAIMS_GROUP_SLICE_CLAIMS stays a valid setting)",
    )
    workers: int | None = Field(default=None, ge=1, description="extraction processes; None = number of cores")
    batch_size: int = Field(default=64, ge=1, description="articles a worker extracts and the store writes at once")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
