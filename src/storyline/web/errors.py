"""Every error as ``{"error": message}`` (or a plain HTML error page for a browser), never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import ModelError, StoreError, StorylineError
from .common import validation_message, wants_html
from .views import Views

log = logging.getLogger("storyline.web")


def add_error_handlers(app: FastAPI, views: Views) -> None:
    # ---- errors ---------------------------------------------------------------------------------------------------
    def error_response(request: Request, status: int, message: str) -> Response:
        if wants_html(request):
            return HTMLResponse(views.render("error.html", status=status, message=message), status_code=status)
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, validation_message(exc))

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
