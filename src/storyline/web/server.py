"""Run the web app with uvicorn. Loopback by default; a wider bind without a token gets a loud warning."""

from __future__ import annotations

import ipaddress
import sys

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


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None,
          token: str | None = None) -> None:
    """Serve ``db_path`` read-only until interrupted."""
    import uvicorn

    from .app import create_app

    app = create_app(db_path, settings, token)   # fails early (StoreError) if the store cannot be opened
    warning = exposure_warning(host, token)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False,
                limit_concurrency=256, timeout_keep_alive=5, h11_max_incomplete_event_size=16 * 1024)
