"""Read access to a Doc's span groups, cached per Doc.

Iterating ``doc.spans[key]`` builds a new Python Span object per span every time; assembly
reads the same groups many times per claim, so each group is materialised once and kept in
``doc.user_data``. Call only after the pipeline has run (components write the groups).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_KEY = "claims.spans"


def spans_of(doc: Doc, key: str) -> tuple[Span, ...]:
    """The spans of ``doc.spans[key]`` (empty when the group does not exist), in order."""
    cache = doc.user_data.setdefault(_KEY, {})
    found = cache.get(key)
    if found is None:
        found = tuple(doc.spans[key]) if key in doc.spans else ()
        cache[key] = found
    return found


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get("claims.text")
    if text is None:
        text = doc.text
        doc.user_data["claims.text"] = text
    return text
