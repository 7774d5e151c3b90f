"""Pairwise precision and recall of ``extraction.corpus.dedup.cluster_documents`` on copies.

Two sets:

1. ``shared/corpora/neardup_syndication`` (real pages; read and measured, never copied).
   Text = the title line plus the body (line 2, the corpus's metadata line, is dropped);
   published = the date at the start of line 2, when there is one.

   Which pairs count as copies (the truth for scoring), from ``groups.json``'s relations:

   - G2 (AP wire syndication + write-through update): copies. The write-through keeps most
     of the wire text (containment 0.55-0.83).
   - G3 (same-source rewrite): copies. The two Ukrinform versions share the joint statement
     verbatim (containment 0.71-0.79): the same text re-edited, not a re-wording.
   - G4 (re-crawl with edits) and G7 (one page, 8 scraper runs): copies.
   - G5 (Reuters verbatim + two paraphrased rewrites): **not copies**. The rewrites share
     1-18% of their shingles with the wire text; they are the same story (a semantic
     duplicate, found by claim grouping), so each G5 page is its own truth cluster and a
     merged G5 pair counts as a false positive.
   - G1 and G6 are listed in groups.json but absent from the folder; they are skipped
     (G6's consent-wall failures are simulated in the synthetic set instead).

   Every pair across groups is a negative. ``--background`` adds every page of
   ukraine_gdelt_2022_2024, ukraine_web_feb2026 and yle_selkouutiset_en_war_items (907
   pages) as distractors. Their truth: pages with the same normalised text or the same URL
   (line 2) are copies, and so are quality_flags.json's exact-duplicate groups and the
   pairs in ``JUDGED_COPIES`` (read and judged by hand, reason given); every other
   predicted pair is printed and counted as a false positive.

2. The synthetic set of ``benchmarks.synth`` (copies: exact, trimmed, reintro, typo,
   shuffled, rescraped and combinations; non-copies: paraphrases, articles quoting a
   story's sentences, consent-wall failure pages).

Run: ``python -m benchmarks.eval_neardup [--synthetic N] [--background]``.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter, defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path

from benchmarks.synth import generate
from extraction.corpus.dedup import cluster_documents, normalise
from models.groups import DupCluster

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
NOT_COPIES = {"G5_reuters_lukoil_2026-02-26"}
#: background pairs found by dedup, not labelled in the corpora, read and judged to be copies
JUDGED_COPIES = [
    ("ukraine_gdelt_2022_2024/20220202T180000_US_46dc752107.txt",
     "ukraine_gdelt_2022_2024/20220202T194500_US_dc57ec8f01.txt",
     "one US wire story 1h45 apart, updated (containment 0.75)"),
    ("ukraine_gdelt_2022_2024/20230326T113000_PL_586098aaad.txt",
     "ukraine_gdelt_2022_2024/20230327T093000_PL_ac7187bd0b.txt",
     "one PL story and its next-day write-through: same paragraphs, re-translated (containment 0.56)"),
    ("ukraine_web_feb2026/P_nodate_www_criticalthreats_org_e9686905.txt",
     "ukraine_web_feb2026/P_nodate_www_kyivpost_com_ffb1cc39.txt",
     "Kyiv Post reprints ISW's assessment of the same day: key takeaways verbatim (containment 0.74)"),
]
# Left as a false positive: yle 20260726_01 ~ 20260727_02 (Aalto), the same outlet's next-day
# re-edit of a bulletin item, one sentence verbatim and the rest reworded (containment 0.51).
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_URL = re.compile(r"https?://(?:www\.)?(\S+)")

Doc = tuple[str, str, date | None]


def read_page(path: Path) -> tuple[str, date | None, str | None]:
    """Title + body of a corpus file, and the date and URL of its metadata line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    meta = lines[1] if len(lines) > 1 else ""
    day, url = _DATE.match(meta), _URL.search(meta)
    return ("\n".join(lines[:1] + lines[2:]), date.fromisoformat(day.group(1)) if day else None,
            url.group(1).rstrip("/") if url else None)


def load_neardup(root: Path = SHARED / "neardup_syndication") -> tuple[list[Doc], dict[str, str]]:
    """Pages and their truth label (same label = copies)."""
    docs, truth = [], {}
    for group in json.loads((root / "groups.json").read_text()):
        folder = root / group["group"]
        if not folder.is_dir():
            continue
        for name in group["files"]:
            doc_id = f"{group['group']}/{name}"
            text, published, _ = read_page(folder / name)
            docs.append((doc_id, text, published))
            truth[doc_id] = doc_id if group["group"] in NOT_COPIES else group["group"]
    return docs, truth


def load_background(neardup: list[Doc], truth: dict[str, str]) -> tuple[list[Doc], dict[str, str]]:
    """Distractor pages from the sibling corpora, labelled as described in the module docstring."""
    parent = {d: label for d, label in truth.items()}  # union-find over labels

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    first_of: dict[str, str] = {}
    pages = [(d, t, p, None) for d, t, p in neardup]
    docs = []
    for folder in ("ukraine_gdelt_2022_2024", "ukraine_web_feb2026", "yle_selkouutiset_en_war_items"):
        for path in sorted((SHARED / folder).rglob("*.txt")):
            doc_id = f"{folder}/{path.relative_to(SHARED / folder)}"
            text, published, url = read_page(path)
            docs.append((doc_id, text, published))
            pages.append((doc_id, text, published, url))
    neardup_urls = {d: read_page(SHARED / "neardup_syndication" / d)[2] for d, _, _ in neardup}
    for doc_id, text, _, url in pages:
        for key in (f"text:{normalise(text)}", f"url:{url or neardup_urls.get(doc_id)}"):
            if key != "url:None":
                union(doc_id, first_of.setdefault(key, doc_id))
    flags = SHARED / "ukraine_gdelt_2022_2024" / "quality_flags.json"
    groups = json.loads(flags.read_text()).get("exact_duplicate_groups", []) if flags.exists() else []
    for ids in groups:
        for n in ids[1:]:
            union(f"ukraine_gdelt_2022_2024/{n}", f"ukraine_gdelt_2022_2024/{ids[0]}")
    for a, b, _ in JUDGED_COPIES:
        union(a, b)
    return docs, {d: find(d) for d, _, _, _ in pages}


def pairs_of(groups: dict[str, list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for ids in groups.values() for p in combinations(sorted(ids), 2)}


def score(clusters: list[DupCluster], truth: dict[str, str]) -> dict:
    """Pairwise precision/recall of predicted clusters against truth labels."""
    predicted = pairs_of({c.id: c.doc_ids for c in clusters})
    labelled: dict[str, list[str]] = defaultdict(list)
    for doc_id, label in truth.items():
        labelled[label].append(doc_id)
    gold = pairs_of(labelled)
    tp = len(predicted & gold)
    return {
        "precision": tp / len(predicted) if predicted else 1.0,
        "recall": tp / len(gold) if gold else 1.0,
        "predicted": len(predicted), "gold": len(gold), "tp": tp,
        "false_pairs": sorted(tuple(sorted(p)) for p in predicted - gold),
        "missed_pairs": sorted(tuple(sorted(p)) for p in gold - predicted),
    }


def eval_store(root: Path = SHARED / "neardup_syndication") -> dict:
    """The same pairs through the whole tool: ``claims ingest`` of the folder into a fresh store,
    then the copy clusters ``claims duplicates`` lists (one member per appearance, so the two
    scrapes with identical text are both there)."""
    import tempfile

    from extraction.corpus.refresh import stored_clusters
    from extraction.run.runner import ingest
    from models.groups import DupMember
    from models.store import ClaimStore

    _, truth = load_neardup(root)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "claims.db"
        ingest([str(root / label.split("/")[0]) for label in sorted({t.split("/")[0] for t in truth})], db, workers=1)
        with ClaimStore(db, readonly=True) as store:
            clusters = stored_clusters(store)
    found = [DupCluster(id=c["cluster"], canonical_id=c["canonical"],
                        members=[DupMember(doc_id="/".join(Path(m["path"]).parts[-2:]), similarity=m["similarity"])
                                 for m in c["members"]]) for c in clusters]
    return score(found, truth)


def report(name: str, s: dict, show: int = 10) -> None:
    print(f"{name}: precision {s['precision']:.4f}  recall {s['recall']:.4f}  "
          f"(predicted {s['predicted']}, gold {s['gold']}, tp {s['tp']})")
    for label in ("false_pairs", "missed_pairs"):
        for pair in s[label][:show]:
            print(f"  {label[:-6]}: {pair[0]}  ~  {pair[1]}")


def eval_synthetic(n: int, seed: int) -> dict:
    docs = generate(n, seed=seed)
    truth = {d.doc_id: d.story for d in docs}
    t0 = time.perf_counter()
    clusters = cluster_documents((d.doc_id, d.text, d.published) for d in docs)
    elapsed = time.perf_counter() - t0
    s = score(clusters, truth)
    variant = {d.doc_id: d.variant for d in docs}
    missed = Counter(variant[d] for p in s["missed_pairs"] for d in p if variant[d] != "original")
    wrong = Counter("+".join(sorted({variant[d] for d in p})) for p in s["false_pairs"])
    in_cluster = {m.doc_id: len(c.members) > 1 for c in clusters for m in c.members}
    merged = {v: (sum(in_cluster[d.doc_id] for d in docs if d.variant == v), sum(d.variant == v for d in docs))
              for v in ("paraphrase", "quote")}
    s.update(seconds=elapsed, missed_by_variant=dict(missed), false_by_variants=dict(wrong), merged=merged)
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=5000, help="synthetic pages (0: skip)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--background", action="store_true", help="add the sibling corpora as distractors")
    ap.add_argument("--store", action="store_true", help="also through ingest and the store (claims duplicates)")
    args = ap.parse_args()

    docs, truth = load_neardup()
    report("neardup_syndication", score(cluster_documents(docs), truth))
    if args.store:
        report("neardup_syndication through the store", eval_store())
    if args.background:
        extra, labels = load_background(docs, truth)
        s = score(cluster_documents(docs + extra), labels)
        report(f"neardup + {len(extra)} background pages", s, show=40)
    if args.synthetic:
        s = eval_synthetic(args.synthetic, args.seed)
        report(f"synthetic ({args.synthetic} pages, {args.synthetic / s['seconds']:.0f} pages/s)", s, show=5)
        print(f"  missed pairs by copy variant: {s['missed_by_variant']}")
        print(f"  false pairs by variants: {s['false_by_variants']}")
        for v, (n, total) in s["merged"].items():
            print(f"  {v} pages put in any copy cluster: {n} of {total}")


if __name__ == "__main__":
    main()
