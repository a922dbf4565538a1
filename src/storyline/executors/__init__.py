"""Executors for per-article batches and the corpus stages' heavy work: in-process, a process pool, Dask workers.

`analyze` builds one ``Executor`` (``make_executor``, the only place the ``backend`` setting is read) and hands it
down; see ``base.py`` for what an executor does. A batch that fails even after retries (a worker killed by the OS, a
crash in native code on hostile text) is turned into per-item failures by ``on_error`` and reported; the run goes on
with the other batches. One article whose analysis runs past its time budget is stopped alone (``deadline``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..config import Settings
from .base import Executor
from .batch import Batch, BatchFn, OnError


def make_executor(settings: Settings) -> Executor:
    """The executor ``settings`` ask for: Dask with ``--backend dask``, a process pool with more than one worker,
    else in-process."""
    if settings.backend == "dask":
        from .dask_executor import DaskExecutor

        return DaskExecutor(settings)
    if settings.workers > 1:
        from .local import PoolExecutor

        return PoolExecutor(settings)
    return Executor(settings)


def run_batches(fn: BatchFn, batches: Iterable[Batch], settings: Settings, on_error: OnError) -> Iterator[list[Any]]:
    """Results per batch, in input order (determinism), with at most ``2 × workers`` batches in flight, on an
    executor made for this call alone."""
    executor = make_executor(settings)
    with executor.session():
        yield from executor.map_batches(fn, batches, on_error)


__all__ = ["Executor", "make_executor", "run_batches"]
