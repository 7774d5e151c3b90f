"""A run killed mid-way (SIGKILL, Ctrl-C) and started again: every article stored once, store intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extraction.run.runner import ingest
from extraction.run.settings import Settings
from models.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent
N = 400  # enough that a run is stopped mid-way (after 48 and 96 articles), small enough to be quick
BATCH = 16



@pytest.fixture(scope="module")
def dump(tmp_path_factory, dumps) -> Path:
    return dumps.write_jsonl(tmp_path_factory.mktemp("resume") / "dump.jsonl", N, seed=7, sentences=(1, 2))


@pytest.fixture(scope="module")
def clean(nlp, dump, tmp_path_factory) -> dict:
    """What one uninterrupted run stores."""
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    ingest([dump], db, settings=Settings(batch_size=BATCH), workers=1)
    return _contents(db)


def _contents(db: Path) -> dict:
    with ClaimStore(db) as store:
        con = store.con
        return {
            "articles": store.count_articles(),
            "claims": sorted(c.model_dump_json(exclude={"group"}) for c in store.claims()),
            "keys": store.processed_keys(),
            "duplicate_articles": con.execute("SELECT count(*) - count(DISTINCT path) FROM articles").fetchone()[0],
            "integrity": con.execute("PRAGMA integrity_check").fetchone()[0],
        }


def _start(dump: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "CLAIMS_BATCH_SIZE": str(BATCH), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "extraction.cli", "ingest", str(dump), "--db", str(db),
                             "--workers", "1", "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stored(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM processed_inputs").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created yet, or schema not there yet


def _run_until(proc: subprocess.Popen, db: Path, at_least: int, sig: int) -> int:
    """Wait until ``at_least`` articles are committed, then send ``sig``; the count at that moment."""
    deadline = time.monotonic() + 120
    while (stored := _stored(db)) < at_least:
        assert proc.poll() is None, f"finished before it could be stopped: {proc.communicate()}"
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.05)
    proc.send_signal(sig)
    return stored


def test_resume_after_sigkill_and_ctrl_c(dump, clean, tmp_path):
    db = tmp_path / "killed.db"
    first = _start(dump, db)
    killed_at = _run_until(first, db, 3 * BATCH, signal.SIGKILL)
    assert first.wait(30) == -signal.SIGKILL
    after_kill = _stored(db)
    assert killed_at <= after_kill < N  # stopped mid-run, with committed chunks
    assert _contents(db)["integrity"] == "ok"

    second = _start(dump, db)
    _run_until(second, db, after_kill + 3 * BATCH, signal.SIGINT)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 130 and "run the same command again" in err
    after_interrupt = _stored(db)
    assert after_interrupt < N

    # the third run goes on where they stopped (in this process: no signal to send it)
    summary = ingest([dump], db, settings=Settings(batch_size=BATCH), workers=1).as_dict()
    assert summary["skipped"] == after_interrupt and summary["added"] == N - after_interrupt

    got = _contents(db)
    assert got["integrity"] == "ok" and got["duplicate_articles"] == 0
    assert got["articles"] == clean["articles"] == N
    assert got["keys"] == clean["keys"]
    assert got["claims"] == clean["claims"]
