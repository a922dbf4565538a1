"""Corpus stages declare the fact keys they read (``READS``); the view keeps their union, and in strict mode (this
test suite's) a stage reading a key it does not declare fails instead of reading None."""

from __future__ import annotations

from dataclasses import fields

import pytest

from storyline import model
from storyline.xdoc import fact_rows
from storyline.xdoc.fact_rows import UndeclaredRead, compact_facts, read_keys, stage_reads, strict_reads

CLAIM = {"id": "clm_1", "article_id": "art_1", "start": 0, "end": 20, "text": "US troops will stay", "subject": "US",
         "predicate": "stay", "object": None, "polarity": True, "modality": "intended", "speaker": None,
         "hedged": False, "quote_id": None}
_FIELDS = {"claims": model.Claim, "entities": model.Entity, "quantities": model.Quantity, "quotes": model.Quote,
           "times": model.TimeRef}
_DERIVED = {"entities": {"mention_count"}}     # made by compact_facts from the stored mentions


def _read_as(module: str, source: str, row: object) -> object:
    """Runs ``source`` as code of ``module`` would (the strict check names the reader by its module)."""
    scope = {"__name__": module, "row": row}
    exec(compile(source, f"<{module}>", "exec"), scope)
    return scope["out"]


def test_read_keys_are_the_union_of_the_stage_declarations() -> None:
    reads = stage_reads()
    assert {"storyline.xdoc.align", "storyline.xdoc.entities", "storyline.xdoc.timeline"} <= set(reads)
    for kind, keys in read_keys().items():
        assert set(keys) == {k for r in reads.values() for k in r.get(kind, ())}
        assert len(set(keys)) == len(keys)
    assert read_keys() == fact_rows.READ_KEYS


def test_every_declared_key_is_a_fact_field() -> None:
    for module, reads in stage_reads().items():
        for kind, keys in reads.items():
            known = {f.name for f in fields(_FIELDS[kind])} | _DERIVED.get(kind, set())
            assert set(keys) <= known, f"{module} declares {kind} keys no fact has: {set(keys) - known}"


def test_a_stage_reading_an_undeclared_key_fails() -> None:
    row = compact_facts({"claims": [dict(CLAIM, event_date="2021-04")]})["claims"][0]
    assert _read_as("storyline.xdoc.align", "out = row.get('event_date')", row) == "2021-04"   # declared there
    seen = len(fact_rows.UNDECLARED)
    with pytest.raises(UndeclaredRead, match="storyline.xdoc.sources reads claims\\['event_date'\\].*READS"):
        _read_as("storyline.xdoc.sources", "out = row.get('event_date')", row)   # sources declares only speaker
    with pytest.raises(UndeclaredRead, match="newstage"):
        _read_as("storyline.xdoc.newstage", "out = row['text']", row)           # a stage that declares nothing
    with pytest.raises(UndeclaredRead, match="hedged"):
        _read_as("storyline.xdoc.align", "out = 'hedged' in row", row)         # no stage reads it: not held
    with pytest.raises(UndeclaredRead, match="no corpus stage declares"):
        _read_as("storyline.report.tables", "out = row.get('hedged')", row)     # outside the stages: the union
    assert len(fact_rows.UNDECLARED) == seen + 4
    del fact_rows.UNDECLARED[seen:]      # expected here; the suite's guard fails any other test that leaves one
    assert row.get("hedged") is None and "hedged" not in row                    # tests themselves may probe


def test_plain_rows_read_a_missing_key_as_none() -> None:
    """Outside strict mode (production) the read is the mapping's: no frame is looked at."""
    row = compact_facts({"claims": [CLAIM]})["claims"][0]
    strict_reads(False)
    try:
        assert _read_as("storyline.xdoc.sources", "out = (row.get('hedged'), 'text' in row)", row) == (None, True)
    finally:
        strict_reads(True)
