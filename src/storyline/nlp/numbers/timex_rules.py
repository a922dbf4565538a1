"""The recognisers of the time engine: one compiled pattern and one builder per kind of expression.

A builder turns a match into a ``Hit`` (TimeML type, granularity, calendar period, or a duration/set/reference
value) against a reference date; ``timex.resolve_times`` runs them in order (earlier rules win overlaps), resolves in
text order (so "a year earlier" can follow the quarter the article is about) and against both ends of inferred bounds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ...lang.en import months
from .number_words import word_to_int
from .timex_values import (
    PARTS_OF_DAY,
    SEASONS,
    add_months,
    duration_value,
    month_end,
    quarter_span,
    safe_date,
    season_span,
    week_start,
)

# Capitalised only: "may" and "march" are also verbs.
MONTH = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
         r"Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day|\.)?"
WEEKDAY_FULL = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_ORD = r"(?:st|nd|rd|th)?"
_HOLIDAYS = {
    "new year's day": (1, 1), "new year's eve": (12, 31), "christmas day": (12, 25), "christmas eve": (12, 24),
    "christmas": (12, 25), "valentine's day": (2, 14), "halloween": (10, 31), "independence day": (7, 4),
}
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_SMALL = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
          r"seventeen|eighteen|nineteen)")
_WORDNUM = rf"(?:{_TENS}(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|{_SMALL}|(?:a|one)\s+hundred)"
NUM = (rf"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|{_WORDNUM}(?:\s+and\s+a\s+half)?|an?(?:\s+and\s+a\s+half)?|a\s+few|few|"
       r"several|a\s+couple\s+of|a\s+couple|many|some|a\s+dozen|dozens\s+of|hundreds\s+of)")
UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century|centuries|millenni(?:um|a))"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}
_TZ = r"(?:\s*\(?(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST|local\s+time|Zulu|[A-Z][a-z]+\s+time)\)?)?"
_DIR_WORDS = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0, "current": 0,
              "following": 1}


@dataclass(slots=True)
class Ctx:
    ref: date
    d: int                      # -1 past clause, +1 future clause, 0 unclear
    last_quarter: str | None    # value of the last quarter the text named ("1989-Q3")
    prev_tag: str               # Penn tag of the token before the match ("" at the start)
    last_date: str | None = None    # value of the last absolute date the text named ("1988", "1998-10-23")


@dataclass(slots=True)
class Hit:
    type: str                   # DATE | TIME | DURATION | SET
    value: str | None = None    # set directly for durations, sets and references
    lo: date | None = None      # calendar period (DATE, TIME)
    hi: date | None = None
    gran: str | None = None     # day | week | weekend | month | quarter | half | season:XX | year | decade | ...
    relative: bool = True       # depends on the reference date
    mod: str | None = None


Builder = Callable[[re.Match[str], Ctx], "Hit | None"]


def month_no(text: str) -> int:
    return months()[text.lower()[:3]]


def _num(text: str | None) -> float | None:
    """'three' → 3, '2 1/2' → 2.5, 'a couple of' → 2, vague words ('several', 'a few') → None."""
    if not text:
        return None
    t = re.sub(r"\s+", " ", text.lower()).strip()
    if t in ("a few", "few", "several", "many", "some", "dozens of", "hundreds of"):
        return None
    half = t.endswith("and a half")
    t = t.replace(" and a half", "")
    if t in ("a couple of", "a couple"):
        return 2
    if t == "a dozen":
        return 12
    frac = re.fullmatch(r"(\d+)\s+(\d)/(\d)", t)
    if frac:
        return int(frac[1]) + int(frac[2]) / int(frac[3])
    try:
        v: float | None = float(t)
    except ValueError:
        v = word_to_int(t)
    return None if v is None else v + (0.5 if half else 0)


PAST_WINDOW_DAYS = 300     # a past clause reaches this far back for a year-less date ('was last seen Nov. 3' in May)
FUTURE_WEIGHT = 1.5         # with the tense unclear, a year-less date ahead must be this much nearer than behind


def pick_year(ref: date, month: int, day: int | None, direction: int) -> int:
    """Year for a year-less date. News style leaves the year out for dates of the current year, so the reference's
    year, unless the clause's tense points the other way: a past clause reaches back ``PAST_WINDOW_DAYS`` ('was
    last seen Nov. 3' written in May), a future one forward six months; when the tense is unclear, the nearest
    reading, a date ahead counting ``FUTURE_WEIGHT`` times its distance (news reports what happened)."""
    def cand(y: int) -> date:
        return safe_date(y, month, day or 1) or date(y, month, 28)
    y = ref.year
    this = cand(y)
    slack = timedelta(days=1 if day else 0)
    if direction < 0 and this > ref + slack and (ref - cand(y - 1)).days <= PAST_WINDOW_DAYS:
        return y - 1
    if direction > 0 and this < ref - slack and (cand(y + 1) - ref).days <= 183:
        return y + 1
    if direction == 0:
        return min((y - 1, y, y + 1),
                   key=lambda k: abs((cand(k) - ref).days) * (FUTURE_WEIGHT if cand(k) > ref else 1))
    return y


def _day(x: date | None, relative: bool = True) -> Hit | None:
    return Hit("DATE", lo=x, hi=x, gran="day", relative=relative) if x else None


def _month(y: int, m: int, relative: bool = True) -> Hit:
    return Hit("DATE", lo=date(y, m, 1), hi=month_end(y, m), gran="month", relative=relative)


def _year(y: int, relative: bool = True) -> Hit:
    return Hit("DATE", lo=date(y, 1, 1), hi=date(y, 12, 31), gran="year", relative=relative)


def _week(monday: date, weekend: bool = False) -> Hit:
    if weekend:
        return Hit("DATE", lo=monday + timedelta(days=5), hi=monday + timedelta(days=6), gran="weekend")
    return Hit("DATE", lo=monday, hi=monday + timedelta(days=6), gran="week")


def _quarter(y: int, q: int, relative: bool = True) -> Hit:
    lo, hi = quarter_span(y, q)
    return Hit("DATE", lo=lo, hi=hi, gran="quarter", relative=relative)


def _weekday_date(name: str, rel: str, ref: date, d: int) -> date:
    wd = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(name.lower()[:3]))
    back = (ref.weekday() - wd) % 7
    if rel in ("last", "past"):
        back = back or 7
    elif rel in ("next", "coming") or (d > 0 and rel != "this") or (d == 0 and not rel and 0 < (wd - ref.weekday()) % 7 < 3):
        fwd = (wd - ref.weekday()) % 7 or (7 if rel == "next" else 0)
        return ref + timedelta(days=fwd)
    return ref - timedelta(days=back)


def _clock(hh: int, mm: int | None, ampm: str | None) -> str | None:
    ap = (ampm or "").lower().replace(".", "").replace(" ", "")
    if ap.startswith("p") and hh < 12:
        hh += 12
    elif ap.startswith("a") and hh == 12:
        hh = 0
    if not (0 <= hh <= 24 and 0 <= (mm or 0) < 60):
        return None
    return f"{hh:02d}:{mm or 0:02d}"


# --- builders --------------------------------------------------------------------------------------------------

def b_iso(m: re.Match[str], c: Ctx) -> Hit | None:
    return _day(safe_date(int(m["y"]), int(m["m"]), int(m["d"])), relative=False)


def b_numeric(m: re.Match[str], c: Ctx) -> Hit | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    y = y + (2000 if y < 50 else 1900) if y < 100 else y
    mo, dd = (a, b) if a <= 12 else (b, a)       # US order unless impossible
    return _day(safe_date(y, mo, dd), relative=False)


def b_mdy(m: re.Match[str], c: Ctx) -> Hit | None:
    return _day(safe_date(int(m["y"]), month_no(m["mon"]), int(m["d"])), relative=False)


def b_md(m: re.Match[str], c: Ctx) -> Hit | None:
    mo, dd = month_no(m["mon"]), int(m["d"])
    if not 1 <= dd <= 31:
        return None
    return _day(safe_date(pick_year(c.ref, mo, dd, c.d), mo, dd))


def b_my(m: re.Match[str], c: Ctx) -> Hit | None:
    return _month(int(m["y"]), month_no(m["mon"]), relative=False)


def b_mon(m: re.Match[str], c: Ctx) -> Hit | None:
    mo, ref = month_no(m["mon"]), c.ref
    rel = (m["rel"] or "").lower()
    yr = (m["yr"] or "").lower()
    if yr:
        y = ref.year + (-1 if "last" in yr else 1 if "next" in yr else 0)
    elif rel == "last":
        y = ref.year if mo < ref.month else ref.year - 1
    elif rel == "next":
        y = ref.year if mo > ref.month else ref.year + 1
    elif rel == "this":
        y = ref.year
    elif (m["ed"] or "").lower().startswith("earlier"):
        y = ref.year if mo <= ref.month else ref.year - 1
    else:
        y = pick_year(ref, mo, None, c.d)
    return _month(y, mo)


def b_year(m: re.Match[str], c: Ctx) -> Hit | None:
    return _year(int(m["y"]), relative=False)


def b_spoken_year(m: re.Match[str], c: Ctx) -> Hit | None:
    if m["two"]:
        return _year(2000, relative=False)
    hi = 19 if m["cent"].lower() == "nineteen" else 20
    lo = word_to_int(m["rest"].replace("-", " "))
    if lo is None or not 0 <= lo < 100:
        return None
    return _year(hi * 100 + lo, relative=False)


def b_decade(m: re.Match[str], c: Ctx) -> Hit | None:
    if m["y"]:
        y = int(m["y"])
    else:
        words = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80, "nineties": 90}
        two = int(m["yy"]) if m["yy"] else words[m["w"].lower()]
        y = 1900 + two if 1900 + two <= c.ref.year else 1800 + two
    return Hit("DATE", lo=date(y, 1, 1), hi=date(y + 9, 12, 31), gran="decade", relative=not m["y"])


def b_century(m: re.Match[str], c: Ctx) -> Hit | None:
    n = int(m["n"])
    if not 1 <= n <= 30:
        return None
    return Hit("DATE", lo=date(max(1, (n - 1) * 100), 1, 1), hi=date((n - 1) * 100 + 99, 12, 31), gran="century",
               relative=False)


def b_weekday(m: re.Match[str], c: Ctx) -> Hit | None:
    x = _weekday_date(m["wd"], (m["rel"] or "").lower(), c.ref, c.d)
    pod = (m["pod"] or "").lower()
    if pod:
        return Hit("TIME", lo=x, hi=x, gran="time:" + PARTS_OF_DAY[pod])
    return _day(x)


def b_week_of(m: re.Match[str], c: Ctx) -> Hit | None:
    """'the week of March 6': the week holding that day."""
    mo, dd = month_no(m["mon"]), int(m["d"])
    x = safe_date(int(m["y"]) if m["y"] else pick_year(c.ref, mo, dd, c.d), mo, dd)
    if x is None:
        return None
    h = _week(week_start(x))
    h.relative = not m["y"]
    return h


def b_day_beside(m: re.Match[str], c: Ctx) -> Hit | None:
    """'the day before yesterday', 'the day after tomorrow', 'the day before last Tuesday'."""
    w = m["wd"].lower()
    if w in ("yesterday", "tomorrow"):
        x = c.ref + timedelta(days=-1 if w == "yesterday" else 1)
    else:
        x = _weekday_date(w, (m["rel"] or "").lower(), c.ref, c.d)
    return _day(x + timedelta(days=-1 if m["dir"].lower() == "before" else 1))


def b_deictic(m: re.Match[str], c: Ctx) -> Hit | None:
    w = re.sub(r"\s+", " ", m[0].lower())
    x = c.ref
    if "yesterday" in w or w.startswith("last night"):
        x = c.ref - timedelta(days=1)
    elif "tomorrow" in w:
        x = c.ref + timedelta(days=1)
    pod = next((k for k in PARTS_OF_DAY if k in w.split()[-1]), None) if w != "tonight" else None
    if w.startswith("last night"):
        pod = "night"
    if pod:
        return Hit("TIME", lo=x, hi=x, gran="time:" + PARTS_OF_DAY[pod])
    return _day(x)


def b_clock(m: re.Match[str], c: Ctx) -> Hit | None:
    """'10 p.m.', '7:15 p.m. EST', '1425 local time', 'noon Thursday', '5 p.m. EST Nov. 9', '4 in the morning'."""
    if m["word"]:
        t = "12:00" if m["word"].lower() in ("noon", "midday") else "24:00"
    elif m["mil"]:
        hh, mm = int(m["mil"][:2]), int(m["mil"][2:])
        t = _clock(hh, mm, None) or ""
    elif m["h24"]:
        t = _clock(int(m["h24"]), int(m["m24"]), None) or ""
    elif m["hp"]:               # '4 in the morning', '9 o'clock at night'
        t = _clock(int(m["hp"]), int(m["mp"]) if m["mp"] else None, "am" if "morning" in m["pd"] else "pm") or ""
    else:
        t = _clock(int(m["h"]), int(m["mi"]) if m["mi"] else None, m["ap"]) or ""
    if not t:
        return None
    x, relative = c.ref, True
    if m["wd2"]:
        x = _weekday_date(m["wd2"], "", c.ref, c.d)
    elif m["mon2"]:
        mo, dd = month_no(m["mon2"]), int(m["d2"])
        x = safe_date(pick_year(c.ref, mo, dd, c.d), mo, dd) or c.ref
    elif m["rel2"]:
        w = m["rel2"].lower()
        x = c.ref - timedelta(days=1) if w == "yesterday" else c.ref + timedelta(days=1) if w == "tomorrow" else x
    return Hit("TIME", lo=x, hi=x, gran="time:" + t, relative=relative)


def b_period(m: re.Match[str], c: Ctx) -> Hit | None:
    """'last week', 'this month', 'next year', 'the past year', 'the coming weekend', 'this summer'."""
    rel, unit = m["rel"].lower().split()[-1], m["unit"].lower()
    step = _DIR_WORDS[rel]
    ref = c.ref
    if unit in SEASONS:
        code = SEASONS[unit]
        over = ref > season_span(ref.year, code)[1]          # this year's season already over
        started = ref >= season_span(ref.year, code)[0]
        y = ref.year if (step < 0 and over) or step == 0 else ref.year - 1 if step < 0 else \
            ref.year + (1 if started else 0)
        lo, hi = season_span(y, code)
        return Hit("DATE", lo=lo, hi=hi, gran="season:" + code)
    if unit in ("week", "weekend"):
        return _week(week_start(ref) + timedelta(weeks=step), unit == "weekend")
    if unit == "month":
        x = add_months(ref, step)
        return _month(x.year, x.month)
    if unit == "quarter":
        q = (ref.month - 1) // 3 + step
        y, q = ref.year + q // 4, q % 4 + 1
        return _quarter(y, q)
    if unit == "year":
        return _year(ref.year + step)
    return None


def b_season(m: re.Match[str], c: Ctx) -> Hit | None:
    """'the summer', 'summer of 1994', 'the winter of nineteen ninety-four' (year given or the reference's)."""
    code = SEASONS[m["s"].lower()]
    if m["y"]:
        lo, hi = season_span(int(m["y"]), code)
        return Hit("DATE", lo=lo, hi=hi, gran="season:" + code, relative=False)
    lo, hi = season_span(c.ref.year, code)
    return Hit("DATE", lo=lo, hi=hi, gran="season:" + code)


def b_quarter(m: re.Match[str], c: Ctx) -> Hit | None:
    q = _ORDINALS[m["q"].lower()]
    y_txt = m["y"] or m["y2"]
    if y_txt:
        return _quarter(int(y_txt), q, relative=False)
    rel = (m["rel"] or "").lower()
    ref = c.ref
    if rel.startswith("year-"):
        y = int(c.last_quarter[:4]) if c.last_quarter else ref.year
        return _quarter(y - 1, q)
    if rel.startswith("last year"):
        return _quarter(ref.year - 1, q)
    if rel.startswith("next year"):
        return _quarter(ref.year + 1, q)
    if rel.startswith("this year"):
        return _quarter(ref.year, q)
    cur = (ref.month - 1) // 3 + 1
    y = ref.year if q <= cur + (1 if c.d >= 0 else 0) else ref.year - 1
    return _quarter(y, q)


def b_half(m: re.Match[str], c: Ctx) -> Hit | None:
    h = 1 if m["h"].lower() == "first" else 2
    y = int(m["y"]) if m["y"] else c.ref.year
    lo = date(y, 1 if h == 1 else 7, 1)
    return Hit("DATE", lo=lo, hi=month_end(y, 6 if h == 1 else 12), gran="half", relative=not m["y"])


def b_this_quarter(m: re.Match[str], c: Ctx) -> Hit | None:
    """'the quarter', 'the latest quarter': the quarter the text spoke of last, else the last finished one; 'the 1988
    quarter': that quarter in 1988."""
    if m["y"]:
        return _quarter(int(m["y"]), int(c.last_quarter[-1])) if c.last_quarter else _year(int(m["y"]), False)
    if "current" in m[0].lower():               # 'the current quarter': the one the article is written in
        return _quarter(c.ref.year, (c.ref.month - 1) // 3 + 1)
    if c.last_quarter:
        y, q = int(c.last_quarter[:4]), int(c.last_quarter[-1])
        return _quarter(y, q)
    q = (c.ref.month - 1) // 3
    return _quarter(c.ref.year if q else c.ref.year - 1, q or 4)


def b_anaphoric(m: re.Match[str], c: Ctx) -> Hit | None:
    """'that year', 'the following month', 'the same day': the last date the text named, stepped; nothing without."""
    if not c.last_date:
        return None
    unit, w = m["unit"].lower(), m[0].lower()
    step = 1 if ("following" in w or "next" in w) else -1 if any(k in w for k in ("previous", "preceding", "prior")) \
        else 0
    v = c.last_date
    if unit == "year":
        return _year(int(v[:4]) + step)
    if unit == "month" and len(v) >= 7:
        x = add_months(date(int(v[:4]), int(v[5:7]), 1), step)
        return _month(x.year, x.month)
    if unit == "day" and len(v) >= 10:
        return _day(date.fromisoformat(v[:10]) + timedelta(days=step))
    return None


def b_year_ago(m: re.Match[str], c: Ctx) -> Hit | None:
    """'a year ago', 'a year earlier', 'year-earlier', 'the year-ago quarter': a year before; in an article about a
    quarter, that quarter a year before."""
    if c.last_quarter:
        y, q = int(c.last_quarter[:4]), int(c.last_quarter[-1])
        return _quarter(y - 1, q)
    return _year(c.ref.year - 1)


def b_ago(m: re.Match[str], c: Ctx) -> Hit | None:
    """'two years ago' → the year, 'five months ago' → the month, 'six weeks ago' → the week, 'three days later'."""
    n = _num(m["n"])
    unit = m["unit"].lower().rstrip("s")
    if m["dir"].lower() in ("later", "earlier") and unit not in ("year", "decade", "century", "quarter"):
        # 'three days later', 'a day earlier': TimeML marks the length; 'later' is the signal of a relation to
        # an event, not a date the text names ('a year earlier' in results season is the compared period)
        return Hit("DURATION", value=duration_value(n, unit), relative=False)
    if n is None:
        return Hit("DATE", value="FUTURE_REF" if m["dir"].lower() in ("later", "from now") else "PAST_REF",
                   relative=False)
    sign = 1 if m["dir"].lower() in ("later", "from now", "hence") else -1
    n_i = int(n)
    ref = c.ref
    if unit in ("day", "night"):
        return _day(ref + timedelta(days=sign * n_i))
    if unit == "week":
        return _week(week_start(ref + timedelta(weeks=sign * n_i)))
    if unit == "month":
        x = add_months(ref, sign * n_i)
        return _month(x.year, x.month)
    if unit in ("hour", "minute"):
        return _day(ref)
    years = n_i * {"year": 1, "decade": 10, "century": 100}.get(unit, 1)
    if unit == "quarter":
        x = add_months(ref, sign * 3 * n_i)
        return _quarter(x.year, (x.month - 1) // 3 + 1)
    return _year(ref.year + sign * years)


def b_weekend(m: re.Match[str], c: Ctx) -> Hit | None:
    """'the weekend': the one before the reference (the coming one in a future clause)."""
    mon = week_start(c.ref)
    if c.d > 0 and c.ref.weekday() < 5:
        return _week(mon, weekend=True)
    return _week(mon if c.ref.weekday() >= 5 else mon - timedelta(weeks=1), weekend=True)


def b_duration(m: re.Match[str], c: Ctx) -> Hit | None:
    n = _num(m["n"])
    unit = m["unit"]
    n_txt = m["n"].lower().strip()
    if unit.lower() in ("quarter", "second") and (n_txt in ("a", "an") or m[0].lower().endswith("quarters")
                                                  and "-" in m[0]):
        return None             # 'a quarter of', 'three-quarters', 'a second time'
    if m["n"] and m["n"].lower().strip() in ("a", "an") and c.prev_tag in ("CD", "NN", "NNS", "$", "NNP", "SYM") \
            and not m["pre"]:
        return Hit("SET", value=duration_value(1, unit), relative=False)       # '$5 a year', 'twice a week'
    return Hit("DURATION", value=duration_value(n, unit), relative=False)


def b_unit_span(m: re.Match[str], c: Ctx) -> Hit | None:
    """'over the past decade', 'the next century': one unit's length, like 'the past three years'."""
    return Hit("DURATION", value=duration_value(1, m["unit"]), relative=False)


def b_vague_duration(m: re.Match[str], c: Ctx) -> Hit | None:
    """'recent years', 'the next few days', 'for months', 'decades': a vague duration."""
    return Hit("DURATION", value=duration_value(None, m["unit"]), relative=False)


def b_long(m: re.Match[str], c: Ctx) -> Hit | None:
    """'a day-long meeting' (one day), 'a decades-long battle' (an unspecified number of decades)."""
    return Hit("DURATION", value=duration_value(None if m["pl"] else 1, m["unit"]), relative=False)


def b_set(m: re.Match[str], c: Ctx) -> Hit | None:
    w = m[0].lower()
    if m["wd"]:
        wd = next(i for i, x in enumerate(_WEEKDAYS) if x.startswith(m["wd"].lower()[:3])) + 1
        return Hit("SET", value=f"XXXX-WXX-{wd}", relative=False)
    if m["mon"]:
        return Hit("SET", value=f"XXXX-{month_no(m['mon']):02d}", relative=False)
    if m["seas"]:
        return Hit("SET", value="XXXX-" + SEASONS[m["seas"].lower()], relative=False)
    if "season" in w:
        return Hit("SET", value="P3M", relative=False)
    adverbs = {"hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
               "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y"}
    if m["adv"]:
        return Hit("SET", value=adverbs[m["adv"].lower()], relative=False)
    n = _num(m["n"]) if m["n"] else 1
    return Hit("SET", value=duration_value(n or 1, m["unit"]), relative=False)


def b_ref(m: re.Match[str], c: Ctx) -> Hit | None:
    w = m[0].lower()
    if any(k in w for k in ("now", "current", "present", "these days", "moment", "nowadays")):
        v = "PRESENT_REF"
    elif "future" in w or "term" in w or "soon" in w:
        v = "FUTURE_REF"
    else:
        v = "PAST_REF"
    return Hit("DATE", value=v, relative=False)


def b_holiday(m: re.Match[str], c: Ctx) -> Hit | None:
    key = re.sub(r"\s+", " ", m["h"].lower().replace("’", "'"))
    if key.startswith("thanksgiving"):          # the fourth Thursday of November
        y = c.ref.year if c.ref.month >= 11 or c.d > 0 else c.ref.year - 1
        first = date(y, 11, 1)
        return _day(first + timedelta(days=(3 - first.weekday()) % 7 + 21))
    if key == "election day":                   # US: the Tuesday after the first Monday of November
        def election(y: int) -> date:
            first = date(y, 11, 2)
            return first + timedelta(days=(1 - first.weekday()) % 7)
        x = election(c.ref.year)
        if c.d > 0 and x < c.ref:
            x = election(c.ref.year + 1)
        elif c.d <= 0 and x > c.ref:
            x = election(c.ref.year - 1)
        return _day(x)
    mo, dd = _HOLIDAYS[key]
    return _day(date(pick_year(c.ref, mo, dd, c.d if c.d else -1), mo, dd))


def b_end_of(m: re.Match[str], c: Ctx) -> Hit | None:
    """'the end of the year', 'the beginning of next month' (the part goes on the interval, not the value)."""
    rel, unit = (m["rel"] or "this").lower(), m["unit"].lower()
    step = {"last": -1, "previous": -1, "next": 1, "this": 0, "the": 0}[rel]
    if unit == "year":
        return _year(c.ref.year + step)
    if unit == "week":
        return _week(week_start(c.ref) + timedelta(weeks=step))
    x = add_months(c.ref, step)
    return _month(x.year, x.month)


def b_fiscal(m: re.Match[str], c: Ctx) -> Hit | None:
    y = int(m["y"]) if len(m["y"]) == 4 else 2000 + int(m["y"]) if int(m["y"]) < 50 else 1900 + int(m["y"])
    return _year(y, relative=False)


def b_year_rel(m: re.Match[str], c: Ctx) -> Hit | None:
    """'the current fiscal year', 'fiscal this year', 'earlier this year', 'later this month'."""
    unit = (m.groupdict().get("unit") or "year").lower()
    if "end" in m[0].lower():
        return _month(c.ref.year, 12)
    if unit == "month":
        return _month(c.ref.year, c.ref.month)
    if unit == "week":
        return _week(week_start(c.ref))
    return _year(c.ref.year)
