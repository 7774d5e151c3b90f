"""Build the claims pipeline on ``spacy.blank("en")``: rules and gazetteers, no trained model."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.attrs import IDS
from spacy.language import Language

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
    nlp = spacy.load(base, exclude=["ner", "lemmatizer"]) if base else spacy.blank("en")
    if not base:
        for name in UNUSED_LEX_ATTRS:
            nlp.vocab.lex_attr_getters.pop(IDS[name], None)
    # each tokenizer setting customize_tokenizer sets reloads every special case (1,800 English
    # exceptions, a tenth of a second a time): they are set aside and loaded once, afterwards
    rules = nlp.tokenizer.rules
    nlp.tokenizer.rules = {}
    tokenizer.customize_tokenizer(nlp)
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


@lru_cache(maxsize=2)
def get_nlp(base: str | None = None) -> Language:
    """The process-wide pipeline, built once, with the build cache of the settings."""
    from extraction.run.settings import get_settings

    return build_nlp(base, cache_dir=get_settings().cache_dir)
