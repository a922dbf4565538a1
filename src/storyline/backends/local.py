"""Process pool with a bounded window of batches in flight, so memory follows the batch size, not the corpus."""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..config import Settings


def _warm(settings: Settings) -> None:
    from ..nlp.spacy_model import load_nlp

    load_nlp(settings)


def run_pool(fn: Callable[[list[dict[str, Any]], Settings], list[Any]], batches: Iterable[list[dict[str, Any]]],
             settings: Settings) -> Iterator[list[Any]]:
    ctx = mp.get_context("spawn")   # fork after loading threads/models is unsafe; spawn is the same everywhere
    with ProcessPoolExecutor(max_workers=settings.workers, mp_context=ctx, initializer=_warm, initargs=(settings,)) as pool:
        window: deque[Future[list[Any]]] = deque()
        for batch in batches:
            window.append(pool.submit(fn, batch, settings))
            if len(window) >= 2 * settings.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
