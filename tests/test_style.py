"""The code's own checks run with the suite: ruff (E, F, B, I) over the tree, mypy over models/."""

from __future__ import annotations

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
