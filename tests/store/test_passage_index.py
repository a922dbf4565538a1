"""Passages are indexed for search by ``put_facts`` itself (one statement per article, schema migration 4), not by a
trigger per row: the index still holds exactly the stored passages, through re-analysis and on an upgraded store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storyline.model import Article, content_id
from storyline.store import Store
from storyline.store.schema import MIGRATIONS


def _article(text: str) -> Article:
    return Article(id=content_id("art", text), source="mem", text=text, title=None)


def _passages(aid: str, text: str, words: list[str]) -> list[dict[str, object]]:
    out = []
    for w in words:
        a = text.index(w)
        out.append({"id": content_id("psg", aid, "sentence", a, a + len(w)), "kind": "sentence", "start": a,
                    "end": a + len(w), "text": w, "speaker": None})
    return out


def _search(st: Store, word: str) -> list[str]:
    return [r[0] for r in st.conn.execute(
        "SELECT p.text FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ? "
        "ORDER BY p.rowid", (word,))]


def _index_matches_passages(st: Store) -> None:
    # rank 1: the index is checked against the content table (the passages), not only for its own consistency
    st.conn.execute("INSERT INTO passages_fts(passages_fts, rank) VALUES ('integrity-check', 1)")


def test_the_index_follows_the_passages_through_reanalysis(tmp_path: Path) -> None:
    text = "Troops withdrew on Monday. Rain fell in Leeds. Talks resumed."
    other = "Markets rallied. Troops stayed in the north."
    with Store(str(tmp_path / "s.db")) as st:
        assert not st.conn.execute("SELECT 1 FROM sqlite_master WHERE name='passages_ai'").fetchone()
        a, b = _article(text), _article(other)
        for art in (a, b):
            st.add_article(art, None)
        st.put_facts(a.id, "v1", {"claims": []}, _passages(a.id, text, ["Troops withdrew on Monday.", "Rain fell in Leeds."]))
        st.put_facts(b.id, "v1", {"claims": []}, _passages(b.id, other, ["Troops stayed in the north."]))
        st.commit()
        _index_matches_passages(st)
        assert _search(st, "troops") == ["Troops withdrew on Monday.", "Troops stayed in the north."]
        assert _search(st, "rain") == ["Rain fell in Leeds."]
        # analysed again with other passages: the old ones leave the index, the new ones enter it
        st.put_facts(a.id, "v2", {"claims": []}, _passages(a.id, text, ["Talks resumed."]))
        st.commit()
        _index_matches_passages(st)
        assert _search(st, "rain") == []
        assert _search(st, "talks") == ["Talks resumed."]
        assert _search(st, "troops") == ["Troops stayed in the north."]


def test_a_store_from_before_migration_4_keeps_its_index_and_loses_the_trigger(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for script in MIGRATIONS[:3]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version=3")
    conn.commit()
    conn.close()
    with Store(str(db)) as st:
        assert st.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert not st.conn.execute("SELECT 1 FROM sqlite_master WHERE name='passages_ai'").fetchone()
        art = _article("Floods closed the bridge.")
        st.add_article(art, None)
        st.put_facts(art.id, "v1", {"claims": []}, _passages(art.id, art.text, ["Floods closed the bridge."]))
        st.commit()
        _index_matches_passages(st)
        assert _search(st, "bridge") == ["Floods closed the bridge."]
