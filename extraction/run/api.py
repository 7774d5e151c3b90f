"""The library's front door: extract claims from text or articles. The CLI mirrors it.

>>> from extraction.run.api import extract_text
>>> [c.quantity.value for c in extract_text("Some 50,000 troops have been deployed to the region.")]
[50000.0]
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from datetime import date
from itertools import islice
from weakref import WeakKeyDictionary

from spacy.language import Language

from extraction.interpret.assemble import claims_from_doc
from extraction.interpret.quantities import Mention, mentions_from_doc
from extraction.nlp.pipeline import EXTRACTOR_VERSION, get_nlp
from extraction.nlp.spans import TEXT_KEY
from models import Article, Claim

#: Exotic spaces become plain ones (same length, so offsets into the article stay valid):
#: the tokenizer splits on " " only, and "$387.6\u00a0million" must read as one quantity.
#: A regex, not ``str.translate``: most articles have none, and translate looks up every character.
_SPACES = re.compile("[\u00a0\u202f\u2009\u2007\u2002\u2003\u200a\t]")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text)


def extract_article(article: Article) -> list[Claim]:
    """The claims of one article."""
    nlp = get_nlp()
    return claims_from_doc(nlp(_make_doc(nlp, _clean(article.text))), article, EXTRACTOR_VERSION)


def extract_text(text: str, published: date | None = None, path: str = "<text>",
                 outlet: str | None = None) -> list[Claim]:
    """The claims of a piece of text (a sentence, a paragraph, an article)."""
    return extract_article(Article.from_text(text, path=path, published=published, outlet=outlet))


#: Strings a pipeline's vocabulary may hold for good (see ``extract_articles``). The 2,222 BBC
#: articles fill about 43,000 and add 6 MiB to the peak memory; 100,000 hold the common words of
#: a language's news and many of its names.
VOCABULARY_STRINGS = 100_000
#: pipeline -> the lock its batches take turns on: a memory zone belongs to the whole vocabulary,
#: so a thread leaving its zone would free the words of another thread's batch (threads of one
#: process gain nothing on this CPU-bound work anyway; a Dask worker with several threads)
_pipeline_locks: WeakKeyDictionary[Language, threading.RLock] = WeakKeyDictionary()
_locks_lock = threading.Lock()


def extract_articles(articles: Iterable[Article], batch_size: int = 64) -> Iterator[tuple[Article, list[Claim]]]:
    """Stream (article, claims) pairs through ``nlp.pipe`` in batches, in input order.

    The words the pipeline reads stay in its vocabulary (spaCy then need not build their
    lexemes again in a later batch) until its string store holds ``VOCABULARY_STRINGS``
    entries; after that each batch runs in a spaCy memory zone, and the names, numbers and
    typos it adds are freed when it is done (claims are plain models by then), so a run over
    millions of articles does not grow the vocabulary without bound."""
    nlp = get_nlp()
    with _locks_lock:
        lock = _pipeline_locks.setdefault(nlp, threading.RLock())
    source = iter(articles)
    while batch := list(islice(source, batch_size)):
        with lock:
            # outside a zone every string is kept, so the store's length is what is held for good
            with nullcontext() if len(nlp.vocab.strings) < VOCABULARY_STRINGS else nlp.memory_zone():
                done = list(_extract_batch(nlp, batch, batch_size))
        yield from done


def _make_doc(nlp: Language, text: str):
    """The tokenised Doc of ``text`` with its text kept in ``user_data``: the Doc's text is the
    input (spaCy's tokenizer is non-destructive), and ``doc.text`` would rebuild it from every
    token (the components read it: ``number_joins``, the footnote test of the sentences)."""
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text
    return doc


def _extract_batch(nlp: Language, articles: list[Article], batch_size: int) -> Iterator[tuple[Article, list[Claim]]]:
    pairs = ((_make_doc(nlp, _clean(a.text)), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield article, claims_from_doc(doc, article, EXTRACTOR_VERSION)


#: The rule families quantity mentions read (no attribution cues, no gazetteers).
_QUANTITY_FAMILIES = ("quantities", "hedges", "dates")


def quantities_in_text(text: str) -> list[Mention]:
    """Every quantity mention in the text (claims or not), for ``claims quantities``.

    Runs only what mentions read: the tokenizer, the sentence pipes, and the quantity, hedge
    and date rules (the same mentions as the full pipeline, several times faster)."""
    nlp = get_nlp()
    text = _clean(text)
    doc = _make_doc(nlp, text)
    for name, pipe in nlp.pipeline:
        if name == "claim_rules":
            pipe.run(doc, _QUANTITY_FAMILIES, whole_sentences=False)
        elif name != "gazetteers":
            doc = pipe(doc)
    return mentions_from_doc(doc)
