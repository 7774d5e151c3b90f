"""The spaCy components of the claims pipeline: thin wrappers around data files.

Speed matters (dumps of millions of articles), so no component loops over tokens in Python:

* ``news_sentences`` sets sentence starts with numpy over ``doc.to_array``;
* ``claim_rules`` runs the rule families (quantities, hedges, cues, dates) only on the
  sentences around a number, currency sign or fraction word, and nowhere in an article
  without one;
* ``gazetteers`` finds places, actors and sources with hash-based PhraseMatchers.

Each family writes its own ``doc.spans`` key (quantities, hedges, cues, dates, places,
actors, sources); a span's ``label_`` is the rule label or canonical name and its ``id_``
the rule id or entry type. ``extraction.assemble`` reads them.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX, IS_LOWER, IS_SPACE, LIKE_NUM, LOWER, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

from extraction import lexicons
from extraction.spans import text_of

#: Unit suffixes glued to digits in news copy ("994sq km", "$5bn", "10.8m people", "a 5kW
#: motor", "114bhp", "shares at 164p", "3min", "2.4GHz", "50mL", "32m2").
_GLUED_SUFFIXES = (r"(?<=[0-9])(?:sq|bn|mn|mln|bln|tn|trn|k|pc|kms|sqkm|km2|km²|m2|sqm|kWh|MWh|GWh|Wh|kW|MW|GW|W"
                   r"|bhp|hp|Nm|mpg|mph|[kMG]?[Hh]z|[kMG]bps|mAh|mL|ml|l|L|min|mins|hrs|p|degF|degC|lbs|cyl)")
#: Currency prefixes glued to digits: "$US113 trillion", "$A82,615", "$NZ5m".
_CURRENCY_PREFIXES = r"\$(?:US|A|NZ|C|HK|S)(?=[0-9])"
#: "~45g", "≈32m2": approximate signs before a number.
_APPROX_PREFIXES = r"[~≈](?=[0-9])"
_SENT_END = (".", "!", "?", "…")
_CLOSERS = ('"', "”", "’", "'", ")", "»")
#: Words that can start a quantity without being LIKE_NUM (fractions, multipliers, currencies).
_ANCHOR_WORDS = ("half", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths",
                 "twice", "thrice", "twofold", "threefold", "fourfold", "fivefold", "tenfold", "dozen",
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
#: The quantity rule whose matches (numbers and ranges) the other quantity rules build on.
CHUNK_RULE = "quantity.number.bare"
CHUNK_MARKS = ("#qty", "#qtx")


def customize_tokenizer(nlp: Language) -> None:
    """Split units glued to numbers ("994sq km" -> 994 / sq / km) and words joined by dashes."""
    suffixes = list(nlp.Defaults.suffixes or []) + [_GLUED_SUFFIXES]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    prefixes = [_CURRENCY_PREFIXES, _APPROX_PREFIXES] + list(nlp.Defaults.prefixes or [])
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    # "2024—six times" is two words; "114bhp/200Nm" is two figures
    infixes = list(nlp.Defaults.infixes or []) + [r"[—–]", r"(?<=[A-Za-z])/(?=[0-9])"]
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

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        a = doc.to_array([ORTH, IS_LOWER, IS_SPACE, IDX])
        orth, lower, space = a[:, 0], a[:, 1].astype(bool), a[:, 2].astype(bool)
        start_char = a[:, 3].astype(np.int64)
        ender = _member(orth, self.enders)
        closer = _member(orth, self.closers)
        end = ender.copy()
        end[1:] |= closer[1:] & ender[:-1]
        starts = np.zeros(n, dtype=bool)
        starts[1:] = end[:-1] & ~lower[1:] & ~closer[1:] & ~space[1:]
        newlines = np.array([m.start() for m in re.finditer("\n", text_of(doc))], dtype=np.int64)
        if newlines.size:
            # a line break between the start of token i-1 and the start of token i
            starts[1:] |= np.searchsorted(newlines, start_char[1:]) > np.searchsorted(newlines, start_char[:-1])
        starts[0] = True
        values = np.where(starts, 1, -1).astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc


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
        for family in families:
            matcher = Matcher(nlp.vocab, validate=False)
            for rule in lexicons.rules(family):
                target = self.chunker if family == "quantities" and rule.id == CHUNK_RULE else matcher
                target.add(rule.id, [list(p) for p in rule.patterns])
                self.labels[nlp.vocab.strings[rule.id]] = (rule.label, rule.id)
            self.matchers[family] = matcher
        self.anchor_words = _hashes(nlp, _ANCHOR_WORDS)
        self.qty, self.qtx = (nlp.vocab.strings.add(m) for m in CHUNK_MARKS)

    def __call__(self, doc: Doc) -> Doc:
        return self.run(doc, self.families)

    def run(self, doc: Doc, families: tuple[str, ...]) -> Doc:
        """Write the spans of ``families`` (a subset of this component's) to the Doc."""
        for family in families:
            doc.spans[family] = []
        if not len(doc):
            return doc
        a = doc.to_array([LIKE_NUM, LOWER, SENT_START])
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
        quantities = self._quantities(doc, windows["quantities"])
        if "quantities" in families:
            doc.spans["quantities"] = quantities
        # a hedge ends where its quantity starts (or one article before it: "nearly a fifth")
        # or starts where it ends ("or more"): only those few tokens are matched
        windows["hedges"] = _merge([r for q in quantities for r in (
            (max(0, q.start - HEDGE_BEFORE), q.start), (q.end, min(n, q.end + HEDGE_AFTER)))])
        for family in families:
            if family != "quantities":
                doc.spans[family] = filter_spans(self._match(self.matchers[family], doc, windows[family]))
        return doc

    def _match(self, matcher: Matcher, doc: Doc, windows: list[tuple[int, int]]) -> list[Span]:
        found: list[Span] = []
        for lo, hi in windows:
            for key, start, end in matcher(doc[lo:hi]):
                label, rule_id = self.labels[key]
                found.append(Span(doc, lo + start, lo + end, label=label, span_id=rule_id))
        return found

    def _quantities(self, doc: Doc, windows: list[tuple[int, int]]) -> list[Span]:
        """Numbers and ranges first, then the rules that give them a unit, on the marked chunks."""
        chunks = filter_spans(self._match(self.chunker, doc, windows))
        norms = doc.to_array([NORM])
        marked = norms.copy()
        for c in chunks:
            marked[c.start] = self.qty
            marked[c.start + 1:c.end] = self.qtx
        doc.from_array([NORM], marked)
        try:
            found = self._match(self.matchers["quantities"], doc, windows)
        finally:
            doc.from_array([NORM], norms)
        return filter_spans(chunks + found)


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
