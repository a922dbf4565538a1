"""The corpus view's compact fact records read exactly like the decoded JSON dicts they replace."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from storyline.xdoc.fact_rows import FactRow, compact_facts, fact_row

CLAIM = {"id": "clm_1", "article_id": "art_1", "start": 0, "end": 12, "text": "US troops stay", "speaker": None,
         "polarity": True, "mentions": [[0, 2], [5, 9]], "aliases": ["IS", "ISIS"]}


def test_fact_row_reads_like_the_dict() -> None:
    row = fact_row(CLAIM)
    assert row["text"] == "US troops stay" and row.get("speaker") is None and row.get("missing", 7) == 7
    assert "polarity" in row and "nope" not in row and len(row) == len(CLAIM)
    assert list(row) == list(CLAIM) and dict(row)["id"] == "clm_1"
    assert [tuple(m) for m in row["mentions"]] == [(0, 2), (5, 9)] and list(row["aliases"]) == ["IS", "ISIS"]
    assert {**row, "extra": 1}["extra"] == 1
    assert json.loads(json.dumps(dict(row))) == CLAIM          # lists come back as lists through JSON
    with pytest.raises(KeyError):
        row["missing"]
    with pytest.raises(TypeError):
        row["text"] = "changed"                                 # read-only: the stages never mutate facts


def test_compact_facts_keeps_non_fact_values_and_shares_layouts() -> None:
    facts = compact_facts({"claims": [CLAIM, dict(CLAIM, id="clm_2")], "nlp_truncated_at": 200000, "sentences": []})
    a, b = facts["claims"]
    assert isinstance(a, FactRow) and a._index is b._index      # one key index per field layout
    assert facts["nlp_truncated_at"] == 200000 and list(facts["sentences"]) == []   # sentences: a flat bounds array


def test_pruned_outlet_words_give_the_same_source_profiles(monkeypatch) -> None:
    """Dropping per-outlet words seen once changes no source statistic (distinctive words, framing terms)."""
    import storyline.xdoc.view as view_mod
    from storyline.xdoc.sources import source_profiles
    from xdoc_facts import Doc

    fillers = ["today", "at dawn", "on Monday", "late at night", "after talks", "before the vote", "again", "briefly"]
    bodies = {
        "Wire": [f"The occupation forces shelled the militia camp near the river crossing {f}." for f in fillers * 4],
        "Daily": [f"Coalition advisers met ministers about training programmes and base security {f}." for f in fillers * 4],
        "Lone": ["A toxic regime, the columnist wrote, props up the occupation of the country."],
    }
    docs = []
    for outlet, texts in bodies.items():
        for i, text in enumerate(texts):
            d = Doc(f"{outlet}{i}", f"{outlet} report {i}", outlet=outlet)
            d.sentence(text)
            docs.append(d)

    def profiles() -> list:
        view = view_mod.build_view([d.article() for d in docs], {d.id: d.facts for d in docs})
        return source_profiles(view, {}, [])

    pruned = profiles()
    real = view_mod.prune_outlet_words

    def totals_only(view) -> None:           # the statistics' inputs without dropping any word
        saved = {o: Counter(c) for o, c in view.outlet_words.items()}
        real(view)
        view.outlet_words = saved

    monkeypatch.setattr(view_mod, "prune_outlet_words", totals_only)
    unpruned = profiles()
    assert pruned == unpruned
    assert any(p.get("framing_terms") for p in pruned)      # the test exercises both statistics
    assert any(p.get("distinctive_terms") for p in pruned)
