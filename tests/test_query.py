"""Free-text questions become the same filters a user would type."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.cli.query import parse_query, stem, suggest
from models import ClaimKind


@pytest.mark.parametrize(("text", "expected"), [
    ("Kursk troops", {"place": "Kursk", "kinds": [ClaimKind.PERSONNEL]}),
    ("Russia territory", {"actor": "Russia", "kinds": [ClaimKind.TERRITORY]}),
    ("Britain troops Estonia", {"actor": "United Kingdom", "place": "Estonia", "kinds": [ClaimKind.PERSONNEL]}),
    ("ISW casualties", {"source": "Institute for the Study of War", "kinds": [ClaimKind.CASUALTIES]}),
    ("mobilisation waves", {"text": "mobilisation* wave*"}),
    ("ISW territory 2024", {"source": "Institute for the Study of War", "kinds": [ClaimKind.TERRITORY],
                            "period_start": date(2024, 1, 1), "period_end": date(2024, 12, 31)}),
    ("Kursk troops August 2024", {"place": "Kursk", "kinds": [ClaimKind.PERSONNEL],
                                  "period_start": date(2024, 8, 1), "period_end": date(2024, 8, 31)}),
    ("casualties 2024-02-29", {"kinds": [ClaimKind.CASUALTIES], "period_start": date(2024, 2, 29),
                               "period_end": date(2024, 2, 29)}),
    ("Bakhmut 2022 2023 losses", {"place": "Bakhmut", "kinds": [ClaimKind.CASUALTIES],
                                  "period_start": date(2022, 1, 1), "period_end": date(2023, 12, 31)}),
    ("Ukraine's General Staff", {"source": "General Staff of the Armed Forces of Ukraine"}),
    ("Russia’s General Staff", {"source": "General Staff of the Armed Forces of Russia"}),
    ("Ukraine General Staff troops", {"source": "General Staff of the Armed Forces of Ukraine",
                                      "kinds": [ClaimKind.PERSONNEL]}),
    ("Kyiv General Staff", {"source": "General Staff of the Armed Forces of Ukraine"}),
    ("Russia defence ministry", {"source": "Ministry of Defence of the Russian Federation"}),
    ("Ukrainian defence ministry", {"source": "Ministry of Defence of Ukraine"}),
])
def test_query_parse_free_text(text, expected):
    flt = parse_query(text)
    got = flt.model_dump(exclude_defaults=True, exclude={"aliases", "ids", "exact"})
    assert got == expected


def test_query_explicit_filters_win_and_expand_aliases():
    flt = parse_query("Kursk troops", kinds=[ClaimKind.CASUALTIES], source="ISW")
    assert flt.kinds == [ClaimKind.CASUALTIES] and flt.place == "Kursk"
    assert flt.source == "Institute for the Study of War"
    assert not any(len(a) < 4 for a in flt.aliases["source"])  # "US" must not match inside "Russia"


def test_query_actor_aliases_include_country_names():
    flt = parse_query("", actor="UK")
    assert flt.actor == "United Kingdom" and "Britain" in flt.aliases["actor"]


def test_query_aliases_find_claims_stored_under_another_name(tmp_path):
    from store_fixtures import make_article, make_claim

    from models import Source
    from models.store import ClaimStore

    article = make_article("a.txt", ["Britain will send 1,000 troops, ISW figures showed."])
    claim = make_claim(article, "1,000", "personnel", 1000, "count", actor="Britain",
                       source=Source(name="Institute for the Study of War", text="ISW figures"))
    with ClaimStore(tmp_path / "c.db") as store:
        store.add(article, [claim])
        assert [c.id for c in store.query(parse_query("", actor="UK"))] == [claim.id]
        assert [c.id for c in store.query(parse_query("", actor="Russia"))] == []
        assert [c.id for c in store.query(parse_query("ISW troops"))] == [claim.id]


@pytest.mark.parametrize(("one", "other"), [
    ("drone", "drones"), ("casualty", "casualties"), ("attacked", "attacks"), ("advancing", "advance"),
    ("strike", "strikes"),
])
def test_query_inflections_share_a_stem(one, other):
    assert stem(one) == stem(other) and one.lower().startswith(stem(one))
    assert parse_query(f"Kursk {one}") == parse_query(f"Kursk {other}")


@pytest.mark.parametrize(("text", "expected"), [
    ("Kursk troups", "Kursk troops"),
    ("Kurks troops", "Kursk troops"),
    ("ISW teritory", "ISW territory"),
    ("Kursk troops", None),
    ("2024 ISW", None),
])
def test_query_suggest_did_you_mean(text, expected):
    assert suggest(text) == expected


def test_query_suggest_leaves_words_the_corpus_uses():
    assert suggest("mobilisation waves", is_known=lambda w: True) is None


def _store_with(tmp_path, rows):
    """A store of one article per (sentence, claim arguments)."""
    from store_fixtures import make_article, make_claim

    from models.store import ClaimStore

    store = ClaimStore(tmp_path / "q.db")
    ids = []
    for i, (sentence, args, kwargs) in enumerate(rows):
        article = make_article(f"a{i}.txt", [sentence], published=kwargs.pop("published", None))
        claim = make_claim(article, *args, **kwargs)
        store.add(article, [claim])
        ids.append(claim.id)
    return store, ids


def test_query_country_source_does_not_match_another_country(tmp_path):
    from models import Source

    ua = Source(name="General Staff of the Armed Forces of Ukraine", text="Ukraine's General Staff")
    ru = Source(name="General Staff of the Armed Forces of Russia", text="Russia's General Staff")
    store, (ua_id, ru_id) = _store_with(tmp_path, [
        ("Ukraine's General Staff said 900 soldiers were lost.", ("900", "casualties", 900, "count"), {"source": ua}),
        ("Russia's General Staff said 700 soldiers were lost.", ("700", "casualties", 700, "count"), {"source": ru}),
    ])
    with store:
        assert [c.id for c in store.query(parse_query("Ukraine's General Staff"))] == [ua_id]
        assert [c.id for c in store.query(parse_query("Russia's General Staff casualties"))] == [ru_id]


def test_query_year_filters_by_period_else_publication(tmp_path):
    store, (old, new) = _store_with(tmp_path, [
        ("The army lost 400 tanks.", ("400", "equipment", 400, "count"), {"published": date(2023, 5, 1)}),
        ("The army lost 500 tanks.", ("500", "equipment", 500, "count"), {"published": date(2024, 5, 1)}),
    ])
    with store:
        assert [c.id for c in store.query(parse_query("tanks 2024"))] == [new]
        assert [c.id for c in store.query(parse_query("tanks 2023"))] == [old]
        assert [c.id for c in store.query(parse_query("tanks"))] == [old, new]


def test_query_pages_with_limit_and_offset(tmp_path):
    store, ids = _store_with(tmp_path, [
        (f"The army lost {n} tanks.", (str(n), "equipment", n, "count"), {"published": date(2024, 1, n)})
        for n in range(1, 6)
    ])
    with store:
        pages = [[c.id for c in store.query(parse_query("tanks", limit=2, offset=o))] for o in (0, 2, 4)]
    assert pages == [ids[0:2], ids[2:4], ids[4:5]]
