"""`storyline serve`: a small read-only web app and JSON API over the store.

Pages are rendered on the server (Jinja2, autoescape on, no script at all), so the strict CSP costs nothing. Every
request borrows a read-only connection from a small pool and reads inside one transaction, so a page is consistent
even while `analyze` writes (WAL). Inputs are validated by FastAPI; any error becomes ``{"error": message}``
(or a plain HTML error page for a browser), never a traceback.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..config import Settings
from ..errors import ModelError, StoreError, StorylineError, UsageError
from ..report import tables
from ..store import Store
from ..store import queries as qy
from .security import SecurityLayer
from .views import Views

log = logging.getLogger("storyline.web")

ID = r"^[A-Za-z0-9_-]{1,100}$"          # content ids: letters, digits, '_' and '-': no '.', '/', '%' — no traversal
MAX_Q, MAX_CLAIM = 500, 1000
Limit = Annotated[int, Query(ge=1, le=100, description="page size (1–100)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Q = Annotated[str, Query(max_length=MAX_Q, description="search text")]
IdPath = Annotated[str, PathParam(pattern=ID, max_length=100)]
Format = Annotated[str, Query(pattern=r"^(json|csv|jsonl)$", description="json (default), or a flat table: csv, jsonl "
                                                                          "(columns in docs/export.md)")]
CSS = (Path(__file__).resolve().parent.parent / "report" / "templates" / "base.css").read_text(encoding="utf-8")


class StorePool:
    """Read-only connections handed out one request at a time (a connection is never shared by two threads)."""

    def __init__(self, db_path: str, size: int = 16) -> None:
        self.db_path = db_path
        self.idle: queue.LifoQueue[Store] = queue.LifoQueue(maxsize=size)

    @contextmanager
    def reader(self) -> Iterator[Store]:
        try:
            store = self.idle.get_nowait()
        except queue.Empty:
            store = Store(self.db_path, readonly=True)
        ok = False
        try:
            store.begin_snapshot()        # one snapshot for the whole request
            yield store
            ok = True
        finally:
            try:
                store.end_snapshot()
            except Exception:  # noqa: BLE001 - a broken connection is dropped, not reused
                ok = False
            if ok:
                try:
                    self.idle.put_nowait(store)
                except queue.Full:
                    store.close()
            else:
                store.close()

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                return


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def _check_fn() -> Any:
    """The claim checker, imported lazily so the app starts (and browses) even where it is not available."""
    from ..verify.check import check_claim

    return check_claim


def _parse_as_of(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise HTTPException(422, f"as_of must be an ISO date (YYYY-MM-DD), not {raw[:40]!r}") from exc


def _article_json(store: Store, article_id: str) -> dict[str, Any] | None:
    art = store.article(article_id)
    if art is None:
        return None
    d = art.to_json()
    d["removed"] = [{"text": r.text, "reason": r.reason} for r in art.removed]
    d["evidence"] = [{"field": e.field, "value": e.value, "basis": e.basis} for e in art.evidence]
    facts = store.facts(article_id) or {}
    for key in ("entities", "quotes", "claims", "quantities", "times"):
        d[key] = facts.get(key, [])
    d["relations"] = qy.relations_for(store, {c["id"] for c in d["claims"] if c.get("id")})
    return d


def create_app(db_path: str, settings: Settings | None = None, token: str | None = None,
               allowed_hosts: frozenset[str] | None = None) -> FastAPI:
    """The ASGI app over ``db_path`` (opened read-only). With ``token``, every request must present it; with
    ``allowed_hosts``, a request whose Host header names another host is refused (400)."""
    if token is not None and not token:
        raise UsageError("--token must not be empty (an empty token would let anyone in)")
    settings = settings or Settings.load()
    pool = StorePool(db_path)
    Store(db_path, readonly=True, check=True).close()   # a damaged, foreign or newer store: refused now, named
    with pool.reader():   # fail now, with the store's own message, rather than on the first request
        pass
    views = Views()
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="storyline", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Read-only browser and JSON API over a storyline store. Errors are {\"error\": message}.")
    app.state.pool = pool

    def run_check(claim: str, as_of: date | None) -> dict[str, Any]:
        try:
            check = _check_fn()
        except ImportError as exc:
            raise HTTPException(503, f"claim checking is not available in this installation ({exc})") from exc
        with pool.reader() as store:
            return check(store, claim, as_of, settings)

    # ---- errors ---------------------------------------------------------------------------------------------------
    def error_response(request: Request, status: int, message: str) -> Response:
        if _wants_html(request):
            return HTMLResponse(views.render("error.html", status=status, message=message), status_code=status)
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def on_http(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        resp = error_response(request, exc.status_code, message)
        for k, v in (exc.headers or {}).items():
            resp.headers[k] = v
        return resp

    @app.exception_handler(StoreError)
    @app.exception_handler(ModelError)
    async def on_unavailable(request: Request, exc: StorylineError) -> Response:
        return error_response(request, 503, str(exc))

    @app.exception_handler(StorylineError)
    async def on_storyline(request: Request, exc: StorylineError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        return error_response(request, 500, "internal error; the server log has the details")

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
            d = _article_json(store, article_id)
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
                    result = await run_in_threadpool(run_check, claim, _parse_as_of(as_of_raw))
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
            return _table_response("articles", items, format)
        return JSONResponse({"articles": items, "total": total, "limit": limit, "offset": None if cursor else offset,
                             "next_cursor": str(nxt) if nxt is not None else None})

    @app.get("/api/articles/{article_id}", summary="One article with its facts and the relations of its claims")
    async def api_article(article_id: IdPath) -> JSONResponse:
        with pool.reader() as store:
            d = _article_json(store, article_id)
        if d is None:
            raise HTTPException(404, f"no article {article_id}")
        return JSONResponse(d)

    @app.get("/api/claims", summary="Claims matching q (any word, best first); all claims when q is empty")
    async def api_claims(q: Q = "", limit: Limit = 20, offset: Offset = 0, format: Format = "json") -> Response:
        with pool.reader() as store:
            claims = qy.search_claims(store, q, limit, offset)
            if format != "json":
                return _table_response("claims", claims, format)
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
        return JSONResponse(run_check(claim.strip(), _parse_as_of(as_of)))

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
        return _flat_response(kind, flat, format)

    @app.get("/api/stories", summary="Stories with their article ids")
    async def api_stories() -> JSONResponse:
        with pool.reader() as store:
            return JSONResponse({"stories": qy.stories(store)})

    # Wrap the whole ASGI app (outermost), so even framework-produced responses carry the headers.
    app.build_middleware_stack = _wrap(app.build_middleware_stack, token, allowed_hosts)  # type: ignore[method-assign]
    return app


def _table_response(kind: str, items: list[dict[str, Any]], fmt: str) -> Response:
    """A page of API items as the kind's flat table (the columns of ``storyline export``)."""
    lifted = [{**{k: (it.get("article") or {}).get(k) for k in ("outlet", "published")}, **it} for it in items]
    return _flat_response(kind, [tables.flatten(kind, it) for it in lifted], fmt)


def _flat_response(kind: str, flat: list[dict[str, Any]], fmt: str) -> Response:
    if fmt == "csv":
        return Response(tables.csv_text(kind, flat), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'inline; filename="{kind}.csv"'})
    return Response(tables.jsonl_text(flat), media_type="application/x-ndjson; charset=utf-8")


def _wrap(build: Any, token: str | None, allowed_hosts: frozenset[str] | None) -> Any:
    def built() -> Any:
        return SecurityLayer(build(), token, allowed_hosts)
    return built
