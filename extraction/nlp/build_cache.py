"""A disk cache for what building the pipeline derives from data files and the tokenizer (the
gazetteers' tokenised forms), so that a process starts in a fraction of the time.

An entry is a JSON file ``<name>-<key>.json`` in the cache directory (``Settings.cache_dir``,
by default the user's cache directory). Its key is the SHA-256 of everything the value was
computed from (the caller passes it all: the forms, the tokenizer's rules and patterns, the spaCy
and extractor versions), and the file repeats the whole key: an entry is used only for the very
inputs it was made from, so it is never stale. A missing, unreadable or foreign file is a miss
(the value is computed again and rewritten); a directory that cannot be written costs only the
time the cache would have saved. Entries are written to a temporary file and renamed into
place, so processes building pipelines at the same time never read half an entry.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> cached(folder, "demo", fingerprint("inputs", b"v1"), lambda: [["New", "York"]])
[['New', 'York']]
>>> cached(folder, "demo", fingerprint("inputs", b"v1"), lambda: "not computed again")
[['New', 'York']]
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Bump when the layout of an entry changes.
FORMAT = 1
#: Entries kept per name (the most recently used): worktrees and versions side by side share one
#: directory, and each keeps its own entry.
KEEP = 8


def fingerprint(*parts: str | bytes) -> str:
    """The hex SHA-256 of ``parts`` (length-prefixed, so no two lists of parts collide by
    concatenation) and of ``FORMAT``."""
    digest = hashlib.sha256(f"claims-build-cache:{FORMAT}".encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def cached(directory: Path | None, name: str, key: str, compute: Callable[[], Any]) -> Any:
    """The value stored under ``name`` and ``key`` in ``directory``, else ``compute()``, stored
    there for the next process (a JSON value). With no directory it is just ``compute()``."""
    if directory is None:
        return compute()
    path = directory / f"{name}-{key[:32]}.json"
    try:
        entry = json.loads(path.read_bytes())
    except (OSError, ValueError):
        entry = None
    if isinstance(entry, dict) and entry.get("key") == key and "value" in entry:
        _touch(path)
        return entry["value"]
    value = compute()
    _store(path, {"key": key, "value": value})
    return value


def _touch(path: Path) -> None:
    try:
        os.utime(path)  # the most recently used entries are the ones kept
    except OSError:
        pass


def _store(path: Path, entry: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(path)
    except OSError as exc:
        log.debug("build cache not written to %s: %s", path.parent, exc)


def _prune(path: Path) -> None:
    """Keep the ``KEEP`` most recently used entries of this name."""
    name = path.name.rsplit("-", 1)[0]
    entries = []
    for other in path.parent.glob(f"{name}-*.json"):
        try:
            entries.append((other.stat().st_mtime, other))
        except OSError:
            continue
    for _, old in sorted(entries, reverse=True)[KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass
