"""HTML pages and WARC archives as input: main text without page furniture, metadata, charsets, broken records.

Every page and archive is built here, from sentences written for these tests.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.cli import app
from extraction.readers.html import decode_html, html_page
from extraction.readers.ingest import iter_inputs
from extraction.readers.warc import WarcPage, WarcProblem, iter_warc
from extraction.run.api import extract_article
from models import Article, Failure

runner = CliRunner()

ARTICLE = [
    "The defence ministry said on Tuesday that about 4,000 soldiers had been moved to the southern border "
    "over the past month.",
    "Analysts at the research institute estimated that 120 square kilometres had changed hands in the "
    "fighting since January, a figure the army disputed.",
    "A spokesman for the brigade added that its units had lost 14 armoured vehicles in a single week of "
    "heavy shelling near the river.",
]
#: the figures of the article's sentences: the only claims a page may yield
ARTICLE_FIGURES = {"about 4,000", "120 square kilometres", "14"}
RELATED = ["Drone strikes kill 37 near the coast", "Officials say 9,000 troops moved north",
           "Grain exports rise by 28% in March"]
COOKIE = "We and our 842 partners use cookies to store information on your device. Accept all or manage choices."
MENU = ["Home", "World", "Politics", "Business", "Video"]
FOOTER = ["About us", "Contact", "Privacy policy", "Careers"]
FURNITURE_NUMBERS = ("37", "9,000", "28%", "842", "2026 Daily")


def _links(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f'<li><a href="/{i}">{t}</a></li>' for i, t in enumerate(items)) + "</ul>"


def page(layout: str = "semantic", *, charset: str = "utf-8", paragraphs: list[str] | None = None,
         head: bool = True) -> str:
    """A news page around ``paragraphs`` (ARTICLE by default) with a menu, cookie banner, related stories,
    a most-read list and a footer, in one of four layouts."""
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or ARTICLE))
    meta = (f'<head><meta charset="{charset}"><title>Troops moved to the border | Daily Planet</title>'
            '<link rel="canonical" href="https://daily.example/world/troops-border">'
            '<meta property="og:site_name" content="Daily Planet">'
            '<meta property="og:title" content="Troops moved to the border">'
            '<meta property="article:published_time" content="2026-02-10T09:30:00Z">'
            '<meta name="author" content="Mira Example"></head>') if head else "<head></head>"
    banner = f'<div id="cookie-consent"><p>{COOKIE}</p><button>Accept</button></div>'
    footer = _links(FOOTER) + "<p>&copy; 2026 Daily Planet. All rights reserved.</p>"
    if layout == "semantic":
        content = (f"<body>{banner}<header><nav>{_links(MENU)}</nav></header><main><article>"
                   f"<h1>Troops moved to the border</h1><p class=\"byline\">By Mira Example</p>{body}"
                   f"<aside class=\"related\"><h2>Related stories</h2>{_links(RELATED)}</aside></article>"
                   f"<section class=\"most-read\"><h2>Most read</h2>{_links(RELATED[::-1])}</section></main>"
                   f"<footer>{footer}</footer></body>")
    elif layout == "divs":
        content = (f'<body><div class="wrapper">{banner}<div class="top-menu">{_links(MENU)}</div>'
                   f'<div class="story"><h1>Troops moved to the border</h1><div class="story-text">{body}'
                   f'<div class="inline-promo"><a href="/x">Read more: {RELATED[0]}</a></div></div></div>'
                   f'<div class="more-stories"><h3>More stories</h3>{_links(RELATED)}</div>'
                   f'<div class="footer">{footer}</div></div></body>')
    elif layout == "bare":  # no class name or id: only the structure tells furniture from text
        content = (f"<body><div><p>{COOKIE}</p><button>Accept</button></div><div>{_links(MENU)}</div>"
                   f"<div><div><h1>Troops moved to the border</h1>{body}</div>"
                   f"<div><h3>Related stories</h3>{_links(RELATED)}</div><div><h3>Most read</h3>"
                   f"{_links(RELATED[::-1])}</div></div><div>{footer}</div></body>")
    else:  # a blog: sidebar, newsletter box, related posts
        content = (f'<body><div id="page">{banner}<div id="masthead">{_links(MENU, "menu")}</div>'
                   f'<div id="primary"><div class="post"><h2 class="entry-title">Troops moved to the border</h2>'
                   f'<div class="entry-content">{body}</div></div>'
                   f'<div class="newsletter"><p>Sign up: the 5 stories you need each morning.</p></div>'
                   f'<h3>Related posts</h3>{_links(RELATED, "related-posts")}</div>'
                   f'<div id="sidebar"><h3>Popular</h3>{_links(RELATED)}</div>'
                   f'<div id="colophon">{footer}</div></div></body>')
    return f"<!DOCTYPE html><html lang=\"en\">{meta}{content}</html>"


def _articles(paths: list[Path | str]) -> tuple[list[Article], list[Failure]]:
    items = list(iter_inputs([str(p) for p in paths]))
    return [a for a in items if isinstance(a, Article)], [f for f in items if isinstance(f, Failure)]


@pytest.mark.parametrize("layout", ["semantic", "divs", "blog", "bare"])
def test_html_page_furniture_yields_no_claim(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "story.html"
    path.write_text(page(layout), encoding="utf-8")
    (article,), failures = _articles([path])
    assert not failures
    for sentence in ARTICLE:
        assert sentence in article.text
    for furniture in [*RELATED, COOKIE, *FOOTER, "Most read", "Related"]:
        assert furniture not in article.text
    figures = {c.quantity.text for c in extract_article(article)}
    assert figures <= ARTICLE_FIGURES and "about 4,000" in figures
    assert not any(n in f for f in figures for n in FURNITURE_NUMBERS)


def test_html_page_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.htm"
    path.write_text(page(), encoding="utf-8")
    (article,), _ = _articles([path])
    assert article.title == "Troops moved to the border"
    assert article.outlet == "Daily Planet"
    assert article.published is not None and article.published.isoformat() == "2026-02-10"
    assert article.url == "https://daily.example/world/troops-border"
    assert article.author == "Mira Example"
    assert not article.text.startswith("Troops moved to the border")  # the title is metadata, not text


def test_html_page_metadata_from_json_ld_and_host() -> None:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Border figures",
          "datePublished": "2025-11-03", "author": [{"@type": "Person", "name": "Ana One"}],
          "publisher": {"@type": "Organization", "name": "The Example Post"}}
    html = (f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body><article>'
            f"<p>{ARTICLE[0]}</p></article></body></html>")
    found = html_page(html, url="https://www.example.org/a/1")
    assert (found.title, found.published.isoformat(), found.author, found.outlet, found.url) == (
        "Border figures", "2025-11-03", "Ana One", "The Example Post", "https://www.example.org/a/1")
    bare = html_page(f"<html><body><article><p>{ARTICLE[1]}</p></article></body></html>",
                     url="https://www.example.org/b")
    assert bare.outlet == "example.org" and bare.published is None


@pytest.mark.parametrize(("title", "expected"), [
    ("Troops moved to the border | Daily Planet", "Troops moved to the border"),
    ("Daily Planet - Troops moved to the border", "Troops moved to the border"),
    ("Troops moved to the border | Other Site", "Troops moved to the border | Other Site"),
])
def test_html_page_title_without_site_name(title: str, expected: str) -> None:
    html = (f'<html><head><title>{title}</title><meta property="og:site_name" content="Daily Planet"></head>'
            f"<body><article><p>{ARTICLE[0]}</p></article></body></html>")
    assert html_page(html).title == expected


@pytest.mark.parametrize(("data", "content_type", "expected", "how"), [
    # declared ISO-8859-1 by the page, but the bytes are UTF-8: read as UTF-8
    ('<meta charset="iso-8859-1"><p>Café’s 5 km</p>'.encode(), None, "Café’s", "utf-8 (declared iso-8859-1"),
    # declared UTF-8, but the bytes are windows-1252: detected
    ('<meta charset="utf-8"><p>Le café du général à Genève, été</p>'.encode("cp1252"), None, "café", "detected"),
    # the HTTP header wins over the page
    ('<meta charset="utf-8"><p>Харків</p>'.encode("cp1251"), "text/html; charset=windows-1251", "Харків",
     "cp1251 (declared by the HTTP header)"),
    # http-equiv declaration
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Київ</p>'.encode("cp1251"),
     None, "Київ", "cp1251 (declared by the page)"),
    # no declaration at all, UTF-8 bytes
    ("<p>Zürich</p>".encode(), None, "Zürich", "utf-8"),
])
def test_html_decode_charsets(data: bytes, content_type: str | None, expected: str, how: str) -> None:
    text, used = decode_html(data, content_type)
    assert expected in text and "\ufffd" not in text
    assert how in used


def test_html_wrong_charset_page_reads_right(tmp_path: Path) -> None:
    sentence = ("The mayor of Saint-Étienne said on Friday that 2,500 residents had been evacuated "
                "from the quarter near the café district.")
    path = tmp_path / "latin.html"
    path.write_bytes(page(charset="iso-8859-1", paragraphs=[sentence, *ARTICLE]).encode("utf-8"))
    (article,), _ = _articles([path])
    assert "Saint-Étienne" in article.text and "café" in article.text


def test_ingest_directory_of_html_pages(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(page("semantic"), encoding="utf-8")
    (tmp_path / "b.htm").write_text(page("blog", paragraphs=ARTICLE[1:]), encoding="utf-8")
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(page("divs", paragraphs=ARTICLE[:2]).encode()))
    (tmp_path / "notes.md").write_text("not read", encoding="utf-8")
    articles, failures = _articles([tmp_path])
    assert sorted(Path(a.path).name for a in articles) == ["a.html", "b.htm", "c.html.gz"] and not failures


def test_ingest_html_page_without_text_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(f"<html><body><nav>{_links(MENU)}</nav></body></html>", encoding="utf-8")
    articles, (failure,) = _articles([path])
    assert not articles and failure.reason == "empty" and str(path) in failure.one_line()


def test_ingest_jsonl_html_field(tmp_path: Path) -> None:
    dump = tmp_path / "pages.jsonl"
    lines = [{"url": "https://news.example/1", "html": page("divs")},
             {"html": page("blog"), "title": "A title from the dump", "date": "2026-01-05"},
             {"text": ARTICLE[2]}]
    dump.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    (first, second, third), failures = _articles([dump])
    assert not failures
    assert first.url == "https://news.example/1" and first.title == "Troops moved to the border"
    assert "Drone strikes" not in first.text and ARTICLE[0] in first.text
    assert second.title == "A title from the dump" and second.published.isoformat() == "2026-01-05"
    assert third.text == ARTICLE[2]


def test_ingest_stdin_html_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(page().encode())))
    (article,) = list(iter_inputs(["-"]))
    assert isinstance(article, Article) and "<p>" not in article.text and ARTICLE[0] in article.text


# -- WARC ----------------------------------------------------------------------------------


def warc_record(uri: str, body: bytes, *, content_type: str | None = "text/html; charset=utf-8",
                status: str = "200 OK", kind: str = "response") -> bytes:
    """One WARC/1.0 record: a response (HTTP head + body), or a request/warcinfo record with ``body``."""
    if kind == "response":
        head = f"HTTP/1.1 {status}\r\n" + (f"Content-Type: {content_type}\r\n" if content_type else "")
        block = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        block_type = "application/http; msgtype=response"
    else:
        block, block_type = body, "application/warc-fields"
    header = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
              f"WARC-Date: 2026-02-10T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash((uri, kind))):032x}>\r\n"
              f"Content-Type: {block_type}\r\nContent-Length: {len(block)}\r\n\r\n").encode()
    return header + block + b"\r\n\r\n"


def _crawl() -> list[bytes]:
    """warcinfo, request, a page, an image, a 404, a cp1251 page (charset in the HTTP header only), a page."""
    cyrillic = ("<html><body><article><p>Міністерство повідомило, що 300 військових прибули до міста "
                "в понеділок увечері.</p></article></body></html>").encode("cp1251")
    return [
        warc_record("", b"software: tests\r\n", kind="warcinfo"),
        warc_record("https://daily.example/one", b"GET /one HTTP/1.1\r\n\r\n", kind="request"),
        warc_record("https://daily.example/one", page("semantic").encode()),
        warc_record("https://daily.example/logo.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png"),
        warc_record("https://daily.example/gone", b"<html><body><p>Not found</p></body></html>",
                    status="404 Not Found"),
        warc_record("https://uk.example/two", cyrillic, content_type="text/html; charset=windows-1251"),
        warc_record("https://daily.example/three", page("blog", paragraphs=ARTICLE[1:]).encode()),
    ]


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses_become_articles(tmp_path: Path, gzipped: bool) -> None:
    records = _crawl()
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(b"".join(gzip.compress(r) for r in records) if gzipped else b"".join(records))
    articles, failures = _articles([path])
    assert not failures
    assert [a.url for a in articles] == ["https://daily.example/one", "https://uk.example/two",
                                         "https://daily.example/three"]
    assert all(a.path.startswith(f"{path}@") for a in articles)
    assert "300 військових" in articles[1].text
    assert articles[0].title == "Troops moved to the border" and "Drone strikes" not in articles[0].text


def test_warc_broken_gzip_member_is_a_failure_and_the_file_goes_on(tmp_path: Path) -> None:
    records = [gzip.compress(r) for r in _crawl()]
    broken = bytearray(records[2])
    broken[40:60] = b"\x00" * 20  # corrupt the deflate stream of the first page
    records[2] = bytes(broken)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(records))
    offset = sum(len(r) for r in records[:2])
    articles, failures = _articles([path])
    assert [a.url for a in articles] == ["https://uk.example/two", "https://daily.example/three"]
    (failure,) = failures
    assert failure.reason == "warc" and failure.path == f"{path}@{offset}"
    assert f"byte offset {offset}" in failure.one_line()


def test_warc_truncated_and_malformed_records(tmp_path: Path) -> None:
    good = warc_record("https://daily.example/one", page().encode())
    no_http = warc_record("https://daily.example/odd", b"", content_type=None).replace(
        b"HTTP/1.1 200 OK\r\n", b"garbage here!!!\r\n")  # same length: only the HTTP head is bad
    last = warc_record("https://daily.example/three", page("blog").encode())
    path = tmp_path / "cut.warc"
    path.write_bytes(good + no_http + last[: len(last) // 2])
    items = list(iter_warc(str(path)))
    assert [type(i) for i in items] == [WarcPage, WarcProblem, WarcProblem]
    assert items[1].offset == len(good) and items[2].offset == len(good) + len(no_http)
    assert "truncated" in items[2].message


def test_warc_that_is_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("just some text\n", encoding="utf-8")
    articles, (failure,) = _articles([path])
    assert not articles and failure.reason == "warc" and "no WARC record" in failure.message


def test_cli_ingest_html_folder_and_broken_warc(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.html").write_text(page(), encoding="utf-8")
    records = [gzip.compress(r) for r in _crawl()]
    records[-1] = records[-1][: len(records[-1]) - 25]  # the last member cut short
    (folder / "crawl.warc.gz").write_bytes(b"".join(records))
    db = tmp_path / "c.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--quiet", "--no-corpus-pass"])
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 1 and summary["articles"] >= 2 and summary["failed"] == 1
    listed = runner.invoke(app, ["failures", "--db", str(db)])
    assert "crawl.warc.gz@" in listed.stdout and "byte offset" in listed.stdout
    exported = runner.invoke(app, ["export", "--db", str(db)])
    figures = {json.loads(line)["quantity"]["text"] for line in exported.stdout.splitlines()}
    assert "about 4,000" in figures and not any(n in f for f in figures for n in FURNITURE_NUMBERS)
