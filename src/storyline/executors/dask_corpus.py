"""Corpus-stage work on the Dask cluster: LSH banding for syndication and sentence embeddings, as Dask bags.

After the per-article stages, what costs in the corpus stages is MiniLM: the claims of the alignment blocks (blocking
keeps them to claims that share a story, a predicate frame and an argument with a claim of another article) and any
lead a worker did not embed. On a cluster those texts go out as a bag of fixed-size partitions, embedded where the
workers are; everything else in the corpus stages is cheap set and array work and stays on the driver, which owns the
store. The syndication stage's LSH banding also runs there: every signature is cut into the bands ``MinHashLSH``
would use, the bag is grouped by band, and the buckets of two or more articles come back for the driver to check
their pairs, so the driver never builds the LSH index of the whole corpus. Each text still runs through the model alone (``nlp.runtime.embed``), so a vector does not depend on its partition
and the analysis is the same as the local backend's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..nlp.runtime.embed import DIM

PARTITION = 64          # texts per task: ~0.2 s of one core for short claims, enough to hide the task overhead
SIGNATURES_PER_TASK = 5_000


def dask_band_buckets(rows: list[tuple[str, bytes]], threshold: float, client: Any) -> list[tuple[str, ...]]:
    """``syndication.band_buckets`` as a Dask bag on ``client``'s cluster: every signature cut into its bands,
    grouped by band, the buckets of two or more articles returned distinct and sorted. Buckets, not pairs, come back,
    so a wire story with thousands of copies costs the driver one bucket, not millions of pairs. Raises when the
    cluster fails (``DaskExecutor.band_buckets`` then bands on the driver)."""
    from ..xdoc.syndication import band_keys, band_ranges, bucket_members

    if len(rows) < 2:
        return []
    import dask.bag as db

    bag = db.from_sequence(rows, partition_size=SIGNATURES_PER_TASK)
    buckets = (bag.map(band_keys, band_ranges(threshold)).flatten().groupby(lambda kv: kv[0])
               .map(lambda kv: bucket_members(aid for _key, aid in kv[1])).filter(lambda b: len(b) > 1)
               .distinct())
    found = client.compute(buckets, retries=2).result()
    return sorted(tuple(b) for b in found)


def _embed_partition(texts: Sequence[str]) -> list[np.ndarray]:
    """Runs on a worker: one (n, DIM) array for the partition (the worker keeps its embedder between tasks)."""
    from ..xdoc.stories import embed_leads

    return [embed_leads(list(texts))]


def dask_embed(texts: Sequence[str], client: Any, workers: int, partition: int = PARTITION) -> np.ndarray:
    """Vectors of ``texts`` in input order, computed on ``client``'s cluster. Falls back to the driver (``workers``
    texts at a time) if the cluster cannot embed (a worker without the model): the result is the same either way,
    only slower."""
    from ..xdoc.stories import embed_leads

    texts = list(texts)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    try:
        import dask.bag as db

        bag = db.from_sequence(texts, partition_size=max(1, partition)).map_partitions(_embed_partition)
        parts: list[Any] = client.compute(bag, retries=2).result()
    except Exception:  # noqa: BLE001 - the driver can always do it itself
        return embed_leads(texts, parallel=workers)
    if not parts or any(p.ndim != 2 or p.shape[1] != DIM for p in parts):   # a worker fell back to hashing
        return embed_leads(texts, parallel=workers)
    return np.concatenate(parts).astype(np.float32, copy=False)
