"""Turn a free-text question ("Kursk troops", "ISW territory Donetsk") into a ClaimFilter.

Words that name a place, a source, an actor or a kind of claim become filters; the rest
is full-text search on the sentence. So ``claims query "Kursk troops"`` finds the same
claims as ``claims query --place Kursk --kind personnel``.
"""

from __future__ import annotations

import re

from extraction import lexicons
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


def parse_query(text: str, **filters: object) -> ClaimFilter:
    """Build a ClaimFilter from free text plus explicit filters (which win).

    >>> parse_query("Kursk troops").kinds, parse_query("Kursk troops").place
    ([<ClaimKind.PERSONNEL: 'personnel'>], 'Kursk')
    """
    words = re.findall(r"[\w'’%-]+", text or "")
    found: dict[str, object] = {}
    kinds: list[ClaimKind] = []
    rest: list[str] = []
    i = 0
    tables = [("place", lexicons.lookup("places")), ("source", lexicons.lookup("sources")),
              ("actor", lexicons.lookup("actors"))]
    while i < len(words):
        matched = False
        for n in (4, 3, 2, 1):
            phrase = " ".join(words[i:i + n]).lower()
            if len(words) - i < n:
                continue
            for field_name, table in tables:
                entry = table.get(phrase)
                if entry is None or field_name in found:
                    continue
                if field_name == "place" and entry.type == "country" and phrase in lexicons.lookup("actors") \
                        and "actor" not in found:
                    continue  # the first country named is the actor ("Russia territory"), a second the place
                found[field_name] = entry.name
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
    for field_name, table in (("place", "places"), ("source", "sources"), ("actor", "actors")):
        value = merged.get(field_name)
        entry = lexicons.lookup(table).get(str(value).lower()) if isinstance(value, str) else None
        if entry is None and field_name == "actor" and isinstance(value, str):
            entry = lexicons.lookup("places").get(value.lower())  # "Britain" names the actor too
            entry = lexicons.lookup("actors").get(entry.name.lower()) if entry else None
        if entry is not None:
            # a short alias ("US", "UK") would match inside other names ("Russia"): keep names of 4+
            merged[field_name] = entry.name
            aliases[field_name] = [a for a in entry.aliases if len(a) >= 4 and a != entry.name]
    return ClaimFilter(**merged, aliases=aliases)
