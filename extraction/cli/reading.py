"""The commands that read and print: ``query``, ``export``, ``schema``, ``quantities``, ``failures``
and ``evaluate``. None writes the store (they open it read-only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer

from extraction.cli.app import (
    DEFAULT_DB,
    EXIT_PARTIAL,
    DbOpt,
    _check_format,
    _date,
    _existing,
    _fatal,
    _reading_store,
    _write,
    reading_command,
)
from models import ClaimKind
from models.errors import ClaimsError


@reading_command()
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


@reading_command()
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


@reading_command()
def schema() -> None:
    """Print the JSON Schema of one export line.

    Example: claims schema > claim.schema.json
    """
    from models.export import export_schema

    typer.echo(json.dumps(export_schema(), indent=2))


@reading_command()
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
        for m in quantities_in_text(piece):  # each line is a models.mention.QuantityMention
            typer.echo(json.dumps(m.public(offset).model_dump(mode="json"), ensure_ascii=False))


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


@reading_command()
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


@reading_command()
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
