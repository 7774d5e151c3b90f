"""One actor, many names: canonical names and stable ids for actors and places, in extraction,
the gazetteers and queries."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pycountry
import pytest
from store_fixtures import make_article, make_claim

from extraction.cli.query import parse_query
from extraction.interpret.canonical import canonical_actor, canonical_claim, place_with_id, resolve, slug
from extraction.lexicon.lexicons import DATA
from models import Place
from models.store import ClaimStore

GAZ = DATA / "gazetteers"


def _rows(name: str) -> list[dict[str, str]]:
    with open(GAZ / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize(("spelling", "name", "id_"), [
    ("US", "United States", "US"),
    ("U.S.", "United States", "US"),
    ("USA", "United States", "US"),
    ("U.S.A.", "United States", "US"),
    ("America", "United States", "US"),
    ("United States of America", "United States", "US"),
    ("the United States", "United States", "US"),
    ("the U.S.", "United States", "US"),
    ("united states", "United States", "US"),
    ("UK", "United Kingdom", "GB"),
    ("U.K.", "United Kingdom", "GB"),
    ("Britain", "United Kingdom", "GB"),
    ("Great Britain", "United Kingdom", "GB"),
    ("EU", "European Union", "org:eu"),
    ("E.U.", "European Union", "org:eu"),
    ("the European Union", "European Union", "org:eu"),
    ("Russian Federation", "Russia", "RU"),
    ("Russia", "Russia", "RU"),
    ("Nato", "NATO", "org:nato"),
    ("North Atlantic Treaty Organization", "NATO", "org:nato"),
    ("Stany Zjednoczone", "United States", "US"),  # a country form only the places table spells
    ("Microsoft", "Microsoft", "org:microsoft"),  # a company, from the sources table
])
def test_canonical_actor_aliases_resolve_to_one_id(spelling, name, id_):
    assert canonical_actor(spelling) == (name, id_)


@pytest.mark.parametrize(("spelling", "name", "id_"), [
    ("US", "United States", "US"),
    ("the U.S.", "United States", "US"),
    ("Kharkov", "Kharkiv", "place:ua:kharkiv"),
    ("Kharkiv Oblast", "Kharkiv region", "UA-63"),
    ("Kharkivska oblast", "Kharkiv region", "UA-63"),
    ("Kursk Oblast", "Kursk region", "RU-KRS"),
    ("Kursk", "Kursk", "place:ru:kursk"),
    ("Crimean peninsula", "Crimea", "UA-43"),
    ("Kiev", "Kyiv", "place:ua:kyiv"),
    ("Black Sea", "Black Sea", "place:black-sea"),
])
def test_canonical_place_aliases_resolve_to_one_id(spelling, name, id_):
    entry = resolve("place", spelling)
    assert entry is not None and (entry.name, entry.id) == (name, id_)


def test_canonical_unknown_names_stay_without_id():
    assert canonical_actor("private creditors") == ("private creditors", None)
    assert canonical_actor(None) == (None, None)
    assert resolve("place", "Atlantis") is None
    assert place_with_id(Place(name="Atlantis", type="city")) == Place(name="Atlantis", type="city")


def test_canonical_claim_adds_ids_only():
    """Names stay as the article wrote them; the ids make them one actor and one place."""
    article = make_article("a.txt", ["The U.S. will send 3,000 troops to the EU."])
    claim = make_claim(article, "3,000", "personnel", 3000, "count", actor="U.S.",
                       places=[Place(name="EU", type="organisation_area", text="the EU")])
    out = canonical_claim(claim)
    assert (out.actor, out.actor_id) == ("U.S.", "US")
    assert canonical_actor(out.actor) == ("United States", "US")
    assert out.places == [Place(name="EU", id="place:european-union", type="organisation_area", text="the EU")]
    assert out.model_dump(exclude={"actor", "actor_id", "places"}) == \
        claim.model_dump(exclude={"actor", "actor_id", "places"})


def test_slug():
    assert slug("People’s Defence Force") == "peoples-defence-force"
    assert slug("OPEC+") == "opec-plus"
    assert slug("Zürich") == "zurich"


# -- the gazetteers' id column --------------------------------------------------------------

def test_gazetteer_ids_are_unique_and_well_formed():
    for name in ("places.tsv", "actors.tsv"):
        rows = _rows(name)
        ids = [r["id"] for r in rows]
        assert all(ids) and len(set(ids)) == len(ids), name
        for r in rows:
            assert re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?|org:[a-z0-9-]+|place:([a-z]{2}:)?[a-z0-9-]+", r["id"]), r


def test_gazetteer_country_ids_are_iso_3166_1():
    by_name = {}
    for name in ("places.tsv", "actors.tsv"):
        for r in _rows(name):
            if r["type"] != "country":
                continue
            code = r["id"]
            if code == "XK":  # Kosovo: the user-assigned code the EU, IMF and CLDR use
                pass
            elif code == "SU":  # the Soviet Union: ISO 3166-3, a former code
                assert pycountry.historic_countries.get(alpha_2="SU") is not None
            else:
                assert pycountry.countries.get(alpha_2=code) is not None, r["name"]
            assert by_name.setdefault(r["name"], code) == code, r["name"]  # same id in both files


def test_gazetteer_place_ids_agree_with_their_country():
    rows = _rows("places.tsv")
    country_id = {r["name"]: r["id"] for r in rows if r["type"] == "country"}
    for r in rows:
        code, cc = r["id"], country_id.get(r["country"], "")
        if r["type"] == "country" or code.startswith("place:") and ":" not in code[6:]:
            continue
        if code.startswith("place:"):
            assert code.split(":")[1] == cc.lower(), r
        elif "-" in code:  # an ISO 3166-2 subdivision of the row's own country
            sub = pycountry.subdivisions.get(code=code)
            assert sub is not None and sub.country_code == cc, r
        else:  # a territory with its own ISO 3166-1 code
            assert pycountry.countries.get(alpha_2=code) is not None, r


def test_gazetteer_non_country_actor_ids_are_org_slugs():
    for r in _rows("actors.tsv"):
        assert (r["type"] == "country") != r["id"].startswith("org:"), r


# -- queries ---------------------------------------------------------------------------------

US_SPELLINGS = ["US", "U.S.", "USA", "America", "United States", "the United States", "United States of America"]


@pytest.fixture
def alias_store(tmp_path: Path):
    """Claims about the US written under five names, as an older extractor stored them (no
    ids) and as this one does, plus claims about Russia and the Russian Volunteer Corps."""
    sentences = ["Officials said 100 US troops arrived.", "Some 200 U.S. troops left.",
                 "America sent 300 troops.", "The United States sent 400 troops.",
                 "Washington sent 500 troops.", "Russia lost 600 troops.", "The group had 700 fighters.",
                 "Britain sent 800 troops to Estonia.", "Some 900 people marched in London."]
    article = make_article("a.txt", sentences)
    old = [make_claim(article, "100", "personnel", 100, "count", actor="US",
                      places=[Place(name="United States", type="country", text="US")]),
           make_claim(article, "200", "personnel", 200, "count", actor="U.S."),
           make_claim(article, "300", "personnel", 300, "count", actor="America"),
           make_claim(article, "600", "personnel", 600, "count", actor="Russia"),
           make_claim(article, "700", "personnel", 700, "count", actor="Russian Volunteer Corps"),
           make_claim(article, "800", "personnel", 800, "count", actor="Britain",
                      places=[Place(name="Estonia", type="country", text="Estonia")]),
           make_claim(article, "900", "count", 900, "count", places=[Place(name="London", type="city", text="London")])]
    new = [canonical_claim(make_claim(article, "400", "personnel", 400, "count", actor="United States",
                                      places=[Place(name="US", type="country", text="the United States")])),
           canonical_claim(make_claim(article, "500", "personnel", 500, "count", actor="Washington"))]
    with ClaimStore(tmp_path / "c.db") as store:
        store.add(article, old + new)
        yield store


def _values(store: ClaimStore, text: str = "", **filters) -> set[float]:
    return {c.quantity.value for c in store.query(parse_query(text, **filters))}


@pytest.mark.parametrize("spelling", US_SPELLINGS)
def test_query_actor_any_spelling_finds_every_name_it_was_stored_under(alias_store, spelling):
    assert _values(alias_store, actor=spelling) == {100, 200, 300, 400, 500}


@pytest.mark.parametrize("spelling", US_SPELLINGS)
def test_query_free_text_actor_any_spelling(alias_store, spelling):
    assert _values(alias_store, f"{spelling} troops") == {100, 200, 300, 400, 500}


@pytest.mark.parametrize("spelling", ["US", "U.S.", "the United States", "America"])
def test_query_place_any_spelling(alias_store, spelling):
    assert _values(alias_store, place=spelling) == {100, 400}


def test_query_known_actor_is_not_a_substring(alias_store):
    assert _values(alias_store, actor="Russia") == {600}  # not the Russian Volunteer Corps
    assert _values(alias_store, actor="Russian Federation") == {600}
    assert _values(alias_store, actor="UK") == _values(alias_store, actor="Britain") == {800}
    assert _values(alias_store, actor="Volunteer") == {700}  # an unknown name is still a substring


def test_query_place_is_not_an_actor_metonym(alias_store):
    assert _values(alias_store, place="UK") == set()  # "London" names the UK as an actor, not as a place
    assert _values(alias_store, place="London") == {900}


def test_query_filter_carries_ids_and_exact_names():
    flt = parse_query("U.S. troops in the Kharkov region")
    assert (flt.actor, flt.ids["actor"]) == ("United States", "US")
    assert "u.s." in flt.exact["actor"] and "us" in flt.exact["actor"]
    assert parse_query("", place="Kharkiv Oblast").ids == {"place": "UA-63"}


# -- over the seeds --------------------------------------------------------------------------

def test_canonical_seeds_claims_carry_canonical_names_and_ids(seeds_dir):
    from extraction.readers.ingest import iter_inputs
    from extraction.run.api import extract_articles
    from models import Article

    articles = [a for a in iter_inputs([str(seeds_dir)]) if isinstance(a, Article)]
    claims = [c for _, cs in extract_articles(articles) for c in cs]
    assert len(claims) > 20
    actors = {c.actor for c in claims if c.actor}
    assert {"Russia", "Ukraine"} <= actors
    for c in claims:
        if c.actor is not None:
            assert canonical_actor(c.actor) == (c.actor, c.actor_id), c.actor
            assert c.actor_id is not None, c.actor
        for p in c.places:
            entry = resolve("place", p.name)
            assert entry is not None and (entry.name, entry.id) == (p.name, p.id), p
