"""Sharded ingest on Dask: workers read and build articles per file shard into Parquet; the driver merges in order.

Reading, decoding, cleaning, metadata and MinHash (the CPU part of ingest) run on the workers, one task per shard
(``ingest.shards``), retried twice. The driver, the single writer of the store, reads each shard's Parquet file in
input order and settles every article with ``ingest.merge.merge_article``, the same code as the local ingest, so the
store and the outputs do not depend on the backend.

A shard that still fails after its retries is never dropped: a shard of several small files is re-run one file per
task, so one poisonous file does not take its neighbours down, and an input whose own task still fails becomes a
``failed`` InputRecord with the reason and what to do.

Shard files live in ``<db>.shards/`` next to the store and are deleted once merged (the folder too, when empty).
Workers read the inputs by path and write there, so on a multi-machine cluster the inputs and the store's folder
must be on a filesystem every worker sees.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from ..config import Settings
from ..ingest.dedup import NearDuplicateIndex, from_bytes
from ..ingest.merge import merge_article
from ..ingest.shards import BUILT, Shard, ShardResult, ingest_shard, plan_shards, read_shard
from ..model import InputRecord, RunSummary
from ..store import Store
from .dask_backend import in_flight_limit


def shard_dir(settings: Settings) -> str:
    """Absolute, so that workers started elsewhere write where the driver reads."""
    return os.path.abspath(settings.db) + ".shards"


class _Driver:
    """Submits shards with a bounded window and turns each, in input order, into final InputRecords."""

    def __init__(self, client: Any, store: Store, index: NearDuplicateIndex, settings: Settings, summary: RunSummary) -> None:
        self.client, self.store, self.index, self.settings, self.summary = client, store, index, settings, summary
        self.run_dir = shard_dir(settings)

    def submit(self, shard: Shard) -> Any:
        if shard.on_driver:
            return None     # run in-process when its turn comes: stdin belongs to this process
        return self.client.submit(ingest_shard, shard, self.settings, self.run_dir, pure=False, retries=2)

    def result(self, shard: Shard, fut: Any) -> ShardResult:
        return ingest_shard(shard, self.settings, self.run_dir) if fut is None else fut.result()

    def finish(self, shard: Shard, fut: Any) -> Iterator[InputRecord]:
        try:
            result = self.result(shard, fut)
        except Exception as exc:  # noqa: BLE001 - reported per input, never silently dropped
            if len(shard.labels) > 1:   # isolate the input that fails: each file again as its own task
                singles = [Shard(shard.seq, (label,), part=i) for i, label in enumerate(shard.labels)]
                futures = [self.submit(s) for s in singles]
                for single, f in zip(singles, futures, strict=True):
                    yield from self.finish(single, f)
                return
            yield from self.failed(shard.labels, f"ingest failed after 3 attempts ({exc.__class__.__name__}: {exc})",
                                   "re-run analyze to retry; report the input if it fails again")
            return
        yield from self.merge(shard, result)

    def merge(self, shard: Shard, result: ShardResult) -> Iterator[InputRecord]:
        seen: list[str] = []
        try:
            for row in read_shard(result.path):
                if not seen or seen[-1] != row.input:
                    seen.append(row.input)
                if row.status == BUILT and row.article is not None:
                    mh = from_bytes(row.minhash) if row.minhash else None
                    yield merge_article(row.source, row.article, mh, self.store, self.index, self.summary)
                else:
                    yield InputRecord(row.source, row.status, row.reason)
        except (OSError, ValueError) as exc:  # pyarrow's errors derive from these: missing or unreadable shard file
            rest = [label for label in shard.labels if label not in seen[:-1]]
            yield from self.failed(rest, f"its shard file {result.path} could not be read ({exc.__class__.__name__}: {exc})",
                                   "on a cluster the store's folder must be shared with every worker; re-run analyze")
        finally:
            with suppress(OSError):
                os.remove(result.path)

    def failed(self, labels: tuple[str, ...] | list[str], problem: str, advice: str) -> Iterator[InputRecord]:
        for label in labels:
            yield InputRecord(label, "failed", f"{label}: {problem} ({advice})")


def sharded_records(paths: list[str], store: Store, index: NearDuplicateIndex, settings: Settings,
                    summary: RunSummary, client: Any) -> Iterator[InputRecord]:
    """What happened to every input, in input order, with the articles built on the Dask workers.

    A generator: the caller records each InputRecord before the next shard row is merged, exactly as in the local
    ingest, so an input named twice sees its own earlier record. ``client``: the run's Dask client
    (``DaskExecutor.ingest_shards``).
    """
    driver = _Driver(client, store, index, settings, summary)
    limit = in_flight_limit(client, settings)
    window: deque[tuple[Shard | InputRecord, Any]] = deque()
    submitted = 0
    for item in plan_shards(paths, settings):
        if isinstance(item, InputRecord):
            window.append((item, None))
            continue
        window.append((item, driver.submit(item)))
        submitted += 1
        while submitted >= limit:
            head, fut = window.popleft()
            if isinstance(head, InputRecord):
                yield head
            else:
                submitted -= 1
                yield from driver.finish(head, fut)
    while window:
        head, fut = window.popleft()
        yield from [head] if isinstance(head, InputRecord) else driver.finish(head, fut)
    with suppress(OSError):
        os.rmdir(driver.run_dir)    # only when empty: another run may be using it
