"""Assembly: kinds, actors and places that follow the sentence, not the nearest name."""

from __future__ import annotations

import pytest

from extraction.run.api import extract_text

ACTORS = [
    # (text, value, actor)
    ("Russia attacked Ukraine with 28 drones overnight, the air force said.", 28.0, "Russia"),
    ("Ukrainian forces destroyed 9 Russian tanks near the town.", 9.0, "Russia"),
    ("Russia launched a wave of drones overnight. The army said it downed 35 drones.", 35.0, "Russia"),
    ("In a village in the Sumy region, three civilians were killed by Russian shelling.", 3.0, "Ukraine"),
    ("Russia has lost around 600,000 troops killed or wounded, Kyiv says.", 600000.0, "Russia"),
    ("Ukrainian sea drones have damaged about a third of Russia's Black Sea Fleet.", 100 / 3, "Russia"),
    ("Close to 55 percent of Ukrainians say they trust the army, a survey found.", 55.0, "Ukraine"),
    ("Russia now holds about a fifth of Ukraine.", 20.0, "Russia"),
    ("Bern has frozen 6.1 billion Swiss francs of Russian assets.", 6.1e9, "Russia"),
    ("The EU has adopted 15 packages of sanctions against Russia.", 15.0, "EU"),
    ("Russian forces pressed on. Russia denies it. Ukraine says 14 missiles were fired at the Kharkiv region.",
     14.0, "Russia"),
    ("Britain will send an extra 800 UK-based troops to Estonia.", 800.0, "Britain"),
    ("Nato will put about 250,000 troops on high readiness.", 250000.0, "NATO"),
    ("Joe Biden, the US president, announced the stationing of 2,000 troops in Romania.", 2000.0, "US"),
]


@pytest.mark.parametrize(("text", "value", "actor"), ACTORS, ids=[a[0][:40] for a in ACTORS])
def test_assemble_actor_follows_the_sentence(text, value, actor):
    claims = [c for c in extract_text(text) if c.quantity.value == pytest.approx(value)]
    assert claims, text
    assert claims[0].actor == actor


PLACES = [
    ("In a village in the Sumy region, two civilians were killed by shelling.", "Sumy region"),
    ("Russian glide bombs struck Zaporizhzhia. Hospitals in the city treated 21 wounded.", "Zaporizhzhia"),
    ("Over 60% of Russians back the operation, according to the pollster VTsIOM.", "Russia"),
    ("Poland hosts just under 900,000 Ukrainian refugees, UNHCR data shows.", "Poland"),
    ("Ukraine's economy grew 4.1% last year, the statistics service said.", "Ukraine"),
    ("A Kyiv apartment block was hit, wounding 12 people.", "Kyiv"),
    ("In the Sumy region, factories are closing. Sumy region officials are worried.\n\n"
     "Businesses are owed over $200 million in unpaid bills.", "Sumy region"),
]


@pytest.mark.parametrize(("text", "place"), PLACES, ids=[p[0][:40] for p in PLACES])
def test_assemble_place_is_the_most_specific(text, place):
    (claim,) = extract_text(text)
    assert claim.places and claim.places[0].name == place


def test_assemble_elided_noun_is_taken_from_before():
    claims = extract_text("The ministry said it had received the first armoured vehicles. "
                          "The ministry also said 20 more would arrive this year.")
    assert [(c.kind.value, c.quantity.value) for c in claims] == [("equipment", 20.0)]


def test_assemble_figure_without_a_place_takes_the_country_the_article_is_about():
    # the country is named as a holder ("UK mobile owners"), never "in the UK", and only once
    text = ("UK mobile owners sent 26 billion texts last year, industry figures show.\n\n"
            "Every day 78 million messages are sent, and the total is set to reach 30 billion this year.")
    claims = {c.quantity.value: c for c in extract_text(text)}
    assert [p.name for p in claims[78_000_000].places] == ["United Kingdom"]
    assert [p.name for p in claims[30_000_000_000].places] == ["United Kingdom"]


def test_assemble_article_place_must_dominate():
    # the last country named is named once, and the two named most are named as often as each
    # other: no article-level place for a figure with none
    text = ("Japan and China signed a trade pact. Japan's exports and China's imports both rose, "
            "and South Korea watched.\n\nEvery day 78 million messages are sent.")
    (claim,) = [c for c in extract_text(text) if c.quantity.value == 78_000_000]
    assert claim.places == []


def test_assemble_article_place_puts_first_the_region_the_article_keeps_coming_back_to():
    # an article about Russia that names the Samara region three times, two paragraphs back:
    # the region comes first, then the country
    text = ("Russia's economy is under pressure from sanctions on Russia. In the Samara region, factories are "
            "struggling.\n\nThe Samara region expects a deficit, officials in Samara said, as the war in Ukraine "
            "drags on. Ukraine has hit Russia's refineries.\n\nInvestment has dropped sharply.\n\n"
            "This has left local firms with $1.3 billion in unpaid bills.")
    (claim,) = [c for c in extract_text(text) if c.quantity.value == 1.3e9]
    names = [p.name for p in claim.places]
    # the city and its region count as one place
    assert names[0] in ("Samara", "Samara region") and names[1:] == ["Russia"], names
