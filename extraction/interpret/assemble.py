"""Doc + Article -> Claims: the boundary where spaCy objects become pydantic models.

Reads the spans the rulers wrote and turns decisions into claims; it decides nothing itself.
Each attribute is decided in one module, which names the rule behind its decision: the kind in
``kinds``, the source in ``sources`` (over ``attribution``, ``source_context`` and
``article_sources``), the places in ``places`` (with ``theatre`` for what the article is about),
the actor in ``actors``; quantities come from ``quantities``, periods from ``dates``. Repeated
mentions of one figure in one article are merged.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from spacy.tokens import Doc, Span

from extraction.interpret import org_sources
from extraction.interpret.actors import actor_mentions, decide_actor, dominant_actor, opponent_of
from extraction.interpret.article_sources import LEAD_TOKENS, author_voice, lead_credit, publisher_source
from extraction.interpret.attribution import Attribution, attributions_in_sentence
from extraction.interpret.canonical import canonical_claim
from extraction.interpret.kinds import kind_of
from extraction.interpret.mention import replace
from extraction.interpret.places import actor_country_place, decide_places, place_mentions
from extraction.interpret.quantities import Mention, mentions_from_doc
from extraction.interpret.source_context import SentenceSources, resolve_anaphora, sentence_quotes
from extraction.interpret.sources import decide_source, repeated_figure_source
from extraction.interpret.theatre import article_theatre, last_named
from extraction.lexicon import lexicons
from extraction.lexicon.dates import resolve_period
from extraction.nlp.spans import (
    is_space_of,
    sent_starts_of,
    slice_text,
    span_text,
    spans_of,
    text_of,
    token_offsets,
    words_of,
)
from models import Article, Claim, Evidence, Period, Place, Quantity
from models.vocab import ClaimKind, Hedge


class _Sent:
    """One sentence: its attributions (``src``) and its Span, built when first read (most
    sentences of an article are never read as a Span)."""

    __slots__ = ("_span", "doc", "src")

    def __init__(self, doc: Doc, src: SentenceSources) -> None:
        self.doc, self.src, self._span = doc, src, None

    @property
    def span(self) -> Span:
        if self._span is None:
            self._span = self.doc[self.src.start:self.src.end]
        return self._span

    @property
    def para(self) -> int:
        return self.src.para

    @property
    def atts(self) -> list[Attribution]:
        return self.src.atts


class _SentSpans(Sequence):
    """The Spans of the sentences, each built when first read."""

    def __init__(self, sents: list[_Sent]) -> None:
        self.sents = sents

    def __len__(self) -> int:
        return len(self.sents)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [s.span for s in self.sents[k]]
        return self.sents[k].span


def _by_sentence(spans: list[Span] | tuple[Span, ...], sents: list[_Sent]) -> list[list[Span]]:
    """The spans that lie inside each sentence, in their order: an index built once per article,
    so that a claim reads its own sentence's spans instead of scanning the article's."""
    starts = [s.src.start for s in sents]
    out: list[list[Span]] = [[] for _ in sents]
    for span in spans:
        k = bisect.bisect_right(starts, span.start) - 1
        if k >= 0 and span.end <= sents[k].src.end:
            out[k].append(span)
    return out


def claims_from_doc(doc: Doc, article: Article, extractor_version: str) -> list[Claim]:
    """Every claim in one processed article, one per distinct (kind, value, unit).

    Two passes: the figures and their kinds first (cheap: they read only the sentence), then,
    only in an article with at least one claim, the context every claim is built from
    (attributions, places, actors, the article's own source)."""
    sents = _sentences(doc)
    starts = [s.src.start for s in sents]
    found: list[tuple[Mention, ClaimKind, str, int, bool]] = []
    prev: Mention | None = None
    for m in mentions_from_doc(doc):
        if m.not_claim is not None:
            continue
        si = bisect.bisect_right(starts, m.start) - 1
        sent = sents[si]
        lo = sents[si - 1].span.start if si > 0 and sents[si - 1].para == sent.para else sent.span.start
        m, elided = _inherit_noun(m, prev, lo, sent.span.start)
        kind, kind_rule = kind_of(m, doc, sent.span)
        prev = m
        if kind is not None:
            found.append((m, kind, kind_rule, si, elided))
    if not found:
        return []
    for _, _, _, si, _ in found:
        sents[si].src.figures = True
    _add_attributions(doc, sents)
    org_sources.prepare(doc, [s.src for s in sents])  # organisations as sources (org_sources)
    resolve_anaphora(doc, [s.src for s in sents])
    org_sources.settle(doc, [s.src for s in sents])
    author_voice(doc, [s.src for s in sents], article)
    taken = {i for st in sents for a in st.atts for i in range(a.start, a.end)}
    places = place_mentions(doc, frozenset(taken))
    every_actor = actor_mentions(doc)
    actors = [a for a in every_actor if a.start not in taken]
    article_source = publisher_source(article) or lead_credit(
        doc, [s.span for s in sents if s.src.start < LEAD_TOKENS], article)  # the lead's sentences only
    ctx = _Context(doc, article, sents, places, actors, every_actor, dominant_actor(actors), extractor_version,
                   article_source, opponent_of(actors))
    claims: dict[tuple, Claim] = {}
    first_sent: dict[tuple, int] = {}
    keys_in: dict[int, list[tuple]] = {}
    prev_actor: str | None = None
    for m, kind, kind_rule, si, elided in found:
        claim = _build(ctx, m, kind, kind_rule, si, prev_actor if elided else None)
        prev_actor = claim.actor
        key = (kind, claim.quantity.value, claim.quantity.low, claim.quantity.high, claim.quantity.unit)
        keys_in.setdefault(si, []).append(key)
        first_sent.setdefault(key, si)
        if claim.source is None:
            claim = repeated_figure_source(claim, [claims[k] for k in keys_in[si]
                                                   if k != key and k in claims and first_sent[k] < si])
        if key in claims:
            first = claims[key]
            if first.source is None and claim.source is not None:
                rules = [r if not r.startswith("source.") else next(x for x in claim.rules if x.startswith("source."))
                         for r in first.rules]
                claims[key] = first.model_copy(update={"source": claim.source, "rules": rules})
            continue
        claims[key] = claim
    return [canonical_claim(c) for c in claims.values()]


def _sentences(doc: Doc) -> list[_Sent]:
    """The sentences with their paragraph number (attributions come later, ``_add_attributions``).

    Built from the SENT_START array (``doc.sents`` walks every token in Python); a new
    paragraph starts after a line break."""
    n = len(doc)
    if n == 0:
        return []
    bounds = [*np.flatnonzero(sent_starts_of(doc)).tolist(), n]
    chars, text = token_offsets(doc)[0], text_of(doc)
    words, space = words_of(doc), is_space_of(doc)
    quotes = sentence_quotes(doc, bounds)
    out = []
    para = 0
    for k in range(len(bounds) - 1):
        lo, hi = bounds[k], bounds[k + 1]
        if k and text.find("\n", chars[bounds[k - 1]], chars[lo]) >= 0:
            para += 1
        last = hi - 1  # the last token that is not white space: a colon there opens a list
        while last > lo and space[last]:
            last -= 1
        out.append(_Sent(doc, SentenceSources(para, lo, hi, [], quotes=quotes[k], colon=words[last] == ":")))
    return out


def _add_attributions(doc: Doc, sents: list[_Sent]) -> None:
    """The attributions of each sentence that holds an attribution cue (cues are matched only
    near figures, see ``claim_rules.ClaimRules``)."""
    cue_starts = [c.start for c in spans_of(doc, "cues")]
    if not cue_starts:
        return
    starts = np.array([s.src.start for s in sents], dtype=np.int64)
    for k in sorted(set((np.searchsorted(starts, cue_starts, side="right") - 1).tolist())):
        sents[k].src.atts = attributions_in_sentence(sents[k].span)


@dataclass
class _Context:
    """What every claim of one article is built from."""

    doc: Doc
    article: Article
    sents: list[_Sent]
    places: list[Span]
    actors: list[Span]
    every_actor: list[Span]
    dominant: str | None
    version: str
    #: the source of figures nobody is cited for: the publishing body or the outlet a rewrite credits
    article_source: Attribution | None = None
    #: the article's main side other than a given country
    opponent: Callable[[str], str | None] | None = None
    # per-sentence views, computed once per article (see __post_init__)
    spans: Sequence[Span] = field(init=False)
    paras: list[int] = field(init=False)
    srcs: list[SentenceSources] = field(init=False)
    actors_in: list[list[Span]] = field(init=False)
    every_actor_in: list[list[Span]] = field(init=False)
    dates_in: list[list[Span]] = field(init=False)

    def __post_init__(self) -> None:
        self.spans = _SentSpans(self.sents)
        self.paras = [s.para for s in self.sents]
        self.srcs = [s.src for s in self.sents]
        self.actors_in = _by_sentence(self.actors, self.sents)
        self.every_actor_in = _by_sentence(self.every_actor, self.sents)
        self.dates_in = _by_sentence([d for d in spans_of(self.doc, "dates") if d.label_ != "time"], self.sents)

    @cached_property
    def theatre(self) -> str | None:
        """The country the article is plainly about (``places.article_theatre``)."""
        return article_theatre(self.doc, self.places, self.article.title)

    def focus(self, before: int) -> list[Place]:
        """The place the article keeps coming back to, named before token ``before``."""
        return last_named(self.fallback_places, before)

    @cached_property
    def fallback_places(self) -> list[Span]:
        """The places an article-level fallback may name: the place mentions, and countries
        named as a holder ("UK mobile owners", "Japan's economy") rather than as a place ("in
        the UK"). Only built for an article with a figure that has no place of its own."""
        table = lexicons.lookup("places")
        taken = {i for p in self.places for i in range(p.start, p.end)}
        named = [a for a in self.every_actor if a.id_ == "country" and a.start not in taken
                 and (e := table.get(span_text(a).lower())) is not None and e.type == "country"]
        return sorted(self.places + named, key=lambda s: s.start)


def _inherit_noun(m: Mention, prev: Mention | None, lo: int, sent_start: int) -> tuple[Mention, bool]:
    """A figure that splits or continues the one before it takes its noun: "eight killed, four
    of them on duty", "12,000 troops ... Around 10,000 of them", "increase this number to
    690,000". ``lo`` is the first token where that figure may be (this or the previous sentence
    of the paragraph). Returns the figure, and True when it splits the one before ("of them")."""
    if prev is None or prev.start < lo or m.family != "number":
        return m, False
    if m.noun_class == "of_them":
        return replace(m, noun_class=prev.noun_class, noun=prev.noun, unit=prev.unit), True
    if (m.noun_class is None and prev.noun_class and (m.value or 0) >= 1000 and prev.start >= sent_start
            and (prev.value or prev.high or 0) > 10):  # not from "the two organizations"
        return replace(m, noun_class=prev.noun_class, noun=prev.noun, unit=prev.unit), False
    return m, False


def _build(ctx: _Context, m: Mention, kind: ClaimKind, kind_rule: str, si: int, previous_actor: str | None) -> Claim:
    """One claim; its ``rules`` name the quantity's and hedge's rules, then the rule behind each
    attribute: kind, source, actor, places and period, in that order."""
    doc, article, sents = ctx.doc, ctx.article, ctx.sents
    sent = sents[si].span
    qtext = text_of(doc)[m.start_char:m.end_char]
    if m.hedge_text and m.hedge != Hedge.RANGE:
        qtext = f"{qtext} {m.hedge_text}" if m.hedge_after else f"{m.hedge_text} {qtext}"
    unit = m.unit if kind not in (ClaimKind.PERSONNEL, ClaimKind.CASUALTIES, ClaimKind.EQUIPMENT,
                                  ClaimKind.COUNT) else "count"
    quantity = Quantity(value=m.value, low=m.low, high=m.high, unit=unit, hedge=m.hedge, text=qtext)
    speakers = [a for a in ctx.every_actor_in[si] if any(t.start <= a.start < t.end for t in sents[si].atts)]
    # a company is the actor of figures in its own sentence ("GAZ Group saw sales fall by 33%"),
    # not of the next sentence's, which are usually the wider economy's
    context = [[a for a in ctx.actors_in[j] if a.id_ != "company"] for j in range(si - 1, max(-1, si - 4), -1)]
    source, source_rule = decide_source(doc, ctx.srcs, si, m.start, kind, ctx.article_source)
    places, place_rule, near = decide_places(doc, m.start, sent, si, kind, source, ctx.places, ctx.spans, ctx.paras,
                                             ctx.actors, ctx.focus, ctx.theatre)
    actor, actor_rule = decide_actor(doc, m.start, m.end, m.noun_index, kind, sent, ctx.actors, speakers, near,
                                     previous_actor, [c for c in context if c], ctx.opponent, source, places,
                                     place_rule, ctx.dominant)
    actor, actor_rule = org_sources.own_results_actor(source, source_rule, kind) or (actor, actor_rule)
    places, place_rule = actor_country_place(actor, kind, places, place_rule, ctx.theatre) or (places, place_rule)
    period = _period_for(ctx.dates_in[si], m, article)
    hedge_rules = [r for r in m.rules if r.startswith("hedge.")]
    rules = [*m.rules, *([] if hedge_rules else ["hedge.exact.no_cue"]), kind_rule, source_rule, actor_rule,
             place_rule, "period.sentence_date" if period is not None else "period.none"]
    return Claim(
        id=Claim.make_id(article.id, m.start_char, m.end_char, kind.value),
        kind=kind,
        quantity=quantity,
        actor=actor,
        places=places,
        source=source,
        reporter=article.outlet,
        period=period,
        evidence=Evidence(doc_id=article.id, path=article.path, title=article.title,
                          published=article.published, sentence=slice_text(doc, sent.start, sent.end).strip(),
                          start=m.start_char, end=m.end_char, sentence_start=token_offsets(doc)[0][sent.start]),
        rules=list(dict.fromkeys(rules)),
        extractor_version=ctx.version,
    )


def _period_for(dates: list[Span], m: Mention, article: Article) -> Period | None:
    """The period of the date nearest the figure among ``dates`` (its sentence's, times left out)."""
    if not dates:
        return None
    d = min(dates, key=lambda d: abs(d.start - m.start))
    text = span_text(d)
    start, end, ok = resolve_period(text, article.published)
    return Period(text=text, start=start, end=end, resolved=ok)
