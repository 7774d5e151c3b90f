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
    result = _run("ruff", "check", "extraction", "models", "tests", "benchmarks", "notebooks")
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


def test_style_no_module_over_500_lines():
    """Issue 12: a module a newcomer can read; a bigger one is split by what its parts do."""
    long = [f"{p.relative_to(ROOT)}: {n} lines" for root in ("extraction", "models")
            for p in sorted((ROOT / root).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500]
    assert not long, "\n".join(long)


def test_style_language_knowledge_is_data():
    """Word lists live in extraction/data/ (read by extraction.lexicon), not inside Python: at most
    15 inline collections of four or more lower-case words and 200 such words in all."""
    from benchmarks.inline_words import collections

    found = collections(ROOT / "extraction")
    words = sum(len(w) for _, _, w in found)
    listing = "\n".join(f"{path}:{line}: {' '.join(w)}" for path, line, w in found)
    assert len(found) <= 15 and words <= 200, f"{len(found)} collections, {words} words:\n{listing}"


def test_style_inline_word_counter_finds_lists(tmp_path):
    (tmp_path / "m.py").write_text('WORDS = {"alpha", "beta", "gamma", "delta"}\nFIELDS = ("a", "b", "c")\n'
                                   'NAMES = ["Alpha", "Beta", "Gamma", "Delta"]\n')
    from benchmarks.inline_words import collections

    assert [(line, len(words)) for _, line, words in collections(tmp_path)] == [(1, 4)]


def test_style_models_import_neither_spacy_nor_extraction():
    """models/ says what a claim is and where it is kept; it runs without the NLP."""
    code = ("import sys, pkgutil, importlib, models\n"
            "for m in pkgutil.iter_modules(models.__path__):\n"
            "    importlib.import_module('models.' + m.name)\n"
            "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('spacy', 'extraction'))\n"
            "print(' '.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"models/ imports {result.stdout.strip()}"
