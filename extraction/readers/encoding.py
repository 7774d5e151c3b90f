"""Bytes to text as every reader needs it: UTF-8 (with or without BOM) or UTF-16 with a BOM,
else a legacy code page when the bytes read as plausible text; binary data refused; Unix line
endings. ``Rejected`` is the error a reader raises for an input that becomes a ``Failure``.
Pure: no spaCy.

>>> decode_bytes("café".encode("cp1252"), "x.txt", path="x.txt")
'café'
"""

from __future__ import annotations

import logging
import re

from models.article import Failure
from models.errors import IngestError

__all__ = ["Rejected", "decode", "decode_bytes", "looks_binary", "normalise_newlines"]

logger = logging.getLogger(__name__)

_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LETTERS = re.compile(r"[^\W\d_]{3,}")


class Rejected(IngestError):
    """An input that becomes a Failure: carries the machine-readable reason."""

    def __init__(self, reason: str, message: str, *, path: str, line: int | None = None):
        super().__init__(message, path=path, line=line)
        self.reason = reason

    def failure(self) -> Failure:
        # the message does not repeat the path and line: Failure.one_line puts them in front
        return Failure(path=self.path or "", line=self.line, stage="ingest", reason=self.reason,
                       message=self.message)


def normalise_newlines(text: str) -> str:
    """Unix line endings, no byte-order mark."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def looks_binary(sample: bytes) -> bool:
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
    text, fallback = decode(data, path, line)
    if fallback:
        logger.warning("%s: %s", where, fallback)
    return text


def decode(data: bytes, path: str, line: int | None) -> tuple[str, str | None]:
    """The text, and what to warn about when it was not UTF-8."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), None
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        problem = f"{error.reason} at byte {error.start}"
    legacy = _decode_legacy(data)
    if legacy is None:
        raise Rejected("encoding", f"not UTF-8 ({problem}) and not readable as cp1252", path=path, line=line)
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
