"""The ``claim_rules`` component: the rule families of ``data/patterns`` (quantities, hedges,
attribution cues, dates) matched near the numbers of an article. Assigns ``doc.spans`` (one key
a family); ``triggers`` says which tokens each family's Matcher can skip."""

from __future__ import annotations

import bisect

import numpy as np
from spacy.attrs import IDS, NORM
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extraction.lexicon import lexicons
from extraction.nlp.arrays import hashes, member, merge
from extraction.nlp.spans import ARRAYS_KEY
from extraction.nlp.triggers import CHUNK_MARKS, COLUMNS, Triggers, chunk_reach, edge_words, flagged, word_set_flags

#: Words that can start a quantity without being LIKE_NUM (fractions, multipliers, currencies):
#: the word class ``quantity_anchors`` of ``data/lexicon/word_classes/nlp.tsv``.
ANCHOR_CLASS = "quantity_anchors"
#: Sentences before and after an anchored sentence that attribution and anaphora may need.
CONTEXT_BEFORE, CONTEXT_AFTER = 3, 1
#: Tokens after an anchor where its quantity can end ("200-300 metres a day").
ANCHOR_AFTER = 10
#: Tokens before and after a quantity where its hedge can be ("the best part of a", "or more").
HEDGE_BEFORE, HEDGE_AFTER = 6, 3
#: The families matched only around their trigger tokens (see ``Triggers``).
TRIGGERED_FAMILIES = ("hedges", "cues", "dates")
RULE_FAMILIES = ("quantities", *TRIGGERED_FAMILIES)
#: The quantity rule whose matches (numbers and ranges) the other quantity rules build on.
CHUNK_RULE = "quantity.number.bare"


@Language.factory("claim_rules", assigns=["doc.spans"])
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

    #: Match the unit rules in two Matchers, each around what its rules need (``_quantities``);
    #: False runs them all over the union of those windows, the reference the tests compare to.
    split_units = True

    def __init__(self, nlp: Language, families: tuple[str, ...] = RULE_FAMILIES):
        self.families = families
        self.matchers: dict[str, Matcher] = {}
        self.labels: dict[int, tuple[int, int]] = {}
        # the number rule (macro QTY) runs first: its longest matches are marked in NORM so
        # the unit rules match them as one token pattern (macro QTY_CHUNK, see macros.json)
        self.chunker = Matcher(nlp.vocab, validate=False)
        flags = word_set_flags(nlp, families)
        #: family -> the tokens every match must hold one of, and how far a match reaches
        #: around it (None: the family is matched on whole windows)
        self.triggers: dict[str, Triggers | None] = {}
        # the unit rules again, split: those that build on a chunk and the others (``_quantities``)
        self.on_chunk, self.off_chunk = Matcher(nlp.vocab, validate=False), Matcher(nlp.vocab, validate=False)
        for family in families:
            matcher = Matcher(nlp.vocab, validate=False)
            for rule in lexicons.rules(family):
                target = self.chunker if family == "quantities" and rule.id == CHUNK_RULE else matcher
                patterns = [[flagged(t, flags) for t in p] for p in rule.patterns]
                target.add(rule.id, patterns)
                if target is matcher and family == "quantities":
                    on = [p for p, raw in zip(patterns, rule.patterns, strict=True) if _on_chunk(raw)]
                    off = [p for p, raw in zip(patterns, rule.patterns, strict=True) if not _on_chunk(raw)]
                    for split, part in ((self.on_chunk, on), (self.off_chunk, off)):
                        if part:
                            split.add(rule.id, part)
                # the label and id as string hashes, which a Span takes without a lookup
                self.labels[nlp.vocab.strings[rule.id]] = (nlp.vocab.strings.add(rule.label),
                                                           nlp.vocab.strings[rule.id])
            self.matchers[family] = matcher
            patterns = [list(p) for rule in lexicons.rules(family) for p in rule.patterns]
            self.triggers[family] = Triggers.of(nlp, patterns) if family in TRIGGERED_FAMILIES else None
        self.anchor_words = hashes(nlp, sorted(lexicons.word_class(ANCHOR_CLASS)))
        self.qty, self.qtx = (nlp.vocab.strings.add(m) for m in CHUNK_MARKS)
        self.marks = np.sort(np.array([self.qty, self.qtx], dtype=np.uint64))
        # the unit rules are matched only around the chunks they build on and the triggers of
        # the few that start elsewhere ("twofold", "a third of")
        unit_patterns = [list(p) for r in lexicons.rules("quantities") if r.id != CHUNK_RULE for p in r.patterns]
        self.chunk_reach = chunk_reach([p for p in unit_patterns if _on_chunk(p)])
        others = [p for p in unit_patterns if not _on_chunk(p)]
        self.unit_triggers = Triggers.of(nlp, others)
        hedge_rules = lexicons.rules("hedges") if "hedges" in families else ()
        # a quantity whose neighbours cannot end or start a hedge needs no hedge matching
        ends = edge_words(hedge_rules, last=True)
        starts = edge_words(hedge_rules, last=False)
        self.hedge_ends = None if ends is None else frozenset(hashes(nlp, ends).tolist())
        self.hedge_starts = None if starts is None else frozenset(hashes(nlp, starts).tolist())
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
        a = doc.to_array([IDS[name] for name in COLUMNS])
        # the tokens and sentences are final now: assembly reads these columns again (``spans``)
        doc.user_data[ARRAYS_KEY] = {IDS[name]: a[:, k] for k, name in enumerate(COLUMNS) if name != "NORM"}
        anchors = np.flatnonzero(a[:, 0].astype(bool) | member(a[:, 1], self.anchor_words))
        if not anchors.size:
            return doc
        starts = np.flatnonzero(a[:, 2] == 1)
        bounds = np.append(starts, len(doc))
        hit = np.unique(np.searchsorted(starts, anchors, side="right") - 1)
        n = len(doc)
        spots = anchors.tolist()
        windows = {
            # a quantity starts at most two tokens before its anchor ("between 3 and 5", "US $ 5")
            "quantities": merge((max(0, i - 2), min(n, i + ANCHOR_AFTER)) for i in spots),
            "dates": merge((int(bounds[i]), int(bounds[i + 1])) for i in hit.tolist()),
        }
        if "cues" in families:
            near = np.unique(np.concatenate([hit + k for k in range(-CONTEXT_BEFORE, CONTEXT_AFTER + 1)]))
            near = near[(near >= 0) & (near < len(starts))]
            windows["cues"] = merge((int(bounds[i]), int(bounds[i + 1])) for i in near.tolist())
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
        windows["hedges"] = merge(hedge_windows)
        if not whole_sentences and self.date_reach is not None:
            reach = self.date_reach
            windows["dates"] = merge((max(0, q.start - reach), min(n, q.end + reach)) for q in quantities)
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
        labels = self.labels
        for lo, hi in windows:
            # Span(doc, lo, hi) is doc[lo:hi] without the slice checks (the windows are in range)
            for key, start, end in matcher(Span(doc, lo, hi)):
                label, rule_id = labels[key]
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
            around: list[tuple[int, int]] = []
            for c in chunks:
                lo, hi = windows[bisect.bisect_right(lows, c.start) - 1]
                around.append((max(lo, c.start - before), min(hi, c.end + after)))
            unit_windows = merge(around + self.unit_triggers.windows(a, windows))
        if not chunks:
            return filter_spans(self._match(self.matchers["quantities"], doc, unit_windows))
        norms = np.ascontiguousarray(a[:, 4:5])
        # split: the rules on a chunk only around the chunks, the others only around their
        # triggers; the same matches, unless a text spells a mark itself or a match of each kind
        # covers the same tokens (then their order decides which ``filter_spans`` keeps)
        split = self.split_units and unit_windows is not windows and not member(norms[:, 0], self.marks).any()
        marked = norms.copy()
        for c in chunks:
            marked[c.start] = self.qty
            marked[c.start + 1:c.end] = self.qtx
        doc.from_array([NORM], marked)
        try:
            if split:
                found = self._match(self.on_chunk, doc, merge(around))
                off = self._match(self.off_chunk, doc, self.unit_triggers.windows(a, windows))
                if {(s.start, s.end) for s in found}.isdisjoint((s.start, s.end) for s in off):
                    found += off
                else:
                    split = False
            if not split:
                found = self._match(self.matchers["quantities"], doc, unit_windows)
        finally:
            doc.from_array([NORM], norms)
        return filter_spans(chunks + found)


def _on_chunk(pattern: list[dict]) -> bool:
    """Whether a quantity pattern builds on a number chunk (the QTY_CHUNK macro)."""
    return any(t.get("NORM") == CHUNK_MARKS[0] for t in pattern)
