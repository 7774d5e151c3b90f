"""Read articles from text files, JSON/JSONL dumps (optionally gzipped), directories and standard input.

`iter_inputs` streams `Article` objects, one per input article, and a `Failure` for every
input it cannot read; a bad file or line never stops the batch. ``Article.path`` is the
resume key: the file path as given, or ``dump.jsonl:LINE`` (1-based) for a line of a
dump, ``list.json:ITEM`` for an item of a JSON list.

The header of a text file (title, outlet, date in its first lines) is read by
`extraction.readers.headers.parse_header`; page furniture is removed from every body by
`extraction.readers.boilerplate`.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from extraction.readers.boilerplate import strip_boilerplate
from extraction.readers.encoding import Rejected as _Rejected
from extraction.readers.encoding import decode as _decode
from extraction.readers.encoding import decode_bytes
from extraction.readers.encoding import looks_binary as _looks_binary
from extraction.readers.encoding import normalise_newlines as _normalise
from extraction.readers.headers import Header, byline_in_text, date_from_name, parse_date, parse_header
from extraction.readers.html import decode_html, html_page, looks_like_html
from extraction.run.settings import Settings, get_settings
from models.article import Article, Failure

__all__ = ["Header", "date_from_name", "decode_bytes", "iter_inputs", "parse_date", "parse_header", "read_text"]

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20
#: what a whole-file read asks for at a time (below the size at which malloc maps fresh pages)
_BLOCK = 1 << 16
#: a directory with more entries than this is read in file-system order instead of sorted
_SORT_LIMIT = 100_000


class InputKind(StrEnum):
    """How a file is read: by its suffix, else sniffed from its first bytes."""

    TEXT = "text"
    JSONL = "jsonl"
    JSON = "json"
    SNIFF = "sniff"
    HTML = "html"
    WARC = "warc"


_TEXT, _JSONL, _JSON, _SNIFF, _HTML, _WARC = InputKind
_SUFFIX_KINDS = {".txt": _TEXT, ".jsonl": _JSONL, ".ndjson": _JSONL, ".json": _JSON, ".html": _HTML, ".htm": _HTML,
                 ".warc": _WARC}
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def iter_inputs(paths: Sequence[str | Path], settings: Settings | None = None) -> Iterator[Article | Failure]:
    """Yield one `Article` per article found in ``paths``, or a `Failure` for what cannot be read.

    A path is a ``.txt`` file (one article, with an optional header), a ``.jsonl`` or
    ``.ndjson`` dump (one JSON object per line; a line with an ``html`` field and no text
    field is a page), a ``.json`` file (one object or a list), an ``.html`` or ``.htm`` page
    (main text and metadata by ``extraction.readers.html``), a ``.warc`` archive (each HTML
    response record an article keyed ``file.warc@OFFSET``, see ``extraction.readers.warc``),
    any of these gzipped (``.gz``, read transparently; a bare ``.gz`` is sniffed), a
    directory (walked recursively, sorted by name, hidden entries skipped, symlinked
    directories not followed), or ``-`` for standard input (JSONL when the first
    non-blank character is ``{``, an HTML page when it starts like one, otherwise one
    plain-text article). Nothing is read
    before it is needed: directories are walked lazily and dumps line by line.

    Failure reasons: ``empty``, ``binary``, ``encoding``, ``json``, ``missing_text``,
    ``too_large``, ``unreadable``, ``warc`` (a truncated or malformed WARC record). A file
    that is not UTF-8 but reads as cp1252 is decoded with a logged warning, not a failure.

    >>> [a.path for a in iter_inputs(["corpora/seeds/004_7e7fffae3bfed34c.txt"])]
    ['corpora/seeds/004_7e7fffae3bfed34c.txt']
    """
    settings = settings if settings is not None else get_settings()
    for given in paths:
        path = os.fspath(given)
        if path == "-":
            yield from _guarded(path, _read_stdin(settings))
        elif os.path.isdir(path):
            for item in _walk(path):
                if isinstance(item, Failure):
                    yield item
                else:
                    yield from _guarded(item, _read_file(item, _kind_of(item) or _SNIFF, settings))
        else:
            yield from _guarded(path, _read_file(path, _kind_of(path) or _SNIFF, settings))


def read_text(path: str, settings: Settings | None = None) -> str:
    r"""The whole text of one file, or of standard input for ``-``, decoded as ingest decodes it
    (UTF-8, UTF-16 with a byte-order mark, else cp1252/cp1251 with a warning; gzip read through),
    line endings made Unix. ``IngestError`` naming the file for what is missing, not a regular
    file, binary, undecodable or over ``max_file_bytes``.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> _ = path.write_bytes("Caf\xe9 owners met on Monday.\r\nThe end.".encode("cp1252"))
    >>> read_text(str(path))
    'Café owners met on Monday.\nThe end.'
    """
    settings = settings if settings is not None else get_settings()
    limit = settings.max_file_bytes
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8", "replace")
    else:
        if not os.path.exists(path):
            raise _Rejected("unreadable", "no such file or directory", path=path)
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise _Rejected("unreadable", "not a regular file", path=path)
        with open(path, "rb") as raw:
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if path.lower().endswith(".gz") else raw
            try:
                data = _read_upto(b"", stream, limit + 1)
            except (OSError, EOFError, zlib.error) as error:
                raise _Rejected("unreadable", f"cannot read: {_os_message(error)}", path=path) from None
    if len(data) > limit:
        raise _Rejected("too_large", f"more than {limit:,} bytes, over the limit max_file_bytes", path=path)
    if _looks_binary(data[:_CHUNK]):
        raise _Rejected("binary", "binary data, not text", path=path)
    return _normalise(decode_bytes(data, path, path=path))


def _kind_of(path: str) -> str | None:
    """The reader for a file name, or None when a directory walk should skip it."""
    name = os.path.basename(path).lower()
    inner = name[:-3] if name.endswith(".gz") else name
    kind = _SUFFIX_KINDS.get(os.path.splitext(inner)[1])
    if kind is None and name.endswith(".gz"):
        return _SNIFF
    return kind


def _walk(directory: str) -> Iterator[str | Failure]:
    """Files under ``directory`` that a reader accepts, depth first, each directory sorted by name."""
    try:
        with os.scandir(directory) as scan:
            names: list[tuple[str, bool]] = []
            for entry in scan:
                if entry.name.startswith("."):
                    continue
                names.append((entry.name, entry.is_dir(follow_symlinks=False)))
                if len(names) == _SORT_LIMIT:
                    logger.warning("%s: more than %d entries, read unsorted", directory, _SORT_LIMIT)
                    break
            else:
                names.sort()
            entries: Iterator[tuple[str, bool]] = iter(names)
            if len(names) == _SORT_LIMIT:
                rest = ((e.name, e.is_dir(follow_symlinks=False)) for e in scan if not e.name.startswith("."))
                entries = _chain(names, rest)
            for name, is_dir in entries:
                path = os.path.join(directory, name)
                if is_dir:
                    yield from _walk(path)
                elif _kind_of(name) is not None:
                    yield path  # _read_file refuses what is not a regular file (a FIFO would block)
    except OSError as error:
        message = f"cannot list directory: {_os_message(error)}"
        yield _Rejected("unreadable", message, path=directory).failure()


def _chain(first: list[tuple[str, bool]], rest: Iterator[tuple[str, bool]]) -> Iterator[tuple[str, bool]]:
    yield from first
    yield from rest


def _guarded(path: str, articles: Iterator[Article | Failure]) -> Iterator[Article | Failure]:
    """Turn what goes wrong while reading one input into a Failure, so the batch goes on."""
    try:
        yield from articles
    except _Rejected as rejected:
        yield rejected.failure()
    except (OSError, EOFError, zlib.error) as error:
        yield _Rejected("unreadable", f"cannot read: {_os_message(error)}", path=path).failure()


def _os_message(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _read_file(path: str, kind: str, settings: Settings) -> Iterator[Article | Failure]:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        reason = "dangling symbolic link" if os.path.islink(path) else "no such file or directory"
        raise _Rejected("unreadable", reason, path=path) from None
    if not stat.S_ISREG(status.st_mode):  # a FIFO, socket or device would block or never end
        raise _Rejected("unreadable", "not a regular file", path=path)
    if kind == _WARC:  # FastWARC reads .warc and .warc.gz itself, record by record
        yield from _read_warc(path, settings)
        return
    gzipped = path.lower().endswith(".gz")
    size = status.st_size
    if kind in (_TEXT, _JSON) and not gzipped:
        limit = settings.max_file_bytes if kind == _JSON else _text_byte_limit(settings)
        if size > limit:
            raise _Rejected("too_large", f"file is {size:,} bytes, {_limit_words(kind, settings)}", path=path)
    with open(path, "rb") as raw:
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
        yield from _read_stream(path, stream, kind, settings)


def _read_stdin(settings: Settings) -> Iterator[Article | Failure]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without a byte buffer (io.StringIO in tests)
        stream = io.BytesIO(sys.stdin.read(settings.max_file_bytes + 1).encode("utf-8", "surrogatepass"))
    yield from _read_stream("-", stream, _SNIFF, settings)


def _read_stream(path: str, stream: IO[bytes], kind: str, settings: Settings) -> Iterator[Article | Failure]:
    prefix = b""
    if kind == _SNIFF:
        # read up to the first non-blank byte to decide: "{" starts a JSONL dump
        read = getattr(stream, "read1", stream.read)  # what is there: do not wait for a full chunk
        while not prefix.strip() and len(prefix) <= _CHUNK:
            chunk = read(_CHUNK)
            if not chunk:
                break
            prefix += chunk
        kind = _JSONL if prefix.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else \
            _HTML if looks_like_html(prefix) else _TEXT
    if kind == _JSONL:
        yield from _read_jsonl(path, io.BufferedReader(_Prefixed(prefix, stream), buffer_size=_CHUNK), settings)
        return
    limit = settings.max_file_bytes if kind in (_JSON, _HTML) else _text_byte_limit(settings)
    data = _read_upto(prefix, stream, limit + 1)
    if len(data) > limit:
        what = "article" if kind == _TEXT else "file"
        raise _Rejected("too_large", f"{what} is more than {limit:,} bytes, {_limit_words(kind, settings)}",
                        path=path)
    if kind == _JSON:
        yield from _read_json(path, data, settings)
    elif kind == _HTML:
        yield _html_article(path, None, path, data, settings)
    else:
        yield _text_article(path, data, settings)


def _read_upto(prefix: bytes, stream: IO[bytes], size: int) -> bytes:
    """``prefix``, then the rest of ``stream``: ``size`` bytes at most. Read in blocks, so that an
    article of a few kilobytes does not cost a buffer the size of the limit (megabytes)."""
    parts = [prefix[:size]]
    left = size - len(parts[0])
    while left > 0:
        block = stream.read(min(left, _BLOCK))
        if not block:
            break
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


class _Prefixed(io.RawIOBase):
    """A byte stream: first ``prefix`` (already read while sniffing), then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream: IO[bytes]):
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _limit_words(kind: str, settings: Settings) -> str:
    """The setting a size limit comes from, with its value, for a too_large message."""
    if kind != _TEXT or settings.max_file_bytes <= 4 * settings.max_article_chars + 4:
        return f"over the limit max_file_bytes={settings.max_file_bytes:,} (CLAIMS_MAX_FILE_BYTES)"
    return (f"too long for max_article_chars={settings.max_article_chars:,} (CLAIMS_MAX_ARTICLE_CHARS; "
            f"at most 4 bytes a character)")


def _text_byte_limit(settings: Settings) -> int:
    # a character takes at most 4 bytes of UTF-8: longer files cannot hold an acceptable article
    return min(settings.max_file_bytes, 4 * settings.max_article_chars + 4)


def _line_byte_limit(settings: Settings) -> int:
    # JSON escapes take up to 6 bytes per character ("\u0416"), plus room for the other fields
    return min(settings.max_file_bytes, 6 * settings.max_article_chars + _CHUNK)


def _read_jsonl(path: str, stream: IO[bytes], settings: Settings, first_line: int = 1) -> Iterator[Article | Failure]:
    limit = _line_byte_limit(settings)
    first = True
    warn = True  # about the first line that is not UTF-8 only, not about each of a million
    for number, raw in _iter_lines(stream, limit, first_line):
        if first:
            first = False
            if _looks_binary(raw or b""):
                raise _Rejected("binary", "binary data, not a JSON lines dump", path=path)
        try:
            if raw is None:
                raise _Rejected("too_large", f"line longer than {limit:,} bytes (at most 6 bytes a character of "
                                f"max_article_chars={settings.max_article_chars:,}, or max_file_bytes)",
                                path=path, line=number)
            if not raw.strip():
                continue
            text, fallback = _decode(raw, path, number)
            if fallback and warn:
                logger.warning("%s:%d: %s (further such lines not reported)", path, number, fallback)
                warn = False
            record = _loads(text, path, number)
            yield _json_article(record, path, f"{path}:{number}", number, settings)
        except _Rejected as rejected:
            yield rejected.failure()


def _iter_lines(stream: IO[bytes], limit: int, first: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line, numbered from ``first``; None instead of a line longer
    than ``limit``, which is skipped."""
    number = first - 1
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(_CHUNK)
            yield number, None
        else:
            yield number, line


def _loads(text: str, path: str, line: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}" if line is None else f"column {error.colno}"
        raise _Rejected("json", f"invalid JSON: {error.msg} ({where})", path=path, line=line) from None
    except (ValueError, RecursionError) as error:  # too deeply nested, or an integer too long to convert
        raise _Rejected("json", f"invalid JSON: {error}", path=path, line=line) from None


def _read_json(path: str, data: bytes, settings: Settings) -> Iterator[Article | Failure]:
    if _looks_binary(data[:_CHUNK]):
        raise _Rejected("binary", "binary data, not JSON", path=path)
    text = decode_bytes(data, path, path=path)
    if not text.strip():
        raise _Rejected("empty", "empty file", path=path)
    document = _loads(text, path, None)
    if not isinstance(document, list):
        yield _json_article(document, path, path, None, settings)
        return
    fields = settings.text_fields
    if not any(isinstance(item, dict) and _first_string(item, fields) is not None for item in document):
        raise _Rejected("missing_text", f"none of its {len(document)} items has a text field "
                        f"(looked for {', '.join(fields)})", path=path)
    for number, item in enumerate(document, 1):
        try:
            yield _json_article(item, path, f"{path}:{number}", number, settings)
        except _Rejected as rejected:
            yield rejected.failure()


def _first_string(record: dict[str, Any], fields: Sequence[str]) -> str | None:
    """The first of ``fields`` that holds a non-blank string (lone surrogates replaced)."""
    for field in fields:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            if _SURROGATES.search(value):
                value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
            return value.strip()
    return None


def _json_article(record: Any, path: str, key: str, line: int | None, settings: Settings) -> Article:
    if not isinstance(record, dict):
        raise _Rejected("json", f"expected a JSON object, got {type(record).__name__}", path=path, line=line)
    text = _first_string(record, settings.text_fields)
    if text is None and (html := _first_string(record, settings.html_fields)) is not None:
        return _html_article(path, line, key, html, settings, url=_first_string(record, settings.url_fields),
                             title=_first_string(record, settings.title_fields),
                             outlet=_first_string(record, settings.outlet_fields),
                             published=_record_date(record, settings))
    if text is None:
        if any(isinstance(record.get(f), str) for f in settings.text_fields):
            raise _Rejected("empty", "text field is blank", path=path, line=line)
        raise _Rejected("missing_text", f"no text field (looked for {', '.join(settings.text_fields)})",
                        path=path, line=line)
    return _article(
        path, line, key, _normalise(text), settings, published=_record_date(record, settings),
        title=_first_string(record, settings.title_fields),
        outlet=_first_string(record, settings.outlet_fields), url=_first_string(record, settings.url_fields),
    )


def _record_date(record: dict[str, Any], settings: Settings) -> date | None:
    for field in settings.date_fields:
        if record.get(field) not in (None, ""):
            return parse_date(record[field])
    return None


def _html_article(path: str, line: int | None, key: str, html: str | bytes, settings: Settings, *,
                  url: str | None = None, content_type: str | None = None, title: str | None = None,
                  outlet: str | None = None, published: date | None = None) -> Article:
    """An HTML page's main text and metadata (``extraction.readers.html``) as an Article; ``title``,
    ``outlet`` and ``published`` given by the input (JSONL fields) win over the page's."""
    if isinstance(html, bytes):
        if _looks_binary(html[:_CHUNK]) and not html.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _Rejected("binary", "binary data, not HTML", path=path, line=line)
        html, charset = decode_html(html, content_type)
        logger.debug("%s: decoded as %s", key, charset)
    page = html_page(html, url=url)
    if not page.text.strip():
        raise _Rejected("empty", "no article text in the HTML page", path=path, line=line)
    return _article(path, line, key, _normalise(page.text), settings, title=title or page.title,
                    outlet=outlet or page.outlet, url=page.url, author=page.author,
                    published=published or page.published or date_from_name(os.path.basename(path)))


def _read_warc(path: str, settings: Settings) -> Iterator[Article | Failure]:
    """Each HTML response of a WARC file as an Article keyed ``file.warc.gz@OFFSET``, its target URI its URL;
    a record that cannot be read is a Failure with the same key, and the file goes on."""
    from extraction.readers.warc import WarcProblem, iter_warc

    for item in iter_warc(path, settings.max_file_bytes):
        key = f"{path}@{item.offset}"
        try:
            if isinstance(item, WarcProblem):
                raise _Rejected(item.reason, item.message, path=key)
            yield _html_article(key, None, key, item.body, settings, url=item.url, content_type=item.content_type)
        except _Rejected as rejected:
            yield rejected.failure()


def _text_article(path: str, data: bytes, settings: Settings) -> Article:
    if _looks_binary(data[:_CHUNK]):
        raise _Rejected("binary", "binary data, not text", path=path)
    text = _normalise(decode_bytes(data, path, path=path))
    if not text.strip():
        raise _Rejected("empty", "empty or whitespace-only", path=path)
    header = parse_header(text)
    published = header.published or date_from_name(os.path.basename(path))
    return _article(path, None, path, header.body, settings, title=header.title, outlet=header.outlet,
                    published=published, url=header.url)


def _article(path: str, line: int | None, key: str, text: str, settings: Settings, *,
             title: str | None, outlet: str | None, published: date | None, url: str | None,
             author: str | None = None) -> Article:
    if len(text) > settings.max_article_chars:
        raise _Rejected("too_large", f"article is {len(text):,} characters, more than "
                        f"max_article_chars={settings.max_article_chars:,}", path=path, line=line)
    author = author or byline_in_text(text)  # before the furniture filter drops the byline's lines
    body = strip_boilerplate(text).strip()
    if not body:
        raise _Rejected("empty", "no article text (only a header or page furniture)", path=path, line=line)
    return Article.from_text(body, key, title=title, outlet=outlet, published=published, url=url, author=author)
