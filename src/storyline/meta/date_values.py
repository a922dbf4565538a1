"""Reading a calendar day out of the strings pages use for dates: ISO and slashed forms, day-first forms, compact
stamps, Unix timestamps, month names in htmldate's languages, and dates in URL paths. Only a full, plausible day
counts (between the web's first news pages and tomorrow); the time of day and any time zone are ignored, so a
timestamp gives the day the outlet printed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..lang.en import months

# English month names and abbreviations, for the text-date patterns (``ingest.text_dates``) and ``bounds``: the
# one month table (``lang/en/months.tsv``), shared with the time expressions (``nlp.numbers.timex_rules``).
MONTHS = months()

EARLIEST = date(1995, 1, 1)   # before this no news page was on the web

_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-([01]?\d)-([0-3]?\d)(?!\d)")
_SLASH_YMD = re.compile(r"(?<!\d)((?:19|20)\d\d)[/.]([01]?\d)[/.]([0-3]?\d)(?!\d)")
_DMY = re.compile(r"(?<!\d)([0-3]?\d)[./-]([01]?\d)[./-]((?:19|20)\d\d)(?!\d)")
_COMPACT = re.compile(r"^((?:19|20)\d\d)([01]\d)([0-3]\d)(?:T?\d{4,6}|\d{4,6}Z?)?$")
_URL_DATE = re.compile(
    r"(?<![0-9])((?:19|20)\d\d)[/_.-]([01]?\d)[/_.-]([0-3]?\d)(?=[/_.-]|$|[^0-9])"
)
_URL_COMPACT = re.compile(r"[/_-]((?:19|20)\d\d)([01]\d)([0-3]\d)(?=[/_.-]|$)")


def _valid(y: int, m: int, d: int, latest: date) -> date | None:
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    return value if EARLIEST <= value <= latest else None


def parse_date_text(text: str | None, latest: date | None = None) -> date | None:
    """Read a machine or human date expression; None when it does not state a full, plausible day.

    The date part is read literally (no time-zone conversion): "2019-11-18T23:30:00-05:00" is the 18th, the
    day the outlet printed.
    """
    if not text:
        return None
    text = text.strip()[:200]
    latest = latest or _latest()
    m = _ISO_DATE.search(text) or _SLASH_YMD.search(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)), latest)
    m = _COMPACT.match(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)), latest)
    m = _DMY.search(text)
    if m:
        return _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)), latest)
    if text.isdigit() and len(text) in (10, 13):   # Unix timestamp (s or ms)
        try:
            ts = int(text) / (1000 if len(text) == 13 else 1)
            value = datetime.utcfromtimestamp(ts).date()
        except (OverflowError, OSError, ValueError):
            return None
        return value if EARLIEST <= value <= latest else None
    return _parse_words(text, latest)


def _parse_words(text: str, latest: date) -> date | None:
    """Dates with month names in any of htmldate's languages ("18 Nov. 2019", "Nov 18, 2019", "18. März 2019")."""
    if not re.search(r"(?:19|20)\d\d", text) or not re.search(r"[^\W\d_]{3,}", text):
        return None
    try:
        from htmldate.extractors import try_date_expr
    except ImportError:   # pragma: no cover - htmldate is a hard dependency
        return None
    found = try_date_expr(text, "%Y-%m-%d", False, datetime.combine(EARLIEST, datetime.min.time()),
                          datetime.combine(latest, datetime.max.time()))
    if not found:
        return None
    return _valid(int(found[:4]), int(found[5:7]), int(found[8:10]), latest)


def _latest() -> date:
    # a page cannot state a publication date in the future; one day of slack for time zones
    return date.today() + timedelta(days=1)


def url_date(url: str | None, latest: date | None = None) -> tuple[date | None, str]:
    """A full date in the URL path (/2021/04/07/, /2021-04-07-, _20210407)."""
    if not url:
        return None, ""
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I)
    latest = latest or _latest()
    for rx in (_URL_DATE, _URL_COMPACT):
        for m in rx.finditer(path):
            # "/2023/10/3-fragen-an-..." is a year/month archive path and a slug that opens with a number:
            # after "/YYYY/MM/" a day must be a path segment of its own
            if path[m.start(3) - 1] == "/" and path[m.end(3):m.end(3) + 1] not in ("", "/", ".", "?", "#", "_"):
                continue
            value = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)), latest)
            if value:
                return value, f"url {m.group(0).strip('/_-.')}"
    return None, ""


_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/([01]?\d)/")


def url_month(url: str | None) -> tuple[int, int] | None:
    """Year and month from a /YYYY/MM/ URL path (WordPress style), to check other evidence against."""
    m = _URL_MONTH.search(url or "")
    return (int(m.group(1)), int(m.group(2))) if m and 1 <= int(m.group(2)) <= 12 else None
