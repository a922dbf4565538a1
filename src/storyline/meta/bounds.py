"""Bounds on the publication date of an undated article, from what it says about time.

An article is written after the events it reports in the past tense and usually before deadlines it still speaks of
as pending. We read year mentions and their context:
- a year in a past or neutral context ("since 2020", "invaded Iraq in 2003") → the article is from that year or later;
- a pending deadline ("by the end of 2021") together with present-year language ("ahead of the end of the year",
  "this year") → the article is from that deadline's year;
- a bare month in the past tense ("In July, … sealed") once the year is known → from that month on.
Bounds are only as strong as that evidence; ``basis`` spells it out and the caller says so wherever it is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .date_values import MONTHS

_YEAR = re.compile(r"(?<![\d,.$€£])\b(19[5-9]\d|20\d\d)\b(?![\d,]|\s*(?:%|percent|troops|people|km|miles))")
_DEADLINE = re.compile(r"\b(by|before|until|till|through|ahead of)\s+(the\s+)?((end|middle|start|beginning|close|summer|spring|autumn|fall|winter)\s+of\s+)?$", re.I)
_FUTURE_CTX = re.compile(r"\b(will|would|shall|plans? to|planned|is to|are to|expected to|scheduled|due to|deadline)\b", re.I)
_CURRENT_YEAR = re.compile(r"\b(this year|the end of the year|later this year|earlier this year|so far this year|the year'?s end|end of this year)\b", re.I)
_BARE_MONTH = re.compile(r"\b(?i:in|since|last|earlier in|early|late)\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s*,?\s*(?:\d{1,2}\b|(?:19|20)\d\d))")
_PAST_VERB = re.compile(r"\b(\w+ed|said|sealed|met|took|began|held|made|signed|told|was|were|had)\b")


@dataclass(slots=True)
class Bounds:
    earliest: date | None
    latest: date | None
    basis: str


def _sentence_around(text: str, pos: int) -> str:
    """The clause following ``pos`` up to the paragraph end (at most 200 chars): enough to see its tense."""
    end = text.find("\n", pos)
    return text[pos:min(end if end != -1 else len(text), pos + 200)]


def infer_bounds(text: str) -> Bounds | None:
    past_years: list[tuple[int, str]] = []
    deadline_years: list[tuple[int, str]] = []
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        before = text[max(0, m.start() - 40):m.start()]
        snippet = text[max(0, m.start() - 30):m.end() + 10].replace("\n", " ").strip()
        if _DEADLINE.search(before) or (_FUTURE_CTX.search(before[-25:]) and " in " in before[-6:]):
            deadline_years.append((year, snippet))
        else:
            past_years.append((year, snippet))
    reasons: list[str] = []
    earliest: date | None = None
    latest: date | None = None
    if past_years:
        year, snippet = max(past_years)
        earliest = date(year, 1, 1)
        reasons.append(f"mentions {year} as past or current ('…{snippet}…')")
    current_year: int | None = None
    cur = _CURRENT_YEAR.search(text)
    if deadline_years:
        year, snippet = min(deadline_years)
        if earliest is None or year >= earliest.year:
            if cur:
                current_year = year
                latest = date(year, 12, 31)
                earliest = max(earliest or date(year, 1, 1), date(year, 1, 1))
                reasons.append(f"speaks of the deadline '{snippet}' as pending and of '{cur.group(0)}', so it is from {year}")
            else:
                latest = date(year, 12, 31)
                reasons.append(f"speaks of '{snippet}' as a pending deadline")
    if current_year:
        months = []
        for m in _BARE_MONTH.finditer(text):
            if _PAST_VERB.search(_sentence_around(text, m.start())):
                months.append((MONTHS[m.group(1).lower()], m.group(0)))
        if months:
            month, phrase = max(months)
            earliest = max(earliest or date(current_year, 1, 1), date(current_year, month, 1))
            reasons.append(f"reports '{phrase}' of that year in the past tense")
    if earliest is None and latest is None:
        return None
    if earliest and latest and earliest > latest:
        return None   # contradictory evidence: claim nothing rather than something wrong
    return Bounds(earliest, latest, "inferred from content: " + "; ".join(reasons))
