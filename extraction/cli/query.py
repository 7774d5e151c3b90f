"""Turn a free-text question ("Kursk troops", "ISW territory 2024") into a ClaimFilter.

Words that name a place, a source, an actor or a kind of claim become filters; years and
dates become a period filter; the rest is full-text search on the sentence, each word
stemmed ("drones" finds "drone"). So ``claims query "Kursk troops"`` finds the same claims
as ``claims query --place Kursk --kind personnel``, and ``claims serve`` parses its search
box with the same function. ``suggest`` offers a "did you mean" for a misspelt word.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from extraction.interpret.canonical import forms, resolve
from extraction.lexicon import lexicons
from models import ClaimFilter, ClaimKind


@lru_cache(maxsize=1)
def kind_words() -> dict[str, ClaimKind]:
    """Words that ask for a kind of claim (matched after stemming, so plurals come free): the word
    classes ``query_<kind>_words`` of ``lexicon/word_classes/cli.tsv``, kind by kind.

    >>> kind_words()["troops"], kind_words()["drones"]
    (<ClaimKind.PERSONNEL: 'personnel'>, <ClaimKind.EQUIPMENT: 'equipment'>)
    """
    classes = {ClaimKind.PERSONNEL: "query_personnel_words", ClaimKind.CASUALTIES: "query_casualty_words",
               ClaimKind.TERRITORY: "query_territory_words", ClaimKind.DISTANCE: "query_distance_words",
               ClaimKind.RATE: "query_rate_words", ClaimKind.SHARE: "query_share_words",
               ClaimKind.RATIO: "query_ratio_words", ClaimKind.EQUIPMENT: "query_equipment_words",
               ClaimKind.MONEY: "query_money_words", ClaimKind.COUNT: "query_count_words"}
    return {w: kind for kind, name in classes.items() for w in sorted(lexicons.word_class(name))}


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(19[5-9]\d|20\d\d)$")


@lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    """The inflection endings ``stem`` strips, longest first (word class ``query_suffixes``)."""
    return tuple(sorted(lexicons.word_class("query_suffixes"), key=lambda s: (-len(s), s)))


def stem(word: str) -> str:
    """A prefix shared by a word's inflections, for prefix search: a suffix stripper, not a
    dictionary, so it never turns a word into something that is not its beginning.

    >>> [stem(w) for w in ("drones", "drone", "casualties", "casualty", "advancing", "advanced")]
    ['dron', 'dron', 'casualt', 'casualt', 'advanc', 'advanc']
    """
    w = word.lower()
    for suffix in _suffixes():
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
            w = w[: -len(suffix)]
            break
    return w[:-1] if len(w) >= 5 and w.endswith("e") else w


@lru_cache(maxsize=1)
def _kind_stems() -> dict[str, ClaimKind]:
    return {stem(w): kind for w, kind in kind_words().items()}


#: A word of a query: dotted abbreviations ("U.S.", "U.K.") stay whole.
_WORD = re.compile(r"[\w'’%-]+(?:\.[\w'’%-]+)*\.?")


def _words(text: str) -> list[str]:
    """The words of a query; a sentence's full stop is not part of its last word, an
    abbreviation's dots are ("U.S. troops" -> ['U.S.', 'troops'])."""
    words = _WORD.findall(text or "")
    return [w if w.count(".") > 1 or "." not in w else w.rstrip(".") for w in words]


def _period(words: list[str], i: int) -> tuple[date, date, int] | None:
    """The date range that words[i:] start with, and how many words it takes; None if not a date.

    "2024" is the year, "2024-03" and "March 2024" the month, "2024-03-05" the day.
    """
    w = words[i].lower()
    if m := _ISO_DAY.match(w):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return day, day, 1
    if (m := _ISO_MONTH.match(w)) and 1 <= int(m[2]) <= 12:
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), 1
    if w in _MONTHS and i + 1 < len(words) and _YEAR.match(words[i + 1]):
        y, mo = int(words[i + 1]), _MONTHS[w]
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), 2
    if _YEAR.match(w):
        return date(int(w), 1, 1), date(int(w), 12, 31), 1
    return None


@lru_cache(maxsize=1)
def _unambiguous_source_aliases() -> dict[str, tuple[str, ...]]:
    """Canonical source name -> its aliases that name no other source. "General Staff" is an
    alias of Ukraine's General Staff but is also inside "General Staff of the Armed Forces of
    Russia": searching for it would bring back Russia's, so it is not used to match."""
    entries = lexicons.sources()
    forms = [[f.casefold() for f in e.aliases] for e in entries]
    out: dict[str, tuple[str, ...]] = {}
    for i, e in enumerate(entries):
        others = "\x00".join(f for j, fs in enumerate(forms) if j != i for f in fs)
        out[e.name] = tuple(a for a in e.aliases if len(a) >= 4 and a != e.name and a.casefold() not in others)
    return out


def _phrase(words: list[str]) -> str:
    return " ".join(words).lower().replace("’", "'")


def _named_at(words: list[str], i: int, found: dict[str, object]) -> tuple[str, str, int] | None:
    """The source, place or actor that words[i:] start with: (field, canonical name, words
    taken), the longest phrase first ("Ukraine's General Staff" before "Ukraine"); a country
    followed by a body's name is that country's body ("Russia defence ministry")."""
    tables = [("source", lexicons.lookup("sources")), ("place", lexicons.lookup("places")),
              ("actor", lexicons.lookup("actors"))]
    for n in range(min(6, len(words) - i), 0, -1):
        phrase = _phrase(words[i:i + n])
        if n == 1 and "source" not in found and (body := _country_body(words, i)) is not None:
            return body
        for field_name, table in tables:
            entry = table.get(phrase)
            if entry is None or field_name in found:
                continue
            if field_name == "place" and entry.type == "country" and phrase in lexicons.lookup("actors") \
                    and "actor" not in found:
                continue  # the first country named is the actor ("Russia territory"), a second the place
            if field_name == "source" and n == 1 and phrase in lexicons.lookup("places"):
                continue  # a lone place name ("Ukraine") is a place, not the body named after it
            return field_name, entry.name, n
    return None


def _country_body(words: list[str], i: int) -> tuple[str, str, int] | None:
    """("source", body, words taken) when words[i] names a country and the words after it name
    one of that country's bodies: "Ukraine General Staff", "Russia defence ministry"."""
    country = lexicons.lookup("actors").get(_phrase(words[i:i + 1]))
    if country is None or country.type != "country":
        return None
    for n in range(min(5, len(words) - i - 1), 0, -1):
        rest = _phrase(words[i + 1:i + 1 + n])
        if len(rest) < 4 or all(stem(w) in _kind_stems() for w in words[i + 1:i + 1 + n]):
            continue
        bodies = [e for e in lexicons.sources() if e.country == country.name
                  and any(rest in form.lower().replace("’", "'") for form in e.aliases)]
        if bodies:  # the body that is named so most exactly: the shortest name holding the words
            best = min(bodies, key=lambda e: min(len(f) for f in e.aliases if rest in f.lower().replace("’", "'")))
            return "source", best.name, n + 1
    return None


def parse_query(text: str, **filters: object) -> ClaimFilter:
    """Build a ClaimFilter from free text plus explicit filters (which win).

    >>> parse_query("Kursk troops").kinds, parse_query("Kursk troops").place
    ([<ClaimKind.PERSONNEL: 'personnel'>], 'Kursk')
    >>> parse_query("ISW territory 2024").period_start
    datetime.date(2024, 1, 1)
    >>> parse_query("U.S. troops").ids
    {'actor': 'US'}

    A place or actor, named in the text or given explicitly, resolves through the gazetteers'
    aliases of any length ("US", "U.S.", "the United States" -> United States, id US).
    """
    words = _words(text)
    found: dict[str, object] = {}
    kinds: list[ClaimKind] = []
    rest: list[str] = []
    period: tuple[date, date] | None = None
    i = 0
    while i < len(words):
        if (span := _period(words, i)) is not None:
            start, end, n = span
            period = (min(start, period[0]), max(end, period[1])) if period else (start, end)
            i += n
            continue
        if (match := _named_at(words, i, found)) is not None:
            field_name, name, n = match
            found[field_name] = name
            if i > 0 and words[i - 1].lower() == "the" and rest and rest[-1] is words[i - 1]:
                rest.pop()  # "the United States": the article belongs to the name
            i += n
            continue
        kind = _kind_stems().get(stem(words[i]))
        if kind is not None:
            if kind not in kinds:
                kinds.append(kind)
        else:
            rest.append(words[i])
        i += 1
    explicit = {k: v for k, v in filters.items() if v not in (None, [], ())}
    merged: dict[str, object] = {**found, **explicit}
    if "kinds" not in explicit and kinds:
        merged["kinds"] = kinds
    if period and "period_start" not in explicit and "period_end" not in explicit:
        merged["period_start"], merged["period_end"] = period
    if rest:  # every word required, each as the prefix its inflections share
        merged["text"] = " ".join(f"{stem(w)}*" if len(stem(w)) >= 3 else w for w in rest)
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
        if field_name == "source":
            aliases[field_name] = list(_unambiguous_source_aliases().get(entry.name, ()))
            continue
        # a short alias ("US", "UK") would match inside other names ("Russia"): substrings of 4+ only;
        # whole names of any length go to ``exact``
        aliases[field_name] = [a for a in entry.aliases if len(a) >= 4 and a != entry.name]
        if entry.id:
            ids[field_name] = entry.id
            exact[field_name] = forms(field_name, entry)  # type: ignore[arg-type]
    return ClaimFilter(**merged, aliases=aliases, ids=ids, exact=exact)


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    """Lower-case word -> how to write it, over the words of place, source and actor names and
    the kind words: what a misspelling is compared with."""
    vocab: dict[str, str] = {w: w for w in kind_words()}  # "territory", not "Territory"
    for table in ("places", "sources", "actors"):
        for entry in set(lexicons.lookup(table).values()):
            for form in entry.aliases:
                for word in _words(form):
                    if len(word) >= 4 and word.isalpha():
                        vocab.setdefault(word.lower(), word)
    return vocab


def suggest(text: str, is_known: Callable[[str], bool] | None = None, min_score: float = 80.0) -> str | None:
    """The query with each unknown word of 4+ letters replaced by the closest known name or
    kind word (rapidfuzz ratio >= ``min_score``), or None when nothing was replaced. A word
    is known when it is a name or kind word, or when ``is_known(word)`` says so (the caller's
    corpus: a word the articles use is not a misspelling).

    >>> suggest("Kursk troups")
    'Kursk troops'
    """
    from rapidfuzz import fuzz, process

    vocab = _vocabulary()
    known = _kind_stems()
    out: list[str] = []
    changed = False
    for word in (text or "").split():
        bare = word.strip(".,;:!?\"()").lower()
        if len(bare) < 4 or not bare.isalpha() or bare in vocab or stem(bare) in known \
                or (is_known is not None and is_known(bare)):
            out.append(word)
            continue
        best = process.extractOne(bare, vocab.keys(), scorer=fuzz.ratio, score_cutoff=min_score)
        if best is None:
            out.append(word)
            continue
        out.append(vocab[best[0]])
        changed = True
    return " ".join(out) if changed else None
