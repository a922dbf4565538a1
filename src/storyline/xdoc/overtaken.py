"""Positions overtaken by later events: an earlier plan, intention or forecast and a later statement of the opposite,
about the same actor doing the same thing to the same object or place.

Why a gate of its own beside the pair model: the model learned from hand-labelled pairs of real news, where an
opposition is rare (29 of 1,198 training pairs), so its probability of "incompatible" stays low even for a textbook
case ("US agrees to withdraw … from Iraq" on 7 April; "American troops will remain in Iraq" on 23 April). The shape of
a superseded position is narrow enough to state: the two claims sit on opposite sides of one predicate frame (the
same verb negated, or antonyms from ``lang/en/frames.tsv``), the same subject entity (or two shared entities), the
same object words or a shared place other than the subject (the object of "remain in Iraq" is the place), high text
similarity, and the earlier one is a position held at the time (planned, intended, predicted) stated more than a week
before the later one. Questions ("whether … or not", "why …") and bare infinitives ("would cause the WHO to raise")
state nothing. On the joined Timeline17 dev collections the gate keeps 2 pairs, both the WHO's "no plan to raise the
alert to six" (4 May 2009) overtaken by the raise of 11 June, and the first-round H1N1 labels (made before the gate
existed) hold exactly those 2 superseded pairs; on the example corpus it finds the withdrawal plan overtaken by "we're
going to stay". Without ``frames.tsv`` only negations of one verb are caught.

Time is when each claim holds (``claim_time``): the stated event date of a statement of fact, else the day the
article was published (a position is the one held *then*), else an undated article's inferred bounds.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np

from .pair_features import NOT_OPPOSABLE, POSITIONS, ClaimRef
from .view import CorpusView, DocView, period

SAME_TIME_DAYS = 7          # statements this close count as made at the same time
NARROW_DAYS = 31            # a time interval wider than this is too vague to call two statements simultaneous
MIN_COS = 0.55              # MiniLM cosine of the two claims: same wording of one proposition, not just one topic
MIN_OBJECT_OVERLAP = 0.3    # Jaccard of the object words ("pandemic alert" / "alert level")
# Share of gated pairs a careful reader signed: 3 of 3 on the T17 dev collections and the example corpus, Laplace-
# smoothed ((k+1)/(n+2) = 0.8) and rounded up for the 2 of 2 labelled H1N1 superseded pairs found: a small sample.
SUPERSEDED_PRECISION = 0.83
# Not a statement that something happened: a question, an open alternative, an indirect question ("why U.S. power
# has been used in Libya").
_OPEN = re.compile(r"\?|\bor not\b|\bwhether\b|^\W*(?:why|how|what|when|where|who)\b", re.IGNORECASE)


def doc_interval(doc: DocView) -> tuple[date, date] | None:
    if doc.published:
        return doc.published, doc.published
    if doc.bounds:
        return doc.bounds[0] or date.min, doc.bounds[1] or date.max
    return None


def claim_time(r: ClaimRef, doc: DocView) -> tuple[date, date] | None:
    """When a claim holds: the period its event date names for a statement of fact ("did not withdraw until
    December 2011"); for a plan, prediction or position, the day it was stated (the position held *then*)."""
    if r.event_date and r.modality == "asserted":
        p = period(r.event_date, r.event_precision)
        if p:
            return p
    return doc_interval(doc)


def time_relation(a: tuple[date, date] | None, b: tuple[date, date] | None) -> str:
    """'same', 'before' (a ends before b starts), 'after', or 'unknown' (missing or too vague to tell)."""
    if a is None or b is None:
        return "unknown"
    slack = timedelta(days=SAME_TIME_DAYS)
    if a[1] < date.max - slack and a[1] + slack < b[0]:
        return "before"
    if b[1] < date.max - slack and b[1] + slack < a[0]:
        return "after"
    narrow = (a[1] - a[0]).days <= NARROW_DAYS and (b[1] - b[0]).days <= NARROW_DAYS
    return "same" if narrow else "unknown"


def _bare_infinitive(r: ClaimRef) -> bool:
    """An 'asserted' claim whose verb is an infinitive ("… would cause the WHO to raise the alert") states no fact."""
    return r.modality == "asserted" and bool(re.search(rf"\bto\s+{re.escape(r.predicate.split()[0])}\b", r.text,
                                                       re.IGNORECASE))


def _same_arguments(a: ClaimRef, b: ClaimRef) -> bool:
    if not (a.subject is not None and a.subject == b.subject) and len(a.args & b.args) < 2:
        return False
    objects = a.object_words & b.object_words
    overlap = len(objects) / len(a.object_words | b.object_words) if objects else 0.0
    shared_places = (a.places & b.places) - {a.subject, b.subject}
    return overlap >= MIN_OBJECT_OVERLAP or bool(shared_places)


def overtaken(view: CorpusView, a: ClaimRef, b: ClaimRef) -> tuple[ClaimRef, ClaimRef, int] | None:
    """(earlier position, later statement, days between) when the later claim overtakes the earlier one, else None."""
    if a.canonical == b.canonical or a.frame != b.frame or a.stance == b.stance:
        return None
    if a.modality in NOT_OPPOSABLE or b.modality in NOT_OPPOSABLE or a.vec is None or b.vec is None:
        return None
    if float(np.dot(a.vec, b.vec)) < MIN_COS or not _same_arguments(a, b):
        return None
    if _OPEN.search(a.text) or _OPEN.search(b.text):
        return None
    ta, tb = claim_time(a, view.by_id[a.article_id]), claim_time(b, view.by_id[b.article_id])
    order = time_relation(ta, tb)
    if order == "after":
        a, b, ta, tb = b, a, tb, ta
    elif order != "before":
        return None
    if a.modality not in POSITIONS or _bare_infinitive(b):
        return None
    return a, b, (tb[0] - ta[1]).days  # type: ignore[index]
