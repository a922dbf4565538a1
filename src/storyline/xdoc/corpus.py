"""Runs the corpus-wide stages in order. Each stage reads stored facts and writes one corpus document.

Order matters: syndication first (copies must count once everywhere), then entities (stories and alignment talk
about canonical entities), stories (alignment stays inside a story), alignment, relations, timeline, sources.
Every document is rebuilt from the facts on each run except the story centroids, which carry over so that new
articles join the stories they belong to and story ids stay stable.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from typing import Any, Protocol

import numpy as np

from ..config import Settings
from ..model import CorpusResult
from ..nlp.runtime.embed import DIM
from ..store import Store
from . import syndication
from .align import align
from .entities import canonicalise
from .events import refine
from .key_claims import key_claims
from .relations import Importance, claim_relations, quantity_relations
from .series import build_series, series_records
from .sources import source_profiles
from .stories import StoryParams, cluster, clusterable, embed_leads, group_events, index_document, story_records
from .timeline import build_timeline
from .timeline_summary import timeline_summary
from .view import CorpusView, load_view, text_hash

VERSION = "xdoc-1"
# Relations below this confidence are not kept in analysis.json (``relation_min_confidence`` in the settings' extra).
RELATION_MIN_CONFIDENCE = 0.35
Progress = Callable[[str, int, int | None], None]


class CorpusExecutor(Protocol):
    """What the corpus stages ask of the run's executor (``executors.Executor``): LSH buckets and embeddings,
    computed where the run's workers are."""

    def band_buckets(self, rows: list[tuple[str, bytes]], threshold: float) -> list[tuple[str, ...]]: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


def run_all(store: Store, settings: Settings, progress: Progress | None = None,
            executor: CorpusExecutor | None = None) -> dict[str, Any]:
    """Build and store the corpus documents; returns a small report (counts and seconds per stage)."""
    view = load_view(store)
    # The view lives through every stage: kept out of the cyclic collector's sight, each full collection no longer
    # walks the whole corpus again (gen-2 collections 0.40 -> 0.14 s of CPU on 1,500 articles). Objects are
    # unchanged; the collector sees them again when the stages are done.
    gc.freeze()
    try:
        results = analyse(view, settings, previous_stories=store.corpus("story_index"), progress=progress,
                          signatures=_signatures(store), stored_vectors=lambda ids: store.vectors("lead", ids),
                          executor=executor)
    finally:
        gc.unfreeze()
    for aid, canon in results.duplicate_changes.items():
        store.set_duplicate_of(aid, canon)
    for aid, sid in results.story_of.items():
        store.set_story(aid, sid)
    for kind in ("entities", "stories", "relations", "series", "key_claims", "timeline", "sources", "story_index",
                 "propositions", "syndication"):
        store.put_corpus(kind, VERSION, results.documents.pop(kind))    # each document freed once written
    # the summarised timeline reads article texts, so it runs here on the store, once copies and stories are set
    store.put_corpus("timeline_summary", VERSION, timeline_summary(store)["timeline"])
    store.commit()
    return results.report


def _signatures(store: Store) -> list[tuple[str, bytes]]:
    return store.signatures()       # kept by name: the benchmarks call it on this tree and on earlier ones


def analyse(view: CorpusView, settings: Settings | None = None, *, previous_stories: list[dict[str, Any]] | None = None,
            progress: Progress | None = None, signatures: list[tuple[str, bytes]] | None = None,
            embed: Any = None,
            stored_vectors: Callable[[list[str]], dict[str, tuple[str, bytes]]] | None = None,
            inspect: dict[str, Any] | None = None, executor: CorpusExecutor | None = None) -> CorpusResult:
    """The corpus stages on an in-memory view (the store-free core, used by tests and the scaling benchmark).
    ``executor`` (the run's) bands the signatures and embeds the texts; without one the driver does both.
    ``inspect``, when given, receives the intermediate objects (claim refs, scored pairs, series, story of each
    article, entity index) for the relation benchmarks and the pair model's training."""
    extra = settings.extra if settings is not None else {}
    timings: dict[str, float] = {}
    steps = 7

    def tick(name: str, i: int, t0: float) -> float:
        timings[name] = round(time.perf_counter() - t0, 3)
        if progress:
            progress("relate", i, steps)
        return time.perf_counter()

    t = time.perf_counter()
    banding = executor.band_buckets if executor is not None else None   # the buckets' pairs are checked here
    copies = syndication.find_groups(signatures or [], view, float(extra.get("syndication_threshold",
                                                                             syndication.DEFAULT_THRESHOLD)), banding)
    dup_changes = syndication.apply_groups(copies, view)
    t = tick("syndication", 1, t)
    index = canonicalise(view)
    t = tick("entities", 2, t)
    params = StoryParams(**{k: extra[k] for k in ("threshold", "w_emb", "w_time", "story_threshold", "story_w_emb")
                            if k in extra})
    prev = previous_stories if isinstance(previous_stories, dict) else {}
    prev_events = prev.get("events", [])
    known = {a for s in prev_events for a in s["article_ids"]}
    # the store lost articles, or a story holds one clustering now leaves out (clustered before that rule): start afresh
    if not known <= set(view.by_id) or any(view.by_id[a].facts.get("nlp_skipped") for a in known):
        prev, prev_events, known = {}, [], set()
    new_docs = _new_docs(view, known)
    driver_embed = embed or (executor.embed if executor is not None
                             else partial(embed_leads, parallel=settings.workers if settings is not None else 1))
    lead_vecs = _lead_vectors(new_docs, driver_embed, stored_vectors if embed is None else None)
    feats: dict[str, Any] = {}
    events = cluster(view, index, prev_events, params, embeddings=lead_vecs, features=feats)
    groups = group_events(events, prev.get("stories"), params)
    if extra.get("refine_events", True):
        events, groups = refine(view, events, groups, feats)
    ev_story = {e: g.id for g in groups for e in g.event_ids}
    story_of = {a: ev_story[ev.id] for ev in events for a in ev.article_ids}
    t = tick("stories", 3, t)
    refs, props, scored = align(view, index, story_of, embed=driver_embed)
    t = tick("align", 4, t)
    series = build_series(view, index)
    if inspect is not None:
        inspect.update(view=view, refs=refs, scored=scored, series=series, story_of=story_of, index=index, props=props)
    importance = Importance(view, refs)
    relations = (claim_relations(view, refs, props, scored, series, importance)
                 + quantity_relations(view, series, importance))
    floor = float(extra.get("relation_min_confidence", RELATION_MIN_CONFIDENCE))
    kept = [r for r in relations if r["confidence"] >= floor]
    kept.sort(key=lambda r: (_KIND_ORDER.get(r["kind"], 9), -r["confidence"] * r["importance"], r["id"]))
    relations = kept
    t = tick("relations", 5, t)
    timeline = build_timeline(view, refs, props)
    t = tick("timeline", 6, t)
    sources = source_profiles(view, refs, props)
    tick("sources", 7, t)
    return CorpusResult({
        "entities": index.records,
        "stories": story_records(view, events, groups, index,
                                 _title_vectors(view, new_docs, lead_vecs, stored_vectors if embed is None else None)),
        "story_index": index_document(events, groups),
        "propositions": [asdict(p) for p in props],
        "relations": relations,
        "series": series_records(series, also=frozenset(r["series_id"] for r in relations if r.get("series_id"))),
        "key_claims": key_claims(view, refs, props, scored, story_of),
        "timeline": timeline,
        "sources": sources,
        "syndication": syndication.group_records(copies, view),
    }, duplicate_changes=dup_changes, story_of=story_of,
        report={"articles": len(view.docs), "stories": len(groups), "events": len(events), "entities": len(index.records),
                "propositions": len(props), "candidate_pairs": len(scored), "relations": len(relations),
                "series": len(series), "timeline": len(timeline),
                "seconds": timings})


def _lead_vectors(docs: list[Any], embed: Callable[[list[str]], np.ndarray],
                  stored: Callable[[list[str]], dict[str, tuple[str, bytes]]] | None) -> np.ndarray:
    """Lead embeddings of ``docs``: the workers' stored vectors where they encode exactly this lead (same text hash),
    the rest embedded with ``embed``; without ``stored`` (tests, benchmarks) all of them with ``embed``."""
    if stored is None or not docs:
        return embed([d.lead for d in docs])
    have = stored([d.id for d in docs])
    out = np.zeros((len(docs), DIM), dtype=np.float32)
    missing = []
    for i, d in enumerate(docs):
        vec = _stored_lead(have.get(d.id), d.lead)
        if vec is not None:
            out[i] = vec
        else:
            missing.append(i)
    if missing:
        fresh = embed([docs[i].lead for i in missing])
        if fresh.shape[1] != DIM:          # the model failed and the hashed fallback came back: use it for all
            return embed([d.lead for d in docs])
        out[missing] = fresh
    return out


def _stored_lead(hit: tuple[str, bytes] | None, lead: str) -> np.ndarray | None:
    """A worker's stored lead vector when it encodes exactly this lead (same text hash, full width), else None."""
    if hit is not None and hit[0] == text_hash(lead) and len(hit[1]) == DIM * 4:
        return np.frombuffer(hit[1], dtype="<f4")
    return None


def _title_vectors(view: CorpusView, new_docs: list[Any], lead_vecs: np.ndarray,
                   stored: Callable[[list[str]], dict[str, tuple[str, bytes]]] | None) -> dict[str, np.ndarray]:
    """Lead vectors of every article for choosing story titles: this run's, and the stored ones of articles analysed
    before (without them an incremental run titled each story by its first article, not its most central one)."""
    vecs = {d.id: v for d, v in zip(new_docs, lead_vecs, strict=True)}
    rest = [d for d in view.docs if d.id not in vecs]
    if stored is not None and rest:
        have = stored([d.id for d in rest])
        for d in rest:
            vec = _stored_lead(have.get(d.id), d.lead)
            if vec is not None:
                vecs[d.id] = vec
    return vecs


def _new_docs(view: CorpusView, known: set[str]) -> list[Any]:
    from datetime import date

    docs = [d for d in clusterable(view) if d.id not in known]
    return sorted(docs, key=lambda d: (d.when or date.max, d.order))


_KIND_ORDER = {"contradiction": 0, "superseded": 1, "numeric_conflict": 2, "change_over_time": 3, "agreement": 4}
