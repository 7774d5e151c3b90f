"""claim_rules matches only around trigger tokens and number chunks (triggers.Triggers); that
must find exactly what matching the whole windows finds. Texts here are ones we wrote, or are
generated from the rules' own words, so every family has matches to lose."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.lexicon import lexicons
from extraction.nlp.claim_rules import RULE_FAMILIES, ClaimRules

TEXTS = [
    "Around 50,000 troops, up from 30,000 last year, according to the Pentagon, it said on Monday.",
    "Russia has lost more than 1,200 sq km since March 2024 - ISW. Sources: Reuters",
    "Prices rose 5% in the year to June, data from the ONS showed, and nearly doubled since 2020.",
    "Between $62 and $68 a barrel, analysts estimated, per the IEA; a third of output, or so.",
    "The army advanced 700 metres a day, the General Staff told reporters as of June 5, 2024.",
    "NEARLY 40 KM of road, ABOUT twice as long, were hit at 5 pm GMT, officials SAID.",
]


def _rule_words() -> list[str]:
    words: set[str] = set()
    for family in RULE_FAMILIES:
        for rule in lexicons.rules(family):
            for pattern in rule.patterns:
                for spec in pattern:
                    for attr in ("LOWER", "ORTH"):
                        value = spec.get(attr)
                        if isinstance(value, str):
                            words.add(value)
                        elif isinstance(value, dict):
                            words.update(value.get("IN", []))
    return sorted(w for w in words if not w.startswith("#"))


WORDS = _rule_words() + ["5", "1,200", "2024", "12345", "05", "40", "3.5", "March", "Kyiv", "The", "troops",
                         ".", ",", "\n"]


def _untriggered(rules: ClaimRules) -> ClaimRules:
    """The same component matching whole windows (the behaviour before triggers)."""
    plain = copy.copy(rules)
    plain.triggers = {family: None for family in rules.triggers}
    plain.chunk_reach = None
    return plain


def _spans(nlp, rules: ClaimRules, text: str) -> dict[str, list[tuple[int, int, str, str]]]:
    doc = nlp.make_doc(text)
    for name, pipe in nlp.pipeline:
        if name == "claim_rules":
            break
        doc = pipe(doc)
    rules(doc)
    return {f: [(s.start, s.end, s.label_, s.id_) for s in doc.spans[f]] for f in rules.families}


@pytest.mark.parametrize("text", TEXTS)
def test_triggered_matching_equals_whole_windows(nlp, text):
    rules = nlp.get_pipe("claim_rules")
    fast, slow = _spans(nlp, rules, text), _spans(nlp, _untriggered(rules), text)
    assert fast == slow
    assert any(fast.values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60))
def test_triggered_matching_equals_whole_windows_on_rule_words(nlp, words):
    rules = nlp.get_pipe("claim_rules")
    text = " ".join(words)
    assert _spans(nlp, rules, text) == _spans(nlp, _untriggered(rules), text)


def _unsplit(rules: ClaimRules) -> ClaimRules:
    """The same component running every unit rule over all the unit windows (before the split
    into the rules on a chunk and the others)."""
    plain = copy.copy(rules)
    plain.split_units = False
    return plain


SPLIT_TEXTS = [
    *TEXTS,
    "A fifth of the 300 staff, twice as many as in 2022, earn $40,000 to $45,000 a year.",
    "Sales fell by half, to 2.5m units, while costs doubled; #qty 5 km and 12 per cent.",
    "Between £3bn and £4bn, roughly a quarter of a point of GDP, or 10-fold the 2019 level.",
]


@pytest.mark.parametrize("text", SPLIT_TEXTS)
def test_split_unit_rules_equal_one_run_over_the_unit_windows(nlp, text):
    rules = nlp.get_pipe("claim_rules")
    split, whole = _spans(nlp, rules, text), _spans(nlp, _unsplit(rules), text)
    assert split == whole
    assert split["quantities"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*WORDS, "#qty", "#qtx"]), min_size=1, max_size=60))
def test_split_unit_rules_equal_one_run_on_rule_words(nlp, words):
    rules = nlp.get_pipe("claim_rules")
    text = " ".join(words)
    assert _spans(nlp, rules, text) == _spans(nlp, _unsplit(rules), text)


def test_every_sentence_family_has_triggers(nlp):
    """If a pattern edit makes a family untriggerable, it silently falls back to whole windows
    (correct, but slow): make that visible."""
    rules = nlp.get_pipe("claim_rules")
    assert all(rules.triggers[f] is not None for f in ("hedges", "cues", "dates"))
    assert rules.chunk_reach is not None and rules.unit_triggers is not None
    # dates are found around years and month names, not around every number of a sentence
    dates = rules.triggers["dates"]
    assert not dates.numeric and "SHAPE" in dates.values


@pytest.mark.parametrize("word", ["nearly", "Nearly", "NEARLY"])
def test_word_lists_match_lower_title_and_upper_case(nlp, word):
    doc = nlp(f"{word} 40 km of road")
    assert [s.id_ for s in doc.spans["hedges"]] == ["hedge.nearly.nearly"]


def test_lower_word_lists_are_lower_case():
    """A LOWER list matches a word in lower, Title or UPPER case (triggers._spellings); an
    entry with capitals would match only its own spelling, unlike spaCy's LOWER."""
    from extraction.nlp.triggers import _word_sets

    offending = {w for family in RULE_FAMILIES for rule in lexicons.rules(family) for p in rule.patterns
                 for spec in p for attr, _, words in _word_sets(spec) if attr == "LOWER"
                 for w in words if w != w.lower()}
    assert offending == set()
