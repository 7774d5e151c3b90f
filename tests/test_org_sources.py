"""Organisations as sources (extraction/interpret/org_sources.py), on sentences we wrote."""

from __future__ import annotations

import pytest

from extraction.interpret.org_sources import org_frame, org_mentions
from extraction.interpret.source_phrases import Attribution
from extraction.nlp.pipeline import get_nlp
from extraction.run.api import extract_text


def _orgs(text: str) -> list[tuple[str, str, str]]:
    doc = get_nlp()(text)
    return [(doc[m.start:m.end].text, m.name, m.type) for m in org_mentions(doc)]


def _sources(text: str) -> dict[str, tuple[str | None, str | None, str]]:
    """quantity text -> (source name, actor, the claim's source rule)."""
    out = {}
    for c in extract_text(text):
        rule = next(r for r in c.rules if r.startswith("source."))
        out[c.quantity.text.rstrip(".")] = (c.source.name if c.source else None, c.actor, rule)
    return out


@pytest.mark.parametrize("text,expected", [
    ("Shares in Halvard Bank fell on Tuesday.", ("Halvard Bank", "Halvard Bank", "company")),
    ("Tindale Motors said it would hire 500 staff.", ("Tindale Motors", "Tindale Motors", "company")),
    ("Shares rose after budget carrier Skyfare cut fares by 5%.", ("Skyfare", "Skyfare", "company")),
    ("Renvale, the country's biggest lender, said sales rose.", ("Renvale", "Renvale", "company")),
    ("Renvale's net profit fell 3% in the year.", ("Renvale", "Renvale", "company")),
    ("The World Widget Council (WWC) said trade grew 2%.",
     ("World Widget Council", "World Widget Council", "international_organisation")),
])
def test_org_mentions_find_named_organisations(text, expected):
    assert expected in _orgs(text)


@pytest.mark.parametrize("text", [
    "John Marsh said profits rose 3% last year. Marsh's profits were lower.",
    "It posted a loss of $30m last year.",
    "Mr Hale posted a profit of $2m on the deal.",
    "Northland's output fell 2% last year, the minister said.",
])
def test_org_mentions_leave_persons_pronouns_and_countries(text):
    names = [name for _, name, _ in _orgs(text)]
    assert not any(n in ("John Marsh", "Marsh", "It", "Hale", "Mr Hale") for n in names), names


def test_own_results_frame_the_following_paragraphs():
    text = ("Tindale Motors reported net income of $2.1bn for the year.\n\n"
            "The carmaker's turnover rose 4% to $19bn.\n\n"
            "Sales of electric models climbed 30%, while margins narrowed to 6.5%.")
    got = _sources(text)
    assert got["$2.1bn"] == ("Tindale Motors", "Tindale Motors", "source.org.own_results")
    assert got["4%"][0] == "Tindale Motors" and got["4%"][2] == "source.org.own_results"
    assert got["30%"] == ("Tindale Motors", "Tindale Motors", "source.org.frame")


def test_frame_ends_at_another_source():
    text = ("Tindale Motors reported net income of $2.1bn for the year.\n\n"
            "\"Demand will slow,\" said Ana Ruiz, an analyst at Bexley Partners, who expects prices to fall 10%.\n\n"
            "Car prices rose 2% in the region.")
    got = _sources(text)
    assert got["10%"][0] == "Ana Ruiz"
    assert got["2%"][0] != "Tindale Motors"


def test_company_anaphor_takes_the_named_company():
    got = _sources("Shares in Halvard Bank fell sharply.\n\nThe bank posted a loss of $300m in the quarter.")
    assert got["$300m"] == ("Halvard Bank", "Halvard Bank", "source.org.own_results")
    got = _sources("German airline Skyfare had a hard winter.\n\nThe company said it cut 700 jobs.")
    assert got["700"][0] == "Skyfare" and got["700"][2] == "source.org.anaphor"


def test_company_anaphor_with_no_antecedent_is_no_source():
    got = _sources("The company said profits rose 12% to $50m.")
    assert got["12%"] == (None, None, "source.none")


def test_agency_report_frames_its_figures():
    text = ("The World Widget Council (WWC) said in its annual report that widget output rose 3.2% last year.\n\n"
            "Exports reached 40 million units, a record.")
    got = _sources(text)
    assert got["3.2%"][0] == "World Widget Council" and got["3.2%"][2] == "source.org.report"
    assert got["40 million"][0] == "World Widget Council" and got["40 million"][2] == "source.org.frame"


def test_spokesperson_pronoun_speaks_for_the_organisation():
    text = ("The UN spokesperson said on Monday that 1.2 million people had fled their homes.\n\n"
            "He added that 300,000 of them were children.")
    got = _sources(text)
    assert got["300,000"][0] == "United Nations" and got["300,000"][2] == "source.org.spokesperson"


def test_org_frame_reads_the_rule():
    att = Attribution("X", "company", "X", "reported", 0, 1, rule="source.org.own_results")
    assert org_frame(att)
    att.rule = "source.verb.said"
    assert not org_frame(att)


def test_described_company_anaphor_and_central_bank():
    got = _sources("Shares in Tindale Doughnuts rose.\n\nThe global snack giant said it posted a profit of $26m.")
    assert got["$26m"][0] == "Tindale Doughnuts"
    got = _sources("Shares in Halvard Bank rose.\n\nThe central bank said it would lend $5bn to the banks.")
    assert got["$5bn"][0] != "Halvard Bank"


def test_long_appositive_names_a_company():
    assert ("Brakstad", "Brakstad", "company") in _orgs(
        "Brakstad, the world's fifth-largest brewer, saw annual profits fall to $300m.")


def test_title_fragment_takes_the_full_name():
    got = _sources("Sir Colin Marsh, chairman of Halvard Bank, said it would cut 2,000 jobs.\n\n"
                   "Sir Colin said costs rose 12% last year.")
    assert got["12%"][0] == "Colin Marsh"


def test_sentence_opener_is_no_company():
    got = _sources("According to the company, sales rose 5% to $3bn.")
    assert got["5%"] == (None, None, "source.none")


def test_company_named_in_apposition_after_the_noun():
    got = _sources("The firm, Brakstad, said it hoped to sell 5 million shares.")
    assert got["5 million"][0] == "Brakstad"
