"""The public API: every CLI verb is one call here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import InputError, UsageError
from .ingest.build import build_article
from .ingest.sources import expand_inputs, read_documents
from .model import InputRecord, RunSummary
from .pipeline import Progress, _noop
from .pipeline import analyze as _analyze
from .report.run_summary import run_summary_json as run_summary_json  # the API re-exports the run summary
from .report.run_summary import run_summary_text as run_summary_text
from .store import Store


def analyze(paths: list[str], settings: Settings | None = None, progress: Progress = _noop) -> RunSummary:
    """Ingest and analyse ``paths`` into ``settings.db``; writes analysis.json and report.html to ``settings.out``."""
    settings = settings or Settings.load()
    summary = _analyze(paths, settings, progress)
    report(settings, check=False)     # the run's own open has just checked the store
    return summary


def analyze_texts(texts: Iterable[str | dict[str, Any]], settings: Settings | None = None,
                  progress: Progress = _noop) -> dict[str, Any]:
    """Analyse articles held in memory (a notebook, another program) and return the analysis.json object; no
    report files are written. Each item is the article text, or a record as a ``.jsonl`` line holds it (``text`` or
    ``html``, plus optional ``id, url, title, published, outlet, author``). The store is a temporary one unless
    ``settings.db`` is given explicitly (then the articles are kept there, as ``analyze`` would)."""
    import json as _json
    import tempfile

    from .report.export import build_analysis

    settings = settings or Settings.load()
    records = [{"text": t} if isinstance(t, str) else dict(t) for t in texts]
    if not records:
        raise UsageError("analyze_texts needs at least one text")
    with tempfile.TemporaryDirectory(prefix="storyline-") as tmp:
        folder = Path(tmp)
        keep_db = settings.db != Settings().db
        run = settings.replace(db=settings.db if keep_db else str(folder / "storyline.db"), out=str(folder / "out"))
        source = folder / "texts.jsonl"
        with open(source, "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(_json.dumps(rec, ensure_ascii=False) + "\n")
        _analyze([str(source)], run, progress)
        with Store(run.db, readonly=True) as store:
            analysis = build_analysis(store)
    for art in analysis["articles"]:        # the temporary file's name means nothing outside this call
        art["source"] = art["source"].replace(str(source), "texts")
    for rec in analysis["inputs"]:
        rec["path"] = rec["path"].replace(str(source), "texts")
        rec["reason"] = rec["reason"].replace(str(source), "texts")
    return analysis


def report(settings: Settings, *, check: bool = True) -> tuple[Path, Path]:
    """Re-render analysis.json and report.html from the store (``check``: quick_check it first, see ``Store``)."""
    from .report.export import build_analysis, write_analysis
    from .report.html import render_report

    with Store(settings.db, readonly=True, check=check) as store:     # a damaged store is named, not rendered
        analysis = build_analysis(store)
    json_path = write_analysis(analysis, settings.out)
    html_path = render_report(analysis, settings.out)
    return json_path, html_path


def extract(paths: list[str], settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """One dict per input document: the cleaned article and its metadata, or the reason it failed."""
    settings = settings or Settings.load()
    for item in expand_inputs(paths):
        docs = [item] if isinstance(item, InputRecord) else read_documents(item, settings)
        for doc in docs:
            if isinstance(doc, InputRecord):
                yield {"path": doc.path, "status": doc.status, "error": doc.reason}
                continue
            try:
                art = build_article(doc, settings)
            except InputError as err:
                yield {"path": doc.source, "status": "failed", "error": str(err)}
                continue
            except Exception as exc:  # noqa: BLE001 - hostile input must not end the run
                yield {"path": doc.source, "status": "failed", "error": f"{doc.source}: could not be processed ({exc.__class__.__name__}: {exc})"}
                continue
            d = art.to_json()
            yield {
                "path": doc.source, "status": "ok", "id": doc.hints.get("id") or art.id, "article_id": art.id,
                "title": art.title, "text": art.text, "published": d["published"], "published_bounds": d["published_bounds"],
                "published_basis": art.published_basis, "author": art.author, "outlet": art.outlet, "url": art.url,
                "genre": art.genre, "language": art.language,
                "removed": [{"text": r.text, "reason": r.reason} for r in art.removed],
                "evidence": [{"field": e.field, "value": e.value, "basis": e.basis} for e in art.evidence],
            }


def quotes(paths: list[str], settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """One dict per quote found in each input (offsets into the cleaned text that ``extract`` prints)."""
    from .executors.deadline import StageOverrun, Watchdog
    from .nlp.entities.extract import extract_entities
    from .nlp.pipeline import parse_guarded
    from .nlp.quotes.extract import extract_quotes
    from .nlp.runtime.doc_cache import remember_text
    from .nlp.runtime.spacy_model import load_nlp

    settings = settings or Settings.load()
    nlp = load_nlp(settings)
    for rec in extract(paths, settings):
        if rec["status"] != "ok":
            yield rec
            continue
        # the same bounds as analyze: a prefix of max_nlp_chars, through the tokenizer guard
        docs, _, _, _ = parse_guarded(nlp, [rec["text"][:settings.max_nlp_chars]])
        doc = docs[0]
        if isinstance(doc, Exception):
            yield {"path": rec["path"], "status": "failed",
                   "error": f"{rec['path']}: could not be parsed ({doc.__class__.__name__}: {doc})"}
            continue
        remember_text(doc, doc.text)
        try:    # the per-article time budget, as in analyze: a stage still running past it is interrupted
            with Watchdog(settings.article_time_budget, unit=extract_quotes.__code__):
                found = list(extract_quotes(doc, rec["article_id"], extract_entities(doc, rec["article_id"])))
        except StageOverrun as exc:
            yield {"path": rec["path"], "status": "failed", "error": f"{rec['path']}: {exc}"}
            continue
        for q in found:
            yield {"path": rec["path"], "start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker,
                   "speaker_start": q.speaker_start, "speaker_end": q.speaker_end, "cue": q.cue,
                   "cue_start": q.cue_start, "cue_end": q.cue_end, "direct": q.direct, "medium": q.medium,
                   "speaker_entity_id": q.speaker_entity_id}


def export(kinds: list[str], fmt: str = "csv", settings: Settings | None = None,
           out: str | Path | None = None) -> list[dict[str, Any]]:
    """Write each kind of ``kinds`` (``report.tables.KINDS``; "all" for every one) as a flat table to
    ``out``/KIND.``fmt`` (csv, jsonl, xlsx, parquet; ``out`` defaults to ``settings.out``). Returns one
    ``{kind, path, rows}`` per file written. Columns are listed in docs/export.md."""
    from .report.tables import FORMATS, KINDS, missing_format_dependency, rows, write_table

    settings = settings or Settings.load()
    wanted = list(KINDS) if "all" in kinds else list(dict.fromkeys(kinds))
    unknown = [k for k in wanted if k not in KINDS]
    if unknown or not wanted:
        raise UsageError(f"unknown kind(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(KINDS)}, all")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    why = missing_format_dependency(fmt)
    if why:
        raise UsageError(why)
    folder = Path(out if out is not None else settings.out)
    written = []
    with _reader(settings) as store:
        for kind in wanted:
            path = folder / f"{kind}.{fmt}"
            n = write_table(kind, rows(store, kind), path, fmt)
            written.append({"kind": kind, "path": str(path), "rows": n})
    return written


def table(kind: str, settings: Settings | None = None) -> list[dict[str, Any]]:
    """The flat rows of one kind (the columns ``export`` writes), for a notebook."""
    from .report.tables import KINDS, rows

    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    with _reader(settings or Settings.load()) as store:
        return list(rows(store, kind))


def dataframe(kind: str, settings: Settings | None = None) -> Any:
    """``table(kind)`` as a pandas DataFrame with the documented columns (needs pandas installed)."""
    from .report.tables import columns

    try:
        import pandas as pd
    except ImportError as exc:
        raise UsageError("dataframe() needs pandas: pip install pandas (or use table(), which returns rows)") from exc
    return pd.DataFrame(table(kind, settings), columns=columns(kind))


def _reader(settings: Settings) -> Store:
    if not Path(settings.db).exists():
        raise UsageError(f"no store at {settings.db}: run 'storyline analyze' first or give --db")
    return Store(settings.db, readonly=True)


def open_store(path: str, readonly: bool = True) -> Store:
    return Store(path, readonly=readonly)


def check(claim: str, as_of: Any = None, settings: Settings | None = None) -> dict[str, Any]:
    """Verdict for ``claim`` against the analysed corpus, using only what was published by ``as_of``."""
    from .verify.check import check_claim

    settings = settings or Settings.load()
    with Store(settings.db, readonly=True, check=True) as store:
        return check_claim(store, claim, as_of, settings)


def timeline(settings: Settings | None = None, *, dates: int | None = None, sentences: int = 2,
             story: str | None = None, about: str | None = None, start: date | None = None,
             end: date | None = None) -> dict[str, Any]:
    """The summarised timeline of the analysed corpus: the ``dates`` days that mattered (a default from the corpus
    when None), ``sentences`` sentences each, with the articles and outlets behind every sentence."""
    from .xdoc.timeline_summary import timeline_summary

    settings = settings or Settings.load()
    if not Path(settings.db).exists():
        raise UsageError(f"no store at {settings.db}: run 'storyline analyze' first or give --db")
    with Store(settings.db, readonly=True) as store:
        return timeline_summary(store, dates=dates, sentences=sentences, story=story, about=about, start=start,
                                end=end)


def stance(input_csv: str, output_csv: str, settings: Settings | None = None, progress: bool = False) -> int:
    """Classify the claim/text pairs of a CSV (columns in docs/stance.md); returns the rows written."""
    from .verify.stance_csv import stance_csv

    return int(stance_csv(input_csv, output_csv, settings or Settings.load(), progress=progress))


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """The web app and JSON API over ``settings.db`` until interrupted."""
    from .web.server import serve as serve_store

    serve_store(settings.db, host=host, port=port, settings=settings, token=token)
