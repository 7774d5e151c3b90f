"""The spaCy components of the claims pipeline: thin wrappers around data files.

Speed matters (dumps of millions of articles), so no component loops over tokens in Python:

* ``news_sentences`` sets sentence starts with numpy over ``doc.to_array``;
* ``claim_rules`` runs the rule families (quantities, hedges, cues, dates) only on the
  sentences around a number, currency sign or fraction word, and nowhere in an article
  without one;
* ``gazetteers`` finds places, actors and sources with hash-based PhraseMatchers.

Each family writes its own ``doc.spans`` key (quantities, hedges, cues, dates, places,
actors, sources); a span's ``label_`` is the rule label or canonical name and its ``id_``
the rule id or entry type. ``extraction.interpret.assemble`` reads them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

import numpy as np
from spacy.attrs import IDS, IS_LOWER, IS_SPACE, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

from extraction.lexicon import lexicons

#: Unit suffixes glued to digits in news copy ("994sq km", "$5bn", "10.8m people", "a 5kW
#: motor", "114bhp", "shares at 164p", "3min", "2.4GHz", "50mL", "32m2").
_GLUED_SUFFIXES = (r"(?<=[0-9])(?:sq|bn|mn|mln|bln|tn|trn|k|pc|kms|sqkm|km2|km²|m2|sqm|kWh|MWh|GWh|Wh|kW|MW|GW|W"
                   r"|bhp|hp|Nm|mpg|mph|kph|[kMG]?[Hh]z|[kMG]bps|mAh|mL|ml|l|L|min|mins|hrs|p|degF|degC|lbs|cyl"
                   r"|B|Bn|T|Tn|MM|mil|b|kg|bpd|bcm|TWh)")
#: The same units inside a token, before a slash or dash ("114bhp/200Nm", "43.5mpg/117g/km",
#: "100km/hr"): a zero-width split, since spaCy strips suffixes only at the end of a token.
_INNER_UNITS = (r"(?<=[0-9])(?=(?:sq|bn|mn|k|m|b|kms|km|km2|m2|sqm|kWh|MWh|GWh|kW|MW|GW|W|bhp|hp|Nm|mpg|mph"
                r"|[kMG]?Hz|[kMG]bps|mAh|mL|ml|l|L|min|mins|hrs|hr|g|kg|lb|lbs|degF|degC|cm|mm|ft)"
                r"(?=[/\-]))")
#: Currency prefixes glued to digits: "$US113 trillion", "$A82,615", "$NZ5m", "HK$5m", "EUR6bn".
_CURRENCY_PREFIXES = (r"(?:\$(?:US|A|NZ|C|HK|S)|(?:US|A|C|HK|NZ|S|R|NT)\$"
                      r"|(?:EUR|USD|GBP|CHF|JPY|CNY|RUB|UAH|PLN|Rs\.?)(?=[0-9]))(?=[0-9])")
#: A scale letter glued to the first number of a range ("10k-15k") and a dash left after a number
#: that shares its unit with the next ("4- to 6-metre").
_SCALE_DASH = r"(?<=[0-9][kKmMbB])-(?=[0-9$€£])"
#: Two percentages joined by a dash ("10%-15%").
_PERCENT_DASH = r"(?<=[0-9])%(?=[-–][0-9])|(?<=%)[-–](?=[0-9])|(?<=[0-9][kKmMbBn]-)[$€£](?=[0-9])"
_NUMBER_DASH = r"(?<=[0-9])-"
#: A full stop after an upper-case scale letter ("worth $10B."), which spaCy keeps for acronyms.
_SCALE_STOP = r"(?<=[0-9][BTMKCFp])\."
#: A per cent sign after a vulgar fraction ("5¼%"), and a temperature letter or a multiplier glued to
#: digits ("42C", "2.5x").
_VULGAR_PERCENT = r"(?<=[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])%"
_GLUED_DEGREES = r"(?<=[0-9])[CFx]"
#: Words glued to a number by a hyphen that change it: "minus-5 yards", "sub-300 sq m".
_WORD_PREFIXES = r"(?:[Mm]inus|[Ss]ub)-(?=[0-9.])"
#: "~45g", "≈32m2": approximate signs before a number.
_APPROX_PREFIXES = r"[~≈](?=[0-9])"
_SENT_END = (".", "!", "?", "…")
_CLOSERS = ('"', "”", "’", "'", ")", "»")
#: Words that can start a quantity without being LIKE_NUM (fractions, multipliers, currencies).
_ANCHOR_WORDS = ("half", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths",
                 "twice", "thrice", "twofold", "threefold", "fourfold", "fivefold", "sixfold", "sevenfold",
                 "eightfold", "ninefold", "tenfold", "hundredfold", "dozen",
                 "double", "doubled", "doubles", "doubling", "triple", "tripled", "triples", "tripling",
                 "quadruple", "quadrupled", "quadrupling",
                 "$", "€", "£", "¥", "₴", "₽", "us$", "$us", "$a", "$nz", "$c", "$hk", "$s",
                 "dozens", "hundreds", "thousands", "millions", "billions")
#: Sentences before and after an anchored sentence that attribution and anaphora may need.
CONTEXT_BEFORE, CONTEXT_AFTER = 3, 1
#: Tokens after an anchor where its quantity can end ("200-300 metres a day").
ANCHOR_AFTER = 10
#: Tokens before and after a quantity where its hedge can be ("the best part of a", "or more").
HEDGE_BEFORE, HEDGE_AFTER = 6, 3
RULE_FAMILIES = ("quantities", "hedges", "cues", "dates")
#: The families matched only around their trigger tokens (see ``Triggers``).
TRIGGERED_FAMILIES = ("hedges", "cues", "dates")
#: The quantity rule whose matches (numbers and ranges) the other quantity rules build on.
CHUNK_RULE = "quantity.number.bare"
CHUNK_MARKS = ("#qty", "#qtx")
#: Lexeme flags spaCy leaves free (FLAG19-FLAG63). The rules' word lists ({"LOWER": {"IN": [...]}})
#: become flags, which the Matcher checks in C; a list left as a predicate costs a Python call
#: per token of every window.
_FREE_FLAGS = tuple(f"FLAG{i}" for i in range(19, 64))
#: The token attributes ``ClaimRules.run`` reads into one array, in column order (``Triggers``
#: looks its attributes up here).
_COLUMNS = ("LIKE_NUM", "LOWER", "SENT_START", "ORTH", "NORM", "SHAPE")
_FLAG_ATTRS = ("LOWER", "ORTH")


def customize_tokenizer(nlp: Language) -> None:
    """Split units glued to numbers ("994sq km" -> 994 / sq / km) and words joined by dashes."""
    suffixes = list(nlp.Defaults.suffixes or []) + [_GLUED_SUFFIXES, _NUMBER_DASH, _SCALE_STOP, _VULGAR_PERCENT,
                                                    _GLUED_DEGREES]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    prefixes = [_CURRENCY_PREFIXES, _APPROX_PREFIXES, _WORD_PREFIXES] + list(nlp.Defaults.prefixes or [])
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    # "2024—six times" is two words; "114bhp/200Nm" is two figures, each with its unit
    infixes = list(nlp.Defaults.infixes or []) + [r"[—–]", r"(?<=[A-Za-z])/(?=[0-9])", _INNER_UNITS, _SCALE_DASH,
                                                  _PERCENT_DASH]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def _hashes(nlp: Language, words: tuple[str, ...]) -> np.ndarray:
    """The sorted string hashes of ``words``, for ``_member``."""
    return np.unique(np.array([nlp.vocab.strings.add(w) for w in words], dtype=np.uint64))


def _member(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``np.isin(values, table)`` for a sorted ``table``, by bisection: several times faster
    than ``np.isin`` on the short arrays of one article."""
    at = np.searchsorted(table, values)
    return table[np.minimum(at, len(table) - 1)] == values


@Language.factory("news_sentences")
def make_news_sentences(nlp: Language, name: str) -> NewsSentences:
    return NewsSentences(nlp)


class NewsSentences:
    """Sentence starts: after a line break, and after . ! ? (and closing quotes) before a token
    that does not start in lower case. Abbreviations ("Dr.", "U.S.") are single tokens in
    spaCy's English tokenizer, so they never end a sentence."""

    def __init__(self, nlp: Language):
        self.enders = _hashes(nlp, _SENT_END)
        self.closers = _hashes(nlp, _CLOSERS)
        self.strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        a = doc.to_array([ORTH, IS_LOWER, IS_SPACE])
        orth, lower, space = a[:, 0], a[:, 1].astype(bool), a[:, 2].astype(bool)
        ender = _member(orth, self.enders)
        closer = _member(orth, self.closers)
        end = ender.copy()
        end[1:] |= closer[1:] & ender[:-1]
        starts = np.zeros(n, dtype=bool)
        starts[1:] = end[:-1] & ~lower[1:] & ~closer[1:] & ~space[1:]
        if space.any():
            # a line break starts a sentence; spaCy keeps line breaks in whitespace tokens (a
            # token's trailing whitespace is at most one space), so the break is in token i-1
            spaces = np.unique(orth[space])
            breaks = spaces[np.array(["\n" in self.strings[int(h)] for h in spaces], dtype=bool)]
            if breaks.size:
                starts[1:] |= np.isin(orth[:-1], breaks)
        _footnote_ends(doc, orth, self.strings, starts)
        starts[0] = True
        values = np.where(starts, 1, -1).astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc


_FOOTNOTE = re.compile(r"[.!?][)\]]*\[\[?[ivxlcdm0-9]+\]")


def _footnote_ends(doc: Doc, orth: np.ndarray, strings, starts: np.ndarray) -> None:
    """A sentence that ends in a footnote marker and its link ("...the border).[[xviii]](https://...)"),
    which the tokenizer glues to the last word: the next sentence starts after the link's ")"."""
    glued = [h for h in np.unique(orth).tolist() if "[" in strings[int(h)] and _FOOTNOTE.search(strings[int(h)])]
    if not glued:
        return
    for i in np.flatnonzero(np.isin(orth, glued)).tolist():
        depth = 0
        for j in range(i, min(len(doc), i + 12)):
            text = doc[j].text
            depth += text.count("(") - text.count(")")
            if j > i and depth <= 0 and text.endswith(")"):
                if j + 1 < len(doc) and not doc[j + 1].is_lower:
                    starts[j + 1] = True
                break


@Language.factory("claim_rules")
def make_claim_rules(nlp: Language, name: str) -> ClaimRules:
    return ClaimRules(nlp)


class ClaimRules:
    """Run the rule families of ``data/patterns`` near the numbers of an article.

    Quantities and hedges are matched in a window of tokens around each anchor (a LIKE_NUM
    token, a currency sign, a fraction or multiplier word); dates in the sentences holding an
    anchor; attribution cues also in the ``CONTEXT_BEFORE`` sentences before them and the
    ``CONTEXT_AFTER`` after, which carry sources across sentences. An article without an
    anchor is not matched at all. Overlapping matches keep the longest (then the first).
    """

    def __init__(self, nlp: Language, families: tuple[str, ...] = RULE_FAMILIES):
        self.families = families
        self.matchers: dict[str, Matcher] = {}
        self.labels: dict[int, tuple[str, str]] = {}
        # the number rule (macro QTY) runs first: its longest matches are marked in NORM so
        # the unit rules match them as one token pattern (macro QTY_CHUNK, see macros.json)
        self.chunker = Matcher(nlp.vocab, validate=False)
        flags = word_set_flags(nlp)
        #: family -> the tokens every match must hold one of, and how far a match reaches
        #: around it (None: the family is matched on whole windows)
        self.triggers: dict[str, Triggers | None] = {}
        for family in families:
            matcher = Matcher(nlp.vocab, validate=False)
            for rule in lexicons.rules(family):
                target = self.chunker if family == "quantities" and rule.id == CHUNK_RULE else matcher
                target.add(rule.id, [[_flagged(t, flags) for t in p] for p in rule.patterns])
                self.labels[nlp.vocab.strings[rule.id]] = (rule.label, rule.id)
            self.matchers[family] = matcher
            patterns = [list(p) for rule in lexicons.rules(family) for p in rule.patterns]
            self.triggers[family] = Triggers.of(nlp, patterns) if family in TRIGGERED_FAMILIES else None
        self.anchor_words = _hashes(nlp, _ANCHOR_WORDS)
        self.qty, self.qtx = (nlp.vocab.strings.add(m) for m in CHUNK_MARKS)
        # the unit rules are matched only around the chunks they build on and the triggers of
        # the few that start elsewhere ("twofold", "a third of")
        unit_patterns = [list(p) for r in lexicons.rules("quantities") if r.id != CHUNK_RULE for p in r.patterns]
        on_chunk = [p for p in unit_patterns if any(t.get("NORM") == CHUNK_MARKS[0] for t in p)]
        self.chunk_reach = _chunk_reach(on_chunk)
        others = [p for p in unit_patterns if not any(t.get("NORM") == CHUNK_MARKS[0] for t in p)]
        self.unit_triggers = Triggers.of(nlp, others)
        hedge_rules = lexicons.rules("hedges") if "hedges" in families else ()
        # a quantity whose neighbours cannot end or start a hedge needs no hedge matching
        ends = _edge_words(hedge_rules, last=True)
        starts = _edge_words(hedge_rules, last=False)
        self.hedge_ends = None if ends is None else frozenset(_hashes(nlp, ends).tolist())
        self.hedge_starts = None if starts is None else frozenset(_hashes(nlp, starts).tolist())
        lengths = [len(p) for r in (lexicons.rules("dates") if "dates" in families else ()) for p in r.patterns]
        unbounded = any(t.get("OP") in ("*", "+") for r in lexicons.rules("dates") for p in r.patterns for t in p)
        self.date_reach = None if unbounded or not lengths else 3 * max(lengths)

    def __call__(self, doc: Doc) -> Doc:
        return self.run(doc, self.families)

    def run(self, doc: Doc, families: tuple[str, ...], whole_sentences: bool = True) -> Doc:
        """Write the spans of ``families`` (a subset of this component's) to the Doc.

        With ``whole_sentences=False`` dates are matched only near the quantities (enough for
        the dates that overlap a figure, which is all ``quantities.mentions_from_doc`` reads),
        and hedges only next to a quantity whose neighbouring word can end or start one."""
        for family in families:
            doc.spans[family] = []
        if not len(doc):
            return doc
        a = doc.to_array([IDS[name] for name in _COLUMNS])
        anchors = np.flatnonzero(a[:, 0].astype(bool) | _member(a[:, 1], self.anchor_words))
        if not anchors.size:
            return doc
        starts = np.flatnonzero(a[:, 2] == 1)
        bounds = np.append(starts, len(doc))
        hit = np.unique(np.searchsorted(starts, anchors, side="right") - 1)
        n = len(doc)
        spots = anchors.tolist()
        windows = {
            # a quantity starts at most two tokens before its anchor ("between 3 and 5", "US $ 5")
            "quantities": _merge((max(0, i - 2), min(n, i + ANCHOR_AFTER)) for i in spots),
            "dates": _merge((int(bounds[i]), int(bounds[i + 1])) for i in hit.tolist()),
        }
        if "cues" in families:
            near = np.unique(np.concatenate([hit + k for k in range(-CONTEXT_BEFORE, CONTEXT_AFTER + 1)]))
            near = near[(near >= 0) & (near < len(starts))]
            windows["cues"] = _merge((int(bounds[i]), int(bounds[i + 1])) for i in near.tolist())
        quantities = self._quantities(doc, windows["quantities"], a)
        if "quantities" in families:
            doc.spans["quantities"] = quantities
        # a hedge ends where its quantity starts (or one article before it: "nearly a fifth")
        # or starts where it ends ("or more"): only those few tokens are matched
        ends = starts_ = None
        if not whole_sentences and self.hedge_ends is not None and self.hedge_starts is not None:
            ends, starts_ = self.hedge_ends, self.hedge_starts
            lower = a[:, 1].tolist()
        hedge_windows = []
        for q in quantities:
            if ends is None or any(w in ends for w in lower[max(0, q.start - 2):q.start]):
                hedge_windows.append((max(0, q.start - HEDGE_BEFORE), q.start))
            if starts_ is None or q.end < n and lower[q.end] in starts_:
                hedge_windows.append((q.end, min(n, q.end + HEDGE_AFTER)))
            elif q.end + 1 < n and lower[q.end + 1] in starts_:
                hedge_windows.append((q.end + 1, min(n, q.end + 1 + HEDGE_AFTER)))  # "30 seats or less"
        windows["hedges"] = _merge(hedge_windows)
        if not whole_sentences and self.date_reach is not None:
            reach = self.date_reach
            windows["dates"] = _merge((max(0, q.start - reach), min(n, q.end + reach)) for q in quantities)
        for family in families:
            if family != "quantities":
                found = windows[family]
                triggers = self.triggers.get(family)
                if triggers is not None and found:
                    found = triggers.windows(a, found)
                doc.spans[family] = filter_spans(self._match(self.matchers[family], doc, found))
        return doc

    def _match(self, matcher: Matcher, doc: Doc, windows: list[tuple[int, int]]) -> list[Span]:
        found: list[Span] = []
        for lo, hi in windows:
            for key, start, end in matcher(doc[lo:hi]):
                label, rule_id = self.labels[key]
                found.append(Span(doc, lo + start, lo + end, label=label, span_id=rule_id))
        return found

    def _quantities(self, doc: Doc, windows: list[tuple[int, int]], a: np.ndarray) -> list[Span]:
        """Numbers and ranges first, then the rules that give them a unit, on the marked chunks
        (``a``: the Doc's LIKE_NUM, LOWER, SENT_START, ORTH, NORM and SHAPE arrays)."""
        chunks = filter_spans(self._match(self.chunker, doc, windows))
        unit_windows = windows
        if self.chunk_reach is not None and self.unit_triggers is not None:
            before, after = self.chunk_reach
            lows = [lo for lo, _ in windows]
            around = []
            for c in chunks:
                lo, hi = windows[bisect.bisect_right(lows, c.start) - 1]
                around.append((max(lo, c.start - before), min(hi, c.end + after)))
            unit_windows = _merge(around + self.unit_triggers.windows(a, windows))
        if not chunks:
            return filter_spans(self._match(self.matchers["quantities"], doc, unit_windows))
        norms = np.ascontiguousarray(a[:, 4:5])
        marked = norms.copy()
        for c in chunks:
            marked[c.start] = self.qty
            marked[c.start + 1:c.end] = self.qtx
        doc.from_array([NORM], marked)
        try:
            found = self._match(self.matchers["quantities"], doc, unit_windows)
        finally:
            doc.from_array([NORM], norms)
        return filter_spans(chunks + found)


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
        return cls({attr: _hashes(nlp, tuple(v)) for attr, v in found.items() if v}, numeric, before, after)

    def windows(self, a: np.ndarray, allowed: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The stretches of ``allowed`` (sorted, disjoint token windows) a match can lie in,
        from the Doc's attribute array ``a`` (columns: ``_COLUMNS``)."""
        like_num = a[:, _COLUMNS.index("LIKE_NUM")]
        hit = like_num.astype(bool) if self.numeric else np.zeros(len(a), dtype=bool)
        for attr, table in self.values.items():
            hit |= _member(a[:, _COLUMNS.index(attr)], table)
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
        return _merge(zip(lo.tolist(), hi.tolist(), strict=True))


def _chunk_reach(patterns: list[list[dict]]) -> tuple[int, int] | None:
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


def _edge_words(rules, last: bool) -> tuple[str, ...] | None:
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


def word_set_flags(nlp: Language) -> dict[tuple[str, frozenset[str]], str]:
    """(attribute, words) -> the lexeme flag that marks those words, for the word lists of every
    rule family; lists on a pattern's first token (tried at every token) get flags first.

    Sets the flags on the lexemes of the listed words (see ``_spellings``). Deterministic, so
    two components on one vocabulary agree."""
    uses: Counter = Counter()
    for family in RULE_FAMILIES:
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


def _flagged(spec: dict, flags: dict[tuple[str, frozenset[str]], str]) -> dict:
    """A pattern token with its flagged word lists replaced by their flags."""
    out = dict(spec)
    for attr, op, words in _word_sets(spec):
        name = flags.get((attr, words))
        if name is not None and len(spec[attr]) == 1:
            del out[attr]
            out[name] = op == "IN"
    return out


def _merge(ranges) -> list[tuple[int, int]]:
    """Sorted token ranges with overlapping or touching ones merged, so each is matched once."""
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


@Language.factory("gazetteers")
def make_gazetteers(nlp: Language, name: str) -> Gazetteers:
    return Gazetteers(nlp)


class Gazetteers:
    """Places, actors and sources by PhraseMatcher: one-word forms with exact case ("US" is not
    "us", "Polish" not "polish"), longer forms case-insensitively. Longest match wins; a span's
    label is the canonical name, its id the entry type."""

    KINDS = ("places", "actors", "sources")

    def __init__(self, nlp: Language):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.entries: dict[int, tuple[str, str, str]] = {}
        loaders = {"places": lexicons.places, "actors": lexicons.actors, "sources": lexicons.sources}
        for kind in self.KINDS:
            for n, entry in enumerate(loaders[kind]()):
                key = f"{kind}:{n}"
                self.entries[nlp.vocab.strings.add(key)] = (kind, entry.name, entry.type or kind)
                one, many = [], []
                for form in entry.aliases:
                    doc = nlp.make_doc(form)
                    (one if len(doc) == 1 else many).append(doc)
                if one:
                    self.exact.add(key, one)
                if many:
                    self.folded.add(key, many)

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {k: [] for k in self.KINDS}
        for matcher in (self.exact, self.folded):
            for key, start, end in matcher(doc):
                kind, name, etype = self.entries[key]
                found[kind].append(Span(doc, start, end, label=name, span_id=etype))
        for kind, spans in found.items():
            doc.spans[kind] = filter_spans(spans)
        return doc
