"""NewsQuant (the CQE paper's news-sentence benchmark): loading and its scoring protocol.

The data set is not shipped with this project; pass its path (a JSON list of
``{"text", "quantities": [{"change", "value", "unit", "normalized_unit", "referred_concepts"}]}``).

The protocol, re-implemented here from its description in the CQE evaluation (read, not copied):

* A gold value is a number, or a range written ``"low-high"`` (a leading ``-`` is a sign).
  A predicted value is a float or a ``(low, high)`` tuple. Two values match when both are
  numbers, or both ranges, and every bound agrees within ``rtol=1e-5, atol=1e-8``. A range
  never matches a single number. For a system that reports ranges as their midpoint
  (quantulum3), gold ranges are averaged first.
* Per sentence, every (gold, prediction) pair whose values match counts a value hit, up to
  as many hits as the sentence has gold quantities. Predictions are not consumed, so one
  prediction can satisfy two equal gold values.
* Value P = hits / predictions, R = hits / gold quantities, over the whole set.
* value+unit counts every value-matching pair whose lower-cased normalized units are equal
  (no per-sentence cap, as in the original).

``strict_hits`` counts the stricter variant where each prediction satisfies at most one gold
quantity (greedy, in order); both are reported so the protocol's leniency is visible.

``score_one_to_one`` is issue 14's protocol: per sentence, a maximum matching between gold
quantities and predictions (each prediction matches at most one gold quantity and the reverse),
where a prediction matches when any of its readings (its value as written, or in our canonical
unit: ``Prediction.readings``) equals the gold value. The caller leaves out of the predictions
what is not a quantity (dates, years, clock times, ordinals, numbers marked as names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

Value = float | tuple[float, float]


@dataclass(frozen=True)
class Gold:
    value: Value
    unit: str
    change: str
    surface_unit: str


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    gold: tuple[Gold, ...]

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Prediction:
    """One predicted quantity, already mapped to the benchmark's terms."""

    value: Value
    unit: str
    text: str = ""
    kind: str = ""
    extra: dict = field(default_factory=dict)
    #: other readings of the same figure (e.g. in the canonical unit: 56.33 km for "35 miles")
    alt: tuple[Value, ...] = ()

    @property
    def readings(self) -> tuple[Value, ...]:
        return (self.value, *self.alt)


def parse_value(raw: str) -> Value:
    """``"6.0"`` -> 6.0; ``"252.0-287.0"`` -> (252.0, 287.0); ``"-1.3"`` -> -1.3."""
    s = raw.strip()
    if "-" in s[1:]:
        lo, hi = s[0] + s[1:].split("-", 1)[0], s[1:].split("-", 1)[1]
        return float(lo), float(hi)
    return float(s)


def load_newsquant(path: str | Path, limit: int | None = None) -> list[Sentence]:
    """The benchmark's sentences with their gold quantities, in file order."""
    with open(path, encoding="utf-8") as fh:
        rows = json.load(fh)
    out = []
    for i, row in enumerate(rows[:limit] if limit else rows):
        gold = tuple(
            Gold(parse_value(str(q["value"])), q["normalized_unit"].strip().lower(), q.get("change", "="),
                 q.get("unit", ""))
            for q in row["quantities"]
        )
        out.append(Sentence(i, row["text"], gold))
    return out


def _close(a: float, b: float) -> bool:
    # numpy.isclose(a, b) semantics: asymmetric, tolerance relative to b (the gold value)
    return abs(a - b) <= 1e-8 + 1e-5 * abs(b)


def values_match(gold: Value, pred: Value) -> bool:
    """The protocol's value equality (ranges bound by bound, never range against number)."""
    if isinstance(gold, tuple) != isinstance(pred, tuple):
        return False
    if isinstance(gold, tuple):
        return _close(pred[0], gold[0]) and _close(pred[1], gold[1])
    return _close(pred, gold)


def _gold_value(g: Gold, average_ranges: bool) -> Value:
    if average_ranges and isinstance(g.value, tuple):
        return (g.value[0] + g.value[1]) / 2
    return g.value


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    value_hits: int = 0
    unit_hits: int = 0
    strict_hits: int = 0
    strict_unit_hits: int = 0

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def units_match(gold_unit: str, pred_unit: str) -> bool:
    """Lower-case equality, with one relaxation for counted nouns: the benchmark writes the
    whole noun phrase ("first-team player"), we keep the head noun ("player")."""
    if gold_unit == pred_unit:
        return True
    return " " in gold_unit and not pred_unit.startswith("-") and gold_unit.rsplit(" ", 1)[-1] == pred_unit


@dataclass
class SentenceResult:
    sentence: Sentence
    predictions: list[Prediction]
    matched_gold: list[bool]
    matched_pred: list[bool]


def score_sentence(s: Sentence, preds: list[Prediction], counts: Counts,
                   average_ranges: bool = False) -> SentenceResult:
    """Add one sentence to ``counts`` under both the protocol and the one-to-one variant."""
    counts.gold += len(s.gold)
    counts.predicted += len(preds)
    budget = len(s.gold)
    matched_gold = [False] * len(s.gold)
    matched_pred = [False] * len(preds)
    used = [False] * len(preds)
    for gi, g in enumerate(s.gold):
        gv = _gold_value(g, average_ranges)
        strict_done = False
        for pi, p in enumerate(preds):
            if not values_match(gv, p.value):
                continue
            matched_gold[gi] = matched_pred[pi] = True
            if budget > 0:
                counts.value_hits += 1
                budget -= 1
            if units_match(g.unit, p.unit):
                counts.unit_hits += 1
            if not strict_done and not used[pi]:
                used[pi] = strict_done = True
                counts.strict_hits += 1
                counts.strict_unit_hits += units_match(g.unit, p.unit)
    return SentenceResult(s, preds, matched_gold, matched_pred)


def max_matching(gold: list[Value], preds: list[Prediction]) -> list[tuple[int, int]]:
    """A maximum set of (gold index, prediction index) pairs whose values match, each gold
    quantity and each prediction used at most once (augmenting paths; sentences are small)."""
    edges = [[pi for pi, p in enumerate(preds) if any(values_match(g, r) for r in p.readings)] for g in gold]
    owner: dict[int, int] = {}  # prediction -> gold

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in edges[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in owner or augment(owner[pi], seen):
                owner[pi] = gi
                return True
        return False

    for gi in range(len(gold)):
        augment(gi, set())
    return sorted((gi, pi) for pi, gi in owner.items())


@dataclass
class OneToOne:
    """Issue 14's one-to-one value score over a data set."""

    gold: int = 0
    predicted: int = 0
    hits: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.hits / self.predicted if self.predicted else 0.0
        r = self.hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_one_to_one(sentences: list[Sentence], preds: list[list[Prediction]]) -> tuple[OneToOne, list]:
    """The one-to-one score and, per sentence, the matched (gold, prediction) index pairs."""
    total = OneToOne()
    pairs = []
    for s, ps in zip(sentences, preds, strict=True):
        matched = max_matching([g.value for g in s.gold], ps)
        total.gold += len(s.gold)
        total.predicted += len(ps)
        total.hits += len(matched)
        pairs.append(matched)
    return total, pairs
