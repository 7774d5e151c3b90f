"""The claims a change moves across all of ``../shared/corpora`` (and the seeds).

    python -m benchmarks.corpus_diff snapshot /tmp/before.jsonl    # before the change
    python -m benchmarks.corpus_diff snapshot /tmp/after.jsonl     # after it
    python -m benchmarks.corpus_diff diff /tmp/before.jsonl /tmp/after.jsonl [--show 20]

A snapshot is every claim of every corpus article, extracted in this process, one JSON line
each, sorted, without ``extractor_version`` (so a version bump alone changes nothing). ``diff``
counts claims removed, added and changed (same id, other fields) and prints a few of each;
its first line is what the CHANGELOG quotes.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

SHARED = Path(os.environ.get("CLAIMS_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def snapshot(out: Path) -> int:
    from extraction.readers.ingest import iter_inputs
    from extraction.run.api import extract_articles
    from models import Article

    paths = sorted(str(p) for root in (SHARED / "corpora", SHARED / "seeds") for p in root.rglob("*.txt"))
    articles = (a for a in iter_inputs(paths) if isinstance(a, Article))
    rows = []
    for _, claims in extract_articles(articles):
        for claim in claims:
            row = json.loads(claim.model_dump_json())
            row.pop("extractor_version", None)
            row.pop("group", None)
            rows.append(json.dumps(row, sort_keys=True))
    rows.sort()
    out.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} claims from {len(paths)} files -> {out}")
    return 0


def _by_id(path: Path) -> dict[str, str]:
    return {json.loads(line)["id"]: line for line in path.read_text(encoding="utf-8").splitlines()}


def diff(before: Path, after: Path, show: int) -> int:
    a, b = _by_id(before), _by_id(after)
    removed = sorted(set(a) - set(b))
    added = sorted(set(b) - set(a))
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    print(f"claims before {len(a)}, after {len(b)}: removed {len(removed)}, added {len(added)}, changed {len(changed)}")

    def brief(line: str) -> str:
        c = json.loads(line)
        q, src = c["quantity"], c.get("source") or {}
        return (f"{c['evidence'].get('path', '').rsplit('/', 1)[-1]} | {c['kind']} {q.get('text')!r} "
                f"actor={c.get('actor')} places={[p['name'] for p in c.get('places') or []][:2]} "
                f"source={src.get('name')}")

    for label, ids, side in (("-", removed, a), ("+", added, b)):
        for k in ids[:show]:
            print(label, brief(side[k]))
    for k in changed[:show]:
        print("~", brief(a[k]), "\n  ->", brief(b[k]))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    d.add_argument("--show", type=int, default=10)
    args = ap.parse_args(argv)
    return snapshot(args.out) if args.cmd == "snapshot" else diff(args.before, args.after, args.show)


if __name__ == "__main__":
    raise SystemExit(main())
