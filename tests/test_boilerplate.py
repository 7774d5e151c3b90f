"""strip_boilerplate: page furniture goes, article paragraphs stay. All texts written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.readers.boilerplate import strip_boilerplate

PARAGRAPH_1 = "The regional governor said 14 people were wounded when drones hit a depot on Tuesday night."
PARAGRAPH_2 = "Officials estimated the damage at about $2 million, adding that repairs would take weeks."

FURNITURE = {
    "menu": "Home\nNews\nWorld\nBusiness\nSport\nWeather\nSearch\nMenu",
    "menu_with_blank_lines": "Home\n\nNews\n\nWorld\n\nCulture",
    "menu_on_one_line": "Home | World | Business | Sport | Opinion",
    "share_bar": "Share this article\nFacebook\nTwitter\nWhatsApp\nEmail\nCopy article link",
    "cookie_banner": "We use cookies to improve your experience on our site. By continuing you accept them.",
    "newsletter": "Sign up for our morning newsletter and get the headlines in your inbox",
    "read_more": "Read more: Talks stall over grain corridor",
    "related_list": "Related stories\nGrain deal collapses\nMinister resigns over port\nMarkets slide",
    "markdown_links": "## Links\n\n- [World](https://news.example/world)\n- [Sport](https://news.example/sport)",
    "bare_links": "https://news.example/world/2024/05/01/some-story-slug",
    "copyright": "© 2026 Example Media Group. All rights reserved.",
    "separator": "* * *",
    "advert": "ADVERTISEMENT",
    "related_with_bylines": (
        "Author\nJane Roe\nCategory\nLatest news\nPort Reopens After Storm Damage Repaired\nMay 2, 2026 10:14"
    ),
}


PLACEMENTS = {
    "top": ("{f}\n\n{p1}\n\n{p2}", "{p1}\n\n{p2}"),
    "middle": ("{p1}\n\n{f}\n\n{p2}", "{p1}\n\n{p2}"),
    "bottom": ("{p1}\n{p2}\n{f}", "{p1}\n{p2}"),
}


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_boilerplate_removes_furniture(name: str, placement: str) -> None:
    template, expected = PLACEMENTS[placement]
    text = template.format(f=FURNITURE[name], p1=PARAGRAPH_1, p2=PARAGRAPH_2)
    assert strip_boilerplate(text) == expected.format(p1=PARAGRAPH_1, p2=PARAGRAPH_2)


KEPT = {
    "paragraphs": f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}",
    "subheading": f"{PARAGRAPH_1}\n\nDamage assessment\n\n{PARAGRAPH_2}",
    "two_subheadings": f"Background\n{PARAGRAPH_1}\nWhat comes next\n{PARAGRAPH_2}",
    "bulleted_figures": (
        "The budget includes:\n- Spending on schools raised to 71bn rupees\n"
        "- Spending on clinics raised to 12bn rupees"
        "\n- A tax threshold raised to 100,000 rupees\n- Fuel duty frozen for the rest of the year"
    ),
    "sentences_without_full_stops": (
        "The day began with explosions at the air base in the west of the peninsula\n"
        "The regional leader said that for his people there could only be victory\n"
        "An adviser claimed the other side was trying to freeze the fighting for now\n"
        "Rescue teams were still working at the site late in the evening"
    ),
    "short_sentences": "Then about the economy.\nPrices rose.\nWages did not.\nThe minister is worried.",
    "long_unpunctuated_line": (
        "Some scraped paragraphs lose their final punctuation but are still long running prose with many "
        "words "
        "that describe what happened in the town on the night of the attack"
    ),
    "quote_ending": f"{PARAGRAPH_1}\n“We will rebuild,” the mayor said.\n{PARAGRAPH_2}",
}


@pytest.mark.parametrize("name", sorted(KEPT))
def test_boilerplate_keeps_article_text(name: str) -> None:
    assert strip_boilerplate(KEPT[name]) == KEPT[name]


def test_boilerplate_returns_clean_text_unchanged() -> None:
    text = f"  {PARAGRAPH_1}\n\n\n{PARAGRAPH_2}\n"
    assert strip_boilerplate(text) is text


def test_boilerplate_drops_short_prompt_stranded_between_furniture() -> None:
    text = (
        f"{PARAGRAPH_1}\nNewsletter\nSubscribe\nAccount\nThank you for subscribing!\nPrivacy\nTerms\nContact"
    )
    assert strip_boilerplate(text) == PARAGRAPH_1


def test_boilerplate_keeps_figures_stranded_between_furniture() -> None:
    text = f"{PARAGRAPH_1}\nHome\nWorld\nSport\n5 killed.\nShare\nEmail\nPrint"
    assert strip_boilerplate(text) == f"{PARAGRAPH_1}\n5 killed."


def test_boilerplate_mostly_furniture_page() -> None:
    page = "\n".join(
        [
            "Skip to main content",
            *FURNITURE["menu"].split("\n"),
            PARAGRAPH_1,
            PARAGRAPH_2,
            *FURNITURE["share_bar"].split("\n"),
            FURNITURE["copyright"],
        ]
    )
    assert strip_boilerplate(page) == f"{PARAGRAPH_1}\n{PARAGRAPH_2}"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                PARAGRAPH_1,
                PARAGRAPH_2,
                "",
                "Home",
                "Share",
                "News",
                "© 2026 X",
                "Read more",
                "- item with a few words here",
                "Title Case Heading",
            ]
        ),
        max_size=30,
    )
)
def test_boilerplate_output_lines_are_input_lines_in_order(lines: list[str]) -> None:
    output = strip_boilerplate("\n".join(lines))
    remaining = iter(lines)
    assert all(any(line == candidate for candidate in remaining) for line in output.split("\n") if line)
    if PARAGRAPH_1 in lines:
        assert PARAGRAPH_1 in output
