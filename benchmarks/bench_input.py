"""HTML and WARC input beside plain text, on the same articles: a script, not a test.

    python -m benchmarks.bench_input [--n 400] [--corpus DIR ...]       # everything, one report
    python -m benchmarks.bench_input --prepare DIR [--n 400]            # write the inputs only
    python -m benchmarks.bench_input --read DIR/pages.warc.gz           # read only (no extraction)

The same N articles (real corpus texts read from ../shared/corpora, never copied into the
project; the inputs go to a temporary directory) are written three ways: one ``.txt`` file
each (title, ``date | outlet | url`` header, body), one ``.html`` page each
(`benchmarks.html_pages.page_html`: nav, cookie banner, related stories, footer around the
paragraphs) and one ``.warc.gz`` holding the same pages as response records. Reported:

1. reading alone (``iter_inputs``: decode, main text, metadata, boilerplate), pages/s;
2. ``claims ingest --workers 2 --no-corpus-pass`` into a fresh store, whole process, pages/s;
3. peak RSS of reading a WARC of N and of 8N records (flat memory: the reader streams).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.html_pages import page_html
from extraction.readers.headers import parse_header

SHARED = Path(os.environ.get("CLAIMS_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DEFAULT_CORPORA = [SHARED / "corpora" / "ukraine_gdelt_2022_2024", SHARED / "corpora" / "bbc_fulltext_2004_2005"]
ROOT = Path(__file__).resolve().parent.parent


def _texts(corpora: list[Path], n: int) -> list[tuple[str, str, list[str]]]:
    """(title, published, paragraphs) of up to n articles."""
    files = sorted(f for c in corpora for f in c.glob("*.txt") if f.name[0].isalnum() and f.name != "SOURCES.md")
    random.Random(0).shuffle(files)
    out = []
    for f in files:
        header = parse_header(f.read_text(encoding="utf-8", errors="replace"))
        paragraphs = [p.strip() for p in header.body.splitlines() if p.strip()]
        if len(paragraphs) >= 3:
            published = header.published.isoformat() if header.published else "2024-01-01"
            out.append((header.title or paragraphs[0][:80], published, paragraphs))
        if len(out) == n:
            break
    return out


def _warc_record(uri: str, body: bytes) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    block = http.encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-02-10T00:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block)}\r\n\r\n")
    return gzip.compress(head.encode() + block + b"\r\n\r\n", compresslevel=6)


def prepare(out: Path, articles: list[tuple[str, str, list[str]]], copies: int = 8) -> None:
    """Write txt/, html/, pages.warc.gz and pages_x{copies}.warc.gz under ``out``."""
    (out / "txt").mkdir(parents=True, exist_ok=True)
    (out / "html").mkdir(exist_ok=True)
    with open(out / "pages.warc.gz", "wb") as warc, open(out / f"pages_x{copies}.warc.gz", "wb") as big:
        for i, (title, published, paragraphs) in enumerate(articles):
            url = f"https://news.example/{i:05d}"
            (out / "txt" / f"{i:05d}.txt").write_text(f"{title}\n{published} | news.example | {url}\n\n"
                                                      + "\n".join(paragraphs) + "\n", encoding="utf-8")
            html = page_html(title, paragraphs, outlet="news.example", url=url, published=published, seed=i).html
            (out / "html" / f"{i:05d}.html").write_text(html, encoding="utf-8")
            record = _warc_record(url, html.encode())
            warc.write(record)
            for k in range(copies):
                big.write(_warc_record(f"{url}?copy={k}", html.encode()) if k else record)


def read_only(path: str) -> tuple[int, float]:
    """(articles read, seconds) of iter_inputs over ``path``."""
    from extraction.readers.ingest import iter_inputs
    from models import Article

    t0 = time.perf_counter()
    n = sum(1 for item in iter_inputs([path]) if isinstance(item, Article))
    return n, time.perf_counter() - t0


def _child(args: list[str]) -> tuple[str, float, float]:
    """Run a python child; (its stdout, wall seconds, its peak RSS in MB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1):
        raise SystemExit(f"child failed: {' '.join(args)}\n{done.stderr[-2000:]}")
    return done.stdout, wall, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="articles")
    parser.add_argument("--corpus", type=Path, action="append", help="corpus directories (default: two of shared)")
    parser.add_argument("--prepare", type=Path, help="only write the inputs to this directory")
    parser.add_argument("--read", help="only read this input and print pages/s")
    args = parser.parse_args()
    if args.read:
        n, seconds = read_only(args.read)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n} {seconds:.3f} {peak:.0f}")
        return
    articles = _texts(args.corpus or DEFAULT_CORPORA, args.n)
    if args.prepare:
        prepare(args.prepare, articles)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        prepare(out, articles)
        html_kib = sum(f.stat().st_size for f in (out / "html").iterdir()) / len(articles) / 1024
        print(f"{len(articles)} articles; HTML pages {html_kib:.0f} KiB on average; "
              f"pages.warc.gz {(out / 'pages.warc.gz').stat().st_size / 2**20:.1f} MiB")
        print("1. reading alone (iter_inputs), one process:")
        rates = {}
        for name in ("txt", "html", "pages.warc.gz"):
            stdout, _wall, _peak = _child(["-m", "benchmarks.bench_input", "--read", str(out / name)])
            n, seconds, _ = stdout.split()
            rates[name] = int(n) / float(seconds)
            print(f"   {name:14s} {int(n):5d} articles  {rates[name]:8.1f} pages/s")
        print("2. claims ingest --workers 2 --no-corpus-pass, whole process:")
        base = None
        for name in ("txt", "html", "pages.warc.gz"):
            db = out / f"{name}.db"
            stdout, wall, _peak = _child(["-m", "extraction.cli", "ingest", str(out / name), "--db", str(db),
                                          "--quiet", "--workers", "2", "--no-corpus-pass"])
            summary = stdout.strip().splitlines()[-1]
            rate = len(articles) / wall
            base = base or rate
            print(f"   {name:14s} {rate:7.1f} pages/s  ({rate / base:.2f} of plain text)  {summary[:90]}")
        print("3. peak RSS reading a WARC (flat memory):")
        for name in ("pages.warc.gz", "pages_x8.warc.gz"):
            stdout, _wall, _ = _child(["-m", "benchmarks.bench_input", "--read", str(out / name)])
            n, seconds, peak = stdout.split()
            size = (out / name).stat().st_size / 2**20
            print(f"   {name:18s} {size:6.1f} MiB, {int(n):5d} records: peak RSS {float(peak):.0f} MB")


if __name__ == "__main__":
    main()
