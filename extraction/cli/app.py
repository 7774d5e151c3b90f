"""The ``claims`` application and what its commands share: the ``--db`` option, exit codes, the
``--set`` settings option, error and logging set-up, the read-only store of the reporting
commands, dates and output formats. The commands register on ``app`` in ``commands`` (writing:
ingest, refresh), ``reading`` (query, export, schema, quantities, failures, evaluate) and
``views`` (duplicates, conflicts, serve); ``main`` runs it.

Exit codes: 0 all went well; 1 the command ran but some inputs failed (see ``claims
failures``); 2 usage error; 3 the command could not run (store unwritable, bad file).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TextIO

import typer

from models.errors import ClaimsError

if TYPE_CHECKING:
    from models.store import ClaimStore

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Extract quantitative claims (figure, unit, hedge, actor, place, source) from news.")

DbOpt = Annotated[Path, typer.Option("--db", envvar="CLAIMS_DB", help="SQLite claim store.")]
DEFAULT_DB = Path("claims.db")
EXIT_PARTIAL, EXIT_FATAL = 1, 3

#: the commands that only read the store or their input and print (``reading_command``): a closed
#: output pipe ends them quietly
READERS: set[str] = set()


def reading_command() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``app.command()`` for a command that only reads and prints (it joins ``READERS``)."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        READERS.add(fn.__name__)
        return app.command()(fn)
    return register


class Format(str, Enum):
    """What ``--format`` writes: one line, CSV row or Parquet row per item."""

    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"


FORMATS = tuple(f.value for f in Format)


@app.callback()
def settings_options(
    assignments: Annotated[Optional[list[str]], typer.Option(
        "--set", metavar="NAME=VALUE",
        help="Override a setting for this command, e.g. --set dedup.min_containment=0.6 or "
             "--set batch_size=32 (the same as CLAIMS_DEDUP__MIN_CONTAINMENT=0.6; see README, Settings).")] = None,
) -> None:
    """Extract quantitative claims (figure, unit, hedge, actor, place, source) from news."""
    if assignments:
        apply_settings(assignments)


def apply_settings(assignments: list[str]) -> None:
    """Put each ``name=value`` (``dedup.min_containment=0.6``) in the environment as its ``CLAIMS_*``
    variable, so this process and the worker processes it starts read the same settings, and
    check them now: an unknown name is a usage error, a bad value fails as a bad setting."""
    import os

    from extraction.run.settings import Settings, get_settings

    for item in assignments:
        name, sep, value = item.partition("=")
        path = name.strip().lower().split(".")
        field = Settings.model_fields.get(path[0])
        sub = getattr(field.annotation, "model_fields", None) if field is not None else None
        if not sep or field is None or (len(path) > 1 and (sub is None or len(path) > 2 or path[1] not in sub)):
            raise typer.BadParameter(f"not a setting: {name!r} (give NAME=VALUE, e.g. dedup.min_containment=0.6)",
                                     param_hint="--set")
        os.environ["CLAIMS_" + "__".join(path).upper()] = value
    get_settings.cache_clear()
    get_settings()


def _fatal(exc: Exception) -> typer.Exit:
    if isinstance(exc, BrokenPipeError):
        raise exc  # the reader of stdout went away: main() ends quietly
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(EXIT_FATAL)


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@contextmanager
def _reading_store(db: Path) -> Iterator[ClaimStore]:
    """The existing store at ``db``, opened read-only (a user who may only read it can query it),
    for a command that reports copies, groups or conflicts: afterwards one line on stderr when
    those miss articles stored since the last corpus pass."""
    from models.store import ClaimStore

    with ClaimStore(_existing(db), readonly=True) as store:
        yield store
        if store.corpus_stale():
            typer.echo(f"warning: copy clusters, claim groups and conflicts are out of date; "
                       f"run 'claims refresh --db {db}'", err=True)


def _check_format(fmt: str, output: Path | None) -> None:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("--format parquet needs --output FILE (Parquet is not written to a terminal)")


def _write(fmt: str, output: Path | None, items: Iterable[Any], table: Any,
           jsonl: Callable[[Iterable[Any], TextIO], int], csv: Callable[[Iterable[Any], TextIO], int]) -> int:
    """Write ``items`` to ``output`` (stdout when None) as JSONL, CSV or Parquet; returns how many."""
    if fmt == "parquet":
        from models.parquet import write_parquet

        return write_parquet(table, items, output)  # type: ignore[arg-type]
    writer = jsonl if fmt == "jsonl" else csv
    if output is None:
        return writer(items, sys.stdout)
    with open(output, "w", encoding="utf-8", newline="") as fp:
        return writer(items, fp)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _existing(db: Path) -> Path:
    if not db.exists():
        raise ClaimsError(f"no claim store at {db} (run 'claims ingest' first)", path=db)
    return db
