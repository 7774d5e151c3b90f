"""Where a claim is: the places of its sentence, most specific first, with "the region", "the
city", "the country", "the continent" and "there" resolved to the place named before them,
and the country of a polled or described population ("57% of Ukrainians", "Ukraine's economy").

Works on a processed Doc's ``places`` and ``actors`` spans; returns ``models.Place`` objects.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable

from spacy.tokens import Doc, Span

from extraction.interpret.actors import after_locative
from extraction.interpret.canonical import slug
from extraction.interpret.kinds import POPULATION_KINDS
from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import lower_of, span_text, spans_of
from models import Place, Source
from models.vocab import ClaimKind, SourceType

_ANAPHORS = {"region": "region", "city": "city", "town": "city", "village": "city", "oblast": "region",
             "area": "region", "province": "region", "territory": "region", "settlement": "city",
             "country": "country", "capital": "city", "continent": "continent"}
CITY_TYPES = frozenset({"city", "town", "village"})
_SPECIFICITY = {"village": 0, "settlement": 0, "town": 0, "city": 1, "river": 2, "region": 2, "area": 2, "sea": 3,
                "organisation_area": 4, "country": 4, "continent": 5}
_POSSESSIVE = frozenset({"'s", "’s"})


def decide_places(doc: Doc, start: int, sent: Span, si: int, kind: ClaimKind, source: Source | None,
                  mentions: list[Span], sentences: list[Span], paras: list[int], actors: list[Span],
                  focus: Callable[[int], list[Place]], theatre: str | None) -> tuple[list[Place], str, list[str]]:
    """The places of the figure at token ``start`` in ``sentences[si]``, most specific first, the id
    of the rule that found them, and the countries of the places found in or next to its sentence
    (what the actor rules may read; the article-level fallbacks are not evidence of an actor).

    In order: ``places_for`` (the sentence, an anaphor, a people, the paragraph before); for
    shares, counts, money and ratios, the pollster's country (``place.pollster_country``), the
    country that is the clause's subject (``place.subject_country``) and the place the article
    keeps coming back to (``place.article_focus``, ``focus``); for any figure not about the world
    at large, the article's ``theatre`` (``place.article_theatre``)."""
    places, rule = places_for(doc, start, sent, mentions, sentences, paras, si,
                              population=kind in (ClaimKind.SHARE, ClaimKind.COUNT), theatre=theatre)
    population = kind in POPULATION_KINDS
    if not places and population:
        places = _population_place(doc, sent, source)
        rule = "place.pollster_country" if places else rule
    near = [c for c in (country_of(p.name) for p in places) if c] if rule != "place.pollster_country" \
        else [p.name for p in places]
    if not places and population:
        places = _subject_place(sent, start, actors)  # "Poland hosts 1 million refugees"
        rule = "place.subject_country" if places else rule
    worldwide = global_scope(doc, sent)
    if not places and population and not worldwide:
        places = focus(sent.start)
        rule = "place.article_focus" if places else rule
    if not places and theatre and not worldwide:
        places, rule = [Place(name=theatre, type="country", text="(article theatre)")], "place.article_theatre"
    return places, rule, near


def actor_country_place(actor: str | None, kind: ClaimKind, places: list[Place], rule: str,
                        theatre: str | None) -> tuple[list[Place], str] | None:
    """A figure whose sentence names no place, whose actor is a country, and whose only place came
    from the paragraph before (``place.paragraph_context``) lying outside that country and outside
    the article's theatre, is placed in its actor's country (``place.actor_country``): "the Fed
    raised rates by a quarter point" after a paragraph on talks in another capital is the US's
    figure, not the capital's. A union of states (``organisation_area``) may hold the actor and
    stays. Only for shares, counts, money and ratios: land, forces and losses lie where the
    fighting is ("the 1,200 sq km Ukraine captured" after a paragraph on Kursk).
    None when the rule does not apply."""
    if rule != "place.paragraph_context" or not actor or not places or kind not in POPULATION_KINDS:
        return None
    country = country_of(actor)
    if country is None or country != lexicons.lookup("places").get(actor.lower()).name:
        return None
    held = country_of(places[0].name)
    if held in (country, theatre) or places[0].type == "organisation_area":  # the EU holds France
        return None
    return [Place(name=country, type="country", text="(actor's country)")], "place.actor_country"


def global_scope(doc: Doc, sent: Span) -> bool:
    """Whether the sentence speaks of the world at large ("worldwide", "international")."""
    words = word_class("global_scope_words")
    return not words.isdisjoint(lower_of(doc)[sent.start:sent.end])


def _subject_place(sent: Span, start: int, actors: list[Span]) -> list[Place]:
    """The country named as the subject of the clause that holds the figure ("Poland hosts
    just under 1 million refugees", "Switzerland has frozen 7.4bn francs"); not a demonym."""
    table = lexicons.lookup("places")
    for a in actors:
        if a.start < sent.start or a.end > start:
            continue
        text = span_text(a)
        entry = table.get(text.lower())
        metonym = text.lower() in word_class("capital_metonyms")
        if entry is not None and entry.type in ("country", "organisation_area") and not metonym:
            return [Place(name=entry.name, type=entry.type, text=text)]
        return []
    return []


def _population_place(doc: Doc, sent: Span, source: Source | None) -> list[Place]:
    """A poll measures the people of its pollster's country: "a quarter of respondents, the
    pollster noted" is about Ukraine when the pollster is KIIS."""
    names = [source.name] if source is not None and source.type == SourceType.POLLSTER else []
    names += [s.label_ for s in spans_of(doc, "sources") if s.id_ == "pollster"
              and s.start >= sent.start and s.end <= sent.end]
    for name in names:
        entry = lexicons.lookup("sources").get(name.lower())
        if entry is not None and entry.country:
            return [Place(name=entry.country, type="country", text="(pollster)")]
    return []


def place_mentions(doc: Doc, taken: frozenset[int] = frozenset()) -> list[Span]:
    """Place spans that name a place in context: capitalised, and a country or a metonym
    ("Moscow", "Kyiv") only after a locative preposition, before "region", or as the owner
    of what is measured ("Ukraine's economy", "Russia's central bank")."""
    lower = lower_of(doc)
    actor_forms = lexicons.lookup("actors")
    place_starts = {p.start for p in spans_of(doc, "places")}
    # "the Bank of England", "the Kyiv School of Economics": a place inside a body's name
    named = {i for s in spans_of(doc, "sources") if len(s) > 1 for i in range(s.start, s.end)}
    out = []
    for p in spans_of(doc, "places"):
        if not p[0].text[:1].isupper() or p.start in named and len(p) < _named_len(doc, p, named):
            continue
        if p.end + 1 < len(doc) and doc[p.end].text == "-" and lower[p.end + 1] in word_class("name_suffixes"):
            continue  # "the Vienna-based IAEA", "a London-headquartered bank": where a body sits
        if _launch_origin(doc, p):
            continue  # "drones launched from Kursk and Bryansk": where they came from, not where they hit
        prev = lower[p.start - 1] if p.start > 0 else ""
        needs_prep = p.id_ in ("country", "continent") or span_text(p).lower() in actor_forms
        nxt = lower[p.end] if p.end < len(doc) else ""
        if nxt in word_class("treaty_nouns"):
            continue
        if nxt in word_class("body_name_heads") and doc[p.end].text[:1].isupper():
            continue  # "the Paris Club", "the Kyiv School of Economics": a body's name
        # "Ukraine's economy", but not a speaker ("Ukraine's General Staff said")
        # "Tokyo's Nikkei", "Kharkiv's mayor": a city too, unless it stands for a government ("Moscow's")
        owner_type = p.id_ == "country" or p.id_ in CITY_TYPES and span_text(p).lower() not in word_class(
            "capital_metonyms")
        owner = nxt in _POSSESSIVE and owner_type and p.end + 1 not in place_starts and p.start not in taken
        located = after_locative(doc, p.start) or prev in word_class("target_verbs")
        # "a Kyiv apartment block", "the Kharkiv metro": a city naming where a thing is
        located |= prev in ("a", "an", "the") and p.id_ in CITY_TYPES and nxt.isalpha() and nxt.islower()
        if needs_prep and not located and nxt not in ("region", "oblast", "province") and not owner:
            continue
        out.append(p)
    return sorted(out + _settlements(doc, place_starts, named), key=lambda p: p.start)


#: Prepositions before a settlement named with its region ("near X, Y Oblast"); not "at" or "with",
#: which name bodies as often ("at West Virginia University, ...", "with Labour, Britain will").
_CALENDAR = frozenset(w.lower() for w in (*calendar.month_name[1:], *calendar.day_name))


def _settlements(doc: Doc, place_starts: set[int], named: set[int]) -> list[Span]:
    """Places the gazetteer does not know, named the way news names a village: a capitalised name
    after a locative preposition (perhaps "occupied"), then a comma and a known region or country
    ("near occupied Astrakhanka, Zaporizhia Oblast", "in Hollowell, Maine"). Each is a span of type
    ``settlement`` whose label is its name; its id is ``place:<country>:<slug>``
    (``settlement_id``)."""
    lower = lower_of(doc)
    taken = {i for p in spans_of(doc, "places") for i in range(p.start, p.end)}
    out = []
    for region in spans_of(doc, "places"):
        if region.id_ not in ("region", "country") or region.start < 2 or lower[region.start - 1] != ",":
            continue
        b = region.start - 1
        a = b
        while a - 1 >= 0 and b - a < 3 and (doc[a - 1].is_title or doc[a - 1].text == "-" and a - 2 >= 0
                                            and doc[a - 2].is_title):
            a -= 1
        if a == b or any(i in taken or i in named for i in range(a, b)) or doc[a].is_sent_start:
            continue
        if any(t.lower_ in _CALENDAR or "." in t.text for t in doc[a:b]):
            continue  # "In February, Kharkiv Oblast ...": a date; "at Warner Bros. However, ..."
        if region.end < len(doc) and lower[region.end] in _POSSESSIVE:
            continue  # "a stake in Sun Interbrew, Russia's second brewer": a body, then what it is
        name = doc[a:b].text.lower()
        if name in lexicons.lookup("actors") or name in lexicons.lookup("sources"):
            continue  # "infighting in Congress, U.S. President ..."
        k = a - 1 if a > 0 and lower[a - 1] != "occupied" else a - 2
        if k < 0 or lower[k] not in word_class("settlement_prepositions"):
            continue
        out.append(Span(doc, a, b, label=doc[a:b].text, span_id="settlement"))
        taken.update(range(a, b))
    return out


def settlement_id(doc: Doc, p: Span) -> str | None:
    """The id of a ``settlement`` span: ``place:<country code>:<slug>``, the country being that of the
    region or country named after it; None for any other span."""
    if p.id_ != "settlement" or p.end + 1 >= len(doc):
        return None
    after = [r for r in spans_of(doc, "places") if r.start == p.end + 1]
    entry = lexicons.lookup("places").get(after[0].label_.lower()) if after else None
    if entry is None or not entry.id:
        return None
    if entry.type == "country":
        code = entry.id
    else:
        country = lexicons.lookup("places").get((entry.country or "").lower())
        code = country.id if country is not None and country.id else entry.id.split("-")[0]
    return f"place:{code.lower()}:{slug(p.label_)}" if len(code) == 2 else None


#: Words a list of launch sites is made of besides the names ("from the directions of Bryansk and
#: Kursk cities; Shatalovo, Smolensk Oblast; and occupied Hvardiiske, Crimea").
#: How far back (tokens) a list of launch sites and its launch verb are looked for.
ORIGIN_LIST_REACH = 40
LAUNCH_VERB_REACH = 60


def _launch_origin(doc: Doc, p: Span) -> bool:
    """A place after "from" (and "the direction(s) of", a list of places) in a clause whose verb
    launches weapons: "fired from Voronezh Oblast", "launched from the directions of Kursk, Bryansk
    and Oryol", "launched a missile from Belgorod and 90 drones of several types from Kursk;
    Millerovo, Rostov Oblast; and occupied Crimea"."""
    lower = lower_of(doc)
    k = p.start - 1
    listed = word_class("origin_list_words")
    while k >= 0 and p.start - k <= ORIGIN_LIST_REACH and (lower[k] in listed or doc[k].is_title):
        k -= 1
    if k < 0 or lower[k] != "from":
        return False
    launch = word_class("launch_verbs")
    for i in range(k - 1, max(-1, k - LAUNCH_VERB_REACH), -1):
        if lower[i] in launch:
            return True
        if doc[i].is_sent_start or lower[i] in (".", "said", "reported"):
            break
    return False


def _named_len(doc: Doc, p: Span, named: set[int]) -> int:
    """The length of the run of body-name tokens that holds place ``p`` (a place as long as the
    whole name, "the Kremlin", is still a place)."""
    lo, hi = p.start, p.end
    while lo - 1 in named:
        lo -= 1
    while hi in named:
        hi += 1
    return hi - lo


def country_of(name: str) -> str | None:
    """The canonical country a place lies in ("Kharkiv region" -> "Ukraine"); None if unknown."""
    entry = lexicons.lookup("places").get(name.lower())
    if entry is None:
        return None
    return entry.name if entry.type == "country" else entry.country or None


def places_for(doc: Doc, start: int, sent: Span, places: list[Span], sentences: list[Span],
               paras: list[int], si: int, population: bool = False,
               theatre: str | None = None) -> tuple[list[Place], str]:
    """The places of the figure at token ``start`` in ``sentences[si]``, and the id of the rule that
    found them: an anaphor's referent (``place.anaphor``), then the sentence's places by
    specificity (``place.sentence``), then (for ``population`` figures such as poll shares) the
    country of a people named in the sentence (``place.people``), else the last place named in
    this or the previous paragraph (``place.paragraph_context``); ``place.none`` when none. Occupied
    land with no place named is the article's ``theatre`` country (``place.occupied_land``)."""
    in_sent = [p for p in places if p.start >= sent.start and p.end <= sent.end]
    found: list[Place] = []
    rule = "place.none"
    anaphor = _anaphor(doc, sent)
    if anaphor is not None:
        ref = _referent(doc, anaphor, places)
        if ref is not None:
            found.append(ref)
            rule = "place.anaphor"
    ranked = sorted(in_sent, key=lambda p: (_specificity(p), abs(p.start - start)))
    owner = _owner_of_measured(doc, start, in_sent)
    if owner is not None and not found:  # "80% of Russia's territory": the land measured is Russia's
        ranked.remove(owner)
        ranked.insert(0, owner)
        rule = "place.owner_of_measured"
    land = _demonym_land(doc, start, sent) if owner is None and not found else None
    if land is not None:  # "one percent of additional Ukrainian territory"
        found.append(land)
        rule = "place.owner_of_measured"
    found += [Place(name=place_name(p), id=settlement_id(doc, p), type=p.id_ or None, text=span_text(p))
              for p in ranked]
    if ranked and rule == "place.none":
        rule = "place.sentence"
    if population:
        peoples = _peoples(doc, sent)
        polled = _polled(doc, start, peoples)
        if polled is not None:  # "58% of Americans back more aid to Ukraine": the Americans polled
            found = [polled, *found]
            rule = "place.polled_population"
        elif peoples and rule == "place.none":
            rule = "place.people"
        found += peoples
    if not found and theatre and _occupied_land(doc, sent):
        # "the occupied territories amount to 116,000 sq km": the occupied land of the article's country
        return [Place(name=theatre, type="country", text="(occupied land)")], "place.occupied_land"
    if not found:
        para = paras[si]
        earlier = [p for p in places if p.end <= sent.start and p.id_ not in ("country", "continent")]
        if earlier:
            ref_span = earlier[-1]
            ref_para = next(paras[j] for j in range(si, -1, -1) if sentences[j].start <= ref_span.start)
            if para - ref_para <= 1:
                found.append(Place(name=ref_span.label_, type=ref_span.id_ or None, text="(context)"))
                rule = "place.paragraph_context"
    seen: set[str] = set()
    return [p for p in found if not (p.name in seen or seen.add(p.name))], rule


def _specificity(p: Span) -> int:
    """Rank of a place span, most specific first; an area that lies in no one country ("East
    Asia", "Eurasia") ranks with the continents."""
    if p.id_ == "area" and not country_of(p.label_):
        return _SPECIFICITY["continent"]
    return _SPECIFICITY.get(p.id_, 3)


def _owner_of_measured(doc: Doc, start: int, in_sent: list[Span]) -> Span | None:
    """The place that owns what a figure measures: "80% of Russia's territory", "a fifth of
    Ukraine's land" (the figure, "of", the place and its possessive)."""
    lower = lower_of(doc)
    j = start
    while j < len(doc) and j < start + 6 and lower[j] != "of":
        j += 1
    if j >= len(doc) or lower[j] != "of":
        return None
    j += 1
    if j < len(doc) and lower[j] == "the":
        j += 1
    for p in in_sent:
        if p.start == j and p.end < len(doc) and lower[p.end] in _POSSESSIVE:
            return p
    return None


def _demonym_land(doc: Doc, start: int, sent: Span) -> Place | None:
    """'one percent of additional Ukrainian territory', 'a fifth of Ukrainian land': the country of
    the demonym that qualifies the land a figure measures."""
    lower = lower_of(doc)
    j = start
    while j < sent.end and j < start + 6 and lower[j] != "of":
        j += 1
    if j >= sent.end or lower[j] != "of":
        return None
    j += 1
    while j < sent.end and j < start + 9 and doc[j].is_lower and lower[j] not in word_class("held_land_nouns"):
        j += 1  # "the", "additional", "occupied"
    for a in spans_of(doc, "actors"):
        if a.start == j and a.id_ == "country" and a.end < sent.end and lower[a.end] in word_class("held_land_nouns"):
            return Place(name=a.label_, type="country", text=span_text(doc[a.start:a.end + 1]))
    return None


def _occupied_land(doc: Doc, sent: Span) -> bool:
    """'the occupied territories', 'occupied land': land held by the other side, no place named."""
    lower = lower_of(doc)
    nouns = word_class("held_land_nouns")
    if "occupied" not in lower[sent.start:sent.end]:
        return False
    return any(lower[i] == "occupied" and i + 1 < sent.end and lower[i + 1] in nouns
               for i in range(sent.start, sent.end))


def place_name(p: Span) -> str:
    """The canonical name, except that a supranational area named by its acronym keeps it ("EU")."""
    text = span_text(p)
    if p.id_ == "organisation_area" and text.isupper() and len(text) <= 5:
        return text
    return p.label_


def _polled(doc: Doc, start: int, peoples: list[Place]) -> Place | None:
    """The people a share is of: "58% of Americans", "a third of Germans" (the people named right
    after the figure's "of")."""
    lower = lower_of(doc)
    j = start
    while j < len(doc) and j < start + 5 and lower[j] != "of":
        j += 1
    words = lower[j + 1:j + 3] if j < len(doc) else []
    for p in peoples:
        if p.text.lower() in words:
            return p
    return None


def _peoples(doc: Doc, sent: Span) -> list[Place]:
    """'57% of Ukrainians', 'Russians say': the country of a people named in the sentence."""
    out = []
    for a in spans_of(doc, "actors"):
        if a.start < sent.start or a.end > sent.end or a.id_ != "country":
            continue
        text = span_text(a)
        low = text.lower()
        plural = low.endswith(tuple(word_class("plural_demonym_endings"))) and not text.isupper()
        if len(a) == 1 and low != a.label_.lower() and plural and (
                a.end >= len(doc) or doc[a.end].is_punct or doc[a.end].is_lower):
            out.append(Place(name=a.label_, type="country", text=text))
    return out


def _referent(doc: Doc, anaphor: Span, places: list[Span]) -> Place | None:
    wanted = _ANAPHORS.get(anaphor[-1].lower_)
    if wanted == "country":
        countries = [p for p in spans_of(doc, "places") if p.id_ == "country" and p.end <= anaphor.start]
        countries += [a for a in spans_of(doc, "actors") if a.id_ == "country" and a.end <= anaphor.start
                      and (a.text.lower() == a.label_.lower() or len(a) == 1 and a.text.endswith("s"))]
        if not countries:
            return None
        ref = max(countries, key=lambda s: s.start)
        return Place(name=ref.label_, type="country", text=anaphor.text)
    if wanted == "continent":  # "across the continent" after "troops deployed in Europe"
        named = [p for p in spans_of(doc, "places") if p.id_ == "continent" and p.end <= anaphor.start]
        return Place(name=named[-1].label_, type="continent", text=anaphor.text) if named else None
    types = CITY_TYPES if wanted == "city" else None
    earlier = [p for p in places if p.end <= anaphor.start and p.id_ not in ("country", "continent")
               and (types is None or p.id_ in types)]
    if not earlier:
        return None
    ref = earlier[-1]
    return Place(name=ref.label_, type=ref.id_ or None, text=anaphor.text)


def _anaphor(doc: Doc, sent: Span) -> Span | None:
    """'the region', 'the border region', 'the city', 'the country', 'the continent', 'there' in the sentence."""
    lower = lower_of(doc)
    for i in range(sent.start, sent.end):
        word = lower[i]
        if word in _ANAPHORS and i > sent.start:
            j = i - 1
            if lower_of(doc)[j] in word_class("place_anaphor_modifiers"):
                j -= 1
            if j >= sent.start and lower_of(doc)[j] in ("the", "this", "that"):
                return doc[j:i + 1]
        if word == "there" and i > sent.start and lower_of(doc)[i - 1] not in word_class("be_finite_forms"):
            nxt = lower_of(doc)[i + 1] if i + 1 < len(doc) else ""
            if nxt not in word_class("there_followers"):
                return doc[i:i + 1]
    return None
