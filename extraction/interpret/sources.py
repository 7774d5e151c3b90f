"""Who said a figure: the source of a claim, decided in one place.

The order of the rules, each named in the claim's ``rules``:

1. the owner of a document the figure is the value of ("economists' expectations of a 0.3%
   rise", ``source.owner_of_document``); else the attribution of the figure's own sentence, the
   paragraph before it, a source line after it, or a document's frame over the paragraphs before
   (``source_context.source_of``: the cue's rule id, ``source.frame.paragraph``,
   ``source.trailing``, ``source.frame.document``, ``source.frame.list``);
2. the body that decided the figure, in its clause: "the central bank's decision to raise rates by
   half a point", "parliament authorising a rise of $500m" (``source.decider``); for money and
   shares, the company whose results the article reports (``source.company_results``);
3. (in ``repeated_figure_source``) the source of a figure given earlier and repeated in the
   sentence: "The 4,000 troops include 2,500 from ..." takes the source of the 4,000
   (``source.repeated_figure``);
4. the article's own source: the body whose web site published it (``source.publisher``), or the
   outlet its lead credits, until the article cites another voice (``source.lead_credit``);
5. else none (``source.none``).

Pure over ``SentenceSources`` and ``Attribution`` objects; returns a ``models.Source``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from extraction.interpret.article_sources import company_results
from extraction.interpret.source_context import SentenceSources, source_of
from extraction.interpret.source_phrases import Attribution, clean_text
from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import lower_of, span_text, spans_of
from models import Claim, Source
from models.vocab import ClaimKind, SourceType

#: Kinds a company's results are reported in.
RESULT_KINDS = frozenset({ClaimKind.MONEY, ClaimKind.SHARE, ClaimKind.RATIO})


def decide_source(doc: Doc, srcs: list[SentenceSources], si: int, start: int, kind: ClaimKind,
                  article_source: Attribution | None) -> tuple[Source | None, str]:
    """The source of the figure at token ``start`` in sentence ``si`` and the id of the rule."""
    owner = _document_owner(doc, start, srcs[si].start)
    att, rule = (owner, "source.owner_of_document") if owner is not None else source_of(start, srcs, si)
    if att is None:
        att = _decider(doc, srcs[si].start, start)
        rule = "source.decider" if att is not None else rule
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


def _document_owner(doc: Doc, start: int, lo: int) -> Attribution | None:
    """'economists' expectations of a 0.3% rise', "the ministry's estimate of 40,000": the owner of
    the document whose value the figure is, when it is a named body or a source noun."""
    lower = lower_of(doc)
    j = start - 1
    while j > lo and lower[j] in word_class("document_value_lead_ins") and start - j <= 3:
        j -= 1
    if j <= lo + 2 or lower[j] not in ("of", "at") or lower[j - 1] not in word_class("expectation_nouns"):
        return None
    k = j - 2
    if lower[k] not in ("'s", "’s", "'", "’"):
        return None
    known = [s for s in spans_of(doc, "sources") if s.end == k and s.start >= lo]
    if known:
        s = known[0]
        return Attribution(s.label_, s.id_ or None, span_text(s), "'s", s.start, s.end, known=True)
    noun = lower[k - 1]
    nouns = lexicons.source_nouns()
    if noun not in nouns:
        return None
    stype = nouns[noun][0]
    if stype == "person" and noun in lexicons.source_noun_plurals():
        stype = "other"
    return Attribution(doc[k - 1].text, stype or None, doc[k - 1].text, "'s", k - 1, k)


#: Tokens that end the clause a decision governs, walking from the decider to the figure.
_DECISION_BREAKS = frozenset({";", ".", "\"", "“", "”"})
#: Furthest a figure may stand from the decision word that sets it.
DECISION_REACH = 16


def _decider(doc: Doc, lo: int, start: int) -> Attribution | None:
    """The named body whose decision sets the figure at ``start``: "the Fed's decision in March to
    raise rates by a quarter point" (owner of a decision noun, with "to" before the figure), "the
    Senate voted to add $40bn", "parliament authorising a rise of $500m" (a decision verb right
    after the body). Only a known source (a gazetteer body or a named person), in the same clause."""
    lower = lower_of(doc)
    nouns, verbs = word_class("decision_nouns"), word_class("decide_verbs")
    known = [s for s in spans_of(doc, "sources") if lo <= s.start and s.end < start]
    if not known:
        return None
    s = known[-1]
    between = lower[s.end:start]
    if any(w in _DECISION_BREAKS or w in word_class("contrast_conjunctions") for w in between):
        return None
    j = s.end
    if lower[j] in ("'s", "’s", "'", "’"):
        k = j + 1
        while k < start and k <= j + 3 and lower[k] not in nouns:
            k += 1  # "the Fed's surprise decision", "the bank's latest move"
        if k >= start or lower[k] not in nouns or start - k > DECISION_REACH or "to" not in lower[k + 1:start]:
            return None
    else:
        while j < start and lower[j] in word_class("decision_auxiliaries"):
            j += 1
        if j >= start or lower[j] not in verbs or start - j > DECISION_REACH:
            return None
    return Attribution(s.label_, s.id_ or None, span_text(s), "decision", s.start, s.end, known=True)


def repeated_figure_source(claim: Claim, repeated: list[Claim]) -> Claim:
    """``claim`` (which has no source) with the source of a figure its sentence repeats from an
    earlier sentence ("The 4,000 troops include 2,500 from the 3rd Brigade": the parts of a
    sourced total are its source's); ``repeated`` are those earlier claims, in text order."""
    sourced = [c for c in repeated if c.source is not None]
    if not sourced:
        return claim
    rules = [r if not r.startswith("source.") else "source.repeated_figure" for r in claim.rules]
    return claim.model_copy(update={"source": sourced[0].source, "rules": rules})
