"""Article body and metadata from one HTML page.

The body comes from trafilatura 2.x in precision mode with comments off: on the article-extraction benchmark's
dev pages this beats trafilatura's defaults (which keep reader comments and more page furniture) — see
``benchmarks/bench_extraction.py``. When trafilatura finds nothing or very little, we fall back in order to its
recall mode, its baseline extractor, and finally the page's whole visible text, and say which one produced the
text. Everything the page held that did not make it into the body is listed in ``removed`` with a reason
(``html_removed``). The publication date comes from ``storyline.meta.html_dates`` with its evidence.

The page is parsed once, defensively (``meta.html_parse``: depth flattening, size cap), and that one tree serves
every reader in turn: metadata, dates (htmldate) and genre hints first; then the page's text blocks for the
removed list are read; then ``<script>``/``<style>``/``<meta>``/``<link>`` are dropped (JSON-LD kept) and the
trimmed tree goes to trafilatura, which copies it before modifying anything. trafilatura runs in fast mode
first and in its full cascade only when that finds little (see ``_extract_body``); throughput of the whole
``storyline extract`` path against ``trafilatura.extract`` is measured by ``benchmarks/bench_extraction.py``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from storyline.config import Settings
from storyline.errors import InputError
from storyline.meta.html_dates import find_published_date_in_tree
from storyline.meta.html_parse import parse_html, strip_inert
from storyline.model import Removed

from .html_removed import iter_blocks, removed_blocks

LOG = logging.getLogger(__name__)

MIN_BODY_CHARS = 250        # below this a precision-mode result is treated as a likely miss and fallbacks run
FAST_MIN_SHARE = 0.1        # a fast-mode body under this share of the page's visible text gets the full cascade
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WS = re.compile(r"[ \t\u00a0]+")


@dataclass(slots=True)
class HtmlResult:
    text: str                                   # article body; paragraphs separated by "\n\n"; no title
    title: str | None = None
    author: str | None = None
    outlet: str | None = None                   # og:site_name / publisher / URL host
    description: str | None = None
    published: date | None = None
    published_basis: str = ""
    genre_hints: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    url: str | None = None                      # canonical URL when the page states one
    method: str = ""                            # which extractor produced ``text``
    language: str | None = None


def _source(url: str | None) -> str:
    return url or "<html>"


def _check_input(html: str, url: str | None) -> None:
    if not isinstance(html, str):
        raise InputError(_source(url), f"expected decoded HTML text, got {type(html).__name__}",
                         "decode the bytes first (ingest.decode)")
    if not html.strip():
        raise InputError(_source(url), "the HTML page is empty", "check the file or the fetch")
    head = html[:4096]
    if len(_CONTROL.findall(head)) > 0.1 * len(head):
        raise InputError(_source(url), "the content looks binary, not HTML", "check the file type")


def _paragraphs(text: str) -> list[str]:
    return [p for p in (_WS.sub(" ", line).strip() for line in text.splitlines()) if p]


def _trafilatura_body(tree: HtmlElement, url: str | None, mode: str) -> str:
    import trafilatura

    kwargs: dict[str, Any] = {"precision": {"favor_precision": True},
                              "precision-fast": {"favor_precision": True, "fast": True},
                              "recall": {"favor_recall": True}}.get(mode, {})
    try:
        doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=True,
                                          with_metadata=False, **kwargs)
    except Exception as exc:   # trafilatura is robust; a hostile page still must not stop the run
        LOG.debug("trafilatura (%s) failed on %s: %s", mode, url, exc)
        return ""
    return (getattr(doc, "text", None) or "") if doc is not None else ""


def _baseline_body(tree: HtmlElement) -> str:
    from trafilatura import baseline

    try:
        _, text, _ = baseline(tree)
    except Exception as exc:
        LOG.debug("trafilatura baseline failed: %s", exc)
        return ""
    return text or ""


def _extract_body(tree: HtmlElement, url: str | None,
                  blocks: list[tuple[HtmlElement, str]] | None = None) -> tuple[str, str]:
    """Body text and the name of the method that produced it (``blocks``: the page's text blocks, for the
    last-resort whole-page text).

    trafilatura's full cascade asks readability and jusText for a second opinion on every page, which is half
    its cost, yet that opinion only wins where trafilatura's own rules found little. So its fast mode runs
    first, and the full cascade only when the result is short or a small share of the page's text
    (``FAST_MIN_SHARE``). On 382 benchmark pages this gives the full cascade's text on 378 (the other four
    differ by under a third in length) at about 60 % of the cost.
    """
    if blocks is None:
        blocks = list(iter_blocks(tree))
    text = _trafilatura_body(tree, url, "precision-fast")
    page_chars = sum(len(t) for _, t in blocks)
    if len(text) < MIN_BODY_CHARS or len(text) < FAST_MIN_SHARE * page_chars:
        text = _trafilatura_body(tree, url, "precision")
    if len(text) >= MIN_BODY_CHARS:
        return text, "trafilatura (precision)"
    best, how = text, "trafilatura (precision)"
    for name, fn in (("trafilatura (recall)", lambda: _trafilatura_body(tree, url, "recall")),
                     ("trafilatura baseline", lambda: _baseline_body(tree))):
        candidate = fn()
        if len(candidate) > max(len(best), 0) * 1.5 and len(candidate) > len(best) + 50:
            best, how = candidate, name
        if len(best) >= MIN_BODY_CHARS:
            return best, how
    if not best.strip():
        return "\n".join(text for _, text in blocks), "whole visible page text (no article body could be isolated)"
    return best, how


def _metadata(tree: HtmlElement, url: str | None):
    """trafilatura's metadata readers (meta tags, JSON-LD, title/author/sitename heuristics), minus its date
    search, which we do ourselves with evidence."""
    from trafilatura.metadata import (
        Document,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    try:
        meta = examine_meta(tree)
    except Exception as exc:
        LOG.debug("meta tags unreadable: %s", exc)
        meta = Document()
    if meta.author and " " not in meta.author:
        meta.author = None   # single tokens are usually handles or site names
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:
        LOG.debug("JSON-LD unreadable: %s", exc)
    # trafilatura's own author heuristic scans the page with dozens of XPaths (~20 ms a page); a byline
    # element read first is as good on news pages and an order of magnitude cheaper
    if not meta.author:
        meta.author = _byline_author(tree)
    for attr, fn in (("title", extract_title), ("sitename", extract_sitename)):
        if not getattr(meta, attr, None):
            try:
                setattr(meta, attr, fn(tree))
            except Exception as exc:
                LOG.debug("%s heuristic failed: %s", attr, exc)
    if not meta.url:
        try:
            meta.url = extract_url(tree, url)
        except Exception:
            meta.url = url
    return meta


_BYLINE_XPATH = ('(//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or '
                 'contains(@class, "author-name") or contains(@class, "article-author")])[position() <= 5]')
_BY = re.compile(r"^(?:by|von|par|por|door|di)\s+", re.I)


def _byline_author(tree: HtmlElement) -> str | None:
    """First byline-looking element holding a plausible name ("By Jane Doe" -> "Jane Doe")."""
    for el in tree.xpath(_BYLINE_XPATH):
        text = " ".join(el.text_content().split())
        text = _BY.sub("", text).strip(" ,|-–")
        words = text.split()
        if 2 <= len(words) <= 6 and len(text) <= 60 and not any(ch.isdigit() for ch in text):
            return text
    return None


def _outlet(sitename: str | None, url: str | None) -> str | None:
    if sitename:
        name = sitename.strip().lstrip("@")
        if name:
            return name
    host = urlsplit(url).hostname if url else None
    if not host:
        return None
    host = re.sub(r"^(?:www\d?|m|amp|edition|mobile)\.", "", host)
    return host


_GENRE_URL = re.compile(r"/(opinions?|op-?eds?|editorials?|commentary|comment|columns?|columnists?|analysis|"
                        r"blogs?|letters|press-?releases?|pressemitteilung\w*|news|politics|business|world|"
                        r"features?|reviews?|sponsored|partner-?content|fact-?check\w*)(?=/|$|[-_])", re.I)


def _genre_hints(tree: HtmlElement, url: str | None) -> list[str]:
    """Signals a genre classifier can weigh: declared page type, section, JSON-LD @type, URL section."""
    hints: list[str] = []

    def add(h: str) -> None:
        if h not in hints and len(hints) < 20:
            hints.append(h)

    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or "").lower()
        val = (el.get("content") or "").strip()
        if not val:
            continue
        if key == "og:type":
            add(f"og:type={val.lower()[:40]}")
        elif key in ("article:section", "section", "parsely-section", "sailthru.section", "article.section"):
            add(f"section={val.lower()[:60]}")
        elif key in ("article:opinion", "opinion") and val.lower() in ("true", "1", "yes"):
            add("opinion=true")
        elif key in ("genre", "article:genre", "dc.type", "article.type", "parsely-type"):
            add(f"genre={val.lower()[:60]}")
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        for t in re.findall(r'"@type"\s*:\s*"([A-Za-z]+)"', (script.text or "")[:20000]):
            if any(k in t for k in ("Article", "Posting", "Opinion", "Review", "Report", "Press", "Analysis",
                                    "Satire", "Backgrounder")):
                add(f"json-ld @type={t}")
    if url:
        for m in _GENRE_URL.finditer(urlsplit(url).path or ""):
            add(f"url-section={m.group(1).lower()}")
    return hints


def _drop_title(paragraphs: list[str], title: str | None) -> tuple[list[str], list[Removed]]:
    """The headline is metadata, not body text: drop it when the extractor repeated it first."""
    if not title or not paragraphs:
        return paragraphs, []
    norm = re.sub(r"\W+", " ", title).strip().lower()
    first = re.sub(r"\W+", " ", paragraphs[0]).strip().lower()
    if first and (first == norm or (len(first) > 15 and norm.startswith(first))):
        return paragraphs[1:], [Removed(paragraphs[0], "headline (kept as the title, not body text)")]
    return paragraphs, []


def extract_html(html: str, url: str | None, settings: Settings) -> HtmlResult:
    """Article body, metadata and the list of what was removed, from one HTML page.

    Raises ``InputError`` for input that is not usable HTML (empty, binary, no parseable markup).
    """
    _check_input(html, url)
    parsed = parse_html(html, max_depth=settings.max_html_depth, max_chars=settings.max_input_bytes)
    if parsed is None:
        raise InputError(_source(url), "no HTML markup could be parsed", "check that the file is an HTML page")
    tree = parsed.tree
    notes = [Removed("", f"HTML repaired before parsing: {n}") for n in parsed.notes]

    meta = _metadata(tree, url)
    page_url = url or meta.url
    extensive = bool(settings.extra.get("html_date_extensive", True))
    published, basis = find_published_date_in_tree(tree, page_url, extensive=extensive, html=html)

    genre_hints = _genre_hints(tree, page_url)
    # the page's text blocks are read before the tree is trimmed, so the removed list sees the page as it was
    blocks = list(iter_blocks(tree))
    # everything that reads <meta>/<script> has run: drop them before trafilatura copies the tree around
    strip_inert(tree)

    body, method = _extract_body(tree, page_url, blocks)
    paragraphs, dropped_title = _drop_title(_paragraphs(body), meta.title)
    text = "\n\n".join(paragraphs)
    dropped = [r for r in removed_blocks(blocks, text, meta.title)
              if not (dropped_title and r.reason.startswith("headline") and r.text == dropped_title[0].text)]
    removed = notes + dropped_title + dropped
    if method.startswith("whole visible"):
        removed.insert(0, Removed("", "no article body could be isolated: the whole visible page text was kept"))

    return HtmlResult(
        text=text,
        title=(meta.title or None),
        author=(meta.author or None),
        outlet=_outlet(meta.sitename, page_url),
        description=(meta.description or None),
        published=published,
        published_basis=basis,
        genre_hints=genre_hints,
        removed=removed,
        url=meta.url or url,
        method=method,
        language=(tree.get("lang") or None),
    )
