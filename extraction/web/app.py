"""``claims serve``: the fact-checker's pages over a claim store, read-only.

A small Starlette app with Jinja2 templates (autoescaped) and a stylesheet shipped in the
package: nothing loads from the internet. Every page has a JSON twin (``.json``), and the
search results a CSV one, built from the same data the page shows.

Why not Datasette: every page asked for here (results grouped by claim group, a search box
parsed into filters, a timeline, conflicts side by side, claim and article pages) is custom,
so Datasette would only host custom routes and templates while its own table views would
show raw rows with claims as JSON blobs; a small ASGI app does the same with two
dependencies instead of Datasette's stack.
"""

from __future__ import annotations

import csv
import io
import socket
from datetime import date
from math import ceil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from extraction.cli.query import parse_query, suggest
from extraction.web import chart, views
from extraction.web.reader import StoreReader
from models import ClaimKind
from models.errors import ClaimsError

#: Claims read for one search (facets, timeline and groups are computed over them).
MAX_CLAIMS = 2000
#: Claim groups on one results page.
PER_PAGE = 20
#: Conflicts shown with search results.
MAX_CONFLICTS = 10
#: Example queries on the front page.
EXAMPLES = ("Kursk troops", "ISW territory 2024", "Ukraine's General Staff", "drones", "casualties Bakhmut")
#: The search's filters: a facet each (a month is picked as since and until), and the date bounds.
FILTERS = (*(f.value for f in views.Facet if f is not views.Facet.MONTH), "since", "until")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def url_with(params: dict[str, str], **changes: str | None) -> str:
    """The search URL for ``params`` with ``changes`` applied (None removes a key); changing a
    filter returns to page 1."""
    merged = {**params, **changes}
    if "page" not in changes:
        merged.pop("page", None)
    return "/search?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def search_data(reader: StoreReader, params: dict[str, str]) -> dict[str, Any] | None:
    """Everything the results page shows for ``params`` (q, the facet filters, page); None
    when the query asks for nothing (an empty search lists no claims)."""
    q = (params.get("q") or "").strip()
    kind = params.get("kind")
    explicit: dict[str, Any] = {
        "kinds": [ClaimKind(kind)] if kind in ClaimKind._value2member_map_ else [],
        "place": params.get("place") or None, "source": params.get("source") or None,
        "actor": params.get("actor") or None, "source_type": params.get("source_type") or None,
        "since": _date(params.get("since")), "until": _date(params.get("until")),
    }
    if not q and not any(explicit.values()):
        return None
    # a search that matches more than MAX_CLAIMS shows the latest ones
    flt = parse_query(q, **explicit).model_copy(update={"limit": MAX_CLAIMS + 1, "newest_first": True})
    claims = reader.claims(flt)
    capped = len(claims) > MAX_CLAIMS
    claims = claims[:MAX_CLAIMS]
    group_ids = sorted({c.group.id for c in claims if c.group})
    groups = reader.groups(group_ids)
    titles = reader.titles(sorted({c.evidence.doc_id for c in claims}))
    blocks = views.group_blocks(claims, groups, titles)
    pages = max(1, ceil(len(blocks) / PER_PAGE))
    try:
        page = min(max(int(params.get("page") or 1), 1), pages)
    except ValueError:
        page = 1
    # conflicts between two of the figures found first, then those with a figure outside them
    touching = sorted(reader.conflicts(set(group_ids)),
                      key=lambda c: not set(c.get("group_ids", [])) <= set(group_ids))
    return {
        "q": q, "params": params, "filter": flt.model_copy(update={"limit": None, "newest_first": False}),
        "understood": _understood(flt), "suggestion": suggest(q, reader.word_in_corpus) if q else None,
        "n_claims": len(claims), "capped": capped, "n_groups": len(blocks),
        "page": page, "pages": pages, "blocks": blocks[(page - 1) * PER_PAGE: page * PER_PAGE],
        "facets": views.facets(claims), "timeline": chart.timeline(claims),
        "conflicts": conflict_pairs(reader, None, touching[:MAX_CONFLICTS]), "conflicts_total": len(touching),
        "corpus_current": reader.corpus_current(),
    }


def _understood(flt: Any) -> list[tuple[str, str]]:
    """How the search box was read, for the line under it ('place: Kursk', 'kind: personnel')."""
    out = [("kind", k.value) for k in flt.kinds]
    out += [(name, getattr(flt, name)) for name in ("place", "actor", "source", "source_type") if getattr(flt, name)]
    if flt.period_start or flt.period_end:
        out.append(("period", f"{flt.period_start or '…'} – {flt.period_end or '…'}"))
    if flt.since or flt.until:
        out.append(("published", f"{flt.since or '…'} – {flt.until or '…'}"))
    if flt.text:
        out.append(("words", flt.text))
    return out


def conflict_pairs(reader: StoreReader, group_ids: set[str] | None,
                   conflicts: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Conflicts touching these groups (all when None; or the ``conflicts`` given), each side
    with its group's first printed claim: figure, sentence, source, date."""
    conflicts = reader.conflicts(group_ids) if conflicts is None else conflicts
    gids = sorted({g for c in conflicts for g in c.get("group_ids", [])})
    groups = reader.groups(gids)
    firsts = {gid: (groups.get(gid, {}).get("claim_ids") or [None])[0] for gid in gids}
    claims = reader.claims_by_id([cid for cid in firsts.values() if cid])
    out = []
    for c in conflicts:
        sides = []
        for gid in c.get("group_ids", []):
            g = groups.get(gid, {})
            claim = claims.get(firsts.get(gid) or "")
            sides.append({"group": gid, "mentions": g.get("mentions"), "independent_sources":
                          g.get("independent_sources"), "sources": g.get("sources", []),
                          "figure": views.figure(g["representative"]) if g.get("representative") else "?",
                          "claim": views.claim_summary(claim) if claim else None})
        out.append({"id": c["id"], "differs": c.get("differs", []), "explanation": c.get("explanation"),
                    "sides": sides})
    return out


def _jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def create_app(db: str | Path) -> Starlette:
    """The ASGI app serving the store at ``db`` (opened read-only on each request)."""
    env = Environment(loader=PackageLoader("extraction.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals |= {"url_with": url_with, "examples": EXAMPLES, "hedge_words": views.HEDGE_WORDS,
                       "sentence_segments": views.sentence_segments, "number": views.number}
    env.filters["basename"] = lambda path: str(path).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    templates = Jinja2Templates(env=env)
    static = Path(__file__).parent / "static"

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def not_found(request: Request, what: str) -> Response:
        return page(request, "missing.html", status=404, what=what)

    def index(request: Request) -> Response:
        with StoreReader(db) as reader:
            overview = reader.overview()
        if request.url.path.endswith(".json"):
            return JSONResponse(overview)
        return page(request, "index.html", overview=overview)

    def search(request: Request) -> Response:
        fmt = request.path_params.get("fmt", "html")
        if fmt not in ("html", "json", "csv"):
            return not_found(request, f"format {fmt}")
        params = {k: v for k, v in request.query_params.items() if k in ("q", "page", *FILTERS) and v}
        with StoreReader(db) as reader:
            data = search_data(reader, params)
            overview = reader.overview() if data is None else None
        if data is None:
            if fmt != "html":
                return JSONResponse({"error": "empty query: type words or choose a filter"}, status_code=400)
            return page(request, "index.html", overview=overview, empty=True)
        rows = [views.export_row(b) for b in data["blocks"]]
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["group"])
            writer.writeheader()
            writer.writerows(rows)
            return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="claims-search.csv"'})
        if fmt == "json":
            return JSONResponse({
                "query": data["q"], "filter": data["filter"].model_dump(mode="json", exclude_defaults=True),
                "page": data["page"], "pages": data["pages"], "groups_total": data["n_groups"],
                "claims_total": data["n_claims"], "capped": data["capped"], "suggestion": data["suggestion"],
                "groups": [{**row, "claims": [c.model_dump(mode="json") for c in b["claims"]]}
                           for row, b in zip(rows, data["blocks"], strict=True)],
                "conflicts": _jsonable(data["conflicts"]), "conflicts_total": data["conflicts_total"],
                "facets": data["facets"],
                "timeline": [{k: p[k] for k in ("source", "value", "date", "claim_id")}
                             for s in (data["timeline"] or {}).get("series", []) for p in s["points"]],
            })
        return page(request, "search.html", **data)

    def claim_page(request: Request) -> Response:
        cid, fmt = request.path_params["claim_id"], request.path_params.get("fmt", "html")
        if fmt not in ("html", "json"):
            return not_found(request, f"format {fmt}")
        with StoreReader(db) as reader:
            claim = reader.claim(cid)
            if claim is None:
                return not_found(request, f"claim {cid}")
            article = reader.article(claim.evidence.doc_id) or {}
            appearances = reader.appearances(claim.evidence.doc_id)
            group = reader.groups([claim.group.id]).get(claim.group.id, {}) if claim.group else {}
            others = reader.claims_by_id([i for i in group.get("claim_ids", []) if i != claim.id])
            conflicts = conflict_pairs(reader, {claim.group.id}) if claim.group else []
        if fmt == "json":
            return JSONResponse({"claim": claim.model_dump(mode="json"), "appearances": _jsonable(appearances),
                                 "group": group, "conflicts": _jsonable(conflicts)})
        text = article.get("text") or ""
        ev = claim.evidence
        paragraph = views.paragraph_of(text, ev.start, ev.end, claim.id) if text else views.sentence_segments(claim)
        return page(request, "claim.html", claim=claim, article=article, paragraph=paragraph,
                    figure=views.figure(claim.quantity), rules=views.rules_by_attribute(claim),
                    appearances=appearances, group=group, conflicts=conflicts,
                    others=[views.claim_summary(c) for c in others.values()])

    def article_page(request: Request) -> Response:
        aid, fmt = request.path_params["article_id"], request.path_params.get("fmt", "html")
        if fmt not in ("html", "json"):
            return not_found(request, f"format {fmt}")
        with StoreReader(db) as reader:
            article = reader.article(aid)
            if article is None:
                return not_found(request, f"article {aid}")
            claims = reader.article_claims(aid)
            appearances = reader.appearances(aid)
        if fmt == "json":
            return JSONResponse({"article": article, "appearances": appearances,
                                 "claims": [c.model_dump(mode="json") for c in claims]})
        spans = [(c.evidence.start, c.evidence.end, c.id) for c in claims]
        return page(request, "article.html", article=article, appearances=appearances,
                    paragraphs=views.paragraphs(article["text"], spans),
                    claims={c.id: views.claim_summary(c) for c in claims})

    def conflicts_page(request: Request) -> Response:
        fmt = request.path_params.get("fmt", "html")
        if fmt not in ("html", "json"):
            return not_found(request, f"format {fmt}")
        with StoreReader(db) as reader:
            every = reader.conflicts(None)
            pages = max(1, ceil(len(every) / PER_PAGE))
            try:
                number = min(max(int(request.query_params.get("page") or 1), 1), pages)
            except ValueError:
                number = 1
            conflicts = conflict_pairs(reader, None, every[(number - 1) * PER_PAGE: number * PER_PAGE])
        if fmt == "json":
            return JSONResponse({"page": number, "pages": pages, "total": len(every),
                                 "conflicts": _jsonable(conflicts)})
        return page(request, "conflicts.html", conflicts=conflicts, page_no=number, pages=pages, total=len(every))

    routes = [
        Route("/", index), Route("/index.json", index),
        Route("/search", search), Route("/search.{fmt:str}", search),
        Route("/claim/{claim_id:str}.{fmt:str}", claim_page), Route("/claim/{claim_id:str}", claim_page),
        Route("/article/{article_id:str}.{fmt:str}", article_page), Route("/article/{article_id:str}", article_page),
        Route("/conflicts", conflicts_page), Route("/conflicts.{fmt:str}", conflicts_page),
        Mount("/static", app=StaticFiles(directory=static), name="static"),
    ]
    return Starlette(routes=routes)


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8001, announce: Any = print) -> None:
    """Serve the store at ``db`` until interrupted; ``announce`` gets the URL first.
    StoreError when the store cannot be read, ClaimsError when the address cannot be bound."""
    import uvicorn

    with StoreReader(db):  # fail now, with a one-line error, rather than on the first request
        pass
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ClaimsError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
    suggest(parse_query("ISW Kursk troops 2024").text or "troops")  # load the gazetteers before the first search
    announce(f"serving {db} read-only at http://{host}:{port}/  (Ctrl-C stops)")
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
