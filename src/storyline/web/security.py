"""One ASGI layer around the whole app: security headers on every response, request size limits, optional token
auth, and a last-resort error handler that answers JSON instead of a traceback.

It is plain ASGI (not BaseHTTPMiddleware) so it adds almost nothing per request and also wraps responses the
framework's own error middleware would otherwise produce without our headers.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.exceptions import HTTPException

log = logging.getLogger("storyline.web")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
TOKEN_COOKIE = "storyline_token"
MAX_URL_BYTES = 8192
MAX_BODY_BYTES = 64 * 1024


class _TooLarge(HTTPException):
    """Raised from ``receive`` mid-body; an HTTPException so the app's own handler answers 413 as JSON."""

    def __init__(self) -> None:
        super().__init__(413, f"request body larger than {MAX_BODY_BYTES} bytes")


def _json_message(status: int, message: str, extra_headers: Sequence[tuple[bytes, bytes]] = ()) -> tuple[Message, Message]:
    body = json.dumps({"error": message}).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                         *extra_headers]}
    return start, {"type": "http.response.body", "body": body}


class SecurityLayer:
    """Wraps the app: limits → auth → app, with headers added to whatever comes back."""

    def __init__(self, app: ASGIApp, token: str | None = None) -> None:
        self.app = app
        self.token = token

    def _token_given(self, scope: Scope) -> tuple[str | None, bool]:
        """(token offered, came from the query string) — header first, then query, then cookie."""
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        if headers.get(b"x-storyline-token"):
            return headers[b"x-storyline-token"].decode("latin-1"), False
        q = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if q.get("token"):
            return q["token"][0], True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just "no token"
            return None, False
        return (cookie[TOKEN_COOKIE].value, False) if TOKEN_COOKIE in cookie else (None, False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        set_cookie: list[tuple[bytes, bytes]] = []

        async def send_wrapped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(SECURITY_HEADERS)]
                message["headers"] = headers + SECURITY_HEADERS + set_cookie + (
                    [(b"cache-control", b"no-store")] if not any(k.lower() == b"cache-control" for k, _ in headers) else [])
            await send(message)

        async def reply(status: int, message: str, extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
            start, body = _json_message(status, message, list(extra))
            await send_wrapped(start)
            await send_wrapped(body)

        if len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            await reply(414, f"request URL longer than {MAX_URL_BYTES} bytes")
            return
        headers = dict(scope.get("headers", []))
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            await reply(400, "malformed Content-Length header")
            return
        if declared > MAX_BODY_BYTES:
            await reply(413, f"request body larger than {MAX_BODY_BYTES} bytes")
            return
        if self.token is not None:
            given, from_query = self._token_given(scope)
            if given is None or not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
                await reply(401, "a valid token is required: send 'Authorization: Bearer TOKEN' or add ?token=TOKEN",
                            [(b"www-authenticate", b'Bearer realm="storyline"')])
                return
            if from_query:  # let a browser keep browsing after opening one ?token= link
                set_cookie.append((b"set-cookie", f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/".encode()))

        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, receive_limited, send_wrapped)
        except _TooLarge:
            if not started:
                await reply(413, f"request body larger than {MAX_BODY_BYTES} bytes")
        except Exception:  # noqa: BLE001 - never a traceback to the client; the log keeps it
            log.exception("unhandled error serving %s", scope.get("path"))
            if not started:
                await reply(500, "internal error; the server log has the details")
