"""Executors for per-article batches: the same function runs in-process, in a process pool, or on Dask workers.

A batch that fails even after retries (a worker killed by the OS, a crash in native code on hostile text) is turned
into per-item failures by ``on_error`` and reported; the run goes on with the other batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..config import Settings
from .batch import Batch, BatchFn, OnError


def run_batches(fn: BatchFn, batches: Iterable[Batch], settings: Settings, on_error: OnError) -> Iterator[list[Any]]:
    """Results per batch, in input order (determinism), with at most ``2 × workers`` batches in flight."""
    if settings.backend == "dask":
        from .dask_backend import run_dask

        yield from run_dask(fn, batches, settings, on_error)
        return
    if settings.workers <= 1:
        for batch in batches:
            try:
                yield fn(batch, settings)
            except Exception as exc:  # noqa: BLE001 - reported per item by on_error
                yield on_error(batch, exc)
        return
    from .local import run_pool

    yield from run_pool(fn, batches, settings, on_error)
