"""Real containers and transports: WARC written by warcio, gzipped HTML, URLs served from a loopback HTTP server."""

from __future__ import annotations

import gzip
import http.server
import io
import threading

import pytest

from storyline.api import extract

PAGE = b"""<!doctype html><html><head><title>Council approves budget | Example News</title>
<meta property="og:site_name" content="Example News"><meta property="article:published_time" content="2024-03-05T09:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Council approves budget</h1><p>The city council approved the 2024 budget on Tuesday after a long debate,
the mayor said in a statement. The budget raises spending on schools by 4 percent.</p>
<p>Opposition members said the plan would raise taxes. "This is a budget for the few," said councillor Ann Lee.</p>
<p>The vote was 7 to 4. The budget takes effect in April, officials said.</p></article>
<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"""


def test_warc_response_records(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, (ctype, body) in enumerate([("text/html; charset=utf-8", PAGE), ("image/png", b"\x89PNG....")]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"https://example.com/2024/03/05/budget-{i}", "response",
                                            payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(rec)
    rows = list(extract([str(path)]))
    assert [r["status"] for r in rows] == ["ok", "skipped"]
    ok = rows[0]
    assert ok["published"] == "2024-03-05" and "approved the 2024 budget" in ok["text"]
    assert "Home" not in ok["text"] and ok["url"].startswith("https://example.com/")
    assert "not HTML" in rows[1]["error"]


def test_gzipped_html_file(tmp_path):
    p = tmp_path / "page.html.gz"
    p.write_bytes(gzip.compress(PAGE))
    (row,) = extract([str(p)])
    assert row["status"] == "ok" and row["title"].startswith("Council approves budget")
    assert any(r["reason"] for r in row["removed"])


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.path == "/article":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        return None


@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_inputs(http_server):
    rows = list(extract([f"{http_server}/article", f"{http_server}/missing", "http://127.0.0.1:9/refused"]))
    assert rows[0]["status"] == "ok" and "approved the 2024 budget" in rows[0]["text"]
    assert rows[1]["status"] == "failed" and "HTTP 404" in rows[1]["error"]
    assert rows[2]["status"] == "failed" and "fetch failed" in rows[2]["error"]
