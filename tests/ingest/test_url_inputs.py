"""URL inputs against a local http.server: a JSONL record with only a `url`, URL-list files (`.urls`, `--urls FILE`),
each page fetched with the input limits (size, whole-download timeout) and recorded in `inputs` with its reason."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsserver import EN_BODY, FR_BODY, NewsSite, article_html, serve
from storyline.cli import analyze_inputs, build_parser
from storyline.config import Settings
from storyline.errors import UsageError
from storyline.ingest.sources import Pacer, read_documents
from storyline.model import Article, InputRecord, RawDocument
from storyline.pipeline import ingest
from storyline.store import Store


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with serve() as s:
        s.add("/news/troops.html", article_html("Troops to stay in Iraq", EN_BODY, "2024-01-09"))
        s.add("/news/retrait.html", article_html("Les troupes restent", FR_BODY, "2024-01-10", lang="fr"))
        s.add("/plain.txt", "Bridge to reopen\n\nThe transport minister said on Friday that the river bridge would "
              "reopen in March after repairs to two of its supports, which engineers found cracked in an "
              "inspection last autumn.", ctype="text/plain; charset=utf-8")
        s.add("/big.html", article_html("Big", EN_BODY * 50, "2024-01-09"))
        yield s


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(**{"db": str(tmp_path / "s.db"), "fetch_delay": 0.0, **kw})  # type: ignore[arg-type]


def _records(labels: list[str], settings: Settings) -> dict[str, InputRecord]:
    with Store(settings.db) as store:
        summary = ingest(labels, store, settings)
        store.commit()
        ARTICLES.update({a.id: a for a in store.articles()})
    return {r.path: r for r in summary.inputs}


ARTICLES: dict[str, Article] = {}


def _article(rec: InputRecord) -> Article:
    return ARTICLES[rec.article_id or ""]


def test_url_only_jsonl_record_is_fetched(tmp_path: Path, site: NewsSite) -> None:
    src = tmp_path / "urls.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"url": site.url("/news/troops.html"), "title": "Title from the record", "outlet": "Test News"},
        {"url": site.url("/missing.html")},
        {"url": site.url("/plain.txt")},
    ]) + "\n", encoding="utf-8")
    recs = _records([str(src)], _settings(tmp_path))
    first, missing, plain = recs[f"{src}#1"], recs[f"{src}#2"], recs[f"{src}#3"]
    assert first.status == "ok", first
    art = _article(first)
    assert art.url == site.url("/news/troops.html") and art.title == "Title from the record"   # the record wins
    assert art.outlet == "Test News" and str(art.published) == "2024-01-09" and "2,500 troops" in art.text
    assert missing.status == "failed" and "HTTP 404" in missing.reason and missing.reason.startswith(f"{src}#2")
    assert plain.status == "ok" and _article(plain).text.startswith("Bridge to reopen")


def test_url_list_file(tmp_path: Path, site: NewsSite) -> None:
    src = tmp_path / "today.urls"
    src.write_text("# morning list\n\n" + site.url("/news/troops.html") + "\nnot a url\n"
                   + site.url("/missing.html") + "\n  " + site.url("/news/retrait.html") + "  \n", encoding="utf-8")
    recs = _records([str(src)], _settings(tmp_path))
    assert list(recs) == [site.url("/news/troops.html"), f"{src}#4", site.url("/missing.html"),
                          site.url("/news/retrait.html")]
    assert recs[site.url("/news/troops.html")].status == "ok"
    assert recs[f"{src}#4"].status == "failed" and "not an http(s) URL" in recs[f"{src}#4"].reason
    assert recs[site.url("/missing.html")].status == "failed" and "HTTP 404" in recs[site.url("/missing.html")].reason
    fr = recs[site.url("/news/retrait.html")]
    assert fr.status == "ok" and fr.reason == "language fr: English-only analysis skipped"

    empty = tmp_path / "empty.urls"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert [(r.status, r.reason) for r in read_documents(str(empty), Settings())] == \
        [("skipped", f"{empty}: holds no URLs")]


def test_urls_flag_reads_any_file_name(tmp_path: Path, site: NewsSite) -> None:
    src = tmp_path / "list.txt"
    src.write_text(site.url("/news/troops.html") + "\n", encoding="utf-8")
    args = build_parser().parse_args(["analyze", "--urls", str(src), "--fetch-delay", "0"])
    labels = analyze_inputs(args)
    assert labels == [f"urls:{src}"]
    recs = _records(labels, _settings(tmp_path))
    assert recs[site.url("/news/troops.html")].status == "ok"
    with pytest.raises(UsageError):
        analyze_inputs(build_parser().parse_args(["analyze"]))
    missing = _records([f"urls:{tmp_path / 'nope.txt'}"], _settings(tmp_path, db=str(tmp_path / "m.db")))
    assert [r.status for r in missing.values()] == ["failed"]


def test_fetch_limits(tmp_path: Path, site: NewsSite) -> None:
    small = Settings(max_input_bytes=5_000, fetch_delay=0.0)
    got = list(read_documents(site.url("/big.html"), small))
    assert isinstance(got[0], InputRecord) and got[0].status == "failed" and "larger than" in got[0].reason
    started = time.monotonic()
    got = list(read_documents(site.url("/slow"), Settings(fetch_timeout=1.0)))
    assert isinstance(got[0], InputRecord) and "longer than fetch_timeout=1 s" in got[0].reason
    assert time.monotonic() - started < 3.5           # the whole download is bounded, not only each read
    got = list(read_documents(site.url("/news/troops.html"), Settings()))
    assert isinstance(got[0], RawDocument) and got[0].kind == "html"


def test_pacer_waits_between_requests_to_one_site() -> None:
    pacer = Pacer(0.3)
    started = time.monotonic()
    pacer.wait("http://a.example/1")
    pacer.wait("http://b.example/1")
    assert time.monotonic() - started < 0.2
    pacer.wait("http://a.example/2")
    assert time.monotonic() - started >= 0.29
    Pacer(0).wait("http://a.example/3")
