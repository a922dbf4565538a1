"""Relations between aligned claims and between comparable numbers, each with an explanation a reader can check.

Kinds (CONTRACT.md): ``agreement``, ``contradiction`` (same proposition, same time, opposite stance),
``numeric_conflict`` (same counted thing and place, same or unknowable time, values outside tolerance),
``change_over_time`` (different stance or value at clearly different times), ``superseded`` (a later statement
replaces an earlier plan or position).

Time is the article's date when the claim was made (a claim about a plan is a position *held then*), or a
quantity's ``as_of``; an undated article contributes its inferred bounds, and every explanation resting on such a
date says so. Copies of one article count once (syndication), claims of one article are never set against each
other, and each claim is paired only with its nearest opposite in time, so the output stays linear in the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..model import content_id
from .align import ClaimRef, Proposition, normalise_counted, proposition_label, resolve_place
from .entities import EntityIndex
from .lexicon import FRAME_SIDES
from .view import CorpusView, DocView, period

SAME_TIME_DAYS = 7          # statements this close count as made at the same time
NARROW_DAYS = 31            # a time interval wider than this is too vague to call two statements simultaneous
POSITIONS = ("planned", "intended", "predicted")     # modalities that state a plan or position, not a fact
NOT_OPPOSABLE = ("demanded", "possible")             # a demand or a possibility contradicts nothing
TOL_APPROX = 0.10           # "about 2,500" covers ±10 %
TOL_EXACT = 0.02
WINDOW = 40                 # earlier claims of one proposition a claim is compared with


def _short(text: str, n: int = 110) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"


def _doc_interval(doc: DocView) -> tuple[date, date] | None:
    if doc.published:
        return doc.published, doc.published
    if doc.bounds:
        return doc.bounds[0] or date.min, doc.bounds[1] or date.max
    return None


def _relation(kind: str, claim_ids: list[str], explanation: str, **extra: Any) -> dict[str, Any]:
    rel = {"kind": kind, "claim_ids": claim_ids, "explanation": explanation, **extra}
    rel["id"] = content_id("rel", kind, *claim_ids, *extra.get("quantity_ids", []))
    return rel


def _when(doc: DocView) -> str:
    return doc.date_label()


def _who(r: ClaimRef, doc: DocView) -> str:
    who = doc.outlet
    return f"{who} ({_when(doc)})" + (f", quoting {r.speaker}" if r.speaker else "")


def _time_relation(a: tuple[date, date] | None, b: tuple[date, date] | None) -> str:
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


def _inferred_note(*docs: DocView) -> str:
    inferred = [d for d in docs if d.date_inferred]
    if not inferred:
        return ""
    parts = [f"{d.outlet if d.outlet != 'unknown' else d.id} is undated; its date is inferred "
             f"({d.basis or 'from content'})" for d in inferred]
    return " This judgment depends on an inferred date: " + "; ".join(parts) + "."


# ---- claims -------------------------------------------------------------------------------------------------------
def claim_relations(view: CorpusView, refs: dict[str, ClaimRef], props: list[Proposition]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in props:
        label = proposition_label(p)
        members = [refs[i] for i in p.claim_ids]
        # A demand agrees only with demands ("militias demand the departure"), a possibility with nothing.
        for stance, demand in ((1, False), (-1, False), (1, True), (-1, True)):
            side = [r for r in members if r.stance == stance and (r.modality == "demanded") == demand
                    and r.modality != "possible"]
            by_source: dict[str, ClaimRef] = {}
            for r in side:
                by_source.setdefault(r.canonical, r)
            if len(by_source) >= 2:
                out.append(_agreement(view, label, stance, side, by_source, demand))
        out.extend(_oppositions(view, label, members, p.id))
    return out


def _agreement(view: CorpusView, label: str, stance: int, side: list[ClaimRef],
               by_source: dict[str, ClaimRef], demand: bool = False) -> dict[str, Any]:
    who = "; ".join(f"{_who(r, view.by_id[r.article_id])}: “{_short(r.text, 80)}”" for r in by_source.values())
    copies = sorted({r.article_id for r in side if r.article_id != r.canonical})
    note = f" Copies of one article ({', '.join(copies)}) are counted once." if copies else ""
    frame = side[0].frame
    if frame in FRAME_SIDES:
        what = FRAME_SIDES[frame][0 if stance > 0 else 1]
        side_txt = f"{'demand' if demand else 'report'} {what} ({label})"
    else:
        verb = "demand" if demand else "affirm" if stance > 0 else "deny"
        side_txt = f"{verb} the same proposition ({label})"
    expl = f"{len(by_source)} independent sources {side_txt}: {who}.{note}"
    return _relation("agreement", [r.id for r in side], expl, sources=len(by_source))


def claim_time(r: ClaimRef, doc: DocView) -> tuple[date, date] | None:
    """When a claim holds: the period its event date names for a statement of fact ("did not withdraw until
    December 2011"); for a plan, prediction or position, the day it was stated (the position held *then*)."""
    if r.event_date and r.modality == "asserted":
        p = period(r.event_date, r.event_precision)
        if p:
            return p
    return _doc_interval(doc)


def _pair_score(a: ClaimRef, b: ClaimRef) -> float:
    """Which pair best shows the opposition between two articles: similar wording, headline claims, shared args."""
    sim = float(np.dot(a.vec, b.vec)) if a.vec is not None and b.vec is not None else 0.0
    same_kind = a.predicate == b.predicate or (a.modality in POSITIONS and b.modality in POSITIONS)
    return sim + 0.15 * (a.headline + b.headline) + 0.05 * len(a.args & b.args) + 0.1 * same_kind


def _oppositions(view: CorpusView, label: str, members: list[ClaimRef], prop_id: str) -> list[dict[str, Any]]:
    """Claims of opposite stance from different articles: per pair of articles, the pair of claims that shows it
    best. Each claim looks back at most ``WINDOW`` claims in time, so a big proposition stays linear."""
    usable = [r for r in members if r.modality not in NOT_OPPOSABLE]
    usable.sort(key=lambda r: (r.stated or date.min, r.id))
    best: dict[tuple[str, str], tuple[float, ClaimRef, ClaimRef]] = {}
    for j, b in enumerate(usable):
        for a in usable[max(0, j - WINDOW):j]:
            if a.stance == b.stance or a.canonical == b.canonical:
                continue
            pair = (min(a.canonical, b.canonical), max(a.canonical, b.canonical))
            score = _pair_score(a, b)
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, a, b)
    return [_judge(view, label, a, b, prop_id) for _pair, (_s, a, b) in sorted(best.items())]


def _said(r: ClaimRef, doc: DocView, t: tuple[date, date] | None) -> str:
    about = f", about {r.event_date}" if t is not None and t != _doc_interval(doc) and r.event_date else ""
    flags = f"{r.modality}{', negated' if not r.polarity else ''}{about}"
    return f"{_who(r, doc)} says “{_short(r.text)}” ({flags})"


def _gap(days: int) -> str:
    if days < 60:
        return f"{days} days"
    if days < 730:
        return f"about {round(days / 30.4)} months"
    return f"about {round(days / 365.25)} years"


def _judge(view: CorpusView, label: str, a: ClaimRef, b: ClaimRef, prop_id: str) -> dict[str, Any]:
    da, db = view.by_id[a.article_id], view.by_id[b.article_id]
    ta, tb = claim_time(a, da), claim_time(b, db)
    rel = _time_relation(ta, tb)
    if rel == "after":
        a, b, da, db, ta, tb = b, a, db, da, tb, ta
        rel = "before"
    sa, sb = _said(a, da, ta), _said(b, db, tb)
    note = _inferred_note(da, db)
    if rel == "before":
        gap = (tb[0] - ta[1]).days  # type: ignore[index]
        if a.modality in POSITIONS:
            kind = "superseded"
            expl = (f"Superseded ({label}): earlier, {sa}; {_gap(gap)} later, {sb}. The later statement "
                    f"replaces the earlier plan or position rather than contradicting it at the same moment.{note}")
        else:
            kind = "change_over_time"
            expl = (f"Change over time ({label}): {sa}; {_gap(gap)} later, {sb}. Both can be true at their "
                    f"own dates.{note}")
    elif rel == "same":
        kind = "contradiction"
        expl = f"Contradiction ({label}), at the same time: {sa}; but {sb}.{note}"
    else:
        kind = "contradiction"
        expl = (f"Contradiction ({label}): {sa}; but {sb}. Their dates are unknown or too vague to tell whether "
                f"this is a change over time.{note}")
    return _relation(kind, [a.id, b.id], expl, proposition_id=prop_id)


# ---- quantities ---------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class QuantityRef:
    id: str
    article_id: str
    canonical: str
    text: str
    lo: float
    hi: float
    approximate: bool
    key: tuple[str, str, str]            # counted, place, unit
    when: tuple[date, date] | None
    when_label: str
    inferred: bool
    claim_ids: list[str]


def _bounds(q: dict[str, Any]) -> tuple[float, float] | None:
    v, lo, hi = q.get("value"), q.get("low"), q.get("high")
    tol = TOL_APPROX if q.get("approximate") else TOL_EXACT
    if lo is not None or hi is not None:
        lo_v = lo if lo is not None else (v if v is not None else 0.0)
        hi_v = hi if hi is not None else (v if v is not None and lo is None else float("inf"))
        if lo is not None and hi is None and v is not None and v != lo:
            hi_v = v
        return lo_v * (1 - tol), hi_v * (1 + tol)
    if v is None:
        return None
    return v * (1 - tol), v * (1 + tol)


def quantity_refs(view: CorpusView, index: EntityIndex) -> list[QuantityRef]:
    out = []
    for doc in view.docs:
        claims = doc.claims()
        for q in doc.quantities():
            counted = normalise_counted(q.get("counted"))
            place = resolve_place(q.get("location"), doc.id, index)
            b = _bounds(q)
            if not counted or not place or b is None or q.get("unit") in ("date", "year"):
                continue
            as_of = period(q.get("as_of"))
            when = as_of or _doc_interval(doc)
            label = q.get("as_of") or doc.date_label()
            cover = [c["id"] for c in claims if c["start"] <= q["start"] and q["end"] <= c["end"]]
            out.append(QuantityRef(q["id"], doc.id, view.canonical(doc.id), q.get("text", ""), b[0], b[1],
                                   bool(q.get("approximate")), (counted, place, q.get("unit") or ""), when,
                                   f"as of {label}", as_of is None and doc.date_inferred, cover))
    return out


def quantity_relations(view: CorpusView, index: EntityIndex, qrefs: list[QuantityRef]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[QuantityRef]] = defaultdict(list)
    for q in qrefs:
        groups[q.key].append(q)
    out: list[dict[str, Any]] = []
    for key in sorted(groups):
        qs = sorted(groups[key], key=lambda q: ((q.when or (date.min, date.min))[0], q.id))
        if len({q.canonical for q in qs}) < 2:
            continue
        place = index.name(key[1]) or key[1]
        what = f"{key[0]} in {place}"
        out.extend(_value_agreements(view, what, qs))
        done: set[tuple[str, str]] = set()
        for j, b in enumerate(qs):
            for a in reversed(qs[:j]):
                if a.canonical == b.canonical or _compatible(a, b):
                    continue
                pair = tuple(sorted((a.canonical, b.canonical)))
                if pair not in done:
                    done.add(pair)  # type: ignore[arg-type]
                    out.append(_judge_numbers(view, what, a, b))
                break
    return out


def _compatible(a: QuantityRef, b: QuantityRef) -> bool:
    return a.lo <= b.hi and b.lo <= a.hi


def _value_agreements(view: CorpusView, what: str, qs: list[QuantityRef]) -> list[dict[str, Any]]:
    """Sources whose numbers are compatible with each other (ranges and approximations respected), counted once."""
    out = []
    used: set[str] = set()
    for q in sorted(qs, key=lambda q: (q.lo, q.id)):
        if q.id in used:
            continue
        grp = [x for x in qs if x.id not in used and _compatible(q, x)]
        sources = {x.canonical for x in grp}
        if len(sources) < 2:
            continue
        used.update(x.id for x in grp)
        who = "; ".join(f"{_outlet(view, x)} “{x.text}” ({x.when_label})" for x in grp)
        note = _inferred_note(*{view.by_id[x.article_id].id: view.by_id[x.article_id] for x in grp if x.inferred}.values())
        out.append(_relation("agreement", sorted({c for x in grp for c in x.claim_ids}),
                             f"{len(sources)} independent sources give compatible numbers for {what}: {who}.{note}",
                             quantity_ids=[x.id for x in grp], sources=len(sources)))
    return out


def _outlet(view: CorpusView, q: QuantityRef) -> str:
    d = view.by_id[q.article_id]
    return d.outlet


def _judge_numbers(view: CorpusView, what: str, a: QuantityRef, b: QuantityRef) -> dict[str, Any]:
    rel = _time_relation(a.when, b.when)
    if rel == "after":
        a, b, rel = b, a, "before"
    sa = f"{_outlet(view, a)} gives “{a.text}” ({a.when_label})"
    sb = f"{_outlet(view, b)} gives “{b.text}” ({b.when_label})"
    docs = [view.by_id[x.article_id] for x in (a, b) if x.inferred]
    note = _inferred_note(*docs)
    claim_ids = list(dict.fromkeys([*a.claim_ids, *b.claim_ids]))
    if rel == "before":
        kind = "change_over_time"
        expl = (f"Change over time in {what}: {sa}; later, {sb}. The numbers are outside each other's tolerance "
                f"but hold at different times, so this reads as a change, not a conflict.{note}")
    elif rel == "same":
        kind = "numeric_conflict"
        expl = f"Numeric conflict on {what} at the same time: {sa}, but {sb}.{note}"
    else:
        kind = "numeric_conflict"
        expl = (f"Numeric conflict on {what}: {sa}, but {sb}. The values are outside each other's tolerance and "
                f"their dates cannot be told apart, so a change over time cannot be shown.{note}")
    return _relation(kind, claim_ids, expl, quantity_ids=[a.id, b.id])
