"""Score the extractor on the development gold sets (seeds, dev, dev2) with the project's referee.

    python -m benchmarks.score_dev                 # one line per set
    python -m benchmarks.score_dev --show-misses   # and the referee's list of misses
    python -m benchmarks.score_dev --sets dev2 --out /tmp/pred
    python -m benchmarks.score_dev --sets set_d set_e         # benchmarks/gold/set_[de].gold.jsonl

The referee's gold files and the articles live outside the repository (``../shared/eval``,
``../shared/corpora``, ``../shared/seeds``); sets we annotated blind ourselves are in
``benchmarks/gold`` (values and names only, no quotes: see its README); each set's articles are extracted in-process,
exported as JSONL and passed to ``score.py``, the same referee CI and the closing notes use.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(os.environ.get("CLAIMS_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def articles_for(gold: Path) -> list[Path]:
    """The corpus files whose name (without extension) is a document of ``gold``."""
    docs = {json.loads(line)["doc"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()}
    found = [p for root in (SHARED / "corpora", SHARED / "seeds") for p in root.rglob("*.txt") if p.stem in docs]
    return sorted({p.name: p for p in found}.values())


def predict(paths: list[Path], out: Path) -> Path:
    """Extract ``paths`` in this process and write the claims as the export's JSONL."""
    from extraction.readers.ingest import iter_inputs
    from extraction.run.api import extract_articles
    from models import Article

    articles = (a for a in iter_inputs([str(p) for p in paths]) if isinstance(a, Article))
    with out.open("w", encoding="utf-8") as fh:
        for _, claims in extract_articles(articles):
            for claim in claims:
                fh.write(claim.model_dump_json() + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="*", default=["seeds", "dev", "dev2"])
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--out", type=Path, help="keep each set's predictions here")
    args = ap.parse_args(argv)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="score_dev_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in args.sets:
        gold = SHARED / "eval" / f"{name}.gold.jsonl"
        if not gold.exists():  # our own blind sets, kept here without their quotes
            gold = Path(__file__).resolve().parent / "gold" / f"{name}.gold.jsonl"
        pred = predict(articles_for(gold), out_dir / f"{name}.jsonl")
        cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(pred)]
        res = subprocess.run(cmd + (["--show-misses"] if args.show_misses else []), capture_output=True, text=True)
        if args.show_misses:
            print(f"== {name}\n{res.stdout}")
        else:
            print(f"{name}: {res.stdout.strip().splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
