"""Shared fixtures: one pipeline per test session, built on spacy.blank("en") (no model download)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from extraction.pipeline import get_nlp

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
