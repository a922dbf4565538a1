"""Turn what the user named (files, folders, globs, "-", URLs, .jsonl, .warc) into raw documents.

Every input yields either RawDocuments or an InputRecord saying why it failed or was skipped, so the caller can
account for every input. Sizes are capped while reading (``Settings.max_input_bytes`` for one file or record,
``max_decompressed_bytes`` for what a .gz expands to) so a gzip bomb or a 5 GB file cannot exhaust memory.
"""

from __future__ import annotations

import glob
import gzip
import ipaddress
import json
import os
import socket
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import InputError
from ..meta.outlets import outlet_from_host
from ..model import InputRecord, RawDocument

TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
WARC_EXT = {".warc"}
URLS_EXT = {".urls"}            # one URL per line ('#' comments and blank lines allowed)
# Labels for inputs that are not files: `analyze --urls FILE`, `--feed URL`, `--sitemap URL` (and the same strings
# in the Python API's paths). A path that exists is read as a file even when its name starts with one of these.
URLS_PREFIX, FEED_PREFIX, SITEMAP_PREFIX = "urls:", "feed:", "sitemap:"
LISTING_PREFIXES = (FEED_PREFIX, SITEMAP_PREFIX)
_HINT_KEYS = ("id", "url", "title", "published", "outlet", "author")
# Other tools' record fields, first present wins after storyline's own: news-please (maintext, date_publish,
# source_domain, authors), trafilatura's JSON output (text, date, hostname, sitename, author, source = the URL).
_TEXT_FIELDS = ("text", "maintext")
_ALIASES = {
    "url": ("url", "source_url", "source"),
    "published": ("published", "date_publish", "date", "date_published", "published_date"),
    "outlet": ("outlet", "sitename"),
    "author": ("author", "authors"),
    "title": ("title",),
    "id": ("id",),
    "language": ("language", "lang"),     # news-please, trafilatura: used when the text's own language is unclear
}
_HOST_FIELDS = ("source_domain", "hostname", "source-hostname")


def record_hints(rec: dict[str, Any]) -> dict[str, str]:
    """Metadata hints from a JSONL record: storyline's fields, or the same facts under news-please's and
    trafilatura's names. A host name (news-please's source_domain, trafilatura's hostname) gives the outlet when no
    name is given; ``published_field`` says which field the date came from."""
    hints: dict[str, str] = {}
    for key, names in _ALIASES.items():
        for name in names:
            value = rec.get(name)
            if isinstance(value, list):         # news-please: "authors": ["A", "B"]
                value = ", ".join(str(v) for v in value if v not in (None, ""))
            if value in (None, "") or isinstance(value, dict | bool):
                continue
            text = str(value).strip()
            if key == "url" and not text.lower().startswith(("http://", "https://")):
                continue                        # trafilatura's "source" is the URL, but other tools' is a name
            if text:
                hints[key] = text
                if key == "published":
                    hints["published_field"] = name
                break
    if "outlet" not in hints:
        host = next((str(rec[f]).strip() for f in _HOST_FIELDS if isinstance(rec.get(f), str) and rec[f].strip()),
                    None)
        outlet = outlet_from_host(host) if host else None
        if outlet:
            hints["outlet"] = outlet
    return hints


def _suffixes(name: str) -> tuple[str, bool]:
    """(format suffix, gzipped) for a file name like 'a.warc.gz'."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    return os.path.splitext(lower)[1], gz


def sniff_kind(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head or b"<div" in head:
        return "html"
    return "text"


def read_capped(stream: BinaryIO, limit: int, source: str, what: str = "input") -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(source, f"{what} is larger than the {limit:,}-byte limit",
                         "split it, or raise max_input_bytes (STORYLINE_MAX_INPUT_BYTES)")
    return data


def gunzip_capped(data: bytes, limit: int, source: str) -> bytes:
    """Decompress with a ceiling: a bomb stops at ``limit`` bytes instead of filling memory."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(source, f"corrupt or truncated gzip data ({exc})", "re-download or re-compress the file") from exc
    if len(out) > limit or d.unconsumed_tail:
        raise InputError(source, f"decompresses to more than {limit:,} bytes (possible gzip bomb)",
                         "raise max_decompressed_bytes (STORYLINE_MAX_DECOMPRESSED_BYTES) if it is genuine")
    if not d.eof:
        raise InputError(source, "truncated gzip data (stream ends early)", "re-download or re-compress the file")
    return out


def expand_inputs(paths: list[str]) -> Iterator[str | InputRecord]:
    """Input labels in a stable order: folders walked recursively and sorted, globs sorted."""
    for given in paths:
        named = given.startswith((URLS_PREFIX, *LISTING_PREFIXES)) and not os.path.exists(given)
        if given == "-" or given.startswith(("http://", "https://")) or named:
            yield given
        elif os.path.isdir(given):
            found = False
            for root, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    found = True
                    full = os.path.join(root, name)
                    if name.startswith("."):
                        yield InputRecord(full, "skipped", f"{full}: hidden file, not read")
                    else:
                        yield full
            if not found:
                yield InputRecord(given, "skipped", f"{given}: folder holds no files")
        elif os.path.exists(given) or os.path.islink(given):
            yield given
        elif any(ch in given for ch in "*?["):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield InputRecord(given, "failed", f"{given}: pattern matched no files; check the path and quote the glob")
            for m in matches:
                yield from expand_inputs([m]) if os.path.isdir(m) else [m]
        else:
            yield InputRecord(given, "failed", f"{given}: no such file or folder; check the path")


def read_documents(label: str, settings: Settings) -> Iterator[RawDocument | InputRecord]:
    """Documents in one input. Per-record problems yield failed records; the rest of the input still comes."""
    try:
        if label == "-":
            data = read_capped(sys.stdin.buffer, settings.max_input_bytes, "<stdin>")
            yield RawDocument("-", data, sniff_kind(data))
            return
        if label.startswith(("http://", "https://")):
            yield _fetch(label, settings)
            return
        if label.startswith(LISTING_PREFIXES) and not os.path.exists(label):
            yield from _read_listing(label, settings)
            return
        if label.startswith(URLS_PREFIX) and not os.path.exists(label):
            yield from _read_url_list(label.removeprefix(URLS_PREFIX), False, settings)
            return
        yield from _read_file(label, settings)
    except InputError as err:
        yield InputRecord(label, "failed", str(err))
    except OSError as err:
        yield InputRecord(label, "failed", f"{label}: cannot read ({err.strerror or err}); check permissions and path")


def _read_file(path: str, settings: Settings) -> Iterator[RawDocument | InputRecord]:
    ext, gz = _suffixes(os.path.basename(path))
    if not os.path.isfile(path):
        raise InputError(path, "not a regular file", "give files, folders, globs, '-' or URLs")
    size = os.path.getsize(path)
    if size > settings.max_input_bytes and ext not in JSONL_EXT | WARC_EXT:
        raise InputError(path, f"file is {size:,} bytes, above the {settings.max_input_bytes:,}-byte limit",
                         "split it, or raise max_input_bytes (STORYLINE_MAX_INPUT_BYTES)")
    if ext in WARC_EXT:
        from .warc import read_warc
        yield from read_warc(path, settings)
        return
    if ext in JSONL_EXT:
        yield from _read_jsonl(path, gz, settings)
        return
    if ext in URLS_EXT:
        yield from _read_url_list(path, gz, settings)
        return
    with open(path, "rb") as fh:
        data = read_capped(fh, settings.max_input_bytes if not gz else settings.max_decompressed_bytes, path)
    if gz:
        data = gunzip_capped(data, min(settings.max_decompressed_bytes, settings.max_input_bytes), path)
    if ext in HTML_EXT:
        kind = "html"
    elif ext in TEXT_EXT:
        kind = "text"
    elif ext in ("", ".dat", ".out") or ext.startswith(".") and len(ext) <= 6:
        kind = sniff_kind(data)
        if ext not in ("",) and kind == "text" and b"\x00" in data[:4096]:
            yield InputRecord(path, "skipped", f"{path}: unsupported file type {ext!r} with binary content; give .txt, .html, .jsonl or .warc")
            return
    else:
        kind = sniff_kind(data)
    yield RawDocument(path, data, kind)


def _read_jsonl(path: str, gz: bool, settings: Settings) -> Iterator[RawDocument | InputRecord]:
    base = Path(path).parent
    opener = gzip.open if gz else open
    total = produced = 0
    pacer = Pacer(settings.fetch_delay)
    with opener(path, "rb") as fh:
        lineno = 0
        while True:
            try:
                line = fh.readline(settings.max_input_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                yield InputRecord(f"{path}#{lineno + 1}", "failed", f"{path}: truncated or corrupt after line {lineno} ({exc})")
                return
            if not line:
                if not produced:
                    yield InputRecord(path, "skipped", f"{path}: holds no JSON records")
                return
            lineno += 1
            total += len(line)
            label = f"{path}#{lineno}"
            if lineno > settings.max_records or total > settings.max_decompressed_bytes:
                yield InputRecord(label, "failed", f"{path}: stopped at line {lineno}: record/size limit reached (max_records, max_decompressed_bytes)")
                return
            if len(line) > settings.max_input_bytes:
                produced += 1
                yield InputRecord(label, "failed", f"{label}: line longer than {settings.max_input_bytes:,} bytes; skipped")
                while line and not line.endswith(b"\n"):   # skip the rest of the oversized line
                    line = fh.readline(settings.max_input_bytes)
                continue
            if not line.strip():
                continue
            produced += 1
            yield _jsonl_record(line, label, base, settings, pacer)


def _jsonl_record(line: bytes, label: str, base: Path, settings: Settings,
                  pacer: Pacer | None = None) -> RawDocument | InputRecord:
    try:
        rec = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return InputRecord(label, "failed", f"{label}: not valid JSON ({exc.__class__.__name__}: {exc}); fix or remove the line")
    if not isinstance(rec, dict):
        return InputRecord(label, "failed", f"{label}: a record must be a JSON object with 'text', 'html' or 'path'")
    hints = record_hints(rec)
    url = hints.get("url")
    if isinstance(rec.get("html"), str):
        return RawDocument(label, rec["html"], "html", url=url, hints=hints)
    for field in _TEXT_FIELDS:
        if isinstance(rec.get(field), str) and rec[field].strip():
            return RawDocument(label, rec[field], "text", url=url, hints=hints)
    if isinstance(rec.get("path"), str):
        target = Path(rec["path"])
        target = target if target.is_absolute() else base / target
        docs = list(read_documents(str(target), settings))
        for doc in docs:
            if isinstance(doc, RawDocument):
                doc.url = doc.url or url
                doc.hints = {**hints, **doc.hints}
                doc.source = f"{label}:{target}"
                return doc
            return InputRecord(label, doc.status, doc.reason)
        return InputRecord(label, "failed", f"{label}: path {str(target)!r} held no document")
    if url:                     # a record with only a URL: the page is fetched, the record's fields still win
        got = fetch_or_record(url, label, settings, pacer)
        if isinstance(got, RawDocument):
            got.hints = hints
        return got
    blank = [f for f in _TEXT_FIELDS if isinstance(rec.get(f), str)]
    if blank:
        return InputRecord(label, "failed", f"{label}: empty input (the record's {blank[0]!r} is empty; nothing to "
                                            "analyse; remove it or give it content)")
    return InputRecord(label, "failed", f"{label}: record has none of 'text', 'html', 'path' or 'url' (nor "
                                         "news-please's 'maintext'); add one")


class Pacer:
    """Waits ``delay`` seconds between two requests to one host (feeds, sitemaps, URL lists and url-only records
    name many pages of one site; a polite fetcher does not fire them all at once)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        if self.delay <= 0:
            return
        host = (urlsplit(url).hostname or "").lower()
        if host in self.last:
            left = self.last[host] + self.delay - time.monotonic()
            if left > 0:
                time.sleep(left)
        self.last[host] = time.monotonic()


def fetch_or_record(url: str, label: str, settings: Settings, pacer: Pacer | None = None,
                    *, public_only: bool = False) -> RawDocument | InputRecord:
    """One URL fetched (``_fetch``'s limits), or the failed record that says why not; ``label`` names the input."""
    try:
        if public_only and (private := _non_public_address(url)):
            raise InputError(url, f"refused: its host resolves to the non-public address {private}, and the listing "
                                  "that named it is on a public site", "fetch it directly if it is meant")
        if pacer is not None:
            pacer.wait(url)
        doc = _fetch(url, settings)
    except InputError as err:
        return InputRecord(label, "failed", str(err) if label == url else f"{label}: {err}")
    doc.source = label
    return doc


def _read_url_list(path: str, gz: bool, settings: Settings) -> Iterator[RawDocument | InputRecord]:
    """A URL-list file: each http(s) URL fetched as an input of its own (labelled by the URL); blank lines and
    '#' comments are passed over, any other line is a failed record."""
    with open(path, "rb") as fh:
        data = read_capped(fh, settings.max_input_bytes, path)
    if gz:
        data = gunzip_capped(data, min(settings.max_decompressed_bytes, settings.max_input_bytes), path)
    pacer = Pacer(settings.fetch_delay)
    produced = 0
    for lineno, raw in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        produced += 1
        if produced > settings.max_records:
            yield InputRecord(f"{path}#{lineno}", "failed", f"{path}: stopped at line {lineno}: max_records reached")
            return
        if not line.lower().startswith(("http://", "https://")) or any(ch.isspace() for ch in line):
            yield InputRecord(f"{path}#{lineno}", "failed", f"{path}#{lineno}: {line[:80]!r} is not an http(s) URL; "
                                                            "give one URL per line")
            continue
        yield fetch_or_record(line, line, settings, pacer)
    if not produced:
        yield InputRecord(path, "skipped", f"{path}: holds no URLs")


def _read_listing(label: str, settings: Settings) -> Iterator[RawDocument | InputRecord]:
    """``feed:URL`` or ``sitemap:URL``: the article URLs trafilatura finds there (an RSS/Atom/JSON feed, or the feeds
    a page links to; a sitemap, sitemap index, or the sitemaps robots.txt names), each fetched as an input of its own
    labelled by its URL. The listing gets a record of its own only when it fails or lists nothing."""
    kind, url = label.split(":", 1)
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(label, f"--{kind} needs an http(s) URL, not {url!r}", f"give the {kind}'s full URL")
    private = _non_public_address(url)
    config = _trafilatura_config(settings, allow_private=bool(private))
    if kind == "feed":
        from trafilatura.feeds import find_feed_urls

        urls = find_feed_urls(url, sleep_time=settings.fetch_delay, config=config)
    else:
        from trafilatura.sitemaps import sitemap_search

        urls = sitemap_search(url, sleep_time=settings.fetch_delay, config=config)
    if not urls:
        _fetch(url, settings)     # unreachable, HTTP error, too large: raises InputError with the reason
        what = "feed (nor any feed the page links to)" if kind == "feed" else "sitemap (nor robots.txt's sitemaps)"
        yield InputRecord(label, "skipped", f"{label}: the {what} lists no article URLs on this site")
        return
    pacer = Pacer(settings.fetch_delay)
    seen: set[str] = set()
    for n, article_url in enumerate(urls):
        if n >= settings.max_records:
            yield InputRecord(label, "failed", f"{label}: stopped after {n:,} URLs: max_records reached")
            return
        if article_url in seen:
            continue
        seen.add(article_url)
        yield fetch_or_record(article_url, article_url, settings, pacer, public_only=not private)


def _trafilatura_config(settings: Settings, *, allow_private: bool) -> Any:
    """trafilatura's download settings with storyline's limits: timeout, size cap; its SSRF guard (no connection to
    a non-public address) stays on unless the listing the user named is itself on such an address."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "DOWNLOAD_TIMEOUT", str(max(1, round(settings.fetch_timeout))))
    config.set("DEFAULT", "MAX_FILE_SIZE", str(settings.max_input_bytes))
    config.set("DEFAULT", "SLEEP_TIME", str(settings.fetch_delay))
    config.set("DEFAULT", "SSRF_PROTECTION", "off" if allow_private else "on")
    return config


def _non_public_address(url: str) -> str | None:
    """The first loopback, private, link-local or otherwise non-global address ``url``'s host resolves to, else
    None (also None when it does not resolve: the fetch then says so)."""
    host = urlsplit(url).hostname
    if not host:
        return None
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        addr = str(info[4][0]).split("%", 1)[0]
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            continue
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if not ip.is_global:
            return addr
    return None


def _fetch(url: str, settings: Settings) -> RawDocument:
    """GET ``url`` with the input limits: ``fetch_timeout`` for the whole download (not only between bytes, so a
    server that drips a byte a second cannot hold the run) and ``max_input_bytes``."""
    import httpx

    deadline = time.monotonic() + settings.fetch_timeout
    try:
        with httpx.stream("GET", url, timeout=settings.fetch_timeout, follow_redirects=True,
                          headers={"User-Agent": "storyline/0.1 (+news analysis)"}) as resp:
            if resp.status_code >= 400:
                raise InputError(url, f"HTTP {resp.status_code}", "check the URL or save the page to a file")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > settings.max_input_bytes:
                raise InputError(url, f"response of {int(declared):,} bytes is larger than {settings.max_input_bytes:,}",
                                 "raise max_input_bytes")
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > settings.max_input_bytes:
                    raise InputError(url, f"response larger than {settings.max_input_bytes:,} bytes", "raise max_input_bytes")
                if time.monotonic() > deadline:
                    raise InputError(url, f"download took longer than fetch_timeout={settings.fetch_timeout:g} s",
                                     "raise fetch_timeout (STORYLINE_FETCH_TIMEOUT) or save the page to a file")
                chunks.append(chunk)
            ctype = resp.headers.get("content-type", "")
    except httpx.HTTPError as exc:
        raise InputError(url, f"fetch failed ({exc.__class__.__name__}: {exc})", "check the URL and network, or save the page to a file") from exc
    data = b"".join(chunks)
    kind = "html" if "html" in ctype else ("text" if "text/plain" in ctype else sniff_kind(data))
    return RawDocument(url, data, kind, url=url)
