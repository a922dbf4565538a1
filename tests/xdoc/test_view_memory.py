"""The corpus view holds only what the corpus stages read, in compact form, and that changes none of their outputs."""

from __future__ import annotations

import json
import pickle
from dataclasses import asdict
from datetime import date

import pytest

from storyline.xdoc import fact_rows
from storyline.xdoc.fact_rows import READ_KEYS, FactRow, Sharer, compact_facts, fact_row, sentence_at, sentence_bounds
from storyline.xdoc.view import build_view
from xdoc_facts import Doc, seed_like_corpus

ENTITY = {"id": "ent_1", "name": "Islamic State", "type": "org", "aliases": ["ISIS", "IS"], "article_ids": ["art_1"],
          "role": None, "mentions": [[0, 4], [10, 14], [20, 24]]}
QUOTE = {"id": "quote_1", "article_id": "art_1", "start": 5, "end": 40, "text": "We will stay", "speaker": "McKenzie",
         "speaker_start": 45, "speaker_end": 53, "speaker_entity_id": None, "cue": "said", "cue_start": 41,
         "cue_end": 45, "direct": True, "medium": None}
CLAIM = {"id": "clm_1", "article_id": "art_1", "start": 300, "end": 340, "text": "US troops will stay in Iraq",
         "subject": "US troops", "predicate": "stay", "object": "in Iraq", "polarity": True, "modality": "intended",
         "speaker": None, "event_date": None, "event_date_precision": None, "hedged": False, "quote_id": "quote_1"}


def _doc() -> Doc:
    d = Doc("m", "Troops stay", outlet="Wire One", published=date(2021, 4, 7))
    d.entity("Islamic State", "org", "ISIS", mentions=3).entity("Frank McKenzie", "person", role="general")
    d.claim("US troops will stay in Iraq", "US troops", "stay", "in Iraq", speaker="Frank McKenzie")
    d.time("in 2021", "2021", "year")
    d.facts["times"].append({"start": 3, "end": 9, "text": "lately", "value": None, "precision": None,
                             "anchor": None, "mod": None, "interval": None})
    d.facts["quotes"] += [dict(QUOTE), dict(QUOTE, id="quote_2", text="Not yet"), dict(QUOTE, id="quote_3", speaker=None)]
    return d


def test_view_holds_only_the_keys_stages_read() -> None:
    d = _doc()
    doc = build_view([d.article()], {d.id: d.facts}).docs[0]
    for kind in ("claims", "entities", "quantities", "quotes", "times"):
        for row in doc.facts[kind]:
            assert isinstance(row, FactRow) and set(row) <= set(READ_KEYS[kind])
    claim = doc.claims()[0]
    assert "article_id" not in claim and "quote_id" not in claim and "hedged" not in claim
    assert {k: claim[k] for k in claim} == {k: v for k, v in d.facts["claims"][0].items() if k in READ_KEYS["claims"]}
    ent = doc.entities()[0]
    assert "mentions" not in ent and "article_ids" not in ent and ent["mention_count"] == 3
    assert list(ent["aliases"]) == ["ISIS"] and ent["type"] == "org"
    assert [dict(q) for q in doc.facts["quotes"]] == [{"speaker": "McKenzie"}] * 2 + [{"speaker": None}]
    assert doc.facts["quotes"][0] is doc.facts["quotes"][1]      # equal id-less rows are one object
    assert [t["value"] for t in doc.facts["times"]] == ["2021"]  # unresolved times are skipped by every reader


def test_sentence_lookup_matches_a_scan_of_the_sentence_dicts() -> None:
    sents = [{"start": 0, "end": 10}, {"start": 11, "end": 30}, {"start": 25, "end": 40}, {"start": 50, "end": 60}]
    bounds = sentence_bounds(sents)
    assert len(bounds) == 8 and bounds.itemsize == 4
    for pos in range(-1, 65):
        want = next(((s["start"], s["end"]) for s in sents if s["start"] <= pos < s["end"]), None)
        assert sentence_at(bounds, pos) == want
    d = _doc()
    doc = build_view([d.article()], {d.id: d.facts}).docs[0]
    start = d.facts["claims"][0]["start"]
    assert doc.sentence_at(start) == (start, d.facts["claims"][0]["end"])


def test_constant_values_read_as_present_keys() -> None:
    row = compact_facts({"claims": [CLAIM]})["claims"][0]
    want = {k: v for k, v in CLAIM.items() if k in READ_KEYS["claims"]}
    assert dict(row) == want and list(row) == list(want) and len(row) == len(want)
    assert row["speaker"] is None and row.get("event_date", "x") is None and "event_date" in row
    assert row["polarity"] is True and row == want and row != dict(want, text="other")
    assert len(tuple.__getitem__(row, slice(None))) < len(want)  # None/True/False are held by the class
    assert pickle.loads(pickle.dumps(row)) == row
    assert json.loads(json.dumps(dict(row))) == want
    with pytest.raises(TypeError):
        hash(row)
    with pytest.raises(TypeError):
        row < row  # noqa: B015 - mappings have no order


def test_sharer_makes_equal_values_one_object_without_mixing_types() -> None:
    sh = Sharer()
    a, b = "".join(["Frank ", "McKenzie"]), "".join(["Frank McK", "enzie"])
    assert a is not b and sh.value(a) is sh.value(b)
    assert sh.value(int("123456")) is sh.value(int("123456"))
    assert type(sh.value(1.0)) is float and sh.value(True) is True and sh.value([[1, 2], "x"]) == ((1, 2), "x")
    rows = [fact_row({"value": 1}, sharer=sh), fact_row({"value": 1.0}, sharer=sh), fact_row({"value": True}, sharer=sh)]
    assert [type(r["value"]) for r in rows] == [int, float, bool]


def test_sharing_table_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(fact_rows, "_TABLE_MAX", 3)
    sh = Sharer()
    for i in range(10):
        sh.value(f"word{i}")
    assert len(sh.strings) <= 3


@pytest.mark.slow
def test_projection_changes_no_corpus_output() -> None:
    """Every corpus stage on the compact view gives what it gives on rows holding every key of every fact."""
    from storyline.xdoc.corpus import analyse

    docs = seed_like_corpus()
    arts, facts = [d.article() for d in docs], {d.id: d.facts for d in docs}
    compact = analyse(build_view(arts, facts))
    every = {kind: tuple(dict.fromkeys(k for f in facts.values() for x in f[kind] for k in x)) for kind in READ_KEYS}
    every["entities"] += ("mention_count",)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fact_rows, "read_keys", lambda: every)
        full = analyse(build_view(arts, facts))
    assert compact.report.pop("seconds", None) is not None and full.report.pop("seconds", None) is not None
    assert json.dumps(asdict(compact), sort_keys=True, default=str) == json.dumps(asdict(full), sort_keys=True, default=str)
    assert compact["relations"] and compact["timeline"] and compact["entities"]   # the stages had facts to read
