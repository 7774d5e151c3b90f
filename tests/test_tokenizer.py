"""The tokenizer's fast paths (``tokenizer._PrefixSearch``, ``_SuffixSearch``, ``_InfixFinditer``)
split every string exactly as the one joined regex of spaCy's rules and ours does."""

from __future__ import annotations

import itertools

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from extraction.nlp import tokenizer as tk

#: Characters the rules of either side test: letters that are units or scale words, digits,
#: vulgar fractions, dashes, quotes, currency signs, brackets and stops.
ALPHABET = "aksmbnBTMkWhHzlLpgxCFiuURDEN'’sS0123456789½¼⅔-–—/.,%$€£~≈()[]\"!?:…°+*^=<>#&_ "
OWN_WORDS = ["said", "government's", "firms’", "Ministry's", "UK-based", "pre-war", "994sq", "$US113", "HK$5m",
             "10k-15k", "4-", "10%-15%", "5¼%", "42C", "2.5x", "minus-5", "sub-300", "~45g", "≈32m2", "114bhp/200Nm",
             "100km/hr", "2024—six", "worth $10B.", "U.S.", "e.g.", "co-op", "rock'n'roll", "A4", "x", "'s", "’S",
             "O'Neill", "Minus-3", "subsidy", "Sub-.5", "US$4", "EUR6", "Rs.5", "sure", "mines",
             "...", "well…", "(BBC)", "[1]", "Ål", "naïve", "café's", "3rd", "1990s", "mid-1990s"]


@pytest.fixture(scope="module")
def joined():
    """The prefix, suffix and infix regexes as spaCy would join them (ours and the defaults, one
    regex each)."""
    defaults = spacy.blank("en").Defaults
    prefix = compile_prefix_regex([tk._CURRENCY_PREFIXES, tk._APPROX_PREFIXES, tk._WORD_PREFIXES]
                                  + list(defaults.prefixes))
    suffix = compile_suffix_regex(list(defaults.suffixes) + [tk._GLUED_SUFFIXES, tk._NUMBER_DASH, tk._SCALE_STOP,
                                                             tk._VULGAR_PERCENT, tk._GLUED_DEGREES])
    infix = compile_infix_regex(list(defaults.infixes) + [r"[—–]", r"(?<=[A-Za-z])/(?=[0-9])", tk._INNER_UNITS,
                                                          tk._SCALE_DASH, tk._PERCENT_DASH])
    return prefix, suffix, infix


def _same_split(nlp, joined, text):
    prefix, suffix, infix = joined
    tok = nlp.tokenizer
    whole, fast = prefix.search(text), tok.prefix_search(text)
    assert (whole and whole.span()) == (fast and fast.span()), text
    whole = suffix.search(text)
    fast = tok.suffix_search(text)
    assert (whole and whole.span()) == (fast and fast.span()), text
    assert [m.span() for m in infix.finditer(text)] == [m.span() for m in tok.infix_finditer(text)], text


@pytest.mark.parametrize("text", OWN_WORDS)
def test_tokenizer_fast_paths_split_as_the_joined_regex(nlp, joined, text):
    for k in range(len(text)):
        _same_split(nlp, joined, text[k:])
        _same_split(nlp, joined, text[:k + 1])


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=12))
def test_tokenizer_fast_paths_agree_on_any_string(nlp, joined, text):
    _same_split(nlp, joined, text.replace(" ", ""))


def test_tokenizer_fast_paths_agree_on_every_short_string(nlp, joined):
    """Every string of up to two characters over the letters and the characters the fast paths
    test, and every character up to U+2FFF alone and next to a letter or a digit."""
    chars = [*"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", *"'’,\")-.5$°%/~"]
    for k in (1, 2):
        for t in itertools.product(chars, repeat=k):
            _same_split(nlp, joined, "".join(t))
    for cp in range(0x21, 0x3000):
        for text in (chr(cp), "a" + chr(cp), chr(cp) + "a", "5" + chr(cp)):
            _same_split(nlp, joined, text)


def test_tokenizer_keeps_possessives_and_splits_units(nlp):
    words = [t.text for t in nlp.make_doc("The ministry's 994sq km plan (worth $10B.) cost HK$5m, up 10%-15%.")]
    assert words == ["The", "ministry", "'s", "994", "sq", "km", "plan", "(", "worth", "$", "10", "B", ".", ")",
                     "cost", "HK$", "5", "m", ",", "up", "10", "%", "-", "15", "%", "."]


def test_tokenizer_serialises_the_joined_regexes(nlp, joined):
    """spaCy writes a tokenizer's regexes by their ``pattern``: the joined ones, which a loaded
    tokenizer splits with the same result."""
    prefix, suffix, infix = joined
    assert nlp.tokenizer.prefix_search.__self__.pattern == prefix.pattern
    assert nlp.tokenizer.suffix_search.__self__.pattern == suffix.pattern
    assert nlp.tokenizer.infix_finditer.__self__.pattern == infix.pattern
