"""Dask backend: the same per-article batches on dask.distributed workers, each holding the model once
(a worker plugin loads it at start-up). No scheduler address → a LocalCluster sized by ``--workers``."""

from __future__ import annotations

import atexit
import logging
import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from ..config import Settings
from ..errors import UsageError
from .batch import Batch, BatchFn, OnError


def _model_plugin(settings: Settings) -> Any:
    """A WorkerPlugin that loads the models (``warm_models``, as the process pool's workers do) when a worker starts,
    so the first batch does not pay for it."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class ModelPlugin(WorkerPlugin):
        name = "storyline-model"

        def __init__(self, settings: Settings) -> None:
            self.settings = settings

        def setup(self, worker: Any) -> None:
            from .base import warm_models

            warm_models(self.settings)  # what is missing is recorded by the driver's own warm-up (Executor.warm)

    return ModelPlugin(settings)


@contextmanager
def dask_client(settings: Settings) -> Iterator[Any]:
    """A dask.distributed Client: to ``settings.scheduler``, or to a LocalCluster of ``--workers`` processes. Held
    by ``DaskExecutor.session`` for the whole run, so `analyze` starts one cluster for sharded ingest, per-article
    understanding and the corpus stages instead of paying the start-up for each.

    The run owns a LocalCluster's worker processes as it owns a process pool's: leaving the block on an exception
    (Ctrl-C, SIGTERM turned into one by the CLI), even one that lands while the cluster is still starting, kills them
    at once (``_close``) instead of a graceful close that waits for the tasks they are in and prints tracebacks.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError("--backend dask needs the dask extra, which the base install leaves out (~190 MB): "
                         "pip install 'storyline[dask]' (in a clone: make test, which installs it from "
                         "requirements-dev.lock, or .venv/bin/pip install -e '.[dask]')") from exc
    made: list[Any] = []        # cluster and client as they come to exist, closed in reverse order
    hard = True
    try:
        if settings.scheduler:
            made.append(Client(settings.scheduler, timeout="30s"))
        else:
            made.append(LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True,
                                     dashboard_address=None, silence_logs=40))
            made.append(Client(made[-1]))
        yield made[-1]
        hard = False
    finally:
        _close(made, hard=hard, local=not settings.scheduler)


def _close(made: list[Any], *, hard: bool, local: bool) -> None:
    """Close client and cluster; ``hard`` (leaving on an exception or a signal) first kills the local cluster's worker
    processes, half-started ones included (they are this process's multiprocessing children: each Nanny runs here),
    and quiets dask's loggers, which would report every connection the kill closes as an error."""
    if not hard:
        for thing in reversed(made):
            thing.close()
        return
    for name in ("distributed", "asyncio", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    from distributed.core import Status
    from distributed.deploy import spec

    if local:
        # A Nanny restarts a worker whose process dies unless it is closing: marked so first, or the kill below would
        # start new workers while this process exits.
        for cluster in list(spec.SpecCluster._instances):      # the clusters of this process, half-started ones too
            for nanny in list(getattr(cluster, "workers", {}).values()):
                with suppress(AttributeError):
                    nanny.status = Status.closing
        children = mp.active_children()
        for proc in children:
            with suppress(OSError, ValueError):
                proc.kill()
        for proc in children:
            with suppress(OSError, ValueError, AssertionError):
                proc.join(timeout=5)
    for thing in reversed(made):
        with suppress(Exception):       # closing what was killed may fail; nothing is left to close
            thing.close(timeout=5)
    # dask's own exit hook would close a cluster interrupted mid-start again, and print an AssertionError doing so
    atexit.unregister(spec.close_clusters)


def in_flight_limit(client: Any, settings: Settings) -> int:
    """Tasks kept submitted at once: two per worker, so workers never idle and memory stays bounded."""
    return 2 * max(1, len(client.scheduler_info().get("workers", {})) or settings.workers)


def run_dask(fn: BatchFn, batches: Iterable[Batch], settings: Settings, on_error: OnError,
             client: Any) -> Iterator[list[Any]]:
    """Batches as Dask tasks (retried twice on another worker); a batch that still fails is reported per item."""

    def finish(batch: Batch, fut: Any) -> list[Any]:
        try:
            return fut.result()
        except Exception as exc:  # noqa: BLE001 - reported per item, never silently dropped
            return on_error(batch, exc)

    client.register_plugin(_model_plugin(settings), name="storyline-model")
    in_flight = in_flight_limit(client, settings)
    window: deque[tuple[Batch, Any]] = deque()
    for batch in batches:
        window.append((batch, client.submit(fn, batch, settings, pure=False, retries=2)))
        if len(window) >= in_flight:
            yield finish(*window.popleft())
    while window:
        yield finish(*window.popleft())
