"""One actor, many names: the canonical name and stable id of an actor or a place.

"US", "U.S.", "America" and "the United States" are one actor, ``United States`` with id
``US``. The ids live in the gazetteers' ``id`` column (see ``data/gazetteers/README.md``):
ISO 3166-1 alpha-2 for countries ("US", "GB"), ISO 3166-2 for their subdivisions ("UA-63",
"RU-KRS"), and ``org:<slug>`` / ``place:<cc>:<slug>`` for the rest ("org:nato",
"place:ua:kharkiv"). A company found only in ``sources.tsv`` gets ``org:<slug of its name>``.

Extraction applies ``canonical_claim`` once, where a claim is finished; queries use
``resolve`` and ``forms`` so that any spelling finds claims stored under any other, including
rows an older extractor wrote under the name the text used.

>>> resolve("actor", "the U.S.").name, resolve("actor", "USA").id
('United States', 'US')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import Entry
from models import Claim, Place

Kind = Literal["actor", "place"]


def slug(name: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``slug("People's Defence Force")`` is
    'peoples-defence-force'; '+' reads 'plus' ("OPEC+" -> 'opec-plus')."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "").replace("'", "").replace("+", " plus")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _keys(text: str) -> list[str]:
    """The lookup keys a user's spelling may match: as written, without a leading 'the', with
    straight apostrophes, and without the dots of an abbreviation ("U.S.A" -> "usa")."""
    low = " ".join(text.replace("’", "'").split()).lower()
    keys = [low, low[4:] if low.startswith("the ") else low]
    keys += [k.replace(".", "") for k in keys if "." in k]
    keys += [k.replace("'", "’") for k in keys if "'" in k]
    return [k for k in dict.fromkeys(keys) if k]


@lru_cache(maxsize=2)
def _by_id(kind: str) -> dict[str, Entry]:
    return {e.id: e for e in (lexicons.actors() if kind == "actors" else lexicons.places()) if e.id}


@lru_cache(maxsize=1)
def _place_by_name() -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for e in lexicons.places():
        out.setdefault(e.name.lower(), e)
    return out


def _source_actor(entry: Entry) -> Entry:
    """A named source acting as an actor (a company's own results): its id from its name."""
    return Entry(entry.name, entry.type, entry.aliases, entry.country, f"org:{slug(entry.name)}")


def resolve(kind: Kind, text: str | None) -> Entry | None:
    """The gazetteer entry ``text`` names as an actor or a place, or None.

    An actor is looked up among the actors, then the countries of the places ("Stany
    Zjednoczone"), then the named sources (a company: "Microsoft"); a place among the places.
    Any alias resolves, of any length ("US", "U.K."), with or without "the".
    """
    if not text or not text.strip():
        return None
    keys = _keys(text)
    if kind == "place":
        table = lexicons.lookup("places")
        return next((table[k] for k in keys if k in table), None)
    actors, places, sources = lexicons.lookup("actors"), lexicons.lookup("places"), lexicons.lookup("sources")
    for k in keys:
        if k in actors:
            return actors[k]
    for k in keys:
        place = places.get(k)
        if place is not None and place.type == "country" and place.id in _by_id("actors"):
            return _by_id("actors")[place.id]
    for k in keys:
        if k in sources:
            return _source_actor(sources[k])
    return None


def forms(kind: Kind, entry: Entry) -> list[str]:
    """Every lower-case name under which claims about ``entry`` may be stored. An actor's own
    forms and, for a country, its names as a place ("Stany Zjednoczone"); a place's own forms
    only (an actor's metonyms, "London" for the United Kingdom, are other places)."""
    out = [f.lower() for f in entry.aliases]
    place = _by_id("places").get(entry.id) if kind == "actor" else None
    if place is not None and place.type == "country":
        out += [f.lower() for f in place.aliases]
    return list(dict.fromkeys(out))


def canonical_actor(name: str | None) -> tuple[str | None, str | None]:
    """(canonical name, id) of an actor as a claim names it; an unknown name stays as it is,
    without an id.

    >>> canonical_actor("Britain")
    ('United Kingdom', 'GB')
    """
    entry = resolve("actor", name)
    if entry is None:
        return name, None
    return entry.name, entry.id


def place_with_id(place: Place) -> Place:
    """The place with the id of its canonical entry (the name an extractor wrote; an acronym
    such as "EU" is resolved too). The name stays as the extractor wrote it."""
    entry = _place_by_name().get(place.name.lower()) or resolve("place", place.name)
    if entry is None or not entry.id:
        return place
    return place.model_copy(update={"id": entry.id})


def canonical_claim(claim: Claim) -> Claim:
    """The claim with the stable ids of its actor and places; nothing else changes.

    The names stay as the article wrote them ("Britain", "UK", "U.S."): that is what a reader
    checks against the sentence and what annotators write, while ``actor_id`` / ``places[].id``
    make them one actor for queries, grouping and joins (``canonical_actor`` gives the
    canonical name of an id's entry)."""
    _, actor_id = canonical_actor(claim.actor)
    places = [place_with_id(p) for p in claim.places]
    return claim.model_copy(update={"actor_id": actor_id, "places": places})
