"""Doc + Article -> Claims: the boundary where spaCy objects become pydantic models.

Reads the spans the rulers wrote, interprets quantities (``quantities``), finds sources
(``attribution``), picks the actor and the places, resolves time expressions against the
publication date (``dates``), and merges repeated mentions of one figure in one article.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from extraction import lexicons
from extraction.attribution import Attribution, attributions_in_sentence
from extraction.dates import resolve_period
from extraction.quantities import Mention, mentions_from_doc
from models import Article, Claim, Evidence, Period, Place, Quantity, Source
from models.vocab import ClaimKind, Hedge, SourceType

_FAMILY_KIND = {
    "area": ClaimKind.TERRITORY, "length": ClaimKind.DISTANCE, "rate": ClaimKind.RATE,
    "percent": ClaimKind.SHARE, "fraction": ClaimKind.SHARE, "ratio": ClaimKind.RATIO,
    "money": ClaimKind.MONEY,
}
_LOCATIVE = frozenset({"in", "into", "inside", "of", "near", "from", "across", "against", "to", "at",
                       "toward", "towards", "within", "over", "on", "around", "outside", "throughout",
                       "beyond", "behind", "via", "through", "for", "with", "among", "between"})
_ANAPHORS = {"region": "region", "city": "city", "town": "city", "village": "city", "oblast": "region",
             "area": "region", "province": "region", "territory": "region", "settlement": "city"}
_CITY_TYPES = frozenset({"city", "town", "village"})
_SPECIFICITY = {"village": 0, "town": 0, "city": 1, "river": 2, "region": 2, "area": 2, "sea": 3,
                "organisation_area": 4, "country": 4, "continent": 5}
_CLAUSE_BREAK = frozenset({",", ";", ":", "–", "—", "-", "(", ")", "while", "though", "although",
                           "whereas", "but"})
_SMALL_WORDS = frozenset("one two three four five six seven eight nine ten a an".split())
_NUMBER_WORD_KINDS = frozenset({"military", "person", "equipment"})


@dataclass
class _Sent:
    span: Span
    para: int
    atts: list[Attribution]


def claims_from_doc(doc: Doc, article: Article, extractor_version: str) -> list[Claim]:
    """Every claim in one processed article, one per distinct (kind, value, unit)."""
    sents = _sentences(doc)
    starts = [s.span.start for s in sents]
    _resolve_anaphoric_sources(sents)
    places = _place_mentions(doc)
    taken = {i for st in sents for a in st.atts for i in range(a.start, a.end)}
    actors = [a for a in _actor_mentions(doc) if a.start not in taken]
    dominant = _dominant_actor(actors)
    claims: dict[tuple, Claim] = {}
    prev: Mention | None = None
    for m in mentions_from_doc(doc):
        if m.not_claim is not None:
            continue
        si = bisect.bisect_right(starts, m.start) - 1
        sent = sents[si]
        kind = _kind(m, doc, sent.span, prev)
        prev = m
        if kind is None:
            continue
        claim = _build(doc, article, m, kind, sents, si, places, actors, extractor_version, dominant)
        key = (kind, claim.quantity.value, claim.quantity.low, claim.quantity.high, claim.quantity.unit)
        if key in claims:
            first = claims[key]
            if first.source is None and claim.source is not None:
                claims[key] = first.model_copy(update={"source": claim.source})
            continue
        claims[key] = claim
    return list(claims.values())


def _sentences(doc: Doc) -> list[_Sent]:
    text = doc.text
    out = []
    para = 0
    last_end = 0
    for span in doc.sents:
        if "\n" in text[last_end:span.start_char]:
            para += 1
        last_end = span.end_char
        out.append(_Sent(span, para, attributions_in_sentence(span) if doc.spans.get("cues") else []))
    return out


def _resolve_anaphoric_sources(sents: list[_Sent]) -> None:
    """'The source', 'he', 'the ministry' take the most recent concrete source before them."""
    last: Attribution | None = None
    for s in sents:
        for a in s.atts:
            if a.anaphoric and last is not None:
                a.name, a.type = last.name, last.type
                a.text = f"{a.text} ({last.text})"
                a.anaphoric = False
            elif a.anaphoric and a.name:
                a.anaphoric = False  # "the think tank" with nothing before it: keep the description
            elif not a.anaphoric:
                last = a
        s.atts = [a for a in s.atts if not a.anaphoric]


def _kind(m: Mention, doc: Doc, sent: Span, prev: Mention | None) -> ClaimKind | None:
    if m.family in _FAMILY_KIND:
        return _FAMILY_KIND[m.family]
    cls = m.noun_class
    if cls is None and prev is not None and prev.noun_class and prev.start >= sent.start and (
        m.value or 0
    ) >= 1000:
        cls, m.noun, m.unit = prev.noun_class, prev.noun, prev.unit  # "increase this number to 690,000"
    if cls == "of_them" and prev is not None and prev.start >= sent.start:
        cls, m.noun, m.unit = prev.noun_class, prev.noun, prev.unit  # "eight killed, four of them ..."
    if cls == "casualty":
        return ClaimKind.CASUALTIES
    if cls in (None, "of_them"):
        if _casualty_context(m, doc, sent):
            return ClaimKind.CASUALTIES
        return ClaimKind.COUNT if (m.value or m.high or 0) >= 1000 else None
    if doc[m.start].lower_ in _SMALL_WORDS and cls not in _NUMBER_WORD_KINDS:
        return None
    if cls == "equipment":
        return ClaimKind.EQUIPMENT
    if cls in ("military", "person", "thing") and _casualty_context(m, doc, sent):
        return ClaimKind.CASUALTIES if cls != "thing" or m.noun in ("others",) else ClaimKind.COUNT
    if cls == "military":
        return ClaimKind.PERSONNEL
    return ClaimKind.COUNT


def _casualty_context(m: Mention, doc: Doc, sent: Span) -> bool:
    words = lexicons.casualty_words()
    lo = max(sent.start, m.start - 5)
    hi = min(sent.end, (m.noun_index or m.end) + 8)
    return any(doc[i].lower_ in words for i in range(lo, hi))


def _build(doc: Doc, article: Article, m: Mention, kind: ClaimKind, sents: list[_Sent], si: int,
           places: list[Span], actors: list[Span], version: str, dominant: str | None) -> Claim:
    sent = sents[si].span
    qtext = doc.text[m.start_char:m.end_char]
    if m.hedge_text and m.hedge != Hedge.RANGE:
        qtext = f"{m.hedge_text} {qtext}"
    unit = m.unit if kind not in (ClaimKind.PERSONNEL, ClaimKind.CASUALTIES, ClaimKind.EQUIPMENT,
                                  ClaimKind.COUNT) else "count"
    quantity = Quantity(value=m.value, low=m.low, high=m.high, unit=unit, hedge=m.hedge, text=qtext)
    source = _source_for(m, sents, si)
    period = _period_for(doc, m, sent, article)
    rules = list(m.rules)
    return Claim(
        id=Claim.make_id(article.id, m.start_char, m.end_char, kind.value),
        kind=kind,
        quantity=quantity,
        actor=_actor_for(doc, m, sent, actors, sents, si) or dominant,
        places=_places_for(doc, m, sent, places, sents, si),
        source=source,
        reporter=article.outlet,
        period=period,
        evidence=Evidence(doc_id=article.id, path=article.path, title=article.title,
                          published=article.published, sentence=sent.text.strip(),
                          start=m.start_char, end=m.end_char, sentence_start=sent.start_char),
        rules=rules,
        extractor_version=version,
    )


def _source_for(m: Mention, sents: list[_Sent], si: int) -> Source | None:
    here = sents[si]
    att: Attribution | None = None
    if here.atts:
        att = min(here.atts, key=lambda a: abs(a.start - m.start))
    else:
        for j in range(si - 1, -1, -1):  # an attribution earlier in the same paragraph carries
            if sents[j].para != here.para:
                break
            if sents[j].atts:
                att = sents[j].atts[-1]
                break
        if att is None and si + 1 < len(sents) and sents[si + 1].para == here.para and sents[si + 1].atts:
            nxt = sents[si + 1].atts[0]
            if "(" in nxt.text:  # the next sentence goes on quoting the same source ("The source added")
                att = nxt
    if att is None or not att.name:
        return None
    try:
        stype = SourceType(att.type) if att.type else None
    except ValueError:
        stype = SourceType.OTHER
    return Source(name=att.name, type=stype, text=att.text, cue=att.cue)


def _period_for(doc: Doc, m: Mention, sent: Span, article: Article) -> Period | None:
    dates = [d for d in doc.spans.get("dates", []) if d.start >= sent.start and d.end <= sent.end
             and d.label_ != "time"]
    if not dates:
        return None
    d = min(dates, key=lambda d: abs(d.start - m.start))
    start, end, ok = resolve_period(d.text, article.published)
    return Period(text=d.text, start=start, end=end, resolved=ok)


def _actor_mentions(doc: Doc) -> list[Span]:
    """Actor spans that can be the actor: not a source's words, not a place's owner
    ("Russia's Kursk region"), not after a locative preposition ("inside Russia")."""
    media = {i for s in doc.spans.get("sources", []) if s.id_ == "media" for i in range(s.start, s.end)}
    place_tokens = {i for p in doc.spans.get("places", []) if len(p) > 1 for i in range(p.start, p.end)}
    place_starts = {p.start for p in doc.spans.get("places", [])}
    out = []
    orgs = [s for s in doc.spans.get("sources", []) if s.id_ in ("company",)]
    for a in sorted([*doc.spans.get("actors", []), *orgs], key=lambda s: s.start):
        if a.id_ != "company" and any(i in media for i in range(a.start, a.end)):
            continue  # "BBC Russian", "Russian news agency TASS"
        if a.start > 0 and doc[a.start - 1].lower_ in _LOCATIVE:
            continue
        if a.start in place_tokens and len(a) == 1:
            continue  # "Indian Ocean", "South China Sea"
        if a.end + 1 < len(doc) and doc[a.end].lower_ in ("'s", "’s") and a.end + 1 in place_starts:
            continue
        if not a[0].text[:1].isupper():
            continue
        out.append(a)
    return out


def _actor_for(doc: Doc, m: Mention, sent: Span, actors: list[Span], sents: list[_Sent], si: int) -> str | None:
    in_sent = [a for a in actors if a.start >= sent.start and a.end <= sent.end]
    noun_end = (m.noun_index + 1) if m.noun_index is not None else m.end
    for a in in_sent:  # "78,000 Russian troops"
        if m.end <= a.start and a.end <= noun_end:
            return _actor_name(a)
    for a in in_sent:  # "the 1,171 square kilometres Ukraine captured"
        if a.start == m.end and a.end < sent.end and doc[a.end].is_lower:
            return _actor_name(a)
    before = [a for a in in_sent if a.end <= m.start]
    if before:
        clause_start = m.start
        while clause_start > sent.start and doc[clause_start - 1].lower_ not in _CLAUSE_BREAK:
            clause_start -= 1
        in_clause = [a for a in before if a.start >= clause_start]
        if in_clause:
            return _actor_name(in_clause[-1])
        return _actor_name(before[0])
    if in_sent:
        return _actor_name(in_sent[0])
    for j in range(si - 1, max(-1, si - 4), -1):
        prev = [a for a in actors if a.start >= sents[j].span.start and a.end <= sents[j].span.end]
        strong = [a for a in prev if _is_agent(a)]
        if strong or prev:
            return _actor_name((strong or prev)[-1])
    return None


def _actor_name(a: Span) -> str:
    """The canonical actor, except that a country named as a country keeps the name the text
    uses ("Britain", "the UK"): annotators and readers quote it so. Demonyms and metonyms
    ("British", "Moscow") give the canonical name."""
    text = a.text
    entry = lexicons.lookup("places").get(text.lower())
    if entry is not None and entry.type == "country" and text.lower() not in _METONYMS:
        return text
    return a.label_


_METONYMS = frozenset({"moscow", "kyiv", "kiev", "washington", "london", "beijing", "paris", "berlin",
                       "kremlin", "pyongyang", "tehran", "minsk", "warsaw", "brussels"})


def _dominant_actor(actors: list[Span]) -> str | None:
    """The actor an article is about when a sentence names none: the most mentioned agent."""
    counts: dict[str, int] = {}
    for a in actors:
        if _is_agent(a):
            counts[a.label_] = counts.get(a.label_, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 2 else None


_FORCE_NOUNS = frozenset({"forces", "troops", "army", "military", "soldiers", "units", "navy", "government",
                          "officials", "authorities", "side", "command", "president", "leader"})


def _is_agent(a: Span) -> bool:
    """A noun form ("Russia", "Moscow") or a demonym heading forces ("Russian troops"),
    not a bare adjective ("the Ukrainian eastern front")."""
    doc = a.doc
    low = a.text.lower()
    adjective = low.endswith(("ian", "ean", "ese", "ish", "an", "i")) and low != a.label_.lower()
    if not adjective:
        return True
    return a.end < len(doc) and doc[a.end].lower_ in _FORCE_NOUNS


def _place_mentions(doc: Doc) -> list[Span]:
    """Place spans that name a place in context: capitalised, and a country or a metonym
    ("Moscow", "Kyiv") only after a locative preposition or before "region"."""
    actor_forms = lexicons.lookup("actors")
    out = []
    for p in doc.spans.get("places", []):
        if not p[0].text[:1].isupper():
            continue
        prev = doc[p.start - 1].lower_ if p.start > 0 else ""
        needs_prep = p.id_ in ("country", "continent") or p.text.lower() in actor_forms
        nxt = doc[p.end].lower_ if p.end < len(doc) else ""
        if needs_prep and prev not in _LOCATIVE and nxt not in ("region", "oblast", "province"):
            continue
        out.append(p)
    return out


def _places_for(doc: Doc, m: Mention, sent: Span, places: list[Span], sents: list[_Sent], si: int) -> list[Place]:
    in_sent = [p for p in places if p.start >= sent.start and p.end <= sent.end]
    found: list[Place] = []
    anaphor = _anaphor(doc, sent)
    if anaphor is not None:
        wanted = _ANAPHORS.get(anaphor[-1].lower_)
        types = _CITY_TYPES if wanted == "city" else None
        earlier = [p for p in places if p.end <= anaphor.start and p.id_ not in ("country", "continent")
                   and (types is None or p.id_ in types)]
        if earlier:
            ref = earlier[-1]
            found.append(Place(name=ref.label_, type=ref.id_ or None, text=anaphor.text))
    ranked = sorted(in_sent, key=lambda p: (_SPECIFICITY.get(p.id_, 3), abs(p.start - m.start)))
    for p in ranked:
        found.append(Place(name=p.label_, type=p.id_ or None, text=p.text))
    if not found:
        para = sents[si].para
        earlier = [p for p in places if p.end <= sent.start and p.id_ not in ("country", "continent")]
        if earlier:
            ref = earlier[-1]
            ref_para = next(s.para for s in reversed(sents[:si + 1]) if s.span.start <= ref.start)
            if para - ref_para <= 1:
                found.append(Place(name=ref.label_, type=ref.id_ or None, text="(context)"))
    seen: set[str] = set()
    return [p for p in found if not (p.name in seen or seen.add(p.name))]


def _anaphor(doc: Doc, sent: Span) -> Span | None:
    """'the region', 'the border region', 'the city', 'there' in the sentence."""
    for i in range(sent.start, sent.end):
        tok = doc[i]
        if tok.lower_ in _ANAPHORS and i > sent.start:
            j = i - 1
            if doc[j].lower_ in ("border", "frontline", "front-line", "same", "whole", "entire"):
                j -= 1
            if j >= sent.start and doc[j].lower_ in ("the", "this", "that"):
                return doc[j:i + 1]
        if tok.lower_ == "there" and i > sent.start and doc[i - 1].lower_ not in ("is", "are", "was", "were"):
            nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            if nxt not in ("is", "are", "was", "were", "has", "have", "had", "will", "would"):
                return doc[i:i + 1]
    return None
