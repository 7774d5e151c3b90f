"""Throughput and memory of near-duplicate clustering at 1k / 10k / 100k synthetic articles.

Each size runs in its own single-threaded process: the articles are generated first (not
timed), then ``cluster_documents`` runs on them (timed: sort + index + verify + clusters).
Rates are given per wall-clock second and per CPU second of the process (the latter is
what one core does, whatever else runs on the machine).
Memory is the process's resident size before and after clustering (the index plus its
results) and the peak (``ru_maxrss``, which includes the generated texts).

Run: ``python -m benchmarks.bench_dedup [SIZES...]`` (default 1000 10000 100000).
Target (issue): >= 1,000 articles/s on one core at 100k, cost growing near-linearly.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import time

TARGET_PER_S = 1000


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(n: int, seed: int = 3) -> dict:
    """Cluster ``n`` synthetic articles in this process and return timings and memory."""
    from benchmarks.synth import generate
    from extraction.corpus.dedup import cluster_documents

    docs = [(d.doc_id, d.text, d.published) for d in generate(n, seed=seed)]
    chars = sum(len(t) for _, t, _ in docs)
    gc.collect()
    before = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    clusters = cluster_documents(docs)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    after = _rss_mb()
    return {
        "articles": n,
        "mean_chars": chars / n,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "per_s": n / seconds,
        "cpu_per_s": n / cpu,
        "us_per_article": 1e6 * cpu / n,
        "clusters": len(clusters),
        "copies": n - len(clusters),
        "index_mb": after - before,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str]) -> None:
    if len(argv) > 2 and argv[1] == "--one":
        print(json.dumps(measure(int(argv[2]))))
        return
    sizes = [int(a) for a in argv[1:]] or [1000, 10_000, 100_000]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    rows = []
    print(f"{'articles':>9} {'chars/art':>9} {'wall s':>7} {'art/s':>6} {'cpu s':>7} {'art/cpu-s':>9} "
          f"{'cpu us/art':>10} {'copies':>7} {'index MB':>9} {'KB/art':>7} {'peak MB':>8}")
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "benchmarks.bench_dedup", "--one", str(n)],
                             capture_output=True, text=True, env=env, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(r)
        print(f"{r['articles']:>9,} {r['mean_chars']:>9.0f} {r['seconds']:>7.2f} {r['per_s']:>6.0f} "
              f"{r['cpu_seconds']:>7.2f} {r['cpu_per_s']:>9.0f} {r['us_per_article']:>10.0f} "
              f"{r['copies']:>7,} {r['index_mb']:>9.1f} "
              f"{1024 * r['index_mb'] / r['articles']:>7.2f} {r['peak_mb']:>8.0f}", flush=True)
    if len(rows) > 1:
        growth = rows[-1]["us_per_article"] / rows[0]["us_per_article"]
        print(f"CPU cost per article x{growth:.2f} from {rows[0]['articles']:,} to {rows[-1]['articles']:,} "
              f"(1.00 = linear total cost)")
    last = rows[-1]
    rate = last["cpu_per_s"]
    verdict = "meets" if rate >= TARGET_PER_S else f"misses by {TARGET_PER_S - rate:.0f}/s"
    print(f"{rate:.0f} articles per CPU-second at {last['articles']:,}: {verdict} the {TARGET_PER_S}/s target "
          f"(wall clock {last['per_s']:.0f}/s; other processes share the cores)")


if __name__ == "__main__":
    main(sys.argv)
