"""What two claims share, as numbers a pair model can weigh: the evidence that they state the same proposition and
whether they are compatible.

Topic is not proposition. Two claims about swine flu in Mexico share a topic; "Mexico closed its schools" and
"Mexico shut schools nationwide" share a proposition: the same predicate sense over the same arguments. So beside the
MiniLM cosine of the texts (which is high for any two sentences on one topic) the features compare the parts:
predicate lemma and antonym frame, subject entity, object words, places, the counted things and their values, and
what differs (polarity, modality, the time between the statements). The model that weighs them is trained here
(``training/train_pairs.py``) on hand-labelled pairs of real news claims (``benchmarks/data/relation_pairs_*``).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy as np

from ..lang import en

# The fact keys this stage reads, by kind of fact: the corpus view holds only declared keys (xdoc/fact_rows.py).
READS = {"quantities": ("text", "value", "low", "high", "approximate", "unit", "counted")}

POSITIONS = ("planned", "intended", "predicted")     # modalities that state a plan, forecast or position, not a fact
NOT_OPPOSABLE = ("demanded", "possible")             # a demand or a possibility contradicts nothing
TOL_APPROX = 0.10                                    # "about 2,500" covers ±10 %
TOL_EXACT = 0.02
_WORD = re.compile(r"[a-z][a-z'-]+|\d[\d,.]*")
_NEG = re.compile(r"\b(?:not|no|never|n't|none|neither|nor|without|denied|denies|deny)\b", re.IGNORECASE)
_STOP = frozenset("""a an the and or but if of in on at to for from by with as is are was were be been being it its this
that these those he she they we you i his her their our your them us him so than then there here which who whom whose
what when where why how all any both each few more most other some such only own same too very can will just should
now also has have had do does did would could may might must said says say about after before over under into out up
down off again further once told tell according""".split())


@dataclass(frozen=True, slots=True)
class NumberRef:
    """A number inside a claim: what it counts (normalised head noun), its value interval, its unit."""

    head: str
    lo: float
    hi: float
    unit: str
    rate: bool          # "a day", "per week": a rate is not a total


@dataclass(slots=True)
class ClaimRef:
    """A claim with what alignment and the relations need, resolved once."""

    id: str
    article_id: str
    canonical: str               # the article a syndicated copy counts as
    text: str
    predicate: str
    frame: str
    sign: int                    # +1/-1: the predicate's direction inside its frame
    stance: int                  # sign, flipped by negation and denial
    modality: str
    polarity: bool
    speaker: str | None
    subject: str | None          # canonical entity id
    args: frozenset[str]         # canonical entity ids of subject, object and places
    places: frozenset[str]
    event_date: str | None
    event_precision: str | None
    stated: date | None          # when the claim was made: the article's date
    stated_inferred: bool
    outlet: str
    story_id: str | None
    headline: bool = False
    words: frozenset[str] = frozenset()
    subject_words: frozenset[str] = frozenset()
    object_words: frozenset[str] = frozenset()
    numbers: tuple[NumberRef, ...] = ()
    context_places: frozenset[str] = frozenset()     # places of the claim's sentence and of its speaker
    actor_place: str | None = None                   # the place that acts: a country as subject or speaker
    article_places: frozenset[str] = frozenset()     # every place the claim's article names
    vec: Any = field(repr=False, default=None)      # MiniLM vector of the text


@functools.lru_cache(maxsize=65_536)      # subjects and objects ("the WHO", "officials") recur across claims
def content_words(text: str | None) -> frozenset[str]:
    """Lower-cased content words cut to six letters (a crude stem: 'closed'/'closing'/'closes' meet)."""
    return frozenset(w[:6] for w in _WORD.findall((text or "").lower()) if w not in _STOP and len(w) > 1)


def normalise_counted(counted: str | None) -> str | None:
    """'occupying US troops' → 'troops'; 'foreign contractors' → 'contractor'; 'percent of flu samples' → 'percent'."""
    if not counted:
        return None
    words = [w.lower().strip(".,’'%") for w in counted.split(" of ")[0].split() if w.strip(".,’'%")]
    if not words:
        return "percent" if "%" in counted else None
    head = words[-1]
    syn = en.counted_synonyms()
    if head in syn:
        return syn[head]
    if head.endswith("ies") and len(head) > 4:
        return head[:-3] + "y"
    return head[:-1] if head.endswith("s") and not head.endswith("ss") and len(head) > 3 else head


_RATE = re.compile(r"\b(?:a|an|per|each|every)\s+(?:(?:average|typical|normal|given)\s+)?"
                   r"(?:day|week|month|year|hour|minute)\b|\b(?:daily|weekly|annually|monthly|hourly)\b", re.IGNORECASE)


def _significant_digits(v: float) -> int:
    digits = str(int(abs(v))).rstrip("0")
    return max(1, len(digits))


def _tolerance(v: float | None, approximate: bool) -> float:
    """How far a stated figure reaches. A rounded figure said to be approximate ("about 60", "some 30,000") covers
    ±10 %; a figure written to the unit ("up to 103", "some 26", "nearly 13,400") names that value even when hedged,
    so "up to 103" and "up to 101" on two days are two tolls, not one agreed (exact counts below 1,000 or not
    rounded to hundreds have no tolerance: "33 countries"/"34 countries", "12,515"/"12,954")."""
    if v is None or v != int(v):
        return TOL_APPROX if approximate else TOL_EXACT
    sig = _significant_digits(v)
    if approximate and (sig == 1 or (sig == 2 and abs(v) >= 1000)):
        return TOL_APPROX
    if abs(v) < 1000 or v % 100:
        return 0.0
    return TOL_EXACT


def number_bounds(q: Any) -> tuple[float, float] | None:
    """The interval a stated number covers: ranges and 'more than'/'up to' bounds kept, ±10 % for 'about'."""
    v, lo, hi = q.get("value"), q.get("low"), q.get("high")
    tol = _tolerance(v, bool(q.get("approximate")))
    if lo is not None or hi is not None:
        lo_v = lo if lo is not None else (v if v is not None else 0.0)
        hi_v = hi if hi is not None else (v if v is not None and lo is None else float("inf"))
        if lo is not None and hi is None and v is not None and v != lo:
            hi_v = v
        return lo_v * (1 - tol), hi_v * (1 + tol)
    if v is None:
        return None
    return v * (1 - tol), v * (1 + tol)


def number_ref(q: Any, sentence: str = "") -> NumberRef | None:
    head = normalise_counted(q.get("counted")) or (q.get("unit") or "")
    b = number_bounds(q)
    if not head or b is None or q.get("unit") in ("date", "year"):
        return None
    tail = sentence or q.get("text") or ""
    return NumberRef(head, b[0], b[1], q.get("unit") or "", bool(_RATE.search(tail)))


class Interval(Protocol):
    """What a figure needs for the comparisons: the interval it covers (a ``NumberRef``, a series point)."""

    @property
    def lo(self) -> float: ...

    @property
    def hi(self) -> float: ...


def compatible(a: Interval, b: Interval) -> bool:
    """Each figure inside the other's tolerance (ranges and approximations respected)."""
    return a.lo <= b.hi and b.lo <= a.hi


def narrow(a: Interval) -> bool:
    """Precise enough to agree with: "up to 103" fits 101 and 12 alike, "more than 800" fits 1,261 and 80,000."""
    return a.hi < float("inf") and a.hi <= 1.5 * max(a.lo, 1e-9)


def _jacc(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


FEATURES = (
    "cos", "cos_sq", "word_jacc", "word_overlap", "pred_same", "frame_same", "frame_opposite", "subject_same",
    "subject_words", "object_words", "args_jacc", "args_shared", "places_disjoint", "numbers_both",
    "number_same_head", "number_compatible", "number_incompatible", "polarity_differs", "stance_differs",
    "negation_differs", "modality_same", "position_either", "not_opposable_either", "log_days", "same_outlet",
    "speaker_same", "headline_either", "length_ratio", "pred_same_x_subject", "stance_differs_x_pred",
    "stance_differs_x_cos", "number_incompatible_x_subject", "bias",
)


def _days(a: ClaimRef, b: ClaimRef) -> float:
    if a.stated is None or b.stated is None:
        return 30.0
    return float(abs((a.stated - b.stated).days))


def pair_features(a: ClaimRef, b: ClaimRef) -> np.ndarray:
    """The feature vector of a pair, in ``FEATURES`` order; symmetric in ``a`` and ``b``."""
    cos = float(np.dot(a.vec, b.vec)) if a.vec is not None and b.vec is not None else 0.0
    pred_same = float(a.predicate.lower() == b.predicate.lower() and bool(a.predicate))
    frame_same = float(a.frame == b.frame)
    frame_opp = float(a.frame == b.frame and a.sign != b.sign)
    subj_same = float(a.subject is not None and a.subject == b.subject)
    same_head = [(x, y) for x in a.numbers for y in b.numbers if x.head == y.head and x.rate == y.rate]
    num_compat = float(any(compatible(x, y) and narrow(x) and narrow(y) for x, y in same_head))
    num_incompat = float(bool(same_head) and not any(compatible(x, y) for x, y in same_head))
    stance_diff = float(a.stance != b.stance)
    neg_diff = float(bool(_NEG.search(a.text)) != bool(_NEG.search(b.text)))
    la, lb = len(a.text), len(b.text)
    values = (
        cos, cos * cos, _jacc(a.words, b.words), _overlap(a.words, b.words), pred_same, frame_same, frame_opp,
        subj_same, _jacc(a.subject_words, b.subject_words), _jacc(a.object_words, b.object_words),
        _jacc(a.args, b.args), min(len(a.args & b.args), 3) / 3.0,
        float(bool(a.places) and bool(b.places) and not (a.places & b.places)),
        float(bool(a.numbers) and bool(b.numbers)), float(bool(same_head)), num_compat, num_incompat,
        float(a.polarity != b.polarity), stance_diff, neg_diff, float(a.modality == b.modality),
        float(a.modality in POSITIONS or b.modality in POSITIONS),
        float(a.modality in NOT_OPPOSABLE or b.modality in NOT_OPPOSABLE),
        math.log1p(_days(a, b)) / 5.0, float(a.outlet == b.outlet),
        float(bool(a.speaker) and a.speaker == b.speaker), float(a.headline or b.headline),
        min(la, lb) / max(la, lb, 1), pred_same * subj_same, stance_diff * max(pred_same, frame_same),
        stance_diff * cos, num_incompat * subj_same, 1.0,
    )
    return np.asarray(values, dtype=np.float64)
