"""A progress bar for long runs (rich), or nothing at all off a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from extraction.runner import RunSummary


@contextmanager
def progress_reporter(show: bool) -> Iterator[Callable[[RunSummary], None] | None]:
    """Yield a callback that draws articles, articles/s, claims and failures; None when hidden."""
    if not show:
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def report(s: RunSummary) -> None:
            rate = s.articles / s.seconds if s.seconds else 0.0
            bar.update(task, description=f"{s.articles} articles ({rate:.0f}/s), {s.claims} claims, "
                                         f"{s.failed} failed")

        yield report
