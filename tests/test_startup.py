"""What a run costs outside extraction: the modules ``claims ingest`` does not import, and the
garbage collector skipping what outlives a run."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from extraction.run.runner import ingest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "seeds" / "004_7e7fffae3bfed34c.txt"


def test_startup_ingest_without_pass_imports_no_pass_and_no_dateparser(tmp_path):
    # dateparser (a fifth of a second) only for expressions the rules miss; rapidfuzz and the corpus
    # pass only when a pass runs
    script = (
        "import sys\n"
        "from extraction.cli.main import main\n"
        f"sys.argv = ['claims', 'ingest', {str(SEED)!r}, '--db', {str(tmp_path / 'c.db')!r}, '-q', '-w', '1',"
        " '--no-corpus-pass']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('dateparser', 'rapidfuzz', 'extraction.corpus.refresh') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLAIMS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    summary, imported = done.stdout.strip().splitlines()
    assert json.loads(summary)["claims"] > 0
    assert imported == "[]"


def test_startup_run_freezes_then_hands_back(tmp_path):
    during: list[int] = []
    ingest([str(SEED)], tmp_path / "c.db", workers=1, corpus_pass=False,
           progress=lambda summary: during.append(gc.get_freeze_count()))
    assert during and min(during) > 0  # what was alive at the start is skipped during the run
    assert gc.get_freeze_count() == 0  # and handed back at the end


def test_startup_run_leaves_a_callers_freeze_alone(tmp_path):
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        ingest([str(SEED)], tmp_path / "c.db", workers=1, corpus_pass=False)
        # still frozen (a few frozen objects may die by reference counting meanwhile); unfrozen would be 0
        assert gc.get_freeze_count() > frozen * 0.9
    finally:
        gc.unfreeze()
