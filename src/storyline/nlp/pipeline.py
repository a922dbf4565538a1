"""Per-article understanding: one spaCy parse, then entities → quotes → times → quantities → claims.

Runs in worker processes: ``analyze_batch`` takes ``ArticleTask``s and returns ``ArticleResult``s (plain picklable
values) so the same function runs in a process pool or on a Dask worker; the model is loaded once per process
(``load_nlp`` caches it).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import fields
from datetime import date
from typing import Any

from ..config import Settings
from ..meta.language import english_only_skip
from ..model import ArticleFacts, ArticleResult, ArticleTask, content_id
from .runtime.lead import text_hash, title_and_lead
from .runtime.text_guard import ArticleTimeout, Budget, density_cut, guarded_texts, index_sentences, parse_share

# The spaCy-based stages are imported inside the functions that run them: the driver imports this module for
# FACTS_VERSION and passages_for, and importing spaCy there (and thinc, and torch where installed) would cost seconds
# of CPU taken from the workers it is waiting on.

FACTS_VERSION = "facts-24"  # bump when per-article output changes: stored facts are recomputed
# The running article's time budget, checked between stages (a ContextVar, so ``analyze_doc(doc, task)`` keeps its
# signature for callers and tests that wrap it).
_BUDGET: ContextVar[Budget | None] = ContextVar("storyline_article_budget", default=None)


def _stage_done(stage: str) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.check(stage)


def _record(obj: Any) -> dict[str, Any]:
    """A flat fact dataclass as a dict. ``dataclasses.asdict`` deep-copies recursively and cost ~5% of the
    per-article stage; the facts are flat (scalars, lists of scalars or pairs), so one level suffices."""
    return {f.name: (list(v) if isinstance(v := getattr(obj, f.name), list) else v) for f in fields(obj)}


def _bounds(task: ArticleTask) -> tuple[date, date] | None:
    b = task.bounds
    if b and b[0] and b[1]:
        return b[0], b[1]
    return None


def analyze_doc(doc: Any, task: ArticleTask) -> ArticleFacts:
    """Facts for one parsed article (``task``: its id, title, publication date and bounds)."""
    from .claims.extract import extract_claims
    from .entities.extract import extract_entities
    from .numbers.quantities import extract_quantities
    from .numbers.timex import resolve_times
    from .quotes.extract import extract_quotes
    from .runtime.doc_cache import doc_text

    article_id = task.id
    published = task.published
    _stage_done("the parse")
    entities = extract_entities(doc, article_id)
    _stage_done("entities")
    quotes = extract_quotes(doc, article_id, entities)
    _stage_done("quotes")
    times = resolve_times(doc, published, _bounds(task))
    _stage_done("times")
    quantities = extract_quantities(doc, article_id, times, published)
    _stage_done("quantities")
    title = task.title
    # A plain-text article carries its headline as the first line of the text: don't count it twice.
    claims = extract_claims(doc, article_id, quotes, times, None if title and doc_text(doc).startswith(title) else title)
    _stage_done("claims")
    sentences = [{"start": s.start_char, "end": s.end_char} for s in doc.sents]
    return {
        "entities": [_record(e) for e in entities],
        "quotes": [_record(q) for q in quotes],
        "times": [_record(t) for t in times],
        "quantities": [_record(q) for q in quantities],
        "claims": [_record(c) for c in claims],
        "sentences": sentences,
    }


def skipped_facts(task: ArticleTask, reason: str) -> ArticleFacts:
    """The facts of an article the English-only analysis passes over: no entities, quotes, times, quantities, claims
    or sentences, and why (``nlp_skipped``)."""
    return {"entities": [], "quotes": [], "times": [], "quantities": [], "claims": [], "sentences": [],
            "language": task.language, "nlp_skipped": reason}


def passages_for(text: str, article_id: str, facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Searchable units for retrieval: claims, quotes and sentences, each a span of the article text."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for kind, items in (("claim", facts["claims"]), ("quote", facts["quotes"]), ("sentence", facts["sentences"])):
        for it in items:
            span = (it["start"], it["end"])
            if span in seen or span[1] <= span[0]:
                continue
            seen.add(span)
            out.append({"id": content_id("psg", article_id, kind, *span), "kind": kind, "start": span[0], "end": span[1],
                        "text": text[span[0]:span[1]], "speaker": it.get("speaker")})
    return out


def lead_vectors(tasks: list[ArticleTask]) -> dict[str, tuple[str, bytes]]:
    """MiniLM vectors of the articles' leads, computed here in the worker so the story clustering on the driver does
    not embed every article on one core; keyed by article id, with the hash of the exact lead embedded. Empty when the
    model cannot load: the corpus stage then embeds the leads itself."""
    from .runtime.embed import get_embedder

    leads = [title_and_lead(t.title, t.text)[1] for t in tasks]
    try:
        vecs = get_embedder().encode(leads)
    except Exception:  # noqa: BLE001 - an optional speed-up, never a reason to fail the batch
        return {}
    return {t.id: (text_hash(lead), vec.astype("<f4").tobytes()) for t, lead, vec in zip(tasks, leads, vecs, strict=True)}


def _tokenized(nlp: Any, text: str) -> tuple[Any, str]:
    """(spaCy's tokens of ``text`` cut where too dense for the parse (``density_cut``), the text so cut); the
    exception in place of the tokens when the tokenizer fails on it."""
    made: list[Any] = []

    def tokenize(t: str) -> Any:
        made.append(nlp.tokenizer(t))
        return made[-1]

    try:
        cut = density_cut(tokenize, text)
        if cut is not None:
            text = text[:cut]
            return nlp.tokenizer(text), text
        return (made[0] if made else nlp.tokenizer(text)), text
    except Exception as exc:  # noqa: BLE001 - reported for this text alone
        return exc, text


def parse_guarded(nlp: Any, texts: list[str]) -> tuple[list[Any], list[int], list[int], float]:
    """Parse ``texts`` (each already cut to ``max_nlp_chars``) through the tokenizer guard (``text_guard``): docs (or
    the exception one text raised), characters the guard replaced and characters parsed per text (less than the
    text's length where its token density was cut), and the seconds the parse took."""
    guarded, replaced = guarded_texts(texts)
    nlp.max_length = max(nlp.max_length, max((len(t) for t in texts), default=0) + 1)
    started = time.perf_counter()
    # Each text is tokenized once: the density check's tokens go on to the parser (nlp.pipe takes Docs and skips its
    # own tokenizer), instead of tokenizing every text twice (issue 17).
    tokenized = [_tokenized(nlp, t) for t in guarded]
    guarded = [t for _, t in tokenized]
    docs: list[Any]
    try:
        parsed = iter(list(nlp.pipe([d for d, _ in tokenized if not isinstance(d, Exception)],
                                    batch_size=max(1, min(32, len(texts))))))
        docs = [d if isinstance(d, Exception) else next(parsed) for d, _ in tokenized]
    except Exception:  # noqa: BLE001 - one bad text must not sink its batch: parse one by one
        docs = []
        for tok, text in tokenized:
            try:
                docs.append(tok if isinstance(tok, Exception) else nlp(text))
            except Exception as exc:  # noqa: BLE001
                docs.append(exc)
    for doc in docs:
        if not isinstance(doc, Exception):
            index_sentences(doc)
    return docs, replaced, [len(t) for t in guarded], time.perf_counter() - started


def analyze_batch(tasks: list[ArticleTask], settings: Settings) -> list[ArticleResult]:
    """One result per task, in order; one bad article never sinks its batch."""
    skipped = {t.id: why for t in tasks if (why := english_only_skip(t.language))}
    if skipped:     # not English: kept, labelled, and passed over by the English-only stages with the reason
        analysed = analyze_batch([t for t in tasks if t.id not in skipped], settings) if len(skipped) < len(tasks) else []
        by_id = {r.id: r for r in analysed}
        return [by_id.get(t.id) or ArticleResult(t.id, skipped_facts(t, skipped[t.id])) for t in tasks]
    from .runtime.doc_cache import remember_text
    from .runtime.spacy_model import load_nlp

    nlp = load_nlp(settings)
    limit = settings.max_nlp_chars
    # A prefix keeps every span valid as an offset into the stored text; the rest is left unparsed, and said so.
    texts = [t.text[:limit] for t in tasks]
    results: list[ArticleResult] = []
    docs, replaced, parsed, parse_seconds = parse_guarded(nlp, texts)
    shares = parse_share(texts, parse_seconds)
    for task, text, doc, guarded, n, share in zip(tasks, texts, docs, replaced, parsed, shares, strict=True):
        if isinstance(doc, Exception):
            results.append(ArticleResult(task.id, None, error=f"parse failed ({doc.__class__.__name__}: {doc})"))
            continue
        remember_text(doc, doc.text if guarded or n < len(text) else text)
        token = _BUDGET.set(Budget(settings.article_time_budget, share))
        try:
            results.append(ArticleResult(task.id, analyze_doc(doc, task), guarded=guarded,
                                         truncated_at=n if len(task.text) > n else None))
        except Exception as exc:  # noqa: BLE001 - recorded per article, the run goes on
            results.append(ArticleResult(task.id, None, error=str(exc) if isinstance(exc, ArticleTimeout)
                                         else f"{exc.__class__.__name__}: {exc}"))
        finally:
            _BUDGET.reset(token)
    # A near-duplicate is counted as its original in the story clustering, which never reads its lead: no vector.
    done = [task for task, res in zip(tasks, results, strict=True) if res.facts is not None and not task.duplicate]
    vectors = lead_vectors(done) if done else {}
    for res in results:
        if res.id in vectors:
            res.vectors["lead"] = vectors[res.id]     # stored by the driver apart from the facts
    return results
