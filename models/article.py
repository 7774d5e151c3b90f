"""An ingested news article and the record of an input that could not be ingested."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator


def normalise_text(text: str) -> str:
    """Canonical form used for identity: NFKC, typographic quotes folded, whitespace collapsed.

    >>> normalise_text("Kyiv’s  troops\\n")
    "kyiv's troops"
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of the SHA-256 of its normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


class Article(BaseModel):
    """One article, as read from a file, a JSONL line or standard input.

    ``text`` is the body the extractor reads; character offsets in claims point into it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="hash of the normalised text (see article_id)")
    path: str = Field(description="input file; for a JSONL dump 'dump.jsonl:LINE'")
    title: str | None = None
    outlet: str | None = Field(default=None, description="who published it (the reporter)")
    published: date | None = Field(default=None, description="publication date when known")
    url: str | None = Field(default=None, description="where the article was published (canonical URL, WARC target)")
    author: str | None = Field(default=None, description="byline, when the input gives one (HTML metadata)")
    text: str

    @classmethod
    def from_text(cls, text: str, path: str, **fields: object) -> Article:
        """Build an article, computing its id from the text."""
        return cls(id=article_id(text), path=path, text=text, **fields)  # type: ignore[arg-type]


class Failure(BaseModel):
    """An input that could not be processed; recorded in the store, never fatal to a batch."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    line: int | None = None
    stage: str = Field(description="ingest, extract or store")
    reason: str = Field(description="short machine-readable reason: empty, binary, encoding, json, ...")
    message: str

    @field_validator("message")
    @classmethod
    def _one_line(cls, value: str) -> str:
        """A failure is reported on one line: newlines folded, long messages cut."""
        value = " ".join(value.split())
        return value if len(value) <= 500 else value[:497] + "..."

    def one_line(self) -> str:
        """``path:line: stage: message`` -- the form the CLI prints."""
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.stage} error ({self.reason}): {self.message}"
