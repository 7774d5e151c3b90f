"""The build cache: the gazetteers' tokenised forms kept between processes, used only for the
very inputs they were computed from, and gazetteer patterns equal to those Docs would give."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from extraction.lexicon import lexicons
from extraction.nlp import build_cache, pipeline
from extraction.nlp.gazetteers import Gazetteers, alias_words
from extraction.run.settings import Settings


def _patterns(matcher: PhraseMatcher) -> dict[str, list[tuple[int, ...]]]:
    """key -> the sorted attribute-hash sequences of its patterns (what pickling keeps)."""
    return {key: sorted(found) for key, found in matcher.__reduce__()[1][1].items()}


@pytest.fixture(scope="module")
def fresh_nlp(tmp_path_factory):
    return pipeline.build_nlp(cache_dir=tmp_path_factory.mktemp("cache"))


def test_build_cache_gazetteer_patterns_equal_doc_patterns(fresh_nlp, tmp_path):
    # the patterns the component builds from token texts (cold, then from the cache) are the ones
    # Docs of every form give: ORTH for one-token forms, LOWER for longer ones
    exact, folded = PhraseMatcher(fresh_nlp.vocab, attr="ORTH"), PhraseMatcher(fresh_nlp.vocab, attr="LOWER")
    tables = {"places": lexicons.places(), "actors": lexicons.actors(), "sources": lexicons.sources()}
    for kind in Gazetteers.KINDS:
        for n, entry in enumerate(tables[kind]):
            docs = [fresh_nlp.make_doc(form) for form in entry.aliases]
            if one := [d for d in docs if len(d) == 1]:
                exact.add(f"{kind}:{n}", one)
            if many := [d for d in docs if len(d) != 1]:
                folded.add(f"{kind}:{n}", many)
    for _ in range(2):  # computed, then read back
        built = Gazetteers(fresh_nlp, tmp_path)
        assert _patterns(built.exact) == _patterns(exact)
        assert _patterns(built.folded) == _patterns(folded)
    assert len(list(tmp_path.glob("gazetteers-*.json"))) == 1


def test_build_cache_gazetteers_match_as_before(fresh_nlp):
    doc = fresh_nlp("Officials in Kyiv and the United Nations said 40 people died, Reuters reported.")
    assert {s.label_ for s in doc.spans["places"]} >= {"Kyiv"}
    assert doc.spans["sources"] or doc.spans["actors"]


def test_build_cache_entry_is_read_not_recomputed(tmp_path):
    key = build_cache.fingerprint("forms", b"tokenizer")
    assert build_cache.cached(tmp_path, "demo", key, lambda: [["a", "b"]]) == [["a", "b"]]

    def fail():
        raise AssertionError("computed again")

    assert build_cache.cached(tmp_path, "demo", key, fail) == [["a", "b"]]


@pytest.mark.parametrize("change", ["tokenizer", "forms"])
def test_build_cache_never_stale(tmp_path, change):
    nlp = spacy.blank("en")
    forms = ["Kyivgrad", "New York"]
    assert alias_words(nlp, forms, tmp_path) == [["Kyivgrad"], ["New", "York"]]
    if change == "tokenizer":  # a new tokenizer rule splits the form: the old entry must not be used
        nlp.tokenizer.add_special_case("Kyivgrad", [{"ORTH": "Kyiv"}, {"ORTH": "grad"}])
        assert alias_words(nlp, forms, tmp_path) == [["Kyiv", "grad"], ["New", "York"]]
    else:
        assert alias_words(nlp, [*forms, "Port-au-Prince"], tmp_path)[:2] == [["Kyivgrad"], ["New", "York"]]
    assert len(list(tmp_path.glob("gazetteers-*.json"))) == 2


def test_build_cache_key_holds_the_extractor_version(tmp_path, monkeypatch):
    nlp = spacy.blank("en")
    alias_words(nlp, ["Kyiv"], tmp_path)
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "0.0.0-test")
    alias_words(nlp, ["Kyiv"], tmp_path)
    assert len(list(tmp_path.glob("gazetteers-*.json"))) == 2


def test_build_cache_bad_entry_is_recomputed(tmp_path):
    nlp = spacy.blank("en")
    alias_words(nlp, ["New York"], tmp_path)
    (entry,) = tmp_path.glob("gazetteers-*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert alias_words(nlp, ["New York"], tmp_path) == [["New", "York"]]
    assert json.loads(entry.read_text(encoding="utf-8"))["value"] == [["New", "York"]]
    # an entry with the right key but a value of the wrong shape (edited by hand) is not trusted
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({"key": data["key"], "value": [["New"], ["York"]]}), encoding="utf-8")
    assert alias_words(nlp, ["New York"], tmp_path) == [["New", "York"]]


def test_build_cache_directory_that_is_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert build_cache.cached(blocker, "demo", "k", lambda: [1]) == [1]


def test_build_cache_keeps_the_most_recent_entries(tmp_path):
    for n in range(build_cache.KEEP + 3):
        build_cache.cached(tmp_path, "demo", build_cache.fingerprint(str(n)), lambda: [])
    assert len(list(tmp_path.glob("demo-*.json"))) == build_cache.KEEP
    assert not list(tmp_path.glob(".*tmp"))


def test_build_cache_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(tmp_path))
    assert Settings().cache_dir == tmp_path
    monkeypatch.setenv("CLAIMS_CACHE_DIR", "")
    assert Settings().cache_dir is None
    monkeypatch.delenv("CLAIMS_CACHE_DIR")
    assert Settings().cache_dir is not None


def test_build_cache_tokenizer_as_spacy_builds_it(fresh_nlp):
    # build_nlp loads the exceptions once, after the news patterns: the same tokenizer as spaCy's
    # default one with customize_tokenizer applied to it
    from extraction.nlp.tokenizer import customize_tokenizer

    reference = spacy.blank("en")
    customize_tokenizer(reference)
    assert fresh_nlp.tokenizer.to_bytes(exclude=["vocab"]) == reference.tokenizer.to_bytes(exclude=["vocab"])
    text = "The $US113bn deal, Mr. Smith's 4- to 6-metre wall (10%-15%) can't wait: 114bhp/200Nm."
    assert [t.text for t in fresh_nlp.make_doc(text)] == [t.text for t in reference.make_doc(text)]
