"""Command line: parses arguments, calls the public API, renders results. No logic lives here."""

from __future__ import annotations

import argparse
import json
import logging
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
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors, as docs/contract.md wants
        self.print_usage(sys.stderr)
        print(f"storyline: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _common(p: argparse.ArgumentParser, json_flag: bool = True) -> None:
    if json_flag:
        p.add_argument("--json", action="store_true", help="machine-readable output on stdout")


LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def _conventions(p: argparse.ArgumentParser, top: bool) -> None:
    """Options every verb takes, before or after the verb (on the verbs their defaults are SUPPRESS, so a value
    given before the verb is not reset by the verb's parser)."""
    d = (lambda v: v) if top else (lambda v: argparse.SUPPRESS)
    p.add_argument("-v", "--verbose", action="count", default=d(0), help="more log output (-vv for debug)")
    p.add_argument("-q", "--quiet", action="store_true", default=d(False), help="errors only: no progress, no info")
    p.add_argument("--log-level", choices=LOG_LEVELS, default=d(None), help="log level (overrides -v/-q)")
    p.add_argument("--log-file", default=d(None), metavar="FILE", help="write log and progress lines to FILE")
    p.add_argument("--config", default=d(None), metavar="FILE",
                   help="settings file (TOML, [storyline] table; default storyline.toml or $STORYLINE_CONFIG)")
    p.add_argument("--progress-every", type=float, default=d(30.0), metavar="SECONDS",
                   help="when stderr is not a terminal: a progress line at least this often (and every 1000 documents)")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("storyline")
    except Exception:  # noqa: BLE001 - not installed as a distribution (a source checkout on PYTHONPATH)
        from . import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="storyline", description="Make sense of many news articles about one story.")
    parser.add_argument("--version", action="version", version=f"storyline {_version()}")
    _conventions(parser, top=True)
    sub = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    _conventions(common, top=False)

    p = sub.add_parser("analyze", parents=[common], help="ingest + analyse files, folders, globs, '-', URLs, .jsonl, .warc(.gz)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, globs, '-', URLs, .jsonl, .warc(.gz), .urls")
    p.add_argument("--urls", action="append", default=[], metavar="FILE",
                   help="a file of URLs, one per line, each fetched (as a .urls file is; repeat for several)")
    p.add_argument("--feed", action="append", default=[], metavar="URL",
                   help="an RSS/Atom/JSON feed, or a page linking to one: its article URLs are fetched (repeatable)")
    p.add_argument("--sitemap", action="append", default=[], metavar="URL",
                   help="a sitemap (or a site, via its robots.txt): its article URLs are fetched (repeatable)")
    p.add_argument("--fetch-delay", dest="fetch_delay", type=float, default=None, metavar="SECONDS",
                   help="wait between two requests to one site (default 1)")
    p.add_argument("--db", default=None, help="SQLite store (default storyline.db)")
    p.add_argument("--adopt-db", dest="adopt_db", action="store_true",
                   help="--db is another program's SQLite database: add storyline's tables to it (refused otherwise)")
    p.add_argument("--out", default=None, help="output folder for analysis.json and report.html (default out)")
    p.add_argument("--workers", type=int, default=None, help="processes for per-article work (default 1)")
    p.add_argument("--backend", choices=("local", "dask"), default=None)
    p.add_argument("--scheduler", default=None, help="dask scheduler address (default: a LocalCluster)")
    p.add_argument("--since", default=None, metavar="DATE", help="keep articles published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", default=None, metavar="DATE", help="keep articles published on or before DATE")
    p.add_argument("--host", dest="hosts", action="append", default=None, metavar="DOMAIN",
                   help="keep articles from this site (its domain; repeat or comma-separate for several)")
    p.add_argument("--lang", dest="langs", action="append", default=None, metavar="CODE",
                   help="keep articles in this language (ISO 639-1 code such as en or fr; repeat or comma-separate)")
    _common(p)

    p = sub.add_parser("extract", parents=[common], help="clean each input and print its text and metadata")
    p.add_argument("paths", nargs="+", metavar="FILE")
    _common(p)

    p = sub.add_parser("quotes", parents=[common], help="print the quotes found in each input")
    p.add_argument("paths", nargs="+", metavar="FILE")
    _common(p)

    p = sub.add_parser("stance", parents=[common], help="classify claim/text pairs from a CSV")
    p.add_argument("--input", required=True, metavar="PAIRS.csv")
    p.add_argument("--output", required=True, metavar="OUT.csv")

    p = sub.add_parser("check", parents=[common], help="verdict for a claim against the analysed corpus")
    p.add_argument("claim")
    p.add_argument("--as-of", dest="as_of", default=None, metavar="DATE", help="use only what was published by DATE (YYYY-MM-DD)")
    p.add_argument("--db", default=None)
    _common(p)

    p = sub.add_parser("timeline", parents=[common], help="the dates that mattered, a few sentences each, with their sources")
    p.add_argument("--db", default=None)
    p.add_argument("--story", default=None, metavar="ID", help="only this story's articles (ids in analysis.json)")
    p.add_argument("--dates", type=int, default=None, metavar="L", help="how many dates (default: from the corpus, 6-12)")
    p.add_argument("--sentences", type=int, default=2, metavar="K", help="sentences per date (default 2)")
    p.add_argument("--about", default=None, metavar="TEXT", help="only articles about this topic (a mixed corpus)")
    p.add_argument("--from", dest="start", default=None, metavar="DATE", help="first date (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", default=None, metavar="DATE", help="last date (YYYY-MM-DD)")
    _common(p)

    p = sub.add_parser("report", parents=[common], help="re-render analysis.json and report.html from the store")
    p.add_argument("--db", default=None)
    p.add_argument("--out", required=True, metavar="DIR")

    p = sub.add_parser("export", parents=[common], help="flat tables (csv, jsonl, xlsx, parquet) of the store for spreadsheets and pandas",
                       description="Write each KIND as OUT/KIND.FORMAT; columns are listed in docs/export.md.")
    p.add_argument("kinds", nargs="+", metavar="KIND",
                   help="articles, claims, quotes, quantities, entities, relations, timeline, series, sources, inputs, "
                        "or all")
    p.add_argument("--format", dest="fmt", choices=("csv", "jsonl", "xlsx", "parquet"), default="csv")
    p.add_argument("--db", default=None)
    p.add_argument("--out", default=None, metavar="DIR", help="folder for the files (default out)")
    _common(p)

    p = sub.add_parser("serve", parents=[common], help="web UI + JSON API over the store")
    p.add_argument("--db", default=None)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--token", default=None, help="require this token (header 'Authorization: Bearer …' or ?token=)")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    keys = ("db", "out", "workers", "backend", "scheduler", "since", "until", "fetch_delay")
    values = {k: getattr(args, k) for k in keys if hasattr(args, k)}
    if getattr(args, "hosts", None):
        values["hosts"] = ",".join(args.hosts)
    if getattr(args, "langs", None):
        values["langs"] = ",".join(args.langs)
    return Settings.load(values, config_path=args.config)


def _log_level(args: argparse.Namespace) -> int:
    if args.log_level:
        return int(getattr(logging, args.log_level.upper()))
    if args.quiet:
        return logging.ERROR
    return logging.DEBUG if args.verbose >= 2 else logging.INFO if args.verbose == 1 else logging.WARNING


def _setup_logging(args: argparse.Namespace) -> logging.Handler:
    """The ``storyline`` loggers to stderr (or --log-file) at the chosen level; progress lines (logger
    ``storyline.progress``) show at the default level too, and go with -q or a level above info."""
    level = _log_level(args)
    if args.log_file:
        try:
            handler: logging.Handler = logging.FileHandler(args.log_file, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write the log file {args.log_file!r} ({exc.strerror})") from exc
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S"))
    root = logging.getLogger("storyline")
    root.addHandler(handler)
    root.setLevel(level)
    progress = logging.getLogger("storyline.progress")
    progress.setLevel(logging.INFO if level <= logging.WARNING and not args.log_level else level)
    return handler


def _teardown_logging(handler: logging.Handler) -> None:
    logging.getLogger("storyline").removeHandler(handler)
    logging.getLogger("storyline.progress").setLevel(logging.NOTSET)
    handler.close()


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


def _progress(quiet: bool, args: argparse.Namespace | None = None) -> Any:
    from .report.progress import ProgressPrinter

    every = args.progress_every if args is not None else 30.0
    if not every > 0:
        raise UsageError(f"--progress-every must be greater than 0, not {every}")
    # with --log-file the lines go to the file, never as bars to the terminal
    bars = False if args is not None and args.log_file else None
    return _StoppingProgress(ProgressPrinter(enabled=not quiet, every_seconds=every, bars=bars))


# Signals this run received. Raising from a handler is not enough on its own: a signal that lands while the import
# machinery runs a callback (``_get_module_lock``'s) has its exception printed as "ignored" and dropped, and the run
# went on to the end with status 0. The progress callback and the end of ``main`` look here too.
_RECEIVED: list[int] = []


def _on_signal(signum: int, frame: Any) -> None:
    _RECEIVED.append(signum)
    signal.signal(signum, signal.SIG_IGN)     # a second one must not interrupt the clean-up
    raise Terminated(signum)


def _on_interrupt(signum: int, frame: Any) -> None:
    _RECEIVED.append(signum)
    raise KeyboardInterrupt


def _stop_if_signalled() -> None:
    if _RECEIVED:
        raise Terminated(_RECEIVED[0]) if _RECEIVED[0] != signal.SIGINT else KeyboardInterrupt


class _StoppingProgress:
    """The progress printer, also a point where a signal whose exception was dropped stops the run."""

    def __init__(self, printer: Any) -> None:
        self.printer = printer

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        _stop_if_signalled()
        self.printer(stage, done, total)

    def close(self) -> None:
        self.printer.close()


def _own_signals() -> dict[int, Any]:
    """SIGTERM and SIGHUP unwind the run like Ctrl-C (workers stopped, store closed) instead of killing the main
    process and orphaning its workers. Only the main thread can set handlers (tests call ``main`` from others)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    _RECEIVED.clear()
    owned: dict[int, Any] = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:    # an ignored Ctrl-C stays ignored
        owned[signal.SIGINT] = signal.signal(signal.SIGINT, _on_interrupt)
    return owned


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verb == "analyze" and not (args.paths or args.urls or args.feed or args.sitemap):
        parser.error("analyze needs at least one PATH, --urls FILE, --feed URL or --sitemap URL")   # exit 2
    previous = _own_signals()
    try:
        handler = _setup_logging(args)
    except UsageError as err:
        print(f"storyline: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _main(args)
    finally:
        _teardown_logging(handler)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _main(args: argparse.Namespace) -> int:
    try:
        code = _dispatch(args)
        _stop_if_signalled()        # a signal whose exception was dropped on the way still ends the run as one
        return code
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


def analyze_inputs(args: argparse.Namespace) -> list[str]:
    """PATHs, then ``--urls``, ``--feed`` and ``--sitemap`` as the labels ``ingest.sources`` reads."""
    from .ingest.sources import FEED_PREFIX, SITEMAP_PREFIX, URLS_PREFIX

    inputs = [*args.paths, *(URLS_PREFIX + f for f in args.urls), *(FEED_PREFIX + u for u in args.feed),
              *(SITEMAP_PREFIX + u for u in args.sitemap)]
    if not inputs:
        raise UsageError("analyze needs at least one PATH, --urls FILE, --feed URL or --sitemap URL")
    return inputs


def _dispatch(args: argparse.Namespace) -> int:
    from . import api

    if args.verb == "analyze":
        settings = _settings(args)
        progress = _progress(args.quiet or args.json, args)
        inputs = analyze_inputs(args)
        if args.adopt_db:       # once adopted, the database opens as a storyline store like any other
            from .store import Store

            Store(settings.db, adopt=True).close()
        summary = api.analyze(inputs, settings, progress)
        progress.close()
        if args.json:
            print(json.dumps(api.run_summary_json(summary, settings), ensure_ascii=False))
        else:
            print(api.run_summary_text(summary, settings))
        return EXIT_SOME_FAILED if summary.failed or summary.nlp_failures or summary.corpus_errors else EXIT_OK
    if args.verb == "extract":
        return _print_rows(api.extract(args.paths, _settings(args)), args.json, _render_extract)
    if args.verb == "quotes":
        return _print_rows(api.quotes(args.paths, _settings(args)), args.json, _render_quote)
    if args.verb == "stance":
        n = api.stance(args.input, args.output, _settings(args), progress=not args.quiet)
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
        api.serve(_settings(args), host=args.host, port=args.port, token=args.token)
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


def run() -> None:
    """The ``storyline`` program: ``main``, then exit with its status. After Ctrl-C the status is 130 however the
    interrupt landed: CPython remembers a KeyboardInterrupt that escaped code run through ``PyRun_String`` (Cython
    extension modules use it while they are imported, e.g. SciPy's) even when the program caught it later, and then
    ends the process by SIGINT instead of with the status ``main`` returned. Everything has been closed by then
    (workers, store, logs), so the process ends here without that late re-raise."""
    code = main()
    if code == 128 + signal.SIGINT and threading.current_thread() is threading.main_thread():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    run()
