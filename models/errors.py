"""The library's errors: one base class, one subclass per stage.

Each error names the file (and line, when there is one) it is about, and prints as a
single line, so the CLI can show ``str(error)`` as it is.

>>> str(IngestError("not valid JSON: Expecting value", path="dump.jsonl", line=12))
'dump.jsonl:12: not valid JSON: Expecting value'
"""

from __future__ import annotations

import os


class ClaimsError(Exception):
    """Base of every error the library raises on purpose."""

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        text = self.message
        if self.path is not None:
            where = f"{self.path}:{self.line}" if self.line is not None else self.path
            text = f"{where}: {text}"
        return " ".join(text.split())

    def __reduce__(self) -> tuple[object, ...]:
        # keep path and line when an error crosses a process boundary (worker pools pickle it)
        return (self.__class__, (self.message,), {"path": self.path, "line": self.line})


class IngestError(ClaimsError):
    """An input could not be read as an article (missing, binary, bad encoding, bad JSON, ...)."""


class ExtractError(ClaimsError):
    """The pipeline failed on an article."""


class StoreError(ClaimsError):
    """The claim store could not be opened, read or written."""
