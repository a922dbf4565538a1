"""The store opens usefully in datasette and sqlite-utils: FTS declared the way they detect it, corpus documents as
TEXT JSON, the facts as rows (views), and a store from before migration 3 upgraded in place and still readable."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from repo_paths import ROOT
from storyline.store import Store
from storyline.store.schema import MIGRATIONS
from webfixtures import build_store

sqlite_utils = pytest.importorskip("sqlite_utils")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("ds") / "storyline.db")
    build_store(path)
    return path


def test_sqlite_utils_finds_fts_and_searches(db: str) -> None:
    sdb = sqlite_utils.Database(db)
    assert sdb["articles"].detect_fts() == "articles_fts"
    assert sdb["passages"].detect_fts() == "passages_fts"
    hits = list(sdb["articles"].search("troops", columns=["id", "title"]))
    assert hits and all(h["id"].startswith("art_") for h in hits)
    psg = list(sdb["passages"].search("withdraw"))
    assert psg and any("withdraw" in p["text"] for p in psg)


def test_corpus_documents_are_text_json(db: str) -> None:
    conn = sqlite3.connect(db)
    kinds = conn.execute("SELECT kind, typeof(data) FROM corpus").fetchall()
    assert kinds and {t for _, t in kinds} == {"text"}
    for (data,) in conn.execute("SELECT data FROM corpus"):
        json.loads(data)
    with Store(db) as st:           # a rewrite stays TEXT and reads back the same
        st.put_corpus("relations", "t2", [{"id": "rel_x", "kind": "agreement"}])
        st.commit()
        assert st.corpus("relations") == [{"id": "rel_x", "kind": "agreement"}]
        assert st.conn.execute("SELECT typeof(data) FROM corpus WHERE kind='relations'").fetchone()[0] == "text"


def test_fact_views_match_the_facts_json(db: str) -> None:
    with Store(db, readonly=True) as st:
        facts = dict(st.all_facts())
        conn = st.conn
        for view in ("claims", "quotes", "quantities"):
            n = conn.execute(f"SELECT COUNT(*) FROM {view}").fetchone()[0]
            assert n == sum(len(f.get(view, [])) for f in facts.values()) and n > 0
        ids = {r[0] for r in conn.execute("SELECT id FROM claims")}
        assert ids == {c["id"] for f in facts.values() for c in f["claims"]}
        assert conn.execute("SELECT COUNT(*) FROM claims WHERE outlet IS NULL AND published IS NULL").fetchone()[0] == 0
        ents = conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
        assert ents == len(st.corpus("entities"))
        # datasette's search on a view configured with fts_table/fts_pk, as datasette.json does
        rows = conn.execute("SELECT id, text FROM claims WHERE passage_rowid IN "
                            "(SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'troops')").fetchall()
        assert rows and all("troops" in r[1].lower() for r in rows)


def test_datasette_metadata_names_what_the_store_has(db: str) -> None:
    meta = json.loads((ROOT / "datasette.json").read_text(encoding="utf-8"))
    tables = meta["databases"]["storyline"]["tables"]
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    for name, conf in tables.items():
        assert name in names, name
        if "fts_table" in conf:
            assert conf["fts_table"] in names
            cols = {r[1] for r in conn.execute(f"SELECT * FROM pragma_table_xinfo('{name}')")} | {"rowid"}
            assert conf["fts_pk"] in cols
    assert "datasette storyline.db" in (ROOT / "README.md").read_text(encoding="utf-8")


def _old_store(path: str) -> None:
    """A store as migration 2 left it: FTS declared content='articles' (single quotes), corpus documents as BLOBs."""
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version=2")
    conn.execute("INSERT INTO articles(id, source, title, text) VALUES ('art_1', 'a.txt', 'Troops stay', "
                 "'American troops will remain in Iraq, officials said.')")
    conn.execute("INSERT INTO facts(article_id, version, data) VALUES ('art_1', 'v', ?)",
                 (json.dumps({"claims": [{"id": "clm_1", "start": 0, "end": 38, "text": "American troops will remain "
                                          "in Iraq"}], "quotes": [], "quantities": []}),))
    conn.execute("INSERT INTO passages(id, article_id, kind, start, end, text) VALUES "
                 "('psg_1', 'art_1', 'claim', 0, 38, 'American troops will remain in Iraq')")
    conn.execute("INSERT INTO corpus(kind, version, data) VALUES ('stories', 'v', ?)",
                 (json.dumps([{"id": "sto_1"}]).encode(),))
    conn.commit()
    conn.close()


def test_old_store_is_read_as_is_and_upgraded_by_a_writer(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    _old_store(path)
    with Store(path, readonly=True) as st:          # readers take it as it is (BLOB corpus included)
        assert st.corpus("stories") == [{"id": "sto_1"}]
        assert st.search_passages("troops")
    assert sqlite_utils.Database(path)["articles"].detect_fts() is None     # the problem the migration fixes
    with Store(path) as st:
        assert st.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert st.corpus("stories") == [{"id": "sto_1"}]
        assert st.conn.execute("SELECT typeof(data) FROM corpus").fetchone()[0] == "text"
        assert [r["id"] for r in st.search_articles("troops")] == ["art_1"]      # FTS rebuilt from the content
        assert [r["id"] for r in st.search_passages("remain")] == ["psg_1"]
        assert st.conn.execute("SELECT id, passage_rowid FROM claims").fetchall()[0][0] == "clm_1"
    sdb = sqlite_utils.Database(path)
    assert [r["id"] for r in sdb["articles"].search("iraq")] == ["art_1"]



SPEECH = ("Troops to stay in Iraq\n"
          "American troops will remain in Iraq to fight IS, the commander said. "
          "\u201cWe\u2019re going to stay in Iraq,\u201d Frank McKenzie said. "
          "Washington said the remaining combat forces would withdraw at a date to be determined.")


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture(scope="module")
def speech_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store written the way analyze writes one: facts with claims and quotes, and their passages as the pipeline
    makes them (``passages_for``: claims, quotes and sentences), so the views' search reaches quotes too."""
    from datetime import date

    from storyline.model import Article, content_id
    from storyline.nlp.pipeline import passages_for

    path = str(tmp_path_factory.mktemp("speech") / "storyline.db")
    aid = content_id("art", SPEECH)
    claims, quotes = [], []
    for text, speaker in (("American troops will remain in Iraq to fight IS", None),
                          ("the remaining combat forces would withdraw at a date to be determined", "Washington")):
        s, e = _span(SPEECH, text)
        claims.append({"id": content_id("clm", aid, s), "article_id": aid, "start": s, "end": e, "text": text,
                       "subject": None, "predicate": "withdraw", "object": None, "polarity": True,
                       "modality": "asserted", "speaker": speaker})
    for text, speaker, direct in (("We\u2019re going to stay in Iraq,", "Frank McKenzie", True),
                                  ("the remaining combat forces would withdraw at a date to be determined",
                                   "Washington", False)):
        s, e = _span(SPEECH, text)
        quotes.append({"id": content_id("quote", aid, s, e), "article_id": aid, "start": s, "end": e, "text": text,
                       "speaker": speaker, "cue": "said", "direct": direct})
    facts = {"entities": [], "claims": claims, "quotes": quotes, "quantities": [], "times": [],
             "sentences": [{"start": 0, "end": len(SPEECH)}]}
    with Store(path) as st:
        st.add_article(Article(id=aid, source="a.txt", text=SPEECH, title="Troops to stay in Iraq", outlet="Wire",
                               published=date(2021, 4, 23)))
        st.put_facts(aid, "facts-test", facts, passages_for(SPEECH, aid, facts))
        st.commit()
    return path


def test_datasette_serves_searchable_claims_quotes_and_articles(speech_db: str) -> None:
    """`datasette storyline.db -m datasette.json` as a user runs it: the search box of the claims and quotes views and
    of the articles table finds rows through the FTS tables the metadata names (datasette's own request client)."""
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    meta = json.loads((ROOT / "datasette.json").read_text(encoding="utf-8"))

    async def fetch(path: str) -> list[dict]:
        ds = datasette_app.Datasette([speech_db], metadata=meta)
        r = await ds.client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        return r.json()

    claims = asyncio.run(fetch("/storyline/claims.json?_search=withdraw&_shape=array"))
    assert [c["speaker"] for c in claims] == ["Washington"] and claims[0]["outlet"] == "Wire"
    quotes = asyncio.run(fetch("/storyline/quotes.json?_search=stay&_shape=array"))
    assert [(q["speaker"], q["direct"]) for q in quotes] == [("Frank McKenzie", 1)]
    assert len(asyncio.run(fetch("/storyline/quotes.json?_shape=array"))) == 2     # the search narrowed the view
    arts = asyncio.run(fetch("/storyline/articles.json?_search=troops&_shape=array&_col=title"))
    assert [a["title"] for a in arts] == ["Troops to stay in Iraq"]
    assert asyncio.run(fetch("/storyline/articles.json?_search=earthquake&_shape=array")) == []
