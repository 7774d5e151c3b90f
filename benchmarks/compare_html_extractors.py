"""trafilatura vs resiliparse on realistic HTML pages built around the scraped articles of a corpus.

    python -m benchmarks.compare_html_extractors [--corpus ../shared/corpora/ukraine_web_feb2026]

The corpus holds text files (title, ``date | outlet | url`` header, then the page text with the
menus the scraper kept), not HTML. So each article is put back into a page
(`benchmarks.html_pages.page_html`, three layouts): the lines ``extraction.readers.boilerplate`` keeps
are the article's paragraphs (the gold text), the runs it removes go back in place as link
lists, and the page gets a nav bar, cookie banner, related-story, most-read and footer blocks
whose headlines carry figures. Both extractors then read the same pages. Reported:

* token precision / recall / F1 of the extracted text against the gold text (bag of words);
* furniture leaked: generated furniture items (headlines, banner, footer links) found in the output;
* claims: extracted from the gold text vs from each output (same pipeline), matched by kind and
  quantity text; "extra" claims come from furniture, "lost" ones from article text left out;
* metadata equal to the page's (trafilatura's own; resiliparse has none: ours, `page_metadata`);
* pages/s of the extraction alone (parse + main text), one process.

Nothing from the corpus is written anywhere: pages are built in memory.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections import Counter
from pathlib import Path

from benchmarks.html_pages import page_html
from extraction.readers.boilerplate import strip_boilerplate
from extraction.readers.headers import parse_header

SHARED = Path(os.environ.get("CLAIMS_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DEFAULT_CORPUS = SHARED / "corpora" / "ukraine_web_feb2026"
_WORD = re.compile(r"\w+")


def article_parts(text: str) -> tuple[dict, list[str | list[str]], str]:
    """(header fields, paragraphs with menu runs as lists, gold text) of a scraped text file."""
    header = parse_header(text)
    kept = set(strip_boilerplate(header.body).splitlines())
    parts: list[str | list[str]] = []
    for line in header.body.splitlines():
        line = line.strip()
        if not line:
            continue
        if line in kept:
            parts.append(line)
        elif parts and isinstance(parts[-1], list):
            parts[-1].append(line)
        else:
            parts.append([line])
    gold = "\n".join(p for p in parts if isinstance(p, str))
    meta = {"title": header.title or "Untitled", "outlet": header.outlet or "example.org",
            "url": header.url or "https://example.org/article",
            "published": header.published.isoformat() if header.published else None}
    return meta, parts, gold


def trafilatura_text(html: str) -> tuple[str, dict]:
    """trafilatura 2.3 (``pip install trafilatura lxml_html_clean``), its own metadata included."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      include_images=False, deduplicate=False,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return "", {}
    return doc.text or "", {"title": doc.title, "published": doc.date, "outlet": doc.sitename, "url": doc.url}


def resiliparse_text(html: str) -> tuple[str, dict]:
    """What ``claims`` uses: resiliparse's main content plus `extraction.readers.html.page_metadata`."""
    from extraction.readers.html import html_page

    page = html_page(html)
    return page.text, {"title": page.title, "published": page.published and page.published.isoformat(),
                       "outlet": page.outlet, "url": page.url}


def token_prf(gold: str, out: str) -> tuple[float, float]:
    g, o = Counter(_WORD.findall(gold.lower())), Counter(_WORD.findall(out.lower()))
    common = sum((g & o).values())
    return common / max(sum(o.values()), 1), common / max(sum(g.values()), 1)


def claim_keys(texts: list[str]) -> list[Counter]:
    from extraction.run.api import extract_articles
    from models import Article

    articles = [Article.from_text(t or "(empty)", f"page{i}") for i, t in enumerate(texts)]
    return [Counter((c.kind.value, c.quantity.text) for c in claims) for _, claims in extract_articles(articles)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="timing passes over all pages")
    parser.add_argument("--layout", type=int, choices=range(4), help="one layout for every page (default: mixed)")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.txt"))
    pages, golds, metas = [], [], []
    for i, f in enumerate(files):
        meta, parts, gold = article_parts(f.read_text(encoding="utf-8"))
        pages.append(page_html(meta["title"], parts, outlet=meta["outlet"], url=meta["url"],
                               published=meta["published"], author="A. Reporter", seed=i, layout=args.layout))
        golds.append(gold)
        metas.append(meta)
    print(f"{len(pages)} pages from {args.corpus.name}, "
          f"{sum(len(p.html) for p in pages) / len(pages) / 1024:.0f} KiB of HTML a page on average")
    gold_claims = claim_keys(golds)
    for name, fn in (("trafilatura", trafilatura_text), ("resiliparse", resiliparse_text)):
        outputs = [fn(p.html) for p in pages]
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for p in pages:
                fn(p.html)
            best = min(best, time.perf_counter() - t0)
        precision = recall = 0.0
        leaked = furniture = 0
        for page, gold, (text, _meta) in zip(pages, golds, outputs, strict=True):
            p, r = token_prf(gold, text)
            precision += p
            recall += r
            lines = {" ".join(line.split()) for line in text.splitlines()}
            body = " ".join(text.split())
            items = [f for f in page.furniture if len(f.split()) >= 4]
            furniture += len(items)
            leaked += sum(1 for f in items if f in lines or f in body)
        n = len(pages)
        out_claims = claim_keys([t for t, _ in outputs])
        extra = sum(sum((o - g).values()) for o, g in zip(out_claims, gold_claims, strict=True))
        lost = sum(sum((g - o).values()) for o, g in zip(out_claims, gold_claims, strict=True))
        total = sum(sum(g.values()) for g in gold_claims)
        p, r = precision / n, recall / n
        print(f"{name:12s} {n / best:7.1f} pages/s  token P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}  "
              f"furniture leaked {leaked}/{furniture}  claims: gold {total}, extra {extra}, lost {lost}")
        found: Counter = Counter()
        for meta, (_t, got) in zip(metas, outputs, strict=True):
            for field in ("title", "published", "outlet", "url"):
                found[field] += got.get(field) == meta[field]
        print("             metadata equal to the page's: " + ", ".join(f"{k} {v}/{n}" for k, v in found.items()))


if __name__ == "__main__":
    main()
