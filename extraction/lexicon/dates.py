"""Resolve the time expressions the date ruler found against the publication date. Pure.

Years and relative periods are computed directly; day/month expressions go through
dateparser (cached, since news repeats the same few expressions). Without a publication
date, an expression that needs one is returned unresolved.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def resolve_period(text: str, published: date | None) -> tuple[date | None, date | None, bool]:
    """(start, end, resolved) for a time expression.

    >>> resolve_period("in 2024", None)
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), True)
    >>> resolve_period("this year", date(2024, 11, 20))
    (datetime.date(2024, 1, 1), datetime.date(2024, 11, 20), True)
    """
    low = " ".join(text.lower().split())
    years = _YEAR.findall(low)
    words = re.findall(r"[a-z]+", low)
    month = next((_MONTHS[w] for w in words if w in _MONTHS), None)
    if re.search(r"\b(this|last|previous|past|next)\s+(year|month|week)", low):
        if published is None:
            return None, None, False
        return _relative(low, published)
    if month is None and years:
        y = int(years[0])
        if len(years) > 1 or re.search(r"\d{4}\s*[-–/]\s*\d{2}", low):
            y2 = int(years[-1]) if len(years) > 1 else y + 1
            return date(y, 1, 1), date(y2, 12, 31), True
        return date(y, 1, 1), date(y, 12, 31), True
    if month is not None:
        year = int(years[0]) if years else _year_for_month(month, published)
        if year is None:
            return None, None, False
        day = re.search(r"\b(\d{1,2})\b", low)
        if day and 1 <= int(day.group(1)) <= 31:
            parsed = _day(year, month, int(day.group(1)))
            if parsed is not None:
                start = end = parsed
            else:
                return None, None, False
        else:
            start = date(year, month, 1)
            end = date(year, month, calendar.monthrange(year, month)[1])
        if low.startswith(("since", "from")):
            return start, published, True
        if low.startswith("as of"):
            return None, end, True
        return start, end, True
    if published is not None and re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", low):
        parsed = _weekday(low, published)
        return parsed, parsed, parsed is not None
    return None, None, False


def _year_for_month(month: int, published: date | None) -> int | None:
    """News speaks of the most recent such month: in an article of March 2024, "November" is 2023."""
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def _relative(low: str, published: date) -> tuple[date | None, date | None, bool]:
    y, m = published.year, published.month
    if "year" in low:
        if "this" in low:
            return date(y, 1, 1), published, True
        return date(y - 1, 1, 1), date(y - 1, 12, 31), True
    if "month" in low:
        if "this" in low:
            return date(y, m, 1), published, True
        pm, py = (m - 1, y) if m > 1 else (12, y - 1)
        return date(py, pm, 1), date(py, pm, calendar.monthrange(py, pm)[1]), True
    return None, published, True


@lru_cache(maxsize=4096)
def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


#: Monday first, as ``date.weekday()`` counts.
_WEEKDAYS = tuple(d.lower() for d in calendar.day_name)


def _weekday(text: str, published: date) -> date | None:
    """'On Tuesday' in news means the latest Tuesday up to the publication date; anything
    else goes to dateparser."""
    for i, name in enumerate(_WEEKDAYS):
        if name in text:
            return published - timedelta(days=(published.weekday() - i) % 7)
    return _parse(text, published)


def _parse(text: str, base: date | None = None) -> date | None:
    import dateparser  # a fifth of a second to import: only when an expression needs it

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None
