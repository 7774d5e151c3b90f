"""The incremental corpus pass: ten batches, one batch and a full rebuild give the same store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extraction.corpus.refresh import refresh
from extraction.run.runner import ingest
from extraction.run.settings import Settings
from models.store import ClaimStore


def _state(db: Path) -> dict:
    """Everything the pass writes, in canonical form, and whether the store is marked out of date."""
    with ClaimStore(db, readonly=True) as store:
        return {**store.pass_state(), "stale": store.corpus_stale()}


@pytest.fixture(scope="module")
def batches(tmp_path_factory, dumps, seeds_dir) -> list[Path]:
    """Ten input files: the seed articles, then synthetic articles with copies of earlier ones
    (re-introduced, trimmed) and texts read again from another outlet."""
    root = tmp_path_factory.mktemp("batches")
    records = list(dumps.iter_articles(150, seed=17))
    for i in range(0, 150, 9):  # syndicated copies: a new first line, the last sentence dropped
        text = records[i]["text"]
        records.append({**records[i], "id": f"copy{i}", "outlet": "Wire Copy",
                        "text": "Our correspondent reports.\n" + text.rsplit(".", 2)[0] + "."})
    for i in range(3, 150, 25):  # the same text read again elsewhere
        records.append({**records[i], "id": f"again{i}", "outlet": "Second Outlet"})
    order = sorted(range(len(records)), key=lambda k: (k * 7919) % len(records))  # copies spread over batches
    files = [seeds_dir]
    per = -(-len(order) // 9)
    for b in range(9):
        path = root / f"batch{b}.jsonl"
        path.write_text("".join(json.dumps(records[k]) + "\n" for k in order[b * per:(b + 1) * per]))
        files.append(path)
    return files


@pytest.fixture(scope="module")
def one_and_ten(batches, tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("stores")
    one, ten = root / "one.db", root / "ten.db"
    ingest(batches, one, workers=1)
    for path in batches:
        ingest([path], ten, workers=1)
    return one, ten


def test_corpus_incremental_ten_batches_equal_one(one_and_ten):
    one, ten = one_and_ten
    a, b = _state(one), _state(ten)
    assert a["clusters"] and a["conflicts"] and any(json.loads(g)["mentions"] > 1 for g in a["groups"])
    assert {k: len(v) for k, v in a.items() if k != "stale"} == {k: len(v) for k, v in b.items() if k != "stale"}
    assert a == b


def _exports(db: Path) -> dict:
    """What a reader exports, in the store's own order: claims with their groups, groups, conflicts."""
    with ClaimStore(db, readonly=True) as store:
        return {"claims": [c.model_dump_json() for c in store.claims()],
                "groups": [json.dumps(g, sort_keys=True) for g in store.groups()],
                "conflicts": [json.dumps(c, sort_keys=True) for c in store.conflicts()]}


def test_corpus_workers_do_not_change_clusters_groups_or_conflicts(one_and_ten, batches, tmp_path):
    """Two workers finish chunks in any order; the store and the pass must not see it: one run
    and two runs with two workers and small chunks export byte for byte what one worker does.
    (Ten runs equal one run with one worker: ``test_corpus_incremental_ten_batches_equal_one``.)"""
    one, _ = one_and_ten
    settings = Settings(batch_size=4)
    two = tmp_path / "two.db"
    summary = ingest(batches, two, settings=settings, workers=2)
    assert summary.workers == 2 and summary.added > 40
    assert _exports(two) == _exports(one)
    halves = [batches[: len(batches) // 2], batches[len(batches) // 2:]]
    two_runs, reference = tmp_path / "two_runs.db", tmp_path / "reference.db"
    for half in halves:
        ingest(half, two_runs, settings=settings, workers=2)
        ingest(half, reference, settings=settings, workers=1)
    assert _exports(two_runs) == _exports(reference)
    assert _state(two_runs) == _state(one)


@pytest.mark.parametrize("small", [False, True], ids=["default", "small_batches"])
def test_corpus_incremental_equals_a_full_rebuild(one_and_ten, tmp_path, monkeypatch, small):
    """Also with tiny commit and memory bounds: index rows written, forgotten and read back."""
    import extraction.corpus.refresh as corpus

    if small:
        for name, value in (("ARTICLES_PER_COMMIT", 7), ("CLAIMS_PER_COMMIT", 40), ("GROUPS_IN_MEMORY", 10),
                            ("CLAIMS_PER_EXPORT", 5)):
            monkeypatch.setattr(corpus, name, value)
    _, ten = one_and_ten
    rebuilt = tmp_path / "rebuilt.db"
    shutil.copy(ten, rebuilt)
    with ClaimStore(rebuilt) as store:
        summary = refresh(store, full=True)
    assert summary.full and summary.new_articles == summary.articles
    assert _state(rebuilt) == _state(ten)


def test_corpus_incremental_pass_takes_only_what_is_new(one_and_ten, batches, tmp_path, dumps):
    _, ten = one_and_ten
    copy = tmp_path / "more.db"
    shutil.copy(ten, copy)
    with ClaimStore(copy) as store:
        before = store.count_claims()
        again = refresh(store)  # nothing new: nothing to do
    assert not again.full and again.new_articles == again.new_claims == again.groups_counted == 0
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(json.dumps(r) + "\n" for r in dumps.iter_articles(5, seed=991)))
    summary = ingest([extra], copy, workers=1)
    with ClaimStore(copy) as store:
        new_claims = store.count_claims() - before
        grouped = store.con.execute("SELECT count(*) FROM claims WHERE group_id IS NULL").fetchone()[0]
    assert summary.added == 5 and grouped == 0
    with ClaimStore(copy) as store:
        meta = store.corpus_meta()
    assert int(meta["corpus_claim_count"]) == before + new_claims


def test_corpus_incremental_interrupted_pass_is_finished_by_the_next(one_and_ten, batches, tmp_path, monkeypatch):
    """A pass killed after its copies and half of its groups were committed leaves the store
    stale; the next pass finishes it, and the store equals the uninterrupted one."""
    import extraction.corpus.refresh as corpus

    one, _ = one_and_ten
    db = tmp_path / "stopped.db"
    ingest(batches[:5], db, workers=1)
    monkeypatch.setattr(corpus, "CLAIMS_PER_COMMIT", 50)
    calls = {"n": 0}
    real = corpus.StoredGrouper.flush

    def dying_flush(self, *args, **kwargs):
        real(self, *args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # as a kill between two commits

    monkeypatch.setattr(corpus.StoredGrouper, "flush", dying_flush)
    with pytest.raises(KeyboardInterrupt):
        ingest(batches[5:], db, workers=1)
    monkeypatch.setattr(corpus.StoredGrouper, "flush", real)
    assert _state(db)["stale"]
    with ClaimStore(db) as store:
        assert not refresh(store).full
    assert _state(db) == _state(one)


def test_corpus_incremental_replaced_claims_rebuild_the_groups(one_and_ten, tmp_path):
    """Claims replaced under the pass (a new extractor version) make the next pass a full one."""
    _, ten = one_and_ten
    db = tmp_path / "replaced.db"
    shutil.copy(ten, db)
    with ClaimStore(db) as store:
        n = store.con.execute("SELECT max(n) FROM claims").fetchone()[0]
        store.con.execute("DELETE FROM claims WHERE n = ?", (n,))
        summary = refresh(store)
        assert summary.full
        assert store.con.execute("SELECT count(*) FROM claims WHERE group_id IS NULL").fetchone()[0] == 0


def test_corpus_conflicts_read_without_member_lists(one_and_ten):
    """The pass links a conflict block held as ``ConflictGroup``s, reading a pair's articles from
    the store (here through a cache of three ids, so that they are read again and again): the
    same conflicts as ``find_conflicts`` over whole ``ClaimGroup``s, and as stored."""
    from extraction.corpus.grouping import find_conflicts
    from extraction.corpus.index import ConflictGroup, StoredArticleSets
    from models.groups import ClaimGroup

    one, _ = one_and_ten
    with ClaimStore(one, readonly=True) as store:
        blocks = [r[0] for r in store.con.execute("SELECT DISTINCT cblock FROM group_index WHERE cblock IS NOT NULL")]
        shares = StoredArticleSets(store, limit=3)
        light, whole, unchecked = [], [], []
        for b in blocks:
            light += find_conflicts([ConflictGroup(d) for d in store.cblock_groups(b)], shares_article=shares)
            whole += find_conflicts([ClaimGroup.model_validate_json(d) for d in store.cblock_groups(b)])
            unchecked += find_conflicts([ConflictGroup(d) for d in store.cblock_groups(b)],
                                        shares_article=lambda a, b: False)
        stored = sorted(c["id"] for c in store.conflicts())
    assert light == whole and sorted(c.id for c in light) == stored and len(blocks) > 3
    assert len(shares.sets) <= 3 and unchecked != whole  # the article test decides links in this store


def test_corpus_relink_only_blocks_a_change_can_move(one_and_ten):
    """A group counted again re-links its conflict block only when what ``find_conflicts`` reads
    of it changed, or it gained an article another group of its block holds."""
    from extraction.corpus.refresh import _to_relink

    _, ten = one_and_ten
    with ClaimStore(ten, readonly=True) as store:
        gid, cblock = store.con.execute("SELECT id, cblock FROM group_index WHERE cblock IS NOT NULL AND members > 1 "
                                        "ORDER BY id LIMIT 1").fetchone()
        g = json.loads(store.group_json([gid])[gid])
        other = store.con.execute(
            "SELECT c.article_id FROM claims c JOIN group_index g ON g.id = c.group_id WHERE g.cblock = ? "
            f"AND g.id != ? AND c.article_id NOT IN ({', '.join('?' * len(g['article_ids']))}) LIMIT 1",
            (cblock, gid, *g["article_ids"])).fetchone()[0]
        more = {**g, "mentions": g["mentions"] + 1, "claim_ids": [*g["claim_ids"], "zz:1"],
                "article_ids": [*g["article_ids"], "zz-new-article"]}
        assert _to_relink(store, [more], {gid: cblock}) == set()  # one more mention of the same figure
        assert _to_relink(store, [{**more, "high": g["high"] + 1}], {gid: cblock}) == {gid}
        assert _to_relink(store, [{**more, "last_published": "2031-01-01"}], {gid: cblock}) == {gid}
        assert _to_relink(store, [{**more, "article_ids": [*g["article_ids"], other]}], {gid: cblock}) == {gid}
        assert _to_relink(store, [{**g, "id": "grp:new"}], {"grp:new": cblock}) == {"grp:new"}


def test_corpus_texts_read_again_recount_groups_without_relinking(one_and_ten, batches, tmp_path):
    """Texts read again elsewhere add mentions and outlets to their groups but move no conflict:
    the pass counts the groups again and links no block, and equals a full rebuild."""
    _, ten = one_and_ten
    db, rebuilt = tmp_path / "again.db", tmp_path / "again_full.db"
    shutil.copy(ten, db)
    records = [json.loads(line) for line in batches[3].read_text().splitlines()[:6]]
    again = tmp_path / "again.jsonl"
    again.write_text("".join(json.dumps({**r, "id": f"{r['id']}-again", "outlet": "Third Outlet"}) + "\n"
                             for r in records))
    ingest([again], db, workers=1, corpus_pass=False)
    with ClaimStore(db) as store:
        summary = refresh(store)
    assert summary.groups_counted > 0 and summary.conflict_blocks == 0 and not summary.full
    shutil.copy(db, rebuilt)
    with ClaimStore(rebuilt) as store:
        refresh(store, full=True)
    assert _state(db) == _state(rebuilt)
