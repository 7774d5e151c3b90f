"""The code's own checks run with the suite: ruff (E, F, B, I) over the tree, mypy over models/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_style_ruff_is_clean():
    result = _run("ruff", "check", "extraction", "models", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_style_models_type_check():
    result = _run("mypy", "models", "--ignore-missing-imports")
    assert result.returncode == 0, result.stdout + result.stderr


#: What raw SQL looks like in Python source: a statement keyword followed by its clause, a call
#: that runs one, or the driver itself.
_SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA\s)"
                  r"|\.execute(many|script)?\(|\bsqlite3\b")


def test_style_no_raw_sql_outside_models():
    """The store speaks in models: every statement lives in models/, extraction/ calls typed methods."""
    hits = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for path in sorted((ROOT / "extraction").rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if _SQL.search(line)]
    assert not hits, "raw SQL outside models/:\n" + "\n".join(hits)


def test_style_sql_pattern_finds_sql():
    """The pattern above is not blind: it finds each kind of statement and call it looks for."""
    for line in ['con.execute("x")', "UPDATE articles SET a = 1", "SELECT id FROM claims", "import sqlite3",
                 "INSERT OR IGNORE INTO corpus_dirty", "DELETE FROM meta", "PRAGMA query_only = ON"]:
        assert _SQL.search(line), line
    for line in ["select the claims from the store", "the update set", "deleted from the list"]:
        assert not _SQL.search(line), line
