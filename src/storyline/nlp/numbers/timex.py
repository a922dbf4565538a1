"""Time expressions to TimeML's standard, normalised against the publication date (or the inferred bounds).

Each expression gets its TimeML ``type`` (DATE, TIME, DURATION, SET) and TIMEX3 ``value`` ('2013-03-22', '2013-W11',
'2012-SU', '2013-Q1', '199', 'P1M', 'PXD', 'XXXX-WXX-4', 'PRESENT_REF', '2010-06-01T14:25'), the ``precision`` of
that value, the ``anchor`` it was resolved against and, for calendar periods that are not one whole day, month or
year, the ``interval`` it covers. Consumers that want a calendar date read it through ``calendar_of`` (DATE and TIME
only). Measured on TimeBank/AQUAINT by ``benchmarks/bench_timebank.py``.

Why own rules and not ``dateparser``: news text needs the *reporting* reading of relative expressions ("on
Thursday" is the Thursday before publication, "in July" the last July unless the clause speaks of the future),
and dateparser is both slow and blind to the clause's tense. The recognisers live in ``timex_rules``; this module
runs them (earlier patterns win overlaps), checks context with the parse, and resolves in text order.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ...model import TimeRef
from ..runtime.doc_cache import doc_text
from ..runtime.literals import first_char_guard, fold, may_match, needs
from .timex_rules import (
    MONTH,
    NUM,
    UNIT,
    WEEKDAY,
    WEEKDAY_FULL,
    Builder,
    Ctx,
    Hit,
    b_ago,
    b_anaphoric,
    b_century,
    b_clock,
    b_day_beside,
    b_decade,
    b_deictic,
    b_duration,
    b_end_of,
    b_fiscal,
    b_half,
    b_holiday,
    b_iso,
    b_long,
    b_md,
    b_mdy,
    b_mon,
    b_my,
    b_numeric,
    b_period,
    b_quarter,
    b_ref,
    b_season,
    b_set,
    b_spoken_year,
    b_this_quarter,
    b_unit_span,
    b_vague_duration,
    b_week_of,
    b_weekday,
    b_weekend,
    b_year,
    b_year_ago,
    b_year_rel,
)
from .timex_values import calendar_of, is_historic, month_end, precision_of, safe_date, value_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["MONTH", "WEEKDAY", "resolve_times", "calendar_of"]

_FUTURE_GOVERNORS = {"plan", "intend", "expect", "schedule", "set", "due", "aim", "prepare", "hope", "vow", "pledge",
                     "promise", "go", "want", "seek", "agree", "decide", "threaten"}
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would", "must", "should", "'d"}
_FUTURE_OWN = {"schedule", "set", "due", "plan", "expect"}    # 'a summit set for April', 'scheduled for Friday'
_B = r"(?<![\w-])"
_ORD = r"(?:st|nd|rd|th)?"
_Y = r"(?:1[6-9]|20)\d\d"
_TZ = r"(?:\s*\(?(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST|local\s+time|Zulu)\b)"
_CLOCK = (r"(?:(?P<h>\d{1,2})(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[AaPp]\.\s?[Mm]\.?|[AaPp][Mm]\b)"
          rf"|(?P<mil>(?:[01]\d|2[0-3])[0-5]\d)(?=\s*(?:hours|hrs)\b|{_TZ})"
          rf"|(?P<h24>[0-2]?\d):(?P<m24>[0-5]\d)(?={_TZ})|(?P<word>(?i:noon|midnight|midday))"
          r"|(?P<hp>1[0-2]|[1-9])(?::(?P<mp>[0-5]\d))?\s+(?:o['’]clock\s+)?(?P<pd>in\s+the\s+(?:morning|afternoon|evening)"
          r"|at\s+night))")
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_PRE = (r"(?:(?:about|around|roughly|approximately|nearly|almost|more\s+than|less\s+than|fewer\s+than|at\s+least|"
        r"at\s+most|up\s+to|some|only|just|another|an\s+additional|each\s+of\s+the(?:\s+(?:past|last|next))?|"
        r"the(?:\s+(?:past|last|next|previous|first|final|coming|following|latest|same|remaining|ensuing))?|"
        r"(?:past|last|next|first|final))\s+)")

# The recognisers in priority order (earlier patterns win overlaps): pattern, value builder, kind.
_RULE_SOURCES: list[tuple[str, Builder | None, str]] = [
    (_B + rf"(?P<y>{_Y})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])", b_iso, ""),
    (_B + r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)?\d\d)(?![\d/])", b_numeric, ""),
    (_B + r"(?:(?i:around|about|approximately|roughly)\s+)?" + _CLOCK + _TZ + r"?(?:,?\s+(?:on\s+)?(?:(?P<wd2>" + WEEKDAY_FULL
     + r")|(?P<mon2>" + MONTH + r")\s+(?P<d2>\d{1,2})(?!\d)|(?P<rel2>yesterday|today|tomorrow)))?(?![\w:])", b_clock,
     "clock"),
    (r"(?i)\b(?:(?:every|each|per)\s+(?:(?P<n>other|\d+|two|three|four|five|six|ten|twelve)\s+)?(?P<unit>" + UNIT
     + r")s?|(?:every|each)\s+(?P<wd>" + WEEKDAY_FULL + r")|(?:every|each)\s+(?P<mon>" + MONTH + r")|(?:every|each)\s+"
     r"(?P<seas>" + _SEASON + r")|(?:every|each)\s+season|(?P<adv>hourly|daily|nightly|weekly|monthly|quarterly|"
     r"annually|yearly))\b", b_set, "set"),
    (r"(?i:\bthe\s+week\s+of\s+)(?P<mon>" + MONTH + r")\s+(?P<d>\d{1,2})" + _ORD + rf"(?:,?\s+(?P<y>{_Y}))?\b",
     b_week_of, ""),
    (r"(?i)\b(?:the\s+)?day\s+(?P<dir>before|after)\s+(?:(?P<rel>last|next|this)\s+)?(?P<wd>" + WEEKDAY_FULL
     + r"|yesterday|tomorrow)\b", b_day_beside, "weekday"),
    (_B + r"(?:" + WEEKDAY + r",?\s+)?(?P<mon>" + MONTH + r")\s+(?P<d>\d{1,2})" + _ORD + rf",?\s+(?P<y>{_Y})\b",
     b_mdy, ""),
    (_B + r"(?:" + WEEKDAY + r",?\s+)?(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<mon>" + MONTH + rf"),?\s+(?P<y>{_Y})\b",
     b_mdy, ""),
    (_B + r"(?:" + WEEKDAY + r",?\s+)?(?P<mon>" + MONTH + r")\s+(?P<d>\d{1,2})" + _ORD + r"(?![\d,.]\d)(?!\w)", b_md, ""),
    (_B + r"(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<mon>" + MONTH + r")(?!\w)", b_md, ""),
    (_B + r"(?P<mon>" + MONTH + rf"),?\s+(?:of\s+)?(?P<y>{_Y})\b", b_my, ""),
    (r"(?:(?P<ed>[Ee]arlier|[Ll]ater)\s+in\s+|(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<mon>" + MONTH
     + r")(?:\s+(?P<yr>(?i:last|this|next)\s+year))?(?!\w)(?!\.\w)", b_mon, "month"),
    (r"(?i:\bthe\s+)?(?:(?i:early|mid|late)[- ]?)?" + r"(?:(?P<y>1[5-9]\d0|20[0-9]0)'?s|'(?P<yy>\d0)s|(?P<w>(?i:twenties|"
     r"thirties|forties|fifties|sixties|seventies|eighties|nineties)))(?!\w)", b_decade, ""),
    (r"(?i:\bthe\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[- ](?i:century)\b", b_century, ""),
    (r"(?i)\b(?:the\s+)?(?:(?P<rel>last\s+year's|this\s+year's|next\s+year's|year-ago|year-earlier)\s+|(?P<y2>" + _Y + r")\s+)?"
     r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?quarter(?!s)\b"
     rf"(?:\s+(?:of|in)\s+(?:fiscal\s+)?(?P<y>{_Y}))?", b_quarter, ""),
    (rf"(?i)\b(?:the\s+)?(?P<h>first|second|last|latter)\s+half\s+of\s+(?:(?:fiscal\s+)?(?P<y>{_Y})|(?:the|this)\s+year)"
     r"\b", b_half, ""),
    (r"(?i)\b(?:(?:the\s+(?:quarter|period)\s+)?(?:a|one)\s+year\s+(?:ago|earlier|before)|(?:the\s+)?year-(?:ago|earlier)(?:\s+(?:quarter|period))?"
     r"|the\s+(?:same|corresponding)\s+(?:period|quarter)\s+(?:a\s+year\s+(?:ago|earlier)|of\s+last\s+year|last\s+year)"
     r"|last\s+year's\s+(?:quarter|period))\b", b_year_ago, ""),
    (r"(?i)\b(?:the|this)\s+(?:(?P<y>" + _Y + r")\s+)?(?:latest\s+|current\s+|most\s+recent\s+|recent\s+)?"
     r"(?:quarter|period)\b(?![\s-]*(?:of|ago|to-))", b_this_quarter, "quarter"),
    (r"(?i)\b(?:(?:earlier|later)\s+(?:in\s+)?)?(?:that|the\s+same|the\s+following|the\s+next|the\s+previous|"
     r"the\s+preceding|the\s+prior)\s+(?P<unit>year|month|day)\b(?!['’-])", b_anaphoric, "anaphoric"),
    (r"(?i)\b(?:(?:earlier|later)\s+in\s+the\s+year|the\s+full\s+year|(?:the\s+)?year[- ]end|the\s+year['’]s\s+end)\b",
     b_year_rel, ""),
    (r"(?i)\b(?:fiscal(?:\s+year)?\s+|FY\s?)(?P<y>" + _Y + r"|'?\d\d)\b", b_fiscal, ""),
    (r"(?i)\b(?:the\s+)?(?:current|present)\s+(?:fiscal\s+|calendar\s+)?(?P<unit>year|month|week)\b", b_year_rel, ""),
    (_B + r"(?P<h>New Year[’']s (?:Day|Eve)|Christmas(?: Day| Eve)?|Valentine[’']s Day|Halloween|Independence Day|Thanksgiving(?: Day)?|Election Day)\b",
     b_holiday, ""),
    (r"(?i:\bthe\s+)?(?i:end|beginning|start|middle)\s+of\s+(?:(?P<rel>(?i:this|next|last|the|previous))\s+)?"
     r"(?P<unit>(?i:month|year|week))\b", b_end_of, "part"),
    (r"(?i)\b(?:the\s+)?(?:past|last|previous|next|coming)\s+(?P<unit>decade|century)\b(?!-)", b_unit_span, "unitspan"),
    (r"(?i)\b(?:(?:early|late|later|earlier)\s+)?(?:the\s+)?(?P<rel>last|past|previous|next|coming|this|current|following)\s+"
     r"(?P<unit>week(?:end)?|month|year|quarter|spring|summer|autumn|fall|winter)\b(?!-)", b_period, "period"),
    (r"(?i)\bthe\s+weekend\b", b_weekend, ""),
    (r"(?i)\b(?:(?:about|around|roughly|nearly|almost|more\s+than|some|just|only)\s+)?(?P<n>" + NUM + r")\s+(?P<unit>"
     + UNIT + r")s?\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b", b_ago, "ago"),
    (r"(?i:\b(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>" + WEEKDAY_FULL
     + r")(?:\s+(?P<pod>(?i:morning|afternoon|evening|night)))?(?!\w)", b_weekday, "weekday"),
    (r"(?i)\b(?:(?:early|late|later|earlier)\s+)?(?:(?:yesterday|today|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?"
     r"|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b", b_deictic, ""),
    (r"(?i)\b(?:the\s+)?(?:(?:early|mid|late)[- ])?(?P<s>" + _SEASON + rf")(?:\s+(?:of\s+)?(?P<y>{_Y}))?\b", b_season,
     "season"),
    (r"(?i)\b(?:the\s+year\s+(?P<two>two\s+thousand)|(?P<cent>nineteen|twenty)[- ](?P<rest>(?:twenty|thirty|forty|fifty"
     r"|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|"
     r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))\b", b_spoken_year, ""),
    (r"(?i)\b(?:(?P<pre>" + _PRE + r"+)?(?P<n>" + NUM + r")(?:\s*(?:to|-|or|and)\s*" + NUM + r")?"
     r"(?:\s+(?:more|additional|straight|consecutive|full|long|trading|business|calendar|working|school))?[\s-]+"
     r"(?P<unit>" + UNIT + r")s?(?:-long)?)\b(?!\s+old\b)(?!-|['’](?!['’]))", b_duration, "duration"),
    (r"(?i)\b(?:the\s+)?(?:recent|coming|past|last|next|previous|ensuing|following)\s+(?:few\s+|several\s+|many\s+)?"
     r"(?P<unit>" + UNIT + r")s\b", b_vague_duration, ""),
    (r"(?i)\b(?P<unit>hour|day|week|month|year|decade)(?P<pl>s)?-long\b", b_long, ""),
    (r"(?i)\b(?:for|within|over|after|during|lasted|last|lasting|take|takes|took)\s+(?:(?:many|several|a\s+few)\s+)?"
     r"(?P<t>(?P<unit>hour|day|week|month|year|decade|centurie)s)\b", b_vague_duration, ""),
    # a bare 'year' ('his year in kindergarten', 'a flat year') names no period TimeML marks; 'the year' does
    (r"(?i)\b(?:the\s+(?:fiscal\s+)?|fiscal\s+)year\b(?!['’-]|\s+\d|\s+(?:two|nineteen))", None, "the_year"),
    (r"(?i)\b(?:right\s+now|now|currently|at\s+present|presently|at\s+the\s+moment|these\s+days|nowadays|current)\b"
     r"|(?i:\bmore\s+)?(?i:recently)\b|(?i:\brecent)\b(?!\s+(?:years|months|weeks|days|decades))"
     r"|(?i:\bthe\s+past)\b|(?i:\bthe\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future)\b"
     r"|(?i:\bthe\s+(?:near|short)\s+term)\b", b_ref, "ref"),
]
# Each pattern is compiled with a look-ahead for the characters its matches can start with (``first_char_guard``): the
# same matches, found ~45% faster, since re otherwise runs each pattern's first steps at every position of the text.
_RULES = [(first_char_guard(re.compile(p)), b, k) for p, b, k in _RULE_SOURCES]
_MOD = re.compile(r"(?i)\b(?P<mod>since|by|until|till|through|before|after|as\s+of|from|ahead\s+of)\s+$")
_PART = re.compile(r"(?i)(?:\b(?P<part>the\s+(?:end|beginning|start|middle)\s+of|(?:early|late|mid)[- ]?)\s*)$")
_MONTH_CONTEXT = re.compile(r"(?i)(?:\b(?:in|since|by|until|till|through|before|after|of|from|during|early|late|"
                            r"end|start|beginning|last|next|this)\s+|\bmid-)$")
_YEAR_CONTEXT = re.compile(r"(?i)(?:\b(?:in|since|by|until|till|through|before|after|of|from|during|year|early|late|"
                           r"mid|summer|spring|autumn|fall|winter|fiscal|and|to|between|or)\s+|-|–|\bmid-)$")
_YEAR_SOURCE = _B + r"(?:(?i:early|mid|late)[- ]?|(?i:pre|post)-)?(?P<y>(?:1[5-9]|20)\d\d)(?![\w,.]\d|[\w-])"
_YEAR = first_char_guard(re.compile(_YEAR_SOURCE))
_PARTS_WITH_VALUE = {"part"}
_NAMED_MARCH = re.compile(r"(?i)\b(?:the|a|an|annual|yearly)\s+$")
_MARCH_TO = re.compile(r"\s+(?:for|on|against|of)\s+[A-Z]")
_CLOCK_PREP = re.compile(r"(?i)\b(?:at|about|around|by|until|till|before|after|from|since|to)\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"’”]*\s+|\n\s*)$")
_GENERIC_TODAY = re.compile(r"(?i)['’]s\s+(?:\w+\s+)?(?:world|society|youth|young|generation|children|kids|"
                            r"standards|economy|culture|market|times)\b")
_THE_YEAR_IS_DATE = re.compile(r"(?i)the\s+(?:fiscal\s+)?year$")
_YEAR_SPAN_AFTER = re.compile(r"(?i)\s+(?:that\s+)?(?:ended|ending|ends|to\s+(?:date|[A-Z])|before|earlier|"
                              r"after|later|ago|or|and|from|since|through|in\s+which)\b")
_YEAR_SPAN_BEFORE = re.compile(r"(?i)\b(?:throughout|within|over|during|in|per|a|each|every|course\s+of)\s+$")
_BACK_IN = re.compile(r"(?i)\bback\s+(?:in|on)\s+$")


def _year_ok(doc: Doc, m: re.Match[str], text: str) -> bool:
    """A bare four-digit number is a year only in date context: 'in 2014', 'since 2020', spaCy DATE, '2014-2015'."""
    span = doc.char_span(m.start("y"), m.end("y"), alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("gmt", "local", "hours", "hrs", "cdt", "edt", "est", "utc"):
        return False        # '1425 local time': a clock time
    if m[0].lower().startswith(("pre-", "post-")):
        return True         # 'post-1959 politics', 'pre-1914 Europe': the prefix makes it a year
    if _YEAR_CONTEXT.search(text[max(0, m.start() - 16):m.start()]) and not (
            tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS")):
        return True
    if tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS") and tok.head.lemma_ not in ("year", "month"):
        return False        # "2000 troops"
    if tok.ent_type_ == "DATE":
        return True
    return tok.head.lower_ in ("in", "since", "until", "by", "of") or tok.dep_ in ("npadvmod", "poss")


def _fronted_on(doc: Doc, a: int) -> bool:
    """'On Friday, the government planned to pay ...': a day fronted with 'on' and set off by a comma modifies the
    whole clause, so its finite verb's past tense dates it, even when that verb is a plan ('planned for Saturday',
    the plan's own date, is not fronted)."""
    tok = _token_at(doc, a, a + 1)
    if tok is None or tok.head.lower_ != "on" or tok.head.i >= tok.i:
        return False
    v = tok.head.head
    return v.tag_ == "VBD" and v.i > tok.i and any(t.text == "," for t in doc[tok.i + 1:v.i])


def _perfect(v: Token) -> bool:
    """Past perfect: 'had been scheduled', 'had been due' (the 'had' sits on the copula), 'had described'."""
    heads = [v, v.head] if v.dep_ in ("acomp", "attr") else [v]
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for h in heads for c in h.children)


def _verb_of(doc: Doc, start: int) -> Token | None:
    tok = doc.char_span(start, start + 1, alignment_mode="expand")
    if tok is None or len(tok) == 0:
        return None
    t = tok[0]
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            break
        t = t.head
    return t


def _direction(doc: Doc, start: int, memo: dict[int, int] | None = None) -> int:
    """-1 when the clause is past (reporting), +1 when it speaks of the future, 0 when unclear. ``memo`` keeps the
    answer per clause verb for one doc: a page of dates in one clause would otherwise walk the verb's thousands of
    children once per date (quadratic)."""
    tok = doc.char_span(start, start + 1, alignment_mode="expand")
    if tok is None or len(tok) == 0:
        return 0
    t = tok[0]
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            break
        t = t.head
    if memo is None:
        return _clause_direction(t)
    got = memo.get(t.i)
    if got is None:
        got = memo[t.i] = _clause_direction(t)
    return got


def _clause_direction(t: Token) -> int:
    chain = [t]
    while chain[-1].dep_ in ("xcomp", "ccomp", "acl", "advcl", "pcomp") and len(chain) < 4 \
            and chain[-1].head.i != chain[-1].i:
        h = chain[-1].head
        if chain[-1].dep_ == "pcomp" and h.pos_ == "ADP" and h.head.i != h.i:
            h = h.head              # 'would leave ..., with the third departing each Thursday from August 6'
        chain.append(h)
    for v in chain:
        for c in v.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX:
                return 1
        if v.lemma_ in _FUTURE_GOVERNORS and (v.i != t.i or v.lemma_ in _FUTURE_OWN) and v.lemma_ != "agree":
            # a plan in the past perfect ('had been due to expire Friday') or a date set in the past ('set Friday
            # as the deadline') is over by the time of writing; 'planned to leave on Thursday' is not
            if (v.tag_ == "VBD" and v.lemma_ == "set") or _perfect(v):
                return -1
            return 1
        if v.tag_ in ("VBD", "VBN") or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in v.children):
            return -1
    return 0


def _token_at(doc: Doc, a: int, b: int) -> Token | None:
    span = doc.char_span(a, b, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _keep(kind: str, m: re.Match[str], doc: Doc, text: str, a: int) -> bool:
    """Context checks the pattern cannot make alone."""
    if kind == "month":
        if m["mon"] == "March" and _NAMED_MARCH.search(text[max(0, a - 12):a]) and _MARCH_TO.match(text, m.end()):
            return False                            # 'the annual March for Life', 'a March on Washington'
        if m["ed"] or m["rel"] or m["yr"] or _MONTH_CONTEXT.search(text[max(0, a - 12):a]):
            return True
        tok = _token_at(doc, m.start("mon"), m.end("mon"))
        return tok is not None and tok.ent_type_ == "DATE" and m["mon"] != "May"
    if kind == "season":
        s = m["s"].lower()
        before = text[max(0, a - 12):a].lower()
        if m["y"]:
            return True
        if s == "fall" and not m[0].lower().startswith("the"):
            return bool(re.search(r"\b(?:in|this|last|next|early|late)\s+$", before))
        if s == "fall" and re.match(r"\s+of\b", text[m.end():m.end() + 4]):
            return False                            # 'the fall of the Berlin Wall'
        return m[0].lower().startswith("the") or bool(re.search(r"\b(?:in|during|through|until|by|since)\s+$", before))
    if kind == "clock" and m["hp"] and not _CLOCK_PREP.search(text[max(0, a - 8):a]):
        return False                                # '4 in the morning' only after 'at', 'by', 'until' ...: a clock time
    if kind == "clock" and m["word"] and re.search(r"(?i)\bhigh\s+$", text[max(0, a - 6):a]):
        return False                                # 'High Noon', 'high noon comes today': the idiom, not 12:00
    if kind == "duration" and m["n"].lower() in ("a", "an") and text[m.end("unit"):m.end("unit") + 1] == "s":
        return False                                # 'a decades-long battle': the article goes with the noun
    if kind == "duration" and m["unit"][:1].isupper() and not _SENTENCE_START.search(text[max(0, a - 4):a]):
        return False                                # CBS's ''60 Minutes'': a capitalised unit mid-sentence is a name
    if kind == "set" and m["adv"]:
        tok = _token_at(doc, m.start(), m.end())
        return tok is not None and tok.pos_ == "ADV"
    if kind == "ref":
        w = m[0].lower()
        tok = _token_at(doc, m.start(), m.end())
        if w == "current" or w == "recent":
            return tok is not None and tok.dep_ == "amod" and tok.head.lower_ not in ("account", "accounts", "events",
                                                                                     "affairs", "flow", "rate")
    if kind == "unitspan":          # 'over the past decade' is its length; 'in the last decade' may be the 1980s
        return bool(re.search(r"(?i)\b(?:over|for|during|throughout|within)\s+$", text[max(0, a - 12):a]))
    # "today's world": nowadays, not the day
    return not (kind == "" and m[0].lower() == "today" and _GENERIC_TODAY.match(text, m.end()))


# What each recogniser cannot match without (``runtime.literals``): a text lacking it skips that pattern's scan.
_NEEDS = [needs(pat) for pat, _, _ in _RULES]


def span_free(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether [a, b) overlaps none of ``taken``: sorted spans that never overlap (each was free when taken, see
    ``take_span``), so their ends rise with their starts and only the last one starting before b can overlap: O(log n)
    per check instead of a scan of every span taken (quadratic in the number of dates)."""
    k = bisect_left(taken, (b,))        # the spans starting before b
    return k == 0 or taken[k - 1][1] <= a


def take_span(taken: list[tuple[int, int]], a: int, b: int) -> None:
    insort(taken, (a, b))


def _candidates(doc: Doc, text: str) -> list[tuple[int, int, re.Match[str], Builder | None, str]]:
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, int, re.Match[str], Builder | None, str]] = []

    def free(a: int, b: int) -> bool:
        return span_free(taken, a, b)

    def add(a: int, b: int, m: re.Match[str], build: Builder | None, kind: str) -> None:
        take_span(taken, a, b)
        out.append((a, b, m, build, kind))

    folded = fold(text)
    for (pat, build, kind), need in zip(_RULES, _NEEDS, strict=True):
        if not may_match(need, text, folded):     # the text lacks a word every match holds: nothing to scan
            pass
        elif kind == "the_year":
            for m in pat.finditer(text):
                if free(m.start(), m.end()):
                    add(m.start(), m.end(), m, None, kind)
        else:
            for m in pat.finditer(text):
                a, b = (m.start("t"), m.end("t")) if "t" in pat.groupindex else (m.start(), m.end())
                if not free(a, b) or not _keep(kind, m, doc, text, a):
                    continue
                add(a, b, m, build, kind)
        if kind == "ref":           # bare years after every pattern that can hold one ('the third quarter of 1984')
            for m in _YEAR.finditer(text):
                if free(m.start(), m.end()) and _year_ok(doc, m, text):
                    add(m.start(), m.end(), m, b_year, "year")
    out.sort(key=lambda x: (x[0], x[1]))
    return out


def _value(h: Hit) -> str | None:
    if h.value is not None:
        return h.value
    if h.lo is None or h.gran is None:
        return None
    return value_of(h.lo, h.gran)


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
    if lo == hi:
        return True
    if lo.day == 1 and hi == month_end(lo.year, lo.month):
        return True
    return lo == date(lo.year, 1, 1) and hi == date(lo.year, 12, 31)


def _apply_part(lo: date, hi: date, part: str | None) -> tuple[date, date]:
    """'the end of 2021' → its last month; 'early 2020' → its first quarter, ... (the interval only)."""
    if not part or lo == hi:
        return lo, hi
    p = part.lower()
    if (hi - lo).days > 40:
        if "end" in p or "late" in p:
            return date(hi.year, 12 if "end" in p else 9, 1), hi
        if "beginning" in p or "start" in p or "early" in p:
            return lo, month_end(lo.year, 1 if "early" not in p else 3)
        return date(lo.year, 5, 1), month_end(lo.year, 8)
    if "end" in p or "late" in p:
        return max(lo, hi - timedelta(days=9)), hi
    if "mid" in p:
        return lo + timedelta(days=10), lo + timedelta(days=19)
    return lo, lo + timedelta(days=9)


def resolve_times(doc: Doc, anchor: date | None, bounds: tuple[date, date] | None) -> list[TimeRef]:
    """All time expressions of ``doc``, typed and normalised to TIMEX3 values.

    ``anchor`` is the publication date; when it is unknown, ``bounds`` (earliest, latest) stand in and relative
    expressions get the interval they could cover; with neither, relative expressions keep value None.
    """
    text = doc_text(doc)
    refs: list[TimeRef] = []
    ref_dates = [anchor] if anchor else (list(bounds) if bounds else [date(2000, 1, 1)])
    how_rel = "published" if anchor else "bounds" if bounds else None
    last_quarter: str | None = None
    quarters: dict[str, float] = {}
    last_date: str | None = None
    own_day: list[int] = []
    directions: dict[int, int] = {}         # clause verb index -> _direction's answer, for this doc
    for a, b, m, build, kind in _candidates(doc, text):
        pp = _PART.search(text[max(0, a - 30):a]) if kind not in ("part", "clock", "weekday", "") else None
        if pp:
            a -= len(pp[0])
        pp = pp or re.match(r"(?i)(?:the\s+)?(?P<part>(?:end|beginning|start|middle)\s+of|early|late|mid)\b", m[0])
        part = pp["part"] if pp else None
        pm = _MOD.search(text[max(0, a - 40):a])
        mod = re.sub(r"\s+", " ", pm["mod"].lower()) if pm else None
        if build is None:           # 'the year', 'the fiscal year'
            if _THE_YEAR_IS_DATE.match(text[a:b]) and not _YEAR_SPAN_AFTER.match(text, b) \
                    and not _YEAR_SPAN_BEFORE.search(text[max(0, a - 16):a]) and (anchor or bounds):
                # 'For the year, volume was flat', 'a high for the year': the year being reported on
                y0, y1 = (anchor.year, anchor.year) if anchor else (bounds[0].year, bounds[1].year)  # type: ignore[index]
                if y0 == y1:
                    refs.append(TimeRef(a, b, text[a:b], str(y0), "year", how_rel, None, mod, "DATE"))
                    continue
            # 'the year ended Sept. 30', 'throughout the fiscal year': a year's length
            refs.append(TimeRef(a, b, text[a:b], "P1Y", None, "absolute", None, mod, "DURATION"))
            continue
        prev = doc.char_span(a, a + 1, alignment_mode="expand")
        prev_tag = doc[prev.start - 1].tag_ if prev is not None and prev.start > 0 else ""
        d = -1 if mod in ("since", "as of") else _direction(doc, a, directions) if _needs_direction(kind) else 0
        if d == 0 and _BACK_IN.search(text[max(0, a - 12):a]):
            d = -1                      # 'Back in April, rumours spread'
        if d == 0 and mod in ("after", "from"):
            d = -1
        elif d > 0 and kind == "weekday" and _fronted_on(doc, a):
            d = -1                      # 'On Friday, the government planned to pay': the clause's past verb dates it
        elif d < 0 and mod in ("until", "till") and kind in ("weekday", "clock"):
            v = _verb_of(doc, a)        # 'postponed until Tuesday': the coming one; 'had waited until Tuesday': past
            d = -1 if v is None or _perfect(v) else 1
        hits = []
        for r in ref_dates:
            h = build(m, Ctx(r, d, last_quarter, prev_tag, last_date))
            if h is None:
                break
            hits.append(h)
        if len(hits) != len(ref_dates):
            continue
        h0 = hits[0]
        if kind == "ago" and h0.type == "DURATION":
            b = m.start("dir")
            while b > a and text[b - 1].isspace():
                b -= 1
        smod = {"ahead of": "before", "till": "until"}.get(mod or "", mod) or h0.mod
        if h0.lo is None or h0.hi is None or h0.gran is None:       # durations, sets, references
            now = None
            if h0.value == "PRESENT_REF" and (anchor or bounds) and kind == "ref" and m[0].lower() != "current":
                # the day (or days) 'now' was said; the adjective ('the current troops') dates nothing
                now = (anchor.isoformat(), anchor.isoformat()) if anchor else (bounds[0].isoformat(),  # type: ignore[index]
                                                                               bounds[1].isoformat())  # type: ignore[index]
            refs.append(TimeRef(a, b, text[a:b], h0.value, None, how_rel if now else "absolute", now, smod, h0.type))
            continue
        if h0.relative and how_rel is None:
            refs.append(TimeRef(a, b, text[a:b], None, None, None, None, smod, h0.type))
            continue
        values = {_value(h) for h in hits}
        spans = [_apply_part(h.lo, h.hi, part) for h in hits if h.lo and h.hi]
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        value: str | None
        precision: str | None
        if len(values) == 1:
            value, precision = values.pop(), precision_of(h0.gran)
        else:
            value, precision = _iso_prefix(lo, hi)
        how = how_rel if h0.relative else "absolute"
        interval = None if _whole_unit(lo, hi) and how != "bounds" and not part else (lo.isoformat(), hi.isoformat())
        if smod == "since" and (anchor or bounds):
            end = anchor or bounds[1]          # type: ignore[index]
            interval = (lo.isoformat(), max(end, hi).isoformat())
        cal = calendar_of(value, h0.type)
        historic = h0.type == "DATE" and is_historic(cal[0] if cal else None, anchor or (bounds[0] if bounds else None))
        refs.append(TimeRef(a, b, text[a:b], value, precision, how, interval, smod, h0.type, historic))
        if build is b_quarter and value:
            # the quarter the article reports on: the one it names most so far (the first on a tie), not one named
            # in passing ('after a flat second quarter', 'a fourth-quarter charge'); a quarter with its own year
            # ('the third quarter of 1984') or a fiscal one counts half
            half = not h0.relative or "fiscal" in text[max(0, a - 8):b].lower()
            quarters[value] = quarters.get(value, 0) + (0.5 if half else 1)
            last_quarter = max(quarters, key=lambda q: quarters[q])
        if h0.type == "DATE" and precision in ("day", "month", "year") and value and not h0.relative:
            last_date = value
        if kind == "clock" and not (m["wd2"] or m["mon2"] or m["rel2"]) and how == "published":
            own_day.append(len(refs) - 1)
    dayless = set(own_day)
    for i in own_day:           # a clock time without its own day takes the day its sentence names, if any
        _day_from_sentence(doc, refs, i, dayless)
    return _coordinated_days(doc, text, refs)


# 'April 24 and 25', 'May 3 or 4': a second day of the month just named, not a count ('24 and 25 percent')
_AND_DAY = re.compile(r"\s+(?:and|or|&)\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\w%-]|[.,:]\d|\s*%)")


def _coordinated_days(doc: Doc, text: str, refs: list[TimeRef]) -> list[TimeRef]:
    out: list[TimeRef] = []
    for i, r in enumerate(refs):
        out.append(r)
        if r.type != "DATE" or r.precision != "day" or not r.value or not r.text[-1:].isdigit() \
                or not any(c.isalpha() for c in r.text):
            continue
        m = _AND_DAY.match(text, r.end)
        nxt = refs[i + 1].start if i + 1 < len(refs) else len(text)
        if m is None or m.end() > nxt:
            continue
        day = safe_date(int(r.value[:4]), int(r.value[5:7]), int(m["d"]))
        if day is None or day.isoformat() <= r.value:
            continue
        a, b = m.start("d"), m.end()
        tok = _token_at(doc, a, b)
        if tok is None or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in ("NOUN", "PROPN", "NUM", "ADJ")):
            continue                # 'March 3 and 4 people died', '3 and 4 percent'
        out.append(replace(r, start=a, end=b, text=text[a:b], value=day.isoformat(), interval=None))
    return out


def _day_from_sentence(doc: Doc, refs: list[TimeRef], i: int, dayless: set[int]) -> None:
    """``dayless``: indices of the clock times that had no day of their own (they cannot lend one); a clock time
    that names its day ('4 a.m. EDT Thursday') lends it to its neighbour ('at 4 in the morning (4 a.m. EDT
    Thursday)')."""
    r = refs[i]
    tok = _token_at(doc, r.start, r.end)
    if tok is None or not r.value:
        return
    s = tok.sent
    days = [x for j, x in enumerate(refs) if j != i and x.value and (
        x.type in ("DATE", "TIME") and x.precision == "day"
        or x.type == "TIME" and x.value[:1].isdigit() and j not in dayless)]
    near = [x for x in days if s.start_char <= x.start < s.end_char]
    if near:
        day = min(near, key=lambda x: abs(x.start - r.start)).value[:10]     # type: ignore[index]
        refs[i] = replace(r, value=day + r.value[10:])


def _needs_direction(kind: str) -> bool:
    return kind in ("month", "weekday", "clock", "period", "") and True
