"""Shared fixtures: one pipeline per test session, built on spacy.blank("en") (no model download)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from extraction.nlp.pipeline import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def dumps():
    """The synthetic-dump generator of benchmarks/make_dump.py (texts we wrote), as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_dump", ROOT / "benchmarks" / "make_dump.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: An article of ours carrying markup that must never run in a served page.
HOSTILE_ARTICLE = """Evacuation ordered in border town <script>document.title='pwned'</script>
About 1,200 residents were evacuated from the town on Monday, the regional governor said. \
<img src=x onerror="document.body.setAttribute('data-pwned','img')">
<script>document.body.setAttribute('data-pwned','script'); document.title='pwned';</script>
Officials said at least 300 more people would leave by Friday.
"""


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """A store of the seed articles plus HOSTILE_ARTICLE, for the served pages' tests."""
    import shutil

    from typer.testing import CliRunner

    from extraction.cli import app

    root = tmp_path_factory.mktemp("web")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    db = root / "claims.db"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db
