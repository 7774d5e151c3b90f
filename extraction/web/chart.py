"""The timeline of a search: figures over time, one colour per source, as SVG coordinates.

Pure: Claims in, a dict of points, lines, ticks and legend out; the template draws it, so
every string in the chart is escaped like the rest of the page. No JavaScript.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

from models import Claim

PALETTE = ("#1f5fa8", "#c0392b", "#2e8b57", "#d98c00", "#7b3fa0", "#00838f", "#8d6e63")
GREY, OTHER = "#8a949e", "#b7bec6"
UNSOURCED, OTHERS = "no source cited", "other sources"


def claim_date(c: Claim) -> date | None:
    """When a figure held: the end of its period when resolved, else its publication date; never
    after the publication date ("6,700 km² in 2026", printed in February, held in February)."""
    published = c.evidence.published
    if c.period is not None and c.period.resolved and (c.period.end or c.period.start):
        held = c.period.end or c.period.start
        return min(held, published) if held and published else held
    return published


def number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def nice_step(raw: float) -> float:
    """The round step (1, 2, 2.5 or 5 times a power of ten) at or above ``raw``.

    >>> nice_step(16960), nice_step(0.3)
    (20000.0, 0.5)
    """
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def _value(c: Claim) -> float | None:
    q = c.quantity
    if q.value is not None:
        return q.value
    if q.low is not None and q.high is not None:
        return (q.low + q.high) / 2
    return q.low if q.low is not None else q.high


class _Scale:
    """Value -> y: linear from 0, or log10 when the figures span more than ``log_span`` times."""

    def __init__(self, values: list[float], top: float, bottom: float, log_span: float = 200.0):
        positive = [v for v in values if v > 0]
        self.top, self.bottom = top, bottom
        self.log = bool(positive) and len(positive) == len(values) and max(positive) / min(positive) > log_span
        if self.log:
            self.lo = math.floor(math.log10(min(positive)))
            self.hi = math.ceil(math.log10(max(positive)) + 0.05)
            self.ticks = [10.0 ** e for e in range(self.lo, self.hi + 1)]
        else:
            step = nice_step(max(values, default=1.0) * 1.1 / 4)
            self.ticks = [step * i for i in range(5)]
            self.vmax = step * 4

    def __call__(self, v: float) -> float:
        share = ((math.log10(max(v, 10.0 ** self.lo)) - self.lo) / (self.hi - self.lo)) if self.log else v / self.vmax
        return round(self.bottom - (self.bottom - self.top) * share, 1)


def _xticks(first: date, last: date, x: Any, min_gap: float = 70.0) -> list[dict[str, Any]]:
    span = (last - first).days
    months = (1,) if span > 3 * 365 else (1, 7) if span > 400 else (1, 4, 7, 10) if span > 150 else tuple(range(1, 13))
    inner = [date(y, m, 1) for y in range(first.year, last.year + 1) for m in months if first < date(y, m, 1) < last]
    ticks = [{"x": x(d), "label": d.strftime("%b %Y") if len(months) > 1 or d.month != 1 else str(d.year)}
             for d in inner]
    for end in (first, last):  # the first and last dates, unless a tick stands too close
        xe = x(end)
        if all(abs(xe - t["x"]) >= min_gap for t in ticks):
            ticks.append({"x": xe, "label": end.isoformat()})
    return sorted(ticks, key=lambda t: t["x"])


def timeline(claims: list[Claim], width: int = 860, height: int = 300, max_series: int = 7) -> dict[str, Any] | None:
    """Points for an SVG chart of the figures over time, one series (colour) per source.

    Only the most common kind and unit among ``claims`` is drawn (figures in km² and troop
    counts share no axis). A point's date is the end of its period, else its publication
    date; undated figures stand in a column of their own at the right. The most frequent
    ``max_series`` sources get a colour and a line through their dated figures (how their
    estimate moved); other sources and unsourced figures are grey dots. Labels that would
    overlap are left to the tooltip. None when nothing can be drawn.
    """
    valued = [c for c in claims if _value(c) is not None]
    if not valued:
        return None
    (kind, unit), _ = Counter((c.kind.value, c.quantity.unit.value) for c in valued).most_common(1)[0]
    cs = [c for c in valued if c.kind.value == kind and c.quantity.unit.value == unit]
    left, right, top, bottom = 78, 24, 22, height - 44
    dates = {c.id: claim_date(c) for c in cs}
    dated = sorted(d for d in dates.values() if d)
    undated = len(dated) < len(cs)
    plot_right = width - right - (90 if undated else 0)
    scale = _Scale([v for c in cs for v in (_value(c), c.quantity.low, c.quantity.high) if v is not None], top, bottom)
    d0 = d1 = 0.0
    if dated:
        d0, d1 = dated[0].toordinal(), dated[-1].toordinal()
        if d0 == d1:
            d0, d1 = d0 - 15, d1 + 15
        pad = (d1 - d0) * 0.04
        d0, d1 = d0 - pad, d1 + pad

    def x(d: date) -> float:
        return round(left + (plot_right - left) * (d.toordinal() - d0) / (d1 - d0), 1)

    counts = Counter(c.source.name for c in cs if c.source)
    coloured = [name for name, _ in counts.most_common(max_series)]
    series: dict[str, dict[str, Any]] = {
        name: {"name": name, "colour": PALETTE[i], "points": [], "line": ""} for i, name in enumerate(coloured)}
    series[UNSOURCED] = {"name": UNSOURCED, "colour": GREY, "points": [], "line": ""}
    series[OTHERS] = {"name": OTHERS, "colour": OTHER, "points": [], "line": ""}
    stack: Counter[int] = Counter()  # undated points side by side, a few per row
    for c in sorted(cs, key=lambda c: (dates[c.id] or date.max, c.id)):
        name = c.source.name if c.source else UNSOURCED
        s = series[name if name in series else OTHERS]
        d, v = dates[c.id], _value(c) or 0.0
        if d is None:
            slot = stack[round(scale(v) / 8)]
            stack[round(scale(v) / 8)] += 1
            px = plot_right + 45 + ((slot % 4) - 1.5) * 13
        else:
            px = x(d)
        s["points"].append({
            "x": px, "y": scale(v), "label": number(v), "claim_id": c.id, "dated": d is not None,
            "named": name in coloured, "value": v, "date": d.isoformat() if d else None, "source": name,
            "y_low": scale(c.quantity.low) if c.quantity.low is not None and c.quantity.high is not None else None,
            "y_high": scale(c.quantity.high) if c.quantity.low is not None and c.quantity.high is not None else None,
            "title": f"{c.quantity.text} — {name}, {d.isoformat() if d else 'undated'}",
        })
    for name in coloured:
        pts = [p for p in series[name]["points"] if p["dated"]]
        if len(pts) > 1:
            series[name]["line"] = " ".join(f"{p['x']},{p['y']}" for p in pts)
    _place_labels([p for s in series.values() for p in s["points"]])
    return {
        "width": width, "height": height, "left": left, "top": top, "bottom": bottom, "plot_right": plot_right,
        "undated_x": plot_right + 45 if undated else None, "kind": kind, "unit": unit, "log": scale.log,
        "series": [s for s in series.values() if s["points"]],
        "yticks": [{"y": scale(t), "label": number(t)} for t in scale.ticks],
        "xticks": _xticks(dated[0], dated[-1], x) if dated else [],
        "n": len(cs), "left_out": len(claims) - len(cs),
    }


def _place_labels(points: list[dict[str, Any]]) -> None:
    """Keep a point's value label only where it overlaps no label kept before; figures of the
    coloured sources first, then the larger values."""
    kept: list[tuple[float, float, float, float]] = []
    for p in points:
        p["show_label"] = False
    for p in sorted(points, key=lambda p: (not p["named"], p["y"])):
        box = (p["x"] + 7, p["y"] - 20, p["x"] + 9 + 7.5 * len(p["label"]), p["y"] - 5)
        if all(box[2] < k[0] or box[0] > k[2] or box[3] < k[1] or box[1] > k[3] for k in kept):
            kept.append(box)
            p["show_label"] = True
