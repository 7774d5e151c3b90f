"""The commands that write the store: ``ingest`` and ``refresh``. Each is a few lines around one
library function (``extraction.run.runner.ingest``, ``extraction.corpus.refresh.refresh``)."""

from __future__ import annotations

import json
import signal
import sys
from typing import Annotated, Optional

import typer

from extraction.cli.app import DEFAULT_DB, EXIT_PARTIAL, DbOpt, _existing, _fatal, _setup_logging, app
from models.errors import ClaimsError


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, JSONL(.gz) dumps, HTML pages, "
                                                         "WARC(.gz) archives, or - for stdin.")],
    db: DbOpt = DEFAULT_DB,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, envvar="CLAIMS_WORKERS",
                                                   help="Extraction processes (default: the cores).")] = None,
    engine: Annotated[str, typer.Option(help="local (worker processes) or dask (a Dask cluster).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")]
    = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress; summary as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    corpus_pass: Annotated[bool, typer.Option(
        "--corpus-pass/--no-corpus-pass",
        help="Recompute copies, claim groups and conflicts at the end (skip it when ingesting many "
             "dumps one after another, then run 'claims refresh' once).")] = True,
) -> None:
    """Read articles, extract their claims and store them (re-running skips stored articles).

    A stopped run (Ctrl-C, kill) goes on where it stopped when started again.
    Example: claims ingest dump.jsonl.gz --db claims.db --workers 4
    """
    from extraction.run.progress import progress_reporter
    from extraction.run.runner import ENGINES
    from extraction.run.runner import ingest as run_ingest

    if engine not in ENGINES:
        raise typer.BadParameter(f"--engine must be one of {', '.join(ENGINES)}")
    if engine == "dask" and not scheduler:
        raise typer.BadParameter("--engine dask needs --scheduler ADDRESS")
    _setup_logging(verbose, quiet)
    mode = "none" if quiet else "bar" if sys.stderr.isatty() else "lines"
    previous = signal.signal(signal.SIGTERM, _interrupted)  # kill: stop like Ctrl-C, workers included
    try:
        with progress_reporter(mode, paths, write=lambda line: typer.echo(line, err=True)) as report:
            summary = run_ingest(paths, db, progress=report, workers=workers, engine=engine, scheduler=scheduler,
                                 on_failure=lambda f: typer.echo(f.one_line(), err=True), corpus_pass=corpus_pass,
                                 corpus_progress=getattr(report, "corpus", None))
    except ClaimsError as exc:
        raise _fatal(exc) from exc
    except KeyboardInterrupt:
        typer.echo("interrupted: what was stored is kept; run the same command again to go on", err=True)
        raise typer.Exit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if quiet or not sys.stdout.isatty():
        typer.echo(json.dumps(summary.as_dict()))
    else:
        typer.echo(f"{summary.articles} articles read, {summary.added} stored, {summary.skipped} already "
                   f"stored, {summary.claims} claims, {summary.failed} failed, {summary.clusters} copy "
                   f"clusters, {summary.conflicts} conflicts in {summary.seconds:.1f}s"
                   + (f" ({', '.join(f'{k}: {v}' for k, v in summary.failures.items())})" if summary.failed else ""))
    if summary.failed:
        raise typer.Exit(EXIT_PARTIAL)


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@app.command()
def refresh(
    db: DbOpt = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Summary as JSON.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Rebuild every index from nothing instead of taking "
                                       "only what is new (the same result, slower).")] = False,
) -> None:
    """Bring copy clusters, claim groups and conflicts up to date with everything stored.

    'claims ingest' does this at the end of every run that stored something, taking only what
    is new; run it yourself after 'claims ingest --no-corpus-pass'. --full rebuilds it all.
    Example: claims refresh --db claims.db
    """
    from extraction.corpus.refresh import refresh as run_refresh
    from extraction.run.progress import progress_reporter
    from models.store import ClaimStore

    _setup_logging(False, quiet)
    mode = "none" if quiet else "bar" if sys.stderr.isatty() else "lines"
    try:
        with ClaimStore(_existing(db)) as store, \
                progress_reporter(mode, write=lambda line: typer.echo(line, err=True)) as report:
            summary = run_refresh(store, progress=getattr(report, "corpus", None), full=full)
    except ClaimsError as exc:
        raise _fatal(exc) from exc
    except KeyboardInterrupt:
        typer.echo("interrupted: run 'claims refresh' again (the store stays marked out of date)", err=True)
        raise typer.Exit(130) from None
    if quiet or not sys.stdout.isatty():
        typer.echo(json.dumps(summary.as_dict()))
    else:
        typer.echo(f"{summary.articles} articles, {summary.clusters} copy clusters ({summary.copies} copies), "
                   f"{summary.groups} claim groups ({summary.multi_mention_groups} with several mentions), "
                   f"{summary.conflicts} conflicts")
