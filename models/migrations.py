"""The claim store's schema, as an ordered list of migrations.

Migration N (1-based) takes a store from schema version N-1 to N. Never edit a
migration that has shipped: append a new one. ``ClaimStore`` applies the missing ones
on open, each in its own transaction, and records the version in ``meta``.
"""

from __future__ import annotations

# TEXT primary keys say NOT NULL because SQLite would otherwise accept NULL keys
_V1_TABLES = (
    "CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE articles (
        id TEXT NOT NULL PRIMARY KEY,
        path TEXT NOT NULL,
        title TEXT,
        outlet TEXT,
        published DATE,
        url TEXT,
        text TEXT NOT NULL,
        n_chars INTEGER NOT NULL,
        extractor_version TEXT,
        ingested_at TEXT NOT NULL,
        cluster_id TEXT,
        canonical_id TEXT,
        similarity REAL
    )""",
    # n is the rowid (stable across VACUUM) that claims_fts points at; id is the claim's key
    """CREATE TABLE claims (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        value REAL,
        low REAL,
        high REAL,
        unit TEXT NOT NULL,
        hedge TEXT NOT NULL,
        actor TEXT,
        place TEXT,
        places_text TEXT,
        source_name TEXT,
        source_text TEXT,
        source_type TEXT,
        published DATE,
        start INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        group_id TEXT,
        json TEXT NOT NULL
    )""",
    """CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        line INTEGER,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL,
        run_id INTEGER
    )""",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        args TEXT NOT NULL,
        articles INTEGER,
        claims INTEGER,
        failures INTEGER
    )""",
    """CREATE TABLE processed_inputs (
        input_key TEXT NOT NULL PRIMARY KEY,
        article_id TEXT,
        status TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    """CREATE TABLE claim_groups (
        id TEXT NOT NULL PRIMARY KEY,
        mentions INTEGER NOT NULL,
        independent_sources INTEGER NOT NULL,
        json TEXT NOT NULL
    )""",
    "CREATE TABLE conflicts (id TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL)",
)

_V1_INDEXES = tuple(
    f"CREATE INDEX claims_{col} ON claims({col})"
    for col in ("kind", "place", "source_name", "actor", "published", "article_id", "group_id")
) + ("CREATE INDEX articles_path ON articles(path)",)

_FTS_ROW = (
    "new.n, new.sentence, new.places_text, "
    "trim(coalesce(new.source_name, '') || ' ' || coalesce(new.source_text, '')), new.actor, new.kind"
)

_V1_FTS = (
    """CREATE VIRTUAL TABLE claims_fts USING fts5(
        sentence, places_text, source, actor, kind, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
        INSERT INTO claims_fts(rowid, sentence, places_text, source, actor, kind) VALUES ({_FTS_ROW});
    END""",
    """CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
        DELETE FROM claims_fts WHERE rowid = old.n;
    END""",
    f"""CREATE TRIGGER claims_fts_update
        AFTER UPDATE OF sentence, places_text, source_name, source_text, actor, kind ON claims BEGIN
        DELETE FROM claims_fts WHERE rowid = old.n;
        INSERT INTO claims_fts(rowid, sentence, places_text, source, actor, kind) VALUES ({_FTS_ROW});
    END""",
)

_FAILURE_KEY = "path, ifnull(line, -1), stage, reason"

#: Version 2: one row per failing input (file, line, stage, reason), however many runs met it;
#: ``times`` counts them, and the row keeps the latest run's message and id.
_V2_FAILURES = (
    "ALTER TABLE failures ADD COLUMN times INTEGER NOT NULL DEFAULT 1",
    """UPDATE failures SET times = (SELECT count(*) FROM failures AS f
        WHERE f.path = failures.path AND ifnull(f.line, -1) = ifnull(failures.line, -1)
        AND f.stage = failures.stage AND f.reason = failures.reason)""",
    f"DELETE FROM failures WHERE id NOT IN (SELECT max(id) FROM failures GROUP BY {_FAILURE_KEY})",
    f"CREATE UNIQUE INDEX failures_input ON failures({_FAILURE_KEY})",
)

#: The full-text rows of the claims whose rowid is above a bound, in one statement: the store
#: indexes each batch's new claims at once (``ClaimStore.add_many``).
FTS_INSERT_NEW = (
    "INSERT INTO claims_fts(rowid, sentence, places_text, source, actor, kind) "
    f"SELECT {_FTS_ROW.replace('new.', '')} FROM claims WHERE n > ?"
)

#: Version 3: new claims are indexed per batch (``FTS_INSERT_NEW``) instead of by a trigger per
#: row, which cost more than the rest of storing them (0.21 s vs 0.09 s for 600 articles).
_V3_FTS_BATCH = ("DROP TRIGGER claims_fts_insert",)

#: Version 4: one text, several appearances. An article row is one text (its id is the hash of
#: the text); every place it was read from is an appearance: a file, a dump's line, a URL, with
#: its outlet and date. An appearance is keyed by the input file (a dump's lines share it, so
#: re-reading a dump with a line inserted adds none), the URL and the outlet: the same page
#: scraped into two files is two appearances. ``version_key`` (a
#: URL, or the path of a one-article file) links the versions of one page: the newest ingested
#: is ``current``. A failure is ``resolved`` once its input is later read fine. The appearances
#: of a store written before are its articles' own rows (``claims_location`` is registered on
#: the connection by ``ClaimStore``).
_V4_APPEARANCES = (
    """CREATE TABLE appearances (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        location TEXT NOT NULL,
        outlet TEXT NOT NULL DEFAULT '',
        input_key TEXT NOT NULL,
        url TEXT,
        title TEXT,
        published DATE,
        version_key TEXT,
        current INTEGER NOT NULL DEFAULT 1,
        ingested_at TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX appearances_key ON appearances(article_id, location, ifnull(url, ''), outlet)",
    "CREATE INDEX appearances_version ON appearances(version_key) WHERE version_key IS NOT NULL",
    """INSERT OR IGNORE INTO appearances
        (article_id, location, outlet, input_key, url, title, published, version_key, current, ingested_at)
        SELECT id, claims_location(path), ifnull(outlet, ''), path, url, title, published,
               claims_version_key(path, url), 1, ingested_at FROM articles ORDER BY ingested_at, id""",
    "ALTER TABLE failures ADD COLUMN resolved_at TEXT",
)

#: Version 5: the persistent indexes of the incremental corpus pass (``models.corpus_index``), so
#: a run matches only its new articles and claims against what is stored. Copies: the sampled
#: shingle postings (shingle key, cluster number), the exact-text hashes and each cluster's
#: canonical, rank and centres (article ids; their content is re-read from the text). Claim
#: groups: each group's block (kind, unit, category; place and actor), interval, founder and
#: size, found by log-scale value bucket; conflicts by their block (kind, unit, actor). What a
#: pass has still to redo (articles, groups, conflict blocks) waits in ``corpus_dirty``, so a
#: pass stopped at any point is finished by the next. A store migrated from version 4 has empty
#: indexes, and its next pass is a full one.
_V5_CORPUS_INDEX = (
    "CREATE TABLE dedup_postings (key INTEGER NOT NULL, cluster INTEGER NOT NULL,"
    " PRIMARY KEY (key, cluster)) WITHOUT ROWID",
    "CREATE TABLE dedup_exact (key INTEGER NOT NULL PRIMARY KEY, cluster INTEGER NOT NULL) WITHOUT ROWID",
    """CREATE TABLE dedup_clusters (
        number INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        canonical_id TEXT NOT NULL,
        rank TEXT NOT NULL,
        sampled INTEGER NOT NULL,
        centres TEXT NOT NULL
    )""",
    """CREATE TABLE group_index (
        id TEXT NOT NULL PRIMARY KEY,
        block TEXT NOT NULL,
        place TEXT,
        actor TEXT,
        lo REAL NOT NULL,
        hi REAL NOT NULL,
        founder INTEGER NOT NULL,
        members INTEGER NOT NULL,
        cblock TEXT
    )""",
    "CREATE INDEX group_index_cblock ON group_index(cblock) WHERE cblock IS NOT NULL",
    "CREATE TABLE group_buckets (block TEXT NOT NULL, bucket INTEGER NOT NULL, group_id TEXT NOT NULL,"
    " PRIMARY KEY (block, bucket, group_id)) WITHOUT ROWID",
    "CREATE TABLE conflict_blocks (id TEXT NOT NULL PRIMARY KEY, cblock TEXT NOT NULL)",
    "CREATE INDEX conflict_blocks_cblock ON conflict_blocks(cblock)",
    "CREATE TABLE corpus_dirty (what TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (what, key)) WITHOUT ROWID",
)

#: Each migration is a tuple of SQL statements; its index + 1 is the version it produces.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    _V1_TABLES + _V1_INDEXES + _V1_FTS, _V2_FAILURES, _V3_FTS_BATCH, _V4_APPEARANCES, _V5_CORPUS_INDEX,
)

SCHEMA_VERSION = len(MIGRATIONS)
