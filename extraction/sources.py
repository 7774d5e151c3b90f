"""Who said a figure: the source of a claim, decided in one place.

The order of the rules, each named in the claim's ``rules``:

1. the attribution of the figure's own sentence, the paragraph before it, a source line after it,
   or a document's frame over the paragraphs before (``source_context.source_of``: the cue's rule
   id, ``source.frame.paragraph``, ``source.trailing``, ``source.frame.document``,
   ``source.frame.list``);
2. for money and shares, the company whose results the article reports (``source.company_results``);
3. the article's own source: the body whose web site published it (``source.publisher``), or the
   outlet its lead credits, until the article cites another voice (``source.lead_credit``);
4. else none (``source.none``).

Pure over ``SentenceSources`` and ``Attribution`` objects; returns a ``models.Source``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from extraction.article_sources import company_results
from extraction.source_context import SentenceSources, source_of
from extraction.source_phrases import Attribution, clean_text
from models import Source
from models.vocab import ClaimKind, SourceType

#: Kinds a company's results are reported in.
RESULT_KINDS = frozenset({ClaimKind.MONEY, ClaimKind.SHARE, ClaimKind.RATIO})


def decide_source(doc: Doc, srcs: list[SentenceSources], si: int, start: int, kind: ClaimKind,
                  article_source: Attribution | None) -> tuple[Source | None, str]:
    """The source of the figure at token ``start`` in sentence ``si`` and the id of the rule."""
    att, rule = source_of(start, srcs, si)
    if att is None and kind in RESULT_KINDS:
        att = company_results(doc, srcs, si)
        rule = "source.company_results" if att is not None else rule
    if att is None and article_source is not None and article_source.start < start:
        if article_source.cue != "credit" or not any(s.atts for s in srcs[:si] if s.start >= article_source.end):
            att = article_source  # a credited outlet holds until the article cites another voice
            rule = "source.lead_credit" if att.cue == "credit" else "source.publisher"
    if att is None or not att.name:
        return None, "source.none"
    try:
        stype = SourceType(att.type) if att.type else None
    except ValueError:
        stype = SourceType.OTHER
    return Source(name=clean_text(att.name) or att.name, type=stype, text=clean_text(att.text) or att.name,
                  cue=att.cue), rule
