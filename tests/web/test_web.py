"""The serve app: every route, pagination, validation as JSON, no traversal, size limits, headers, escaping, auth,
and reads that stay consistent while a writer appends (WAL)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.config import Settings
from storyline.errors import ModelError
from storyline.model import Article, content_id
from storyline.store import Store
from storyline.web import app as webapp
from storyline.web import common as webcommon
from storyline.web.server import exposure_warning, is_loopback
from webfixtures import build_store, fake_check

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def store_ids(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    db = str(tmp_path_factory.mktemp("web") / "s.db")
    return db, build_store(db)


@pytest.fixture(scope="module")
def client(store_ids: tuple[str, dict[str, str]]) -> TestClient:
    with TestClient(webapp.create_app(store_ids[0], Settings())) as c:
        yield c


@pytest.fixture
def ids(store_ids: tuple[str, dict[str, str]]) -> dict[str, str]:
    return store_ids[1]


def assert_security_headers(r: Any) -> None:
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def assert_json_error(r: Any, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and body["error"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body["error"]


def test_pages_render(client: TestClient, ids: dict[str, str]) -> None:
    pages = ["/", "/?limit=2&offset=2", "/stories/sty_0000000000000001", f"/articles/{ids['a']}", f"/articles/{ids['b']}",
             f"/articles/{ids['d']}", "/entities/ent_mckenzie00000001", "/entities/ent_evil000000000001", "/search?q=troops",
             "/search", "/check", "/api", "/static/app.css"]
    for path in pages:
        r = client.get(path, headers=HTML)
        assert r.status_code == 200, (path, r.text[:300])
        assert_security_headers(r)
    assert "US troops in Iraq" in client.get("/").text
    assert "We’re going to stay in Iraq," in client.get(f"/articles/{ids['a']}").text


def test_api_routes(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get("/api/articles")
    assert r.status_code == 200 and r.json()["total"] == 4
    art = client.get(f"/api/articles/{ids['a']}").json()
    assert art["id"] == ids["a"] and art["claims"] and art["quotes"] and art["removed"]
    assert {rel["kind"] for rel in art["relations"]} == {"contradiction"}
    claims = client.get("/api/claims", params={"q": "troops remain"}).json()["claims"]
    assert claims and all("article" in c and "subject" in c for c in claims)
    assert any(c["relations"] for c in claims)
    assert len(client.get("/api/claims").json()["claims"]) == 3          # no q: every claim, paginated
    assert client.get("/api/search", params={"q": "withdraw"}).json()["articles"][0]["id"] == ids["b"]
    assert client.get("/api/stories").json()["stories"][0]["title"] == "US troops in Iraq"
    assert client.get("/api/entities/ent_iraq000000000001").json()["name"] == "Iraq"
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/claims", "/api/check", "/api/articles/{article_id}"):
        assert path in spec["paths"]


def test_pagination_by_cursor_and_offset(client: TestClient) -> None:
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/articles", params=params).json()
        seen += [a["id"] for a in page["articles"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 4
    by_offset = [a["id"] for off in (0, 2) for a in client.get("/api/articles", params={"limit": 2, "offset": off}).json()["articles"]]
    assert by_offset == seen
    html = client.get("/?limit=2", headers=HTML).text
    assert "offset=2" in html and "1–2 of 4" in html


@pytest.mark.parametrize("path", [
    "/api/articles?limit=0", "/api/articles?limit=101", "/api/articles?offset=-1", "/api/articles?limit=abc",
    "/api/articles?cursor=1%3B%20DROP%20TABLE", "/api/claims?q=" + "x" * 501, "/api/check?claim=" + "x" * 1001,
    "/api/check?claim=ok&as_of=2021-13-01", "/api/check?claim=ok&as_of=yesterday", "/api/check", "/api/search?q=",
    "/search?q=" + "y" * 501,
])
def test_invalid_input_is_a_json_error(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert_json_error(r, 422)
    assert_security_headers(r)


@pytest.mark.parametrize("path", [
    "/articles/..%2F..%2Fetc%2Fpasswd", "/articles/../../etc/passwd", "/api/articles/..%2f..%2fstoryline.db",
    "/api/articles/%2e%2e", "/entities/a.b", "/static/../../../etc/passwd", "/static/..%2f..%2fapp.py",
    "/stories/%00", "/api/articles/" + "a" * 101,
])
def test_traversal_attempts_go_nowhere(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (404, 422), (path, r.status_code)
    assert "root:" not in r.text and "SQLite format" not in r.text and "import " not in r.text
    assert_json_error(r, r.status_code)


def test_offset_paging_with_rowid_gaps(tmp_path: Path) -> None:
    """The O(1) offset seek assumes no gaps; with a deleted row it must fall back and still page correctly."""
    db = str(tmp_path / "gaps.db")
    build_store(db)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM articles WHERE rowid = 2")
    with TestClient(webapp.create_app(db, Settings())) as c:
        pages = [c.get("/api/articles", params={"limit": 1, "offset": i}).json()["articles"] for i in range(4)]
        allrows = c.get("/api/articles", params={"limit": 10}).json()["articles"]
    assert [p[0]["id"] for p in pages[:3]] == [a["id"] for a in allrows] and pages[3] == []


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in ("/api/articles/art_0000000000000000", "/api/entities/ent_nope", "/articles/art_0000", "/stories/sty_nope"):
        assert "no " in assert_json_error(client.get(path), 404)
    page = client.get("/articles/art_0000", headers=HTML)
    assert page.status_code == 404 and "<h1>Error 404</h1>" in page.text


def test_size_limits(client: TestClient) -> None:
    assert_json_error(client.get("/search?q=" + "z" * 9000), 414)
    assert_json_error(client.post("/check", content=b"claim=" + b"x" * 70_000,
                                  headers={"content-type": "application/x-www-form-urlencoded"}), 413)

    def chunks() -> Any:                  # no Content-Length: the limit is enforced while reading
        for _ in range(20):
            yield b"x" * 8192

    assert_json_error(client.post("/check", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}), 413)
    assert_json_error(client.get("/api/articles", headers={"content-length": "abc"}), 400)
    assert client.post("/api/articles").status_code == 405


def test_hostile_text_is_escaped_on_every_page(client: TestClient, ids: dict[str, str]) -> None:
    for path in ("/", f"/articles/{ids['b']}", "/entities/ent_evil000000000001", "/search?q=troops",
                 "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "/check?claim=%3Cscript%3Ealert(9)%3C%2Fscript%3E"):
        html = client.get(path, headers=HTML).text
        assert "<script" not in html.lower(), path
        assert "onerror=" not in html.replace("onerror=alert", "").replace("onerror=&#34;", ""), path
        assert "<img" not in html, path
    assert "&lt;script&gt;document.title" in client.get(f"/articles/{ids['b']}").text


def test_check_endpoints(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webcommon, "check_fn", lambda: fake_check)
    r = client.get("/api/check", params={"claim": "US troops will stay in Iraq", "as_of": "2021-05-01"})
    body = r.json()
    assert r.status_code == 200 and body["verdict"] == "conflicting" and body["as_of"] == "2021-05-01"
    assert set(body) >= {"claim", "as_of", "verdict", "confidence", "evidence", "explanation"}
    for resp in (client.get("/check", params={"claim": "troops stay <b>now</b>"}),
                 client.post("/check", data={"claim": "troops stay <b>now</b>", "as_of": ""})):
        assert resp.status_code == 200
        assert 'id="verdict"' in resp.text and "conflicting" in resp.text
        assert "&lt;b&gt;now&lt;/b&gt;" in resp.text and "<script" not in resp.text.lower()
    bad = client.post("/check", data={"claim": "x", "as_of": "not-a-date"})
    assert bad.status_code == 422 and 'id="check-error"' in bad.text


def test_check_unavailable_is_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Any:
        raise ImportError("no module named storyline.verify.check")

    monkeypatch.setattr(webcommon, "check_fn", missing)
    assert "not available" in assert_json_error(client.get("/api/check", params={"claim": "x"}), 503)

    def broken(*_: Any) -> Any:
        raise ModelError("stance model not found")

    monkeypatch.setattr(webcommon, "check_fn", lambda: broken)
    assert "stance model" in assert_json_error(client.get("/api/check", params={"claim": "x"}), 503)
    assert client.post("/check", data={"claim": "x"}).status_code == 503


def test_crash_is_json_without_traceback(store_ids: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError("secret internal detail /etc/shadow")

    monkeypatch.setattr(webcommon.qy, "articles_after", boom)
    with TestClient(webapp.create_app(store_ids[0], Settings()), raise_server_exceptions=False) as c:
        r = c.get("/api/articles")
        assert "secret" not in assert_json_error(r, 500)
        assert_security_headers(r)


def test_token_auth(store_ids: tuple[str, dict[str, str]]) -> None:
    with TestClient(webapp.create_app(store_ids[0], Settings(), token="s3cret")) as c:
        r = c.get("/api/articles")
        assert_json_error(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert_security_headers(r)
        assert c.get("/api/articles", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/articles", headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/openapi.json").status_code == 401
        first = c.get("/?token=s3cret", headers=HTML)
        assert first.status_code == 200 and "HttpOnly" in first.headers["set-cookie"]
        assert c.get("/search?q=troops").status_code == 200        # the cookie carries on


def test_exposure_warning() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert exposure_warning("127.0.0.1", None) is None
    assert "WITHOUT a token" in exposure_warning("0.0.0.0", None)
    assert "token" in exposure_warning("0.0.0.0", "t") and "WITHOUT" not in exposure_warning("0.0.0.0", "t")


def test_store_is_opened_read_only(client: TestClient) -> None:
    with client.app.state.pool.reader() as store, pytest.raises(sqlite3.OperationalError):
        store.conn.execute("DELETE FROM articles")


def test_missing_store_fails_at_start(tmp_path: Path) -> None:
    from storyline.errors import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        webapp.create_app(str(tmp_path / "nope.db"), Settings())


def test_reads_stay_consistent_while_a_writer_appends(tmp_path: Path) -> None:
    db = str(tmp_path / "live.db")
    build_store(db)
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with Store(db) as st:
                for i in range(60):
                    for j in range(5):
                        text = f"Writer article {i}-{j} about troops."
                        st.add_article(Article(id=content_id("art", text), source=f"/w/{i}-{j}", text=text, outlet="W"))
                    st.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            stop.set()

    with TestClient(webapp.create_app(db, Settings())) as c:
        t = threading.Thread(target=writer)
        t.start()
        last = 0
        while not stop.is_set():
            r = c.get("/api/articles", params={"limit": 100})
            assert r.status_code == 200, r.text
            page = r.json()
            assert page["total"] >= last and (page["total"] - 4) % 5 == 0    # whole transactions only
            assert len(page["articles"]) == min(100, page["total"])
            last = page["total"]
            assert c.get("/", headers=HTML).status_code == 200
        t.join()
    assert not errors and last <= 304
