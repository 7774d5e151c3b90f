"""The ``claims`` command line. Each command is a few lines around one library function.

Exit codes: 0 all went well; 1 the command ran but some inputs failed (see ``claims
failures``); 2 usage error; 3 the command could not run (store unwritable, bad file).
"""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TextIO

import typer

from models import ClaimKind
from models.errors import ClaimsError

if TYPE_CHECKING:
    from models.store import ClaimStore

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Extract quantitative claims (figure, unit, hedge, actor, place, source) from news.")

DbOpt = Annotated[Path, typer.Option("--db", envvar="CLAIMS_DB", help="SQLite claim store.")]
DEFAULT_DB = Path("claims.db")
EXIT_PARTIAL, EXIT_FATAL = 1, 3


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


@app.command()
def query(
    text: Annotated[Optional[str], typer.Argument(help="Free text, e.g. 'Kursk troops'.")] = None,
    kind: Annotated[Optional[list[ClaimKind]], typer.Option("--kind", "-k", help="Claim kind (repeatable).")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place name or part of it.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Source name or part of it.")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Actor, e.g. Russia.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many claims (a page).")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many claims (the next page).")] = 0,
    current: Annotated[bool, typer.Option("--current", help="Only texts that are the current version of "
                                          "their page or file (not ones replaced by a newer text).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One claim a line, in the export shape.")] = False,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Find claims: words naming a place, source, actor or kind become filters, years and
    dates a period ("ISW territory 2024"); other words are searched in the sentences, stemmed.

    Example: claims query "Kursk troops"   (same as: claims query --place Kursk --kind personnel)
    """
    from extraction.cli.query import parse_query, suggest
    from extraction.cli.render import claims_table
    from models import ClaimFilter

    try:
        flt = parse_query(text or "", kinds=kind or [], place=place, source=source, actor=actor,
                          since=_date(since), until=_date(until), limit=limit + 1, offset=offset)
        if current:
            flt = flt.model_copy(update={"current_only": True})
        with _reading_store(db) as store:
            claims = list(store.query(flt))
            hint = suggest(text or "", lambda w: next(store.query(ClaimFilter(text=w, limit=1)), None) is not None)
    except ClaimsError as exc:
        raise _fatal(exc) from exc
    more, claims = len(claims) > limit, claims[:limit]
    if as_json:
        for c in claims:
            typer.echo(c.model_dump_json())
    else:
        typer.echo(claims_table(claims))
    if hint:
        typer.echo(f"did you mean: {hint}", err=True)
    if more:
        typer.echo(f"showing claims {offset + 1}-{offset + limit}; the next page: --offset {offset + limit}", err=True)


FORMATS = ("jsonl", "csv", "parquet")


@app.command()
def export(
    db: DbOpt = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet (parquet needs --output).")]
    = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File (default: stdout).")] = None,
    groups: Annotated[bool, typer.Option("--groups", help="One row per claim group instead.")] = False,
    current: Annotated[bool, typer.Option("--current", help="Only texts that are the current version of "
                                          "their page or file.")] = False,
) -> None:
    """Write every stored claim, one per line (JSONL) or row (CSV, Parquet); or one per claim group.

    Example: claims export --format parquet --output claims.parquet
    """
    from models import ClaimFilter
    from models.export import write_csv, write_dicts_jsonl, write_jsonl, write_table_csv
    from models.tables import CLAIM_TABLE, GROUP_TABLE

    _check_format(fmt, output)
    try:
        if groups:
            with _reading_store(db) as store:
                rows = store.groups()
            n = _write(fmt, output, rows, GROUP_TABLE, write_dicts_jsonl,
                       lambda items, fp: write_table_csv(GROUP_TABLE, items, fp))
        else:
            from models.store import ClaimStore

            with ClaimStore(_existing(db), readonly=True) as store:
                claims = store.query(ClaimFilter(current_only=True)) if current else store.claims()
                n = _write(fmt, output, claims, CLAIM_TABLE, write_jsonl, write_csv)
    except (ClaimsError, OSError) as exc:
        raise _fatal(exc) from exc
    if output is not None:
        typer.echo(f"{n} {'groups' if groups else 'claims'} written to {output}", err=True)


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


@app.command()
def schema() -> None:
    """Print the JSON Schema of one export line.

    Example: claims schema > claim.schema.json
    """
    from models.export import export_schema

    typer.echo(json.dumps(export_schema(), indent=2))


@app.command()
def quantities(
    path: Annotated[str, typer.Argument(help="A text file, or - for standard input.")] = "-",
) -> None:
    """Print one JSON line per quantity mention (claims or not): text, offsets, value, unit, hedge.

    The file is decoded as ingest does (UTF-8, UTF-16 with a byte-order mark, cp1252); offsets
    are characters into the decoded text.

    Example: echo "Some 50,000 troops and 12 tanks." | claims quantities -
    """
    from extraction.readers.ingest import read_text
    from extraction.run.api import quantities_in_text

    try:
        text = read_text(path)
    except (OSError, ClaimsError) as exc:
        raise _fatal(exc) from exc
    for offset, piece in _pieces(text):
        for m in quantities_in_text(piece):
            row = {"text": m.text, "start": m.start_char + offset, "end": m.end_char + offset, "value": m.value,
                   "low": m.low, "high": m.high, "unit": m.unit, "hedge": m.hedge.value, "kind": m.family,
                   "not_claim": m.not_claim.value if m.not_claim else None}
            typer.echo(json.dumps(row, ensure_ascii=False))


def _pieces(text: str, size: int = 500_000) -> Iterator[tuple[int, str]]:
    """(offset, piece): a long text cut at paragraph (else line, else space) breaks into pieces
    of at most ``size`` characters, under spaCy's length limit."""
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        end = start + (cut + 1 if cut > 0 else size)
        yield start, text[start:end]
        start = end
    yield start, text[start:]


@app.command()
def failures(
    db: DbOpt = DEFAULT_DB,
    show_all: Annotated[bool, typer.Option("--all", help="Also inputs that failed once and were read fine "
                                           "later (the history).")] = False,
) -> None:
    """List inputs that still fail, one line each (file:line: stage error (reason): message).

    An input that failed in several runs is listed once, with the latest message and "(N runs)";
    one that a later run read fine is left out (with --all: listed, marked "(resolved)").

    Example: claims failures --db claims.db
    """
    from models.store import ClaimStore

    try:
        with ClaimStore(_existing(db), readonly=True) as store:
            rows = store.failures(resolved=show_all)
            counts = store.failure_counts()
            resolved = store.resolved_failures() if show_all else set()
    except ClaimsError as exc:
        raise _fatal(exc) from exc
    for f in rows:
        key = (f.path, f.line, f.stage, f.reason)
        times = counts.get(key, 1)
        typer.echo(f.one_line() + (f" ({times} runs)" if times > 1 else "")
                   + (" (resolved)" if key in resolved else ""))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold claims, JSONL in the annotation format.")],
    paths: Annotated[Optional[list[str]], typer.Argument(help="Articles to extract (default: the store).")] = None,
    db: DbOpt = DEFAULT_DB,
    show_misses: Annotated[bool, typer.Option("--show-misses", help="List misses, extras, wrong attributes.")] = False,
    min_f1: Annotated[Optional[float], typer.Option(help="Exit 1 when detection F1 is below this.")] = None,
    min_strict: Annotated[Optional[float], typer.Option(help="Exit 1 when the strict score is below this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
) -> None:
    """Score extraction against your own annotated articles: P/R/F1, attribute accuracy, misses.

    Example: claims evaluate --gold my.gold.jsonl my_articles/ --show-misses
    """
    from extraction.cli.evaluate import doc_name, load_gold, report, score
    from models import Article

    try:
        gold_lines = load_gold(gold)
        if paths:
            from extraction.readers.ingest import iter_inputs
            from extraction.run.api import extract_articles

            names: set[str] = set()

            def articles() -> Iterator[Article]:
                for item in iter_inputs(paths):
                    if isinstance(item, Article):
                        names.update((doc_name(item.path), item.id))
                        yield item

            preds = [json.loads(c.model_dump_json()) for _, cs in extract_articles(articles()) for c in cs]
        else:
            from models.store import ClaimStore

            with ClaimStore(_existing(db), readonly=True) as store:
                preds = [json.loads(c.model_dump_json()) for c in store.claims()]
                names = {n for a in store.articles() for n in (doc_name(a.path), a.id)}
    except (OSError, ValueError, ClaimsError) as exc:
        raise _fatal(exc) from exc
    docs = {line["doc"] for line in gold_lines}
    if not docs & names:
        raise _fatal(ClaimsError(f"none of its {len(docs)} documents is among the {len(names) // 2} articles "
                                 "scored (a document is named by its file name without extension)", path=gold))
    result = score(gold_lines, preds)
    typer.echo(json.dumps(result.as_dict()) if as_json else report(result, show_misses))
    if (min_f1 is not None and result.f1 < min_f1) or (min_strict is not None and result.strict_rate < min_strict):
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def duplicates(
    db: DbOpt = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line per cluster.")] = False,
) -> None:
    """List clusters of copied articles (syndicated, trimmed, re-introduced) with their similarity.

    Example: claims duplicates --json
    """
    from extraction.corpus.refresh import stored_clusters

    try:
        with _reading_store(db) as store:
            clusters = stored_clusters(store)
    except ClaimsError as exc:
        raise _fatal(exc) from exc
    for c in clusters:
        if as_json:
            typer.echo(json.dumps(c, ensure_ascii=False))
        else:
            typer.echo(f"{c['cluster']}  canonical: {c['canonical']}")
            for m in c["members"]:
                typer.echo(f"    {m['similarity']:.3f}  {m['path']}")
    if not clusters and not as_json:
        typer.echo("no copies found")


@app.command()
def conflicts(
    db: DbOpt = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line per conflict, with its groups.")]
    = False,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="jsonl, csv or parquet: one row per conflict "
                                               "(parquet needs --output).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File (default: stdout).")] = None,
) -> None:
    """List claim groups about the same quantity whose figures disagree, and what differs.

    Example: claims conflicts --json;  claims conflicts --format csv --output conflicts.csv
    """
    from extraction.cli.render import conflict_lines
    from extraction.corpus.refresh import stored_conflicts, stored_groups

    if fmt is not None:
        from models.export import write_dicts_jsonl, write_table_csv
        from models.tables import CONFLICT_TABLE

        _check_format(fmt, output)
        try:
            with _reading_store(db) as store:
                rows = store.conflicts()
            n = _write(fmt, output, rows, CONFLICT_TABLE, write_dicts_jsonl,
                       lambda items, fp: write_table_csv(CONFLICT_TABLE, items, fp))
        except (ClaimsError, OSError) as exc:
            raise _fatal(exc) from exc
        if output is not None:
            typer.echo(f"{n} conflicts written to {output}", err=True)
        return
    try:
        with _reading_store(db) as store:
            found, groups = stored_conflicts(store), stored_groups(store)
    except ClaimsError as exc:
        raise _fatal(exc) from exc
    for c in found:
        if as_json:
            row = c.model_dump(mode="json")
            row["groups"] = [groups[g].model_dump(mode="json") for g in c.group_ids if g in groups]
            typer.echo(json.dumps(row, ensure_ascii=False))
        else:
            typer.echo(conflict_lines(c, groups))
    if not found and not as_json:
        typer.echo("no conflicts found")


@app.command()
def serve(
    db: DbOpt = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind; other machines can reach it only if you say so.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8001,
) -> None:
    """Serve the fact-checker's pages over the store, read-only: search, facets, timeline,
    conflicts, claim and article pages, each with its JSON (and the results with CSV).

    Example: claims serve --db claims.db   (then open http://127.0.0.1:8001/)
    """
    from extraction.web.app import serve as run_server

    try:
        run_server(_existing(db), host=host, port=port, announce=typer.echo)
    except ClaimsError as exc:
        raise _fatal(exc) from exc


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


def main() -> None:
    """The ``claims`` command: ``app`` with no traceback ever. A bad ``CLAIMS_*`` setting is a usage
    error (exit 2); a closed output pipe (``claims export | head``) ends the commands that only
    read quietly, by SIGPIPE as coreutils do; anything unexpected is one line on stderr and exit 3
    (``CLAIMS_DEBUG=1`` shows the traceback)."""
    import os

    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    if len(sys.argv) > 1 and sys.argv[1] in _READERS and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # they write nothing a broken pipe could cut short
    try:
        app()
    except (ValidationError, SettingsError) as exc:
        typer.echo(f"error: bad setting: {_setting_problem(exc)}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        # stdout's reader went away: point stdout at /dev/null so the flush at exit says nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("CLAIMS_DEBUG"):
            raise
        typer.echo(f"error: unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                   "(CLAIMS_DEBUG=1 shows where)", err=True)
        sys.exit(EXIT_FATAL)


#: commands that only read the store or their input and print
_READERS = frozenset({"query", "export", "duplicates", "conflicts", "failures", "schema", "quantities", "evaluate"})


def _setting_problem(exc: Exception) -> str:
    """One line naming the CLAIMS_* variable at fault and what it needs."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        loc = [str(p) for p in first.get("loc", ()) if not str(p).isdigit()]
        name = "CLAIMS_" + "__".join(loc).upper() if loc else "a CLAIMS_* variable"
        return f"{name}: {first['msg']} (got {first.get('input')!r})"
    text = " ".join(str(exc).split())
    field = re.search(r'field "(\w+)"', text)
    if field:
        hint = " (a list is written as JSON, e.g. '[\"body\"]')" if "parsing value" in text else ""
        return f"CLAIMS_{field[1].upper()}: {text}{hint}"
    return text


if __name__ == "__main__":  # pragma: no cover
    main()
