"""End-to-end ingestion speed and memory: a script, not a test. Prints the figures of benchmarks/RESULTS.md.

    python -m benchmarks.bench_pipeline            # full run (the 100k scaling point takes a while)
    python -m benchmarks.bench_pipeline --quick    # a few minutes
    python -m benchmarks.bench_pipeline --sizes 1000,10000 --corpus ../shared/corpora/bbc_fulltext_2004_2005
    python -m benchmarks.bench_pipeline --tokenise ../shared/corpora/bbc_fulltext_2004_2005   # the floor, alone
    python -m benchmarks.bench_pipeline --stages --skip ratio --skip scaling --skip speedup \
        --corpus ../shared/corpora/bbc_fulltext_2004_2005 --texts 3000       # where the time goes (1c)

0. Process to process (the figure issue 17 asks for): time ``claims ingest DIR --db fresh.db --workers 1
   --no-corpus-pass`` and ``--tokenise DIR`` (bare ``spacy.blank("en")`` tokenisation of the same
   files in a process of its own) with ``/usr/bin/time`` or any harness that times whole processes,
   alternately, and read the ratio of their CPU times. Target: <= 2.4.

1. One core: bare ``spacy.blank("en")`` tokenisation of N texts vs ``claims`` ingestion of the
   same texts from a JSONL dump into a fresh SQLite store (read + extract + store; the corpus
   pass -- dedup, grouping -- is timed apart). Target: ratio <= 2.0.
2. quantulum3 on a subsample of the same texts, compared per word. Target: >= 10x.
3. Scaling: 1k/10k/100k synthetic articles (benchmarks/make_dump.py), each size in its own
   child process: throughput and peak RSS (the child and its workers).
4. Workers 1 vs 2 on the same dump: wall-clock speed-up.

Real texts are read from the corpora under ../shared when present (never copied); otherwise
synthetic text is used. Pipeline construction is excluded from (1) and included in (3), (4).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
DEFAULT_CORPORA = [CORPORA / "bbc_fulltext_2004_2005", CORPORA / "ukraine_gdelt_2022_2024"]


def machine() -> dict:
    import spacy

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "spacy": spacy.__version__,
            "platform": platform.platform(), "load_average": os.getloadavg()}


def real_texts(dirs: list[Path], n: int) -> list[dict]:
    """Up to ``n`` articles from the corpus directories, spread evenly over them, as dump records."""
    from extraction.readers.ingest import iter_inputs
    from models import Article

    per_dir = max(1, n // max(1, len(dirs)))
    records = []
    for d in dirs:
        files = sorted(glob.glob(str(d / "*.txt")))
        step = max(1, len(files) // per_dir)
        for a in iter_inputs(files[::step][:per_dir]):
            if isinstance(a, Article):
                records.append({"id": a.path, "title": a.title, "date": a.published and a.published.isoformat(),
                                "outlet": a.outlet, "text": a.text})
    return records


def write_records(path: Path, records: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def one_core(dump: Path, workdir: Path, rounds: int = 3) -> dict:
    """Section 1: tokenisation vs end-to-end ingestion of the same texts, in this process.

    ``rounds`` interleaved rounds (tokenise, ingest, tokenise, ingest, ...), each with a fresh
    ``spacy.blank("en")`` and a freshly built pipeline (built outside the timings), so both
    sides start from a cold vocabulary; the median round is reported, since a shared machine
    moves single timings by +-15%. Then the same ingestion once more on the now warm pipeline,
    against tokenisation with a warm vocabulary: the steady state of a long run, where
    tokenisation is cheaper (no new words) and the ratio is higher. Last, the frame alone: the
    run without the rule component and with assembly stubbed out, the floor any rules add to, cold
    and then warm."""
    import statistics

    import spacy

    from extraction.nlp.pipeline import get_nlp
    from extraction.run import api, runner

    texts = [json.loads(line)["text"] for line in dump.read_text(encoding="utf-8").splitlines()]
    words = sum(len(t.split()) for t in texts)
    real_claims = api.claims_from_doc
    refresh_time, refresh_cpu = [0.0], [0.0]
    real_refresh = runner.refresh

    def timed_refresh(*args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        try:
            return real_refresh(*args, **kwargs)
        finally:
            refresh_time[0] += time.perf_counter() - t
            refresh_cpu[0] += time.process_time() - c

    def tokenise(blank) -> tuple[float, float, int]:
        t, c = time.perf_counter(), time.process_time()
        tokens = sum(len(doc) for doc in blank.tokenizer.pipe(texts, batch_size=256))
        return time.perf_counter() - t, time.process_time() - c, tokens

    def ingest(db: Path) -> tuple[float, float, float, object]:
        refresh_time[0] = refresh_cpu[0] = 0.0
        t, c = time.perf_counter(), time.process_time()
        summary = runner.ingest([dump], db, workers=1)
        total, total_cpu = time.perf_counter() - t, time.process_time() - c
        # CPU time of this process: on a shared machine it moves far less than the wall clock
        return total - refresh_time[0], total_cpu - refresh_cpu[0], refresh_time[0], summary

    runner.refresh = timed_refresh
    runs = []
    try:
        for k in range(rounds):
            get_nlp.cache_clear()
            get_nlp()  # built outside the timings, with a fresh vocabulary
            tok, tok_cpu, tokens = tokenise(spacy.blank("en"))
            e2e, e2e_cpu, corpus_pass, summary = ingest(workdir / f"one_core_{k}.db")
            runs.append({"tokenise_s": tok, "tokenise_cpu_s": tok_cpu, "ingest_s": e2e, "ingest_cpu_s": e2e_cpu,
                         "corpus_pass_s": corpus_pass, "ratio": e2e / tok, "ratio_cpu": e2e_cpu / tok_cpu})
        warm_blank = spacy.blank("en")
        tokenise(warm_blank)
        warm_tok = tokenise(warm_blank)[1]
        warm_ingest = ingest(workdir / "one_core_warm.db")[1]
        # the frame alone: the same run with no rules and no assembly (read, tokenizer,
        # sentences, gazetteers, storing the articles): what any rule set would start from
        get_nlp.cache_clear()
        get_nlp().remove_pipe("claim_rules")
        api.claims_from_doc = lambda doc, article, version: []
        frame_blank = spacy.blank("en")
        frame_tok = tokenise(frame_blank)[1]
        frame_ingest = ingest(workdir / "one_core_frame.db")[1]
        # and once more with both vocabularies warm: the frame's share of a long run's steady state
        frame_tok_warm = tokenise(frame_blank)[1]
        frame_ingest_warm = ingest(workdir / "one_core_frame_warm.db")[1]
    finally:
        runner.refresh = real_refresh
        api.claims_from_doc = real_claims
        get_nlp.cache_clear()
    mid = sorted(runs, key=lambda r: r["ratio_cpu"])[len(runs) // 2]
    return {"articles": len(texts), "words": words, "tokens": tokens, "claims": summary.claims, "rounds": rounds,
            **{k: round(v, 2) for k, v in mid.items() if k.endswith("_s")},
            "ratio": round(mid["ratio"], 1), "ratio_cpu": round(mid["ratio_cpu"], 1),
            "ratio_cpu_rounds": [round(r["ratio_cpu"], 2) for r in runs],
            "ratio_cpu_spread": round(statistics.pstdev(r["ratio_cpu"] for r in runs), 2),
            "warm_tokenise_cpu_s": round(warm_tok, 2), "warm_ingest_cpu_s": round(warm_ingest, 2),
            "ratio_cpu_warm": round(warm_ingest / warm_tok, 1),
            "ratio_cpu_frame_only": round(frame_ingest / frame_tok, 2),
            "ratio_cpu_frame_only_warm": round(frame_ingest_warm / frame_tok_warm, 2), "load_average": os.getloadavg(),
            "ingest_articles_per_s": round(len(texts) / mid["ingest_s"], 1),
            "ingest_words_per_s": round(words / mid["ingest_s"])}


def stages(dump: Path) -> dict:
    """Section 1c: where extraction's CPU time goes, stage by stage, on the dump's texts, against
    bare ``spacy.blank("en")`` tokenisation of the same texts (= 1.0), both on a fresh vocabulary
    (the pipeline is built first, outside the timings): the tokenizer, each pipe, and assembly
    (interpretation and the ``Claim`` models). Reading and the store are not in it."""
    import spacy

    from extraction.interpret.assemble import claims_from_doc
    from extraction.nlp.pipeline import EXTRACTOR_VERSION, build_nlp
    from extraction.run.api import _clean, _make_doc
    from models import Article

    records = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    articles = [Article.from_text(r["text"], path=r["id"]) for r in records]
    nlp = build_nlp()
    cpu: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}, "assembly": 0.0}
    for article in articles:
        c = time.process_time()
        doc = _make_doc(nlp, _clean(article.text))
        cpu["tokenizer"] += time.process_time() - c
        for name, pipe in nlp.pipeline:
            c = time.process_time()
            doc = pipe(doc)
            cpu[name] += time.process_time() - c
        c = time.process_time()
        claims_from_doc(doc, article, EXTRACTOR_VERSION)
        cpu["assembly"] += time.process_time() - c
    blank = spacy.blank("en")
    c = time.process_time()
    sum(len(doc) for doc in blank.tokenizer.pipe([r["text"] for r in records], batch_size=256))
    bare = time.process_time() - c
    return {"articles": len(articles), "bare_tokenise_cpu_s": round(bare, 2),
            "stages_cpu_s": {k: round(v, 2) for k, v in cpu.items()},
            "stages_vs_bare": {k: round(v / bare, 2) for k, v in cpu.items()},
            "extraction_vs_bare": round(sum(cpu.values()) / bare, 2)}


def quantulum(dump: Path, n: int, ours_words_per_s: float) -> dict:
    """Section 2: quantulum3 on the first ``n`` texts of the dump, per word."""
    try:
        from quantulum3 import parser
    except ImportError:
        return {"skipped": "pip install quantulum3 (the bench extra)"}
    texts = [json.loads(line)["text"] for line in dump.read_text(encoding="utf-8").splitlines()][:n]
    parser.parse("warm up with 5 km")
    words = sum(len(t.split()) for t in texts)
    t = time.perf_counter()
    found = sum(len(parser.parse(text)) for text in texts)
    seconds = time.perf_counter() - t
    rate = words / seconds
    return {"articles": len(texts), "words": words, "quantities": found, "seconds": round(seconds, 2),
            "words_per_s": round(rate), "ours_words_per_s": round(ours_words_per_s),
            "speed_ratio": round(ours_words_per_s / rate, 1)}


def instructions(dump: Path, workdir: Path, n: int) -> dict:
    """Section 1b: the same ratio in instructions counted by valgrind's callgrind, which do not
    depend on what else the machine is doing (CPU time on a shared VM moves by +-15%).

    Three child processes on the first ``n`` texts, each building the pipeline and reading the
    texts first: one that stops there, one that then tokenises, one that then ingests; the
    setup's count is subtracted from the other two. Python runs about 50 times slower under
    valgrind, so ``n`` is small. Instructions are not cycles (the tokenizer's C code retires
    more instructions per cycle than the interpreter), so this ratio reads lower than the CPU
    time ratio."""
    import re
    import shutil

    if shutil.which("valgrind") is None:
        return {"skipped": "valgrind is not installed"}
    lines = dump.read_text(encoding="utf-8").splitlines()[:n]
    small = workdir / f"count_{n}.jsonl"
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = {}
    for mode in ("setup", "tokenise", "ingest"):
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={workdir / 'callgrind.out'}",
                              sys.executable, "-m", "benchmarks.bench_pipeline", "--count", mode, str(small),
                              str(workdir / f"count_{mode}.db")], cwd=ROOT, capture_output=True, text=True, check=True)
        found = re.search(r"Collected : (\d+)", out.stderr)
        if found is None:
            return {"skipped": "no instruction count in valgrind's output"}
        counts[mode] = int(found.group(1))
    tok, ingest = counts["tokenise"] - counts["setup"], counts["ingest"] - counts["setup"]
    return {"articles": len(lines), "tokenise_instructions": tok, "ingest_instructions": ingest,
            "ratio_instructions": round(ingest / tok, 2)}


def tokenise_only(folder: Path) -> None:
    """Section 0's floor: read every .txt file of ``folder`` and tokenise it with bare
    ``spacy.blank("en")``, the whole run in this process; prints the token count."""
    import spacy

    nlp = spacy.blank("en")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    print(sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256)))


def _count(mode: str, dump: str, db: str) -> None:
    """The child of ``instructions``: set up, then run ``mode`` once."""
    import spacy

    from extraction.nlp.pipeline import get_nlp
    from extraction.run import runner

    texts = [json.loads(line)["text"] for line in Path(dump).read_text(encoding="utf-8").splitlines()]
    get_nlp()
    blank = spacy.blank("en")
    if mode == "tokenise":
        sum(len(doc) for doc in blank.tokenizer.pipe(texts, batch_size=256))
    elif mode == "ingest":
        runner.ingest([Path(dump)], Path(db), workers=1, corpus_pass=False)  # the pass is timed apart in (1)


def child_run(dump: Path, db: Path, workers: int) -> dict:
    """Run one ingestion in a fresh process; its time and peak RSS (with its workers')."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_pipeline", "--child", str(dump), str(db),
                          "--workers", str(workers)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child(dump: str, db: str, workers: int) -> None:
    from extraction.run import runner

    refresh_time = [0.0]
    before_pass: dict[str, float] = {}
    real_refresh = runner.refresh

    def timed_refresh(*args, **kwargs):
        before_pass["own"] = peak_rss_mb()
        before_pass["tree"] = tree[0] / 2**20
        t = time.perf_counter()
        try:
            return real_refresh(*args, **kwargs)
        finally:
            refresh_time[0] += time.perf_counter() - t

    runner.refresh = timed_refresh
    tree = [0]
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(tree, stop), daemon=True)
    sampler.start()
    t = time.perf_counter()
    summary = runner.ingest([dump], db, workers=workers)
    total = time.perf_counter() - t
    stop.set()
    sampler.join()
    own = peak_rss_mb()
    e2e = total - refresh_time[0]
    print(json.dumps({"articles": summary.added, "claims": summary.claims, "workers": workers,
                      "seconds": round(e2e, 1), "corpus_pass_s": round(refresh_time[0], 1),
                      "articles_per_s": round(summary.added / e2e, 1),
                      "peak_rss_mb_ingest": round(before_pass.get("own", own)),
                      "peak_tree_rss_mb_ingest": round(before_pass.get("tree", tree[0] / 2**20)),
                      "peak_rss_mb_with_corpus_pass": round(own), "peak_tree_rss_mb": round(tree[0] / 2**20)}))


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB: VmHWM of /proc/self/status, which belongs to
    the process's own address space. ``ru_maxrss`` is not used: on Linux a child started with
    fork + exec reports its parent's peak there until it exceeds it."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample_tree(peak: list[int], stop: threading.Event) -> None:
    """Peak summed RSS of this process and all its descendants (worker processes are
    grandchildren under forkserver, which getrusage(RUSAGE_CHILDREN) does not see)."""
    try:
        import psutil
    except ImportError:
        return
    me = psutil.Process()
    while not stop.wait(0.25):
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        peak[0] = max(peak[0], total)


def scaling(sizes: list[int], workdir: Path, workers: int) -> list[dict]:
    from benchmarks.make_dump import write_jsonl

    rows = []
    for n in sizes:
        dump = write_jsonl(workdir / f"synth_{n}.jsonl", n, seed=n)
        row = child_run(dump, workdir / f"synth_{n}.db", workers)
        row["dump_mb"] = round(dump.stat().st_size / 2**20, 1)
        rows.append(row)
        print(f"  {n:>7} articles: {row}", flush=True)
        dump.unlink()
    return rows


def speedup(n: int, workdir: Path) -> dict:
    from benchmarks.make_dump import write_jsonl

    dump = write_jsonl(workdir / f"speedup_{n}.jsonl", n, seed=99)
    one = child_run(dump, workdir / "w1.db", 1)
    two = child_run(dump, workdir / "w2.db", 2)
    return {"articles": n, "workers_1_s": one["seconds"], "workers_2_s": two["seconds"],
            "speedup": round(one["seconds"] / two["seconds"], 2)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="claims ingestion benchmark")
    ap.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    ap.add_argument("--texts", type=int, help="articles for the one-core ratio (default 600, quick 150)")
    ap.add_argument("--corpus", action="append", type=Path, help="directory of .txt articles (repeatable)")
    ap.add_argument("--synthetic", action="store_true", help="use synthetic text for (1) and (2)")
    ap.add_argument("--sizes", help="scaling sizes, comma-separated (default 1000,10000,100000; quick 300,1000)")
    ap.add_argument("--workers", type=int, default=0, help="workers for the scaling runs (default: the cores)")
    ap.add_argument("--speedup-articles", type=int,
                    help="articles for workers 1 vs 2 (default 10000, since fewer mostly time start-up; quick 400)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds for the one-core ratio (median)")
    ap.add_argument("--instructions", type=int, default=0, metavar="N",
                    help="also count instructions under valgrind for the first N texts (1b; minutes: try 150)")
    ap.add_argument("--stages", action="store_true", help="also time extraction stage by stage (1c)")
    ap.add_argument("--skip", action="append", default=[], choices=["ratio", "quantulum", "scaling", "speedup"])
    ap.add_argument("--child", nargs=2, metavar=("DUMP", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--count", nargs=3, metavar=("MODE", "DUMP", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--tokenise", type=Path, metavar="DIR",
                    help="only tokenise the .txt files of DIR with bare spacy.blank('en'), then exit (section 0)")
    args = ap.parse_args(argv)
    if args.tokenise:
        tokenise_only(args.tokenise)
        return
    if args.count:
        _count(*args.count)
        return
    if args.child:
        _child(args.child[0], args.child[1], args.workers or 1)
        return
    import logging

    logging.basicConfig(level=logging.ERROR)
    n_texts = args.texts or (150 if args.quick else 600)
    sizes = [int(s) for s in (args.sizes or ("300,1000" if args.quick else "1000,10000,100000")).split(",")]
    from extraction.run.parallel import default_workers

    workers = args.workers or default_workers()
    results: dict = {"machine": machine()}
    print("machine:", json.dumps(results["machine"]), flush=True)
    with tempfile.TemporaryDirectory(prefix="claims-bench-") as tmp:
        workdir = Path(tmp)
        dirs = [d for d in (args.corpus or DEFAULT_CORPORA) if d.is_dir()]
        if dirs and not args.synthetic:
            records, kind = real_texts(dirs, n_texts), "real: " + ", ".join(d.name for d in dirs)
        else:
            from benchmarks.make_dump import iter_articles

            records, kind = list(iter_articles(n_texts, seed=1)), "synthetic"
        dump = write_records(workdir / "texts.jsonl", records)
        if "ratio" not in args.skip:
            r = results["one_core"] = {"texts": kind, **one_core(dump, workdir, args.rounds)}
            print(f"(1) one core, {r['articles']} articles ({kind}), median of {r['rounds']} rounds: tokenise "
                  f"{r['tokenise_s']}s, ingest {r['ingest_s']}s (+ corpus pass {r['corpus_pass_s']}s) -> ratio "
                  f"{r['ratio']} (target <= 2.0); CPU time {r['tokenise_cpu_s']}s / {r['ingest_cpu_s']}s -> ratio "
                  f"{r['ratio_cpu']} (rounds {r['ratio_cpu_rounds']}); warm vocabulary: "
                  f"{r['warm_tokenise_cpu_s']}s / {r['warm_ingest_cpu_s']}s -> ratio {r['ratio_cpu_warm']}; "
                  f"frame only (no rules, no assembly): ratio {r['ratio_cpu_frame_only']}, warm "
                  f"{r['ratio_cpu_frame_only_warm']}; "
                  f"load average {', '.join(f'{x:.1f}' for x in r['load_average'])}", flush=True)
            if args.instructions:
                c = results["instructions"] = instructions(dump, workdir, args.instructions)
                print(f"(1b) instructions (callgrind), first {args.instructions} articles: {json.dumps(c)}", flush=True)
            if "quantulum" not in args.skip:
                q = results["quantulum3"] = quantulum(dump, max(20, n_texts // 5), r["ingest_words_per_s"])
                print(f"(2) quantulum3: {json.dumps(q)} (target speed_ratio >= 10)", flush=True)
        if args.stages:
            results["stages"] = stages(dump)
            print(f"(1c) stages, CPU: {json.dumps(results['stages'])}", flush=True)
        if "scaling" not in args.skip:
            print(f"(3) scaling with {workers} workers:", flush=True)
            results["scaling"] = scaling(sizes, workdir, workers)
        if "speedup" not in args.skip:
            s = results["speedup"] = speedup(args.speedup_articles or (400 if args.quick else 10000), workdir)
            print(f"(4) workers 1 -> 2: {json.dumps(s)}", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
