"""HTML page -> main text and metadata (title, published date, outlet, canonical URL, author).

The main text comes from resiliparse's main-content extraction: navigation, link lists,
footers, cookie banners, comments and "related stories" blocks are left out by the page's
structure, so they yield no claim; the project's line-shape boilerplate rules
(``extraction.readers.boilerplate``) still run on the result, as on every text. The metadata is read
from JSON-LD, ``<meta>`` tags (Open Graph, Dublin Core), ``<link rel="canonical">``,
``<time>`` and ``<title>`` (`page_metadata`). Why resiliparse and not trafilatura: see
``benchmarks/compare_html_extractors.py`` and benchmarks/RESULTS.md (as precise on our pages,
35-50 times faster; pages are read in the one process that feeds the extraction workers).

Bytes are decoded by `decode_html`: a byte-order mark, then the charset of the HTTP header,
then the page's ``<meta charset>``, then detection (charset-normalizer).

>>> page = html_page("<html><head><title>Ten tanks</title></head><body><article>"
...                  "<p>The army said on Monday that ten tanks had crossed the river overnight.</p>"
...                  "</article></body></html>")
>>> page.text
'The army said on Monday that ten tanks had crossed the river overnight.'
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from extraction.lexicon.lexicons import field_names, word_class
from extraction.readers.headers import parse_date

__all__ = ["HtmlPage", "decode_html", "html_page", "looks_like_html", "page_metadata"]

logger = logging.getLogger(__name__)

#: the HTML standard looks for a <meta> charset in the first 1,024 bytes; pages often put it later
_META_WINDOW = 4096
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)
_DIGIT = re.compile(r"\d")
_HEADING_WORDS = 4
_COPYRIGHT = re.compile(r"\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
#: labels that browsers read as windows-1252 (the HTML standard's encoding table)
_AS_CP1252 = {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252"}


@dataclass(frozen=True)
class HtmlPage:
    """What a page gives: its main text (one paragraph a line) and the metadata found in it."""

    text: str
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None


def looks_like_html(data: bytes) -> bool:
    """True when ``data`` starts like an HTML document (doctype, <html>, <head>, <body>...)."""
    return _HTML_START.match(data[:_META_WINDOW].lstrip(b"\xef\xbb\xbf")) is not None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns (text, how) where ``how`` says which charset was used and why.

    Order: a byte-order mark; the ``charset`` of the HTTP ``Content-Type`` header; the page's
    ``<meta charset>`` or ``http-equiv`` declaration; detection. A declared charset that does
    not fit the bytes is overruled: bytes that fail to decode go to detection, and a page
    declared as a single-byte code page (ISO-8859-1, windows-1252, ...) whose bytes are valid
    UTF-8 with non-ASCII characters is read as UTF-8 (the commonest mislabelling on the web).

    >>> decode_html("<meta charset='iso-8859-1'><p>Caf\\u00e9</p>".encode("utf-8"))[1]
    'utf-8 (declared iso-8859-1 by the page, but the bytes are UTF-8)'
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8 (byte-order mark)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16 (byte-order mark)"
    declared = [(label, "HTTP header") for label in [_charset_of(content_type)] if label]
    declared += [(label, "page") for label in [_meta_charset(data)] if label]
    for label, where in declared:
        codec = _codec(label)
        if codec is None:
            continue
        if codec != "utf-8" and _single_byte(codec) and not data.isascii() and _is_utf8(data):
            return data.decode("utf-8"), f"utf-8 (declared {label} by the {where}, but the bytes are UTF-8)"
        try:
            return data.decode(codec), f"{codec} (declared by the {where})"
        except UnicodeDecodeError:
            logger.debug("declared charset %s does not decode the page; detecting", label)
    if _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    guess = _detect(data)
    if guess is not None:
        return data.decode(guess, "replace"), f"{guess} (detected)"
    return data.decode("cp1252", "replace"), "cp1252 (fallback)"


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET.search(content_type.encode("latin-1", "replace"))
    return match.group(1).decode("ascii").lower() if match else None


def _meta_charset(data: bytes) -> str | None:
    for meta in _META.findall(data[:_META_WINDOW]):
        match = _CHARSET.search(meta)
        if match:
            return match.group(1).decode("ascii").lower()
    return None


def _codec(label: str) -> str | None:
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        logger.debug("unknown charset %r", label)
        return None
    return "utf-8" if name in ("utf-8", "utf-8-sig") else name


#: how the names of single-byte codecs begin (cp1252, iso8859_1, latin_1, mac_roman, koi8_r, windows-1251)
_SINGLE_BYTE = re.compile(r"cp|iso8859|latin|mac|koi8|windows")


def _single_byte(codec: str) -> bool:
    return _SINGLE_BYTE.match(codecs.lookup(codec).name) is not None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return _codec(best.encoding) if best is not None else None


def html_page(html: str, *, url: str | None = None) -> HtmlPage:
    """The main text and metadata of a page (``text`` is empty when the page has no article text).

    ``url`` is where the page was fetched from (a WARC record's target URI, a JSONL ``url``
    field); it wins over the page's own ``<link rel="canonical">`` or ``og:url``, used otherwise.
    The text is one block (paragraph, heading, list item) a line; the page's title is not
    repeated as its first line.
    """
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html)
    text = _clean_text(extract_plain_text(tree, main_content=True, list_bullets=False, alt_texts=False,
                                          comments=False, links=False, form_fields=False, noscript=False))
    text = _drop_trailing_headings(text)
    meta = page_metadata(tree)
    title = meta.get("title")
    if title and (text == title or text.startswith(title + "\n")):
        text = text[len(title) + 1:]
    page_url = url or meta.get("url")
    return HtmlPage(text=text, title=title, published=parse_date(meta.get("published")) if meta.get("published")
                    else None, outlet=meta.get("outlet") or _host(page_url), url=page_url, author=meta.get("author"))




def page_metadata(tree: Any) -> dict[str, str]:
    """Title, published, outlet, author and url of a parsed page (resiliparse ``HTMLTree``), as found.

    From, best first: JSON-LD (``NewsArticle`` and kin), ``<meta>`` names and properties
    (Open Graph, Dublin Core, article:*), ``<link rel="canonical">``, the first
    ``<time datetime>`` and ``<title>``. Values are strings as printed (dates not parsed).
    """
    found: dict[str, str] = {}
    for key, value in _json_ld(tree).items():
        found.setdefault(key, value)
    by_name: dict[str, str] = {}
    for el in tree.document.query_selector_all("meta"):
        name = (el.getattr("property") or el.getattr("name") or el.getattr("itemprop") or "").strip().lower()
        content = _clean(el.getattr("content"))
        if name and content:
            by_name.setdefault(name, content)
    for key, names in field_names("html_meta").items():  # data/readers/fields.tsv, best first
        for name in names:
            if name in by_name and key not in found:
                found[key] = by_name[name]
    for el in tree.document.query_selector_all("link[rel]"):
        if "canonical" in (el.getattr("rel") or "").lower().split() and _clean(el.getattr("href")):
            found["url"] = _clean(el.getattr("href"))  # type: ignore[assignment]
            break
    if "published" not in found:
        el = tree.document.query_selector("time[datetime]")
        if el is not None and _clean(el.getattr("datetime")):
            found["published"] = _clean(el.getattr("datetime"))  # type: ignore[assignment]
    if "title" not in found and _clean(tree.title):
        found["title"] = _without_site(_clean(tree.title), found.get("outlet"))  # type: ignore[arg-type]
    return found


_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def _without_site(title: str, outlet: str | None) -> str:
    """A <title> without the site name that pages add before or after the headline.

    >>> _without_site("Troops moved | Daily Planet", "Daily Planet")
    'Troops moved'
    """
    if outlet:
        for sep in _TITLE_SEPARATORS:
            if title.endswith(sep + outlet):
                return title[: -len(sep + outlet)].strip() or title
            if title.startswith(outlet + sep):
                return title[len(outlet + sep):].strip() or title
    return title




def _json_ld(tree: Any) -> dict[str, str]:
    for el in tree.document.query_selector_all('script[type="application/ld+json"]'):
        try:
            data = json.loads(el.text)
        except ValueError:
            continue
        for item in _ld_items(data):
            types = item.get("@type")
            types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            if not any(isinstance(t, str) and t.lower() in word_class("article_page_types") for t in types):
                continue
            found = {"title": _clean(item.get("headline")), "published": _clean(item.get("datePublished")),
                     "outlet": _name_of(item.get("publisher")), "author": _name_of(item.get("author")),
                     "url": _clean(item.get("url"))}
            return {k: v for k, v in found.items() if v}
    return {}


def _ld_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [x for d in data for x in _ld_items(d)]
    if isinstance(data, dict):
        return [data, *_ld_items(data.get("@graph", []))]
    return []


def _name_of(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _clean(value.get("name"))
    return _clean(value)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _drop_trailing_headings(text: str) -> str:
    """Drop the last lines while they are short headings ("Related posts", "More stories") or a
    copyright line: what is left of blocks after the article, kept because they sat inside the
    main content."""
    lines = text.split("\n")
    while lines and (_COPYRIGHT.match(lines[-1]) or (
            len(lines[-1].split()) <= _HEADING_WORDS and not _DIGIT.search(lines[-1])
            and not lines[-1].rstrip("\"'”’)").endswith((".", "!", "?", ":", ";")))):
        lines.pop()
    return "\n".join(lines)


def _clean_text(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
