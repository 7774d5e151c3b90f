"""Build the claims pipeline on ``spacy.blank("en")``: rules and gazetteers, no trained model."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

# the components register their factories on import
from extraction.nlp import claim_rules, gazetteers, number_joins, sentences, tokenizer  # noqa: F401

log = logging.getLogger(__name__)

#: Bump whenever the extractor's output can change (rules, gazetteers, assembly).
EXTRACTOR_VERSION = "0.7.3"

#: Lexical attributes that no rule, gazetteer or assembly step reads. spaCy's English defaults
#: compute 23 attributes for every new word, a Python call each (and a string for PREFIX and
#: SUFFIX); a blank pipeline drops these ten, which makes its tokenizer about a tenth faster on
#: a cold vocabulary. A trained base keeps them all: its models read PREFIX and SUFFIX.
UNUSED_LEX_ATTRS = ("PREFIX", "SUFFIX", "LIKE_EMAIL", "LIKE_URL", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
                    "IS_RIGHT_PUNCT", "IS_ASCII", "LANG")

def build_nlp(base: str | None = None, cache_dir: Path | None = None) -> Language:
    """A fresh pipeline: tokenizer tweaks, sentence splitter, the rule families near numbers,
    and the gazetteers.

    ``base`` names an installed trained pipeline to start from (optional enrichment: its
    parser then sets the sentences); by default the pipeline is ``spacy.blank("en")`` and
    needs no download. ``cache_dir`` keeps what the build derives from the data files for the
    next process (``extraction.nlp.build_cache``); None computes it all.
    """
    if base:
        nlp = spacy.load(base, exclude=["ner", "lemmatizer"])
        rules = nlp.tokenizer.rules
    else:
        nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": UNLOADED_TOKENIZER}}})
        for name in UNUSED_LEX_ATTRS:
            nlp.vocab.lex_attr_getters.pop(IDS[name], None)
        rules = nlp.Defaults.tokenizer_exceptions
    # every affix pattern set reloads every exception (1,800 English ones, a tenth of a second
    # each time): the exceptions are loaded once, after the patterns
    nlp.tokenizer.rules = {}
    tokenizer.customize_tokenizer(nlp)
    _default_affixes(nlp)
    nlp.tokenizer.rules = rules
    nlp.vocab.lex_attr_getters[IDS["LIKE_NUM"]] = number_joins.wrap_like_num(
        nlp.vocab.lex_attr_getters[IDS["LIKE_NUM"]])
    nlp.add_pipe("number_joins")
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
        nlp.add_pipe("news_sentences")
    nlp.add_pipe("claim_rules")
    nlp.add_pipe("gazetteers", config={"cache_dir": str(cache_dir) if cache_dir else None})
    log.debug("built pipeline %s", nlp.pipe_names)
    return nlp


#: The tokenizer ``spacy.blank`` makes for ``build_nlp``: see ``unloaded_tokenizer``.
UNLOADED_TOKENIZER = "claims.unloaded_tokenizer.v1"


@registry.tokenizers(UNLOADED_TOKENIZER)
def unloaded_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's tokenizer for a language without its affix patterns and exceptions yet:
    ``build_nlp`` sets each once, ours included. spaCy's own factory compiles the default
    patterns and loads the exceptions, which the news patterns then replace and reload
    (0.1 s of every start-up). The result is the same tokenizer (tests/test_build_cache.py)."""

    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab, token_match=nlp.Defaults.token_match, url_match=nlp.Defaults.url_match)

    return create


def _default_affixes(nlp: Language) -> None:
    """The language's default affix patterns where none is set (customize_tokenizer sets all three)."""
    defaults = nlp.Defaults
    if nlp.tokenizer.prefix_search is None and defaults.prefixes:
        nlp.tokenizer.prefix_search = compile_prefix_regex(defaults.prefixes).search
    if nlp.tokenizer.suffix_search is None and defaults.suffixes:
        nlp.tokenizer.suffix_search = compile_suffix_regex(defaults.suffixes).search
    if nlp.tokenizer.infix_finditer is None and defaults.infixes:
        nlp.tokenizer.infix_finditer = compile_infix_regex(defaults.infixes).finditer


@lru_cache(maxsize=2)
def get_nlp(base: str | None = None) -> Language:
    """The process-wide pipeline, built once, with the build cache of the settings."""
    from extraction.run.settings import get_settings

    return build_nlp(base, cache_dir=get_settings().cache_dir)
