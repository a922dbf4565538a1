"""The server-rendered pages: stories, articles, entities, search, the claim-check form and the API's own page."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..errors import ModelError, StoreError, StorylineError
from ..store import queries as qy
from .common import CSS, MAX_CLAIM, IdPath, Limit, Offset, Q, Site, article_json, parse_as_of


def add_pages(app: FastAPI, site: Site) -> None:
    pool, views, run_check = site.pool, site.views, site.run_check

    # ---- pages ----------------------------------------------------------------------------------------------------
    # Read handlers are `async def` and query SQLite inline: each read is a few milliseconds of indexed work, and
    # skipping the thread-pool hop (two thread wake-ups per request) keeps tail latency low on a busy machine.
    # Only the claim check, which runs models for a second or more, goes to the thread pool.
    @app.get("/static/app.css", include_in_schema=False)
    async def css() -> Response:
        return Response(CSS, media_type="text/css", headers={"cache-control": "public, max-age=3600"})

    @app.get("/", response_class=HTMLResponse, summary="Stories and recent articles")
    async def home(limit: Limit = 20, offset: Offset = 0) -> HTMLResponse:
        with pool.reader() as store:
            total = qy.count_articles(store)
            ctx = {"counts": qy.counts(store), "stories": qy.stories(store)[:50], "total": total,
                   "articles": qy.recent_articles(store, limit, offset)}
        return HTMLResponse(views.render("index.html", page=views.pager("/", {}, limit, offset, total), **ctx))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, summary="One story and its articles")
    async def story_page(story_id: IdPath, limit: Limit = 20, offset: Offset = 0) -> HTMLResponse:
        with pool.reader() as store:
            st = qy.story(store, story_id)
            if st is None:
                raise HTTPException(404, f"no story {story_id}")
            total = qy.count_articles(store, story_id=story_id)
            arts = (qy.recent_articles(store, limit, offset, story_id=story_id) if total
                    else qy.articles_by_ids(store, (st.get("article_ids") or [])[offset:offset + limit]))
            total = total or len(st.get("article_ids") or [])
        return HTMLResponse(views.render("story.html", story=st, articles=arts,
                                         page=views.pager(f"/stories/{story_id}", {}, limit, offset, total)))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, summary="One article with its facts")
    async def article_page(article_id: IdPath) -> HTMLResponse:
        with pool.reader() as store:
            d = article_json(store, article_id)
            if d is None:
                raise HTTPException(404, f"no article {article_id}")
            dup = qy.articles_by_ids(store, [d["duplicate_of"]]) if d.get("duplicate_of") else []
        return HTMLResponse(views.render("article.html", a=d, duplicate=dup[0] if dup else None, **views.article_view(d)))

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, summary="One entity: articles, quotes, claims")
    async def entity_page(entity_id: IdPath, limit: Limit = 20, offset: Offset = 0) -> HTMLResponse:
        with pool.reader() as store:
            ent = qy.entity(store, entity_id)
            if ent is None:
                raise HTTPException(404, f"no entity {entity_id}")
            ids = ent.get("article_ids") or []
            arts = qy.articles_by_ids(store, ids[offset:offset + limit])
            mentions = qy.entity_mentions(store, ent)
            said_in = {m["article_id"] for kind in ("quotes", "claims") for m in mentions[kind][:100]}
            meta = {a["id"]: a for a in qy.articles_by_ids(store, sorted(said_in))}
        return HTMLResponse(views.render("entity.html", e=ent, articles=arts, meta=meta, **mentions,
                                         page=views.pager(f"/entities/{entity_id}", {}, limit, offset, len(ids))))

    @app.get("/search", response_class=HTMLResponse, summary="Full-text search over articles and claims")
    async def search_page(q: Q = "", limit: Limit = 20, offset: Offset = 0) -> HTMLResponse:
        arts, claims = [], []
        if q.strip():
            with pool.reader() as store:
                arts = qy.search_articles(store, q, limit + 1, offset)
                claims = qy.search_claims(store, q, 10) if offset == 0 else []
        page = views.pager("/search", {"q": q}, limit, offset, None, has_next=len(arts) > limit, shown=len(arts[:limit]))
        return HTMLResponse(views.render("search.html", q=q, articles=arts[:limit], claims=claims, page=page))

    async def _form(request: Request) -> dict[str, str]:
        body = (await request.body()).decode("utf-8", "replace")
        try:
            return {k: v[0] for k, v in parse_qs(body, max_num_fields=10).items()}
        except ValueError as exc:       # more than 10 fields: the client's mistake, not a server error
            raise HTTPException(413, "the form has more than 10 fields") from exc

    @app.get("/check", response_class=HTMLResponse, summary="Claim-check form (GET with ?claim=&as_of= checks too)")
    async def check_get(request: Request) -> HTMLResponse:
        return await check_page(request)

    @app.post("/check", response_class=HTMLResponse, summary="Claim-check form submission")
    async def check_post(request: Request) -> HTMLResponse:
        return await check_page(request)

    async def check_page(request: Request) -> HTMLResponse:
        fields = dict(request.query_params) if request.method == "GET" else await _form(request)
        claim, as_of_raw = fields.get("claim", "").strip(), fields.get("as_of", "").strip()
        result, error, status = None, None, 200
        if claim:
            if len(claim) > MAX_CLAIM:
                error, status = f"the claim is longer than {MAX_CLAIM} characters", 422
            else:
                try:
                    result = await run_in_threadpool(run_check, claim, parse_as_of(as_of_raw))
                except HTTPException as exc:
                    error, status = str(exc.detail), exc.status_code
                except (ModelError, StoreError) as exc:
                    error, status = f"claim checking is not available: {exc}", 503
                except StorylineError as exc:
                    error, status = str(exc), 400
        return HTMLResponse(views.render("check.html", claim=claim, as_of=as_of_raw, result=result, error=error),
                            status_code=status)

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(views.render("apidoc.html", spec=app.openapi()))
