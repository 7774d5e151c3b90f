"""Flat cost: per-article CPU and peak memory of ingest and of the corpus pass, at one size.

    python -m benchmarks.bench_scale 300000 --workdir /tmp/scale   # hours on a shared 2-core VM
    python -m benchmarks.bench_scale 10000 --every 30
    python -m benchmarks.bench_scale 100000 --workdir /tmp/scale --pass-only --add more.jsonl

Writes a synthetic dump of ``N`` articles (``benchmarks/make_dump.py``, kept in ``--workdir``
for the next run), then, each in a fresh process: ``claims ingest --workers 1 --no-corpus-pass``
(extraction in the ingesting process, so its CPU is the whole cost) and ``claims refresh
--full`` (the whole corpus pass). While the ingest runs, every ``--every`` seconds it samples
the process's CPU time (user + system, from /proc) and the articles stored, so the CPU per
article of each stretch of the run shows whether the cost grows with the store. Prints one
JSON line: per phase CPU, wall, peak RSS (the kernel's high-water mark) and CPU per article,
and the ingest's samples. CPU time, not wall time, is the figure to read on a shared machine.

``--pass-only`` keeps the store of an earlier run in ``--workdir`` and times only the pass, on a
copy. ``--add FILE`` then also times an addition: ``claims ingest FILE --no-corpus-pass`` into
another copy, then the incremental ``claims refresh`` (``add_pass``) next to a ``claims refresh``
with nothing to do (``noop_pass``, the process's start-up), and checks that the result equals a
``claims refresh --full`` of it (``add_equals_full``).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _proc(pid: int) -> tuple[float, int] | None:
    """(CPU seconds, peak RSS in KiB) of a running process, from /proc; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        hwm = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                   if line.startswith("VmHWM"))
        return cpu, hwm
    except (OSError, StopIteration, IndexError, ValueError):
        return None


def _articles(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return -1


def run(args: list[str], db: Path, every: float) -> dict:
    """``python -m extraction.cli ARGS`` in a fresh process; samples (seconds, articles, CPU s, peak MiB)."""
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "extraction.cli", *args], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    samples, due = [], every
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.5)
        if time.perf_counter() - t >= due:
            due += every
            seen = _proc(child.pid)
            if seen is not None:
                samples.append((round(time.perf_counter() - t), _articles(db), round(seen[0], 1), seen[1] // 1024))
    wall = time.perf_counter() - t
    if status:
        raise SystemExit(f"claims {args[0]} failed: {child.stderr.read().decode()[-500:] if child.stderr else ''}")
    cpu = usage.ru_utime + usage.ru_stime
    peak = usage.ru_maxrss // 1024
    return {"cpu_s": round(cpu, 1), "wall_s": round(wall, 1), "peak_mib": peak, "samples": samples}


def per_article(samples: list[tuple], stride: int) -> list[dict]:
    """CPU ms per article between samples about ``stride`` articles apart."""
    out, prev = [], (0, 0, 0.0, 0)
    for s in samples:
        if s[1] - prev[1] >= stride:
            out.append({"articles": f"{prev[1]}-{s[1]}", "cpu_ms_per_article": round(1000 * (s[2] - prev[2]) /
                                                                                   (s[1] - prev[1]), 2),
                        "peak_mib": s[3]})
            prev = s
    return out


def _copy(db: Path, to: Path) -> Path:
    """A consistent copy of a store (its write-ahead log checkpointed into it)."""
    for p in to.parent.glob(f"{to.name}*"):
        p.unlink()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


def _addition(db: Path, add: Path, work: Path, every: float) -> dict:
    """Add ``add``'s articles to a copy of ``db`` and time the incremental pass; compare it with a
    full pass over the same store."""
    from models.store import ClaimStore

    added = _copy(db, work / "add.db")
    noop = run(["refresh", "--db", str(added), "--quiet"], added, every)
    store_add = run(["ingest", str(add), "--db", str(added), "--workers", "1", "--no-corpus-pass", "--quiet"],
                    added, every)
    rebuilt = _copy(added, work / "add_full.db")
    add_pass = run(["refresh", "--db", str(added), "--quiet"], added, every)
    run(["refresh", "--full", "--db", str(rebuilt), "--quiet"], rebuilt, every)
    with ClaimStore(added, readonly=True) as a, ClaimStore(rebuilt, readonly=True) as b:
        equal = a.pass_state() == b.pass_state()
    for r in (noop, store_add, add_pass):
        r.pop("samples")
    return {"noop_pass": noop, "add_ingest": store_add, "add_pass": add_pass,
            "add_pass_cpu_over_noop_s": round(add_pass["cpu_s"] - noop["cpu_s"], 2), "add_equals_full": equal}


def main(argv: list[str] | None = None) -> None:
    from benchmarks.make_dump import write_jsonl

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=int)
    ap.add_argument("--workdir", type=Path, help="keep the dump and the store here (default: a temporary folder)")
    ap.add_argument("--every", type=float, default=60.0, help="seconds between samples of the ingest")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pass-only", action="store_true", help="reuse the store in --workdir; time only the pass")
    ap.add_argument("--add", type=Path, help="also time adding this file's articles (incremental pass)")
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"store_{args.articles}.db"
    out: dict = {"articles": args.articles}
    if args.pass_only:
        if not db.exists():
            raise SystemExit(f"{db}: no store to reuse (run without --pass-only first)")
        db = _copy(db, work / f"pass_{args.articles}.db")
    else:
        dump = work / f"synthetic_{args.articles}_{args.seed}.jsonl"
        if not dump.exists():
            write_jsonl(dump, args.articles, seed=args.seed)
        for p in work.glob(f"{db.name}*"):
            p.unlink()
        ingest = run(["ingest", str(dump), "--db", str(db), "--workers", "1", "--no-corpus-pass", "--quiet"], db,
                     args.every)
        ingest["cpu_ms_per_article"] = round(1000 * ingest["cpu_s"] / args.articles, 2)
        ingest["stretches"] = per_article(ingest.pop("samples"), max(1, args.articles // 10))
        out["ingest"] = ingest
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        claims = int(con.execute("SELECT count(*) FROM claims").fetchone()[0])
    out["claims"] = claims
    full = run(["refresh", "--full", "--db", str(db), "--quiet"], db, args.every)
    full.pop("samples")
    full["cpu_ms_per_article"] = round(1000 * full["cpu_s"] / args.articles, 2)
    full["cpu_s_per_1000_claims"] = round(1000 * full["cpu_s"] / max(1, claims), 3)
    out["full_pass"] = full
    if args.add:
        out.update(_addition(db, args.add, work, args.every))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
