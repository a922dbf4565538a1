"""A small local news site for the URL, feed and sitemap tests: an http.server on 127.0.0.1 serving fixed pages
(no internet here). ``NewsSite.url(path, host=...)`` names a page; ``resolve_to_loopback`` lets a test use a host
name (trafilatura's URL checks refuse an IP address with a port) that resolves to 127.0.0.1 in this process only."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

EN_BODY = ("The defence minister said on Tuesday that 2,500 troops would stay in the country until the end of the "
           "year, despite calls from parliament for a withdrawal. Officials in Baghdad said talks on the future of "
           "the coalition would resume next month, according to a statement from the prime minister's office. "
           "Militia leaders warned that attacks on bases hosting foreign forces could increase if no timetable "
           "was agreed, and two rockets struck near the airport on Monday night, police said.")
FR_BODY = ("Le ministre de la Défense a déclaré mardi que 2 500 soldats resteraient dans le pays jusqu'à la fin de "
           "l'année, malgré les appels du Parlement en faveur d'un retrait. Les responsables à Bagdad ont indiqué "
           "que les discussions sur l'avenir de la coalition reprendraient le mois prochain, selon un communiqué du "
           "bureau du Premier ministre. Les chefs de milices ont averti que les attaques contre les bases pourraient "
           "se multiplier si aucun calendrier n'était convenu, a indiqué la police.")


def article_html(title: str, body: str, published: str, lang: str = "en") -> str:
    paras = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{published}T08:00:00Z">'
            f'<meta property="og:title" content="{title}"></head><body><header><nav><a href="/">Home</a></nav>'
            f"</header><article><h1>{title}</h1>{paras}</article><footer>© Test News</footer></body></html>")


class NewsSite:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self, body: bool) -> None:
                site.requests.append(self.path)
                if self.path == "/slow":           # drips a byte every 0.2 s for 4 s
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    for _ in range(20):
                        try:
                            self.wfile.write(b"x")
                            self.wfile.flush()
                        except OSError:
                            return
                        time.sleep(0.2)
                    return
                status, ctype, data = site.pages.get(self.path.split("?")[0], (404, "text/plain", b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if body:
                    self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._answer(True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._answer(False)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def add(self, path: str, text: str | bytes, ctype: str = "text/html; charset=utf-8", status: int = 200) -> None:
        self.pages[path] = (status, ctype, text.encode("utf-8") if isinstance(text, str) else text)


@contextmanager
def serve() -> Iterator[NewsSite]:
    site = NewsSite()
    thread = threading.Thread(target=site.server.serve_forever, name="test-news-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()
        thread.join(5)


def resolve_to_loopback(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """``names`` resolve to 127.0.0.1 in this process (httpx and urllib3 both ask socket.getaddrinfo)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        return real("127.0.0.1" if host in names else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
