"""The Dask executor: ingest in file shards, the per-article batches and the corpus stages' LSH banding and
embeddings on one dask.distributed cluster, held for the whole run by ``session()``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..config import Settings
from .base import Executor
from .batch import Batch, BatchFn, OnError
from .dask_backend import dask_client, run_dask
from .dask_corpus import dask_band_buckets, dask_embed
from .dask_ingest import sharded_records

if TYPE_CHECKING:
    import numpy as np

    from ..ingest.dedup import NearDuplicateIndex
    from ..model import InputRecord, RunSummary
    from ..store import Store


class DaskExecutor(Executor):
    """Everything with work to spread runs on a dask.distributed cluster: ingest in file shards, the per-article
    batches, the corpus stages' LSH banding and embeddings."""

    name = "dask"
    streams_ingest = False
    corpus_in_session = True

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._client: Any = None        # the client of the open session, if any

    @contextmanager
    def session(self) -> Iterator[Executor]:
        if self._client is not None:
            yield self
            return
        with dask_client(self.settings) as client:
            self._client = client
            try:
                yield self
            finally:
                self._client = None

    @contextmanager
    def client(self) -> Iterator[Any]:
        """The session's client, or one opened for this call alone."""
        with self.session():
            yield self._client

    def _map(self, fn: BatchFn, batches: Iterable[Batch], on_error: OnError) -> Iterator[list[Any]]:
        with self.client() as client:
            yield from run_dask(fn, batches, self.settings, on_error, client)

    def ingest_shards(self, paths: list[str], store: Store, index: NearDuplicateIndex,
                      summary: RunSummary) -> Iterator[InputRecord]:
        with self.client() as client:
            yield from sharded_records(paths, store, index, self.settings, summary, client)

    def band_buckets(self, rows: list[tuple[str, bytes]], threshold: float) -> list[tuple[str, ...]]:
        if len(rows) < 2:
            return []
        try:
            with self.client() as client:
                return dask_band_buckets(rows, threshold, client)
        except Exception:  # noqa: BLE001 - the same banding on the driver: slower on a huge corpus, same buckets
            return super().band_buckets(rows, threshold)

    def embed(self, texts: list[str]) -> np.ndarray:
        try:
            with self.client() as client:
                return dask_embed(texts, client, self.settings.workers)
        except Exception:  # noqa: BLE001 - the driver can always do it itself: same vectors, only slower
            return super().embed(texts)
