"""The JSON API: articles, claims, search, check, entities, stories and the flat export tables."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..report import tables
from ..store import queries as qy
from .common import (
    MAX_CLAIM,
    MAX_Q,
    Format,
    IdPath,
    Limit,
    Offset,
    Q,
    Site,
    article_json,
    flat_response,
    parse_as_of,
    table_response,
)


def add_api(app: FastAPI, site: Site) -> None:
    pool, run_check = site.pool, site.run_check

    # ---- JSON API -------------------------------------------------------------------------------------------------
    # Handlers return JSONResponse themselves: the data is already plain JSON, and FastAPI's generic encoder would
    # walk every nested value again (a large share of a list request's CPU).
    @app.get("/api/articles", summary="Articles, paginated (limit ≤ 100; offset, or cursor from next_cursor)")
    async def api_articles(limit: Limit = 20, offset: Offset = 0,
                     cursor: Annotated[str | None, Query(pattern=r"^\d{1,18}$", description="next_cursor of the previous page")] = None,
                     format: Format = "json") -> Response:
        with pool.reader() as store:
            items, nxt = qy.articles_after(store, limit, after=int(cursor) if cursor else None, offset=offset)
            total = qy.count_articles(store)
        for it in items:
            it.pop("rowid", None)
        if format != "json":
            return table_response("articles", items, format)
        return JSONResponse({"articles": items, "total": total, "limit": limit, "offset": None if cursor else offset,
                             "next_cursor": str(nxt) if nxt is not None else None})

    @app.get("/api/articles/{article_id}", summary="One article with its facts and the relations of its claims")
    async def api_article(article_id: IdPath) -> JSONResponse:
        with pool.reader() as store:
            d = article_json(store, article_id)
        if d is None:
            raise HTTPException(404, f"no article {article_id}")
        return JSONResponse(d)

    @app.get("/api/claims", summary="Claims matching q (any word, best first); all claims when q is empty")
    async def api_claims(q: Q = "", limit: Limit = 20, offset: Offset = 0, format: Format = "json") -> Response:
        with pool.reader() as store:
            claims = qy.search_claims(store, q, limit, offset)
            if format != "json":
                return table_response("claims", claims, format)
            for c in claims:
                c["relations"] = qy.relations_for(store, {c["id"]})
        return JSONResponse({"q": q, "claims": claims, "limit": limit, "offset": offset})

    @app.get("/api/search", summary="Articles matching q (full-text), best first")
    async def api_search(q: Annotated[str, Query(min_length=1, max_length=MAX_Q)], limit: Limit = 20, offset: Offset = 0) -> JSONResponse:
        with pool.reader() as store:
            items = qy.search_articles(store, q, limit, offset)
        for it in items:
            it.pop("rowid", None)
            it["snippet"] = (it.get("snippet") or "").replace(qy.MARK_OPEN, "[").replace(qy.MARK_CLOSE, "]")
        return JSONResponse({"q": q, "articles": items, "limit": limit, "offset": offset})

    @app.get("/api/check", summary="Verdict for a claim against the corpus (the `check --json` object)")
    def api_check(claim: Annotated[str, Query(min_length=1, max_length=MAX_CLAIM)],
                  as_of: Annotated[str | None, Query(max_length=10, description="ISO date YYYY-MM-DD")] = None) -> JSONResponse:
        if not claim.strip():
            raise HTTPException(422, "claim must not be blank")
        return JSONResponse(run_check(claim.strip(), parse_as_of(as_of)))

    @app.get("/api/entities/{entity_id}", summary="One entity")
    async def api_entity(entity_id: IdPath) -> JSONResponse:
        with pool.reader() as store:
            ent = qy.entity(store, entity_id)
        if ent is None:
            raise HTTPException(404, f"no entity {entity_id}")
        return JSONResponse(ent)

    @app.get("/api/export/{kind}", summary="One whole flat table (the rows `storyline export KIND` writes)")
    def api_export(kind: Annotated[str, PathParam(pattern="^(" + "|".join(tables.KINDS) + ")$")],
                   format: Format = "csv") -> Response:
        with pool.reader() as store:
            flat = list(tables.rows(store, kind))
        if format == "json":
            return JSONResponse({"kind": kind, "columns": tables.columns(kind), "rows": flat})
        return flat_response(kind, flat, format)

    @app.get("/api/stories", summary="Stories with their article ids")
    async def api_stories() -> JSONResponse:
        with pool.reader() as store:
            return JSONResponse({"stories": qy.stories(store)})
