"""Time expressions normalised against the publication date (or the inferred bounds).

Why own rules and not ``dateparser``: news text needs the *reporting* reading of relative expressions ("on
Thursday" is the Thursday before publication, "in July" the last July unless the clause speaks of the future),
and dateparser is both slow and blind to the clause's tense. Each recogniser below turns a match into an interval
``(lo, hi)`` computed from a reference date; the same function run on the two ends of the bounds gives the interval
an undated article can honestly claim.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import TimeRef
from .doc_cache import doc_text
from .number_words import word_to_int

if TYPE_CHECKING:
    from spacy.tokens import Doc

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
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
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|a couple of)"
_UNIT = r"(?:day|week|month|year|decade)s?"
_FUTURE_GOVERNORS = {"plan", "intend", "expect", "schedule", "set", "due", "aim", "prepare", "hope", "vow", "pledge",
                     "promise", "go", "want", "seek", "agree", "decide", "threaten"}


@dataclass(slots=True)
class _Span:
    lo: date
    hi: date
    mod: str | None = None          # since | by | until | before | after | offset | approx
    relative: bool = True           # depends on the reference date


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month(y: int, m: int) -> _Span:
    return _Span(date(y, m, 1), _month_end(y, m))


def _year(y: int) -> _Span:
    return _Span(date(y, 1, 1), date(y, 12, 31))


def _add_months(d: date, n: int) -> date:
    m0 = d.year * 12 + d.month - 1 + n
    y, m = divmod(m0, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _month_no(text: str) -> int:
    return _MONTHS[text.lower()[:3]]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _pick_year(ref: date, month: int, day: int | None, direction: int) -> int:
    """Year for a year-less date: the last one on/before ``ref`` (past), the next one (future), or the nearest."""
    def cand(y: int) -> date:
        return _safe_date(y, month, day or 1) or date(y, month, 28)
    this = cand(ref.year)
    past = ref.year if (this <= ref if day else month <= ref.month) else ref.year - 1
    future = ref.year if (this >= ref if day else month >= ref.month) else ref.year + 1
    if direction < 0:
        return past
    if direction > 0:
        return future
    dp, df = abs((ref - cand(past)).days), abs((cand(future) - ref).days)
    return past if dp <= df else future


# --- recognisers: (pattern, builder(match, ref, direction) -> _Span | None) ------------------------------------

def _iso(m: re.Match, ref: date, d: int) -> _Span | None:
    x = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _Span(x, x, relative=False) if x else None


def _numeric(m: re.Match, ref: date, d: int) -> _Span | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    y = y + 2000 if y < 100 else y
    mo, dd = (a, b) if a <= 12 else (b, a)       # US order unless impossible
    x = _safe_date(y, mo, dd)
    return _Span(x, x, relative=False) if x else None


def _mdy(m: re.Match, ref: date, d: int) -> _Span | None:
    x = _safe_date(int(m["y"]), _month_no(m["mon"]), int(m["d"]))
    return _Span(x, x, relative=False) if x else None


def _md(m: re.Match, ref: date, d: int) -> _Span | None:
    mo, dd = _month_no(m["mon"]), int(m["d"])
    if not 1 <= dd <= 31:
        return None
    x = _safe_date(_pick_year(ref, mo, dd, d), mo, dd)
    return _Span(x, x) if x else None


def _my(m: re.Match, ref: date, d: int) -> _Span | None:
    s = _month(int(m["y"]), _month_no(m["mon"]))
    s.relative = False
    return s


def _mon(m: re.Match, ref: date, d: int) -> _Span | None:
    mo = _month_no(m["mon"])
    rel = (m["rel"] or "").lower()
    if rel == "last":
        y = ref.year if mo < ref.month else ref.year - 1
    elif rel == "next":
        y = ref.year if mo > ref.month else ref.year + 1
    elif rel == "this":
        y = ref.year
    elif (m["ed"] or "").lower().startswith("earlier"):
        y = ref.year if mo <= ref.month else ref.year - 1
    else:
        y = _pick_year(ref, mo, None, d)
    return _month(y, mo)


def _year_m(m: re.Match, ref: date, d: int) -> _Span | None:
    y = int(m["y"][:4])
    if m["dec"]:
        return _Span(date(y, 1, 1), date(y + 9, 12, 31), relative=False)
    s = _year(y)
    s.relative = False
    return s


def _weekday(m: re.Match, ref: date, d: int) -> _Span | None:
    wd = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(m["wd"].lower()[:3]))
    rel = (m["rel"] or "").lower()
    back = (ref.weekday() - wd) % 7
    if rel in ("last", "past"):
        back = back or 7
    elif rel in ("next", "coming") or (d > 0 and rel != "this"):
        fwd = (wd - ref.weekday()) % 7 or (7 if rel == "next" else 0)
        x = ref + timedelta(days=fwd)
        return _Span(x, x)
    x = ref - timedelta(days=back)
    return _Span(x, x)


def _deictic(m: re.Match, ref: date, d: int) -> _Span | None:
    w = m[0].lower()
    if "yesterday" in w or w == "last night":
        x = ref - timedelta(days=1)
    elif "tomorrow" in w:
        x = ref + timedelta(days=1)
    else:
        x = ref
    return _Span(x, x)


def _period(m: re.Match, ref: date, d: int) -> _Span | None:
    rel, unit = m["rel"].lower(), m["unit"].lower()
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0, "current": 0}[rel.split()[-1]]
    if unit == "week" or unit == "weekend":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        return _Span(monday + timedelta(days=5 if unit == "weekend" else 0), monday + timedelta(days=6))
    if unit == "month":
        x = _add_months(ref, step)
        return _month(x.year, x.month)
    if unit == "year":
        return _year(ref.year + step)
    return None


def _ago(m: re.Match, ref: date, d: int) -> _Span | None:
    n = word_to_int(m["n"]) or 1
    unit, dirw = m["unit"].lower().rstrip("s"), m["dir"].lower()
    sign = 1 if dirw in ("later", "from now") else -1
    if unit == "day":
        x = ref + timedelta(days=sign * n)
        return _Span(x, x, mod="approx" if "few" in m["n"] or "several" in m["n"] else None)
    if unit == "week":
        x = ref + timedelta(weeks=sign * n)
        return _Span(x - timedelta(days=3), x + timedelta(days=3), mod="approx")
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    x = _add_months(ref, sign * months)
    if unit == "month":
        return _month(x.year, x.month)
    return _Span(date(x.year, x.month, 1), _month_end(x.year, x.month), mod="approx")


def _past_n(m: re.Match, ref: date, d: int) -> _Span | None:
    """'over the past three years' → (three years before the reference, the reference)."""
    n = word_to_int(m["n"]) or 1
    unit = m["unit"].lower().rstrip("s")
    if unit == "hour":
        return _Span(ref - timedelta(days=max(1, n // 24)), ref, mod="since")
    if unit in ("day", "week"):
        return _Span(ref - timedelta(days=n * (7 if unit == "week" else 1)), ref, mod="since")
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    return _Span(_add_months(ref, -months), ref, mod="since")


def _holiday(m: re.Match, ref: date, d: int) -> _Span | None:
    key = re.sub(r"\s+", " ", m["h"].lower().replace("’", "'"))
    mo, dd = _HOLIDAYS[key]
    x = date(_pick_year(ref, mo, dd, d if d else -1), mo, dd)
    return _Span(x, x)


def _end_of_period(m: re.Match, ref: date, d: int) -> _Span | None:
    part, rel, unit = m["part"].lower(), (m["rel"] or "this").lower(), m["unit"].lower()
    step = {"last": -1, "previous": -1, "next": 1, "this": 0, "the": 0}[rel]
    if unit == "year":
        y = ref.year + step
        return _month(y, 12) if part == "end" else _month(y, 1)
    x = _add_months(ref, step)
    lo, hi = date(x.year, x.month, 1), _month_end(x.year, x.month)
    return _Span(hi - timedelta(days=9), hi) if part == "end" else _Span(lo, lo + timedelta(days=9))


_BOUND = r"(?<![\w-])"
_RECOGNISERS: list[tuple[re.Pattern[str], Callable[[re.Match, date, int], _Span | None]]] = [
    (re.compile(_BOUND + r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"), _iso),
    (re.compile(_BOUND + r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)?\d\d)(?![\d/])"), _numeric),
    (re.compile(_BOUND + r"(?:" + WEEKDAY + r",?\s+)?(?P<mon>" + MONTH + r")\s+(?P<d>\d{1,2})" + _ORD
                + r",?\s+(?P<y>(?:19|20)\d\d)\b"), _mdy),
    (re.compile(_BOUND + r"(?:" + WEEKDAY + r",?\s+)?(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<mon>" + MONTH
                + r"),?\s+(?P<y>(?:19|20)\d\d)\b"), _mdy),
    (re.compile(_BOUND + r"(?:" + WEEKDAY + r",?\s+)?(?P<mon>" + MONTH + r")\s+(?P<d>\d{1,2})" + _ORD
                + r"(?![\d,.]\d)(?!\w)"), _md),
    (re.compile(_BOUND + r"(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<mon>" + MONTH + r")(?!\w)"), _md),
    (re.compile(_BOUND + r"(?:(?:early|mid|late)[- ])?(?P<mon>" + MONTH + r"),?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b"),
     _my),
    (re.compile(r"(?:(?P<ed>[Ee]arlier|[Ll]ater)\s+in\s+|(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<mon>" + MONTH
                + r")(?![\w.]|\.\w)"), _mon),
    (re.compile(_BOUND + r"(?P<h>New Year[’']s (?:Day|Eve)|Christmas(?: Day| Eve)?|Valentine[’']s Day|Halloween"
                r"|Independence Day)\b"), _holiday),
    (re.compile(r"(?i:\bthe\s+)?(?P<part>(?i:end|beginning|start))\s+of\s+(?:(?P<rel>(?i:this|next|last|the|previous))"
                r"\s+)?(?P<unit>(?i:month|year))\b"), _end_of_period),
    (re.compile(r"(?i:\b(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>" + WEEKDAY_FULL + r")(?![\w'’])"), _weekday),
    (re.compile(r"(?i)\b(?:yesterday|today|tomorrow|tonight|last night|this (?:morning|afternoon|evening)"
                r"|right now|at present|at the moment|as of now)\b"), _deictic),
    (re.compile(r"(?i)\b(?P<rel>last|past|previous|next|coming|this|current|earlier this|later this)\s+"
                r"(?P<unit>week(?:end)?|month|year)\b"), _period),
    (re.compile(r"(?i)\b(?P<n>" + _NUM + r")\s+(?P<unit>" + _UNIT + r")\s+(?P<dir>ago|earlier|later|from now)\b"), _ago),
    (re.compile(r"(?i)\b(?:in|over|during|for|within)\s+the\s+(?:past|last|previous)\s+(?P<n>" + _NUM + r"|\d+)\s+"
                r"(?P<unit>" + _UNIT + r"|hours?)\b"), _past_n),
    (re.compile(_BOUND + r"(?:the\s+)?(?P<y>(?:1[5-9]|20)\d(?P<dec>0s)|(?:1[5-9]|20)\d\d)(?![\w,.]\d|[\w-])"), _year_m),
]
_OFFSET = re.compile(r"(?i)\b(?P<n>" + _NUM + r")\s+(?P<unit>" + _UNIT + r")\s+(?P<dir>after|before|later|earlier)\b")
_PREFIX = re.compile(r"(?i)(?P<mod>since|by|until|till|through|before|after|as of|from|ahead of)\s+"
                     r"(?:(?P<part>the\s+(?:end|beginning|start|middle)\s+of|(?:early|late|mid)[- ]?)\s*)?$")
_PART_ONLY = re.compile(r"(?i)(?P<part>the\s+(?:end|beginning|start|middle)\s+of|(?:early|late|mid)[- ]?)\s*$")
_MONTH_CONTEXT = re.compile(r"(?i)(?:\b(?:in|since|by|until|till|through|before|after|of|from|during|early|late|"
                            r"end|start|beginning)\s+|\bmid-)$")
_YEAR_CONTEXT = re.compile(r"(?i)(?:\b(?:in|since|by|until|till|through|before|after|of|from|during|year|early|late|"
                           r"mid|summer|spring|autumn|fall|winter|fiscal|and|to|between|or)\s+|-|–|\bmid-)$")


def _apply_part(s: _Span, part: str | None) -> _Span:
    """'the end of 2021' → its last month; 'early 2020' → its first quarter, ..."""
    if not part or s.lo == s.hi:
        return s
    p = part.lower()
    span_days = (s.hi - s.lo).days
    if span_days > 40:      # a year (or decade): work in months
        if "end" in p or "late" in p:
            lo = date(s.hi.year, 12 if "end" in p else 9, 1)
            return _Span(lo, s.hi, s.mod, s.relative)
        if "beginning" in p or "start" in p or "early" in p:
            return _Span(s.lo, _month_end(s.lo.year, 1 if "early" not in p else 3), s.mod, s.relative)
        return _Span(date(s.lo.year, 5, 1), _month_end(s.lo.year, 8), s.mod, s.relative)
    if "end" in p or "late" in p:
        return _Span(max(s.lo, s.hi - timedelta(days=9)), s.hi, s.mod, s.relative)
    if "mid" in p:
        return _Span(s.lo + timedelta(days=10), s.lo + timedelta(days=19), s.mod, s.relative)
    return _Span(s.lo, s.lo + timedelta(days=9), s.mod, s.relative)


def _iso_prefix(lo: date, hi: date) -> tuple[str | None, str | None]:
    """The most precise ISO value both ends share, with its precision."""
    if lo == hi:
        return lo.isoformat(), "day"
    if (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}", "month"
    if lo.year == hi.year:
        return f"{lo.year:04d}", "year"
    return None, None


def _whole_unit(lo: date, hi: date) -> bool:
    """True when (lo, hi) is exactly one day, one calendar month or one calendar year: no interval needed."""
    if lo == hi:
        return True
    if lo.day == 1 and hi == _month_end(lo.year, lo.month):
        return True
    return lo == date(lo.year, 1, 1) and hi == date(lo.year, 12, 31)


def _direction(doc: Doc, start: int) -> int:
    """-1 when the clause is past (reporting), +1 when it speaks of the future, 0 when unclear."""
    tok = doc.char_span(start, start + 1, alignment_mode="expand")
    if tok is None or len(tok) == 0:
        return 0
    t = tok[0]
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            break
        t = t.head
    chain = [t]
    while chain[-1].dep_ in ("xcomp", "ccomp", "acl", "advcl") and len(chain) < 4 and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    for v in chain:
        for c in v.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in ("will", "'ll", "shall", "wo"):
                return 1
        if v.lemma_ in _FUTURE_GOVERNORS and v.i != t.i and v.tag_ != "VBD" and v.lemma_ != "agree":
            return 1
        if v.tag_ in ("VBD", "VBN") or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in v.children):
            return -1
    return 0 if t.tag_ in ("VB", "VBG") else -1


def _year_ok(doc: Doc, m: re.Match, text: str) -> bool:
    """A bare four-digit number is a year only in date context: 'in 2014', 'since 2020', spaCy DATE, '2014-2015'."""
    if m["dec"]:
        return True
    span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    if _YEAR_CONTEXT.search(text[max(0, m.start() - 16):m.start()]) and not (
            tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS")):
        return True
    if tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS") and tok.head.lemma_ not in ("year", "month"):
        return False        # "2000 troops"
    if tok.ent_type_ == "DATE":
        return True
    return tok.head.lower_ in ("in", "since", "until", "by", "of") or tok.dep_ in ("npadvmod", "poss")


def resolve_times(doc: Doc, anchor: date | None, bounds: tuple[date, date] | None) -> list[TimeRef]:
    """All time expressions of ``doc``, normalised.

    ``anchor`` is the publication date; when it is unknown, ``bounds`` (earliest, latest) stand in and relative
    expressions get the interval they could cover; with neither, relative expressions keep value None.
    """
    text = doc_text(doc)
    taken: list[tuple[int, int]] = []
    refs: list[TimeRef] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pat, build in _RECOGNISERS:
        for m in pat.finditer(text):
            a, b = m.start(), m.end()
            if not free(a, b) or (build is _year_m and not _year_ok(doc, m, text)):
                continue
            if build is _mon and not (m["ed"] or m["rel"] or _MONTH_CONTEXT.search(text[max(0, a - 12):a])):
                continue
            a, mod, part = _extend_left(text, a)
            ref = _resolve(build, m, doc, anchor, bounds, mod, part, a)
            if ref is None:
                continue
            taken.append((a, b))
            refs.append(ref)
    for m in _OFFSET.finditer(text):
        if free(m.start(), m.end()):
            ref = _offset(doc, m, refs, anchor, bounds)
            if ref is not None:
                taken.append((m.start(), m.end()))
                refs.append(ref)
    refs.sort(key=lambda r: (r.start, r.end))
    return refs


def _extend_left(text: str, a: int) -> tuple[int, str | None, str | None]:
    before = text[max(0, a - 40):a]
    pm = _PREFIX.search(before)
    if pm:
        return a - (len(before) - pm.start()), pm["mod"].lower(), pm["part"]
    pp = _PART_ONLY.search(before)
    if pp:
        return a - (len(before) - pp.start()), None, pp["part"]
    return a, None, None


def _resolve(build: Callable[[re.Match, date, int], _Span | None], m: re.Match, doc: Doc, anchor: date | None,
             bounds: tuple[date, date] | None, mod: str | None, part: str | None, a: int) -> TimeRef | None:
    direction = -1 if mod in ("since", "after", "from", "as of") else _direction(doc, m.start())
    refs_dates = [anchor] if anchor else (list(bounds) if bounds else [date(2000, 1, 1)])
    spans = []
    for r in refs_dates:
        s = build(m, r, direction)
        if s is None:
            return None
        spans.append(_apply_part(s, part))
    relative = spans[0].relative
    lo, hi = min(s.lo for s in spans), max(s.hi for s in spans)
    smod = {"ahead of": "before", "till": "until"}.get(mod or "", mod) or spans[0].mod
    if not relative:
        how = "absolute"
    elif anchor:
        how = "published"
    elif bounds:
        how = "bounds"
    else:
        return TimeRef(a, m.end(), doc_text(doc)[a:m.end()], None, None, None, None, smod)
    value, precision = _iso_prefix(lo, hi)
    interval = None if _whole_unit(lo, hi) and how != "bounds" else (lo.isoformat(), hi.isoformat())
    if smod == "since" and (anchor or bounds):
        end = anchor or bounds[1]          # type: ignore[index]
        interval = (lo.isoformat(), max(end, hi).isoformat())
    return TimeRef(a, m.end(), doc_text(doc)[a:m.end()], value, precision, how, interval, smod)


def _offset(doc: Doc, m: re.Match, refs: list[TimeRef], anchor: date | None,
            bounds: tuple[date, date] | None) -> TimeRef | None:
    """'four years after <event>': the other event lies N units before the clause's own time (or the anchor)."""
    n = word_to_int(m["n"]) or 1
    unit = m["unit"].lower().rstrip("s")
    sign = -1 if m["dir"].lower() in ("after", "later") else 1
    sent = doc.char_span(m.start(), m.end(), alignment_mode="expand")
    base: date | None = None
    if sent is not None:
        s = sent.sent
        near = [r for r in refs if s.start_char <= r.start < s.end_char and r.precision == "day" and r.value]
        if near:
            base = date.fromisoformat(min(near, key=lambda r: abs(r.start - m.start())).value)  # type: ignore[arg-type]
    how = "published"
    if base is None:
        if anchor is None:
            return None
        base = anchor
    months = n * {"day": 0, "week": 0, "month": 1, "year": 12, "decade": 120}[unit]
    if months:
        x = _add_months(base, sign * months)
        return TimeRef(m.start(), m.end(), m[0], f"{x.year:04d}-{x.month:02d}", "month", how, None, "offset")
    x = base + timedelta(days=sign * n * (7 if unit == "week" else 1))
    return TimeRef(m.start(), m.end(), m[0], x.isoformat(), "day", how, None, "offset")
