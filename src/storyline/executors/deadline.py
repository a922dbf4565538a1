"""A hard per-article time bound: a stage that runs past the budget is interrupted, not waited for.

The per-article budget (``article_time_budget``) is checked between stages (``nlp.runtime.text_guard.Budget``), so one stage
that never ends (a quadratic path on text no guard foresaw) would hold its worker, and the run, for as long as it
runs. Here a watchdog thread beside the batch looks every ``poll`` seconds at which call of the per-article analysis
(``nlp.pipeline.analyze_doc``) the batch's thread is in; when the same call has run longer than the budget it raises
``StageOverrun`` in that thread (``PyThreadState_SetAsyncExc``). ``StageOverrun`` is an ``ArticleTimeout``, so
``analyze_batch`` records that article as failed with the message, and the batch goes on with the next article.

Limits, said plainly: the exception lands when the thread next runs Python bytecode, so a stall inside one native call
is not cut short by it. In a worker process (``--workers`` above 1, or Dask) an article still in the same call at twice
its budget makes the worker exit (``STUCK_EXIT``): the pool then reruns that batch alone and reports it failed if it
sticks again, a Dask worker is restarted by its Nanny and the task retried, so the run still ends. In-process
(one worker) nothing can stop a native call; the tokenizer guard bounds the known one, the parse. A stage that catches
every exception and carries on is hit again at each poll until it leaves.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from functools import partial
from types import CodeType, FrameType
from typing import Any

from ..config import Settings
from ..nlp.runtime.text_guard import ArticleTimeout
from .batch import Batch, BatchFn

STUCK_EXIT = 70     # a worker's exit status when an article is stuck in native code past twice its budget


class StageOverrun(ArticleTimeout):
    """Raised asynchronously in a thread whose article ran past its budget. CPython instantiates an asynchronous
    exception without arguments, so each firing makes a subclass that carries its message."""

    message = "analysis ran past the per-article time budget"

    def __init__(self, *args: object) -> None:
        super().__init__(*(args or (self.message,)))


def _raise_in(thread_id: int, message: str) -> None:
    exc = type("StageOverrun", (StageOverrun,), {"message": message})
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc))


def _unit_code() -> CodeType:
    from ..nlp.pipeline import analyze_doc

    return analyze_doc.__code__


class Watchdog:
    """While open, interrupts the per-article call (a frame running ``unit``) that the opening thread has been in
    for more than ``seconds``."""

    def __init__(self, seconds: float, unit: CodeType | None = None, poll: float | None = None,
                 exit_when_stuck: bool = False) -> None:
        self.seconds = seconds
        self.exit_when_stuck = exit_when_stuck
        self.unit = unit or _unit_code()
        self.poll = poll if poll is not None else min(1.0, max(0.05, seconds / 10))
        self.thread_id = threading.get_ident()
        self.done = threading.Event()
        self.fired = 0
        self.watcher = threading.Thread(target=self._watch, name="storyline-article-watchdog", daemon=True)

    def __enter__(self) -> Watchdog:
        self.watcher.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.watcher.join()

    def _in_unit(self) -> tuple[FrameType | None, str]:
        """The unit's frame the watched thread is in (None: not in one), and the stage it called, as module.function."""
        frame = sys._current_frames().get(self.thread_id)
        below: FrameType | None = None
        while frame is not None:
            if frame.f_code is self.unit:
                at = below or frame         # the stage the unit called; the unit itself when it runs its own code
                stage = f"{at.f_globals.get('__name__', '?')}.{at.f_code.co_name}"
                return frame, stage
            below, frame = frame, frame.f_back
        return None, ""

    def _watch(self) -> None:
        seen: FrameType | None = None     # held only until the next poll: identity, so a new call is a new article
        since = time.monotonic()
        while not self.done.wait(self.poll):
            frame, stage = self._in_unit()
            if frame is not seen:               # another article (or none): its clock starts now
                seen, since = frame, time.monotonic()
                continue
            elapsed = time.monotonic() - since
            if frame is None or elapsed <= self.seconds:
                continue
            if self.exit_when_stuck and elapsed > 2 * self.seconds:     # the exception never landed: native code
                print(f"storyline worker {os.getpid()}: an article's analysis is stuck in {stage} ({elapsed:.0f} s, "
                      f"twice its time budget of {self.seconds:g} s) in native code; the worker exits so that the run "
                      "can go on (its batch is reported failed if it sticks again)", file=sys.stderr, flush=True)
                os._exit(STUCK_EXIT)
            self.fired += 1
            _raise_in(self.thread_id, f"analysis stopped in {stage} after {elapsed:.1f} s, past the "
                                      f"per-article time budget of {self.seconds:g} s; the text is stored but not "
                                      "analysed; raise STORYLINE_ARTICLE_TIME_BUDGET or lower STORYLINE_MAX_NLP_CHARS "
                                      "to analyse it")


def run_bounded(fn: BatchFn, batch: Batch, settings: Settings) -> list[Any]:
    """``fn(batch, settings)`` with each article's analysis interrupted once it runs past the budget.

    The watchdog samples, then fires: an article that ends in between (a window of microseconds, at exactly its
    budget) takes the exception outside its own analysis, where it would fail the whole batch. Such a batch is run
    once more (the result, if it was already made, is kept)."""
    result: list[Any] | None = None
    in_worker = settings.backend == "dask" or settings.workers > 1      # fn runs in a worker process, not the run's
    for attempt in range(2):
        try:
            with Watchdog(settings.article_time_budget, exit_when_stuck=in_worker):
                result = fn(batch, settings)
            return result
        except StageOverrun:
            if result is not None:
                return result
            if attempt:
                raise
    raise AssertionError("unreachable")


def bounded(fn: BatchFn) -> BatchFn:
    """``fn`` under the watchdog, as a picklable callable for process pools and Dask."""
    return partial(run_bounded, fn)
