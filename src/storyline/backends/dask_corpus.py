"""Corpus-stage work on the Dask cluster: LSH banding for syndication and sentence embeddings, as Dask bags.

After the per-article stages, what costs in the corpus stages is MiniLM: the claims of the alignment blocks (blocking
keeps them to claims that share a story, a predicate frame and an argument with a claim of another article) and any
lead a worker did not embed. On a cluster those texts go out as a bag of fixed-size partitions, embedded where the
workers are; everything else in the corpus stages is cheap set and array work and stays on the driver, which owns the
store. The syndication stage's LSH banding also runs there: every signature is cut into the bands ``MinHashLSH``
would use, the bag is grouped by band, and the pairs that share a band come back for the driver to check, so the
driver never builds the LSH index of the whole corpus. Each text still runs through the model alone (``nlp.embed``), so a vector does not depend on its partition
and the analysis is the same as the local backend's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..config import Settings
from ..nlp.embed import DIM

PARTITION = 64          # texts per task: ~0.2 s of one core for short claims, enough to hide the task overhead
SIGNATURES_PER_TASK = 5_000


def _band_keys(row: tuple[str, bytes], ranges: list[tuple[int, int]]) -> list[tuple[tuple[int, bytes], str]]:
    aid, blob = row
    hv = np.frombuffer(blob, dtype=np.uint64)
    return [((i, hv[lo:hi].tobytes()), aid) for i, (lo, hi) in enumerate(ranges)]


def _bucket_pairs(bucket: tuple[Any, list[tuple[Any, str]]]) -> list[tuple[str, str]]:
    ids = sorted({aid for _key, aid in bucket[1]})
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]


def dask_band_pairs(rows: list[tuple[str, bytes]], threshold: float, settings: Settings) -> list[tuple[str, str]]:
    """Pairs of article ids whose MinHash signatures share at least one LSH band for ``threshold`` (the candidates
    ``MinHashLSH`` would return), computed as a Dask bag grouped by band; sorted, each pair (smaller id first) once."""
    from ..xdoc.syndication import band_ranges

    if len(rows) < 2:
        return []
    import dask.bag as db

    from .dask_backend import dask_client

    ranges = band_ranges(threshold)
    try:
        with dask_client(settings) as client:
            bag = db.from_sequence(rows, partition_size=SIGNATURES_PER_TASK)
            pairs = (bag.map(_band_keys, ranges).flatten().groupby(lambda kv: kv[0])
                     .map(_bucket_pairs).flatten().distinct())
            found = client.compute(pairs, retries=2).result()
    except Exception:  # noqa: BLE001 - the same banding on the driver: slower on a huge corpus, same pairs
        return local_band_pairs(rows, ranges)
    return sorted(tuple(p) for p in found)  # type: ignore[misc]


def local_band_pairs(rows: list[tuple[str, bytes]], ranges: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """The same candidate pairs as ``dask_band_pairs``, in this process."""
    buckets: dict[tuple[int, bytes], list[str]] = {}
    for row in rows:
        for key, aid in _band_keys(row, ranges):
            buckets.setdefault(key, []).append(aid)
    return sorted({p for key, ids in buckets.items() for p in _bucket_pairs((key, [(key, a) for a in ids]))})


def _embed_partition(texts: Sequence[str]) -> list[np.ndarray]:
    """Runs on a worker: one (n, DIM) array for the partition (the worker keeps its embedder between tasks)."""
    from ..xdoc.stories import embed_leads

    return [embed_leads(list(texts))]


def dask_embed(texts: Sequence[str], settings: Settings, partition: int = PARTITION) -> np.ndarray:
    """Vectors of ``texts`` in input order, computed on the cluster of ``settings`` (the open client of the run, else
    a new one). Falls back to the driver if the cluster cannot embed (a worker without the model): the result is the
    same either way, only slower."""
    from ..xdoc.stories import embed_leads

    texts = list(texts)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    try:
        import dask.bag as db

        from .dask_backend import dask_client

        with dask_client(settings) as client:
            bag = db.from_sequence(texts, partition_size=max(1, partition)).map_partitions(_embed_partition)
            parts: list[Any] = client.compute(bag, retries=2).result()
    except Exception:  # noqa: BLE001 - the driver can always do it itself
        return embed_leads(texts, parallel=settings.workers)
    if not parts or any(p.ndim != 2 or p.shape[1] != DIM for p in parts):   # a worker fell back to hashing
        return embed_leads(texts, parallel=settings.workers)
    return np.concatenate(parts).astype(np.float32, copy=False)
