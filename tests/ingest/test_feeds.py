"""`analyze --feed URL` and `--sitemap URL` against a local test server (an RSS file, a sitemap.xml and small HTML
articles): trafilatura lists the article URLs, each is fetched as a URL input, the filters apply, and every input
left out or failing is in `inputs` with its reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsserver import EN_BODY, FR_BODY, NewsSite, article_html, resolve_to_loopback, serve
from storyline.cli import main
from storyline.config import Settings
from storyline.ingest.sources import fetch_or_record, read_documents
from storyline.model import InputRecord
from storyline.pipeline import ingest
from storyline.store import Store

HOST = "news.localhost"      # trafilatura's URL checks refuse 127.0.0.1:PORT; this name resolves to it in the tests
OLD_BODY = ("The city council voted on Wednesday to close the old market hall for repairs, officials said. The "
            "building, which dates from 1890, will reopen after two years of work on its roof and foundations, "
            "according to the mayor's office, which put the cost at 4 million euros.")


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[NewsSite]:
    resolve_to_loopback(monkeypatch, HOST)
    with serve() as s:
        def link(path: str) -> str:
            return s.url(path, host=HOST)

        s.add("/", "<html><body><a href='/news/2024/01/troops-stay.html'>Troops</a></body></html>")
        s.add("/news/2024/01/troops-stay.html", article_html("Troops to stay in Iraq", EN_BODY, "2024-01-09"))
        s.add("/news/2024/01/retrait.html", article_html("Les troupes restent", FR_BODY, "2024-01-10", lang="fr"))
        s.add("/news/2019/05/market.html", article_html("Market hall to close", OLD_BODY, "2019-05-02"))
        items = "".join(f"<item><title>{t}</title><link>{link(p)}</link><pubDate>{d}</pubDate></item>" for t, p, d in [
            ("Troops", "/news/2024/01/troops-stay.html", "Tue, 09 Jan 2024 08:00:00 GMT"),
            ("Retrait", "/news/2024/01/retrait.html", "Wed, 10 Jan 2024 08:00:00 GMT")])
        s.add("/feed.xml", f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test News</title>'
                           f"<link>{link('/')}</link><description>t</description>{items}</channel></rss>",
              ctype="application/rss+xml")
        s.add("/empty.xml", '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Empty</title>'
                            f"<link>{link('/')}</link><description>t</description></channel></rss>",
              ctype="application/rss+xml")
        locs = "".join(f"<url><loc>{link(p)}</loc></url>" for p in [
            "/news/2024/01/troops-stay.html", "/news/2024/01/retrait.html", "/news/2019/05/market.html"])
        s.add("/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                              f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
              ctype="application/xml")
        yield s


def test_feed_is_ingested_with_filters(tmp_path: Path, site: NewsSite) -> None:
    out = tmp_path / "out"
    code = main(["analyze", "--feed", site.url("/feed.xml", host=HOST), "--lang", "en", "--fetch-delay", "0",
                 "--db", str(tmp_path / "s.db"), "--out", str(out), "-q"])
    assert code == 0
    analysis = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    inputs = {i["path"]: i for i in analysis["inputs"]}
    en, fr = (site.url(p, host=HOST) for p in ("/news/2024/01/troops-stay.html", "/news/2024/01/retrait.html"))
    assert set(inputs) == {en, fr}
    assert inputs[en]["status"] == "ok"
    assert inputs[fr]["status"] == "skipped" and inputs[fr]["reason"] == "filtered: language fr is not one of --lang en"
    [art] = analysis["articles"]
    assert art["url"] == en and art["published"] == "2024-01-09" and art["language"] == "en"
    assert any(c["article_id"] == art["id"] for c in analysis["claims"])


def test_sitemap_is_ingested_with_filters(tmp_path: Path, site: NewsSite) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), since="2024-01-01", fetch_delay=0.0)
    with Store(settings.db) as store:
        summary = ingest([f"sitemap:{site.url('/sitemap.xml', host=HOST)}"], store, settings)
        store.commit()
        langs = {a.url: a.language for a in store.articles()}
    got = {r.path.rsplit("/", 1)[1]: (r.status, r.reason) for r in summary.inputs}
    assert got == {
        "troops-stay.html": ("ok", ""),
        "retrait.html": ("ok", "language fr: English-only analysis skipped"),     # kept and labelled
        "market.html": ("skipped", "filtered: published 2019-05-02 is before --since 2024-01-01"),
    }
    assert sorted(v for v in langs.values() if v) == ["en", "fr"]


def test_empty_and_unreachable_listings_are_recorded(site: NewsSite) -> None:
    settings = Settings(fetch_delay=0.0, fetch_timeout=5.0)
    empty = f"feed:{site.url('/empty.xml', host=HOST)}"
    assert [(r.path, r.status) for r in read_documents(empty, settings)] == [(empty, "skipped")]
    missing = f"sitemap:{site.url('/nothing/sitemap.xml', host=HOST)}"
    [rec] = read_documents(missing, settings)
    assert isinstance(rec, InputRecord) and rec.status == "failed" and "HTTP 404" in rec.reason
    [rec] = read_documents("feed:not-a-url", settings)
    assert isinstance(rec, InputRecord) and rec.status == "failed" and "needs an http(s) URL" in rec.reason


def test_public_listing_cannot_reach_a_private_address(site: NewsSite) -> None:
    url = site.url("/news/2024/01/troops-stay.html")        # 127.0.0.1
    rec = fetch_or_record(url, url, Settings(fetch_delay=0.0), public_only=True)
    assert isinstance(rec, InputRecord) and rec.status == "failed" and "non-public address 127.0.0.1" in rec.reason
