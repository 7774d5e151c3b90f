"""The header of a news text file (title, outlet, date in its first lines) and dates in
headers, JSON fields and file names. Pure: no spaCy.

>>> parse_header("Title line\\n2024-11-20 | bbc.co.uk | notes\\n\\nBody.").published
datetime.date(2024, 11, 20)
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Header", "date_from_name", "parse_date", "parse_header"]


_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}  # jan: 1 ... dec: 12
_DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(rf"(?<![a-z]){_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
)
_COMPACT_DATE = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?\d{4,6}Z?)?")
_NAME_DATE = re.compile(r"(?<![\dA-Za-z])(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})(?=T\d|[^\dA-Za-z]|$)")
# what may surround the date on a line that is nothing but a date: times, zones, weekdays
_DATE_LINE_REST = re.compile(
    r"(?:[\W\d_]|t(?=\d)|z\b|published|updated|posted|last|modified|date|on|at|[ap]\.?m\.?|gmt|utc|bst|cet|cest"
    r"|eet|eest|est|edt|et|pt|pst|pdt|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)*",
    re.I,
)
_NO_TITLE = re.compile(r"\(no (?:headline|title)\b[^)]*\)", re.I)
_DATE_FIELD = re.compile(r"(?:\d{4}|unknown|undated|no date|n/a)\b", re.I)
_URL = re.compile(r"https?://(?:www\.)?([^/\s:?#]+)", re.I)
_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.I)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_KEY_VALUE = re.compile(r"[\w -]+[=:]")
_TRAILING_PUNCTUATION = re.compile(r"[.,;:\u2014\u2013-][\"'”’»)\]]*$")
_LIST_ITEM = re.compile(r"[-*•–]\s|\d+[.)]\s")


class Header(NamedTuple):
    """What `parse_header` found at the top of a text file; ``body == text[body_offset:]``."""

    title: str | None
    outlet: str | None
    published: date | None
    body: str
    body_offset: int
    url: str | None = None


def parse_header(text: str) -> Header:
    """Split a text file into its header fields and its body (what claims' offsets point into).

    Recognised, first match wins: (a) the corpus format: a title line (``(no headline
    recorded in source)`` means none), a ``date | outlet | notes`` line, a blank line;
    (b) a block of short lines at the top, one of them a date or timestamp
    (``Outlet`` / ``Title`` / ``2024-11-20 07:00:02``); (c) a first line that reads as a
    headline (at most 20 words, no final full stop) followed by the body. Otherwise
    there is no header and the body is the whole text.

    >>> parse_header("Kyiv under fire\\n2024-08-15 | kyivpost.com\\n\\nTwo people died.")[:4]
    ('Kyiv under fire', 'kyivpost.com', datetime.date(2024, 8, 15), 'Two people died.')
    """
    lines = text.split("\n", 16)  # only the top of the text matters; the last item is the rest
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found = _corpus_header(text, lines, starts) or _block_header(text, lines, starts)
    return found or _headline_header(text, lines, starts) or Header(None, None, None, text, 0)


def _header(text: str, lines: list[str], starts: list[int], index: int, title: str | None,
            outlet: str | None, published: date | None, url: str | None = None) -> Header:
    """A Header whose body starts at the first non-blank line from ``index`` on."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    offset = starts[index] if index < len(lines) else len(text)
    return Header(title, outlet, published, text[offset:], offset, url)


def _corpus_header(text: str, lines: list[str], starts: list[int]) -> Header | None:
    if len(lines) < 3 or lines[2].strip() or " | " not in lines[1]:
        return None
    title = lines[0].strip()
    fields = [field.strip() for field in lines[1].split(" | ")]
    if not title or len(title) > 500 or not _DATE_FIELD.match(fields[0]):
        return None
    published = _parse_date_text(_PARENTHESES.sub("", fields[0]).strip(), fallback=False)
    outlet = url = None
    one_of: list[str] = []
    collecting = False
    for position, field in enumerate(fields[1:], 1):
        bare = _PARENTHESES.sub("", field).strip()
        if collecting and _DOMAIN.fullmatch(bare):
            one_of.append(bare)
            continue
        collecting = False
        if _URL.match(field):
            url = url or field
        elif bare.lower().startswith("outlet="):
            outlet = bare[len("outlet="):].strip() or None
        elif bare.lower().startswith("outlet one of:"):
            first = bare.split(":", 1)[1].strip()
            one_of, collecting = ([first] if _DOMAIN.fullmatch(first) else []), True
        elif position == 1 and not _KEY_VALUE.match(field):
            outlet = re.split(r"\s*[,(]", field)[0].strip() or None  # "Yle Selkouutiset (plain...), ..."
    if outlet is None and one_of:
        outlet = " | ".join(one_of)  # the source only narrows it down to these
    if outlet is None and url is not None and (host := _URL.match(url)):
        outlet = host.group(1).lower()
    title_or_none = None if _NO_TITLE.fullmatch(title) else title
    return _header(text, lines, starts, 3, title_or_none, outlet, published, url)


def _block_header(text: str, lines: list[str], starts: list[int]) -> Header | None:
    filled = [(i, lines[i].strip()) for i in range(min(len(lines) - 1, 16)) if lines[i].strip()][:5]
    position = next((k for k, (_, line) in enumerate(filled[:4]) if _date_line(line) is not None), None)
    if position is None or not all(_headline_like(line, 25) for _, line in filled[:position]):
        return None
    index, line = filled[position]
    published = _date_line(line)
    before = [line for _, line in filled[:position] if not line.lower().startswith("by ")]
    title = outlet = None
    if before:
        title = max(before, key=len)
        outlet = next((line for line in before if line is not title and len(line.split()) <= 5), None)
    elif len(filled) > position + 2 and _headline_like(filled[position + 1][1], 20):
        index, title = filled[position + 1]  # the date comes first, then the title
    return _header(text, lines, starts, index + 1, title, outlet, published)


def _headline_header(text: str, lines: list[str], starts: list[int]) -> Header | None:
    first = lines[0].strip()
    if len(lines) < 2 or len(first.split()) < 2 or not _headline_like(first, 20):
        return None
    if not (first[0].isupper() or first[0].isdigit() or first[0] in "\"'“‘«"):
        return None
    header = _header(text, lines, starts, 1, first, None, None)
    return header if header.body.strip() else None


def _headline_like(line: str, max_words: int) -> bool:
    """Short, without a final full stop or comma, not a list item."""
    return (len(line) <= 200 and len(line.split()) <= max_words
            and not _TRAILING_PUNCTUATION.search(line) and not _LIST_ITEM.match(line))


def _date_line(line: str) -> date | None:
    """The date of a line that holds nothing but a date (with a time, zone or weekday), else None."""
    if len(line) > 60:
        return None
    for form in _DATE_FORMS:
        match = form.search(line)
        if match and _DATE_LINE_REST.fullmatch(line[: match.start()] + " " + line[match.end():]):
            return _make_date(match)
    return None


def _make_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"][:3].lower()]
    try:
        found = date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2100 else None


def date_from_name(name: str) -> date | None:
    """A date in a file name: ``20220420T124500_US_x.txt``, ``F_2026-02-23_x.txt``, ``20240815_02_x.txt``."""
    match = _NAME_DATE.search(name)
    return _make_date(match) if match else None


def parse_date(value: object) -> date | None:
    """A publication date from a JSON value: ISO strings, ``20220420T124500Z``, ``20 April 2022``,
    ``Apr 20, 2022``, ``20.04.2022``, epoch seconds or milliseconds; other strings through
    dateparser. None when nothing sensible (1900-2100) is found.

    >>> parse_date("2022-04-20T12:45:00Z"), parse_date("Wed, 20 Apr 2022 12:45:00 GMT")
    (datetime.date(2022, 4, 20), datetime.date(2022, 4, 20))
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            found = datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
        return found if 1900 <= found.year <= 2100 else None
    if isinstance(value, str) and 0 < len(value.strip()) <= 80:
        return _parse_date_text(value.strip())
    return None


@lru_cache(maxsize=4096)
def _parse_date_text(text: str, fallback: bool = True) -> date | None:
    if text.isdigit() and len(text) in (10, 13):
        return parse_date(int(text))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return parsed.date() if 1900 <= parsed.year <= 2100 else None
    if match := _COMPACT_DATE.fullmatch(text):
        return _make_date(match)
    for form in _DATE_FORMS:
        if match := form.search(text):
            return _make_date(match)
    if not fallback or not any(c.isdigit() for c in text):
        return None
    try:
        import dateparser  # slow to import and to run: only for formats the rules above miss

        parsed = dateparser.parse(text, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # noqa: BLE001 -- dateparser raises assorted errors on odd strings
        return None
    return parsed.date() if parsed is not None and 1900 <= parsed.year <= 2100 else None


#: Lines at the top of a scraped page where a byline ("By" / "Jane Doe") is looked for.
BYLINE_LINES = 60
_BYLINE_NAME = re.compile(r"^(?:By\s+)?([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s*,?$")


def byline_in_text(text: str) -> str | None:
    """The first name of a byline near the top of a scraped page: the line after a line "By", or
    a line "By Jane Doe"; None when there is none. Read before page furniture is removed (a
    byline is a run of short lines, which the furniture filter drops).

    >>> byline_in_text("Title\\nBy\\nJane Doe\\n,\\nJo Roe\\nText.")
    'Jane Doe'
    >>> byline_in_text("By the end of May, 40 ships had left.") is None
    True
    """
    lines = [ln.strip() for ln in text.splitlines()[:BYLINE_LINES]]
    for i, line in enumerate(lines):
        cand = lines[i + 1] if line == "By" and i + 1 < len(lines) else line if line.startswith("By ") else None
        m = _BYLINE_NAME.match(cand) if cand else None
        if m:
            return m.group(1)
    return None
