"""Attribution: the source of a figure in every form news uses (sentences written for these tests)."""

from __future__ import annotations

import pytest

from extraction.interpret.source_context import noun_referents
from extraction.run.api import extract_text

CASES = [
    # (text, expected source name (word containment), expected words in Source.text or None)
    ("Russia has lost 2,000 tanks, according to the Institute for the Study of War.",
     "Institute for the Study of War", None),
    ("Moscow holds some 110,000 sq km of Ukraine, ISW figures showed.", "Institute for the Study of War", None),
    ("Data from the UN refugee agency shows 5.1 million refugees in Europe.", "UNHCR", None),
    ("An analysis by DeepState found that Russia took 3,900 sq km last year.", "DeepState", None),
    ("The figure of 61,000 comes from estimates published by the Ukrainian military.",
     "Armed Forces of Ukraine", None),
    ("Zelensky said 31,000 Ukrainian soldiers had been killed.", "Zelensky", None),
    ("Ukraine has lost 90 aircraft, a Western official told the BBC.", "Western official", None),
    ("Dr Anna Kowal, an analyst at the Warsaw Defence Institute, said 4,000 drones were launched.",
     "Anna Kowal", "analyst at the Warsaw Defence Institute"),
    ("Russia lost 1,100 troops in a day, the Kyiv Independent reported, citing the General Staff.",
     "General Staff", None),
    ("Drone attacks rose almost 30% in June – Ukraine's air force", "air force", None),
    ("Support for talks: 44%. Source: Kyiv International Institute of Sociology",
     "Kyiv International Institute of Sociology", None),
    ("The Royal United Services Institute studied the data. Losses were 2,000 a week, the think tank concluded.",
     "Royal United Services Institute", "think tank"),
    ("Ukraine needs another 150,000 soldiers, the secretary of the National Security and Defence Council said.",
     "National Security and Defence Council", None),
    ("Exit polls suggested that 52% of voters backed the ruling party.", "exit polls", None),
]


@pytest.mark.parametrize(("text", "name", "words"), CASES, ids=[c[0][:40] for c in CASES])
def test_attribution_finds_the_source(text, name, words):
    claims = extract_text(text)
    assert claims, text
    source = claims[0].source
    assert source is not None, text
    assert name.lower() in f"{source.name} {source.text}".lower(), source
    if words:
        assert words.lower() in source.text.lower(), source


@pytest.mark.parametrize(("text", "name"), [
    # a leader who is also a metonym of their country is a person when they speak
    ("Ukrainian President Volodymyr Zelensky said 31,000 Ukrainian soldiers had been killed.", "Volodymyr Zelensky"),
    ("Putin said 300,000 reservists would be called up.", "Putin"),
    # "estimates of X" are X's; a spaced hyphen ends the phrase
    ("About 100,000 troops are massed near the border - according to the forecasts of Western intelligence - "
     "ready to invade.", "Western intelligence"),
])
def test_attribution_names_the_source_exactly(text, name):
    (claim,) = extract_text(text)
    assert claim.source is not None and claim.source.name == name, claim.source


@pytest.mark.parametrize("text", [
    "Russia fired 40 missiles at Kyiv overnight.",
    "Kyiv expects to receive $5bn a year from the fund.",
    "The Russian army has an estimated 900,000 active-duty personnel.",  # a hedge, not a reporting verb
    "Before the war, Libya's annual output was estimated at more than $75 billion.",  # a passive verb
])
def test_attribution_names_nobody_when_the_text_cites_nobody(text):
    assert all(c.source is None for c in extract_text(text))


def test_attribution_outlet_that_only_relays_is_not_the_source():
    (claim,) = extract_text("Russia lost 900 troops, Reuters reported, citing Ukraine's General Staff.")
    assert claim.source is not None and "Reuters" not in claim.source.name


def test_attribution_noun_referents_reads_the_gazetteer():
    table = noun_referents()
    assert table["pollster"] == frozenset({"pollster"})
    assert "person" not in table["organisation"]
    assert table["report"] is None


def _claims(text, **fields):
    from extraction.run.api import extract_article
    from models import Article

    return extract_article(Article.from_text(text, path="t.txt", **fields))


def test_attribution_publisher_that_is_not_a_news_outlet_is_the_source():
    text = "About 3.2 million people remain displaced inside the country."
    (claim,) = _claims(text, url="https://www.unhcr.org/news/stories/some-report")
    assert claim.source is not None and claim.source.name == "UNHCR" and claim.source.cue == "publisher"
    (claim,) = _claims(text, url="https://www.example-news.com/world/some-report")
    assert claim.source is None


def test_attribution_credit_line_of_a_scraped_rewrite_holds_for_the_story():
    text = ("Factories in the region are cutting shifts, according\nReuters\n"
            "The region faces a budget gap of $400 million this year.")
    claims = [c for c in _claims(text) if c.quantity.value == pytest.approx(4e8)]
    assert claims and claims[0].source is not None and claims[0].source.name == "Reuters"


def test_attribution_credit_inside_a_sentence_stays_with_its_paragraph():
    text = "Grain exports fell in May, Reuters reported.\n\nThe port employs some 12,000 people."
    assert all(c.source is None for c in _claims(text))


def test_attribution_company_reporting_results_is_the_source_of_later_results():
    text = ("Gazprom reported a net profit of $3.1 billion for the year.\n\n"
            "Free cash flow reached $2.4 billion.")
    claims = [c for c in _claims(text) if c.quantity.value == pytest.approx(2.4e9)]
    assert claims and claims[0].source is not None and claims[0].source.name == "Gazprom"
    assert claims[0].actor == "Gazprom"


def test_attribution_the_company_does_not_refer_to_a_body_named_after_a_preposition():
    text = ("The group is one of the largest investors in Gazprom. "
            "The company said its own profit rose 8% in the quarter.")
    claims = _claims(text)
    assert claims and all(c.source is None or c.source.name != "Gazprom" for c in claims)
