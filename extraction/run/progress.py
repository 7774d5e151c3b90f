"""Progress of a long ingest run: a rich bar on a terminal, JSON lines in logs, or nothing.

``claims ingest`` picks the form: a bar (articles, articles/s, claims, failures, elapsed
time and, when the number of inputs can be counted cheaply, an ETA) when standard error
is a terminal; otherwise one JSON object per line every ``every`` seconds, for CI logs;
nothing with ``--quiet``. The corpus pass after extraction (copies, then claim groups)
reports on a second bar, or as ``{"corpus_pass": ...}`` lines.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from extraction.run.runner import RunSummary

Report = Callable[[RunSummary], None]
#: (phase, done, total): phase "copies" counts articles, "groups" claims
CorpusReport = Callable[[str, int, int], None]

#: JSONL dumps larger than this are not counted for the ETA (it would take too long)
_COUNT_LIMIT = 8 << 30
_BLOCK = 1 << 22


def count_inputs(paths: Sequence[str | Path], limit_bytes: int = _COUNT_LIMIT) -> int | None:
    """How many articles ``paths`` hold, when that is cheap to know: a plain file is one
    article, an uncompressed JSONL dump one per line (counted at disk speed). None for
    directories, gzipped, JSON or WARC files, standard input, or more than ``limit_bytes`` of dumps.

    >>> count_inputs([])
    0
    """
    total, budget = 0, limit_bytes
    for given in paths:
        path = os.fspath(given)
        name = path.lower()
        if path == "-" or os.path.isdir(path) or name.endswith((".gz", ".json", ".warc")):
            return None
        if not name.endswith((".jsonl", ".ndjson")):
            total += 1
            continue
        try:
            size = os.path.getsize(path)
            if size > budget:
                return None
            budget -= size
            total += _count_lines(path)
        except OSError:
            total += 1  # it will be one failure
    return total


def _count_lines(path: str) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


@contextmanager
def progress_reporter(mode: str, paths: Sequence[str | Path] = (), write: Callable[[str], None] | None = None,
                      every: float = 30.0) -> Iterator[Report | None]:
    """Yield a progress callback for ``ingest``: ``mode`` is ``bar`` (rich, on a terminal),
    ``lines`` (``write`` gets a JSON line at most every ``every`` seconds) or ``none``
    (the callback is None). For the bar, ``paths`` are counted in the background for an ETA.
    The callback's ``corpus`` attribute (a ``CorpusReport``) reports the corpus pass.
    """
    if mode == "lines" and write is not None:
        yield _line_reporter(write, every)
    elif mode == "bar":
        with _bar(paths) as report:
            yield report
    else:
        yield None


def _line_reporter(write: Callable[[str], None], every: float) -> Report:
    last = [time.monotonic()]

    def report(s: RunSummary) -> None:
        now = time.monotonic()
        if now - last[0] >= every:
            last[0] = now
            rate = s.inputs / s.seconds if s.seconds else 0.0
            write(json.dumps({"progress": {"articles": s.articles, "claims": s.claims, "failed": s.failed,
                                           "articles_per_second": round(rate, 1), "seconds": round(s.seconds, 1)}}))

    start = [0.0]

    def corpus(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        start[0] = start[0] or now
        if now - last[0] >= every:
            last[0] = now
            write(json.dumps({"corpus_pass": {"phase": phase, "done": done, "total": total,
                                              "seconds": round(now - start[0], 1)}}))

    report.corpus = corpus  # type: ignore[attr-defined]
    return report


@contextmanager
def _bar(paths: Sequence[str | Path]) -> Iterator[Report]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (SpinnerColumn(), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def count() -> None:  # a big dump takes seconds to count: do not hold up the run
            total = count_inputs(paths)
            if total is not None:
                bar.update(task, total=total)

        if paths:
            threading.Thread(target=count, name="count-inputs", daemon=True).start()

        def report(s: RunSummary) -> None:
            rate = s.inputs / s.seconds if s.seconds else 0.0
            bar.update(task, completed=s.inputs,
                       description=f"{rate:,.0f} articles/s, {s.claims:,} claims, {s.failed:,} failed")

        phases: dict[str, object] = {}

        def corpus(phase: str, done: int, total: int) -> None:
            if phase not in phases:
                label = "corpus pass: copied articles" if phase == "copies" else "corpus pass: claim groups"
                phases[phase] = bar.add_task(label, total=total or None)
            bar.update(phases[phase], completed=done)  # type: ignore[arg-type]

        report.corpus = corpus  # type: ignore[attr-defined]
        yield report
