"""Readable plain-text rendering of claims for the terminal."""

from __future__ import annotations

import textwrap

from models import Claim


def _number(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def quantity_text(c: Claim) -> str:
    """'~50,000 count', '0.2-0.3 km/day', '>=78,329 count'."""
    q = c.quantity
    sign = {"exact": "", "approximately": "~", "at_least": ">=", "at_most": "<=", "nearly": "<~",
            "range": ""}[q.hedge.value]
    value = f"{_number(q.low)}-{_number(q.high)}" if q.value is None else _number(q.value)
    return f"{sign}{value} {q.unit.value}"


def claims_table(claims: list[Claim], width: int = 100) -> str:
    """One block per claim: figure, kind, hedge, actor, places, source, article and sentence."""
    if not claims:
        return "no claims found"
    out = []
    for c in claims:
        places = ", ".join(p.name for p in c.places) or "-"
        source = f"{c.source.name} [{c.source.type.value if c.source.type else '?'}]" if c.source else "-"
        ev = c.evidence
        when = ev.published.isoformat() if ev.published else "undated"
        out.append(f"{quantity_text(c):>22}  {c.kind.value:<11} hedge={c.quantity.hedge.value} "
                   f"actor={c.actor or '-'} places={places}")
        out.append(f"{'':>22}  source: {source}   {ev.path} ({when})")
        if c.group is not None:
            out.append(f"{'':>22}  group {c.group.id}: {c.group.mentions} mentions, "
                       f"{c.group.independent_sources} independent sources")
        out.append(textwrap.indent(textwrap.fill(f"\"{ev.sentence}\"", width - 24), " " * 24))
    out.append(f"{len(claims)} claims")
    return "\n".join(out)


def conflict_lines(conflict, groups: dict) -> str:
    """A conflict as text: what differs, then each group's value, mentions and sources."""
    lines = [f"{conflict.id}: {conflict.explanation}"]
    for gid in conflict.group_ids:
        g = groups.get(gid)
        if g is None:
            continue
        q = g.representative
        value = f"{_number(q.low)}-{_number(q.high)}" if q.value is None else _number(q.value)
        lines.append(f"    {q.hedge.value:>13} {value} {g.unit.value}  {g.kind.value} actor={g.actor or '-'} "
                     f"place={g.place or '-'}  {g.mentions} mentions, {g.independent_sources} independent "
                     f"sources: {', '.join(g.sources) or 'unsourced'}")
    return "\n".join(lines)
