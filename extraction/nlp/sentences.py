"""The ``news_sentences`` component: sentence starts from numpy arrays, no parser (a trained
base's parser sets them instead). Assigns ``token.is_sent_start``."""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IS_LOWER, IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extraction.nlp.arrays import hashes, member
from extraction.nlp.spans import text_of

_SENT_END = (".", "!", "?", "…")
_CLOSERS = ('"', "”", "’", "'", ")", "»")


@Language.factory("news_sentences", assigns=["token.is_sent_start"])
def make_news_sentences(nlp: Language, name: str) -> NewsSentences:
    return NewsSentences(nlp)


class NewsSentences:
    """Sentence starts: after a line break, and after . ! ? (and closing quotes) before a token
    that does not start in lower case. Abbreviations ("Dr.", "U.S.") are single tokens in
    spaCy's English tokenizer, so they never end a sentence."""

    def __init__(self, nlp: Language):
        self.enders = hashes(nlp, _SENT_END)
        self.closers = hashes(nlp, _CLOSERS)
        self.strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        a = doc.to_array([ORTH, IS_LOWER, IS_SPACE])
        orth, lower, space = a[:, 0], a[:, 1].astype(bool), a[:, 2].astype(bool)
        ender = member(orth, self.enders)
        closer = member(orth, self.closers)
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
                starts[1:] |= member(orth[:-1], breaks)  # sorted: np.unique
        _footnote_ends(doc, orth, self.strings, starts)
        starts[0] = True
        values = np.where(starts, 1, -1).astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc


_FOOTNOTE = re.compile(r"[.!?][)\]]*\[\[?[ivxlcdm0-9]+\]")


def _footnote_ends(doc: Doc, orth: np.ndarray, strings, starts: np.ndarray) -> None:
    """A sentence that ends in a footnote marker and its link ("...the border).[[xviii]](https://...)"),
    which the tokenizer glues to the last word: the next sentence starts after the link's ")"."""
    if "[" not in text_of(doc):
        return
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

