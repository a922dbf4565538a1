"""`storyline serve`: a small read-only web app and JSON API over the store.

Pages are rendered on the server (Jinja2, autoescape on, no script at all), so the strict CSP costs nothing. Every
request borrows a read-only connection from a small pool and reads inside one transaction, so a page is consistent
even while `analyze` writes (WAL). Inputs are validated by FastAPI; any error becomes ``{"error": message}``
(or a plain HTML error page for a browser), never a traceback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from ..config import Settings
from ..errors import UsageError
from ..store import Store
from .api_routes import add_api
from .common import Site, StorePool
from .errors import add_error_handlers
from .pages import add_pages
from .security import SecurityLayer
from .views import Views


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
    site = Site(pool, Views(), settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="storyline", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Read-only browser and JSON API over a storyline store. Errors are {\"error\": message}.")
    app.state.pool = pool

    add_error_handlers(app, site.views)
    add_pages(app, site)
    add_api(app, site)
    # Wrap the whole ASGI app (outermost), so even framework-produced responses carry the headers.
    app.build_middleware_stack = _wrap(app.build_middleware_stack, token, allowed_hosts)  # type: ignore[method-assign]
    return app


def _wrap(build: Any, token: str | None, allowed_hosts: frozenset[str] | None) -> Any:
    def built() -> Any:
        return SecurityLayer(build(), token, allowed_hosts)
    return built
