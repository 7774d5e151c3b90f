"""The ``gazetteers`` component: places, actors and sources of ``data/gazetteers`` by
PhraseMatcher over the whole article (attribution and the article's theatre read them far from
any figure). Assigns ``doc.spans["places"]``, ``["actors"]`` and ``["sources"]``."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extraction.lexicon import lexicons
from extraction.nlp import build_cache


@Language.factory("gazetteers", assigns=["doc.spans"], default_config={"cache_dir": None})
def make_gazetteers(nlp: Language, name: str, cache_dir: str | None) -> Gazetteers:
    return Gazetteers(nlp, Path(cache_dir) if cache_dir else None)


class Gazetteers:
    """Places, actors and sources by PhraseMatcher: one-word forms with exact case ("US" is not
    "us", "Polish" not "polish"), longer forms case-insensitively. Longest match wins; a span's
    label is the canonical name, its id the entry type.

    A form is a pattern of the word hashes (ORTH, or LOWER) of its tokens, the tokens as the
    pipeline's tokenizer splits it (``alias_words``, kept in the build cache ``cache_dir``):
    the same patterns as Docs of the forms would give, without a Doc or a vocabulary entry for
    each of some 7,000 forms."""

    KINDS = ("places", "actors", "sources")

    def __init__(self, nlp: Language, cache_dir: Path | None = None):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.entries: dict[int, tuple[str, str, str]] = {}
        loaders = {"places": lexicons.places, "actors": lexicons.actors, "sources": lexicons.sources}
        tables = [(kind, loaders[kind]()) for kind in self.KINDS]
        words = iter(alias_words(nlp, [form for _, table in tables for entry in table for form in entry.aliases],
                                 cache_dir))
        strings = nlp.vocab.strings
        lower = nlp.vocab.lex_attr_getters[LOWER]
        for kind, table in tables:
            for n, entry in enumerate(table):
                key = f"{kind}:{n}"
                self.entries[strings.add(key)] = (kind, entry.name, entry.type or kind)
                one, many = [], []
                for _ in entry.aliases:
                    tokens = next(words)
                    if len(tokens) == 1:
                        one.append((strings.add(tokens[0]),))
                    else:
                        many.append(tuple(strings.add(lower(token)) for token in tokens))
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


def alias_words(nlp: Language, forms: list[str], cache_dir: Path | None = None) -> list[list[str]]:
    """The texts of the tokens of each form, as ``nlp.make_doc`` splits it; from the build cache
    when ``cache_dir`` holds them for these forms, this tokenizer (its rules and patterns) and
    these spaCy and extractor versions."""
    from extraction.nlp.pipeline import EXTRACTOR_VERSION

    def tokenise() -> list[list[str]]:
        return [[token.text for token in doc] for doc in nlp.tokenizer.pipe(forms)]

    try:
        tokenizer = nlp.tokenizer.to_bytes(exclude=["vocab"])
    except (AttributeError, TypeError, ValueError):  # a tokenizer spaCy cannot describe: not cached
        return tokenise()
    key = build_cache.fingerprint(spacy.__version__, EXTRACTOR_VERSION, tokenizer,
                                  json.dumps(forms, ensure_ascii=False))
    words = build_cache.cached(cache_dir, "gazetteers", key, tokenise)
    if len(words) != len(forms) or not all(isinstance(w, list) for w in words):  # an entry edited by hand
        return tokenise()
    return words
