"""The one settings object: nested dedup and grouping parameters, CLAIMS_* variables, --set, README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.cli import app
from extraction.corpus.dedup import DedupParams
from extraction.corpus.grouping import GroupingParams
from extraction.run.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parent.parent


def _names() -> list[str]:
    """Every setting's README name: ``db``, ``dedup.min_containment`` ..."""
    out = []
    for name, field in Settings.model_fields.items():
        sub = getattr(field.annotation, "model_fields", None)
        if sub:
            out += [f"{name}.{s}" for s in sub]
        elif not name.startswith("dedup_"):  # the older flat names, described in prose
            out.append(name)
    return out


def test_settings_defaults_are_the_params_defaults():
    settings = Settings()
    assert settings.dedup == DedupParams() and settings.grouping == GroupingParams()
    assert DedupParams.from_settings(settings) is settings.dedup


@pytest.mark.parametrize(("variable", "value", "read"), [
    ("CLAIMS_DEDUP__MIN_CONTAINMENT", "0.7", lambda s: s.dedup.min_containment == 0.7),
    ("CLAIMS_DEDUP__MIN_LINE_WORDS", "9", lambda s: s.dedup.min_line_words == 9),
    ("CLAIMS_GROUPING__CONFLICT_WINDOW_DAYS", "3", lambda s: s.grouping.conflict_window_days == 3),
    ("CLAIMS_GROUPING__MAX_CONFLICT_RATIO", "2.5", lambda s: s.grouping.max_conflict_ratio == 2.5),
    ("CLAIMS_DEDUP_MIN_TOKEN_SET", "70", lambda s: s.dedup.min_token_set == 70.0),  # the older flat name
])
def test_settings_nested_variables(monkeypatch, variable, value, read):
    monkeypatch.setenv(variable, value)
    settings = Settings()
    assert read(settings)
    # the rest keep their defaults
    assert settings.dedup.shingle_size == 5 and settings.grouping.period_gap_days == 2


def test_settings_flat_alias_wins_over_nested(monkeypatch):
    monkeypatch.setenv("CLAIMS_DEDUP__SHINGLE_SIZE", "4")
    monkeypatch.setenv("CLAIMS_DEDUP_SHINGLE_SIZE", "6")
    assert Settings().dedup.shingle_size == 6


def test_settings_readme_table_lists_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Settings"):]
    rows = set(re.findall(r"^\| `([\w.]+)` \| `(CLAIMS_\w+)` \|", table, flags=re.M))
    assert {name for name, _ in rows} == set(_names())
    for name, variable in rows:
        assert variable == "CLAIMS_" + name.replace(".", "__").upper()


@pytest.fixture
def clean_settings(monkeypatch):
    """--set writes CLAIMS_* variables: undo them (monkeypatch) and forget the cached settings."""
    for name in _names():
        monkeypatch.delenv("CLAIMS_" + name.replace(".", "__").upper(), raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_settings_cli_set_reaches_the_settings(clean_settings, monkeypatch):
    monkeypatch.setenv("CLAIMS_GROUPING__MAX_COMPARISONS", "1000")  # so monkeypatch restores it
    monkeypatch.setenv("CLAIMS_DEDUP__PREFILTER", "0.25")
    result = CliRunner().invoke(app, ["--set", "grouping.max_comparisons=7", "--set", "dedup.prefilter=0.5",
                                      "schema"])
    assert result.exit_code == 0, result.output
    assert get_settings().grouping.max_comparisons == 7 and get_settings().dedup.prefilter == 0.5


@pytest.mark.parametrize("assignment", ["dedup.nothing=1", "nothing=1", "dedup.min_hits", "db.x=1"])
def test_settings_cli_set_refuses_unknown_names(clean_settings, assignment):
    result = CliRunner().invoke(app, ["--set", assignment, "schema"])
    assert result.exit_code == 2
    assert "not a setting" in result.output
