"""Read articles from text files, JSON/JSONL dumps (optionally gzipped), directories and standard input.

`iter_inputs` streams `Article` objects, one per input article, and a `Failure` for every
input it cannot read; a bad file or line never stops the batch. ``Article.path`` is the
resume key: the file path as given, or ``dump.jsonl:LINE`` (1-based) for a line of a
dump, ``list.json:ITEM`` for an item of a JSON list.

The header of a text file (title, outlet, date in its first lines) is read by
`parse_header`; page furniture is removed from every body by `extraction.boilerplate`.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple

from extraction.boilerplate import strip_boilerplate
from extraction.settings import Settings, get_settings
from models.article import Article, Failure
from models.errors import IngestError

__all__ = ["Header", "date_from_name", "decode_bytes", "iter_inputs", "parse_date", "parse_header"]

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20
#: a directory with more entries than this is read in file-system order instead of sorted
_SORT_LIMIT = 100_000
_TEXT, _JSONL, _JSON, _SNIFF = "text", "jsonl", "json", "sniff"
_SUFFIX_KINDS = {".txt": _TEXT, ".jsonl": _JSONL, ".ndjson": _JSONL, ".json": _JSON}
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_LETTERS = re.compile(r"[^\W\d_]{3,}")


class _Rejected(IngestError):
    """An input that becomes a Failure: carries the machine-readable reason."""

    def __init__(self, reason: str, message: str, *, path: str, line: int | None = None):
        super().__init__(message, path=path, line=line)
        self.reason = reason

    def failure(self) -> Failure:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        message = " ".join(f"{where}: {self.message}".split())
        return Failure(path=self.path or "", line=self.line, stage="ingest", reason=self.reason,
                       message=message)


def iter_inputs(paths: Sequence[str | Path], settings: Settings | None = None) -> Iterator[Article | Failure]:
    """Yield one `Article` per article found in ``paths``, or a `Failure` for what cannot be read.

    A path is a ``.txt`` file (one article, with an optional header), a ``.jsonl`` or
    ``.ndjson`` dump (one JSON object per line), a ``.json`` file (one object or a list),
    any of these gzipped (``.gz``, read transparently; a bare ``.gz`` is sniffed), a
    directory (walked recursively, sorted by name, hidden entries skipped, symlinked
    directories not followed), or ``-`` for standard input (JSONL when the first
    non-blank character is ``{``, otherwise one plain-text article). Nothing is read
    before it is needed: directories are walked lazily and dumps line by line.

    Failure reasons: ``empty``, ``binary``, ``encoding``, ``json``, ``missing_text``,
    ``too_large``, ``unreadable``. A file that is not UTF-8 but reads as cp1252 is
    decoded with a logged warning, not a failure.

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
                    yield path
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
    if not os.path.exists(path):
        reason = "dangling symbolic link" if os.path.islink(path) else "no such file or directory"
        raise _Rejected("unreadable", reason, path=path)
    gzipped = path.lower().endswith(".gz")
    size = os.path.getsize(path)
    if kind in (_TEXT, _JSON) and not gzipped:
        limit = settings.max_file_bytes if kind == _JSON else _text_byte_limit(settings)
        if size > limit:
            message = f"file is {size:,} bytes, more than {limit:,} (see max_file_bytes, max_article_chars)"
            raise _Rejected("too_large", message, path=path)
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
        kind = _JSONL if prefix.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else _TEXT
    reader = io.BufferedReader(_Prefixed(prefix, stream), buffer_size=_CHUNK)
    if kind == _JSONL:
        yield from _read_jsonl(path, reader, settings)
        return
    limit = settings.max_file_bytes if kind == _JSON else _text_byte_limit(settings)
    data = reader.read(limit + 1)
    if len(data) > limit:
        what = "file" if kind == _JSON else "article"
        message = f"{what} is more than {limit:,} bytes (see max_file_bytes, max_article_chars)"
        raise _Rejected("too_large", message, path=path)
    if kind == _JSON:
        yield from _read_json(path, data, settings)
    else:
        yield _text_article(path, data, settings)


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


def _text_byte_limit(settings: Settings) -> int:
    # a character takes at most 4 bytes of UTF-8: longer files cannot hold an acceptable article
    return min(settings.max_file_bytes, 4 * settings.max_article_chars + 4)


def _line_byte_limit(settings: Settings) -> int:
    # JSON escapes take up to 6 bytes per character ("\u0416"), plus room for the other fields
    return min(settings.max_file_bytes, 6 * settings.max_article_chars + _CHUNK)


def _read_jsonl(path: str, stream: IO[bytes], settings: Settings) -> Iterator[Article | Failure]:
    limit = _line_byte_limit(settings)
    first = True
    warn = True  # about the first line that is not UTF-8 only, not about each of a million
    for number, raw in _iter_lines(stream, limit):
        if first:
            first = False
            if _looks_binary(raw or b""):
                raise _Rejected("binary", "binary data, not a JSON lines dump", path=path)
        try:
            if raw is None:
                raise _Rejected("too_large", f"line longer than {limit:,} bytes", path=path, line=number)
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


def _iter_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; None instead of a line longer than ``limit``, which is skipped."""
    number = 0
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
    if text is None:
        if any(isinstance(record.get(f), str) for f in settings.text_fields):
            raise _Rejected("empty", "text field is blank", path=path, line=line)
        raise _Rejected("missing_text", f"no text field (looked for {', '.join(settings.text_fields)})",
                        path=path, line=line)
    published = None
    for field in settings.date_fields:
        if record.get(field) not in (None, ""):
            published = parse_date(record[field])
            break
    return _article(
        path, line, key, _normalise(text), settings, published=published,
        title=_first_string(record, settings.title_fields),
        outlet=_first_string(record, settings.outlet_fields), url=_first_string(record, settings.url_fields),
    )


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
             title: str | None, outlet: str | None, published: date | None, url: str | None) -> Article:
    if len(text) > settings.max_article_chars:
        raise _Rejected("too_large", f"article is {len(text):,} characters, more than "
                        f"max_article_chars={settings.max_article_chars:,}", path=path, line=line)
    body = strip_boilerplate(text).strip()
    if not body:
        raise _Rejected("empty", "no article text (only a header or page furniture)", path=path, line=line)
    return Article.from_text(body, key, title=title, outlet=outlet, published=published, url=url)


def _normalise(text: str) -> str:
    """Unix line endings, no byte-order mark."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control bytes: not text (a UTF-16 file with its byte-order mark is text)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.1 * len(sample)


def decode_bytes(data: bytes, where: str, *, path: str, line: int | None = None) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with a BOM; fall back to cp1252 (or cp1251 for
    Cyrillic) with a logged warning when the bytes read as plausible text; raise IngestError otherwise.

    >>> decode_bytes("café".encode("cp1252"), "x.txt", path="x.txt")
    'café'
    """
    text, fallback = _decode(data, path, line)
    if fallback:
        logger.warning("%s: %s", where, fallback)
    return text


def _decode(data: bytes, path: str, line: int | None) -> tuple[str, str | None]:
    """The text, and what to warn about when it was not UTF-8."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), None
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        problem = f"{error.reason} at byte {error.start}"
    legacy = _decode_legacy(data)
    if legacy is None:
        raise _Rejected("encoding", f"not UTF-8 ({problem}) and not readable as cp1252", path=path, line=line)
    return legacy[0], f"not UTF-8 ({problem}); decoded as {legacy[1]}"


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if _CONTROL_CHARS.search(text):
        return None
    words = [w for w in _LETTERS.findall(text) if not w.isascii()]
    if len(words) >= 3 and sum(1 for w in words if not any(c.isascii() for c in w)) > 0.5 * len(words):
        # words made only of accented letters: Cyrillic read with the wrong code page
        try:
            cyrillic = data.decode("cp1251")
        except UnicodeDecodeError:
            cyrillic = ""
        high = [c for c in cyrillic if ord(c) > 127]
        cyrillic_letters = sum(1 for c in high if "\u0400" <= c <= "\u04ff" and c.isalpha())
        if high and cyrillic_letters > 0.9 * len(high):
            return cyrillic, "cp1251"
    visible = len(text) - text.count(" ") - text.count("\n")
    non_ascii = sum(1 for c in text if ord(c) > 127)
    if non_ascii > 0.3 * max(visible, 1):
        return None  # mostly high bytes: not Western text
    return text, "cp1252"


# --- headers and dates -------------------------------------------------------------------

_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}
_DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(rf"(?<![a-z]){_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
)
_COMPACT_DATE = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?\d{4,6}Z?)?")
_NAME_DATE = re.compile(r"(?<![\dA-Za-z])(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})(?=T\d|[^\dA-Za-z]|$)")
# what may surround the date on a line that is nothing but a date: times, zones, weekdays
_DATE_LINE_REST = re.compile(
    r"(?:[\W\d_]|t(?=\d)|z\b|published|updated|posted|last|modified|date|on|at|[ap]\.?m\.?|gmt|utc|bst|cet|cest"
    r"|eet|eest|est|edt|et|pt|pst|pdt|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)*",
    re.I,
)
_NO_TITLE = re.compile(r"\(no (?:headline|title)\b[^)]*\)", re.I)
_DATE_FIELD = re.compile(r"(?:\d{4}|unknown|undated|no date|n/a)\b", re.I)
_URL = re.compile(r"https?://(?:www\.)?([^/\s:?#]+)", re.I)
_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.I)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_KEY_VALUE = re.compile(r"[\w -]+[=:]")
_TRAILING_PUNCTUATION = re.compile(r"[.,;:\u2014\u2013-][\"'”’»)\]]*$")
_LIST_ITEM = re.compile(r"[-*•–]\s|\d+[.)]\s")


class Header(NamedTuple):
    """What `parse_header` found at the top of a text file; ``body == text[body_offset:]``."""

    title: str | None
    outlet: str | None
    published: date | None
    body: str
    body_offset: int
    url: str | None = None


def parse_header(text: str) -> Header:
    """Split a text file into its header fields and its body (what claims' offsets point into).

    Recognised, first match wins: (a) the corpus format: a title line (``(no headline
    recorded in source)`` means none), a ``date | outlet | notes`` line, a blank line;
    (b) a block of short lines at the top, one of them a date or timestamp
    (``Outlet`` / ``Title`` / ``2024-11-20 07:00:02``); (c) a first line that reads as a
    headline (at most 20 words, no final full stop) followed by the body. Otherwise
    there is no header and the body is the whole text.

    >>> parse_header("Kyiv under fire\\n2024-08-15 | kyivpost.com\\n\\nTwo people died.")[:4]
    ('Kyiv under fire', 'kyivpost.com', datetime.date(2024, 8, 15), 'Two people died.')
    """
    lines = text.split("\n", 16)  # only the top of the text matters; the last item is the rest
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found = _corpus_header(text, lines, starts) or _block_header(text, lines, starts)
    return found or _headline_header(text, lines, starts) or Header(None, None, None, text, 0)


def _header(text: str, lines: list[str], starts: list[int], index: int, title: str | None,
            outlet: str | None, published: date | None, url: str | None = None) -> Header:
    """A Header whose body starts at the first non-blank line from ``index`` on."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    offset = starts[index] if index < len(lines) else len(text)
    return Header(title, outlet, published, text[offset:], offset, url)


def _corpus_header(text: str, lines: list[str], starts: list[int]) -> Header | None:
    if len(lines) < 3 or lines[2].strip() or " | " not in lines[1]:
        return None
    title = lines[0].strip()
    fields = [field.strip() for field in lines[1].split(" | ")]
    if not title or len(title) > 500 or not _DATE_FIELD.match(fields[0]):
        return None
    published = _parse_date_text(_PARENTHESES.sub("", fields[0]).strip(), fallback=False)
    outlet = url = None
    one_of: list[str] = []
    collecting = False
    for position, field in enumerate(fields[1:], 1):
        bare = _PARENTHESES.sub("", field).strip()
        if collecting and _DOMAIN.fullmatch(bare):
            one_of.append(bare)
            continue
        collecting = False
        if _URL.match(field):
            url = url or field
        elif bare.lower().startswith("outlet="):
            outlet = bare[len("outlet="):].strip() or None
        elif bare.lower().startswith("outlet one of:"):
            first = bare.split(":", 1)[1].strip()
            one_of, collecting = ([first] if _DOMAIN.fullmatch(first) else []), True
        elif position == 1 and not _KEY_VALUE.match(field):
            outlet = re.split(r"\s*[,(]", field)[0].strip() or None  # "Yle Selkouutiset (plain...), ..."
    if outlet is None and one_of:
        outlet = " | ".join(one_of)  # the source only narrows it down to these
    if outlet is None and url is not None and (host := _URL.match(url)):
        outlet = host.group(1).lower()
    title_or_none = None if _NO_TITLE.fullmatch(title) else title
    return _header(text, lines, starts, 3, title_or_none, outlet, published, url)


def _block_header(text: str, lines: list[str], starts: list[int]) -> Header | None:
    filled = [(i, lines[i].strip()) for i in range(min(len(lines) - 1, 16)) if lines[i].strip()][:5]
    position = next((k for k, (_, line) in enumerate(filled[:4]) if _date_line(line) is not None), None)
    if position is None or not all(_headline_like(line, 25) for _, line in filled[:position]):
        return None
    index, line = filled[position]
    published = _date_line(line)
    before = [line for _, line in filled[:position] if not line.lower().startswith("by ")]
    title = outlet = None
    if before:
        title = max(before, key=len)
        outlet = next((line for line in before if line is not title and len(line.split()) <= 5), None)
    elif len(filled) > position + 2 and _headline_like(filled[position + 1][1], 20):
        index, title = filled[position + 1]  # the date comes first, then the title
    return _header(text, lines, starts, index + 1, title, outlet, published)


def _headline_header(text: str, lines: list[str], starts: list[int]) -> Header | None:
    first = lines[0].strip()
    if len(lines) < 2 or len(first.split()) < 2 or not _headline_like(first, 20):
        return None
    if not (first[0].isupper() or first[0].isdigit() or first[0] in "\"'“‘«"):
        return None
    header = _header(text, lines, starts, 1, first, None, None)
    return header if header.body.strip() else None


def _headline_like(line: str, max_words: int) -> bool:
    """Short, without a final full stop or comma, not a list item."""
    return (len(line) <= 200 and len(line.split()) <= max_words
            and not _TRAILING_PUNCTUATION.search(line) and not _LIST_ITEM.match(line))


def _date_line(line: str) -> date | None:
    """The date of a line that holds nothing but a date (with a time, zone or weekday), else None."""
    if len(line) > 60:
        return None
    for form in _DATE_FORMS:
        match = form.search(line)
        if match and _DATE_LINE_REST.fullmatch(line[: match.start()] + " " + line[match.end():]):
            return _make_date(match)
    return None


def _make_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"][:3].lower()]
    try:
        found = date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2100 else None


def date_from_name(name: str) -> date | None:
    """A date in a file name: ``20220420T124500_US_x.txt``, ``F_2026-02-23_x.txt``, ``20240815_02_x.txt``."""
    match = _NAME_DATE.search(name)
    return _make_date(match) if match else None


def parse_date(value: object) -> date | None:
    """A publication date from a JSON value: ISO strings, ``20220420T124500Z``, ``20 April 2022``,
    ``Apr 20, 2022``, ``20.04.2022``, epoch seconds or milliseconds; other strings through
    dateparser. None when nothing sensible (1900-2100) is found.

    >>> parse_date("2022-04-20T12:45:00Z"), parse_date("Wed, 20 Apr 2022 12:45:00 GMT")
    (datetime.date(2022, 4, 20), datetime.date(2022, 4, 20))
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            found = datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
        return found if 1900 <= found.year <= 2100 else None
    if isinstance(value, str) and 0 < len(value.strip()) <= 80:
        return _parse_date_text(value.strip())
    return None


@lru_cache(maxsize=4096)
def _parse_date_text(text: str, fallback: bool = True) -> date | None:
    if text.isdigit() and len(text) in (10, 13):
        return parse_date(int(text))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return parsed.date() if 1900 <= parsed.year <= 2100 else None
    if match := _COMPACT_DATE.fullmatch(text):
        return _make_date(match)
    for form in _DATE_FORMS:
        if match := form.search(text):
            return _make_date(match)
    if not fallback or not any(c.isdigit() for c in text):
        return None
    try:
        import dateparser  # slow to import and to run: only for formats the rules above miss

        parsed = dateparser.parse(text, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # noqa: BLE001 -- dateparser raises assorted errors on odd strings
        return None
    return parsed.date() if parsed is not None and 1900 <= parsed.year <= 2100 else None
