"""RawDocument → Article: decode, clean, and settle metadata, each value with the evidence it stands on."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..config import Settings
from ..errors import InputError
from ..meta.bounds import infer_bounds
from ..meta.genre import classify_genre
from ..meta.language import UNDETERMINED, detect_language, normalise_code
from ..meta.outlets import outlet_from_dateline, outlet_from_footer, outlet_from_host
from ..model import Article, Evidence, InputRecord, RawDocument, Removed, content_id
from .decode import decode_and_normalise, decode_bytes, normalise_text
from .filters import filter_reason
from .text_clean import clean_text
from .text_dates import date_from_url


def _parse_hint_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def build_article(raw: RawDocument, settings: Settings) -> Article:
    """Raises InputError when nothing usable is left; the caller records it and goes on."""
    html_meta = None
    removed: list[Removed] = []
    encoding = None
    if raw.kind == "html":
        from .html_extract import extract_html

        html = raw.content
        if isinstance(html, bytes):
            html, encoding = decode_bytes(html, raw.source)
        html_meta = extract_html(html, raw.url, settings)
        text, repairs = normalise_text(html_meta.text or "")
        removed.extend(html_meta.removed)
        removed.extend(repairs)
        if not text.strip():
            raise InputError(raw.source, "no article text found in the HTML", "check that the page is an article, not an index or login page")
    else:
        decoded = decode_and_normalise(raw.content, raw.source)
        text, encoding = decoded.text, decoded.encoding
        removed.extend(decoded.repairs)
    cleaned = clean_text(text)
    removed.extend(cleaned.removed)
    body = cleaned.text
    if len(body) > settings.max_text_chars:
        removed.append(Removed(body[settings.max_text_chars:settings.max_text_chars + 200] + "…",
                               f"text beyond max_text_chars={settings.max_text_chars:,} truncated"))
        body = body[: settings.max_text_chars]
    if not body.strip():
        raise InputError(raw.source, "nothing left after removing page furniture", "check the input holds article text")

    evidence: list[Evidence] = []
    hints = raw.hints
    url = raw.url or hints.get("url")

    title = hints.get("title") or (html_meta.title if html_meta else None) or cleaned.title
    if title:
        title_basis = "record field" if hints.get("title") else ("HTML metadata" if html_meta and html_meta.title else "first line, headline-shaped")
        evidence.append(Evidence("title", title, title_basis))

    published: date | None = None
    basis: str | None = None
    if hints.get("published") and (d := _parse_hint_date(hints["published"])):
        published, basis = d, f"record field {hints.get('published_field', 'published')!r}"
    elif html_meta and html_meta.published:
        published, basis = html_meta.published, html_meta.published_basis
    elif cleaned.date_lines:
        line, iso = cleaned.date_lines[0]
        published, basis = date.fromisoformat(iso), f"date line in text: {line!r}"
    elif (d := date_from_url(url)) is not None:
        published, basis = d, f"date in URL path: {url}"
    bounds = None
    if published is None:
        inferred = infer_bounds(body)
        if inferred:
            bounds = (inferred.earliest, inferred.latest)
            basis = inferred.basis
    else:
        evidence.append(Evidence("published", published.isoformat(), basis or ""))

    outlet, outlet_basis = None, None
    dateline = outlet_from_dateline(body)
    footer = next((r for line in cleaned.footer_lines if (r := outlet_from_footer(line))), None)
    if hints.get("outlet"):
        outlet, outlet_basis = hints["outlet"], "record field 'outlet'"
    elif html_meta and html_meta.outlet:
        outlet, outlet_basis = html_meta.outlet, "HTML metadata (site name / publisher)"
    elif footer:
        outlet, outlet_basis = footer
    elif dateline:
        outlet, outlet_basis = dateline
    elif url and (name := outlet_from_host(url)):
        outlet, outlet_basis = name, f"URL host {url}"
    if outlet:
        evidence.append(Evidence("outlet", outlet, outlet_basis or ""))

    author = hints.get("author") or (html_meta.author if html_meta else None) or (cleaned.bylines[0] if cleaned.bylines else None)
    if author:
        evidence.append(Evidence("author", author, "record field" if hints.get("author") else "byline"))
    contributed = any(r.reason.startswith("byline") and r.text.lower().startswith("contributed by") for r in removed)
    genre, genre_why = classify_genre(
        body, contributed=contributed, has_comments=cleaned.had_comments, has_dateline=dateline is not None,
        hints=html_meta.genre_hints if html_meta else None)
    evidence.append(Evidence("genre", genre, "; ".join(genre_why)))
    language, language_basis = detect_language(body)
    if language is None and (given := normalise_code(hints.get("language", ""))):
        language, language_basis = given, f"record field 'language' ({language_basis})"
    evidence.append(Evidence("language", language or UNDETERMINED, language_basis))

    return Article(
        id=content_id("art", body), source=raw.source, text=body, title=title, outlet=outlet, url=url,
        published=published, published_bounds=bounds, published_basis=basis, author=author, genre=genre,
        removed=removed, evidence=evidence, encoding=encoding,
    )


def build_or_fail(doc: Any, settings: Settings) -> Article | InputRecord:
    """The Article, or the failed InputRecord that says why there is none (shared by the local and Dask ingest)."""
    try:
        art = build_article(doc, settings)
        reason = filter_reason(art, settings)
        return InputRecord(doc.source, "skipped", reason) if reason else art
    except InputError as err:
        return InputRecord(doc.source, "failed", str(err))
    except Exception as exc:  # noqa: BLE001 - an unexpected parser failure on hostile input must not end the run
        return InputRecord(doc.source, "failed", f"{doc.source}: could not be processed ({exc.__class__.__name__}: {exc}); please report it")
