"""TIMEX3 values: calendar arithmetic, value strings, and the calendar reading consumers use.

Kept free of spaCy so that the corpus stages (timeline, stories) can read stored ``times`` rows with the same rules
the engine wrote them with. ``calendar_of`` is the one way to get a calendar date out of a time expression: only DATE
and TIME expressions have one (a TIME reduced to its day), never a DURATION, a SET or a PRESENT_REF.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# A date this many years or more before the article's date is background ("founded in 1876"), not news.
HISTORIC_YEARS = 5

SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}   # winter runs into the next year
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
                "overnight": "NI", "midday": "MI", "noon": "MI"}
_CAL = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?=$|T)")
_WEEK = re.compile(r"^(\d{4})-W(\d\d)")
_PERIOD = re.compile(r"^(\d{4})-(?:Q\d|H\d|SP|SU|FA|WI)$")


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(d: date, n: int) -> date:
    m0 = d.year * 12 + d.month - 1 + n
    y, m = divmod(m0, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def quarter_span(y: int, q: int) -> tuple[date, date]:
    return date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def season_span(y: int, code: str) -> tuple[date, date]:
    a, b = _SEASON_MONTHS[code]
    end = month_end(y + 1, b - 12) if b > 12 else month_end(y, b)
    return date(y, a, 1), end


def value_of(lo: date, gran: str) -> str:
    """The TIMEX3 value of a calendar period starting at ``lo`` with granularity ``gran``."""
    if gran == "day":
        return lo.isoformat()
    if gran == "month":
        return f"{lo.year:04d}-{lo.month:02d}"
    if gran == "year":
        return f"{lo.year:04d}"
    if gran in ("week", "weekend"):
        iy, iw, _ = lo.isocalendar()
        return f"{iy:04d}-W{iw:02d}" + ("-WE" if gran == "weekend" else "")
    if gran == "quarter":
        return f"{lo.year:04d}-Q{(lo.month - 1) // 3 + 1}"
    if gran == "half":
        return f"{lo.year:04d}-H{1 if lo.month <= 6 else 2}"
    if gran.startswith("season:"):
        return f"{lo.year:04d}-{gran[7:]}"
    if gran == "decade":
        return f"{lo.year:04d}"[:3]
    if gran == "century":
        return f"{lo.year:04d}"[:2]
    if gran.startswith("time:"):
        t = gran[5:]
        return f"{lo.isoformat()}T{t}"
    raise ValueError(gran)


def precision_of(gran: str) -> str:
    """The public precision name of a granularity: 'season:SU' → 'season', 'time:14:25' → 'minute'."""
    if gran.startswith("season:"):
        return "season"
    if gran.startswith("time:"):
        t = gran[5:]
        return "minute" if ":" in t else ("part of day" if t.isalpha() else "hour")
    return gran


_UNIT_CODE = {"second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"), "night": ("", "D"),
              "week": ("", "W"), "fortnight": ("", "W"), "month": ("", "M"), "quarter": ("", "Q"), "year": ("", "Y"),
              "decade": ("", "Y"), "century": ("", "Y"), "millennium": ("", "Y")}
_UNIT_MULT = {"decade": 10, "century": 100, "millennium": 1000, "fortnight": 2}
# An unspecified number of centuries is PXC (TimeBank: 'centuries'), but of decades PXY: TimeBank writes decades in
# years ('two decades' P20Y, 'the past decade' P10Y) and AQUAINT 'decades-long' PXY.
_VAGUE_CODE = {"century": "C", "millennium": "L"}


def duration_value(n: float | None, unit: str) -> str:
    """'P3Y', 'PT4H', 'P2Y6M', 'PXD' (n None: an unspecified number of units)."""
    unit = unit.lower().rstrip("s") if unit.lower() not in ("centuries",) else "century"
    if unit == "centurie":
        unit = "century"
    if unit == "millennia":
        unit = "millennium"
    t, code = _UNIT_CODE.get(unit, ("", "X"))
    if n is None:
        return f"P{t}X{_VAGUE_CODE.get(unit, code)}"
    n = n * _UNIT_MULT.get(unit, 1)
    whole = int(n)
    frac = n - whole
    if frac and code in ("Y", "D", "H", "M") and not t and code in ("Y",):
        return f"P{whole}Y{round(frac * 12)}M"
    if frac and t and code == "H":
        return f"PT{whole}H{round(frac * 60)}M"
    if frac and t and code == "M":
        return f"PT{whole}M{round(frac * 60)}S"
    if frac and code == "D":
        return f"P{whole}DT{round(frac * 24)}H"
    return f"P{t}{whole}{code}"


def calendar_of(value: str | None, type_: str | None) -> tuple[str, str] | None:
    """(ISO date, month or year; its precision) a consumer may put on a calendar, or None.

    Only DATE and TIME have one (rows from before the ``type`` field count as DATE): a TIME gives its day, a week the
    month holding its Thursday, a quarter, half or season its year; durations, sets, PRESENT_REF/PAST_REF/FUTURE_REF,
    decades and values with unknown parts ('1998-XX') have none."""
    if not value or (type_ or "DATE") not in ("DATE", "TIME"):
        return None
    m = _CAL.match(value)
    if m:
        if m[3]:
            return value[:10], "day"
        if "T" in value[:11]:
            return None
        return (value[:7], "month") if m[2] else (value[:4], "year")
    w = _WEEK.match(value)
    if w:
        try:
            thu = date.fromisocalendar(int(w[1]), int(w[2]), 4)
        except ValueError:
            return None
        return f"{thu.year:04d}-{thu.month:02d}", "month"
    p = _PERIOD.match(value)
    if p:
        return p[1], "year"
    return None


def calendar_ref(value: str | None, type_: str | None, interval: tuple[str, str] | list[str] | None = None,
                 ) -> tuple[str, str] | None:
    """``calendar_of``, narrowed by the interval the engine stored: 'the end of 2021' (value '2021', interval in
    December) reads as '2021-12', 'last week' as its month when it lies in one, 'now' (PRESENT_REF) as the day it was
    resolved against. Durations and sets have no calendar reading, whatever their interval."""
    if (type_ or "DATE") not in ("DATE", "TIME"):
        return None
    cal = calendar_of(value, type_)
    if interval and len(interval) == 2 and interval[0] and interval[1]:
        lo, hi = interval[0], interval[1]
        if lo == hi:
            narrowed = (lo, "day")
        elif lo[:7] == hi[:7]:
            narrowed = (lo[:7], "month")
        elif lo[:4] == hi[:4]:
            narrowed = (lo[:4], "year")
        else:
            return cal
        if cal is None or len(narrowed[0]) > len(cal[0]) and narrowed[0].startswith(cal[0]):
            return narrowed
    return cal


def is_historic(cal: str | None, ref: date | None) -> bool:
    """True when a calendar value ends ``HISTORIC_YEARS`` or more years before ``ref`` (the article's date)."""
    if not cal or ref is None or not cal[:4].isdigit():
        return False
    return int(cal[:4]) <= ref.year - HISTORIC_YEARS


def claim_time_basis(anchor: str | None, value: str | None) -> str:
    """How a claim's time is known, from the time expression that dates it (its ``anchor`` and ``value``; both None
    when nothing in the claim's clause dates it): "stated" when the text names the date outright ('in March 2003',
    'on 7 April 2021'); "resolved" when a relative or partial date ('on Thursday', 'last week', 'April 9') was
    resolved against the publication date; "inferred" otherwise: no date of its own, so the article's date stands in,
    or a relative date resolved against an undated article's inferred bounds. A *_REF value ('now', 'currently') is
    the publication date itself, so it counts as resolved, never stated."""
    if anchor == "absolute" and value and not value.endswith("_REF"):
        return "stated"
    if anchor == "published" or (anchor == "absolute" and value == "PRESENT_REF"):
        return "resolved"
    return "inferred"
