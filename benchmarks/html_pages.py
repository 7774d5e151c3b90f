"""Realistic HTML pages built around article texts, for measuring HTML input (no page is ever copied).

`page_html` wraps an article's paragraphs in one of four page layouts seen on news sites:
a semantic one (``<header><nav>``, ``<article>``, ``<aside>`` "related stories", ``<footer>``),
a ``<div>`` soup (menus, inline "Read more" promos, a "more stories" block, a footer div) and a
blog layout (sidebar of popular posts, newsletter box, comments). Every layout also carries a
cookie banner. The furniture's link texts are headlines we generate *with figures in them*
("Drone strikes kill 14 near the border"), so a furniture line that leaks into the text becomes
a claim and is counted. `furniture_texts` lists them for measuring.

Furniture lines of a scraped text file (menus the scraper kept) are given as ``menus``: each run
is put back where it was, as a list of links.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

_SECTIONS = ["World", "Europe", "Politics", "Business", "Opinion", "Science", "Sport", "Culture", "Video"]
_PLACES = ["the border", "the capital", "the eastern front", "the port", "the coast", "the northern region"]
_HEADLINES = [
    "Drone strikes kill {n} near {place}",
    "Officials say {n},000 troops moved to {place}",
    "Grain exports rise by {n}% in January",
    "Army says {n} square kilometres retaken near {place}",
    "Government pledges ${n}m in new aid for {place}",
    "{n} tanks destroyed in a week, ministry says",
    "Fuel prices climb {n}% as refinery attacks continue",
    "Evacuation of {n},000 residents from {place} begins",
]
_COOKIE = ("We and our {n} partners use cookies to store and access information on your device. "
           "You can accept all cookies or manage your preferences at any time.")
_FOOTER = ["About us", "Contact", "Advertise", "Privacy policy", "Terms of use", "Careers", "Accessibility"]


@dataclass(frozen=True)
class Page:
    """A generated page and the furniture text put into it."""

    html: str
    furniture: list[str]


def headlines(rng: random.Random, k: int) -> list[str]:
    """``k`` made-up headlines, each with a figure in it."""
    return [rng.choice(_HEADLINES).format(n=rng.randint(2, 95), place=rng.choice(_PLACES)) for _ in range(k)]


def _links(items: list[str], cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    lis = "".join(f'<li><a href="/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(items))
    return f"<ul{attr}>{lis}</ul>"


def _head(title: str, outlet: str, url: str, published: str | None, author: str | None, charset: str) -> str:
    meta = [f'<meta charset="{charset}">', f"<title>{html.escape(title)} | {html.escape(outlet)}</title>",
            f'<link rel="canonical" href="{html.escape(url)}">',
            f'<meta property="og:site_name" content="{html.escape(outlet)}">',
            f'<meta property="og:title" content="{html.escape(title)}">']
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}T08:00:00Z">')
    if author:
        meta.append(f'<meta name="author" content="{html.escape(author)}">')
    return "<head>" + "".join(meta) + "</head>"


def page_html(title: str, paragraphs: list[str | list[str]], *, outlet: str, url: str, published: str | None,
              author: str | None = None, seed: int = 0, layout: int | None = None, charset: str = "utf-8") -> Page:
    """A whole page: ``paragraphs`` are the article's paragraphs in order; a list among them is a run
    of menu lines (kept by a scraper) and becomes a list of links at that place."""
    rng = random.Random(seed)
    layout = rng.randrange(4) if layout is None else layout
    related, promos, popular = headlines(rng, 5), headlines(rng, 2), headlines(rng, 4)
    cookie = _COOKIE.format(n=rng.randint(100, 900))
    furniture = [*_SECTIONS, *related, *promos, *popular, cookie, *_FOOTER]
    body: list[str] = []
    promo_at = {len(paragraphs) // 3, 2 * len(paragraphs) // 3} if layout == 1 else set()
    for i, para in enumerate(paragraphs):
        if isinstance(para, list):
            body.append(_links(para, "menu") if layout != 1 else '<div class="menu">' + _links(para) + "</div>")
            furniture += para
            continue
        body.append(f"<p>{html.escape(para)}</p>")
        if i in promo_at:
            promo = promos[len(promo_at) - 1 - sorted(promo_at).index(i)]
            body.append(f'<div class="inline-promo"><a href="/p{i}">Read more: {html.escape(promo)}</a></div>')
    text = "\n".join(body)
    esc_title = html.escape(title)
    byline = f'<p class="byline">By {html.escape(author)}</p>' if author else ""
    time_tag = f'<time datetime="{published}">{published}</time>' if published else ""
    banner = f'<div id="cookie-banner" class="consent"><p>{cookie}</p><button>Accept all</button></div>'
    footer_links = _links(_FOOTER)
    copyright_line = f"<p>&copy; 2026 {html.escape(outlet)}. All rights reserved.</p>"
    if layout == 0:
        page = (f"<body>{banner}<header><nav>{_links(_SECTIONS)}</nav></header><main><article>"
                f"<h1>{esc_title}</h1>{byline}{time_tag}<div class=\"article-body\">{text}</div>"
                f"<aside class=\"related\"><h2>Related stories</h2>{_links(related)}</aside></article>"
                f"<section class=\"most-read\"><h2>Most read</h2>{_links(popular)}</section></main>"
                f"<footer>{footer_links}{copyright_line}</footer></body>")
    elif layout == 1:
        page = (f'<body><div class="wrapper">{banner}<div class="top-menu">{_links(_SECTIONS)}</div>'
                f'<div class="content-body"><div class="headline"><h1>{esc_title}</h1></div>{byline}{time_tag}'
                f'<div class="text">{text}</div></div>'
                f'<div class="more-stories"><h3>More stories</h3>{_links(related)}</div>'
                f'<div class="trending"><h3>Trending</h3>{_links(popular)}</div>'
                f'<div class="footer">{footer_links}{copyright_line}</div></div></body>')
    elif layout == 3:  # no class names or ids at all: only the structure tells furniture from text
        bare_byline = f"<p>By {html.escape(author)}</p>" if author else ""
        bare_banner = f"<div><p>{cookie}</p><button>Accept all</button></div>"
        page = (f"<body>{bare_banner}<div>{_links(_SECTIONS)}</div><div><div><h1>{esc_title}</h1>"
                f"{bare_byline}{text}</div>"
                f"<div><h3>Related stories</h3>{_links(related)}</div><div><h3>Most read</h3>{_links(popular)}</div>"
                f"</div><div>{footer_links}{copyright_line}</div></body>")
    else:
        comments = "".join(f'<li class="comment"><p>{html.escape(h)}? Not what I heard.</p></li>' for h in popular[:2])
        page = (f'<body><div id="page">{banner}<div id="masthead"><ul class="menu">'
                f'{"".join(f"<li><a>{s}</a></li>" for s in _SECTIONS)}</ul></div>'
                f'<div id="primary"><div class="post"><h2 class="entry-title">{esc_title}</h2>'
                f'<div class="entry-meta">{byline}{time_tag}</div><div class="entry-content">{text}</div></div>'
                f'<div class="newsletter"><p>Sign up for our newsletter: the {rng.randint(5, 9)} stories you need '
                f'each morning.</p></div><h3>Related posts</h3>{_links(related, "related-posts")}'
                f'<div id="comments"><ol>{comments}</ol></div></div>'
                f'<div id="sidebar"><h3>Popular posts</h3>{_links(popular)}</div>'
                f'<div id="colophon">{footer_links}{copyright_line}</div></div></body>')
    head = _head(title, outlet, url, published, author, charset)
    return Page(html=f"<!DOCTYPE html><html lang=\"en\">{head}{page}</html>", furniture=furniture)
