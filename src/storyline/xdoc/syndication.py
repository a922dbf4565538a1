"""Syndication groups: wire copies and re-posts of one story, counted once.

Ingest already marks *near-exact* copies (word 5-gram Jaccard ≥ ``near_duplicate_threshold``, default 0.9) with the
MinHash signatures in ``ingest.dedup``. A wire story re-published by several outlets usually differs more than that
(own headline, intro line, trimmed ending), so here the stored signatures of all articles go through a second, looser
LSH pass (``syndication_threshold``, default 0.6). Copies are grouped with union-find; each group's canonical
article is the earliest one (stated date first, then store order) and every other member gets ``duplicate_of`` it.
Agreement statistics downstream count a group once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from datasketch import MinHashLSH

from ..ingest.dedup import NUM_PERM
from .view import CorpusView

DEFAULT_THRESHOLD = 0.6


class UnionFind:
    """Smallest-key-wins union-find, so the grouping never depends on the order pairs arrive in."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for x in sorted(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out


@dataclass(slots=True)
class SyndicationGroup:
    canonical: str
    members: list[str]          # canonical first, then the copies in store order
    similarity: dict[str, float]  # copy → estimated Jaccard with its canonical


def band_ranges(threshold: float) -> list[tuple[int, int]]:
    """The LSH bands (slices of a signature) for ``threshold``: the ones ``MinHashLSH`` would use."""
    return [tuple(r) for r in MinHashLSH(threshold=threshold, num_perm=NUM_PERM).hashranges]


def band_keys(row: tuple[str, bytes], ranges: list[tuple[int, int]]) -> list[tuple[tuple[int, bytes], str]]:
    """(band number, band bytes) → article id, one per band of the article's signature."""
    aid, blob = row
    hv = np.frombuffer(blob, dtype=np.uint64)
    return [((i, hv[lo:hi].tobytes()), aid) for i, (lo, hi) in enumerate(ranges)]


def bucket_members(ids: Iterable[str]) -> tuple[str, ...]:
    """The sorted distinct members of one LSH bucket."""
    return tuple(sorted(set(ids)))


def band_buckets(rows: list[tuple[str, bytes]], threshold: float) -> list[tuple[str, ...]]:
    """The LSH buckets holding two or more articles (their signatures share a band), distinct and sorted: two
    articles are LSH candidates exactly when they share a bucket. One band at a time, so only one band's table is in
    memory. ``executors.dask_corpus.dask_band_buckets`` computes the same on a cluster."""
    out: set[tuple[str, ...]] = set()
    for band in band_ranges(threshold):
        table: dict[bytes, list[str]] = {}
        for row in rows:
            for (_i, key), aid in band_keys(row, [band]):
                table.setdefault(key, []).append(aid)
        out.update(bucket_members(ids) for ids in table.values() if len(ids) > 1)
    return sorted(out)


def find_groups(signatures: Iterable[tuple[str, bytes]], view: CorpusView, threshold: float = DEFAULT_THRESHOLD,
                buckets: Callable[[list[tuple[str, bytes]], float], Iterable[tuple[str, ...]]] | None = None,
                ) -> list[SyndicationGroup]:
    """Group articles whose stored MinHash signatures estimate word-shingle Jaccard ≥ ``threshold``.

    Articles already marked ``duplicate_of`` at ingest are joined to their canonical article as well, so the groups
    are the complete picture of copies. Candidates are the articles sharing an LSH bucket (``band_buckets``, or
    ``buckets`` when given: the Dask backend bands on the cluster); each candidate pair is checked here, so the groups
    are the same either way. Cost: near-linear in articles, plus the pairs inside each bucket.
    """
    rows = [(aid, blob) for aid, blob in signatures if aid in view.by_id and blob]
    sigs = {aid: np.frombuffer(blob, dtype=np.uint64) for aid, blob in rows}
    uf = UnionFind()
    # A candidate already in the article's group needs no check: the groups are the connected components, so
    # only pairs that could join two groups matter. Without the skip a wire story with k copies costs k² checks.
    for members in (buckets or band_buckets)(rows, threshold):
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if uf.find(a) != uf.find(b) and _jaccard(sigs[a], sigs[b]) >= threshold:
                    uf.union(a, b)
    for doc in view.docs:
        if doc.duplicate_of and doc.duplicate_of in view.by_id:
            uf.union(doc.id, doc.duplicate_of)
    out = []
    for group in uf.groups().values():
        if len(group) < 2:
            continue
        ordered = sorted(group, key=lambda a: _earliest_key(view, a))
        canon = ordered[0]
        sim = {m: round(_jaccard(sigs[m], sigs[canon]), 3) if m in sigs and canon in sigs else 1.0
               for m in ordered[1:]}
        out.append(SyndicationGroup(canon, ordered, sim))
    out.sort(key=lambda g: view.by_id[g.canonical].order)
    return out


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard of two MinHash signatures: the share of equal slots."""
    return float(np.count_nonzero(a == b)) / len(a)


def _earliest_key(view: CorpusView, aid: str) -> tuple[int, date, int]:
    d = view.by_id[aid]
    # An article already a duplicate at ingest never becomes the canonical (ingest's decision stands); then the
    # earliest stated date, then store order.
    return (1 if d.duplicate_of else 0, d.published or date.max, d.order)


def apply_groups(groups: list[SyndicationGroup], view: CorpusView) -> dict[str, str]:
    """Point every copy at its group's canonical article in the view; returns {copy: canonical} for the store."""
    changes: dict[str, str] = {}
    for g in groups:
        for m in g.members:
            doc = view.by_id[m]
            target = None if m == g.canonical else g.canonical
            if doc.duplicate_of != target:
                changes[m] = target  # type: ignore[assignment]
                doc.duplicate_of = target
    return changes


def group_records(groups: list[SyndicationGroup], view: CorpusView) -> list[dict[str, object]]:
    """Corpus document rows: who copied whom, with the outlets, so a reader sees the wire lineage."""
    return [{"canonical": g.canonical, "article_ids": g.members,
             "outlets": sorted({view.by_id[m].outlet for m in g.members}),
             "similarity": g.similarity} for g in groups]
