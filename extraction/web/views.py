"""What each served page shows, as plain data: pure functions over Claims and stored rows.

The templates only lay this data out; every page's JSON and CSV twin is built from the
same dicts, so a download holds exactly what the page shows.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date
from enum import StrEnum
from typing import Any

from models import Claim

HEDGE_WORDS = {"exact": "", "approximately": "about", "at_least": "at least", "at_most": "at most",
               "nearly": "nearly", "range": ""}
UNIT_WORDS = {"count": "", "km2": "km²", "km": "km", "km/day": "km/day", "percent": "%", "times": "times"}


def number(x: float | None) -> str:
    """'59,000', '0.25', '?'."""
    if x is None:
        return "?"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def figure(q: dict[str, Any] | Any) -> str:
    """A quantity as a reader says it: 'about 59,000', 'at least 1,200 km²', '20-30%'."""
    d = q if isinstance(q, dict) else q.model_dump(mode="json")
    value = f"{number(d.get('low'))}–{number(d.get('high'))}" if d.get("value") is None else number(d["value"])
    unit = UNIT_WORDS.get(d["unit"], d["unit"])
    hedge = HEDGE_WORDS.get(d["hedge"], d["hedge"])
    text = f"{value}%" if unit == "%" else f"{value} {unit}".strip()
    return f"{hedge} {text}".strip()


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Cut ``text`` into (piece, claim_id or None) so the template can mark the claims' figures
    without building HTML: every piece is escaped as it is written. Overlapping spans after the
    first are dropped.

    >>> segments("about 500 tanks", [(6, 9, "c1")])
    [('about ', None), ('500', 'c1'), (' tanks', None)]
    """
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, cid in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], cid))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def paragraphs(text: str, spans: list[tuple[int, int, str]]) -> list[list[tuple[str, str | None]]]:
    """The text's paragraphs (its non-empty lines), each as ``segments`` with the spans inside it."""
    out = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip():
            inside = [(s - start, e - start, cid) for s, e, cid in spans if s >= start and e <= end]
            out.append(segments(line, inside))
    return out


def paragraph_of(text: str, start: int, end: int, cid: str) -> list[tuple[str, str | None]]:
    """The paragraph (line) holding [start, end), as segments with that span marked."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return segments(text[left:right], [(start - left, end - left, cid)])


def sentence_segments(c: Claim) -> list[tuple[str, str | None]]:
    """The claim's sentence with its figure marked."""
    ev = c.evidence
    return segments(ev.sentence, [(ev.start - ev.sentence_start, ev.end - ev.sentence_start, c.id)])


def first_place(c: Claim) -> str | None:
    return c.places[0].name if c.places else None


class Facet(StrEnum):
    """What the results can be narrowed by, each with its counts on the page."""

    KIND = "kind"
    SOURCE = "source"
    SOURCE_TYPE = "source_type"
    ACTOR = "actor"
    PLACE = "place"
    MONTH = "month"


def facets(claims: list[Claim], limit: int = 8) -> dict[str, list[Any]]:
    """Value -> count for each facet, most frequent first, over the matching claims."""
    counters: dict[str, Counter[str]] = {k.value: Counter() for k in Facet}
    for c in claims:
        counters["kind"][c.kind.value] += 1
        counters["source"][c.source.name if c.source else ""] += 1
        if c.source and c.source.type:
            counters["source_type"][c.source.type.value] += 1
        if c.actor:
            counters["actor"][c.actor] += 1
        if p := first_place(c):
            counters["place"][p] += 1
        if c.evidence.published:
            counters["month"][c.evidence.published.isoformat()[:7]] += 1
    out: dict[str, list[Any]] = {k: v.most_common(limit) for k, v in counters.items() if k != "month"}
    out["month"] = []
    for month, n in sorted(counters["month"].items()):
        y, m = int(month[:4]), int(month[5:])
        out["month"].append({"month": month, "n": n, "since": f"{month}-01",
                             "until": f"{month}-{calendar.monthrange(y, m)[1]:02d}"})
    return out


def group_blocks(claims: list[Claim], groups: dict[str, dict[str, Any]],
                 titles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One block per claim group among ``claims`` (an ungrouped claim is its own block), most
    mentioned first, then the latest; each with its figure, attributes, sources, outlets,
    independent-source count, first and latest appearance, and the mentions shown."""
    members: dict[str, list[Claim]] = {}
    for c in claims:
        members.setdefault(c.group.id if c.group else c.id, []).append(c)
    blocks = []
    for key, cs in members.items():
        g = groups.get(key, {})
        rep = max(cs, key=lambda c: (c.quantity.hedge.value == "exact", c.evidence.published or date.min))
        dates = sorted(d for d in (c.evidence.published for c in cs) if d)
        sources: dict[str, str | None] = {}
        for c in cs:
            if c.source:
                sources.setdefault(c.source.name, c.source.type.value if c.source.type else None)
        outlets = list(dict.fromkeys(
            o for o in [*(g.get("outlets") or []), *(c.reporter or titles.get(c.evidence.doc_id, {}).get("outlet")
                                                    for c in cs)] if o))
        periods = sorted({c.period.text for c in cs if c.period})
        blocks.append({
            "id": key,
            "figure": figure(rep.quantity),
            "printed": rep.quantity.text,
            "value": rep.quantity.value,
            "low": rep.quantity.low,
            "high": rep.quantity.high,
            "unit": rep.quantity.unit.value,
            "hedge": rep.quantity.hedge.value,
            "kind": rep.kind.value,
            "actor": rep.actor,
            "places": list(dict.fromkeys(p.name for c in cs for p in c.places)),
            "period": ", ".join(periods) or None,
            "sources": [{"name": n, "type": t} for n, t in sources.items()],
            "outlets": outlets,
            "mentions": g.get("mentions", len(cs)),
            "independent_sources": g.get("independent_sources", 1 if sources else 0),
            "first_published": g.get("first_published") or (dates[0].isoformat() if dates else None),
            "last_published": g.get("last_published") or (dates[-1].isoformat() if dates else None),
            "claims": cs,
        })
    blocks.sort(key=lambda b: (-b["mentions"], -(b["independent_sources"] or 0), b["last_published"] or ""))
    return blocks


def export_row(block: dict[str, Any]) -> dict[str, Any]:
    """One CSV/JSON row for a result block: what its card shows, flattened."""
    return {
        "group": block["id"], "figure": block["figure"], "printed": block["printed"],
        "value": block["value"], "low": block["low"], "high": block["high"], "unit": block["unit"],
        "hedge": block["hedge"], "kind": block["kind"], "actor": block["actor"],
        "places": "; ".join(block["places"]), "period": block["period"],
        "sources": "; ".join(s["name"] for s in block["sources"]),
        "source_types": "; ".join(s["type"] or "" for s in block["sources"]),
        "outlets": "; ".join(block["outlets"]), "mentions": block["mentions"],
        "independent_sources": block["independent_sources"],
        "first_published": block["first_published"], "last_published": block["last_published"],
        "claim_ids": "; ".join(c.id for c in block["claims"]),
    }


def rules_by_attribute(c: Claim) -> list[tuple[str, list[str]]]:
    """The claim's rule ids grouped by the attribute they set, from their first dotted part
    ('source.frame.poll' sets the source)."""
    names = {"quantity": "figure", "number": "figure", "hedge": "hedge", "unit": "unit", "kind": "kind",
             "source": "source", "cue": "source", "actor": "actor", "place": "place", "places": "place",
             "date": "period", "period": "period"}
    out: dict[str, list[str]] = {}
    for rule in c.rules:
        out.setdefault(names.get(rule.split(".", 1)[0], rule.split(".", 1)[0]), []).append(rule)
    return list(out.items())


def claim_summary(c: Claim) -> dict[str, Any]:
    """The short form of a claim used in lists and conflict columns."""
    return {"id": c.id, "figure": figure(c.quantity), "printed": c.quantity.text, "kind": c.kind.value,
            "actor": c.actor, "place": first_place(c), "source": c.source.name if c.source else None,
            "source_type": c.source.type.value if c.source and c.source.type else None,
            "published": c.evidence.published.isoformat() if c.evidence.published else None,
            "period": c.period.text if c.period else None, "doc_id": c.evidence.doc_id,
            "path": c.evidence.path, "title": c.evidence.title, "sentence": sentence_segments(c)}
