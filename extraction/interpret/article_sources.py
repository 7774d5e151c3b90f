"""Sources that hold beyond one paragraph, for figures the text around them attributes to nobody.

* **The publisher**, when it is a body of ``gazetteers/sources.tsv`` that is not a news outlet
  and has the article's web domain in its ``domains`` column: a page on the web site of a UN
  agency, a ministry or a statistics office is that body's own report, so its unattributed
  figures are the body's (``publisher_source``).
* **The credited outlet** of a rewrite: an article whose lead credits another news outlet
  ("..., according to Bloomberg", "Reuters reported", "citing the Financial Times") retells that
  outlet's story, so the figures that follow without a source of their own are the outlet's
  (``lead_credit``).
* **The writers' own research**: "our analysis shows", "we counted 400 firms", outside any
  quotation, is the article's authors (its byline, else its outlet) doing the counting themselves
  (``author_voice``).
* **A company reporting its results**: after "X reported a record net profit" or "X declared a
  dividend", later money and share figures that nobody else is cited for are X's own results
  (``company_results``).

Pure over a processed Doc's spans and ``Attribution`` objects; nothing happens at import.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from urllib.parse import urlsplit

from spacy.tokens import Doc, Span

from extraction.interpret.source_context import SentenceSources
from extraction.interpret.source_phrases import Attribution
from extraction.lexicon.lexicons import DATA, word_class
from extraction.nlp.spans import lower_of, span_text, spans_of, words_of
from extraction.readers.headers import byline_in_text
from models import Article

#: Source types whose own web site publishes other people's figures: never a publisher source.
_RELAYING_TYPES = frozenset({"media", "person"})
#: Tokens at the start of the body where an outlet is credited for the story (the lead, with room
#: for a photo caption and for lines a scraped link splits).
LEAD_TOKENS = 120


@lru_cache(maxsize=1)
def domain_table() -> dict[str, tuple[str, str]]:
    """Lower-case web domain -> (canonical name, type), from the ``domains`` column of
    ``gazetteers/sources.tsv``; only bodies that are not news outlets."""
    out: dict[str, tuple[str, str]] = {}
    with open(DATA / "gazetteers" / "sources.tsv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if r.get("type") in _RELAYING_TYPES:
                continue
            for d in (r.get("domains") or "").split("|"):
                if d.strip():
                    out.setdefault(d.strip().lower(), (r["name"], r["type"]))
    return out


def _hosts(article: Article) -> list[str]:
    """The web hosts an article names: its URL's and any outlet given as a domain."""
    hosts = []
    if article.url:
        host = urlsplit(article.url if "//" in article.url else f"//{article.url}").hostname
        if host:
            hosts.append(host.lower())
    for part in (article.outlet or "").split("|"):
        part = part.strip().lower()
        if "." in part and " " not in part:
            hosts.append(part)
    return hosts


def publisher_source(article: Article) -> Attribution | None:
    """The non-media body whose own web site published the article, or None.

    >>> from models import Article
    >>> a = Article.from_text("x", path="x.txt", url="https://www.unhcr.org/news/stories/x")
    >>> publisher_source(a).name
    'UNHCR'
    """
    table = domain_table()
    hosts = _hosts(article)
    if len(hosts) > 1 and len(set(hosts)) > 1 and not article.url:
        return None  # a list of outlets (a syndicated story): no single publisher
    for host in hosts:
        labels = host.removeprefix("www.").split(".")
        for k in range(len(labels) - 1):  # "news.un.org" -> "news.un.org", "un.org"
            hit = table.get(".".join(labels[k:]))
            if hit is not None:
                return Attribution(hit[0], hit[1], host, "publisher", -1, -1, known=True)
    return None


def lead_credit(doc: Doc, sentences: list[Span], article: Article) -> Attribution | None:
    """The news outlet the lead of a rewrite credits for the whole story, or None.

    A credit line: an outlet (a ``media`` source span) alone on a line in the first
    ``LEAD_TOKENS`` tokens, completing a line that ends in "according (to)", "citing", "via" or
    "per" (a scraped page drops a credit's link text and breaks the line around it:
    "..., according" / "Bloomberg"). Never the article's own outlet.

    A credit inside a sentence ("..., Reuters reported") is not extended to the rest of the
    article: on BBC and GDELT articles it mostly credits one fact, and later figures are the
    writer's background."""
    lead = [x for x in sentences if x.start < LEAD_TOKENS]
    if not lead:
        return None
    own = {h.removeprefix("www.").split(".")[0] for h in _hosts(article)}
    for name in (article.outlet or "").split("|"):
        words = [w for w in name.split() if w.lower() != "the"]
        own |= {_squash(name), _squash(words[0])} if words else set()
    for s in spans_of(doc, "sources"):
        if s.start >= lead[-1].end:
            break
        names = {_squash(s.label_), _squash(span_text(s))}
        if s.id_ != "media" or names & own or {n.removeprefix("the") for n in names} & own:
            continue
        sent = next(x for x in lead if x.start <= s.start < x.end)
        words = [t for t in sent if not (t.is_space or t.is_punct) and t.lower_ != "the"]
        if not words or words[0].i < s.start or words[-1].i >= s.end:
            continue  # not a line that is only the name
        before = [t for t in doc[max(0, s.start - 4):s.start] if t.lower_ not in ("the", "to")]
        if len(before) >= 2 and before[-1].is_space and "\n" in before[-1].text \
                and before[-2].lower_ in word_class("credit_line_enders"):
            return Attribution(s.label_, s.id_, span_text(s), "credit", s.start, s.end, known=True)
    return None


def _squash(name: str) -> str:
    """'The Washington Post' -> 'thewashingtonpost', to compare with 'washingtonpost.com'."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def company_results(doc: Doc, sentences: list[SentenceSources], si: int) -> Attribution | None:
    """The company whose results the article reports, when the latest attribution before
    sentence ``si`` is a company cited in a sentence about its results ("Naftogaz reported a
    record net profit", "the company declared a dividend")."""
    for j in range(si - 1, -1, -1):
        atts = sentences[j].atts
        if not atts:
            continue
        last = atts[-1]
        if last.type != "company":
            return None
        found = any(t.lower_ in word_class("company_result_words") for t in doc[sentences[j].start:sentences[j].end])
        return last if found else None
    return None


def byline(article: Article) -> str | None:
    """The first author of an article, from its ``author`` field (HTML metadata or the byline of
    a scraped page, see ``headers.byline_in_text``), else from a byline at the top of its text.

    >>> from models import Article
    >>> byline(Article.from_text("Title\\n\\nBy\\nJane Doe\\n,\\nJo Roe\\n\\nText.", path="x.txt"))
    'Jane Doe'
    """
    name = article.author or byline_in_text(article.text)
    return name.split(",")[0].split(" and ")[0].strip() or None if name else None


def author_voice(doc: Doc, sentences: list[SentenceSources], article: Article) -> None:
    """Add to each sentence where the writers speak of their own research ("our analysis", "we
    counted"), outside any quotation, an attribution to the authors (``source.author_voice``):
    their byline, else the outlet. Such an attribution frames later paragraphs like a report
    (``source_context.frame_of``)."""
    nouns, verbs = word_class("author_research_nouns"), word_class("author_research_verbs")
    name, lower = None, lower_of(doc)
    para_start: dict[int, int] = {}
    for src in sentences:
        para_start.setdefault(src.para, src.start)
        if src.quotes or not src.figures:
            continue  # a quotation, or site furniture ("Your support keeps our team going")
        if _inside_quotation(doc, para_start[src.para], src.start):
            continue  # a sentence of a quotation that opened earlier in the paragraph
        for i in range(src.start, src.end - 1):
            w = lower[i]
            if w not in ("we", "our"):
                continue
            nxt, nxt2 = lower[i + 1], lower[i + 2] if i + 2 < src.end else ""
            if not (w == "our" and nxt in nouns
                    or w == "we" and (nxt in verbs or nxt in ("have", "had") and nxt2 in verbs)):
                continue
            if name is None:
                name = byline(article) or (article.outlet or "").split("|")[0].strip() or "the authors"
            end = i + 2
            src.atts.append(Attribution(name, "other", doc[i:end].text, "author_voice", i, end,
                                        known=False, rule="source.author_voice"))
            src.atts.sort(key=lambda a: a.start)
            break


def _inside_quotation(doc: Doc, lo: int, i: int) -> bool:
    """Token ``i`` stands inside a quotation opened since token ``lo`` (the paragraph's start)."""
    inside = False
    for w in words_of(doc)[lo:i]:
        if w in ("“", "«"):
            inside = True
        elif w in ("”", "»"):
            inside = False
        elif w == '"':
            inside = not inside
    return inside
