"""The ``gazetteers`` component: places, actors and sources of ``data/gazetteers`` by
PhraseMatcher over the whole article (attribution and the article's theatre read them far from
any figure). Assigns ``doc.spans["places"]``, ``["actors"]`` and ``["sources"]``."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extraction.lexicon import lexicons


@Language.factory("gazetteers", assigns=["doc.spans"])
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
