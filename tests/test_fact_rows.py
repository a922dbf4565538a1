"""The corpus view's compact fact records read exactly like the decoded JSON dicts they replace."""

from __future__ import annotations

import json

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
    assert facts["nlp_truncated_at"] == 200000 and facts["sentences"] == []
