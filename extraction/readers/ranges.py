"""Inputs cut into units of work for a cluster: byte ranges of JSONL dumps, and runs of files.

`plan_units` turns the paths of an ingest run into `InputUnit` s in reading order, without
reading an article: an uncompressed ``.jsonl``/``.ndjson`` dump larger than the target size
becomes byte ranges that start and end at line starts (the parent counts the newlines before
each, so an article keeps its key ``dump.jsonl:LINE``); other files (text, HTML, JSON, WARC,
gzipped dumps) are grouped into runs of whole files up to the target size. A worker reads its
unit with `read_unit`, which yields exactly what `extraction.readers.ingest.iter_inputs` yields
for the same lines or files, so a cluster run stores what a local run stores.

Usage::

    [(u.start, u.line) for u in plan_units(["dump.jsonl"], target_bytes=8 << 20)]
    # [(0, 1), (8389120, 11023), (16777901, 22061)]
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extraction.readers.ingest import _JSONL, _guarded, _kind_of, _read_jsonl, _walk, iter_inputs
from extraction.run.settings import Settings, get_settings
from models.article import Article, Failure

__all__ = ["InputUnit", "plan_units", "read_unit"]

#: bytes of input per unit by default: about 1,500 news articles of a JSONL dump
UNIT_BYTES = 8 << 20
#: files per unit at most (many small text files)
UNIT_FILES = 500
_BLOCK = 1 << 20


@dataclass(frozen=True)
class InputUnit:
    """Whole files (``end`` is -1), or the lines of one uncompressed JSONL dump that start in
    bytes ``start``-``end`` (exclusive), the first of them line number ``line`` (1-based)."""

    paths: tuple[str, ...]
    start: int = 0
    end: int = -1
    line: int = 1

    @property
    def key(self) -> str:
        """A name for logs and errors: ``dump.jsonl@0-8388608`` or the first file's path."""
        return f"{self.paths[0]}@{self.start}-{self.end}" if self.end >= 0 else self.paths[0]


def plan_units(paths: Sequence[str | Path], target_bytes: int | None = None,
               max_files: int = UNIT_FILES) -> Iterator[InputUnit | Failure]:
    """The units of ``paths`` in reading order (directories walked as ``iter_inputs`` walks
    them), of about ``target_bytes`` (default ``UNIT_BYTES``) each; a directory that cannot be
    listed is a ``Failure``. ``-`` (standard input) cannot be cut up: the caller reads it itself."""
    target_bytes = target_bytes or UNIT_BYTES
    files: list[str] = []
    size = 0
    for given in paths:
        path = os.fspath(given)
        for item in _walk(path) if os.path.isdir(path) else (path,):
            if isinstance(item, Failure):
                yield item
                continue
            length = _size(item)
            if _kind_of(item) == _JSONL and not item.lower().endswith(".gz") and length > target_bytes:
                if files:
                    yield InputUnit(tuple(files))
                    files, size = [], 0
                yield from _dump_ranges(item, length, target_bytes)
                continue
            if files and (size + length > target_bytes or len(files) >= max_files):
                yield InputUnit(tuple(files))
                files, size = [], 0
            files.append(item)
            size += length
    if files:
        yield InputUnit(tuple(files))


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # read_unit reports it


def _dump_ranges(path: str, size: int, target: int) -> Iterator[InputUnit]:
    """Byte ranges of about ``target`` bytes of a JSONL dump, cut after a newline; reads the
    file once (counting newlines), not its JSON."""
    start, line = 0, 1
    with open(path, "rb") as fh:
        while start < size:
            fh.seek(min(start + target, size))
            if fh.tell() < size:
                fh.readline()  # to the next line start
            end = fh.tell()
            fh.seek(start)
            newlines, left = 0, end - start
            while left > 0:
                block = fh.read(min(_BLOCK, left))
                if not block:
                    break
                newlines += block.count(b"\n")
                left -= len(block)
            yield InputUnit((path,), start, end, line)
            start, line = end, line + newlines


def read_unit(unit: InputUnit, settings: Settings | None = None) -> Iterator[Article | Failure]:
    """The articles (and failures) of ``unit``, as ``iter_inputs`` reads them from the same files or lines."""
    settings = settings if settings is not None else get_settings()
    if unit.end < 0:
        yield from iter_inputs(list(unit.paths), settings)
        return
    path = unit.paths[0]

    def lines() -> Iterator[Article | Failure]:
        with open(path, "rb") as raw:
            raw.seek(unit.start)
            reader = io.BufferedReader(_Window(raw, unit.end - unit.start), buffer_size=_BLOCK)
            yield from _read_jsonl(path, reader, settings, unit.line)

    yield from _guarded(path, lines())


class _Window(io.RawIOBase):
    """At most ``length`` bytes of ``stream`` from where it stands."""

    def __init__(self, stream: Any, length: int) -> None:
        self._stream, self._left = stream, length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(min(len(buffer), self._left))
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)
