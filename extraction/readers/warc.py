"""WARC and WARC.gz archives -> the HTML pages of their response records, streamed (FastWARC).

`iter_warc` reads one record at a time, so a 1 GB archive runs in the memory of its largest
page. Only ``response`` records whose HTTP status is 2xx and whose body is HTML are pages;
request, metadata, revisit and non-HTML records are skipped silently. A record that is
truncated, whose HTTP head cannot be parsed, or a gzip member that does not decompress is a
`WarcProblem` naming its byte offset (in the file as stored, compressed or not), and reading
goes on with the next record: FastWARC re-synchronises on the next ``WARC/1.x`` line of a plain
archive, and after a broken gzip member this module restarts at the next member.

Usage::

    for item in iter_warc("crawl.warc.gz"):
        print(item.offset, item.url if isinstance(item, WarcPage) else item.message)
"""

from __future__ import annotations

import gzip
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

__all__ = ["WarcPage", "WarcProblem", "iter_warc"]

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SCAN = 1 << 20


@dataclass(frozen=True)
class WarcPage:
    """An HTML response: where it starts in the file, its target URI, Content-Type and body bytes."""

    offset: int
    url: str | None
    content_type: str | None
    body: bytes


@dataclass(frozen=True)
class WarcProblem:
    """A record that could not be read: its byte offset, a reason (``warc``, ``too_large``) and what is wrong."""

    offset: int
    reason: str
    message: str


def iter_warc(path: str, max_bytes: int = 200_000_000) -> Iterator[WarcPage | WarcProblem]:
    """Yield a `WarcPage` per HTML response record of the WARC file at ``path`` (gzipped or not), in order,
    and a `WarcProblem` per record that cannot be read; never raises for a bad record.

    A body longer than ``max_bytes`` is a ``too_large`` problem and is not read. OSError on opening
    the file propagates (the caller reports the file as unreadable).
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with open(path, "rb") as raw:
        gzipped = raw.read(3) == _GZIP_MAGIC
        magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
        start, seen = 0, False
        while True:
            raw.seek(start)
            current = done = None
            try:
                # every record type, so that each record read is known to be whole (done)
                for record in ArchiveIterator(raw, parse_http=False, verify_digests=False):
                    seen = True
                    current = record.stream_pos  # from the start of the file, also after a seek
                    item = _page(record, current, max_bytes) if record.record_type == WarcRecordType.response \
                        else None
                    done = current
                    if item is not None:
                        yield item
                break
            except (OSError, EOFError, ValueError, zlib.error) as error:
                broken = current if current is not None and current != done else \
                    _next(raw, magic, (done + 1) if done is not None else start)
                if broken is None:
                    break
                seen = True
                yield WarcProblem(broken, "warc", f"record at byte offset {broken}: cannot be read "
                                  f"({_message(error)}); skipped")
                following = _next(raw, magic, broken + 1)
                if following is None:
                    break
                start = following
        if not seen:
            size = os.fstat(raw.fileno()).st_size
            yield WarcProblem(0, "warc", "no WARC record found" if size else "empty file")


def _page(record: Any, offset: int, max_bytes: int) -> WarcPage | WarcProblem | None:
    url = record.headers.get("WARC-Target-URI")
    record.parse_http()
    http = record.http_headers
    status = http.status_code if http is not None else None
    if status is None:
        return WarcProblem(offset, "warc", f"record at byte offset {offset} ({url}): no HTTP status line; skipped")
    if not 200 <= status < 300:
        logger.debug("offset %d: HTTP status %s, skipped", offset, status)
        return None
    content_type = http.get("Content-Type")
    if content_type is not None and not content_type.strip().lower().startswith(_HTML_TYPES):
        return None
    declared = record.content_length
    if declared > max_bytes:
        return WarcProblem(offset, "too_large", f"record at byte offset {offset} ({url}): body is "
                           f"{declared:,} bytes, more than {max_bytes:,}; skipped")
    body = record.reader.read()
    if len(body) < declared:
        return WarcProblem(offset, "warc", f"record at byte offset {offset} ({url}): truncated, "
                           f"{len(body):,} of {declared:,} bytes; skipped")
    encoding = (http.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            body = gzip.decompress(body) if "gzip" in encoding else zlib.decompress(body)
        except (OSError, EOFError, zlib.error) as error:
            return WarcProblem(offset, "warc", f"record at byte offset {offset} ({url}): body does not "
                               f"{encoding}-decompress ({_message(error)}); skipped")
    if content_type is None:
        from extraction.readers.html import looks_like_html

        if not looks_like_html(body):
            return None
    return WarcPage(offset=offset, url=url, content_type=content_type, body=body)


def _next(raw: IO[bytes], magic: bytes, position: int) -> int | None:
    """The offset of the next ``magic`` at or after ``position``, or None."""
    raw.seek(position)
    carry = b""
    base = position
    while chunk := raw.read(_SCAN):
        data = carry + chunk
        found = data.find(magic)
        if found >= 0:
            return base + found
        carry = data[-(len(magic) - 1):]
        base += len(data) - len(carry)
    return None


def _message(error: BaseException) -> str:
    return str(error) or type(error).__name__
