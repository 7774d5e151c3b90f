"""Build the claims pipeline on ``spacy.blank("en")``: rules and gazetteers, no trained model."""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

from extraction import components

log = logging.getLogger(__name__)

#: Bump whenever the extractor's output can change (rules, gazetteers, assembly).
EXTRACTOR_VERSION = "0.4.1"

def build_nlp(base: str | None = None) -> Language:
    """A fresh pipeline: tokenizer tweaks, sentence splitter, the rule families near numbers,
    and the gazetteers.

    ``base`` names an installed trained pipeline to start from (optional enrichment: its
    parser then sets the sentences); by default the pipeline is ``spacy.blank("en")`` and
    needs no download.
    """
    nlp = spacy.load(base, exclude=["ner", "lemmatizer"]) if base else spacy.blank("en")
    components.customize_tokenizer(nlp)
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
        nlp.add_pipe("news_sentences")
    nlp.add_pipe("claim_rules")
    nlp.add_pipe("gazetteers")
    log.debug("built pipeline %s", nlp.pipe_names)
    return nlp


@lru_cache(maxsize=2)
def get_nlp(base: str | None = None) -> Language:
    """The process-wide pipeline, built once."""
    return build_nlp(base)
