"""Shared by the relation benchmark, the candidate dump and the pair model's training: the corpus stages' state on
an analysed store (claim refs, scored candidate pairs, number series), and the sentences around claims, so that a
labelled pair (two claim ids, or two quantity ids) can be found again and its features recomputed.

A store is made once with the normal CLI, e.g. for the Timeline17 dev collections:
    .venv/bin/python benchmarks/t17_corpus.py --out out/t17/all.jsonl
    .venv/bin/storyline analyze out/t17/all.jsonl --db out/all/storyline.db --out out/all
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.model import CorpusResult
from storyline.store import Store
from storyline.xdoc.align import place_contexts
from storyline.xdoc.corpus import _signatures, analyse
from storyline.xdoc.view import load_view

DATA = Path(__file__).resolve().parent / "data" / "relation_pairs"
LABELS = ("none", "agreement", "contradiction", "numeric_conflict", "change_over_time", "superseded")
# The pair model's three classes from an analyst's label.
MODEL_CLASS = {"none": 0, "agreement": 1, "contradiction": 2, "numeric_conflict": 2, "change_over_time": 2,
               "superseded": 2}


@dataclass
class CorpusState:
    store: Store
    state: dict[str, Any]
    result: CorpusResult
    texts: dict[str, str]
    collection: dict[str, str]          # article id → source record's collection (from the input path / record id)
    published: dict[str, str]

    def claim_pair(self, cand: dict[str, Any]) -> tuple[Any, Any] | None:
        """The two claim refs of a labelled claim pair, or None when it is not a claim pair the alignment stage
        scores now (a side filtered out as boilerplate, a fragment or with nothing to align with: no vector)."""
        if cand.get("type") != "claims":
            return None
        refs = self.state["refs"]
        a, b = refs.get(cand["a"]["id"]), refs.get(cand["b"]["id"])
        if a is None or b is None or a.vec is None or b.vec is None:
            return None
        return a, b

    def sentence(self, article_id: str, start: int, end: int, width: int = 60) -> str:
        text = self.texts.get(article_id, "")
        lo = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, start - 400, 0)
        hi_candidates = [x for x in (text.find("\n", end), text.find(". ", end)) if x != -1]
        hi = min([*hi_candidates, end + 400, len(text)])
        return text[lo:hi + 1].strip()


def load_state(db: str, settings: Settings | None = None) -> CorpusState:
    store = Store(db)
    view = load_view(store)
    state: dict[str, Any] = {}
    result = analyse(view, settings or Settings(), previous_stories=store.corpus("story_index"),
                     signatures=_signatures(store), stored_vectors=lambda ids: store.vectors("lead", ids),
                     inspect=state)
    # The product reads sentence places only for claims in scored pairs; a labelled pair may hold claims outside
    # them, judged here one pair at a time, so every claim with a vector gets its context.
    place_contexts(state["view"], state["index"], state["refs"], {i for i, r in state["refs"].items() if r.vec is not None})
    texts, coll, pub = {}, {}, {}
    for art in store.articles():
        texts[art.id] = art.text or ""
        pub[art.id] = art.published.isoformat() if art.published else ""
        coll[art.id] = _collection(art)
    return CorpusState(store, state, result, texts, coll, pub)


_RECORDS: dict[str, list[str]] = {}


def _collection(art: Any) -> str:
    """The T17 collection family of a JSONL record ("H1N1", "LibyaWar", "haiti"), read back from the input line."""
    path, _, line = (art.source or "").rpartition("#")
    if not path or not line.isdigit() or not Path(path).exists():
        return "other"
    if path not in _RECORDS:
        with open(path, encoding="utf-8") as fh:
            _RECORDS[path] = [json.loads(x).get("collection", "") for x in fh]
    rows = _RECORDS[path]
    name = rows[int(line) - 1] if 0 < int(line) <= len(rows) else ""
    return name.split("_")[0] if name else "other"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
