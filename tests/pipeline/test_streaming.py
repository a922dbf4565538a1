"""Ingest and per-article NLP overlap: batches leave while later inputs are still being read, every input is still
accounted for, and the facts are the same as when the whole corpus is ingested first."""

from __future__ import annotations

import json

import pytest

from storyline.api import analyze
from storyline.config import Settings
from storyline.nlp.pipeline import FACTS_VERSION
from storyline.pipeline import ingest, understand
from storyline.store import Store

pytestmark = pytest.mark.slow

PLACES = ["Baghdad", "Erbil", "Mosul", "Basra", "Kirkuk", "Najaf", "Karbala", "Ramadi", "Fallujah", "Tikrit"]


def _corpus(root, n: int) -> None:  # type: ignore[no-untyped-def]
    root.mkdir()
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        text = (f"Report {i}: officials in {place} said on Monday that {100 + 7 * i} troops would stay until March.\n\n"
                f"“We are not leaving {place},” a spokesman told reporters, according to a statement issued {i} days "
                "later.\n")
        (root / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
    (root / "broken.html").write_bytes(b"\x00\x01\x02")


def _facts(db: str) -> dict[str, dict]:
    with Store(db, readonly=True) as store:
        rows = store.conn.execute("SELECT article_id, data FROM facts ORDER BY article_id").fetchall()
    return {aid: json.loads(data) for aid, data in rows}


def test_batches_start_before_ingest_ends_and_facts_match_the_sequential_run(tmp_path) -> None:
    _corpus(tmp_path / "in", 24)
    events: list[str] = []
    settings = Settings(db=str(tmp_path / "stream.db"), out=str(tmp_path / "out"), workers=1)
    summary = analyze([str(tmp_path / "in")], settings, lambda stage, done, total: events.append(stage))

    # the first batch (8 articles at this size) is analysed while later inputs are still to be read
    assert "understand" in events and events.index("understand") < len(events) - 1 - events[::-1].index("ingest")
    assert len(summary.inputs) == 25 and summary.analysed == 24
    assert [r.status for r in summary.inputs].count("failed") == 1

    seq = Settings(db=str(tmp_path / "seq.db"), out=str(tmp_path / "out2"), workers=1)
    with Store(seq.db) as store:
        seq_summary = ingest([str(tmp_path / "in")], store, seq)
        understand(store, seq, seq_summary)
    assert [(r.path, r.status) for r in seq_summary.inputs] == [(r.path, r.status) for r in summary.inputs]
    assert _facts(settings.db) == _facts(seq.db)


def test_a_rerun_analyses_only_articles_left_without_facts(tmp_path) -> None:
    _corpus(tmp_path / "in", 10)
    settings = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"), workers=1)
    analyze([str(tmp_path / "in")], settings)
    with Store(settings.db) as store:       # as if the first run had been killed before these were analysed
        lost = [r[0] for r in store.conn.execute("SELECT article_id FROM facts ORDER BY article_id LIMIT 3")]
        store.conn.execute(f"DELETE FROM facts WHERE article_id IN ({','.join('?' * len(lost))})", lost)
        store.commit()
    again = analyze([str(tmp_path / "in")], settings)
    assert again.analysed == 3 and again.new_articles == 0
    assert set(lost) <= set(_facts(settings.db)) and len(_facts(settings.db)) == 10
    with Store(settings.db, readonly=True) as store:
        assert store.articles_missing_facts(FACTS_VERSION) == []
