"""What an article is about, as a place: the place it keeps coming back to (``last_named``) and
the country it is plainly about (``article_theatre``), the fallbacks of a figure with no place of
its own (``places.decide_places``).

Pure over a processed Doc's place and source spans; returns ``models.Place`` objects or names.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from spacy.tokens import Doc, Span

from extraction.interpret.places import CITY_TYPES, country_of, place_name
from extraction.lexicon import lexicons
from extraction.nlp.spans import positions_of, spans_of, word_hashes, words_of
from models import Place


def last_named(places: list[Span], before: int) -> list[Place]:
    """The last place named before token ``before`` anywhere in the article, countries included,
    when it is the place the article names most, and more than once unless it is the only place
    the article names (a city and its same-named region count together); else the place the
    article names at least twice as often as any other, if named before; else the country
    whose name, regions and cities together are named twice as often as any other's. When that
    place is a country, a region or city of it the article keeps coming back to comes first:
    what a figure about people or money with no place of its own is about ("This has left
    the factories with $2bn in unpaid bills" after "In the Kharkiv region")."""
    counts: dict[str, int] = {}
    for p in places:
        counts[_stem(p.label_)] = counts.get(_stem(p.label_), 0) + 1
    earlier = [p for p in places if p.end <= before and p.id_ not in ("continent", "sea", "river")]
    if not earlier:
        return []
    ranked = sorted(counts.values(), reverse=True)
    top, second = ranked[0], (ranked[1] if len(ranked) > 1 else 0)
    ref = earlier[-1]
    if counts[_stem(ref.label_)] < top or top < 2 and len(counts) > 1:
        # not the place the article keeps coming back to: fall back on that place when it is
        # named before and clearly dominates ("Japan" four times, "US" and "China" once)
        main = [p for p in earlier if counts[_stem(p.label_)] == top]
        if main and top >= 2 and top >= 2 * second:
            ref = main[-1]
        else:  # a country and its own regions and cities together ("Russia" and "Nizhny Novgorod")
            country = _dominant_country(places)
            inside = [p for p in earlier if (country_of(p.label_) or p.label_) == country]
            if country is None or not inside:
                return []
            ref = next((p for p in reversed(inside) if p.id_ == "country"), None)
            if ref is None:  # only its regions and cities were named: the country itself
                return [Place(name=country, type="country", text="(earlier in the article)")]
    found = [Place(name=place_name(ref), type=ref.id_ or None, text="(earlier in the article)")]
    local = _local_focus(earlier, ref) if ref.id_ == "country" else None
    if local is not None:  # "In the Nizhny Novgorod region, ..." in an article about Russia
        found.insert(0, Place(name=place_name(local), type=local.id_ or None, text="(earlier in the article)"))
    return found


_LOCAL_TYPES = CITY_TYPES | {"region"}


def _dominant_country(places: list[Span]) -> str | None:
    """The country the article's places lie in, when it has at least twice as many mentions
    (its regions and cities included) as any other, and at least two."""
    counts: dict[str, int] = {}
    for p in places:
        key = country_of(p.label_) or p.label_
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    name, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return name if top >= 2 and top >= 2 * second else None


def _local_focus(earlier: list[Span], country: Span) -> Span | None:
    """The region or city of ``country`` that an article about that country keeps coming back
    to: named at least three times before, and at least twice as often as any other of its
    places. Not its capital, which the news names for the government as much as the city."""
    counts: dict[str, int] = {}
    last: dict[str, Span] = {}
    metonyms = lexicons.lookup("actors")  # a capital stands for its government ("Kyiv says")
    for p in earlier:
        if p.id_ in _LOCAL_TYPES and country_of(p.label_) == country.label_ and p.label_.lower() not in metonyms:
            counts[_stem(p.label_)] = counts.get(_stem(p.label_), 0) + 1
            last[_stem(p.label_)] = p
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    name, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return last[name] if top >= 3 and top >= 2 * second else None


def article_theatre(doc: Doc, places: list[Span], title: str | None = None) -> str | None:
    """The country an article is plainly about, or None: the country named (as a place, or
    through its regions and cities), and given away by its institutions (a government,
    military or polling body of ``sources.tsv`` with a country; think tanks, companies and outlets
    speak about everywhere; a form of ``country_cues.tsv``: "the
    Tories", "the Bundestag"), at least twice and half as often again as any other. A place or
    institution in the headline counts twice. Demonyms do not count: "Russian missiles" name the
    side that fires, not where.

    It is the place of a figure that has no nearer one (``place.article_theatre``): "120 drones
    were shot down overnight" in a report on strikes on Ukraine."""
    votes: dict[str, float] = {}

    def vote(country: str | None, start: int, weight: float = 1.0) -> None:
        if country:
            votes[country] = votes.get(country, 0.0) + weight

    for p in places:
        if p.id_ not in ("continent", "sea", "river", "organisation_area"):
            vote(country_of(p.label_), p.start)
    table = lexicons.lookup("sources")
    for s in spans_of(doc, "sources"):
        entry = table.get(s.label_.lower())
        if entry is not None and entry.type in ("government", "military", "pollster"):
            vote(entry.country, s.start)
    cues = country_cues()
    for c in _cue_hits(words_of(doc), cues, doc):
        vote(c, 0)
    if title:
        places_table = lexicons.lookup("places")
        title_words = title.replace("'s", " ").replace("’s", " ").split()
        for c in _cue_hits(title_words, cues):
            vote(c, 0, 2.0)
        for i in range(len(title_words)):
            for n in (3, 2, 1):
                form = " ".join(title_words[i:i + n]).strip(".,:;!?'\"‘’“”")
                entry = places_table.get(form.lower()) if form[:1].isupper() else None
                if entry is not None and entry.type not in ("continent", "sea", "river", "organisation_area"):
                    vote(country_of(form), 0, 2.0)
                    break
    if not votes:
        return None
    ranked = sorted(votes.values(), reverse=True)
    top, second = ranked[0], (ranked[1] if len(ranked) > 1 else 0.0)
    if top < 2 or top < 1.5 * second:
        return None
    return next(c for c, v in votes.items() if v == top)


def _cue_hits(words: list[str], cues: dict[str, str], doc: Doc | None = None) -> list[str]:
    """The countries of the capitalised forms of ``cues`` found in ``words`` (longest first);
    ``words`` are the words of ``doc`` when it is given (their candidates are then found by hash)."""
    out = []
    firsts, table = _first_words(cues)
    for i in range(len(words)) if doc is None else positions_of(doc, table):
        w = words[i]
        if w not in firsts or not w[:1].isupper():
            continue
        for n in (3, 2, 1):
            hit = cues.get(" ".join(words[i:i + n]))
            if hit:
                out.append(hit)
                break
    return out


#: id of a cue table -> (the table, the words its forms start with, their hashes)
_FIRST_WORDS: dict[int, tuple[dict[str, str], frozenset[str], np.ndarray]] = {}


def _first_words(cues: dict[str, str]) -> tuple[frozenset[str], np.ndarray]:
    """The words a form of ``cues`` starts with (a word that starts none cannot start a hit),
    and their hashes (``spans.word_hashes``)."""
    found = _FIRST_WORDS.get(id(cues))
    if found is None or found[0] is not cues:
        firsts = frozenset(form.split(" ")[0] for form in cues)
        found = _FIRST_WORDS[id(cues)] = (cues, firsts, word_hashes(firsts))
    return found[1], found[2]


@lru_cache(maxsize=1)
def country_cues() -> dict[str, str]:
    """Surface form -> country, from ``gazetteers/country_cues.tsv``: names of institutions and
    parties that only one country has ("Tories", "Bundestag")."""
    return {r["form"]: r["country"] for r in lexicons.read_tsv("gazetteers/country_cues.tsv")}


def _stem(name: str) -> str:
    return name.removesuffix(" region")


