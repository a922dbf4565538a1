"""`serve` under a hostile network: Host spoofing (DNS rebinding) refused, HEAD answered where GET is, an
oversized form is a 4xx, an empty token is refused, the token compared as bytes (non-ASCII works raw), and idle
connections neither starve real requests nor stay open forever."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.cli import main
from storyline.config import Settings
from storyline.errors import UsageError
from storyline.web import app as webapp
from storyline.web import server as webserver
from storyline.web.server import allowed_hosts_for
from webfixtures import build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("serve") / "s.db")
    build_store(path)
    return path


def test_spoofed_host_is_refused(db: str) -> None:
    hosts = allowed_hosts_for("127.0.0.1", None)
    with TestClient(webapp.create_app(db, Settings(), None, hosts)) as c:
        assert c.get("/api/articles", headers={"host": "evil.example"}).status_code == 400
        assert c.get("/api/articles", headers={"host": "evil.example:8000"}).status_code == 400
        assert c.get("/api/articles", headers={"host": "127.0.0.1:8000"}).status_code == 200
        assert c.get("/api/articles", headers={"host": "localhost"}).status_code == 200
        assert c.get("/api/articles", headers={"host": "[::1]:8000"}).status_code == 200


def test_allowed_hosts() -> None:
    assert allowed_hosts_for("127.0.0.1", None) is not None and "evil.example" not in allowed_hosts_for("127.0.0.1", None)
    assert "10.0.0.5" in (allowed_hosts_for("10.0.0.5", "t") or set())
    assert allowed_hosts_for("0.0.0.0", "t") is None                      # token-guarded wildcard bind
    assert "news.example" in (allowed_hosts_for("0.0.0.0", None, "news.example, other.example") or set())
    assert allowed_hosts_for("127.0.0.1", None, "*") is None


def test_head_is_answered_where_get_is(db: str) -> None:
    with TestClient(webapp.create_app(db, Settings())) as c:
        for path in ("/", "/api/articles", "/openapi.json"):
            got = c.head(path)
            assert got.status_code == 200 and got.content == b""
            assert got.headers["content-type"] == c.get(path).headers["content-type"]


def test_a_form_with_too_many_fields_is_a_client_error(db: str) -> None:
    with TestClient(webapp.create_app(db, Settings())) as c:
        got = c.post("/check", content="&".join(f"f{i}=x" for i in range(11)),
                     headers={"content-type": "application/x-www-form-urlencoded"})
        assert got.status_code == 413


def test_empty_tokens_are_refused(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError):
        webapp.create_app(db, Settings(), "")
    assert main(["serve", "--db", db, "--token", ""]) == 2
    assert "token" in capsys.readouterr().err
    with TestClient(webapp.create_app(db, Settings(), "s3cret")) as c:
        c.cookies.set("storyline_token", "")
        assert c.get("/api/articles").status_code == 401


def test_a_non_ascii_token_works_raw_encoded_and_as_cookie(db: str) -> None:
    token = "grüße-ключ"
    with TestClient(webapp.create_app(db, Settings(), token)) as c:
        assert c.get("/api/articles", headers={"authorization": b"Bearer " + token.encode()}).status_code == 200
        assert c.get("/api/articles", headers={"authorization": b"Bearer wrong"}).status_code == 401
        got = c.get("/api/articles", params={"token": token})
        assert got.status_code == 200
        assert c.get("/api/articles").status_code == 200                  # the cookie it set
    with TestClient(webapp.create_app(db, Settings(), token)) as c:
        assert c.get("/api/articles").status_code == 401


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_idle_connections_do_not_starve_requests_and_are_closed(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(webserver, "HEAD_TIMEOUT", 1.0)
    port = _free_port()
    config = uvicorn.Config(webapp.create_app(db, Settings(), None, allowed_hosts_for("127.0.0.1", None)),
                            host="127.0.0.1", port=port, log_level="warning", http=webserver._bounded_protocol(),
                            limit_concurrency=webserver.MAX_CONNECTIONS, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    idle: list[socket.socket] = []
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.1)
        assert server.started
        for _ in range(255):
            idle.append(socket.create_connection(("127.0.0.1", port)))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/articles")
        assert conn.getresponse().status == 200
        conn.close()
        idle[0].settimeout(30)
        assert idle[0].recv(1) == b""            # closed by the server: no request head within HEAD_TIMEOUT
    finally:
        for s in idle:
            s.close()
        server.should_exit = True
        thread.join(timeout=30)
