"""Turn a free-text question ("Kursk troops", "ISW territory Donetsk") into a ClaimFilter.

Words that name a place, a source, an actor or a kind of claim become filters; the rest
is full-text search on the sentence. So ``claims query "Kursk troops"`` finds the same
claims as ``claims query --place Kursk --kind personnel``.
"""

from __future__ import annotations

import re

from extraction import lexicons
from extraction.canonical import forms, resolve
from models import ClaimFilter, ClaimKind

#: Words that ask for a kind of claim.
KIND_WORDS: dict[str, ClaimKind] = {
    **dict.fromkeys(["troops", "troop", "soldiers", "personnel", "forces", "servicemen", "deployment",
                     "deployed", "mobilised", "mobilized", "army"], ClaimKind.PERSONNEL),
    **dict.fromkeys(["casualties", "killed", "dead", "deaths", "losses", "wounded", "injured",
                     "fatalities", "toll"], ClaimKind.CASUALTIES),
    **dict.fromkeys(["territory", "land", "area", "km2", "gains"], ClaimKind.TERRITORY),
    **dict.fromkeys(["distance", "km", "kilometres", "kilometers", "miles"], ClaimKind.DISTANCE),
    **dict.fromkeys(["rate", "pace", "speed"], ClaimKind.RATE),
    **dict.fromkeys(["share", "percent", "percentage", "%", "poll"], ClaimKind.SHARE),
    **dict.fromkeys(["ratio", "times"], ClaimKind.RATIO),
    **dict.fromkeys(["equipment", "tanks", "drones", "missiles", "aircraft", "vehicles", "artillery"],
                    ClaimKind.EQUIPMENT),
    **dict.fromkeys(["money", "dollars", "euros", "cost", "aid", "funding", "budget"], ClaimKind.MONEY),
    **dict.fromkeys(["count", "people", "refugees", "civilians"], ClaimKind.COUNT),
}


#: A word of a query: dotted abbreviations ("U.S.", "U.K.") stay whole.
_WORD = re.compile(r"[\w'’%-]+(?:\.[\w'’%-]+)*\.?")


def _words(text: str) -> list[str]:
    """The words of a query; a sentence's full stop is not part of its last word, an
    abbreviation's dots are ("U.S. troops" -> ['U.S.', 'troops'])."""
    words = _WORD.findall(text or "")
    return [w if w.count(".") > 1 or "." not in w else w.rstrip(".") for w in words]


def _longest_form(tables: list[tuple[str, dict[str, lexicons.Entry]]]) -> int:
    return max(len(form.split()) for _, table in tables for form in table)


def parse_query(text: str, **filters: object) -> ClaimFilter:
    """Build a ClaimFilter from free text plus explicit filters (which win).

    A place or actor, named in the text or given explicitly, resolves through the gazetteers'
    aliases of any length ("US", "U.S.", "the United States" -> United States, id US).

    >>> parse_query("Kursk troops").kinds, parse_query("Kursk troops").place
    ([<ClaimKind.PERSONNEL: 'personnel'>], 'Kursk')
    >>> parse_query("U.S. troops").ids
    {'actor': 'US'}
    """
    words = _words(text)
    found: dict[str, object] = {}
    kinds: list[ClaimKind] = []
    rest: list[str] = []
    i = 0
    tables = [("place", lexicons.lookup("places")), ("source", lexicons.lookup("sources")),
              ("actor", lexicons.lookup("actors"))]
    longest = min(_longest_form(tables), 8)
    while i < len(words):
        matched = False
        for n in range(longest, 0, -1):
            if len(words) - i < n:
                continue
            phrase = " ".join(words[i:i + n]).lower()
            for field_name, table in tables:
                entry = table.get(phrase)
                if entry is None or field_name in found:
                    continue
                if field_name == "place" and entry.type == "country" and phrase in lexicons.lookup("actors") \
                        and "actor" not in found:
                    continue  # the first country named is the actor ("Russia territory"), a second the place
                found[field_name] = entry.name
                if i > 0 and words[i - 1].lower() == "the" and rest and rest[-1] is words[i - 1]:
                    rest.pop()  # "the United States": the article belongs to the name
                i += n
                matched = True
                break
            if matched:
                break
        if matched:
            continue
        w = words[i].lower()
        if w in KIND_WORDS:
            if KIND_WORDS[w] not in kinds:
                kinds.append(KIND_WORDS[w])
        else:
            rest.append(words[i])
        i += 1
    explicit = {k: v for k, v in filters.items() if v not in (None, [], ())}
    merged: dict[str, object] = {**found, **explicit}
    if "kinds" not in explicit and kinds:
        merged["kinds"] = kinds
    if rest:
        merged["text"] = " ".join(rest)
    aliases: dict[str, list[str]] = {}
    ids: dict[str, str] = {}
    exact: dict[str, list[str]] = {}
    for field_name in ("place", "source", "actor"):
        value = merged.get(field_name)
        if not isinstance(value, str):
            continue
        if field_name == "source":
            entry = lexicons.lookup("sources").get(value.lower())
        else:
            entry = resolve(field_name, value)  # type: ignore[arg-type]
        if entry is None:
            continue
        merged[field_name] = entry.name
        # a short alias ("US", "UK") would match inside other names ("Russia"): substrings of 4+ only;
        # whole names of any length go to ``exact``
        aliases[field_name] = [a for a in entry.aliases if len(a) >= 4 and a != entry.name]
        if field_name != "source" and entry.id:
            ids[field_name] = entry.id
            exact[field_name] = forms(field_name, entry)  # type: ignore[arg-type]
    return ClaimFilter(**merged, aliases=aliases, ids=ids, exact=exact)
