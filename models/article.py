"""An ingested news article and the record of an input that could not be ingested."""

from __future__ import annotations

import hashlib
import re
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


#: ``dump.jsonl:12``, ``list.json.gz:3``, ``crawl.warc.gz@4096``: an item of a multi-article file
_ITEM_KEY = re.compile(r"^(?P<file>.+\.(?:jsonl|ndjson|json|warc)(?:\.gz)?)(?P<sep>[:@])(?P<item>\d+)$",
                       re.IGNORECASE)


def input_line(path: str) -> tuple[str, int | None]:
    """(file, line) of a dump line's or JSON list item's key; (key, None) for anything else
    (a one-article file, stdin, a WARC record keyed by its byte offset).

    >>> input_line("dumps/latest.jsonl:12"), input_line("cc.warc.gz@4096")
    (('dumps/latest.jsonl', 12), ('cc.warc.gz@4096', None))
    """
    match = _ITEM_KEY.match(path)
    return (match["file"], int(match["item"])) if match and match["sep"] == ":" else (path, None)


def input_file(path: str) -> str:
    """The file an input key was read from: the dump for one of its lines, else the key itself.

    >>> input_file("dumps/latest.jsonl:12"), input_file("cc.warc.gz@4096"), input_file("a/story.txt")
    ('dumps/latest.jsonl', 'cc.warc.gz', 'a/story.txt')
    """
    match = _ITEM_KEY.match(path)
    return match["file"] if match else path


def version_key_of(path: str, url: str | None) -> str | None:
    """What links the versions of one page: its URL, else the path of a one-article file.

    A dump's lines and standard input have none: another text there is another article,
    not a new version of one.
    """
    if url:
        return url
    return None if path == "-" or _ITEM_KEY.match(path) else path


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

    @property
    def location(self) -> str:
        """The input file this text was read from (the dump, for a dump's line): with the URL and
        the outlet, the key of this appearance of the text. Re-reading a dump whose lines moved
        adds no appearance; two files holding the same scraped page are two."""
        return input_file(self.path)

    @property
    def version_key(self) -> str | None:
        """The page or file whose versions this text is one of (see ``version_key_of``)."""
        return version_key_of(self.path, self.url)


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
        """``path:line: stage error (reason): message`` -- the form the CLI prints."""
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.stage} error ({self.reason}): {self.message}"


class Appearance(BaseModel):
    """One place a stored text was printed or read: a file, a dump's line, a URL.

    The same text from three outlets is one article with three appearances; each counts as
    a mention of its claims and names its outlet.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: str
    location: str = Field(description="the input file (the dump, for a dump's line)")
    path: str = Field(description="the input as read: a file, 'dump.jsonl:LINE', or '-'")
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    current: bool = Field(description="False when a newer text was read at the same URL or file")
    ingested_at: str
