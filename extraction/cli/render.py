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
    """One block per claim group (the same figure across articles): the figure, kind, actor,
    places, every source, mentions and independent sources, then each mention's article and
    sentence. Claims without a group are blocks of their own."""
    if not claims:
        return "no claims found"
    blocks: dict[str, list[Claim]] = {}
    for c in claims:
        blocks.setdefault(c.group.id if c.group else c.id, []).append(c)
    out = []
    for members in blocks.values():
        c = members[0]
        places = ", ".join(dict.fromkeys(p.name for m in members for p in m.places)) or "-"
        sources = ", ".join(dict.fromkeys(
            f"{m.source.name} [{m.source.type.value if m.source.type else '?'}]" for m in members if m.source
        )) or "none cited"
        independent = c.group.independent_sources if c.group else (1 if c.source else 0)
        out.append(f"{quantity_text(c):>22}  {c.kind.value:<11} hedge={c.quantity.hedge.value} "
                   f"actor={c.actor or '-'} places={places}")
        out.append(f"{'':>22}  {len(members)} mention(s), {independent} independent source(s): {sources}")
        for m in members:
            ev = m.evidence
            when = ev.published.isoformat() if ev.published else "undated"
            src = f" — {m.source.name}" if m.source else ""
            out.append(f"{'':>24}{ev.path} ({when}){src}")
            out.append(textwrap.indent(textwrap.fill(f"\"{ev.sentence}\"", width - 26), " " * 26))
    out.append(f"{len(claims)} claims in {len(blocks)} groups")
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
