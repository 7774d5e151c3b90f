"""Cached loaders of the rule and gazetteer files in ``extraction/data`` (see its README).

Nothing is read at import time; every loader reads its file once per process.
"""

from __future__ import annotations

import csv
import itertools
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parents[1] / "data"

#: The keys every line of a pattern file needs; "expect" may follow, any other key is kept in ``Rule.extra``.
_RULE_KEYS = frozenset({"id", "label", "pattern", "example"})


def __getattr__(name: str) -> frozenset[str]:
    """``PHRASE_END_VERBS``: the word class ``phrase_end_verbs`` (finite verbs that end a noun phrase
    in news copy), read when first asked for, under the name its callers knew it by."""
    if name == "PHRASE_END_VERBS":
        return word_class("phrase_end_verbs")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Rule:
    """One line of a pattern file: a stable id, a label, token patterns and a tested example."""

    id: str
    label: str
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    example: str
    expect: str | None
    extra: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)


@lru_cache(maxsize=1)
def macros() -> dict[str, list[list[dict[str, Any]]]]:
    """Token-pattern macros from ``patterns/macros.json`` (NAME -> alternatives)."""
    data = json.loads((DATA / "patterns" / "macros.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def expand_pattern(pattern: list[dict[str, Any]], depth: int = 0) -> list[list[dict[str, Any]]]:
    """Expand ``{"MACRO": NAME}`` tokens into every combination of the macros' alternatives.

    >>> len(expand_pattern([{"MACRO": "QTY"}, {"LOWER": "times"}])) > 2
    True
    """
    if depth > 8:
        raise ValueError(f"macro nesting too deep in {pattern}")
    table = macros()
    choices: list[list[list[dict[str, Any]]]] = []
    for token in pattern:
        if "MACRO" in token:
            name = token["MACRO"]
            if name not in table:
                raise KeyError(f"unknown macro {name!r}")
            alts: list[list[dict[str, Any]]] = []
            for alt in table[name]:
                alts.extend(expand_pattern(alt, depth + 1))
            choices.append(alts)
        else:
            choices.append([[token]])
    return [[tok for part in combo for tok in part] for combo in itertools.product(*choices)]


@lru_cache(maxsize=16)
def rules(family: str) -> tuple[Rule, ...]:
    """The rules of ``patterns/<family>.jsonl``, macros expanded. Every line needs id, label, example."""
    path = DATA / "patterns" / f"{family}.jsonl"
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = _RULE_KEYS - row.keys()
        if missing:
            raise ValueError(f"{path}:{n}: rule lacks {sorted(missing)}")
        extra = tuple(sorted((k, v) for k, v in row.items()
                             if k not in _RULE_KEYS and k != "expect"))
        expanded = tuple(tuple(p) for p in expand_pattern(row["pattern"]))
        out.append(Rule(row["id"], row["label"], expanded, row["example"], row.get("expect"), extra))
    ids = [r.id for r in out]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate rule ids")
    return tuple(out)


def read_tsv(relpath: str) -> list[dict[str, str]]:
    """The rows of a tab-separated table under ``extraction/data`` (``relpath``), cells stripped."""
    return _read_tsv(relpath)


def _read_tsv(relpath: str) -> list[dict[str, str]]:
    with open(DATA / relpath, encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh, delimiter="\t")]


@lru_cache(maxsize=1)
def counted_nouns() -> dict[str, str]:
    """Lower-case counted noun -> class (military, person, equipment, thing, time, age)."""
    return {r["word"]: r["class"] for r in _read_tsv("lexicon/counted_nouns.tsv")}


@lru_cache(maxsize=1)
def casualty_words() -> dict[str, str]:
    """Lower-case word -> casualty category (killed, wounded, killed_or_wounded, ...)."""
    return {r["word"]: r["category"] for r in _read_tsv("lexicon/casualty_words.tsv")}


@lru_cache(maxsize=None)
def word_class(name: str) -> frozenset[str]:
    """The lower-case words of one class of ``lexicon/word_classes.tsv`` or ``lexicon/word_classes/*.tsv``
    ("attack_verbs", "poll_nouns", ...): the word lists the rules read. An unknown class is an error.

    >>> "downed" in word_class("destroy_verbs")
    True
    """
    table = _word_classes()
    if name not in table:
        raise KeyError(f"{DATA / 'lexicon' / 'word_classes.tsv'}: no word class {name!r}")
    return table[name]


@lru_cache(maxsize=4)
def field_names(fmt: str) -> dict[str, tuple[str, ...]]:
    """Field -> the names that hold it in input format ``fmt`` (``jsonl``: the dump fields of
    ``Settings``; ``html_meta``: ``<meta>`` names and properties), best first, from
    ``readers/fields.tsv``, in the table's order.

    >>> field_names("jsonl")["url"]
    ('url', 'link')
    """
    out = {row["field"]: tuple(n.strip() for n in row["names"].split("|") if n.strip())
           for row in _read_tsv("readers/fields.tsv") if row["format"] == fmt}
    if not out:
        raise KeyError(f"{DATA / 'readers' / 'fields.tsv'}: no format {fmt!r}")
    return out


@lru_cache(maxsize=1)
def _word_classes() -> dict[str, frozenset[str]]:
    """Every class of ``lexicon/word_classes.tsv`` and of the tables in ``lexicon/word_classes/``
    (one per stage); a class is defined once across all of them."""
    out: dict[str, frozenset[str]] = {}
    folder = DATA / "lexicon" / "word_classes"
    for path in [DATA / "lexicon" / "word_classes.tsv", *sorted(folder.glob("*.tsv"))]:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [{k: (v or "").strip() for k, v in r.items()}
                    for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]  # '"' is a word here
        for n, r in enumerate(rows, 2):
            if not r.get("class") or r["class"] in out:
                raise ValueError(f"{path}:{n}: missing or repeated class {r.get('class')!r}")
            out[r["class"]] = frozenset(w.strip().lower() for w in r.get("words", "").split("|") if w.strip())
    return out


@dataclass(frozen=True)
class Entry:
    """A gazetteer entry: canonical name, its type, the surface forms that name it, and its
    stable id ("US", "UA-63", "org:nato", "place:ua:kharkiv"; empty where the table has none)."""

    name: str
    type: str
    aliases: tuple[str, ...]
    country: str = ""
    id: str = ""


def _entries(relpath: str, type_col: str = "type") -> tuple[Entry, ...]:
    out = []
    for r in _read_tsv(relpath):
        aliases = [a.strip() for a in f'{r.get("aliases", "")}|{r.get("leaders", "")}'.split("|") if a.strip()]
        forms = tuple(dict.fromkeys([r["name"], *aliases]))
        out.append(Entry(r["name"], r.get(type_col, ""), forms, r.get("country", ""), r.get("id", "")))
    return tuple(out)


@lru_cache(maxsize=1)
def places() -> tuple[Entry, ...]:
    """Places gazetteer (``gazetteers/places.tsv``)."""
    return _entries("gazetteers/places.tsv")


@lru_cache(maxsize=1)
def actors() -> tuple[Entry, ...]:
    """Actors gazetteer: countries, alliances, armed groups with demonyms and metonyms."""
    return _entries("gazetteers/actors.tsv")


@lru_cache(maxsize=1)
def leader_names() -> frozenset[str]:
    """Lower-case names of the leaders who are metonyms of their country ("Putin ordered ..."
    -> Russia): an actor when they act, a person when they speak."""
    return frozenset(f.lower() for r in _read_tsv("gazetteers/actors.tsv")
                     for f in r.get("leaders", "").split("|") if f.strip())


@lru_cache(maxsize=1)
def sources() -> tuple[Entry, ...]:
    """Named sources (organisations, media, pollsters) with their type."""
    return _entries("gazetteers/sources.tsv")


@lru_cache(maxsize=1)
def source_nouns() -> dict[str, tuple[str, str]]:
    """Generic source noun (singular and plural, lower case) -> (type, role)."""
    out: dict[str, tuple[str, str]] = {}
    for r in _read_tsv("gazetteers/source_nouns.tsv"):
        for form in (r["noun"], r.get("plural", "")):
            if form:
                out[form.lower()] = (r.get("type", "other"), r.get("role", "head"))
    return out


@lru_cache(maxsize=1)
def source_noun_plurals() -> frozenset[str]:
    """The plural forms of ``gazetteers/source_nouns.tsv`` ("officials", "experts"), lower case."""
    return frozenset(r["plural"].lower() for r in _read_tsv("gazetteers/source_nouns.tsv") if r.get("plural"))


@lru_cache(maxsize=1)
def source_noun_refers() -> dict[str, tuple[str, ...]]:
    """Source noun (singular and plural, lower case) -> what it can refer to (its ``refers_to``
    column split on "|": "person", "company", "body", "*", ...)."""
    out: dict[str, tuple[str, ...]] = {}
    for r in _read_tsv("gazetteers/source_nouns.tsv"):
        refers = tuple(x for x in (r.get("refers_to") or "*").split("|") if x)
        for form in (r["noun"], r.get("plural", "")):
            if form:
                out[form.lower()] = refers
    return out


@lru_cache(maxsize=None)
def lookup(kind: str) -> dict[str, Entry]:
    """Lower-case surface form -> entry, for ``places``, ``actors`` or ``sources``."""
    entries = {"places": places, "actors": actors, "sources": sources}[kind]()
    table: dict[str, Entry] = {}
    for e in entries:
        for form in e.aliases:
            table.setdefault(form.lower(), e)
    return table
