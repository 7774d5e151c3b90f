"""The incremental corpus pass: build a store, add a few articles, compare with a full rebuild.

    python -m benchmarks.bench_incremental --corpus ../shared/corpora --synthetic 16000 --add 60

Builds a store from every ``.txt`` under ``--corpus`` but ``--add`` held-out files (one in
``len/add``) plus ``--synthetic`` articles of ``benchmarks/make_dump.py``, with ``claims ingest
--workers 1`` (so the whole CPU time is the one process's); then ingests the held-out files
into it; then runs ``claims refresh --full`` on a copy and checks that clusters, claim groups
and conflicts are identical. Prints one JSON line: CPU (user + sys) and wall seconds and peak
memory of each command, and the add/build ratios. Each command is a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str]) -> dict:
    """Run ``python -m extraction.cli ARGS`` in a fresh process: its CPU and wall time, and the
    largest peak RSS of any command so far."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "extraction.cli", *args], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "peak_mb_so_far": round(after.ru_maxrss / 1024)}


def state(db: Path) -> dict:
    """Clusters, claim groups and conflicts in canonical form."""
    from models.store import ClaimStore

    with ClaimStore(db, readonly=True) as store:
        return store.pass_state()


def main(argv: list[str] | None = None) -> None:
    from benchmarks.make_dump import write_jsonl

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, action="append", default=[], help="directory of .txt articles")
    ap.add_argument("--synthetic", type=int, default=16000, help="synthetic articles in the store")
    ap.add_argument("--add", type=int, default=60, help="held-out files added afterwards")
    ap.add_argument("--workdir", type=Path, help="keep the stores here (default: a temporary folder)")
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_incremental_"))
    work.mkdir(parents=True, exist_ok=True)
    files = sorted(str(p) for d in args.corpus for p in d.rglob("*.txt"))
    step = max(1, len(files) // args.add) if args.add else 0
    held = set(files[step - 1::step][: args.add]) if args.add else set()
    build = [f for f in files if f not in held]
    inputs = build + ([str(write_jsonl(work / "synthetic.jsonl", args.synthetic, seed=7))] if args.synthetic else [])
    db = work / "store.db"
    for p in work.glob("store.db*"):
        p.unlink()
    out = {"build_inputs": len(inputs), "added_files": len(held)}
    out["build"] = timed(["ingest", *inputs, "--db", str(db), "--workers", "1", "--quiet"])
    out["add"] = timed(["ingest", *sorted(held), "--db", str(db), "--workers", "1", "--quiet"])
    full = work / "full.db"
    shutil.copy(db, full)
    out["full_rebuild"] = timed(["refresh", "--full", "--db", str(full), "--quiet"])
    out["add_over_build_cpu"] = round(out["add"]["cpu_s"] / out["build"]["cpu_s"], 4)
    out["add_over_build_wall"] = round(out["add"]["wall_s"] / out["build"]["wall_s"], 4)
    out["equal_to_full_rebuild"] = state(db) == state(full)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
