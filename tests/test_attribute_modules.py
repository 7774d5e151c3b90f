"""Issue 13: each attribute module decides on a processed Doc, one module at a time.

The sentences are ours. Each row asserts the decision of one module (kind, source, actor, place)
and the id of the rule that made it, calling the module itself rather than the whole assembly, so a
failure names the module at fault. ``source_context`` is tested on hand-built sentence records.
"""

from __future__ import annotations

import pytest

from extraction.interpret.actors import actor_mentions, decide_actor
from extraction.interpret.attribution import Attribution, attributions_in_sentence
from extraction.interpret.kinds import kind_of
from extraction.interpret.places import decide_places, place_mentions
from extraction.interpret.quantities import mentions_from_doc
from extraction.interpret.source_context import SentenceSources, frame_of, quotes_speech, source_of
from extraction.interpret.sources import decide_source
from models.vocab import ClaimKind


def _mention(doc, figure: str):
    found = [m for m in mentions_from_doc(doc) if figure in m.text or m.text in figure]
    assert found, f"{figure!r} not among {[m.text for m in mentions_from_doc(doc)]}"
    return found[0]


def _sentence_of(doc, start: int):
    return next(s for s in doc.sents if s.start <= start < s.end)


def _records(doc) -> list[SentenceSources]:
    """One record per sentence, with its attributions (paragraphs: one per sentence here)."""
    out = []
    for n, s in enumerate(doc.sents):
        out.append(SentenceSources(n, s.start, s.end, attributions_in_sentence(s), figures=True))
    return out


# --- kinds -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,figure,kind,rule", [
    ("Russian forces carried out 120 artillery strikes on the town.", "120", ClaimKind.COUNT, "kind.count.noun"),
    ("The army lost 14 tanks near the river.", "14", ClaimKind.EQUIPMENT, "kind.equipment.noun"),
    ("The brigade has 3,000 soldiers on the line.", "3,000", ClaimKind.PERSONNEL, "kind.personnel.noun"),
    ("Prices rose 4% in March.", "4%", ClaimKind.SHARE, "kind.unit.percent"),
])
def test_kinds_kind_of_decides_with_rule(nlp, text, figure, kind, rule):
    doc = nlp(text)
    m = _mention(doc, figure)
    assert kind_of(m, doc, _sentence_of(doc, m.start)) == (kind, rule)


def test_kinds_one_of_a_set_is_no_claim(nlp):
    doc = nlp("One of the two missiles hit a school.")
    decided = [kind_of(m, doc, _sentence_of(doc, m.start))[0] for m in mentions_from_doc(doc)]
    assert all(k is None for k in decided)


# --- attribution: the sources a sentence names ------------------------------------------------------

@pytest.mark.parametrize("text,name,rule", [
    ("Sales rose 4%, the ministry said.", "the ministry", "source.verb.said"),
    ("According to the Institute for the Study of War, Russia gained 40 square kilometres.",
     "Institute for the Study of War", "source.according_to"),
    ("Doctors said 40 people were wounded.", "Doctors", "source.verb.said"),
])
def test_attribution_sources_in_sentence(nlp, text, name, rule):
    atts = attributions_in_sentence(next(nlp(text).sents))
    assert [(a.name, a.rule) for a in atts][:1] == [(name, rule)]


@pytest.mark.parametrize("text", [
    "Geolocated footage shows 12 tanks near the village.",
    "The firm did not reveal that it paid $200,000 for the office.",
])
def test_attribution_names_nobody(nlp, text):
    assert [a.name for a in attributions_in_sentence(next(nlp(text).sents)) if a.name] == []


# --- sources: the decision for one figure -------------------------------------------------------------

@pytest.mark.parametrize("text,figure,name,rule", [
    ("Output fell 0.2%, confounding economists' expectations of a 0.4% rise.", "0.4%", "economists",
     "source.owner_of_document"),
    ("Bond yields eased after the Federal Reserve's decision to lift its main rate by half a point.",
     "half a point", "Federal Reserve", "source.decider"),
    ("The mayor said 30 buses were new. Another 12 were repaired.", "12", "The mayor", "source.frame.paragraph"),
    ("The stadium holds 40,000 people.", "40,000", None, "source.none"),
])
def test_sources_decide_source(nlp, text, figure, name, rule):
    doc = nlp(text)
    records = _records(doc)
    m = _mention(doc, figure)
    si = next(i for i, r in enumerate(records) if r.start <= m.start < r.end)
    if rule == "source.frame.paragraph":
        for r in records:
            r.para = 0  # one paragraph
    source, got_rule = decide_source(doc, records, si, m.start, ClaimKind.COUNT, None)
    assert ((source.name if source else None), got_rule) == (name, rule)


# --- source_context: frames over sentences, on hand-built records -------------------------------------

def _att(name: str, text: str, cue: str = "said", type_: str | None = None) -> Attribution:
    return Attribution(name, type_, text, cue, 0, 1, rule="source.verb.said")


def test_source_context_document_frame_holds_over_paragraphs():
    survey = _att("Delta Research", "a new Delta Research survey", "finds", "pollster")
    records = [SentenceSources(0, 0, 10, [survey], figures=True),
               SentenceSources(1, 10, 20, [], figures=True),
               SentenceSources(2, 20, 30, [], figures=True)]
    assert frame_of(records, 2) == (survey, "source.frame.document")


def test_source_context_speech_ends_a_frame():
    survey = _att("Delta Research", "a new Delta Research survey", "finds", "pollster")
    records = [SentenceSources(0, 0, 10, [survey], figures=True),
               SentenceSources(1, 10, 20, [], quotes=True),
               SentenceSources(2, 20, 30, [], figures=True)]
    assert frame_of(records, 2) == (None, "source.none")


def test_source_context_person_affiliation_is_no_frame():
    person = _att("Ana Ruiz", "Ana Ruiz, an analyst at research firm Delta", type_="person")
    records = [SentenceSources(0, 0, 10, [person], figures=True), SentenceSources(1, 10, 20, [], figures=True)]
    assert frame_of(records, 1) == (None, "source.none")


def test_source_context_nearest_cue_in_sentence_wins():
    a, b = _att("Ana Ruiz", "Ana Ruiz"), _att("the ministry", "the ministry")
    a.start, a.end, b.start, b.end = 2, 4, 30, 32
    records = [SentenceSources(0, 0, 40, [a, b], figures=True)]
    assert source_of(28, records, 0)[0] is b


@pytest.mark.parametrize("text,speech", [
    ('Of 900 firms, 310 graded "Holding On" were counted.', False),
    ('"We will hold the line whatever it costs," she said.', True),
    ("It fell 3% this year, said the bank.", False),
    ('and we expect more of the same next year."', True),
])
def test_source_context_quotes_speech(nlp, text, speech):
    doc = nlp(text)
    assert quotes_speech(doc, 0, len(doc)) is speech


# --- actors and places ---------------------------------------------------------------------------------

def _actor(nlp, text: str, figure: str, kind: ClaimKind):
    doc = nlp(text)
    m = _mention(doc, figure)
    sent = _sentence_of(doc, m.start)
    return decide_actor(doc, m.start, m.end, m.noun_index, kind, sent, actor_mentions(doc), [], [], None, [],
                        None, None, [], "place.none", None)


@pytest.mark.parametrize("text,figure,kind,actor,rule", [
    ("The West has given Ukraine more than $100bn in aid.", "$100bn", ClaimKind.MONEY, None,
     "actor.none.recipient_only"),
    ("Russia has lost 750,000 troops since the invasion.", "750,000", ClaimKind.CASUALTIES, "Russia", None),
    ("Poland hosts 1 million refugees.", "1 million", ClaimKind.COUNT, "Poland", None),
    # a country named in a condition after the figure is not its actor
    ("Some 40,000 troops will stand ready in case Russia attacks.", "40,000", ClaimKind.PERSONNEL, None,
     "actor.none"),
    ("Some 40,000 troops will stand ready if China moves on the island.", "40,000", ClaimKind.PERSONNEL,
     None, "actor.none"),
    ("Some 40,000 troops will be sent by Germany in case of an attack.", "40,000", ClaimKind.PERSONNEL,
     "Germany", "actor.after_in_sentence"),
])
def test_actors_decide_actor(nlp, text, figure, kind, actor, rule):
    got, got_rule = _actor(nlp, text, figure, kind)
    assert got == actor, got_rule
    assert got_rule.startswith("actor.")
    if rule:
        assert got_rule == rule


def _places(nlp, text: str, figure: str, kind: ClaimKind):
    doc = nlp(text)
    m = _mention(doc, figure)
    sents = list(doc.sents)
    si = next(i for i, s in enumerate(sents) if s.start <= m.start < s.end)
    places, rule, _ = decide_places(doc, m.start, sents[si], si, kind, None, place_mentions(doc), sents,
                                    list(range(len(sents))), actor_mentions(doc), lambda _: [], None)
    return [p.name for p in places], rule


@pytest.mark.parametrize("text,figure,kind,first,rule", [
    ("In February, Kharkiv Oblast lost 40 percent of its power.", "40 percent", ClaimKind.SHARE,
     "Kharkiv region", None),
    ("With 80% of Russia's territory too cold to farm, most people live in the west.", "80%", ClaimKind.SHARE,
     "Russia", "place.owner_of_measured"),
    ("The Vienna-based agency said 12 inspectors were at the plant.", "12", ClaimKind.PERSONNEL, None,
     "place.none"),
])
def test_places_decide_places(nlp, text, figure, kind, first, rule):
    names, got_rule = _places(nlp, text, figure, kind)
    assert (names[0] if names else None) == first, (names, got_rule)
    assert got_rule.startswith("place.")
    if rule:
        assert got_rule == rule


def _places_of(text: str) -> list[tuple[str, list[str], str]]:
    from extraction.run.api import extract_text

    return [(c.quantity.text, [p.name for p in c.places], next(r for r in c.rules if r.startswith("place.")))
            for c in extract_text(text, path="places.txt")]


@pytest.mark.parametrize("text, figure, first, rule", [
    # the city where a meeting was held, named a paragraph before, is not where a country's figure is
    ("Finance ministers met in Tokyo on Friday to discuss exchange rates.\n\nMeanwhile the US central bank "
     "raised interest rates by half a percentage point.", "half a percentage point", "United States",
     "place.actor_country"),
    ("Ministers gathered in Brussels for the summit.\n\nGermany will spend 2% of its output on defence "
     "next year.", "2%", "Germany", "place.actor_country"),
    # a city of the actor's own country stays the place
    ("The chancellor spoke in Munich on Monday.\n\nGermany will spend 2% of its output on defence next "
     "year.", "2%", "Munich", "place.paragraph_context"),
    # land lies where the fighting is, whoever took it
    ("Ukrainian troops pushed into the Kursk region in August.\n\nUkraine said it has taken 1,100 square "
     "kilometres since then.", "1,100 square kilometres", "Kursk region", "place.paragraph_context"),
])
def test_places_actor_country_over_context(nlp, text, figure, first, rule):
    got = {q: (places, r) for q, places, r in _places_of(text)}
    places, r = got[figure]
    assert places[:1] == [first] and r == rule


@pytest.mark.parametrize("text, figure, actor, rule", [
    # a share of part of the article's country's population is that country's
    ("A youth charity found that 64% of 18 to 24 year olds have never written to their MP.", "64%",
     "United Kingdom", "actor.population_share"),
    ("The study found 30% of young women skip breakfast.", "30%", "United Kingdom", "actor.population_share"),
    # a share of something else names nobody
    ("A youth charity found that 64% of its money came from donations.", "64%", None, "actor.none"),
])
def test_actors_share_of_population_takes_theatre(nlp, text, figure, actor, rule):
    from models import Place

    doc = nlp(text)
    m = _mention(doc, figure)
    sent = _sentence_of(doc, m.start)
    theatre = [Place(name="United Kingdom", type="country", text="(article theatre)")]
    got = decide_actor(doc, m.start, m.end, m.noun_index, ClaimKind.SHARE, sent, actor_mentions(doc), [], [],
                       None, [], None, None, theatre, "place.article_theatre", None)
    assert got == (actor, rule)


@pytest.mark.parametrize("text, figure, places", [
    # a place that opens a body's name is not where the figure is
    ("Creditors agreed with the Paris Club to delay payments worth $2 billion owed by Zambia.", "$2 billion", []),
    ("Researchers at the Kyiv School of Economics put the damage at $150 billion.", "$150 billion", []),
    # the same city on its own is the place
    ("Prices in Paris rose 3% last month.", "3%", ["Paris", "France"]),
])
def test_places_body_name_is_no_place(nlp, text, figure, places):
    got = {q: p for q, p, _ in _places_of(text)}
    assert got[figure] == places
