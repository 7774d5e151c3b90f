"""Free-text questions become the same filters a user would type."""

from __future__ import annotations

import pytest

from extraction.query import parse_query
from models import ClaimKind


@pytest.mark.parametrize(("text", "expected"), [
    ("Kursk troops", {"place": "Kursk", "kinds": [ClaimKind.PERSONNEL]}),
    ("Russia territory", {"actor": "Russia", "kinds": [ClaimKind.TERRITORY]}),
    ("Britain troops Estonia", {"actor": "United Kingdom", "place": "Estonia", "kinds": [ClaimKind.PERSONNEL]}),
    ("ISW casualties", {"source": "Institute for the Study of War", "kinds": [ClaimKind.CASUALTIES]}),
    ("mobilisation waves", {"text": "mobilisation waves"}),
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
