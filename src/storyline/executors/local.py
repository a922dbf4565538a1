"""Process pool with a bounded window of batches in flight, so memory follows the batch size, not the corpus.

If a worker dies (killed for memory, a crash in native code), the pool is broken for every batch in flight: those
batches are retried once on a fresh pool, one at a time, so the batch that kills its worker is isolated, reported,
and the rest still complete.

The main process owns its workers: each worker ignores SIGINT (the parent decides; Ctrl-C reaches the whole process
group), asks the kernel to SIGKILL it when its parent dies (``prctl(PR_SET_PDEATHSIG)`` on Linux) and watches its
parent id in a thread as well (other systems, or a parent thread that exits); when the parent leaves a pool because
of an exception (KeyboardInterrupt, SIGTERM turned into one by the CLI) the workers are killed at once instead of
being waited for mid-batch.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from typing import Any

from ..config import Settings
from .base import Executor, warm_models
from .batch import Batch, BatchFn, OnError


def _noop() -> None:
    return None


def trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; nothing elsewhere).

    Why: a batch's parse allocates hundreds of MB of arrays and frees them, but glibc keeps freed heap memory for
    reuse, so a worker stayed at the high-water mark of its largest batch for the rest of the run (a 175,000-character
    article left one at 640 MB instead of 337 MB after trimming, docs/scaling.md). Two workers each holding their own
    past peak made the process tree's peak."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


_TRIM: list[Any] = []       # [malloc_trim or None], looked up once per process


def _malloc_trim() -> Any:
    if not _TRIM:
        fn = None
        if sys.platform.startswith("linux"):
            with suppress(OSError, AttributeError):     # not glibc (musl has no malloc_trim)
                fn = ctypes.CDLL(None).malloc_trim
                fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
        _TRIM.append(fn)
    return _TRIM[0]


def run_and_trim(fn: BatchFn, batch: Batch, settings: Settings) -> list[Any]:
    """``fn(batch, settings)`` in a worker, then the heap trimmed (``trim_heap``) so the worker waits for its next
    batch at its resting size, not at this batch's peak."""
    try:
        return fn(batch, settings)
    finally:
        trim_heap()


PR_SET_PDEATHSIG = 1


def bind_to_parent(parent: int) -> None:
    """Make this worker process exit when ``parent`` does, however the parent ends (SIGKILL included)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):     # no prctl: the watcher thread still applies
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:      # the parent died before the death signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="storyline-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:  # re-parented: the run that owns this worker is gone
            os._exit(1)


def _worker_start(settings: Settings, parent: int) -> None:
    bind_to_parent(parent)
    warm_models(settings)   # what is missing is recorded by the driver's own warm-up (Executor.warm)
    # The models live as long as the worker: out of the cyclic collector's sight, its full collections stop walking
    # them (gen-2 collection CPU 0.40 -> 0.11 s over 150 T17 articles, ~1% of the worker's CPU).
    gc.freeze()


def _pool(settings: Settings, workers: int) -> ProcessPoolExecutor:
    ctx = mp.get_context("spawn")   # fork after loading threads/models is unsafe; spawn is the same everywhere
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_start,
                               initargs=(settings, os.getpid()))


def close_pool(pool: ProcessPoolExecutor, hard: bool) -> None:
    """Shut ``pool`` down; ``hard`` (leaving on an exception or a signal) kills its workers first instead of waiting
    for the batches they are in, and reaps them."""
    if not hard:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with suppress(OSError, ValueError):     # already gone
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with suppress(OSError, ValueError, AssertionError):
            proc.join(timeout=5)


class PoolExecutor(Executor):
    """Per-article batches on a process pool of ``--workers`` processes (spawned, each loading its models once)."""

    name = "process pool"
    # The driver's ~220 MB of corpus-stage imports and embedder would sit beside both workers' peaks for the whole
    # parse (issue 17's memory target); they load after the pool has shut down instead, for ~1 s of CPU on the
    # critical path.
    warm_during_parse = False

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._pool: ProcessPoolExecutor | None = None     # the pool of the open session, if any

    @contextmanager
    def session(self) -> Iterator[Executor]:
        """Start the worker processes now and let them load their models while the caller does other work
        (`analyze` ingests meanwhile: spawning and loading take seconds per worker). ``map_batches`` inside the
        block uses this pool."""
        if self._pool is not None:
            yield self
            return
        pool = _pool(self.settings, self.settings.workers)
        for _ in range(self.settings.workers):   # one submit per worker makes the executor start them all
            pool.submit(_noop)
        self._pool = pool
        hard = True
        try:
            yield self
            hard = False
        finally:
            self._pool = None
            close_pool(pool, hard)

    def _map(self, fn: BatchFn, batches: Iterable[Batch], on_error: OnError) -> Iterator[list[Any]]:
        return run_pool(fn, batches, self.settings, on_error, self._pool)


def _isolated(fn: BatchFn, batch: Batch, settings: Settings, on_error: OnError) -> list[Any]:
    """Re-run one batch alone on a one-worker pool: a second crash marks just this batch failed."""
    pool = _pool(settings, 1)
    hard = True
    try:
        try:
            result = pool.submit(run_and_trim, fn, batch, settings).result()
        except Exception as exc:  # noqa: BLE001 - reported per item
            result = on_error(batch, exc)
        hard = False
        return result
    finally:
        close_pool(pool, hard)


def run_pool(fn: BatchFn, batches: Iterable[Batch], settings: Settings, on_error: OnError,
             shared: ProcessPoolExecutor | None = None) -> Iterator[list[Any]]:
    """Batches on ``shared`` (the session's pool), else on a pool of their own, with a bounded window in flight."""
    pool = shared or _pool(settings, settings.workers)
    window: deque[tuple[Batch, Future[list[Any]]]] = deque()

    def finish(batch: Batch, fut: Future[list[Any]]) -> list[Any]:
        nonlocal pool
        try:
            return fut.result()
        except BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = _pool(settings, settings.workers)
            pending = list(window)
            window.clear()
            result = _isolated(fn, batch, settings, on_error)
            for b, _ in pending:   # resubmit what was in flight on the broken pool
                window.append((b, pool.submit(run_and_trim, fn, b, settings)))
            return result
        except Exception as exc:  # noqa: BLE001 - reported per item
            return on_error(batch, exc)

    hard = True
    try:
        for batch in batches:
            window.append((batch, pool.submit(run_and_trim, fn, batch, settings)))
            if len(window) >= 2 * settings.workers:
                yield finish(*window.popleft())
        while window:
            yield finish(*window.popleft())
        hard = False
    finally:
        if pool is not shared:         # a broken shared pool was replaced: this one is ours to close
            close_pool(pool, hard)
