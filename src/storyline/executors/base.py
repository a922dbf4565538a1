"""The executor a run is built on: in-process here; the process pool (``local``) and Dask (``dask_backend``) extend it.

One ``Executor`` is built per ``analyze`` (``make_executor``) and handed to every stage that has work to spread:
``map_batches`` runs the per-article batches, ``ingest_shards`` builds articles on the workers (or leaves ingest to
the driver), ``band_buckets`` and ``embed`` do the corpus stages' LSH banding and MiniLM embeddings. ``session()``
holds the workers (a pool, a cluster) for the whole run, so no stage starts its own; the executor, not module state,
knows what is open.

A model that cannot load does not stop a run, but it is never silent either: ``warm()`` (the same models for every
backend, in the process that runs the batches) logs what is missing and records it in ``degraded``, which `analyze`
copies into the run summary.
"""

from __future__ import annotations

import gzip
import json
import logging
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from .batch import Batch, BatchFn, OnError

if TYPE_CHECKING:
    import numpy as np

    from ..ingest.dedup import NearDuplicateIndex
    from ..model import InputRecord, RunSummary
    from ..store import Store

log = logging.getLogger("storyline.executors")


def warm_models(settings: Settings, parser: bool = True) -> list[str]:
    """Load what a per-article batch needs (the parser when ``parser``, the lead embedder, the attribution model;
    without ``parser``, the driver's warm-up, the attribution model is only checked: ``_attribution_problem``)
    in this process, so the first batch does not pay for it: the pool's worker initializer, the Dask workers' plugin
    and the in-process executor all call this one function. Returns what could not be loaded and what the run does
    instead; a parser that cannot load raises (no batch can run without it)."""
    from ..nlp.runtime.embed import get_embedder
    from ..nlp.runtime.spacy_model import load_nlp

    if parser:
        load_nlp(settings)
    missing = []
    try:
        get_embedder()
    except Exception as exc:  # noqa: BLE001 - reported as degraded, the run goes on
        missing.append(f"lead embedder (MiniLM) could not be loaded ({exc.__class__.__name__}: {exc}); stories, "
                       "claim alignment and story titles use hashed TF-IDF vectors instead")
    why = _attribution_problem(full=parser)
    if why is not None:
        missing.append(f"attribution tagger could not be loaded ({why}); quotes come from the cue rules alone")
    return missing


# The shipped attribution model (``nlp.quotes.attribution.MODEL_PATH``; tests/executors/test_executors.py pins the two
# equal), named here so the driver can check it without importing the quotes package.
ATTRIBUTION_FILE = Path(__file__).resolve().parents[1] / "models" / "attribution" / "attribution.json.gz"


def _attribution_problem(full: bool) -> str | None:
    """Why the attribution model cannot be loaded, or None when it can. ``full``: load it for use (a process that
    runs batches). Otherwise (the driver, which only reports what is missing) the file is read as
    ``AttributionModel.load`` reads it, unless that module is already imported: importing it imports spaCy, which the
    driver never uses otherwise (~0.35 s of CPU per run, issue 17)."""
    attribution = sys.modules.get("storyline.nlp.quotes.attribution")
    try:
        if full or attribution is not None:
            from ..nlp.quotes.attribution import AttributionModel

            return None if AttributionModel.load() is not None else "file missing"
        if not ATTRIBUTION_FILE.is_file():
            return "file missing"
        with gzip.open(ATTRIBUTION_FILE, "rt", encoding="utf-8") as fh:
            raw = json.load(fh)
        raw["cue"], raw["content"], float(raw["cue_threshold"]), float(raw["content_threshold"])  # noqa: B018
        return None
    except Exception as exc:  # noqa: BLE001 - reported as degraded, the run goes on
        return f"{exc.__class__.__name__}: {exc}"


class Executor:
    """Runs everything in this process: batches one after another, ingest, banding and embedding on the driver."""

    name = "in-process"
    # Ingest feeds the per-article batches as it reads (False: ingest runs first, sharded on the workers).
    streams_ingest = True
    # The corpus stages run while the session is open (True: the cluster embeds their texts; False: after it closes,
    # so the workers' memory is free again).
    corpus_in_session = False
    # ``warm`` runs on the driver while the batches are parsed (False: after the session, see PoolExecutor).
    warm_during_parse = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.degraded: list[str] = []
        self._lock = threading.Lock()

    @contextmanager
    def session(self) -> Iterator[Executor]:
        """Hold the workers for the whole run (nothing to hold in-process); reentrant."""
        yield self

    def warm(self) -> None:
        """Run on the driver in the background while the workers parse: import the corpus stages (scikit-learn,
        SciPy: ~2 s) and load the driver's models, recording any that cannot load. Not the parser: workers load their
        own, and an in-process run loads it with its first English batch (a run of other languages never does)."""
        with suppress(Exception):     # only a head start: the corpus stage reports its own failures
            from ..xdoc import corpus  # noqa: F401
        for what in warm_models(self.settings, parser=False):
            self.degrade(what)

    def degrade(self, what: str) -> None:
        """Record (once) and log a model the run goes on without."""
        with self._lock:
            if what in self.degraded:
                return
            self.degraded.append(what)
        log.warning("degraded: %s", what)

    def map_batches(self, fn: BatchFn, batches: Iterable[Batch], on_error: OnError) -> Iterator[list[Any]]:
        """Results per batch, in input order (determinism); a batch that raises is reported per item by
        ``on_error``. On every executor each article's analysis is interrupted once it runs past
        ``article_time_budget`` (``deadline``)."""
        from .deadline import bounded

        return self._map(bounded(fn), batches, on_error)

    def _map(self, fn: BatchFn, batches: Iterable[Batch], on_error: OnError) -> Iterator[list[Any]]:
        """``map_batches`` here: one batch after another in this process."""
        for batch in batches:
            try:
                yield fn(batch, self.settings)
            except Exception as exc:  # noqa: BLE001 - reported per item by on_error
                yield on_error(batch, exc)

    def ingest_shards(self, paths: list[str], store: Store, index: NearDuplicateIndex,
                      summary: RunSummary) -> Iterator[InputRecord] | None:
        """Every input's record, with the articles built on the workers; None: the driver ingests itself."""
        return None

    def band_buckets(self, rows: list[tuple[str, bytes]], threshold: float) -> list[tuple[str, ...]]:
        """The syndication stage's LSH buckets (each a tuple of two or more article ids)."""
        from ..xdoc.syndication import band_buckets

        return band_buckets(rows, threshold)

    def embed(self, texts: list[str]) -> np.ndarray:
        """MiniLM vectors of the corpus stages' texts, in input order; one text per core of ``--workers`` (the
        per-article workers are done by the time the corpus stages embed)."""
        from ..xdoc.stories import embed_leads

        return embed_leads(texts, parallel=self.settings.workers)
