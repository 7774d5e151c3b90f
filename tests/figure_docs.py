"""Helpers for the unit tests of the quantity reading: a processed Doc of one sentence of ours and
hand-made quantity spans on it (as the quantity rules would have labelled them), so each
module of ``extraction.interpret`` is tested on its own, not only end to end."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from extraction.interpret.mention import Mention
from extraction.interpret.number_roles import classify_number
from extraction.interpret.span_values import interpret
from extraction.nlp.spans import spans_of


def phrase_span(doc: Doc, phrase: str, label: str = "number", nth: int = 0) -> Span:
    """The ``nth`` occurrence of ``phrase`` in ``doc`` as a quantity span with the family ``label``."""
    i = -1
    for _ in range(nth + 1):
        i = doc.text.index(phrase, i + 1)
    found = doc.char_span(i, i + len(phrase))
    assert found is not None, f"{phrase!r} is not a run of whole tokens: {[t.text for t in doc]}"
    return Span(doc, found.start, found.end, label=label, span_id=f"test.{label}")


def date_tokens(doc: Doc) -> dict[int, str]:
    """Token index -> label of the date rules' spans, as ``mentions_from_doc`` passes them on."""
    return {i: d.label_ for d in spans_of(doc, "dates") for i in range(d.start, d.end)}


def read(doc: Doc, phrase: str, label: str = "number", nth: int = 0) -> Mention:
    """The mention of one phrase read on its own; a bare number also learns what it counts."""
    span = phrase_span(doc, phrase, label, nth)
    m = interpret(span)
    assert m is not None, phrase
    return classify_number(m, span, doc, date_tokens(doc)) if m.family == "number" else m
