"""Read access to a Doc's span groups and text, cached per Doc.

Iterating ``doc.spans[key]`` builds a new Python Span object per span every time, and
``span.text`` a Token per word; assembly reads the same groups and words many times per
claim, so each group, the text and the token offsets are materialised once and kept in
``doc.user_data``. Call only after the pipeline has run (components write the groups).
"""

from __future__ import annotations

import bisect
from functools import lru_cache

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, LIKE_NUM, LOWER, ORTH, SENT_START, SPACY
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from extraction.nlp.arrays import member

_KEY = "claims.spans"
#: ``doc.user_data`` key of the Doc's text; callers that know the text (the input) may set it.
TEXT_KEY = "claims.text"
_OFFSETS = "claims.offsets"
_LIKE_NUM = "claims.like_num"
_LOWER = "claims.lower"
_ORTH = "claims.orth"
_SENT_STARTS = "claims.sent_starts"
_IS_SPACE = "claims.is_space"
_SPACE_AFTER = "claims.space_after"
_STARTS = "claims.span_starts"
#: ``doc.user_data`` key of token attribute columns a component already read (attribute id ->
#: array), valid once the tokens and sentences are final (``claim_rules`` sets it): the readers
#: below take their column from it instead of another ``doc.to_array``.
ARRAYS_KEY = "claims.arrays"


def _column(doc: Doc, attr: int) -> np.ndarray:
    """One token attribute of every token, from the columns already read when there are some."""
    found = doc.user_data.get(ARRAYS_KEY)
    if found is not None and attr in found:
        return found[attr]
    return doc.to_array(attr)


def orth_column(doc: Doc) -> np.ndarray:
    """The ORTH hash of every token, as an array."""
    return _column(doc, ORTH)


def word_hashes(words) -> np.ndarray:
    """The sorted string hashes of ``words``, for ``positions_of``."""
    return np.unique(np.array([get_string_id(w) for w in words], dtype=np.uint64))


def positions_of(doc: Doc, table: np.ndarray) -> list[int]:
    """The tokens whose word is one of ``table`` (``word_hashes``), in order: found in the ORTH
    column, not by reading every word in Python."""
    return np.flatnonzero(member(orth_column(doc), table)).tolist() if len(table) else []


def spans_of(doc: Doc, key: str) -> tuple[Span, ...]:
    """The spans of ``doc.spans[key]`` (empty when the group does not exist), in order."""
    cache = doc.user_data.setdefault(_KEY, {})
    found = cache.get(key)
    if found is None:
        found = tuple(doc.spans[key]) if key in doc.spans else ()
        cache[key] = found
    return found


def spans_within(doc: Doc, key: str, start: int, end: int) -> list[Span]:
    """The spans of ``doc.spans[key]`` that lie inside tokens ``start..end``, in order: found by
    bisecting their starts (the components write each group sorted by start, through
    filter_spans; a group that is not sorted is scanned whole)."""
    spans = spans_of(doc, key)
    cache = doc.user_data.setdefault(_STARTS, {})
    if key not in cache:
        starts = [s.start for s in spans]
        cache[key] = starts if all(a <= b for a, b in zip(starts, starts[1:], strict=False)) else None
    starts = cache[key]
    if starts is None:
        return [s for s in spans if s.start >= start and s.end <= end]
    out = []
    for k in range(bisect.bisect_left(starts, start), len(starts)):
        if starts[k] >= end:
            break
        if spans[k].end <= end:
            out.append(spans[k])
    return out


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """The start and the end character of every token, as two lists."""
    found = doc.user_data.get(_OFFSETS)
    if found is None:
        a = doc.to_array([IDX, LENGTH])
        found = (a[:, 0].tolist(), (a[:, 0] + a[:, 1]).tolist())
        doc.user_data[_OFFSETS] = found
    return found


def slice_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text``, cut from the cached text: no Span, no Token objects (about ten
    times faster than ``Span.text``)."""
    if end <= start:
        return ""
    starts, ends = token_offsets(doc)
    return text_of(doc)[starts[start]:ends[end - 1]]


def span_text(span: Span) -> str:
    """``span.text``, cut from the cached text of its Doc (see ``slice_text``)."""
    return slice_text(span.doc, span.start, span.end)


def like_num_of(doc: Doc) -> list[bool]:
    """``token.like_num`` of every token, without building Token objects."""
    found = doc.user_data.get(_LIKE_NUM)
    if found is None:
        found = _column(doc, LIKE_NUM).astype(bool).tolist()
        doc.user_data[_LIKE_NUM] = found
    return found


def _flags_of(doc: Doc, attr: int, key: str) -> list[bool]:
    found = doc.user_data.get(key)
    if found is None:
        found = _column(doc, attr).astype(bool).tolist()
        doc.user_data[key] = found
    return found


def is_space_of(doc: Doc) -> list[bool]:
    """``token.is_space`` of every token, without building Token objects."""
    return _flags_of(doc, IS_SPACE, _IS_SPACE)


def space_after_of(doc: Doc) -> list[bool]:
    """``bool(token.whitespace_)`` of every token (a space follows it), without Token objects."""
    return _flags_of(doc, SPACY, _SPACE_AFTER)


def lower_of(doc: Doc) -> list[str]:
    """``token.lower_`` of every token, from one array: ``doc[i].lower_`` builds a Token object
    per read, and assembly reads the words around every figure many times."""
    found = doc.user_data.get(_LOWER)  # read here first: called hundreds of times per article
    return found if found is not None else _strings_of(doc, LOWER, _LOWER)


def words_of(doc: Doc) -> list[str]:
    """``token.text`` of every token (see ``lower_of``)."""
    found = doc.user_data.get(_ORTH)
    return found if found is not None else _strings_of(doc, ORTH, _ORTH)


class _Strings(dict):
    """Hash -> string, filled from ``store`` on a miss: a hash names one string in every
    StringStore, and most words of an article were met before, so reading them from a dict
    (about a third of the cost of ``StringStore.__getitem__``, which decodes a new string
    each time) pays. Cleared when it grows past ``_MAX_STRINGS``."""

    store = None

    def __missing__(self, h: int) -> str:
        s = self[h] = self.store[h]
        return s


_MAX_STRINGS = 1 << 19


@lru_cache(maxsize=1)
def _strings() -> _Strings:
    return _Strings()


def _strings_of(doc: Doc, attr: int, key: str) -> list[str]:
    found = doc.user_data.get(key)
    if found is None:
        known = _strings()
        if len(known) > _MAX_STRINGS:
            known.clear()
        known.store = doc.vocab.strings
        found = list(map(known.__getitem__, _column(doc, attr).tolist()))
        doc.user_data[key] = found
    return found


def sent_starts_of(doc: Doc) -> np.ndarray:
    """``token.is_sent_start`` of every token as a boolean array (call after the sentences are set)."""
    found = doc.user_data.get(_SENT_STARTS)
    if found is None:
        found = _column(doc, SENT_START).astype(np.int64) == 1
        doc.user_data[_SENT_STARTS] = found
    return found
