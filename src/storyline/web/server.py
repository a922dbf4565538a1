"""Run the web app with uvicorn. Loopback by default; a wider bind without a token gets a loud warning."""

from __future__ import annotations

import ipaddress
import sys
from typing import Any

from ..config import Settings


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, token: str | None) -> str | None:
    """The warning to print for this bind, or None when it is safe (loopback, or a token is required)."""
    if is_loopback(host):
        return None
    if token:
        return (f"storyline serve: listening on {host}; every request must carry the token "
                "(Authorization: Bearer …, or ?token=… once per browser). Use HTTPS in front of it on untrusted networks.")
    return (f"WARNING: storyline serve is listening on {host} WITHOUT a token: anyone who can reach this address can "
            "read the whole store. Bind 127.0.0.1, or require a token (storyline serve --token …).")


def allowed_hosts_for(host: str, token: str | None, configured: str = "") -> frozenset[str] | None:
    """The Host header values served (DNS rebinding guard): loopback names, the bound address, and
    ``serve_allowed_hosts`` (comma-separated; ``*`` turns the check off). A wildcard bind with a token and no list
    serves any Host (the token guards it; a rebound page cannot read it); None means no check."""
    from .security import LOOPBACK_HOSTS

    extra = {h.strip().lower() for h in configured.split(",") if h.strip()}
    if "*" in extra:
        return None
    wildcard = host in ("0.0.0.0", "::", "")
    if wildcard and token and not extra:
        return None
    names = set(LOOPBACK_HOSTS) | extra
    if not wildcard:
        names.add(host.lower())
        if ":" in host and not host.startswith("["):
            names.add(f"[{host.lower()}]")
    return frozenset(names)


REQUEST_TIMEOUT = 10.0     # seconds a client has to send one whole request (head and body) once it may send one
MAX_CONNECTIONS = 512      # open connections (idle ones included) before new ones are answered 503


def _timed_out() -> bytes:
    body = f"request not received whole within {REQUEST_TIMEOUT:g} s; closing the connection\n".encode()
    return (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body))


def _bounded_protocol() -> type:
    """uvicorn's h11 protocol with a deadline for receiving each request whole: from the moment a connection opens,
    or a keep-alive connection's previous response ends, the client has ``REQUEST_TIMEOUT`` seconds to send the
    complete head and body. Without it a socket that never sends a byte, or sends its headers or body a byte at a
    time (slowloris: every byte would cancel uvicorn's keep-alive timer), is held forever, and enough of them starve
    every real request. The time the app takes to answer is not counted."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class BoundedH11Protocol(H11Protocol):
        _deadline: Any = None
        _before: Any = None     # the request/response cycle before the request being waited for (None: the first)

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self._before = self.cycle
            self._deadline = self.loop.call_later(REQUEST_TIMEOUT, self._request_timeout)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _received_whole(self) -> bool:
            return self.cycle is not None and self.cycle is not self._before and not self.cycle.more_body

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._deadline is not None and self._received_whole():
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():     # keep-alive: the next request has the same deadline
                self._arm()

        def _request_timeout(self) -> None:
            self._deadline = None
            if self._received_whole() or self.transport.is_closing():   # e.g. a pipelined request, read meanwhile
                return
            waiting_head = self.cycle is None or self.cycle is self._before
            if (self.conn.our_state is h11.IDLE if waiting_head else not self.cycle.response_started):
                self.transport.write(_timed_out())     # nothing of a response sent yet: say why before closing
            self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return BoundedH11Protocol


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None,
          token: str | None = None) -> None:
    """Serve ``db_path`` read-only until interrupted."""
    import uvicorn

    from .app import create_app

    settings = settings or Settings.load()
    hosts = allowed_hosts_for(host, token, settings.serve_allowed_hosts)
    app = create_app(db_path, settings, token, hosts)   # fails early (StoreError) if the store cannot be opened
    warning = exposure_warning(host, token)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False,
                http=_bounded_protocol(), limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=5,
                h11_max_incomplete_event_size=16 * 1024)
