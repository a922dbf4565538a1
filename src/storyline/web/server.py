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


HEAD_TIMEOUT = 10.0        # seconds a new connection may take to send a complete request head
MAX_CONNECTIONS = 512      # open connections (idle ones included) before new ones are answered 503


def _bounded_protocol() -> type:
    """uvicorn's h11 protocol with a deadline for the first request head: without it an idle socket that never
    sends a byte is held forever, and enough of them starve every real request."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class BoundedH11Protocol(H11Protocol):
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._head_deadline: Any = self.loop.call_later(HEAD_TIMEOUT, self._head_timeout)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not None and self._head_deadline is not None:     # a request head arrived whole
                self._head_deadline.cancel()
                self._head_deadline = None

        def _head_timeout(self) -> None:
            self._head_deadline = None
            if self.cycle is None:
                self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            if getattr(self, "_head_deadline", None) is not None:
                self._head_deadline.cancel()
                self._head_deadline = None
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
