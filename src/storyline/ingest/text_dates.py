"""Dates written in text: "23 April, 2021", "Tue Jan 09 2024", "April 7th, 2021", "2021-04-07", "Published: …".

Own patterns rather than dateparser: they are exact about what they accept (a date line must *be* a date, not
merely contain a number) and fast enough to run on every line.
"""

from __future__ import annotations

import re
from datetime import date

from ..meta.date_values import MONTHS, url_date

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = r"(?:[,\s]*(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:[A-Z]{2,4}|[+-]\d\d:?\d\d|utc|gmt)?)?"
DATE_PATTERNS = [
    re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I),
    re.compile(rf"{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)"),
]
_LABEL = re.compile(r"^(published|posted|first published|date|updated|last updated|modified|created|on)\s*(on|at)?\s*[:|-]?\s*", re.I)


def _build(m: re.Match[str]) -> date | None:
    gd = m.groupdict()
    month = int(gd["mnum"]) if gd.get("mnum") else MONTHS.get(gd["month"].lower().rstrip("."))
    try:
        return date(int(gd["year"]), month, int(gd["day"])) if month else None
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """All full (day-precision) dates written in ``text`` as (start, end, date), in order."""
    found: dict[int, tuple[int, int, date]] = {}
    for pat in DATE_PATTERNS:
        for m in pat.finditer(text):
            d = _build(m)
            if d and not any(s <= m.start() < e for s, e, _ in found.values()):
                found[m.start()] = (m.start(), m.end(), d)
    return [found[k] for k in sorted(found)]


def find_date_in_line(line: str) -> str | None:
    """ISO date when the whole line is a date (optionally labelled "Published:" and with a time), else None."""
    stripped = line.strip().strip("|·•").strip()
    label = _LABEL.match(stripped)
    body = stripped[label.end():] if label else stripped
    if label and label.group(1).lower() in ("updated", "last updated", "modified"):
        return None   # an update time is not the publication date
    for start, end, d in find_dates(body):
        rest = (body[:start] + body[end:]).strip(" ,.-|")
        rest = re.sub(_TIME, "", rest, flags=re.I).strip(" ,.-|") if rest else rest
        if len(rest) <= 6:
            return d.isoformat()
    return None


def date_from_url(url: str | None) -> date | None:
    """A full date in a URL path (/YYYY/MM/DD/, /YYYY-MM-DD-, _YYYYMMDD): the one reader the HTML path uses too
    (``meta.date_values.url_date``), so "/2023/10/3-fragen-an-x" (an archive month and a slug opening with a number)
    is no date on either path."""
    return url_date(url)[0]
