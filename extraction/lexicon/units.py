"""Pure unit normalisation from ``data/lexicon/units.tsv``. No spaCy.

>>> to_canonical(3.0, "miles")
(4.828032, 'km')
"""

from __future__ import annotations

import csv
from functools import lru_cache

from extraction.lexicon.lexicons import DATA


@lru_cache(maxsize=1)
def unit_table() -> dict[str, tuple[str, float]]:
    """Lower-case surface form -> (canonical unit, factor to the canonical unit)."""
    with open(DATA / "lexicon" / "units.tsv", encoding="utf-8", newline="") as fh:
        return {r["surface"]: (r["unit"], float(r["factor"])) for r in csv.DictReader(fh, delimiter="\t")}


def lookup_unit(surface: str) -> tuple[str, float] | None:
    """The canonical unit and factor of a surface form ("sq km" -> ("km2", 1.0)), else None."""
    key = " ".join(surface.lower().replace("’", "'").split())
    return unit_table().get(key)


def to_canonical(value: float, surface: str) -> tuple[float, str] | None:
    """Convert a value in the surface unit to the canonical unit; None for an unknown unit."""
    hit = lookup_unit(surface)
    if hit is None:
        return None
    unit, factor = hit
    return round(value * factor, 9), unit


def split_unit(text: str, prefix: bool = False) -> tuple[str, str] | None:
    """Split "2,700 square kilometres" into ("2,700", "square kilometres") using the unit table.

    With ``prefix`` the unit is looked for at the start ("$19.5 billion" -> ("19.5 billion", "$")).
    Returns None when no known unit is found at that end.
    """
    words = text.split()
    table = unit_table()
    for n in (3, 2, 1):
        if len(words) <= n - 1:
            continue
        part = words[:n] if prefix else words[-n:]
        key = " ".join(part).lower()
        if key in table:
            rest = words[n:] if prefix else words[:-n]
            return " ".join(rest), " ".join(part)
    if prefix and words:
        # a symbol glued to the number: "$5" is tokenised apart, but "US$5" may not be
        for sym in sorted((k for k in table if not k[0].isalnum()), key=len, reverse=True):
            if words[0].lower().startswith(sym) and len(words[0]) > len(sym):
                return " ".join([words[0][len(sym):], *words[1:]]), sym
    return None
