"""Small numpy helpers the components share: string hashes of a word list, membership by
bisection, and merging token ranges."""

from __future__ import annotations

import numpy as np
from spacy.language import Language


def hashes(nlp: Language, words) -> np.ndarray:
    """The sorted string hashes of ``words``, for ``member``."""
    return np.unique(np.array([nlp.vocab.strings.add(w) for w in words], dtype=np.uint64))


def member(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``np.isin(values, table)`` for a sorted ``table``, by bisection: several times faster
    than ``np.isin`` on the short arrays of one article."""
    at = np.searchsorted(table, values)
    return table[np.minimum(at, len(table) - 1)] == values


def merge(ranges) -> list[tuple[int, int]]:
    """Sorted token ranges with overlapping or touching ones merged, so each is matched once."""
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]
