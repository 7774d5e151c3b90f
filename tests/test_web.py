"""The served pages through Starlette's test client: content, downloads, escaping, read-only."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import warnings

import pytest

with warnings.catch_warnings():  # starlette asks for httpx2; the httpx client works the same here
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from extraction.web.app import create_app
from extraction.web.chart import nice_step
from extraction.web.views import figure, segments


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(web_db))


def _kursk(client, fmt: str = "json", **extra):
    return client.get(f"/search.{fmt}", params={"q": "Kursk troops", **extra})


def test_web_search_groups_kursk_troops(client):
    data = _kursk(client).json()
    figures = {g["figure"]: g for g in data["groups"]}
    assert set(figures) == {"about 50,000", "about 59,000", "about 11,000"}
    assert figures["about 59,000"]["sources"] == "General Staff of the Armed Forces of Ukraine"
    assert figures["about 11,000"]["actor"] == "North Korea"
    assert figures["about 50,000"]["mentions"] == 3 and figures["about 50,000"]["independent_sources"] == 2
    assert data["filter"]["place"] == "Kursk" and data["filter"]["kinds"] == ["personnel"]
    pair = {c["sides"][0]["figure"] for c in data["conflicts"]} | {c["sides"][1]["figure"] for c in data["conflicts"]}
    assert {"about 59,000", "about 50,000"} <= pair


def test_web_csv_and_json_hold_what_the_page_shows(client):
    page = _kursk(client, "html").text
    rows = list(csv.DictReader(io.StringIO(_kursk(client, "csv").text)))
    groups = _kursk(client).json()["groups"]
    assert [r["group"] for r in rows] == [g["group"] for g in groups]
    for row in rows:
        assert f'id="{row["group"]}"' in page and row["figure"] in page


def test_web_facet_narrows_and_its_url_is_shareable(client):
    html = _kursk(client, "html").text
    assert "/search?q=Kursk+troops&amp;actor=North+Korea" in html
    data = _kursk(client, actor="North Korea").json()
    assert [g["figure"] for g in data["groups"]] == ["about 11,000"]
    assert data["filter"]["actor"] == "North Korea"


def test_web_paging_limits_groups(client, monkeypatch):
    import extraction.web.app as web_app

    monkeypatch.setattr(web_app, "PER_PAGE", 2)
    first, second = _kursk(client).json(), _kursk(client, page="2").json()
    assert first["pages"] == 2 and len(first["groups"]) == 2 and len(second["groups"]) == 1
    assert not {g["group"] for g in first["groups"]} & {g["group"] for g in second["groups"]}


def test_web_empty_query_lists_nothing(client):
    assert client.get("/search.json", params={"q": ""}).status_code == 400
    html = client.get("/search", params={"q": ""}).text
    assert "an empty search lists nothing" in html and 'class="group"' not in html


def test_web_misspelling_gets_did_you_mean(client):
    html = client.get("/search", params={"q": "Kursk troups"}).text
    assert "Did you mean" in html and "Kursk troops" in html


def test_web_front_page_says_what_the_store_holds(client):
    overview = client.get("/index.json").json()
    assert overview["articles"] == 6 and overview["corpus_current"] is True
    html = client.get("/").text
    assert "Kursk troops" in html and f"<b>{overview['claims']}</b> claims" in html and "current" in html


def test_web_claim_page_shows_paragraph_rules_appearances_group(client):
    data = _kursk(client).json()
    g = next(g for g in data["groups"] if g["figure"] == "about 50,000")
    claim = g["claims"][0]
    html = client.get(f"/claim/{claim['id']}").text
    assert '<mark class="fig current"><a href="/claim/' + claim["id"] + '">50,000</a></mark>' in html
    assert all(rule in html for rule in claim["rules"])
    assert claim["evidence"]["path"] in html          # its appearance
    twin = client.get(f"/claim/{claim['id']}.json").json()
    assert len(twin["group"]["claim_ids"]) == 3 and twin["appearances"][0]["path"] == claim["evidence"]["path"]


def test_web_article_page_escapes_markup(client):
    data = client.get("/search.json", params={"q": "evacuated"}).json()
    doc_id = data["groups"][0]["claims"][0]["evidence"]["doc_id"]
    html = client.get(f"/article/{doc_id}").text
    assert "<script>document" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.body.setAttribute" in html and "&lt;img src=x onerror" in html
    claim_id = data["groups"][0]["claims"][0]["id"]
    assert f'<mark class="fig"><a href="/claim/{claim_id}">' in html


def test_web_unknown_claim_article_and_format_are_404(client):
    assert client.get("/claim/nope").status_code == 404
    assert client.get("/article/nope").status_code == 404
    assert client.get("/search.xml", params={"q": "Kursk"}).status_code == 404
    assert client.get("/conflicts.csv").status_code == 404


def test_web_never_writes_the_store(web_db, client):
    before = hashlib.sha256(web_db.read_bytes()).hexdigest()
    for url in ("/", "/search?q=Kursk+troops", "/conflicts", "/search.csv?q=ISW"):
        assert client.get(url).status_code == 200
    assert hashlib.sha256(web_db.read_bytes()).hexdigest() == before


def test_web_reader_refuses_writes(web_db):
    import sqlite3

    from extraction.web.reader import StoreReader

    with StoreReader(web_db) as reader, pytest.raises(sqlite3.OperationalError):
        reader._store.con.execute("DELETE FROM claims")


@pytest.mark.parametrize(("quantity", "expected"), [
    ({"value": 59000, "unit": "count", "hedge": "approximately"}, "about 59,000"),
    ({"value": 1200.5, "unit": "km2", "hedge": "at_least"}, "at least 1,200.5 km²"),
    ({"low": 20, "high": 30, "value": None, "unit": "percent", "hedge": "range"}, "20–30%"),
])
def test_web_figure_reads_like_a_reporter(quantity, expected):
    assert figure(quantity) == expected


def test_web_segments_mark_spans_without_html():
    assert segments("<b>500</b> tanks", [(3, 6, "c")]) == [("<b>", None), ("500", "c"), ("</b> tanks", None)]


def test_web_nice_step():
    assert (nice_step(16960), nice_step(0.3), nice_step(1.0)) == (20000.0, 0.5, 1.0)


def test_cli_serve_missing_store_exits_3(tmp_path):
    from typer.testing import CliRunner

    from extraction.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 3 and "no claim store" in result.output and "Traceback" not in result.output


def test_cli_serve_taken_port_exits_3(web_db):
    import socket

    from typer.testing import CliRunner

    from extraction.cli import app

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--db", str(web_db), "--port", str(port)])
    assert result.exit_code == 3 and f"cannot serve on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_web_appearances_lists_every_outlet_that_printed_the_text(tmp_path):
    """The same text from two outlets (issue 11): the claim page lists both appearances."""
    from extraction.run.runner import ingest
    from extraction.web.reader import StoreReader
    from models import ClaimFilter

    text = "Some 50,000 troops were massed near the border, the ministry said."
    for name, outlet in (("one.txt", "Herald"), ("two.txt", "Courier")):
        (tmp_path / name).write_text(f"Troops massed\n2024-01-02 | {outlet} | \n\n{text}\n")
    db = tmp_path / "a.db"
    ingest([str(tmp_path / "one.txt"), str(tmp_path / "two.txt")], db, workers=1)
    with StoreReader(db) as reader:
        claim = reader.claims(ClaimFilter(limit=5))[0]
        rows = reader.appearances(claim.evidence.doc_id)
    assert [(r["path"].rsplit("/", 1)[1], r["outlet"]) for r in rows] == [("one.txt", "Herald"), ("two.txt", "Courier")]
    html = TestClient(create_app(db)).get(f"/claim/{claim.id}").text
    assert "Herald" in html and "Courier" in html


def test_web_timeline_dates_a_figure_by_its_period_but_never_after_print():
    from datetime import date

    from store_fixtures import make_article, make_claim

    from extraction.web.chart import claim_date, timeline
    from models import Period

    article = make_article("t.txt", ["Russia took 600 km2 in 2026 and 500 km2 in 2025."], published=date(2026, 2, 1))
    this_year = make_claim(article, "600 km2", "territory", 600, "km2")
    this_year = this_year.model_copy(update={"period": Period(text="in 2026", start=date(2026, 1, 1),
                                                              end=date(2026, 12, 31), resolved=True)})
    last_year = make_claim(article, "500 km2", "territory", 500, "km2")
    last_year = last_year.model_copy(update={"period": Period(text="in 2025", start=date(2025, 1, 1),
                                                              end=date(2025, 12, 31), resolved=True)})
    assert claim_date(this_year) == date(2026, 2, 1) and claim_date(last_year) == date(2025, 12, 31)
    chart = timeline([this_year, last_year])
    (series,) = chart["series"]
    assert [p["label"] for p in series["points"]] == ["500", "600"]
    assert series["points"][0]["x"] < series["points"][1]["x"] and series["points"][0]["y"] > series["points"][1]["y"]


def test_web_conflicts_page_is_paged(client, monkeypatch):
    import extraction.web.app as web_app

    monkeypatch.setattr(web_app, "PER_PAGE", 2)
    first = client.get("/conflicts.json").json()
    total, pages = first["total"], first["pages"]
    assert total >= 3 and pages == (total + 1) // 2
    seen = [c for n in range(1, pages + 1) for c in client.get(f"/conflicts.json?page={n}").json()["conflicts"]]
    assert len(seen) == total and len(first["conflicts"]) == 2
    assert len({json.dumps(c, sort_keys=True) for c in seen}) == total  # no conflict on two pages
    assert f"page 1 of {pages}" in client.get("/conflicts").text


def test_web_capped_search_keeps_the_latest_claims(client, monkeypatch):
    import extraction.web.app as web_app

    monkeypatch.setattr(web_app, "MAX_CLAIMS", 1)
    data = _kursk(client).json()
    assert data["capped"] is True and data["claims_total"] == 1
    assert data["groups"][0]["claims"][0]["evidence"]["published"] == "2024-11-20"  # the one dated mention


def test_web_says_when_groups_are_out_of_date(tmp_path, web_db):
    import shutil
    import sqlite3

    stale = tmp_path / "stale.db"
    shutil.copy(web_db, stale)
    with sqlite3.connect(stale) as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_stale', '1')")
    stale_client = TestClient(create_app(stale))
    assert "run <code>claims refresh</code>" in stale_client.get("/search", params={"q": "Kursk troops"}).text
    assert stale_client.get("/index.json").json()["corpus_current"] is False
    assert "run <code>claims refresh</code>" not in _kursk(TestClient(create_app(web_db)), "html").text


def test_web_search_shows_a_few_conflicts_and_counts_the_rest(client, monkeypatch):
    import extraction.web.app as web_app

    monkeypatch.setattr(web_app, "MAX_CONFLICTS", 1)
    data = client.get("/search.json", params={"q": "Kursk"}).json()
    assert data["conflicts_total"] == 3 and len(data["conflicts"]) == 1
    assert "the first 1 of 3" in client.get("/search", params={"q": "Kursk"}).text
