"""Publication date of an HTML page, with the evidence it rests on.

Only a date the document itself states counts: structured metadata (JSON-LD ``datePublished``, ``<meta>``
publication properties, ``<time>`` elements marked as the publication time), a date in the URL path, or a date
line in the page found by htmldate. Never the crawl date, an HTTP header or today's date: an article with no
stated date gets ``None`` and the caller may infer *bounds* from the content instead.

Evidence is ranked because pages routinely carry several dates (publication, update, comments, related
stories, copyright year): explicit publication markup beats a date in the URL, which beats htmldate's
heuristic reading of the page, and among markup dates the earliest plausible one wins when they disagree
(updates come after the original publication, never before).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date

from lxml.html import HtmlElement

from storyline.meta.date_values import (  # noqa: F401 - parse_date_text and url_date are part of this module's API
    EARLIEST,
    _latest,
    _valid,
    parse_date_text,
    url_date,
    url_month,
)
from storyline.meta.html_parse import parse_html

LOG = logging.getLogger(__name__)


# <meta> names/properties/itemprops that state the *original* publication time.
_META_PUBLISHED_STRONG = frozenset(
    s.lower() for s in (
        "article:published_time", "og:article:published_time", "og:published_time", "article:published",
        "datePublished", "article.published", "published_time", "publication_date", "article_date_original",
        "original-publish-date", "parsely-pub-date", "sailthru.date", "cXenseParse:recs:publishtime",
        "DC.date.issued", "dcterms.issued", "dc.date.issued", "citation_publication_date", "citation_date",
        "prism.publicationDate", "originalpublicationdate", "bt:pubDate", "pubdate", "publishdate",
        "publish-date", "publish_date", "pub_date", "date_published", "datepublished", "article_date",
        "article.created", "dcterms.created", "DC.date.created", "displaydate", "dc.date.published",
        "og:pubdate", "rnews:datePublished", "pdate", "date.release", "release_date", "vr:published_time",
    )
)
# Generic "date" metadata: usually the publication date on small sites, sometimes the last change.
_META_PUBLISHED_WEAK = frozenset(s.lower() for s in ("date", "dc.date", "dcterms.date", "DC.Date", "created",
                                                       "creation_date", "timestamp", "dateCreated"))
_JSONLD_ARTICLE_TYPES = ("article", "posting", "report", "review", "blog", "story", "webpage", "creativework",
                         "videoobject", "mediaobject", "newsarticle", "liveblogposting")

_PUBLISH_CLASS = re.compile(r"publish|posted|pubdate|entry-date|post-date|article-date|dateline|byline|"
                            r"time-stamp|timestamp|meta-date|date-header|story-date|\bdate\b", re.I)
_UPDATE_CLASS = re.compile(r"updat|modif|edited|revis|comment", re.I)


MODIFIED = 9   # rank of a declared modification day: never a publication date, used to recognise updates
_META_MODIFIED = frozenset(s.lower() for s in (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "dateModified", "dc.date.modified",
    "dcterms.modified", "last-modified", "lastmod", "article.updated", "modified_time", "updated_time"))


@dataclass(slots=True, frozen=True)
class DateEvidence:
    value: date
    basis: str
    rank: int          # 0 = strongest
    utc: bool = False  # a UTC timestamp: the outlet's local calendar day may be one off


_UTC_MARK = re.compile(r"(?:T|\s)\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]00:?00|UTC|GMT)\s*$", re.I)


def _is_utc(raw: str | None) -> bool:
    return bool(raw and _UTC_MARK.search(raw.strip()))


def _iter_jsonld(node: object, depth: int = 0):
    """Yield (object, depth) for every dict in a JSON-LD structure; ``@graph`` members and top-level list
    items count as depth 0, objects nested inside another object (reviews, comments, images) deeper."""
    if depth > 12:
        return
    if isinstance(node, dict):
        yield node, depth
        for k, v in node.items():
            if isinstance(v, (dict, list)):
                yield from _iter_jsonld(v, depth if k == "@graph" else depth + 1)
    elif isinstance(node, list):
        for v in node[:200]:
            yield from _iter_jsonld(v, depth)


def _jsonld_types(obj: dict) -> str:
    t = obj.get("@type", "")
    if isinstance(t, list):
        t = " ".join(str(x) for x in t)
    return str(t)


def _jsonld_evidence(tree: HtmlElement, latest: date) -> list[DateEvidence]:
    out: list[DateEvidence] = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if "date" not in raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            # broken JSON is common (trailing commas, HTML entities); a regex read is still evidence
            m = re.search(r'"datePublished"\s*:\s*"([^"]{6,40})"', raw)
            if m and (value := parse_date_text(m.group(1), latest)):
                out.append(DateEvidence(value, "json-ld datePublished", 1, _is_utc(m.group(1))))
            continue
        for obj, depth in _iter_jsonld(data):
            modified = obj.get("dateModified")
            if depth == 0 and isinstance(modified, str) and (value := parse_date_text(modified, latest)):
                out.append(DateEvidence(value, "modified: json-ld dateModified", MODIFIED))
            raw_value = obj.get("datePublished")
            if isinstance(raw_value, list) and raw_value:
                raw_value = raw_value[0]
            if not isinstance(raw_value, str) or (value := parse_date_text(raw_value, latest)) is None:
                continue
            types = _jsonld_types(obj)
            article_like = any(t in types.lower() for t in _JSONLD_ARTICLE_TYPES) or not types
            rank = 0 if depth == 0 and article_like else 2
            out.append(DateEvidence(value, "json-ld datePublished" + (f" ({types})" if types else ""), rank,
                                    _is_utc(raw_value)))
    return out


def _meta_evidence(tree: HtmlElement, latest: date) -> list[DateEvidence]:
    out: list[DateEvidence] = []
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip()
        k = key.lower()
        if k in _META_PUBLISHED_STRONG:
            rank = 0
        elif k in _META_PUBLISHED_WEAK:
            rank = 2
        elif k in _META_MODIFIED:
            # the declared last modification: a visible date or htmldate's pick equal to it is the update
            if value := parse_date_text(el.get("content"), latest):
                out.append(DateEvidence(value, f"modified: meta {key}", MODIFIED))
            continue
        else:
            continue
        raw = el.get("content") or el.get("datetime")
        value = parse_date_text(raw, latest)
        if value:
            out.append(DateEvidence(value, f"meta {key}", rank, _is_utc(raw)))
    return out


def _markup_evidence(tree: HtmlElement, latest: date) -> list[DateEvidence]:
    """Elements marked as the publication time: itemprop=datePublished, <time pubdate>, <time> in a byline.

    Only the first such element counts: later ones belong to teasers, related stories or comments.
    """
    out: list[DateEvidence] = []
    for el in tree.xpath('.//*[@itemprop="datePublished"][not(self::meta)]')[:1]:
        raw = el.get("datetime") or el.get("content") or el.text_content()[:100]
        if value := parse_date_text(raw, latest):
            out.append(DateEvidence(value, "itemprop datePublished", 1, _is_utc(raw)))
    for el in tree.iterfind(".//time"):
        if el.get("itemprop"):
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("id"), "pubdate" if el.get("pubdate") is not None else None)))
        parent = el.getparent()
        if parent is not None:
            marks += " " + " ".join(filter(None, (parent.get("class"), parent.get("id"))))
        if _UPDATE_CLASS.search(marks):
            continue
        raw = el.get("datetime") or el.text_content()[:100]
        value = parse_date_text(raw, latest)
        if value and (el.get("pubdate") is not None or _PUBLISH_CLASS.search(marks)
                      or _PUBLISH_LABEL.search(_text_before(el))):
            out.append(DateEvidence(value, "time[datetime] marked as publication", 1, _is_utc(raw)))
            break
    return out


# a visible label that introduces the publication date ("Erschienen am", "Published on", "Publié le")
_PUBLISH_LABEL = re.compile(r"(?:erschienen|ver[öo]ffentlicht|publiziert|published|posted|publi[ée]e?|pubblicato|"
                            r"publicado|gepubliceerd|opublikowano)(?:\s+(?:am|on|le|il|el|em|op|dnia))?\s*:?\s*$", re.I)


def _text_before(el: HtmlElement) -> str:
    """The few characters of text right before an element (its previous sibling and that one's tail, or the
    parent's leading text)."""
    prev = el.getprevious()
    if prev is not None:
        text = (prev.text_content() if isinstance(prev.tag, str) else "") + (prev.tail or "")
    else:
        parent = el.getparent()
        text = (parent.text or "") if parent is not None else ""
    return " ".join(text[-80:].split())


_SKIP_TEXT = frozenset(("script", "style", "noscript", "template", "button", "select", "option"))
_HEADLINE_WINDOW = 400     # characters of page text after the headline searched for a date line
_VISIBLE_DATE = re.compile(
    r"(?<!\d)(?:[0-3]?\d\.\s?[01]?\d\.\s?(?:19|20)\d\d|(?:19|20)\d\d-[01]\d-[0-3]\d|[0-3]?\d/[01]?\d/(?:19|20)\d\d"
    r"|[0-3]?\d\.?\s+[^\W\d_]{3,}\.?\s+(?:19|20)\d\d|[^\W\d_]{3,}\.?\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)"
)


def _in_skipped(node: str) -> bool:
    """Text inside <script>/<style>/... (an XPath text result's parent is the element it is the text *or
    the tail* of, and the tail of a <script> is visible text)."""
    parent = node.getparent()   # type: ignore[attr-defined]
    return parent is not None and not node.is_tail and parent.tag in _SKIP_TEXT   # type: ignore[attr-defined]


def _headline_date_line(tree: HtmlElement, latest: date) -> list[DateEvidence]:
    """The date a reader sees just under the headline ("Berlin, 28.10.2021", "Datum: 18.10.2021", "Nov 8, 2023").

    Searched in the page text right after the first <h1> (or, lacking one, the first <h2>), where bylines and
    date lines sit; a <time datetime> met on the way is read from its attribute.
    """
    head = _headline(tree)
    if head is None:
        return []
    seen = 0
    previous = ""
    for node in head.xpath("following::node()[position() < 400]"):
        if isinstance(node, str):
            if _in_skipped(node):
                continue
            text = " ".join(str(node).split())
            if not text:
                continue
            seen += len(text)
            if seen > _HEADLINE_WINDOW:
                break
            # a date *line*: a short text of its own ("12.01.2022", "Updated Mar 12, 2020 @ 10:42 am") or one
            # that opens a paragraph ("02.02.2022 10:16 Uhr - Bundesliga - ..."), not a
            # date inside a sentence or photo caption ("... in Geneva, March 5, 2019."), nor a member's
            # registration date in a forum
            m = _VISIBLE_DATE.search(text)
            if (m and (len(text) <= 60 or m.start() == 0) and not _AMBIGUOUS_SLASH.fullmatch(m.group(0))
                    and not _NOT_PUBLICATION.search(previous + " " + text[: m.start()])
                    and (value := parse_date_text(m.group(0), latest))):
                return [DateEvidence(value, f"date line under the headline: {text!r}", 1)]
            previous = text
        elif getattr(node, "tag", None) == "time" and node.get("datetime"):
            raw = node.get("datetime")
            if (value := parse_date_text(raw, latest)) and not _UPDATE_CLASS.search(node.get("class") or ""):
                return [DateEvidence(value, "time[datetime] under the headline", 1, _is_utc(raw))]
    return _date_line_above(head, latest)


_ABOVE_WINDOW = 120        # characters of page text just before the headline searched for a date line


def _date_line_above(head: HtmlElement, latest: date) -> list[DateEvidence]:
    """A date line right *above* the headline, where many outlets put it with the section name
    ("02.02.2022 10:16 Uhr - 1. Bundesliga", "January 19, 2020 / 12:25 PM / Updated 8 hours ago"). Only the
    nearest few text pieces count: further up sit the site header and its "today" date."""
    seen = 0
    # a position-only predicate lets libxml2 stop early; the list comes in document order, nearest last
    for node in reversed(head.xpath("preceding::text()[position() <= 12]")):
        text = " ".join(str(node).split())
        if not text or _in_skipped(node):
            continue
        seen += len(text)
        if seen > _ABOVE_WINDOW:
            break
        m = _VISIBLE_DATE.search(text)
        if (m and (len(text) <= 60 or m.start() == 0) and not _AMBIGUOUS_SLASH.fullmatch(m.group(0))
                and not _NOT_PUBLICATION.search(text[: m.start()])
                and (value := parse_date_text(m.group(0), latest))):
            return [DateEvidence(value, f"date line above the headline: {text!r}", 1)]
    return []


_NOT_PUBLICATION = re.compile(r"registriert|mitglied seit|dabei seit|joined|member since|registered|geburts|born|"
                              r"bis\s*$|until\s*$|deadline|frist", re.I)


_AMBIGUOUS_SLASH = re.compile(r"(0?[1-9]|1[0-2])/(0?[1-9]|1[0-2])/\d{4}")
_WORDS = re.compile(r"\w+")


def _headline(tree: HtmlElement) -> HtmlElement | None:
    """The article's headline element: an <h1>/<h2> whose words mostly appear in the page title.

    A first <h1> that is the site logo or a section name would put the date search in the wrong place.
    """
    title_el = tree.find(".//meta[@property='og:title']")
    title = title_el.get("content", "") if title_el is not None else ""
    if not title:
        t = tree.find(".//title")
        title = t.text_content() if t is not None else ""
    title_words = {w.lower() for w in _WORDS.findall(title)}
    if not title_words:
        return None
    for el in tree.xpath("(//body//h1)[position() <= 8] | (//body//h2)[position() <= 8]"):
        words = [w.lower() for w in _WORDS.findall(el.text_content()[:300])]
        if len(words) >= 2 and sum(w in title_words for w in words) >= 0.6 * len(words):
            return el
    return None


_RDF_DATE = re.compile(r"<rdf:Description[^>]*?\bdc:date=\"([^\"]{8,40})\"", re.S)


def rdf_comment_date(html: str, latest: date | None = None) -> DateEvidence | None:
    """Trackback RDF that old blog platforms put inside an HTML comment (``dc:date="..."``)."""
    m = _RDF_DATE.search(html[:300_000])
    value = parse_date_text(m.group(1), latest) if m else None
    return DateEvidence(value, "rdf dc:date", 1, _is_utc(m.group(1))) if m and value else None


def collect_evidence(tree: HtmlElement, url: str | None) -> list[DateEvidence]:
    """Every date the page states as its publication date, with how much we trust each, plus the declared
    modification days (rank ``MODIFIED``)."""
    latest = _latest()
    ev = (_jsonld_evidence(tree, latest) + _meta_evidence(tree, latest) + _markup_evidence(tree, latest)
          + _headline_date_line(tree, latest))
    if not url:
        link = tree.find('.//link[@rel="canonical"]')
        if link is None:
            link = tree.find('.//meta[@property="og:url"]')
        url = (link.get("href") or link.get("content")) if link is not None else None
    value, basis = url_date(url, latest)
    if value:
        ev.append(DateEvidence(value, basis, 1))
    return ev


def _htmldate(tree: HtmlElement, url: str | None, extensive: bool) -> DateEvidence | None:
    try:
        from htmldate import find_date
    except ImportError:   # pragma: no cover
        return None
    try:
        # a tree, never a string: htmldate fetches strings that look like URLs
        found = find_date(tree, extensive_search=extensive, original_date=True, url=url)
    except Exception as exc:   # htmldate is robust, but a hostile page must not take the run down
        LOG.debug("htmldate failed: %s", exc)
        return None
    value = parse_date_text(found) if found else None
    if value is None:
        return None
    return DateEvidence(value, "htmldate:" + ("extensive" if extensive else "fast"), 2)


# evidence a reader sees on the page as the article's date
_SHOWN_KINDS = frozenset(("headline", "itemprop", "time[datetime]"))
# evidence that states the outlet's own calendar day (not a machine timestamp that may be in UTC)
_LOCAL_KINDS = frozenset(("url", "headline", "itemprop", "time[datetime]"))


def _kind(e: DateEvidence) -> str:
    return e.basis.split(" ", 1)[0] if not e.basis.startswith(("date line", "time[datetime] under")) else "headline"


def decide(evidence: list[DateEvidence], base: DateEvidence | None,
           month: tuple[int, int] | None = None, page_text: str | None = None) -> tuple[date | None, str]:
    """Pick the publication date: htmldate's reading, corrected by what the page states more specifically.

    htmldate already follows a good order (URL, header metadata, JSON-LD, marked elements, free text). We
    override it only where the page says something more specific, in this order:
    * a date in the URL path is kept: newsrooms put the original publication day there;
    * the date line printed just under (or above) the headline, which is what a reader sees as the article's
      date (header metadata often keeps the first-draft date of a story that was rewritten later; a visible
      "updated" date also wins: on the dev pages the readers' labels follow it four times out of five);
    * trackback RDF in comments, which htmldate never sees;
    * the page's publication markup, when it agrees on one day and htmldate's day is written nowhere on the
      page (htmldate read it from a URL slug such as "/2023/10/3-fragen-...");
    * a publication date shown to the reader, when htmldate's day is only the declared modification day;
    * a UTC timestamp one day off a local statement of the day (time-zone shift: the outlet's day wins);
    * a bare 1 January (a year-only or placeholder value) when the page states a real day elsewhere;
    * an element explicitly marked as the publication date when htmldate's day has no strong support.
    An override must agree with the year and month of a /YYYY/MM/ URL. Without an htmldate result the
    best-ranked evidence is taken.
    """

    def fits(e: DateEvidence) -> bool:
        return month is None or (e.value.year, e.value.month) == month

    modified = {e.value for e in evidence if e.rank == MODIFIED}
    evidence = [e for e in evidence if e.rank != MODIFIED]
    if base is None:
        if not evidence:
            return None, "no date stated in the page"
        best = min(evidence, key=lambda e: (e.rank, e.value, e.basis))
        return best.value, best.basis
    chosen = base
    support = [e for e in evidence if e.value == base.value]
    url_backed = any(_kind(e) == "url" for e in support)
    if not url_backed:
        headline = [e for e in evidence if _kind(e) == "headline" and fits(e)]
        rdf = [e for e in evidence if _kind(e) == "rdf" and fits(e)]
        marked = [e for e in evidence if _kind(e) in ("itemprop", "time[datetime]") and fits(e)]
        declared = {e.value for e in evidence if e.rank == 0 and fits(e)}
        published = [e for e in evidence if e.rank <= 1 and fits(e) and e.value not in modified]
        if headline and headline[0].value != base.value and not (headline[0].value.month == 1 == headline[0].value.day):
            chosen = headline[0]
        elif rdf and not support:
            chosen = rdf[0]
        elif not support and len(declared) == 1 and page_text is not None and not _states_day(page_text, base.value):
            # htmldate's day is stated nowhere on the page (it read it from a URL slug, say), and the page's
            # publication markup agrees on one day
            chosen = min((e for e in evidence if e.rank == 0 and fits(e)), key=lambda e: e.basis)
        elif base.value in modified and not support and (shown := [e for e in published if _kind(e) in _SHOWN_KINDS]):
            # htmldate took the declared modification day, which nothing states as the publication; the reader
            # is shown a publication date ("Erschienen am 26. Jan 2022")
            chosen = min(shown, key=lambda e: (e.rank, e.value, e.basis))
        elif support and all(e.utc for e in support):
            # time-zone shift: every explicit statement of the chosen day is a UTC stamp, and a local
            # statement (visible date, local offset, time without zone) names the neighbouring day
            local = [e for e in evidence if not e.utc and _kind(e) in _LOCAL_KINDS and fits(e)
                     and abs((e.value - base.value).days) == 1]
            if local:
                chosen = min(local, key=lambda e: (e.rank, e.basis))
        elif base.value.month == 1 and base.value.day == 1 and not support:
            real = [e for e in evidence if e.rank <= 1 and (e.value.month, e.value.day) != (1, 1) and fits(e)]
            if real:
                chosen = min(real, key=lambda e: (e.rank, e.value, e.basis))
        elif marked and marked[0].value != base.value and not any(e.rank <= 1 for e in support):
            chosen = marked[0]
    agree = sorted({e.basis for e in evidence if e.value == chosen.value and e is not chosen})
    return chosen.value, chosen.basis + (f" (agrees: {', '.join(agree[:3])})" if agree else "")


def find_published_date_in_tree(tree: HtmlElement, url: str | None, extensive: bool = True,
                                html: str | None = None) -> tuple[date | None, str]:
    """Like :func:`find_published_date` on an already parsed tree (left unmodified)."""
    evidence = collect_evidence(tree, url)
    if html is not None and (rdf := rdf_comment_date(html)):
        evidence.append(rdf)
    value, basis = decide(evidence, _htmldate(tree, url, extensive), url_month(url), html)
    # htmldate turns a bare year (often the copyright line) into 1 January; keep it only when the page
    # states that day in full somewhere
    if (value and value.month == 1 and value.day == 1 and basis.startswith("htmldate") and "agrees" not in basis
            and not _states_new_year(html if html is not None else " ".join(tree.itertext()), value.year)):
        return None, f"only the year {value.year} is stated (e.g. a copyright line), not a publication day"
    return value, basis


def _states_day(text: str, day: date) -> bool:
    """Whether ``text`` writes out ``day`` (ISO, day.month.year, month/day/year or with a month name)."""
    y, m, d = day.year, day.month, day.day
    if re.search(rf"{y}-0?{m}-0?{d}(?!\d)|(?<!\d)0?{d}[./]\s?0?{m}[./]\s?{y}|(?<!\d)0?{m}/0?{d}/{y}|{y}0?{m:02d}{d:02d}(?!\d)",
                 text):
        return True
    for match in _VISIBLE_DATE.finditer(text[:2_000_000]):
        if str(y) in match.group(0) and parse_date_text(match.group(0)) == day:
            return True
    return False


def _states_new_year(text: str, year: int) -> bool:
    y = str(year)
    pattern = (rf"{y}[-/.]0?1[-/.]0?1(?!\d)|(?<!\d)0?1[./-]0?1[./-]{y}|(?<!\d)1\.?\s*(?:jan\w*|janv\w*|jän\w*)\.?,?\s*{y}"
               rf"|jan\w*\.?\s*1(?:st)?,?\s*{y}|{y}0101(?!\d)")
    return re.search(pattern, text, re.I) is not None


def find_published_date(html: str, url: str | None, extensive: bool = True) -> tuple[date | None, str]:
    """The publication date the page states, and the evidence for it; ``(None, reason)`` when none is stated."""
    parsed = parse_html(html)
    if parsed is None:
        value, basis = url_date(url)
        return (value, basis) if value else (None, "no HTML to read a date from")
    return find_published_date_in_tree(parsed.tree, url, extensive, html)
