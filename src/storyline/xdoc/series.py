"""Number series: the same measured thing, followed over time and across outlets.

A measure is keyed by what is counted (normalised head noun: "cases", "deaths"), the words that qualify it
("confirmed", "suspected", "new": a different measure each), rate or total ("barrels a day" is not "barrels"), unit
and place. A place comes from the number itself, else from the one place its claim names; a number with no place
joins no series (in a corpus about several countries "203 cases" alone is not a measure of anything). Each point is
dated by the number's own ``as_of`` or by its article's date.

From a series come the judgments about numbers:
- ``numeric_conflict``: two outlets give incompatible values for the same measure on the same day, neither a
  ``new``/daily figure; the later in a growing count may simply be fresher, so confidence drops when the series rises;
- ``change_over_time``: the measure's values over the weeks (one relation per series, its steps in the explanation);
- ``superseded``: the same, where the figures are estimates that were revised.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..lang import en
from ..model import content_id
from .entities import EntityIndex, place_ids
from .pair_features import normalise_counted, number_bounds
from .view import CorpusView, DocView, period

# The fact keys this stage reads, by kind of fact: the corpus view holds only declared keys (xdoc/fact_rows.py).
READS = {"claims": ("id", "start", "end", "text", "subject", "predicate", "object", "modality"),
         "quantities": ("id", "start", "end", "text", "value", "low", "high", "unit", "counted", "location", "as_of")}

MIN_POINTS = 2
_RATE = re.compile(r"^\W*(?:in\s+)?(?:a|an|per|each|every)\s+(?:(?:average|typical|normal|given)\s+)?"
                   r"(day|week|month|year|hour)\b|^\W*(daily|weekly|monthly|annually)", re.IGNORECASE)
_SHARED_RATE = re.compile(r"\b(?:a|an|per|each|every)\s+(day|week|month|year)\s+and\s+(?:about\s+|around\s+|some\s+|"
                          r"nearly\s+|almost\s+|over\s+|more\s+than\s+)?[\d,.]+\b|\bannually\s+and\b", re.IGNORECASE)
# A figure for an ordinary period ("In a normal flu season, about 36,000 people die") describes what usually
# happens, not something this story's events did: it belongs to no series of the story.
_TYPICAL = re.compile(r"\b(?:in|during|for|over)\s+an?\s+(?:normal|typical|average|ordinary|usual|regular)\s+\w+|"
                      r"\bon\s+average\b|\bin\s+an?\s+(?:normal|typical|average)\b", re.IGNORECASE)
_QUAL = re.compile(r"[a-z]+")
_ESTIMATE = re.compile(r"\bestimat|\bprojected\b|\bforecast|\bexpected\b", re.IGNORECASE)
_VAGUE = re.compile(r"\b(?:dozens|scores|hundreds|thousands|millions|billions|several|many|few)\b", re.IGNORECASE)
_PARTITIVE = re.compile(r"\b(?:\d[\d,.]*|[a-z]+)\s+(?:of|in)\s+(?:the|those|these|all|every|\d)", re.IGNORECASE)
# Counted nouns that say who, not what happened to them: "people" killed, infected or evacuated are three measures,
# so for these the measure takes the claim's predicate as well.
_WHO_NOUNS = {"people", "person", "child", "children", "adult", "resident", "civilian", "patient", "citizen",
              "individual", "passenger", "student", "pupil", "worker", "woman", "women", "man", "men", "mexican"}
_NOT_FACT = {"predicted", "possible", "planned", "demanded", "intended"}   # "could infect 25 million" is no count
_GLUED = re.compile(r"\w-[a-z]")     # "three-member council", "12-year-old": an adjective, not a count
_YEAR = re.compile(r"^\s*(?:in\s+)?(?:1[89]|20)\d\d\s*$")
# A year before a singular noun is an attribute, not a count: "the 1918 flu pandemic", "the 2004 tsunami";
# "2000 troops" (a plural) stays a count.
_YEAR_ATTRIBUTE = re.compile(r"^\s*(?:1[89]|20)\d\d\s+[A-Za-z]+(?<!s)\b")
# Units of length, time, age and the like measure where or how long, not a quantity a story follows over time
# ("53 miles" from the capital in one article and "27 miles" in another are two places, not a revision).
_NOT_FOLLOWED = set("""date year day week month hour minute second time mile kilometer kilometre km metre meter m
foot feet ft yard inch cm mm degree acre hectare square age old""".split())
# Money is followed only with what it is for: "$35m" raised by one appeal and "$66m" by another are two measures.
_CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CNY", "INR"}
OUTLIER_DAYS = 10
REPEAT_DAYS = 7            # an outlet's same statement this much later is a carried-over paragraph, not a restatement
OUTLIER_FACTOR = 8.0


@dataclass(slots=True)
class Point:
    quantity_id: str
    article_id: str
    canonical: str
    outlet: str
    when: date
    inferred: bool
    lo: float
    hi: float
    value: float
    low: float | None
    high: float | None
    text: str
    claim_ids: list[str]
    estimate: bool
    statement: str = ""          # the claim stating it, squashed: an outlet's repeat of it is the same statement
    actor: str = ""              # whose the counted things are, when the figure names them ("3,500 UN troops")


@dataclass(slots=True)
class Series:
    id: str
    measure: str                 # readable: "confirmed cases in United Kingdom"
    key: tuple[str, str, str, str, str]
    points: list[Point]

    @property
    def outlets(self) -> list[str]:
        return sorted({p.outlet for p in self.points})

    @property
    def days(self) -> list[date]:
        return sorted({p.when for p in self.points})

    @property
    def fresh(self) -> bool:
        return "new" in self.key[1].split()      # increments ("new cases"): lang/en/qualifiers.txt groups them


def _qualifiers(text: str, head: str) -> str:
    """The words that make a count a different measure, read from the figure as written ("1,004 suspected cases",
    "three more cases", "nine new cases"): those listed in ``lang/en/qualifiers.txt``; other adjectives
    ("occupying troops") describe and do not split the measure."""
    words = _QUAL.findall(text.lower())
    table = en.qualifiers()
    quals = set()
    for i, w in enumerate(words):
        if w == "more" and i + 1 < len(words) and words[i + 1] == "than":
            continue
        if w in table and not w.startswith(head[:5]):
            quals.add(table[w])
    return " ".join(sorted(quals))


def _head(q: Any) -> str | None:
    """The counted thing; a percentage is a measure only with what it is a share of ("percent of GDP")."""
    head = normalise_counted(q.get("counted"))
    if q.get("unit") == "percent" or head in ("percent", "%"):
        whole = (q.get("counted") or "").lower().partition(" of ")[2].split()
        return f"percent of {whole[-1]}" if whole else None
    return head


# A figure whose scope is many places: "21,940 cases in 69 countries, 103 of the deaths in Mexico" is no count of Mexico.
_PLACE_COUNTS = frozenset({"country", "nation", "territory"})   # counts of places: placed only by their own words
_COUNTRIES_COUNTED = re.compile(r"\b(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                                r"(?:twenty|thirty|forty|fifty|sixty|seventy)(?:-[a-z]+)?|dozens? of|several)\s+"
                                r"(?:countries|nations|territories)\b", re.IGNORECASE)
_MANY_PLACES = re.compile(r"^[\s,]*(?:(?:in|across|from|among)\s+(?:more than\s+|at least\s+|over\s+|some\s+)?"
                          r"(?:\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+(?:countries|nations|states|territories|provinces|"
                          r"regions)|worldwide|globally|around the world|across the world)\b", re.IGNORECASE)


# A count of places is followed only with what the places are counted for. "40 total cases in five US states", "226
# cases have been confirmed across 30 states" count states with cases; "banning pork imports from Mexico as well as 3
# states" counts nothing the story follows, and "12 states reporting widespread flu activity" is another measure.
_PLACE_NOUNS = _PLACE_COUNTS | {"state", "province", "region", "city", "county", "district", "town", "village"}
_HELD_BEFORE = re.compile(r"\b([a-z]+)(?:\s+of\s+[\w\s'’-]{1,40}?)?(?:\s+(?:have|has|had|were|was|are|is)(?:\s+been)?"
                          r"\s+[a-z]+(?:ed|en))?\s+(?:in|across|among)\s+(?:(?:more than|at least|over|nearly|almost|"
                          r"some|all)\s+)?$", re.IGNORECASE)
_HELD_AFTER = re.compile(r"^\s*(?:reporting|with|confirming|recording)\s+(?:[a-z-]+\s+){0,3}?([a-z-]+)"
                         r"(?=\s*(?:[,.;:]|$)|\s+(?:in|and|of|on|at|for|since|from|to|as|but|so|while)\b)", re.IGNORECASE)
_NOT_HELD = frozenset({"and", "or", "but", "than", "as", "people", "those", "them", "it", "this", "that", "which", "who",
                       "found", "seen", "reported", "located", "based", "born", "held", "made",
                       "out", "up", "down", "off", "over", "back", "place"})    # particles: "broke out in 30 cities"


def _held(q: Any, holding: list[Any]) -> str:
    """What a count of places counts them for: the noun before "in/across N places", or the one they report."""
    if not holding:
        return ""
    c = holding[0]
    text, off = c.get("text") or "", q["start"] - c["start"]
    m = _HELD_BEFORE.search(text[max(0, off - 120):off])
    word = m.group(1).lower() if m else ""
    if not m or word in _NOT_HELD:
        m = _HELD_AFTER.match(text[q["end"] - c["start"]:])
        word = m.group(1).lower() if m else ""
    return "" if not word or word in _NOT_HELD else word


_BETWEEN_BREAK = re.compile(r"\d|[;:()]|\b(?:and|but|while|whereas|after|from|to)\b", re.IGNORECASE)


def _claim_place(doc: DocView, q: Any, holding: list[Any], index: EntityIndex, places: set[str],
                 scopes: set[str]) -> str | None:
    from .align import mention_spans, resolve_place

    if q.get("location"):
        return resolve_place(q.get("location"), doc.id, index)
    if any(_MANY_PLACES.match((c.get("text") or "")[q["end"] - c["start"]:]) for c in holding):
        return None
    if holding and _COUNTRIES_COUNTED.search((holding[0].get("text") or "")[:max(0, q["start"] - holding[0]["start"])]):
        return None     # "42 countries had recorded 11,168 cases … since the outbreak was first noticed in Mexico": a
        #                 tally over the countries counted before it, not the count of the one place the clause names
    if holding:
        text = holding[0].get("text") or ""
        spans = [x for x in mention_spans(text, doc.id, index) if x[0] in places]
        if len({cid for cid, _s, _e in spans}) == 1:
            return spans[0][0]
        real = [x for x in spans if x[0] not in scopes]    # a code ("H1N1") is a scope, never the nearer place
        return _nearest_place_before(text, q["start"] - holding[0]["start"], real)
    return None


NEAREST_PLACE_CHARS = 40    # how far before its figure a place may stand to be that figure's place


def _nearest_place_before(text: str, at: int, spans: list[tuple[str, int, int]]) -> str | None:
    """In a sentence naming several places, the one standing just before the figure with no other figure and no
    clause break between: "Canada has 389 confirmed cases and Costa Rica 8 cases" gives Canada 389, Costa Rica 8."""
    before = [x for x in spans if x[2] <= at and at - x[2] <= NEAREST_PLACE_CHARS]
    if not before:
        return None
    cid, _s, end = max(before, key=lambda x: x[2])
    return None if _BETWEEN_BREAK.search(text[end:at]) else cid


def _after(q: Any, holding: list[Any]) -> tuple[str, list[str], str, str]:
    """(the words after the number, the ids of claims holding it, the holding claim's text and predicate)."""
    tail, text, pred = "", "", ""
    ids: list[str] = []
    for c in holding:
        rel = q["end"] - c["start"]
        tail = tail or (c.get("text") or "")[rel:rel + 20]
        text = text or (c.get("text") or "")
        pred = pred or (c.get("predicate") or "").lower()
        if c.get("modality") in _NOT_FACT:
            return tail, ids, text, ""
        ids.append(c["id"])
    return tail, ids, text, pred


def _own_predicate(q: Any, holding: list[Any]) -> str:
    """The predicate of a claim whose subject or object holds the figure: the figure's own verb. A figure elsewhere
    in the claim is not what its verb is about: in "Four people have died in Canada though most of the 2,978
    confirmed cases have been mild" the cases did not die, and "Australia's confirmation of more than 1,200 cases"
    is no measure of what the WHO's move "follows"."""
    text = q.get("text") or ""
    if not holding or not text:
        return ""
    c = holding[0]                  # the claim ``_after`` reads the predicate from
    if text in (c.get("subject") or "") or text in (c.get("object") or ""):
        return (c.get("predicate") or "").lower()
    return ""


def _usable(q: Any) -> bool:
    """A figure that measures something by itself: not vague ("thousands of"), not a part of another figure
    ("10 of the confirmed cases"), not a year read as a count."""
    text = q.get("text") or ""
    if _YEAR.match(text) or _YEAR_ATTRIBUTE.match(text) or _GLUED.search(text):
        return False
    if _VAGUE.search(text) and not any(ch.isdigit() for ch in text):
        return False
    return not _PARTITIVE.search(text)


BACKGROUND_GAP = timedelta(days=7)   # a figure for a month or year that ended this long before the article
FURNITURE_ARTICLES = 4     # a figure one outlet repeats word for word in this many articles is a sidebar, not news


def _furniture_key(outlet: str, q: Any) -> tuple[str, str, str]:
    # With what it counts: a figure written bare ("doubled to 59", its noun in the subject) is not the same
    # figure as another article's bare "59" of something else.
    return outlet, (q.get("text") or "").lower(), (q.get("counted") or "").lower()


def _furniture(view: CorpusView) -> set[tuple[str, str, str]]:
    """(outlet, figure as written, counted) that an outlet repeats across articles: a fact box or sidebar ("10.1%
    of GDP")."""
    seen: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for doc in view.docs:
        for q in doc.quantities():
            seen[_furniture_key(doc.outlet, q)].add(view.canonical(doc.id))
    return {k for k, arts in seen.items() if len(arts) >= FURNITURE_ARTICLES}


def build_series(view: CorpusView, index: EntityIndex) -> list[Series]:
    places = {r["id"] for r in index.records if r["type"] == "place"}
    # A code the tagger took for a place ("H1N1") still scopes a figure: "1,085 cases of H1N1 infection" in
    # 21 countries is the outbreak's own tally, so it is followed, and named as a scope rather than a place.
    scopes = places - place_ids(index)
    furniture = _furniture(view)
    actor_types = {r["id"] for r in index.records if r["type"] in ("place", "org", "group")} - scopes
    groups: dict[tuple[str, str, str, str, str], list[Point]] = defaultdict(list)
    for doc in view.docs:
        if doc.duplicate_of is not None:
            continue                            # copies count once: the canonical article carries the point
        for q in doc.quantities():
            head = _head(q)
            unit = q.get("unit") or ""
            b = number_bounds(q)
            if _furniture_key(doc.outlet, q) in furniture:
                continue
            if not head or b is None or not _usable(q) or unit in _NOT_FOLLOWED or head in _NOT_FOLLOWED:
                continue
            holding = [c for c in doc.claims() if c["start"] <= q["start"] and q["end"] <= c["end"]]
            place = _claim_place(doc, q, holding, index, places, scopes)
            if not place or (head in _PLACE_COUNTS and not q.get("location") and place not in scopes):
                continue        # "spread to 30 countries since emerging in Mexico": countries are not in Mexico
            when_p = period(q.get("as_of"))
            when = when_p[0] if when_p and when_p[0] == when_p[1] else doc.when
            if when is None:
                continue
            if when_p and when_p[0] != when_p[1] and doc.when and when_p[1] < doc.when - BACKGROUND_GAP:
                continue                        # "between 2005 and January 2009, 12 human cases": a past period's
                #                                 tally, not the count on the day the article appeared
            tail, claim_ids, ctext, pred = _after(q, holding)
            if claim_ids and not pred:
                continue                        # inside a forecast, a possibility or a plan: not a measurement
            if _TYPICAL.search(ctext):
                continue
            m = _RATE.match(tail)
            rate = (m.group(1) or m.group(2)) if m else ""
            if not rate and holding:
                # "around 200,000 hospitalisations in the US each year and about 36,000 deaths": a rate stated for
                # the figure before this one in its coordination is this figure's too.
                off = q["start"] - holding[0]["start"]
                rate = next(((m.group(1) or "year").lower() for m in _SHARED_RATE.finditer(ctext)
                             if m.start() < off <= m.end()), "")
            if head in _WHO_NOUNS or unit in _CURRENCIES:
                if not pred or pred in ("be", "have", "say"):
                    continue                    # "9 million people" alone measures nothing in particular
                head = f"{head} ({pred})"
            elif pred and (own := _own_predicate(q, holding)) and own not in en.level_verbs():
                head = f"{head} ({own})"        # "3,500 troops sent" and "2,000 marines landed" are two measures
            if head in _PLACE_NOUNS and place not in scopes:
                held = _held(q, holding)
                if not held:
                    continue
                head = f"{head} (with {held})"
            quals = _qualifiers(q.get("text") or "", head.split(" (")[0].split()[-1])
            estimate = bool(_ESTIMATE.search(ctext))
            if estimate:                        # an estimate of the whole is not a count of the confirmed
                quals = " ".join(sorted({*quals.split(), "estimated"}))
            key = (head, quals, rate, unit, place)
            low, high = q.get("low"), q.get("high")
            value = q.get("value")
            if value is None:
                value = low if low is not None else high
            if value is None:
                continue
            groups[key].append(Point(q["id"], doc.id, view.canonical(doc.id), doc.outlet, when,
                                     when_p is None and doc.date_inferred, b[0], b[1], float(value),
                                     low, high, q.get("text") or "", claim_ids, estimate,
                                     " ".join(ctext.lower().split()), _actor(q.get("counted") or "", doc.id, index,
                                                                             actor_types)))
    out = []
    for key, grouped in groups.items():
        for actor, pts in _by_actor(grouped):
            pts.sort(key=lambda p: (p.when, p.quantity_id))
            pts = drop_outliers(drop_repeats(pts))
            if len(pts) < MIN_POINTS or len({p.canonical for p in pts}) < 2:
                continue
            head, quals, rate, _unit, place = key
            who, _, pred = head.partition(" (")
            owner = index.name(actor) or "" if actor else ""
            what = " ".join(x for x in (quals, owner, who) if x) + (f" ({pred}" if pred else "")
            where = index.name(place) or place
            measure = f"{what}{' per ' + rate if rate and rate not in ('daily', 'weekly') else ''}" + \
                (f" ({where})" if place in scopes else f" in {where}")
            out.append(Series(content_id("series", *key, *([actor] if actor else [])), measure, key, pts))
    out.sort(key=lambda s: (-len(s.outlets), -len(s.days), -len(s.points), s.id))
    return out


_CAPITALISED = re.compile(r"\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")


def _actor(counted: str, article_id: str, index: EntityIndex, known: set[str]) -> str:
    """The place, organisation or group a figure's counted words say the things belong to ("4,200 US military
    personnel", "3,500 UN troops", "nine UK cases"): the entity id of capitalised words in them."""
    for words in _CAPITALISED.findall(counted):
        cid = index.resolve(words, article_id)
        if cid in known:
            return cid
    return ""


def _by_actor(pts: list[Point]) -> list[tuple[str, list[Point]]]:
    """One measure's points, split by whose they are when the figures name two or more owners: "3,500 UN troops" and
    "4,200 US military personnel" in Haiti are two counts, and "up to 10,000 troops" belongs to neither for sure.
    With one owner named or none ("some 2,500 US troops", "2,500 troops" in Iraq) the measure stays whole."""
    owners = sorted({p.actor for p in pts if p.actor})
    if len(owners) < 2:
        return [("", pts)]
    return [(o, [p for p in pts if p.actor == o]) for o in ["", *owners]]


def drop_repeats(pts: list[Point]) -> list[Point]:
    """An outlet's later article stating the same figure in the same words is its earlier statement carried over (a
    page updated for weeks keeps "On Friday, the WHO reported that Australia has had 147 confirmed cases" from its
    first version, and "Friday" then reads as a later day): only the first is a point. Within ``REPEAT_DAYS`` the
    repeat is a follow-up story restating the figure that still holds (wire updates on consecutive days), and stays.
    ``pts`` sorted by date."""
    first: dict[tuple[str, str, str], date] = {}
    keep = []
    for p in pts:
        key = (p.outlet, p.text.lower(), p.statement)
        if p.statement and key in first and (p.when - first[key]).days > REPEAT_DAYS:
            continue
        first.setdefault(key, p.when)
        keep.append(p)
    return keep


def drop_outliers(pts: list[Point]) -> list[Point]:
    """Points more than ``OUTLIER_FACTOR`` times away from the median of the same measure within ``OUTLIER_DAYS`` days
    (at least three neighbours): a figure about something else that shares the words ("seasonal flu kills 250,000 a
    year" in a series of this outbreak's deaths). And as time runs: far above the ones stated after it too, or far
    below the ones stated before it too. A count far below the ones that follow is an early count of something growing ("Japan reported four cases" on 10 May, 125 a
    week later), and one far above the ones before it may be the same growth seen from the other end."""
    keep = []
    precise = [q.value for q in pts if q.hi < float("inf") and q.hi <= 1.5 * max(q.lo, 1e-9)]
    top = max(precise, default=0.0)
    for p in pts:
        if precise and p.hi == float("inf") and p.value > OUTLIER_FACTOR * top:
            continue                # "at least one million" against counts in the thousands: an estimate of another whole
        near = [q for q in pts if q is not p and abs((q.when - p.when).days) <= OUTLIER_DAYS]
        if len(near) >= 3 and p.value > 0:
            med = _upper_median([q.value for q in near])
            before = _upper_median([q.value for q in near if q.when <= p.when])
            after = _upper_median([q.value for q in near if q.when >= p.when])
            high = med > 0 and p.value > med * OUTLIER_FACTOR and after > 0 and p.value > after * OUTLIER_FACTOR
            low = p.value * OUTLIER_FACTOR < med and p.value * OUTLIER_FACTOR < before
            if high or low:
                continue
        keep.append(p)
    return keep


def _upper_median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] if values else 0.0


def series_records(series: list[Series], limit: int = 40, also: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The JSON ``series``: per measure, its dated points per outlet (value or range), main series first: the first
    ``limit`` and any other a relation names (``also``), so that every ``series_id`` of a relation can be looked up."""
    rows = []
    for s in (x for i, x in enumerate(series) if i < limit or x.id in also):
        rows.append({"id": s.id, "measure": s.measure, "counted": s.key[0], "qualifiers": s.key[1], "rate": s.key[2],
                     "unit": s.key[3], "outlets": s.outlets, "first_date": s.days[0].isoformat(),
                     "last_date": s.days[-1].isoformat(),
                     "points": [{"date": p.when.isoformat(), "outlet": p.outlet, "value": p.value,
                                 "low": p.low, "high": p.high, "text": p.text, "quantity_id": p.quantity_id,
                                 "article_id": p.article_id, "date_inferred": p.inferred} for p in s.points]})
    return rows
