"""Settle a built article against the store: unchanged since an earlier run, an exact or a near duplicate, or new.

One function for every backend: the local ingest calls it per document, the Dask ingest (``executors.dask_ingest``)
per row of a worker's shard, always on the driver and in input order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..meta.language import english_only_skip
from ..model import Article, InputRecord, RunSummary
from ..store import Store
from .dedup import NearDuplicateIndex, signature, to_bytes

if TYPE_CHECKING:
    from datasketch import MinHash


def merge_article(source: str, art: Article, mh: MinHash | None, store: Store, index: NearDuplicateIndex,
                  summary: RunSummary) -> InputRecord:
    """Settle a built article against the store (previous run, exact and near duplicates) and add it.

    ``mh`` is the MinHash already computed on a Dask worker; None computes it here (only when it is needed).
    The driver is the single caller, so the near-duplicate index sees articles in input order on every backend.
    """
    if store.has_article(art.id):
        return _known(source, art, store)
    if mh is None:
        mh = signature(art.text)
    near = index.find(mh)
    status, reason = "ok", ""
    if near:
        art.duplicate_of = near[0]
        status, reason = "duplicate", f"near-duplicate of article {near[0]} (estimated word-shingle Jaccard {near[1]:.2f})"
    if not store.add_article(art, to_bytes(mh)):     # another run stored it since we looked: not this run's work
        return _known(source, art, store)
    if not near:
        index.add(art.id, mh)
    summary.new_articles += 1
    if skip := english_only_skip(art.language):     # kept and labelled; the per-article analysis passes it over
        reason = f"{reason}; {skip}" if reason else skip
    return InputRecord(source, status, reason, art.id)


def _known(source: str, art: Article, store: Store) -> InputRecord:
    """The record of an input whose article is already stored: unchanged, retried, or a duplicate."""
    previous = store.input_status(source)
    if previous and previous.article_id == art.id:
        if previous.status == "failed":     # stored, but its analysis failed last time: `understand` retries it
            return InputRecord(source, "ok", "stored by an earlier run whose analysis failed; analysed again", art.id)
        return InputRecord(source, previous.status, previous.reason or "unchanged since the last run; not re-analysed", art.id)
    existing = store.article(art.id)
    if existing is not None and existing.source == source:    # the same input, stored by a run beside this one
        return InputRecord(source, "ok", "already stored from this input by another run", art.id)
    return InputRecord(source, "duplicate", f"same text as article {art.id} from {existing.source if existing else '?'}", art.id)
