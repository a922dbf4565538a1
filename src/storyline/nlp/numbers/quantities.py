"""Numbers with what they count, where, and as of when.

Attachment follows the dependency parse, never proximity: in "pull the last 2,500 troops out of Afghanistan" the
place hangs off the verb whose object the troops are; in "a presence of 900 troops in Syria in addition to its troops
in Iraq" it hangs off the counted noun itself, so the nearest place wins before anything further up the tree.
Cross-article comparison (numeric conflict vs change over time) needs value/range, counted thing, place and date.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from ...model import Quantity, TimeRef, content_id
from ..claims.syntax import clause_head, time_for
from ..runtime.doc_cache import doc_text
from .number_words import NUMBER_WORDS, VAGUE, parse_digits, words_to_number
from .timex_values import calendar_ref

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "mn", "bn", "dozen"}
_CURRENCY = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
                   "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "yuan": "CNY", "rupees": "INR", "yen": "JPY"}
# Words before a number → (which bound the number is, or None for plain approximation).
_APPROX_2 = {("more", "than"): "low", ("at", "least"): "low", ("up", "to"): "high", ("fewer", "than"): "high",
             ("less", "than"): "high", ("close", "to"): None, ("as", "many"): "high", ("upwards", "of"): "low",
             ("in", "excess"): "low", ("no", "more"): "high", ("at", "most"): "high", ("just", "over"): "low",
             ("just", "under"): "high", ("an", "estimated"): None, ("as", "much"): "high"}
_APPROX_1 = {"some": None, "about": None, "around": None, "approximately": None, "roughly": None, "nearly": "high",
             "almost": "high", "over": "low", "above": "low", "under": "high", "below": "high", "estimated": None,
             "approx.": None, "circa": None, "c.": None, "~": None, "only": None, "least": "low"}
_TROOPS = {"troop", "soldier", "force", "personnel", "service member", "servicemember", "marine", "sailor",
           "servicemen", "serviceman", "commando", "paratrooper"}
_PEOPLE = {"people", "person", "civilian", "resident", "child", "woman", "man", "protester", "refugee", "migrant",
           "worker", "victim", "citizen", "individual", "adult", "student", "prisoner", "hostage", "casualty",
           "fighter", "militant", "patient", "passenger", "voter", "member", "employee", "journalist"}
_SKIP_MODS = {"additional", "more", "other", "extra", "new", "further", "remaining", "last", "current", "so-called",
              "such", "estimated", "some", "about", "only", "first", "total", "all"}
_PLACE_PREPS = {"in", "inside", "within", "from", "out", "into", "to", "across", "throughout", "at", "near", "on",
                "off", "outside", "of"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_BAD_ENTS = {"PERSON", "ORG", "PRODUCT", "LAW", "WORK_OF_ART", "EVENT", "ORDINAL"}
# "1.5million", "1200hp", "10km": a number glued to a scale or a unit.
_GLUED = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(million|mn|bn|billion|m|k|hp|bhp|km|kg|mm|cm|mph|kph|kmh|mw|gw|kw|lbs?|ft"
                    r"|tonnes?|tons?|mb|gb|tb|ghz|mhz|nm)$", re.IGNORECASE)
_CLOCK = {"a.m.", "p.m.", "am", "pm", "gmt", "et", "est", "edt", "bst", "utc", "hrs", "o'clock", "pst", "cet"}


def _glued(t: Token) -> tuple[float, str] | None:
    m = _GLUED.match(t.text)
    if m is None:
        return None
    v = parse_digits(m[1])
    if v is None:
        return None
    suffix = m[2].lower()
    scale = {"million": 1e6, "mn": 1e6, "m": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3}.get(suffix)
    return (v * scale, "") if scale else (v, suffix)


def _is_number(t: Token) -> bool:
    if _glued(t) is not None:
        return True
    if t.like_num or t.lower_ in NUMBER_WORDS or t.lower_ in VAGUE:
        return t.lower_ not in ("a", "an") and not t.text.endswith(("st", "nd", "rd", "th")) or t.lower_ in VAGUE
    return t.tag_ == "CD" and parse_digits(t.text) is not None


def _number_span(doc: Doc, i: int) -> tuple[int, int]:
    """Token range [i, j) of one written number: '2.5 million', 'twenty - one', 'a dozen', 'half a million'."""
    j = i + 1
    while j < len(doc):
        t = doc[j]
        if t.lower_ in _SCALE_WORDS or (t.text == "-" and j + 1 < len(doc) and doc[j + 1].lower_ in NUMBER_WORDS
                                         and doc[j - 1].is_alpha and not doc[j - 1].whitespace_):
            j += 1 + (t.text == "-")
            continue
        # "two and a half million": the fraction belongs to the number when a scale word follows it
        if t.lower_ == "and" and j + 3 < len(doc) and doc[j + 1].lower_ in ("a", "an") \
                and doc[j + 2].lower_ == "half" and doc[j + 3].lower_ in _SCALE_WORDS:
            j += 3
            continue
        break
    if i > 0 and doc[i].lower_ in _SCALE_WORDS and doc[i - 1].lower_ == "half":
        i -= 1                                      # "half million", "a half million"
    if i > 0 and doc[i - 1].lower_ in ("a", "an") and doc[i].lower_ in _SCALE_WORDS | {"half"}:
        i -= 1
    if i > 0 and doc[i].lower_ in ("a", "an") and doc[i - 1].lower_ == "half":
        i -= 1                                      # "half a million"
    return i, j


def _excluded(doc: Doc, i: int, j: int, in_time: list[bool]) -> bool:
    span = doc[i:j]
    if any(in_time[t.i] for t in span):
        return True
    first, last = span[0], span[-1]
    if last.ent_type_ in _BAD_ENTS or first.ent_type_ in _BAD_ENTS:
        return True
    if ":" in last.text or "/" in last.text:
        return True
    if j < len(doc) and doc[j].lower_ in _CLOCK:
        return True        # clock time "11 a.m."
    if i > 0 and doc[i - 1].lower_ in ("number", "no.", "no"):
        return True        # "number one vendor", "No. 10"
    raw = last.text.replace(",", "")
    if raw.isdigit() and ((len(raw) > 1 and raw.startswith("0")) or ("," not in last.text and len(raw) >= 7)):
        return True        # phone numbers, ids
    if (j < len(doc) and doc[j].text.isdigit()) or (i > 0 and doc[i - 1].text.isdigit()):
        return True        # "03000 999 999": digit groups, not counts
    # Attached to letters by a hyphen: "F-16", "Covid-19", "G-7"; or part of a model name.
    if i > 1 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and doc[i - 2].is_alpha \
            and doc[i - 2].lower_ not in NUMBER_WORDS:
        return True
    v = parse_digits(last.text)
    # A year unless it is plainly a count of something ("2000 troops").
    if v is not None and 1800 <= v <= 2099 and "," not in last.text and len(span) == 1 and not (
            last.dep_ == "nummod" and last.head.tag_ in ("NNS", "NNPS") and last.head.lemma_ not in ("year", "month")):
        return True
    line_start = last.is_sent_start or (i > 0 and "\n" in doc[i - 1].text_with_ws)
    if line_start and j < len(doc) and doc[j].text in (".", ")") and v is not None and v < 100:
        return True    # list marker "1." / "2)"
    if last.lower_ == "one" and len(span) == 1 and last.dep_ != "nummod":
        return True        # "another one", "one of them": a pronoun, not a count
    return last.lower_ in ("zero",) and last.dep_ != "nummod"


def _counted_head(num: Token) -> Token | None:
    if num.dep_ in ("nummod", "quantmod", "compound", "amod") and num.head.pos_ in ("NOUN", "PROPN") \
            and num.head.i > num.i:
        head = num.head
        if head.lemma_ in _SCALE_WORDS and head.dep_ == "nummod" and head.head.pos_ in ("NOUN", "PROPN"):
            head = head.head
        return head
    for c in num.children:         # "2,500 of the troops", "thousands of people"
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


# Verbs that move or state a running count to a level ("cases rose to 59", "the toll stands at 149", "the number of
# infections reached 331", "brings the total number of cases to six", "officials put the number of dead at 200").
# Generic English: what moves is the count named by the subject (or, for the causatives, the object).
_LEVEL_MOVES = frozenset({"rise", "climb", "increase", "grow", "jump", "soar", "surge", "double", "triple", "stand",
                          "reach", "hit", "top", "exceed", "pass", "total", "fall", "drop", "decline", "decrease",
                          "bring", "raise", "push", "take", "put"})
_CAUSATIVE = frozenset({"bring", "raise", "push", "take", "put"})
_TALLY_NOUNS = frozenset({"number", "total", "tally", "count"})


def _level_subject(num: Token) -> Token | None:
    """The counted noun of a figure stated as the level a count moved to, whose noun is not beside it: "The number of
    swine flu cases in Australia has doubled to 59" → cases; "The death toll rose to 149" → death; "Confirmed cases
    in the US rose to 2,254" → cases. None when the figure is not the level of a count named elsewhere."""
    if num.dep_ == "pobj" and num.head.lower_ in ("to", "at") and num.head.dep_ == "prep":
        verb = num.head.head
    elif num.dep_ == "dobj":
        verb = num.head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in _LEVEL_MOVES:
        return None
    after = num.doc[num.i + 1:num.i + 3]
    if any(t.lower_ in ("fold", "times") or t.lower_.endswith("fold") for t in after):
        return None                 # "risen four-fold", "rose five times": by how much, not to what
    if any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in verb.children):
        return None                 # "which would bring the total number of U.S. cases to around 200,000": a sum
        #                             made from an assumption, not a count anyone reported
    causative = verb.lemma_.lower() in _CAUSATIVE
    if causative and num.dep_ == "dobj":
        return None                 # "raised 59": what was raised is the figure's own noun, or nothing
    wanted = ("dobj",) if causative else ("nsubj", "nsubjpass")
    noun = next((c for c in verb.children if c.dep_ in wanted and c.pos_ in ("NOUN", "PROPN")), None)
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    if lemma in _TALLY_NOUNS:      # "the number of confirmed infections": the pobj is what is counted
        counted = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                        for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
        if counted is not None and counted.lemma_.lower() in _PEOPLE:
            # "the number of people killed": what befell them is the measure (killed → deaths), as in "150 killed"
            return next((c for c in counted.children if c.dep_ == "acl" and c.tag_ == "VBN"), counted)
        return counted
    if lemma == "toll":             # "the death toll": the compound says whom it counts
        return next((c for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN"), None)
    if noun.tag_ in ("NNS", "NNPS") and not causative:
        return noun                 # "confirmed cases rose to 2,254"
    return None


def _adjacent_noun(doc: Doc, end: int) -> Token | None:
    """'100 times' when the parser hangs the noun off the number instead of the reverse."""
    if end < len(doc):
        t = doc[end]
        if t.tag_ in ("NNS", "NNPS") and (t.head.i == end - 1 or doc[end - 1].head.i == end):
            return t
    return None


def _counted_text(doc: Doc, num_end: int, head: Token) -> str:
    if head.i < num_end:       # "2,500 of the troops": the pobj's own phrase
        toks = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "poss", "case", "punct")]
    else:
        toks = [doc[k] for k in range(num_end, head.i + 1)]
    keep = [t for t in toks if not (t.pos_ in ("VERB", "PUNCT", "DET", "ADV") or t.lower_ in _SKIP_MODS
                                    or (t.like_num and t.i != head.i))]
    return " ".join(t.text for t in keep) if keep else head.text


def _unit(head: Token | None, currency: str | None, percent: bool, glued: str = "") -> str | None:
    if glued:
        return glued
    if currency:
        return currency
    if percent:
        return "percent"
    if head is None:
        return None
    lem = head.lemma_.lower()
    if lem in _TROOPS or (lem == "member" and any(c.lower_ == "service" for c in head.children)):
        return "troops"
    if lem in _PEOPLE or head.ent_type_ == "NORP":
        return "people"
    return lem


def _place_of(tok: Token, exclude: Token | None) -> str | None:
    """A GPE/LOC/FAC under a place preposition among ``tok``'s children (not inside ``exclude``'s subtree)."""
    for c in tok.children:
        if c.dep_ not in ("prep", "prt", "advmod") or c.lower_ not in _PLACE_PREPS:
            continue
        if exclude is not None and c.i in {t.i for t in exclude.subtree}:
            continue
        objs = [g for g in c.children if g.dep_ == "pobj"]
        if c.lower_ == "out":        # "out of Afghanistan"
            objs += [g for p in c.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
        for o in objs:
            if o.ent_type_ in _PLACE_ENTS:
                names = [_ent_text(o)] + [_ent_text(x) for x in o.conjuncts if x.ent_type_ in _PLACE_ENTS]
                return " and ".join(dict.fromkeys(names))
    return None


def _ent_text(t: Token) -> str:
    for e in t.doc.ents:
        if e.start <= t.i < e.end:
            words = [w for w in e if not (w.i == e.start and w.lower_ == "the")]
            return " ".join(w.text for w in words) if words else e.text
    return t.text


def _location(num: Token, head: Token | None) -> str | None:
    """Walk from the counted noun up to its clause's verb, nearest attachment first."""
    node = head or num
    place = _place_of(node, None)
    if place:
        return place
    for c in node.children:                 # "troops currently stationed in Iraq"
        if c.dep_ in ("acl", "relcl"):
            place = _place_of(c, None)
            if place:
                return place
    child, cur = node, node.head
    for _ in range(5):
        if cur.i == child.i:
            break
        if cur.pos_ in ("VERB", "AUX"):
            place = _place_of(cur, child) or (_subject_place(cur) if child.dep_ in ("attr", "acomp") else None)
            if place or cur.dep_ != "xcomp":
                return place
        elif cur.pos_ in ("NOUN", "PROPN"):
            place = _place_of(cur, child)
            if place:
                return place
        child, cur = cur, cur.head
    return None


def _subject_place(verb: Token) -> str | None:
    """"Argentina's age of consent is 18": the copula's subject belongs to a place."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            for p in c.children:
                if p.dep_ == "poss" and p.ent_type_ in _PLACE_ENTS:
                    return _ent_text(p)
    return None


def _approximation(doc: Doc, i: int) -> tuple[int, bool, str | None]:
    """(new start, approximate?, which bound the number is) from the words just before the number."""
    w1 = doc[i - 1].lower_ if i >= 1 else ""
    w2 = (doc[i - 2].lower_, w1) if i >= 2 else ("", "")
    if w2 in _APPROX_2:
        return i - 2, True, _APPROX_2[w2]
    if w1 in _APPROX_1 and not (w1 == "over" and doc[i - 1].dep_ == "prep" and doc[i - 1].head.pos_ == "VERB"
                                and doc[i].dep_ != "nummod" and doc[i - 1].head.i > i):
        return i - 1, True, _APPROX_1[w1]
    return i, False, None


def extract_quantities(doc: Doc, article_id: str, times: list[TimeRef], published: date | None) -> list[Quantity]:
    """Every count, percentage and sum of money in ``doc`` with its counted thing, place and date."""
    in_time = [False] * len(doc)
    for tr in times:
        if tr.type in ("DURATION", "SET"):      # 'five years', '$5 a year': the number is still a quantity
            continue
        span = doc.char_span(tr.start, tr.end, alignment_mode="expand")
        if span is not None:
            for t in span:
                in_time[t.i] = True
    out: list[Quantity] = []
    i = 0
    while i < len(doc):
        if not _is_number(doc[i]) or in_time[i]:
            i += 1
            continue
        a, b = _number_span(doc, i)
        if _excluded(doc, a, b, in_time):
            i = b
            continue
        q, i = _build(doc, a, b, article_id, times, published, in_time)
        if q is not None:
            out.append(q)
    return out


def _build(doc: Doc, a: int, b: int, article_id: str, times: list[TimeRef], published: date | None,
           in_time: list[bool]) -> tuple[Quantity | None, int]:
    low = high = value = None
    glued_unit = ""
    num_tok = doc[b - 1]
    start_tok, approximate, bound = _approximation(doc, a)
    end = b
    vague = VAGUE.get(doc[a].lower_)
    if vague:
        low, high, approximate = vague[0], vague[1], True
    elif _glued(doc[a]) is not None and b == a + 1:
        value, glued_unit = _glued(doc[a])       # type: ignore[misc]
    elif a > 0 and doc[a - 1].lower_ in ("several", "few", "many") and doc[a].lower_ in _SCALE_WORDS:
        scale = words_to_number([doc[a].text]) or 1.0
        low, high, approximate, start_tok = 3 * scale, 9 * scale, True, a - 1
    else:
        value = words_to_number([t.text for t in doc[a:b]])
        if value is None:
            return None, b
    # Ranges: "between 5,000 and 6,000", "5,000-6,000", "from 5 to 6", "5 to 6".
    between = any(t.lower_ == "between" for t in doc[max(0, a - 4):a])
    if end + 1 < len(doc) and doc[end].text in ("-", "–", "to", "and") and _is_number(doc[end + 1]) \
            and not in_time[end + 1] and (doc[end].text != "and" or between):
        a2, b2 = _number_span(doc, end + 1)
        v2 = words_to_number([t.text for t in doc[a2:b2]])
        if v2 is not None and value is not None and v2 <= value and doc[end].text in ("-", "–"):
            return None, b2          # "35-10 vote", "3-1 win": a score, not a range
        if v2 is not None and value is not None and v2 > value:
            scale_words = [t.lower_ for t in doc[a2:b2] if t.lower_ in _SCALE_WORDS]
            if scale_words and value < 1000 and words_to_number([doc[a].text, *scale_words]):
                value = words_to_number([t.text for t in doc[a:b]] + scale_words)   # "2 to 3 million"
            elif doc[end].text != "and" and 0 < value < 100 <= v2 / value and v2 >= 1000 and v2 % 1000 == 0 \
                    and value * 1000 <= v2:
                value *= 1000       # "9-10,000 troops", "20 to 30,000 people": the thousands are said once
            low, high, value = value, v2, None
            num_tok, end = doc[b2 - 1], b2
            if a > 0 and doc[a - 1].lower_ in ("between", "from"):
                start_tok = a - 1
            approximate = approximate and bound is None
    elif bound == "low":
        low = value
    elif bound == "high":
        high = value
    currency = None
    if start_tok > 0 and doc[start_tok - 1].text.lower() in _CURRENCY:
        currency = _CURRENCY[doc[start_tok - 1].text.lower()]
        start_tok -= 1
    elif doc[a].text.lower() in _CURRENCY:
        currency = _CURRENCY[doc[a].text.lower()]
    percent = end < len(doc) and doc[end].lower_ in ("%", "percent", "pct", "per")
    if percent:
        end += 2 if doc[end].lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent" else 1
    head = None if percent else (_counted_head(num_tok) or _counted_head(doc[b - 1]) or _adjacent_noun(doc, end))
    if head is None and not percent and any(t.lower_ == "and" for t in doc[a:b]):
        head = _counted_head(doc[a])    # "two and a half million people": the parser hangs the noun off "two"
    if head is None and not percent and not currency and not glued_unit:
        head = _level_subject(num_tok)
    if head is not None and head.lower_ in ("min", "mins") and head.i + 1 < len(doc) and doc[head.i + 1].lower_ == "read":
        return None, end       # "2 min read": page furniture, not a fact
    if head is not None and not currency and head.lower_ in _CURRENCY_WORDS:
        currency, head = _CURRENCY_WORDS[head.lower_], None
        end = max(end, num_tok.i + 2)
    if percent:
        head = next((g for c in doc[end - 1].children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"),
                    None)
    if head is not None and ("\n" in doc_text(doc)[num_tok.idx:head.idx] or glued_unit):
        head = None        # a glued unit ("1200hp") is what is counted; never reach across a line break
    counted = _counted_text(doc, num_tok.i + 1, head) if head is not None else (glued_unit or None)
    span_end = max(end, head.i + 1) if head is not None and head.i >= end and head.i - end < 6 else end
    while span_end > start_tok + 1 and doc[span_end - 1].is_punct and doc[span_end - 1].text not in ("%",):
        span_end -= 1
    location = _location(num_tok, head)
    as_of = _as_of(num_tok, head, times, published)
    s, e = doc[start_tok].idx, doc[span_end - 1].idx + len(doc[span_end - 1].text)
    q = Quantity(
        id=content_id("qty", article_id, s, e), article_id=article_id, start=s, end=e, text=doc_text(doc)[s:e],
        value=value, low=low, high=high, approximate=approximate, unit=_unit(head, currency, percent, glued_unit),
        counted=counted, location=location, as_of=as_of,
    )
    return q, max(end, b)


def _as_of(num: Token, head: Token | None, times: list[TimeRef], published: date | None) -> str | None:
    """The clause's time expression if there is one (for 'since X': the state holds up to publication), else the
    publication date."""
    anchor_tok = head or num
    tr = time_for(anchor_tok, times, scope=clause_head(anchor_tok))
    cal = calendar_ref(tr.value, tr.type, tr.interval) if tr is not None else None   # DATE/TIME only
    if tr is not None and cal:
        if tr.mod == "since" and tr.interval:
            return tr.interval[1]
        return cal[0]
    return published.isoformat() if published else None
