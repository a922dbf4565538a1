"""`serve` under a hostile network: Host spoofing (DNS rebinding) refused, HEAD answered where GET is, an
oversized form is a 4xx, an empty token is refused, the token compared as bytes (non-ASCII works raw), and idle
connections neither starve real requests nor stay open forever."""

from __future__ import annotations

import http.client
import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def _running(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A real uvicorn server with serve's protocol and limits on a free loopback port, requests due within 1 s."""
    import uvicorn

    monkeypatch.setattr(webserver, "REQUEST_TIMEOUT", 1.0)
    port = _free_port()
    config = uvicorn.Config(webapp.create_app(db, Settings(), None, allowed_hosts_for("127.0.0.1", None)),
                            host="127.0.0.1", port=port, log_level="warning", http=webserver._bounded_protocol(),
                            limit_concurrency=webserver.MAX_CONNECTIONS, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.1)
        assert server.started
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_idle_connections_do_not_starve_requests_and_are_closed(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    idle: list[socket.socket] = []
    with _running(db, monkeypatch) as port:
        try:
            for _ in range(255):
                idle.append(socket.create_connection(("127.0.0.1", port)))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/articles")
            assert conn.getresponse().status == 200
            conn.close()
            idle[0].settimeout(30)
            assert idle[0].recv(64).startswith(b"HTTP/1.1 408")     # no request within REQUEST_TIMEOUT: told, closed
        finally:
            for s in idle:
                s.close()


def _trickle(sock: socket.socket, data: bytes, every: float = 0.1) -> tuple[int, bytes]:
    """Send ``data`` a byte at a time, ``every`` seconds apart, until the server answers or closes: (bytes sent, what
    the server sent back; b"" for a close without a word)."""
    sent = 0
    while sent < len(data):
        try:
            sock.sendall(data[sent:sent + 1])
        except OSError:         # reset: the server closed the connection
            break
        sent += 1
        if select.select([sock], [], [], every)[0]:
            break
    sock.settimeout(30)
    try:
        return sent, sock.recv(4096)
    except OSError:
        return sent, b""


HEAD = b"GET /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 100 + b"\r\n\r\n"
FORM = b"q=" + b"x" * 98
POST = (b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(FORM))


@pytest.mark.parametrize("slow", ["head", "body", "head_after_keep_alive"])
def test_a_client_sending_byte_by_byte_is_cut_off(db: str, monkeypatch: pytest.MonkeyPatch, slow: str) -> None:
    """Slowloris: headers or a body sent a byte every 0.1 s (each byte resets no timer) would hold the connection
    for the whole 10+ s trickle; the server closes it once the request is not whole after REQUEST_TIMEOUT (1 s)."""
    with _running(db, monkeypatch) as port, socket.create_connection(("127.0.0.1", port)) as sock:
        if slow == "head_after_keep_alive":
            sock.sendall(HEAD)
            first = http.client.HTTPResponse(sock)
            first.begin()
            first.read()
            assert first.status == 200 and not first.will_close
        if slow == "body":
            sock.sendall(POST)
        data = FORM if slow == "body" else HEAD
        sent, answer = _trickle(sock, data)
        # cut off after REQUEST_TIMEOUT (1 s, ~10 bytes), long before the trickle's > 10 s end, and told why
        assert sent < len(data) // 2, f"the server waited for {sent} of {len(data)} bytes"
        assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
