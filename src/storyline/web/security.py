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
from urllib.parse import parse_qs, quote, unquote_to_bytes

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

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


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "localhost.localdomain"})


def host_name(value: bytes) -> str:
    """The host of a Host header, without its port, lower-cased (``[::1]:8000`` → ``[::1]``)."""
    text = value.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text[: text.find("]") + 1] if "]" in text else text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


class SecurityLayer:
    """Wraps the app: Host check → limits → auth → app, with headers added to whatever comes back. HEAD is answered
    wherever GET is (the GET response's headers, no body)."""

    def __init__(self, app: ASGIApp, token: str | None = None, allowed_hosts: frozenset[str] | None = None) -> None:
        if token is not None and not token:
            raise ValueError("an empty token would let anyone in; give a non-empty token or none")
        self.app = app
        self.token = token
        self.token_bytes = token.encode("utf-8") if token is not None else b""
        self.allowed_hosts = allowed_hosts

    def _token_given(self, scope: Scope) -> tuple[bytes | None, bool]:
        """(token offered as raw UTF-8 bytes, came from the query string) — header first, then query, then cookie.
        Bytes throughout: a non-ASCII token works raw in a header, percent-encoded in the URL, or in the cookie."""
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer ":
            return auth[7:].strip(), False
        if headers.get(b"x-storyline-token"):
            return headers[b"x-storyline-token"].strip(), False
        q = parse_qs(scope.get("query_string", b"").decode("latin-1"), encoding="latin-1")
        if q.get("token"):
            return q["token"][0].encode("latin-1"), True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just "no token"
            return None, False
        # the cookie this layer sets holds the token percent-encoded (cookie values are ASCII)
        return (unquote_to_bytes(cookie[TOKEN_COOKIE].value), False) if TOKEN_COOKIE in cookie else (None, False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        set_cookie: list[tuple[bytes, bytes]] = []
        head = scope.get("method") == "HEAD"
        if head:                        # answered as GET, the body dropped on the way out
            scope = dict(scope, method="GET")

        async def send_wrapped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(SECURITY_HEADERS)]
                message["headers"] = headers + SECURITY_HEADERS + set_cookie + (
                    [(b"cache-control", b"no-store")] if not any(k.lower() == b"cache-control" for k, _ in headers) else [])
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        async def reply(status: int, message: str, extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
            start, body = _json_message(status, message, list(extra))
            await send_wrapped(start)
            await send_wrapped(body)

        if self.allowed_hosts is not None:    # DNS rebinding: a page on evil.example resolving to this address
            host = host_name(dict(scope.get("headers", [])).get(b"host", b""))
            if host not in self.allowed_hosts:
                await reply(400, f"host {host!r} is not served here; use one of: {', '.join(sorted(self.allowed_hosts))} "
                                 "(or add it to serve_allowed_hosts)")
                return
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
            if not given or not hmac.compare_digest(given, self.token_bytes):
                await reply(401, "a valid token is required: send 'Authorization: Bearer TOKEN' or add ?token=TOKEN",
                            [(b"www-authenticate", b'Bearer realm="storyline"')])
                return
            if from_query:  # let a browser keep browsing after opening one ?token= link
                set_cookie.append((b"set-cookie", f"{TOKEN_COOKIE}={quote(self.token, safe='')}; HttpOnly; "
                                                  "SameSite=Strict; Path=/".encode()))

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
        except ClientDisconnect:        # the client left (or was cut off mid-body): nobody to answer
            return
        except Exception:  # noqa: BLE001 - never a traceback to the client; the log keeps it
            log.exception("unhandled error serving %s", scope.get("path"))
            if not started:
                await reply(500, "internal error; the server log has the details")
