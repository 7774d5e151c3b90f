"""The corpus's views: ``duplicates`` (copy clusters), ``conflicts`` (claim groups whose figures
disagree) and ``serve`` (the fact-checker's pages over the store, read-only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from extraction.cli.app import (
    DEFAULT_DB,
    DbOpt,
    _check_format,
    _existing,
    _fatal,
    _reading_store,
    _write,
    app,
    reading_command,
)
from models.errors import ClaimsError


@reading_command()
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


@reading_command()
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
