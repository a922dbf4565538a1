"""`analyze`: ingest every input into the store, understand each new article, then run the corpus-wide stages.

Each stage commits as it goes and skips work already in the store, so a re-run does nothing twice and a run killed
half-way resumes where it stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

from .config import Settings
from .executors import Executor, make_executor
from .ingest.build import build_or_fail
from .ingest.dedup import NearDuplicateIndex, from_bytes
from .ingest.merge import merge_article
from .ingest.sources import expand_inputs, read_documents
from .model import ArticleResult, ArticleTask, InputRecord, RunSummary
from .store import Store

Progress = Callable[[str, int, int | None], None]   # (stage, done, total)


def _noop(stage: str, done: int, total: int | None) -> None:
    return None


def ingest(paths: list[str], store: Store, settings: Settings, progress: Progress = _noop,
           executor: Executor | None = None) -> RunSummary:
    """Every input into the store, one InputRecord per input in input order, whichever executor builds the
    articles (``executor``: the run's, else one made from ``settings``)."""
    summary = RunSummary()
    for _ in ingest_stream(paths, store, settings, summary, progress, executor):
        pass
    return summary


def ingest_stream(paths: list[str], store: Store, settings: Settings, summary: RunSummary,
                  progress: Progress = _noop, executor: Executor | None = None) -> Iterator[InputRecord]:
    """Ingest lazily: each input is read, built, settled and recorded (and appended to ``summary.inputs``) when the
    consumer asks for the next record, so `analyze` can hand articles to the NLP workers while later inputs are still
    being read."""
    index = NearDuplicateIndex(settings.near_duplicate_threshold)
    for aid, blob in store.minhashes():
        index.add(aid, from_bytes(blob))
    # On Dask the articles are built on the workers in file shards and merged here in input order.
    records = (executor or make_executor(settings)).ingest_shards(paths, store, index, summary)
    if records is None:
        records = _local_records(paths, store, index, settings, summary)
    for done, rec in enumerate(records, 1):
        store.record_input(rec)
        summary.inputs.append(rec)
        progress("ingest", done, None)
        if done % 200 == 0:
            store.commit()
        yield rec
    store.commit()


def _local_records(paths: list[str], store: Store, index: NearDuplicateIndex, settings: Settings,
                   summary: RunSummary) -> Iterator[InputRecord]:
    for item in expand_inputs(paths):
        docs: Iterator[Any] = iter([item]) if isinstance(item, InputRecord) else read_documents(item, settings)
        for doc in docs:
            yield doc if isinstance(doc, InputRecord) else _ingest_one(doc, store, index, settings, summary)


def _ingest_one(doc: Any, store: Store, index: NearDuplicateIndex, settings: Settings, summary: RunSummary) -> InputRecord:
    built = build_or_fail(doc, settings)
    if isinstance(built, InputRecord):
        return built
    return merge_article(doc.source, built, None, store, index, summary)


# A batch's parse holds all its docs and the parser's per-token state at once: a worker's memory follows the
# characters of its batch, not the count of articles (64 T17 articles with a 175,000-character one took a worker to
# 1,011 MB; docs/scaling.md). Batches are cut short at this many characters (a longer article goes alone).
BATCH_CHARS = 100_000


def batch_size_for(total: int, settings: Settings) -> int:
    """``settings.batch_size``, smaller for a small corpus: at least 8 batches per worker, so that when the last
    batches run, no worker sits idle for long while another finishes a big one (at 400 articles and 2 workers, one
    64-article batch is ~5 s of one core)."""
    per_worker = -(-total // (max(1, settings.workers) * 8))
    return max(8, min(settings.batch_size, per_worker))


def understand(store: Store, settings: Settings, summary: RunSummary, progress: Progress = _noop,
               arriving: Iterator[InputRecord] | None = None, executor: Executor | None = None) -> None:
    """Per-article NLP for every article without current facts, in batches on ``executor`` (the run's, else one
    made from ``settings``).

    With ``arriving`` (the records of an ingest still under way) the batches are cut while ingesting: the articles
    of earlier runs that still lack facts go first, then each new article as it is stored. Ingest then runs on the
    driver in the gaps between batches instead of before all of them, and the workers start on the first batch
    while the rest of the corpus is still being read."""
    from .nlp.pipeline import FACTS_VERSION, analyze_batch, passages_for

    queued = store.articles_missing_facts(FACTS_VERSION)      # in the order their batches leave
    seen = set(queued)
    taken = 0

    def task(aid: str) -> ArticleTask | None:
        art = store.article(aid)
        if art is None or not store.needs_facts(aid, FACTS_VERSION):    # analysed meanwhile by a run beside this one
            return None
        return ArticleTask.of(art)

    def cut(size: int) -> list[ArticleTask]:
        """Up to ``size`` articles, fewer where their text passes BATCH_CHARS (never none)."""
        nonlocal taken
        store.commit()      # the ingest so far: no write lock held while the batch is parsed (other runs may write)
        batch: list[ArticleTask] = []
        chars = 0
        for aid in queued[taken:taken + size]:
            t = task(aid)
            n = min(len(t.text), settings.max_nlp_chars) if t is not None else 0
            if batch and chars + n > BATCH_CHARS:
                break       # read again for the next batch (one extra read per batch cut short)
            taken += 1
            if t is not None:
                batch.append(t)
                chars += n
        return batch

    def batches() -> Iterator[list[ArticleTask]]:
        # The batch size grows with the articles known so far (batch_size_for): small batches while the corpus is
        # small keep both workers busy to the end; large ones amortise the per-batch cost on a large corpus.
        for rec in arriving or ():
            aid = rec.article_id
            if aid and aid not in seen and store.needs_facts(aid, FACTS_VERSION):
                seen.add(aid)
                queued.append(aid)
            size = batch_size_for(len(queued), settings)
            if len(queued) - taken >= size:
                yield cut(size)
        size = batch_size_for(len(queued), settings)
        while taken < len(queued):
            batch = cut(size)
            if batch:
                yield batch

    def batch_failed(batch: list[ArticleTask], exc: BaseException) -> list[ArticleResult]:
        reason = f"batch of {len(batch)} failed after retries ({exc.__class__.__name__}: {exc}); re-run analyze to retry"
        return [ArticleResult(task.id, None, error=reason) for task in batch]

    done = 0
    for results in (executor or make_executor(settings)).map_batches(analyze_batch, batches(), batch_failed):
        for result in results:
            aid, error = result.id, result.error
            if result.facts is None:
                summary.nlp_failures.append((aid, error or "unknown error"))
                reason = (f"text stored, but its analysis failed ({error or 'unknown error'}); "
                          "re-run 'storyline analyze' to retry, or report the input if it fails again")
                store.fail_inputs_of(aid, reason)
                for rec in summary.inputs:
                    if rec.article_id == aid and rec.status in ("ok", "duplicate"):
                        rec.status, rec.reason = "failed", reason
                continue
            for kind, (key, data) in result.vectors.items():
                store.put_vector(aid, kind, key, data)
            facts = result.stored_facts()
            art = store.article(aid)
            # False when a run beside this one stored them first: its work, not counted here
            summary.analysed += store.put_facts(aid, FACTS_VERSION, facts, passages_for(art.text, aid, facts) if art else ())
        store.commit()
        done += len(results)
        progress("understand", done, len(queued))


def analyze(paths: list[str], settings: Settings, progress: Progress = _noop) -> RunSummary:
    """Ingest, understand and relate; returns what happened to every input."""
    executor = make_executor(settings)      # built once, handed to every stage
    with Store(settings.db) as store:
        warm = threading.Thread(target=executor.warm, name="storyline-warm", daemon=True)
        if executor.warm_during_parse:      # else it runs in _relate, once the pool has shut down
            warm.start()
        with executor.session():            # one Dask cluster or process pool for the whole run, not one per stage
            if not executor.streams_ingest:  # sharded ingest on the workers first, then the NLP batches
                summary = ingest(paths, store, settings, progress, executor)
                understand(store, settings, summary, progress, executor=executor)
            else:                           # ingest and NLP overlap: batches leave as soon as they are full
                summary = RunSummary()
                understand(store, settings, summary, progress,
                           ingest_stream(paths, store, settings, summary, progress, executor), executor)
            if executor.corpus_in_session:  # the cluster embeds the corpus stages' texts
                _relate(store, settings, summary, progress, warm, executor)
        if not executor.corpus_in_session:  # after the pool has shut down, so its workers' memory is free again
            _relate(store, settings, summary, progress, warm, executor)
        summary.degraded = list(executor.degraded)
        store.commit()
    return summary


def _relate(store: Store, settings: Settings, summary: RunSummary, progress: Progress, warm: threading.Thread,
            executor: Executor) -> None:
    """The corpus-wide stages; a failure there is reported and leaves the per-article results usable."""
    if warm.ident is None:      # not started during the parse (a process pool): load now, the workers are gone
        warm.start()
    warm.join()
    from .xdoc import run_corpus_stages

    try:
        run_corpus_stages(store, settings, progress, executor)
    except Exception as exc:  # noqa: BLE001 - per-article results stay usable; the failure is reported
        store.conn.rollback()
        summary.corpus_errors.append(f"corpus stages failed ({exc.__class__.__name__}: {exc}); per-article results "
                                     "are stored; re-run analyze after fixing, or report the problem")
