"""Command line: parses arguments, calls the public API, renders results. No logic lives here."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import sys
import threading
from datetime import date
from typing import Any, NoReturn

from .config import Settings
from .errors import StorylineError, Terminated, UsageError, describe_os_error

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors, as CONTRACT.md wants
        self.print_usage(sys.stderr)
        print(f"storyline: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _common(p: argparse.ArgumentParser, json_flag: bool = True) -> None:
    if json_flag:
        p.add_argument("--json", action="store_true", help="machine-readable output on stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="storyline", description="Make sense of many news articles about one story.")
    sub = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)

    p = sub.add_parser("analyze", help="ingest + analyse files, folders, globs, '-', URLs, .jsonl, .warc(.gz)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", default=None, help="SQLite store (default storyline.db)")
    p.add_argument("--out", default=None, help="output folder for analysis.json and report.html (default out)")
    p.add_argument("--workers", type=int, default=None, help="processes for per-article work (default 1)")
    p.add_argument("--backend", choices=("local", "dask"), default=None)
    p.add_argument("--scheduler", default=None, help="dask scheduler address (default: a LocalCluster)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    _common(p)

    p = sub.add_parser("extract", help="clean each input and print its text and metadata")
    p.add_argument("paths", nargs="+", metavar="FILE")
    _common(p)

    p = sub.add_parser("quotes", help="print the quotes found in each input")
    p.add_argument("paths", nargs="+", metavar="FILE")
    _common(p)

    p = sub.add_parser("stance", help="classify claim/text pairs from a CSV")
    p.add_argument("--input", required=True, metavar="PAIRS.csv")
    p.add_argument("--output", required=True, metavar="OUT.csv")
    p.add_argument("--quiet", action="store_true")

    p = sub.add_parser("check", help="verdict for a claim against the analysed corpus")
    p.add_argument("claim")
    p.add_argument("--as-of", dest="as_of", default=None, metavar="DATE", help="use only what was published by DATE (YYYY-MM-DD)")
    p.add_argument("--db", default=None)
    _common(p)

    p = sub.add_parser("timeline", help="the dates that mattered, a few sentences each, with their sources")
    p.add_argument("--db", default=None)
    p.add_argument("--story", default=None, metavar="ID", help="only this story's articles (ids in analysis.json)")
    p.add_argument("--dates", type=int, default=None, metavar="L", help="how many dates (default: from the corpus, 6-12)")
    p.add_argument("--sentences", type=int, default=2, metavar="K", help="sentences per date (default 2)")
    p.add_argument("--about", default=None, metavar="TEXT", help="only articles about this topic (a mixed corpus)")
    p.add_argument("--from", dest="start", default=None, metavar="DATE", help="first date (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", default=None, metavar="DATE", help="last date (YYYY-MM-DD)")
    _common(p)

    p = sub.add_parser("report", help="re-render analysis.json and report.html from the store")
    p.add_argument("--db", default=None)
    p.add_argument("--out", required=True, metavar="DIR")

    p = sub.add_parser("export", help="flat tables (csv, jsonl, xlsx, parquet) of the store for spreadsheets and pandas",
                       description="Write each KIND as OUT/KIND.FORMAT; columns are listed in docs/export.md.")
    p.add_argument("kinds", nargs="+", metavar="KIND",
                   help="articles, claims, quotes, quantities, entities, relations, timeline, series, sources, inputs, "
                        "or all")
    p.add_argument("--format", dest="fmt", choices=("csv", "jsonl", "xlsx", "parquet"), default="csv")
    p.add_argument("--db", default=None)
    p.add_argument("--out", default=None, metavar="DIR", help="folder for the files (default out)")
    _common(p)

    p = sub.add_parser("serve", help="web UI + JSON API over the store")
    p.add_argument("--db", default=None)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--token", default=None, help="require this token (header 'Authorization: Bearer …' or ?token=)")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    keys = ("db", "out", "workers", "backend", "scheduler")
    return Settings.load({k: getattr(args, k) for k in keys if hasattr(args, k)})


def _print_rows(rows: Any, as_json: bool, render: Any) -> int:
    """One line (JSON) or block (text) per row; a row without data is an input that failed or was skipped."""
    failed = 0
    for row in rows:
        failed += row.get("status") == "failed"
        if as_json:
            print(json.dumps(row, ensure_ascii=False))
        elif "error" in row:
            print(f"{row['path']}: {row['status']}: {row['error']}")
        else:
            print(render(row))
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _render_extract(row: dict[str, Any]) -> str:
    return (f"== {row['path']}\n   title: {row['title']}\n   published: {row['published'] or row['published_bounds']} "
            f"({row['published_basis']})\n   outlet: {row['outlet']}  author: {row['author']}  genre: {row['genre']}\n"
            f"   removed: {len(row['removed'])} piece(s)")


def _render_quote(row: dict[str, Any]) -> str:
    text = f"\u201c{row['text']}\u201d" if row["direct"] else f"({row['text']})"
    return f"{row['speaker'] or '?'}: {text}"


def _progress(quiet: bool) -> Any:
    from .report.progress import ProgressPrinter

    return ProgressPrinter(enabled=not quiet)


def _on_signal(signum: int, frame: Any) -> None:
    signal.signal(signum, signal.SIG_IGN)     # a second one must not interrupt the clean-up
    raise Terminated(signum)


def _own_signals() -> dict[int, Any]:
    """SIGTERM and SIGHUP unwind the run like Ctrl-C (workers stopped, store closed) instead of killing the main
    process and orphaning its workers. Only the main thread can set handlers (tests call ``main`` from others)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    previous = _own_signals()
    try:
        return _main(args)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _main(args: argparse.Namespace) -> int:
    try:
        return _dispatch(args)
    except UsageError as err:
        print(f"storyline: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except StorylineError as err:
        print(f"storyline: {err}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except sqlite3.DatabaseError as exc:       # damage, disk full or a lock found while the store was in use
        from .store.sqlite import store_error

        print(f"storyline: {store_error(_db_of(args), exc)}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except OSError as exc:
        said = describe_os_error(exc)
        if said is None:
            raise
        print(f"storyline: {said}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except KeyboardInterrupt as err:
        signum = err.signum if isinstance(err, Terminated) else signal.SIGINT
        print(f"storyline: {'terminated' if isinstance(err, Terminated) else 'interrupted'} "
              f"({signal.Signals(signum).name}); run the same command again to resume", file=sys.stderr)
        return 128 + signum
    except Exception as exc:
        if os.environ.get("STORYLINE_DEBUG"):
            raise
        print(f"storyline: internal error ({exc.__class__.__name__}: {exc}); set STORYLINE_DEBUG=1 for the traceback "
              "and please report it", file=sys.stderr)
        return EXIT_SOME_FAILED


def _db_of(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or os.environ.get("STORYLINE_DB") or "storyline.db"


def _dispatch(args: argparse.Namespace) -> int:
    from . import api

    if args.verb == "analyze":
        settings = _settings(args)
        progress = _progress(args.quiet or args.json)
        summary = api.analyze(args.paths, settings, progress)
        progress.close()
        if args.json:
            print(json.dumps(api.run_summary_json(summary, settings), ensure_ascii=False))
        else:
            print(api.run_summary_text(summary, settings))
        return EXIT_SOME_FAILED if summary.failed or summary.nlp_failures or summary.corpus_errors else EXIT_OK
    if args.verb == "extract":
        return _print_rows(api.extract(args.paths, Settings.load()), args.json, _render_extract)
    if args.verb == "quotes":
        return _print_rows(api.quotes(args.paths, Settings.load()), args.json, _render_quote)
    if args.verb == "stance":
        from .verify.stance_csv import stance_csv

        n = stance_csv(args.input, args.output, Settings.load(), progress=not args.quiet)
        print(f"wrote {n} row(s) to {args.output}", file=sys.stderr)
        return EXIT_OK
    if args.verb == "check":
        as_of = _parse_date(args.as_of)
        result = api.check(args.claim, as_of, _settings(args))
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print(f"{result['verdict']} (confidence {result['confidence']:.2f})\n{result['explanation']}")
            for ev in result["evidence"][:5]:
                print(f"  - [{ev['stance']}] {ev['outlet'] or '?'} {ev['published'] or ''}: {ev['text'][:160]}")
        return EXIT_OK
    if args.verb == "timeline":
        if (args.dates is not None and args.dates < 1) or args.sentences < 1:
            raise UsageError("--dates and --sentences must be at least 1")
        result = api.timeline(_settings(args), dates=args.dates, sentences=args.sentences, story=args.story,
                              about=args.about, start=_parse_date(args.start, "--from"),
                              end=_parse_date(args.end, "--to"))
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print(_render_timeline(result))
        return EXIT_OK
    if args.verb == "report":
        json_path, html_path = api.report(_settings(args))
        print(f"wrote {json_path} and {html_path}")
        return EXIT_OK
    if args.verb == "export":
        written = api.export(args.kinds, args.fmt, _settings(args))
        for w in written:
            print(json.dumps(w, ensure_ascii=False) if args.json else f"wrote {w['rows']} row(s) to {w['path']}")
        return EXIT_OK
    if args.verb == "serve":
        from .web.server import serve

        serve(_settings(args).db, host=args.host, port=args.port, settings=Settings.load(), token=args.token)
        return EXIT_OK
    raise UsageError(f"unknown verb {args.verb}")


def _parse_date(value: str | None, flag: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{flag} must be a date like 2024-01-10, not {value!r}") from exc


def _render_timeline(result: dict[str, Any]) -> str:
    if not result["timeline"]:
        return f"no dated coverage to summarise ({result['articles']} article(s) selected)"
    lines = []
    for e in result["timeline"]:
        when = e.get("label") or e["date"]
        lines.append(f"{when}  ({e['sources']} article(s): {', '.join(e['outlets'])})")
        for text, src in zip(e["sentences"], e["sentence_sources"], strict=True):
            lines.append(f"  - {text}  [{src['outlet']}, {src['published'] or 'undated'}, {src['article_id']}]")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
