"""The NewsQuant loader and scorers (benchmarks/newsquant.py), on a few sentences written here."""

from __future__ import annotations

import json

import pytest

from benchmarks.bench_quantities import keep, ours_to_prediction
from benchmarks.newsquant import Counts, Prediction, load_newsquant, max_matching, score_one_to_one, score_sentence

ROWS = [
    {"text": "Two planes carried 12 crew each, and 12 more waited.",
     "quantities": [{"value": "2", "normalized_unit": "plane", "change": "="},
                    {"value": "12", "normalized_unit": "crew", "change": "="},
                    {"value": "12", "normalized_unit": "-", "change": "="}]},
    {"text": "The road is 35 miles long and prices rose 5-10%.",
     "quantities": [{"value": "35", "normalized_unit": "mile", "change": "="},
                    {"value": "5.0-10.0", "normalized_unit": "percentage", "change": "~"}]},
]


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "nq.json"
    path.write_text(json.dumps(ROWS), encoding="utf-8")
    return load_newsquant(path)


def test_newsquant_loads_values_and_ranges(data):
    assert [g.value for g in data[0].gold] == [2.0, 12.0, 12.0]
    assert data[1].gold[1].value == (5.0, 10.0)


def test_newsquant_one_prediction_matches_one_gold_only(data):
    preds = [[Prediction(2.0, "plane"), Prediction(12.0, "crew")], []]
    one, pairs = score_one_to_one(data, preds)
    assert (one.hits, one.gold, one.predicted) == (2, 5, 2)
    assert pairs[0] == [(0, 0), (1, 1)]
    # the CQE protocol lets the one "12" satisfy both gold 12s
    counts = Counts()
    score_sentence(data[0], preds[0], counts)
    assert counts.value_hits == 3


def test_newsquant_matching_is_maximum_not_greedy():
    # a greedy pass would give the first gold the prediction that reads both ways
    gold = [56.327, 35.0]
    preds = [Prediction(35.0, "mile", alt=(56.327,)), Prediction(56.327, "km")]
    assert len(max_matching(gold, preds)) == 2


def test_newsquant_canonical_reading_counts_and_range_never_matches_number(data):
    preds = [[], [Prediction(56.32704, "km", alt=(35.0,)), Prediction(7.5, "percentage")]]
    one, _ = score_one_to_one(data, preds)
    assert one.hits == 1
    assert one.prf()[0] == pytest.approx(0.5)


def test_newsquant_names_years_and_dates_are_not_predictions():
    from extraction.run.api import quantities_in_text

    mentions = quantities_in_text("The FTSE 100 rose 2% in 2023, its best year since 2009.")
    kept = [p.value for p in map(ours_to_prediction, mentions) if keep(p, "one_to_one")]
    assert kept == [2.0]


def test_newsquant_prediction_reads_value_as_written_and_canonical():
    from extraction.run.api import quantities_in_text

    (m,) = [m for m in quantities_in_text("The convoy stretched 40 miles.") if m.family == "length"]
    p = ours_to_prediction(m)
    assert p.value == pytest.approx(40.0) and p.alt[0] == pytest.approx(64.37376)
