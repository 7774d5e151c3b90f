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
