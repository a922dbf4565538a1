"""Executors for per-article batches: the same function runs in-process, in a process pool, or on Dask workers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..config import Settings


def run_batches(fn: Callable[[list[dict[str, Any]], Settings], list[Any]], batches: Iterable[list[dict[str, Any]]],
                settings: Settings) -> Iterator[list[Any]]:
    """Results per batch, in input order (determinism), with at most ``2 × workers`` batches in flight."""
    if settings.backend == "dask":
        from .dask_backend import run_dask

        yield from run_dask(fn, batches, settings)
        return
    if settings.workers <= 1:
        for batch in batches:
            yield fn(batch, settings)
        return
    from .local import run_pool

    yield from run_pool(fn, batches, settings)
