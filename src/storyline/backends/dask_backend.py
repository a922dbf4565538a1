"""Dask backend: the same per-article batches on dask.distributed workers, each holding the model once
(a worker plugin loads it at start-up). No scheduler address → a LocalCluster sized by ``--workers``."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..config import Settings
from ..errors import UsageError


def _model_plugin(settings: Settings) -> Any:
    """A WorkerPlugin that loads the spaCy model when a worker starts, so the first batch does not pay for it."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class ModelPlugin(WorkerPlugin):
        name = "storyline-model"

        def __init__(self, settings: Settings) -> None:
            self.settings = settings

        def setup(self, worker: Any) -> None:
            from ..nlp.spacy_model import load_nlp

            load_nlp(self.settings)

    return ModelPlugin(settings)


def run_dask(fn: Callable[[list[dict[str, Any]], Settings], list[Any]], batches: Iterable[list[dict[str, Any]]],
             settings: Settings) -> Iterator[list[Any]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError("--backend dask needs the dask extra: pip install 'storyline[dask]'") from exc
    cluster = None
    if settings.scheduler:
        client = Client(settings.scheduler, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        client.register_plugin(_model_plugin(settings), name="storyline-model")
        window: deque[Any] = deque()
        for batch in batches:
            window.append(client.submit(fn, batch, settings, pure=False, retries=2))
            if len(window) >= 2 * max(1, len(client.scheduler_info().get("workers", {})) or settings.workers):
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
