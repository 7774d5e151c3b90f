"""What the rule Matcher can skip, computed once from the patterns: each family's trigger
tokens (``Triggers``), how far the unit rules reach around a number chunk, the words that can
start or end a hedge, and lexeme flags for the patterns' word lists (checked in C, not by a
Python predicate per token). Used by ``claim_rules``."""

from __future__ import annotations

from collections import Counter

import numpy as np
from spacy.attrs import IDS
from spacy.language import Language

from extraction.lexicon import lexicons
from extraction.nlp.arrays import hashes, member, merge

#: The marks the number chunks get in NORM, which the unit rules match (macro QTY_CHUNK).
CHUNK_MARKS = ("#qty", "#qtx")
#: Lexeme flags spaCy leaves free (FLAG19-FLAG63). The rules' word lists ({"LOWER": {"IN": [...]}})
#: become flags, which the Matcher checks in C; a list left as a predicate costs a Python call
#: per token of every window.
_FREE_FLAGS = tuple(f"FLAG{i}" for i in range(19, 64))
#: The token attributes ``ClaimRules.run`` reads into one array, in column order (``Triggers``
#: looks its attributes up here).
COLUMNS = ("LIKE_NUM", "LOWER", "SENT_START", "ORTH", "NORM", "SHAPE")
_FLAG_ATTRS = ("LOWER", "ORTH")


class Triggers:
    """The tokens a family's matches cannot do without, found with numpy before the Matcher runs.

    Every pattern of the family has a required token that can be tested on arrays: a word list,
    a literal word, a digits-only SHAPE, or LIKE_NUM. A match holds its pattern's trigger at
    some position ``p`` and lies in ``[p - before, p + after)``, so matching only those stretches
    around the triggers (inside the windows the family would have been matched on) finds
    exactly the matches a whole-window run finds, while the Matcher, which builds a Python
    Token for every position it visits, visits far fewer tokens."""

    def __init__(self, values: dict[str, np.ndarray], numeric: bool, before: int, after: int):
        #: attribute (LOWER, ORTH, SHAPE) -> the sorted string hashes of its trigger values
        self.values = values
        #: whether a LIKE_NUM token is a trigger
        self.numeric = numeric
        self.before, self.after = before, after

    @classmethod
    def of(cls, nlp: Language, patterns: list[list[dict]]) -> Triggers | None:
        """The triggers of ``patterns`` (before flagging); None when some pattern has no
        testable required token or an unbounded or negated one."""
        stop = nlp.Defaults.stop_words
        found: dict[str, set[str]] = {"LOWER": set(), "ORTH": set(), "SHAPE": set()}
        numeric = False
        before = after = 0
        for pattern in patterns:
            if any(spec.get("OP") not in (None, "?", "1") for spec in pattern):
                return None
            best: tuple[float, str, frozenset[str], int] | None = None
            for k, spec in enumerate(pattern):
                if spec.get("OP") == "?":
                    continue
                for cost, attr, values in _conditions(spec, stop):
                    if best is None or cost < best[0]:
                        best = (cost, attr, values, k)
            if best is None:
                return None
            _, attr, values, k = best
            if attr == "LIKE_NUM":
                numeric = True
            else:
                found[attr] |= values
            before, after = max(before, k), max(after, len(pattern) - k)
        return cls({attr: hashes(nlp, tuple(v)) for attr, v in found.items() if v}, numeric, before, after)

    def windows(self, a: np.ndarray, allowed: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The stretches of ``allowed`` (sorted, disjoint token windows) a match can lie in,
        from the Doc's attribute array ``a`` (columns: ``COLUMNS``)."""
        like_num = a[:, COLUMNS.index("LIKE_NUM")]
        hit = like_num.astype(bool) if self.numeric else np.zeros(len(a), dtype=bool)
        for attr, table in self.values.items():
            hit |= member(a[:, COLUMNS.index(attr)], table)
        at = np.flatnonzero(hit)
        if not at.size:
            return []
        lows = np.array([lo for lo, _ in allowed], dtype=np.int64)
        highs = np.array([hi for _, hi in allowed], dtype=np.int64)
        k = np.searchsorted(lows, at, side="right") - 1
        inside = (k >= 0) & (at < highs[np.maximum(k, 0)])
        at, k = at[inside], k[inside]
        lo = np.maximum(at - self.before, lows[k])
        hi = np.minimum(at + self.after, highs[k])
        return merge(zip(lo.tolist(), hi.tolist(), strict=True))


def chunk_reach(patterns: list[list[dict]]) -> tuple[int, int] | None:
    """How many tokens the unit rules that build on a number chunk (``[#qty, #qtx*, ...]``, the
    QTY_CHUNK macro) reach before and after it; None when one is unbounded elsewhere."""
    before = after = 0
    for p in patterns:
        k = next(i for i, t in enumerate(p) if t.get("NORM") == CHUNK_MARKS[0])
        rest = p[:k] + p[k + 2:]
        if k + 1 >= len(p) or p[k + 1] != {"NORM": CHUNK_MARKS[1], "OP": "*"} or any(
                t.get("OP") not in (None, "?", "1") for t in rest):
            return None
        before, after = max(before, k), max(after, len(p) - k - 2)
    return before, after


def _conditions(spec: dict, stop: set[str]):
    """(cost, attribute, values) for each array-testable condition of a pattern token: the token
    is one of ``values`` by LOWER, ORTH or SHAPE, or it is LIKE_NUM. The cost ranks how common
    such a token is in the windows a family is matched on. Those windows are built around
    numbers, so a number is a poor trigger (1.0); a word list costs its stop words, the short
    ones most ("of" is far commoner than "third"), plus a little for each word; a digits-only
    shape costs less the more digits it needs ("dddd" is a year or a large number)."""
    for key, value in spec.items():
        if key in (*_FLAG_ATTRS, "SHAPE"):
            if isinstance(value, str):
                values = frozenset([value])
            elif isinstance(value, dict) and list(value) == ["IN"]:
                values = frozenset(value["IN"])
            else:
                continue
            if key == "SHAPE":
                if all(v and set(v) == {"d"} for v in values):
                    yield sum(1 / len(v) for v in values), "SHAPE", values
                continue
            yield sum(1 / len(w) for w in values if w.lower() in stop) + 0.01 * len(values), key, values
        elif key == "LIKE_NUM" and value is True:
            yield 1.0, "LIKE_NUM", frozenset()


def edge_words(rules, last: bool) -> tuple[str, ...] | None:
    """The lower-case words that can be the last (or first) token of a match of ``rules``;
    None when some pattern's edge is not a plain word list, so no word can be ruled out."""
    words: set[str] = set()
    for rule in rules:
        for pattern in rule.patterns:
            for spec in (reversed(pattern) if last else pattern):
                value = spec.get("LOWER")
                if isinstance(value, str):
                    words.add(value)
                elif isinstance(value, dict) and list(value) == ["IN"]:
                    words.update(value["IN"])
                else:
                    return None
                if spec.get("OP") not in ("?", "*"):
                    break
    return tuple(sorted(words))


def _word_sets(spec: dict) -> list[tuple[str, str, frozenset[str]]]:
    """The (attribute, IN or NOT_IN, words) word-list predicates of one pattern token."""
    return [(attr, op, frozenset(words)) for attr, value in spec.items() if attr in _FLAG_ATTRS
            and isinstance(value, dict) for op, words in value.items() if op in ("IN", "NOT_IN")]


def _spellings(attr: str, words: frozenset[str]) -> frozenset[str]:
    """The exact forms a word list matches: for LOWER, each word in lower, Title and UPPER case
    ("per cent", "Per", "PER") and the two cases of unit symbols ("kWh", "TWh"); a rarer mixed
    case is not matched."""
    if attr != "LOWER":
        return words
    return frozenset(v for w in words for v in (w, w.capitalize(), w.title(), w.upper(), w[:1] + w[1:].capitalize(),
                                                w[:1].upper() + w[1:].capitalize()))


def word_set_flags(nlp: Language, families: tuple[str, ...]) -> dict[tuple[str, frozenset[str]], str]:
    """(attribute, words) -> the lexeme flag that marks those words, for the word lists of every
    rule family; lists on a pattern's first token (tried at every token) get flags first.

    Sets the flags on the lexemes of the listed words (see ``_spellings``). Deterministic, so
    two components on one vocabulary agree."""
    uses: Counter = Counter()
    for family in families:
        for rule in lexicons.rules(family):
            for pattern in rule.patterns:
                for i, spec in enumerate(pattern):
                    for attr, _, words in _word_sets(spec):
                        uses[(attr, words)] += 1000 if i == 0 else 1
    ranked = sorted(uses, key=lambda k: (-uses[k], k[0], sorted(k[1])))
    flags = {key: name for key, name in zip(ranked, _FREE_FLAGS, strict=False)}
    # every spelling a list matches gets its lexeme now, flagged; words met later are not in
    # any list, so they keep the flags' default (False) and spaCy runs no getter for them
    for (attr, words), name in flags.items():
        for form in _spellings(attr, words):
            nlp.vocab[form].set_flag(IDS[name], True)
    return flags


def flagged(spec: dict, flags: dict[tuple[str, frozenset[str]], str]) -> dict:
    """A pattern token with its flagged word lists replaced by their flags."""
    out = dict(spec)
    for attr, op, words in _word_sets(spec):
        name = flags.get((attr, words))
        if name is not None and len(spec[attr]) == 1:
            del out[attr]
            out[name] = op == "IN"
    return out

