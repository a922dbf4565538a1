"""Records as other tools write them (news-please, trafilatura's JSON) are read with their dates, outlets and
authors; --since/--until/--host leave inputs out with the reason recorded in `inputs`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.api import extract
from storyline.cli import build_parser
from storyline.config import Settings
from storyline.errors import UsageError
from storyline.pipeline import ingest
from storyline.store import Store

BODY = ("The minister said on Tuesday that the bridge would reopen next month after repairs. Engineers found "
        "cracks in two of its supports during an inspection, officials said.")


def _jsonl(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_news_please_record(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "np.jsonl", [{
        "maintext": BODY, "title": "Bridge to reopen", "date_publish": "2021-04-07 10:12:00",
        "source_domain": "www.reuters.com", "authors": ["Jane Roe", "John Doe"], "url": "https://www.reuters.com/x",
        "language": "en", "date_download": "2021-04-08 00:00:00"}])
    row = next(extract([src], Settings()))
    assert row["status"] == "ok", row
    assert row["published"] == "2021-04-07" and row["published_basis"] == "record field 'date_publish'"
    assert row["outlet"] == "Reuters" and row["author"] == "Jane Roe, John Doe" and row["title"] == "Bridge to reopen"
    assert row["url"] == "https://www.reuters.com/x"


def test_trafilatura_json_record(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "tf.jsonl", [
        {"text": BODY, "title": "Bridge", "date": "2023-10-03", "hostname": "www3.nhk.or.jp", "sitename": "NHK WORLD",
         "source": "https://www3.nhk.or.jp/nhkworld/en/news/1/", "author": "Staff"},
        {"text": BODY + " More.", "date": "2023-10-04", "hostname": "www3.nhk.or.jp"},
    ])
    rows = list(extract([src], Settings()))
    assert [r["published"] for r in rows] == ["2023-10-03", "2023-10-04"]
    assert rows[0]["outlet"] == "NHK WORLD" and rows[0]["url"] == "https://www3.nhk.or.jp/nhkworld/en/news/1/"
    assert rows[1]["outlet"] == "nhk.or.jp"          # the registered domain when no site name is given
    assert rows[0]["published_basis"] == "record field 'date'"


def test_storyline_fields_still_win(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "own.jsonl", [{"text": BODY, "published": "2020-01-02", "date": "2023-10-03",
                                           "outlet": "Own Name", "sitename": "Other"}])
    row = next(extract([src], Settings()))
    assert row["published"] == "2020-01-02" and row["outlet"] == "Own Name"


def _corpus(tmp_path: Path) -> str:
    return _jsonl(tmp_path / "c.jsonl", [
        {"text": f"{BODY} Item {i}: figure {i * 7919}.", "published": day, "url": url}
        for i, (day, url) in enumerate([
            ("2021-03-01", "https://www.reuters.com/a"), ("2021-04-07", "https://www.bbc.co.uk/news/b"),
            ("2021-05-20", "https://news.example.org/c"), ("2021-04-10", "https://someone.blogspot.com/d")])])


def test_since_until_host_filters_are_recorded(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    settings = Settings(db=str(tmp_path / "s.db"), since="2021-04-01", until="2021-04-30")
    with Store(settings.db) as store:
        ingest([src], store, settings)
        store.commit()
        got = {r.path.rsplit("#", 1)[1]: (r.status, r.reason) for r in store.inputs()}
        assert store.article_count() == 2
    assert got["1"][0] == "skipped" and "before --since 2021-04-01" in got["1"][1]
    assert got["3"][0] == "skipped" and "after --until 2021-04-30" in got["3"][1]
    assert got["2"][0] == "ok" and got["4"][0] == "ok"

    settings = Settings(db=str(tmp_path / "h.db"), hosts="bbc.co.uk,someone.blogspot.com")
    with Store(settings.db) as store:
        ingest([src], store, settings)
        store.commit()
        got = {r.path.rsplit("#", 1)[1]: (r.status, r.reason) for r in store.inputs()}
    assert [k for k, (status, _) in sorted(got.items()) if status == "ok"] == ["2", "4"]
    assert "www.reuters.com is not one of --host" in got["1"][1]


def test_filter_flags_and_validation() -> None:
    args = build_parser().parse_args(["analyze", "x", "--since", "2021-04-01", "--host", "a.com", "--host", "b.com,c.org"])
    assert (args.since, args.hosts) == ("2021-04-01", ["a.com", "b.com,c.org"])
    with pytest.raises(UsageError):
        Settings.load({"since": "April"})
    with pytest.raises(UsageError):
        Settings.load({"since": "2021-05-01", "until": "2021-04-01"})


def test_a_record_with_an_empty_text_is_an_empty_input_not_a_missing_field() -> None:
    from pathlib import Path

    from storyline.config import Settings
    from storyline.ingest.sources import _jsonl_record

    got = _jsonl_record(b'{"text": "  ", "published": "2009-01-01"}', "x.jsonl#1", Path("."), Settings())
    assert got.status == "failed" and "empty input" in got.reason and "'text' is empty" in got.reason
