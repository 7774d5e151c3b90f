"""The notebooks are documentation: every code cell must run, in order, on a fresh install."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_code_cells_run(path, monkeypatch, capsys):
    monkeypatch.chdir(path.parent)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"__name__": "__notebook__"}
    for n, cell in enumerate(c for c in cells if c["cell_type"] == "code"):
        exec(compile("".join(cell["source"]), f"{path.name}[{n}]", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert "575000.0" in out and "personnel" in out


def test_notebooks_are_notebooks_with_code():
    """There is a notebook to run, and each is a notebook (format 4) whose code cells hold code,
    so the test above cannot pass by finding nothing to run."""
    assert NOTEBOOKS, "no notebooks/*.ipynb: the test above would run nothing"
    for path in NOTEBOOKS:
        book = json.loads(path.read_text(encoding="utf-8"))
        assert book.get("nbformat") == 4, path.name
        code = [c for c in book["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
        assert len(code) >= 2, f"{path.name}: no code to run"
        for cell in code:
            compile("".join(cell["source"]), path.name, "exec")  # every cell is Python
