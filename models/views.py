"""SQL views over the claim store, for reading it directly (sqlite3, DuckDB's SQLite scanner, Datasette).

``claims_view``: one row per claim, flat (the export's common columns, its group's counts);
``groups_view``: one row per claim group; ``conflicts_view``: one row per conflict, its two
groups side by side. They read only the ``claims``, ``claim_groups`` and ``conflicts`` tables
(and the JSON each row keeps), so they hold whatever the last corpus pass stored. The README
("Reading the store with SQL") lists their columns.

`create_views` runs every time a store is opened for writing and replaces a view only when its
definition changed, so an older store gains new views and columns and nothing else changes.
``appearances_view``: one row per appearance of a text (where it was printed or read).
"""

from __future__ import annotations

import sqlite3

__all__ = ["VIEWS", "create_views"]


def _json(column: str, path: str, name: str) -> str:
    return f"json_extract({column}, '$.{path}') AS {name}"


_CLAIMS_VIEW = f"""CREATE VIEW claims_view AS SELECT
    c.id AS id, c.kind AS kind, c.value AS value, c.low AS low, c.high AS high, c.unit AS unit,
    c.hedge AS hedge, {_json('c.json', 'quantity.text', 'quantity_text')}, c.actor AS actor,
    {_json('c.json', 'actor_id', 'actor_id')},
    {_json('c.json', 'places[0].name', 'place')}, {_json('c.json', 'places[0].type', 'place_type')},
    json_extract(c.json, '$.places') AS places_json,
    c.source_name AS source_name, c.source_type AS source_type, c.source_text AS source_text,
    {_json('c.json', 'source.cue', 'source_cue')}, {_json('c.json', 'reporter', 'reporter')},
    {_json('c.json', 'period.text', 'period_text')}, {_json('c.json', 'period.start', 'period_start')},
    {_json('c.json', 'period.end', 'period_end')},
    c.article_id AS doc_id, {_json('c.json', 'evidence.path', 'path')},
    {_json('c.json', 'evidence.title', 'title')}, c.published AS published, c.sentence AS sentence,
    c.start AS start, {_json('c.json', 'evidence.end', 'end')},
    json_extract(c.json, '$.rules') AS rules_json, {_json('c.json', 'extractor_version', 'extractor_version')},
    c.group_id AS group_id, g.mentions AS group_mentions, g.independent_sources AS group_independent_sources
FROM claims c LEFT JOIN claim_groups g ON g.id = c.group_id"""

_GROUPS_VIEW = f"""CREATE VIEW groups_view AS SELECT
    g.id AS id, {_json('g.json', 'kind', 'kind')}, {_json('g.json', 'unit', 'unit')},
    {_json('g.json', 'low', 'low')}, {_json('g.json', 'high', 'high')},
    {_json('g.json', 'representative.text', 'representative_text')},
    {_json('g.json', 'representative.hedge', 'representative_hedge')},
    {_json('g.json', 'category', 'category')}, {_json('g.json', 'actor', 'actor')},
    {_json('g.json', 'place', 'place')}, {_json('g.json', 'place_type', 'place_type')},
    g.mentions AS mentions, g.independent_sources AS independent_sources,
    json_array_length(g.json, '$.article_ids') AS articles,
    json_extract(g.json, '$.sources') AS sources_json, json_extract(g.json, '$.outlets') AS outlets_json,
    {_json('g.json', 'period_start', 'period_start')}, {_json('g.json', 'period_end', 'period_end')},
    {_json('g.json', 'first_published', 'first_published')}, {_json('g.json', 'last_published', 'last_published')}
FROM claim_groups g"""

_CONFLICTS_VIEW = f"""CREATE VIEW conflicts_view AS SELECT
    x.id AS id, {_json('x.json', 'group_ids[0]', 'group_a')}, {_json('x.json', 'group_ids[1]', 'group_b')},
    {_json('x.json', 'values[0][0]', 'low_a')}, {_json('x.json', 'values[0][1]', 'high_a')},
    {_json('x.json', 'values[1][0]', 'low_b')}, {_json('x.json', 'values[1][1]', 'high_b')},
    json_extract(x.json, '$.differs') AS differs_json, {_json('x.json', 'explanation', 'explanation')}
FROM conflicts x"""

_APPEARANCES_VIEW = """CREATE VIEW appearances_view AS SELECT
    p.article_id AS doc_id, p.input_key AS path, p.url AS url, nullif(p.outlet, '') AS outlet,
    coalesce(p.title, a.title) AS title, coalesce(p.published, a.published) AS published,
    p.current AS current, p.ingested_at AS ingested_at,
    (SELECT count(*) FROM claims c WHERE c.article_id = p.article_id) AS claims
FROM appearances p JOIN articles a ON a.id = p.article_id"""

#: name -> CREATE VIEW statement
VIEWS: dict[str, str] = {"claims_view": _CLAIMS_VIEW, "groups_view": _GROUPS_VIEW,
                         "conflicts_view": _CONFLICTS_VIEW, "appearances_view": _APPEARANCES_VIEW}


def create_views(con: sqlite3.Connection) -> None:
    """Create the views that are missing or defined otherwise than this version defines them
    (a store written by an older version gains new columns), in one transaction.

    When all are current, nothing is written (no write lock is taken, so opening a store that
    another process is filling does not wait for it).
    """
    have = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())
    stale = {name: sql for name, sql in VIEWS.items() if have.get(name) != sql}
    if not stale:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        for name, statement in stale.items():
            con.execute(f"DROP VIEW IF EXISTS {name}")
            con.execute(statement)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
