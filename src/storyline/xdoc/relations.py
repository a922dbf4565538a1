"""Relations between sources, each with how sure it is (``confidence``), what it matters (``importance``) and an
explanation a reader can check.

Kinds (docs/contract.md): ``agreement`` (independent sources state one proposition compatibly), ``contradiction``
(same proposition, same time, incompatible), ``numeric_conflict`` (one measure, one day, two outlets, values outside
tolerance), ``change_over_time`` (incompatible at clearly different times), ``superseded`` (a later statement replaces
an earlier plan, forecast, position or estimate).

Claims: only pairs the pair model scored (``align``) can relate, so two claims are set against each other only when
the model finds they state the same proposition; ``confidence`` is the model's probability for the relation's side
(compatible or incompatible), lowered when the time that decides the kind is inferred or unknown. Numbers: relations
come from number series (``series``), where a revision over weeks is a change, not a conflict.

Time is the article's date when the claim was made (a claim about a plan is a position *held then*), or a claim's
stated event date for a statement of fact; an undated article contributes its inferred bounds, and every
explanation resting on such a date says so. Copies of one article count once, claims of one article are never set
against each other, and each pair of articles contributes its best-evidenced pair of claims.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from ..lang import en
from ..model import content_id
from .align import Proposition, ScoredPair, proposition_label
from .overtaken import SUPERSEDED_PRECISION, claim_time, doc_interval, overtaken, time_relation
from .pair_features import NOT_OPPOSABLE, POSITIONS, ClaimRef, compatible, narrow
from .pair_model import calibrate
from .pair_model import load_doc as load_pair_model_doc
from .series import Series
from .series_judge import change_confidence, path_features
from .view import CorpusView, DocView, period

OPPOSE_MIN = 0.35           # P(incompatible) below which a pair is not even a candidate opposition
AGREE_MIN = 0.5             # P(compatible) with the proposition's centre for a claim to count as agreeing
UNKNOWN_TIME_FACTOR = 0.7   # confidence kept when the dates cannot tell a contradiction from a change
INFERRED_FACTOR = 0.85      # ... when a date the kind rests on is inferred


def _short(text: str, n: int = 110) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"


def _relation(kind: str, claim_ids: list[str], explanation: str, confidence: float, importance: float,
              **extra: Any) -> dict[str, Any]:
    rel = {"kind": kind, "claim_ids": claim_ids, "explanation": explanation, "confidence": round(confidence, 3),
           "importance": round(importance, 3), **extra}
    rel["id"] = content_id("rel", kind, *claim_ids, *extra.get("quantity_ids", []))
    return rel


def _who(r: ClaimRef, doc: DocView) -> str:
    return f"{doc.outlet} ({doc.date_label()})" + (f", quoting {r.speaker}" if r.speaker else "")


def _inferred_note(*docs: DocView) -> str:
    inferred = [d for d in docs if d.date_inferred]
    if not inferred:
        return ""
    parts = [f"{d.outlet if d.outlet != 'unknown' else d.id} is undated; its date is inferred "
             f"({d.basis or 'from content'})" for d in inferred]
    return " This judgment depends on an inferred date: " + "; ".join(parts) + "."


class Importance:
    """What makes a relation matter to a reader: independent outlets involved, prominent entities, headline
    claims, a central proposition, recency within the corpus."""

    def __init__(self, view: CorpusView, refs: dict[str, ClaimRef]) -> None:
        self.refs = refs
        self.outlets = max(1, len({d.outlet for d in view.docs}))
        mentions: Counter[str] = Counter()
        for r in refs.values():
            mentions.update(r.args)
        self.top = max(mentions.values(), default=1)
        self.mentions = mentions
        days = [w for d in view.docs if (w := d.when) is not None]
        self.first: date | None = min(days) if days else None
        self.last: date | None = max(days) if days else None

    def __call__(self, claim_ids: list[str], sources: int = 2, size: int = 2, outlets: int | None = None) -> float:
        rs = [self.refs[c] for c in claim_ids if c in self.refs]
        outlets = outlets if outlets is not None else max(1, len({r.outlet for r in rs}))
        prominence = max((self.mentions[a] / self.top for r in rs for a in r.args), default=0.0)
        headline = float(any(r.headline for r in rs))
        recency = 0.0
        if self.first and self.last and self.last > self.first:
            latest = max((r.stated for r in rs if r.stated), default=None)
            recency = (latest - self.first).days / (self.last - self.first).days if latest else 0.0
            recency = min(1.0, max(0.0, recency))
        spread = min(1.0, max(0, outlets - 1) / max(1, min(self.outlets, 3) - 1)) if self.outlets > 1 else 0.0
        return (0.25 * spread + 0.2 * min(1.0, (sources - 1) / 4) + 0.2 * prominence + 0.15 * headline
                + 0.1 * min(1.0, (size - 1) / 6) + 0.1 * recency)


# ---- claims -------------------------------------------------------------------------------------------------------
def claim_relations(view: CorpusView, refs: dict[str, ClaimRef], props: list[Proposition],
                    scored: list[ScoredPair], series: list[Series] | None = None,
                    importance: Importance | None = None) -> list[dict[str, Any]]:
    importance = importance or Importance(view, refs)
    measured = SeriesIndex(series or [])
    pair = {(s.a, s.b): s for s in scored}

    def get(a: str, b: str) -> ScoredPair | None:
        return pair.get((a, b) if a < b else (b, a))

    out: list[dict[str, Any]] = []
    for p in props:
        out.extend(_agreements(view, refs, p, get, importance))
    out.extend(_oppositions(view, refs, props, [x for x in scored if not measured.shared(x.a, x.b)], importance))
    return out


class SeriesIndex:
    """Which claims hold a figure of which number series: two claims giving figures of one measure are judged by
    the series (a revision over weeks is a change, not a contradiction between their texts)."""

    def __init__(self, series: list[Series]) -> None:
        self.of: dict[str, list[tuple[Series, Any]]] = {}
        for s in series:
            for p in s.points:
                for c in p.claim_ids:
                    self.of.setdefault(c, []).append((s, p))

    def shared(self, a: str, b: str) -> list[tuple[Series, Any, Any]]:
        mine = {id(s): (s, p) for s, p in self.of.get(a, [])}
        return [(s, mine[id(s)][1], q) for s, q in self.of.get(b, []) if id(s) in mine]

    def judge(self, a: str, b: str) -> tuple[str, float] | None:
        """The series' judgment of two claims' figures, or None when they share no measure."""
        for s, p, q in self.shared(a, b):
            judged = judge_points(s, p, q)
            if judged:
                return judged
        return None


def judge_points(s: Series, p: Any, q: Any) -> tuple[str, float] | None:
    """Two figures of one measure: compatible within a week (agreement), one day and two outlets apart in value
    (numeric conflict), different dates and values (change over time, or superseded for revised estimates)."""
    if s.fresh:
        return None
    if compatible(p, q):
        # The same figure from two sources agrees, on one day or months apart (the figure held unchanged).
        if p.canonical != q.canonical and narrow(p) and narrow(q):
            return "agreement", series_confidence("agreement")
        return None
    if p.when == q.when:
        if s.fresh or p.outlet == q.outlet:
            return None
        return "numeric_conflict", series_confidence("numeric_conflict") * (GROWING_FACTOR if _growing(s) else 1.0)
    return ("superseded" if p.estimate and q.estimate else "change_over_time"), series_confidence("change_over_time")


def _same_figure(a: Any, b: Any) -> bool:
    """Within each other's tolerance when both are precise; an open figure ("more than 40") is the same only as
    itself, so a count that passes it later still shows as a step."""
    if narrow(a) and narrow(b):
        return compatible(a, b)
    return bool(a.value == b.value)


def series_confidence(kind: str) -> float:
    """How often the number series' judgment of this kind was right on the labelled training pairs (written into
    the pair model's file by ``training/train_pairs.py``)."""
    return float(load_pair_model_doc().get("series_precision", {}).get(kind, _SERIES_PRIOR[kind]))


_SERIES_PRIOR = {"agreement": 0.7, "numeric_conflict": 0.6, "change_over_time": 0.7, "superseded": 0.6}


def _agreements(view: CorpusView, refs: dict[str, ClaimRef], p: Proposition, get: Any,
                importance: Importance) -> list[dict[str, Any]]:
    """Claims that state the proposition as its centre does (compatible, same stance, not a mere demand or
    possibility), one per independent source."""
    centre = refs[p.centre]
    if centre.modality in NOT_OPPOSABLE:
        return []
    side: list[tuple[ClaimRef, float]] = [(centre, 1.0)]
    for m in p.claim_ids[1:]:
        s = get(p.centre, m)
        r = refs[m]
        if s is None or r.modality in NOT_OPPOSABLE or s.p_compatible < AGREE_MIN or r.stance != centre.stance:
            continue
        if any(_figures_differ(x, r) or _times_differ(x, r) or places_differ(x, r) for x, _c in side):
            continue                 # "killed 80" and "killed 176" are two tolls, not one claim agreed
        side.append((r, s.p_compatible))
    by_source: dict[str, tuple[ClaimRef, float]] = {}
    for r, conf in side:
        if r.canonical not in by_source or conf > by_source[r.canonical][1]:
            by_source[r.canonical] = (r, conf)
    if len(by_source) < 2 or len({r.outlet for r, _c in by_source.values()}) < 2:
        return []                    # one outlet repeating itself is consistency, not agreement between sources
    members = sorted(by_source.values(), key=lambda x: (x[0].stated or date.min, x[0].id))
    confs = sorted(c for r, c in members if r.id != centre.id)
    confidence = calibrate("agreement", confs[len(confs) // 2])
    label = proposition_label(p)
    sides = en.frame_sides()
    if centre.frame in sides:
        what = f"report {sides[centre.frame][0 if centre.stance > 0 else 1]} ({label})"
    else:
        what = f"{'affirm' if centre.stance > 0 else 'deny'} the same proposition ({label})"
    who = "; ".join(f"{_who(r, view.by_id[r.article_id])}: “{_short(r.text, 80)}”" for r, _c in members[:8])
    more = f"; and {len(members) - 8} more" if len(members) > 8 else ""
    copies = sorted({r.article_id for r, _c in side if r.article_id != r.canonical})
    note = f" Copies of one article ({', '.join(copies)}) are counted once." if copies else ""
    outlets = len({r.outlet for r, _c in members})
    expl = f"{len(members)} independent sources ({outlets} outlets) {what}: {who}{more}.{note}"
    ids = [r.id for r, _c in members]
    return [_relation("agreement", ids, expl, confidence, importance(ids, len(members), len(p.claim_ids)),
                      sources=len(members), outlets=outlets, proposition_id=p.id)]


def _times_differ(a: ClaimRef, b: ClaimRef) -> bool:
    """Both claims state a fact at an event time of their own and the two periods do not meet: "Egypt suffered
    22 deaths between 2004 and 2008" and "Egypt has suffered a surge this month" are two events, not one agreed."""
    if a.modality != "asserted" or b.modality != "asserted" or not a.event_date or not b.event_date:
        return False
    pa, pb = period(a.event_date, a.event_precision), period(b.event_date, b.event_precision)
    return pa is not None and pb is not None and (pa[1] < pb[0] or pb[1] < pa[0])


def places_differ(a: ClaimRef, b: ClaimRef) -> bool:
    """The claims are placed apart. Each claim's place is its own, else its sentence's or its speaker's ("two people
    tested positive", said Scotland's health minister, against "two people were infected, France's first confirmed
    cases"); when both have one and they share none, they are two events, unless each article also names the
    other's place. A claim with a place against one placed nowhere differs when the other's whole article never
    names that place."""
    if a.actor_place and b.actor_place and a.actor_place != b.actor_place \
            and a.actor_place not in b.places | b.context_places and b.actor_place not in a.places | a.context_places:
        return True              # "Ireland reported its first case" and "Spain says it has confirmed its first case"
    pa, pb = a.places or a.context_places, b.places or b.context_places
    if pa and pb:
        # Apart, unless each article names the other's place too (England and the United Kingdom, a city and its
        # country, where both reports cover both).
        return not pa & pb and not (pa & b.article_places and pb & a.article_places)
    return any(px and y.article_places and not px & y.article_places for px, y in ((pa, b), (pb, a)))


def _figures_differ(a: ClaimRef, b: ClaimRef) -> bool:
    """Both claims give a figure of one counted thing and no two of those figures are the same precise value at the
    same scale: "36,000 people die each year" and "more than 100 million people will die" are a yearly rate and a
    total, two claims even where their intervals meet."""
    same = [(x, y) for x in a.numbers for y in b.numbers if x.head == y.head]
    return bool(same) and not any(x.rate == y.rate and compatible(x, y) and narrow(x) and narrow(y) for x, y in same)


def _oppositions(view: CorpusView, refs: dict[str, ClaimRef], props: list[Proposition], scored: list[ScoredPair],
                 importance: Importance) -> list[dict[str, Any]]:
    """Pairs the model calls incompatible, and positions overtaken by a later statement (``overtaken``), from
    different articles: per pair of articles, the most confident one."""
    prop_of = {c: p.id for p in props for c in p.claim_ids}
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for s in scored:
        a, b = refs[s.a], refs[s.b]
        if a.canonical == b.canonical or a.modality in NOT_OPPOSABLE or b.modality in NOT_OPPOSABLE:
            continue
        prop_id = prop_of.get(s.a) or prop_of.get(s.b)
        found = []
        if s.p_incompatible >= OPPOSE_MIN and s.p_incompatible > s.p_compatible:
            found.append(_judge(view, a, b, s, prop_id, importance))
        later = overtaken(view, a, b)
        if later:
            found.append(_superseded(view, *later, prop_id, importance))
        key = (min(a.canonical, b.canonical), max(a.canonical, b.canonical))
        for rel in found:
            if key not in best or rel["confidence"] > best[key]["confidence"]:
                best[key] = rel
    return [rel for _k, rel in sorted(best.items())]


def _superseded(view: CorpusView, a: ClaimRef, b: ClaimRef, gap: int, prop_id: str | None,
                importance: Importance | None) -> dict[str, Any]:
    """An earlier position ``a`` overtaken by the later statement ``b``."""
    da, db = view.by_id[a.article_id], view.by_id[b.article_id]
    note = _inferred_note(da, db)
    expl = (f"Superseded ({a.frame.replace('_', ' ')}): earlier, {_said(a, da, claim_time(a, da))}; {_gap(gap)} "
            f"later, {_said(b, db, claim_time(b, db))}. The later statement replaces the earlier plan or position."
            f"{note}")
    ids = [a.id, b.id]
    conf = SUPERSEDED_PRECISION * (INFERRED_FACTOR if note else 1.0)
    extra = {"proposition_id": prop_id} if prop_id else {}
    return _relation("superseded", ids, expl, conf, importance(ids) if importance else 0.0, **extra)


def _said(r: ClaimRef, doc: DocView, t: tuple[date, date] | None) -> str:
    about = f", about {r.event_date}" if t is not None and t != doc_interval(doc) and r.event_date else ""
    flags = f"{r.modality}{', negated' if not r.polarity else ''}{about}"
    return f"{_who(r, doc)} says “{_short(r.text)}” ({flags})"


def _gap(days: int) -> str:
    if days < 60:
        return f"{days} days"
    if days < 730:
        return f"about {round(days / 30.4)} months"
    return f"about {round(days / 365.25)} years"


def classify_pair(view: CorpusView, a: ClaimRef, b: ClaimRef, s: ScoredPair,
                  measured: SeriesIndex | None = None, raw: bool = False) -> tuple[str, float]:
    """What the product says about one scored pair: (kind or 'none', confidence). Used per pair by the relation
    benchmark; the corpus output groups agreements by proposition and keeps one opposition per pair of articles."""
    if measured is not None and measured.shared(a.id, b.id):
        return measured.judge(a.id, b.id) or ("none", 0.5)
    if a.modality in NOT_OPPOSABLE or b.modality in NOT_OPPOSABLE or a.canonical == b.canonical:
        return "none", s.p_none
    if s.p_compatible >= max(s.p_none, s.p_incompatible) and a.stance == b.stance:
        if _figures_differ(a, b) or _times_differ(a, b) or places_differ(a, b):
            return "none", s.p_none     # as in ``_agreements``: two figures or two event times are two claims
        return "agreement", s.p_compatible if raw else calibrate("agreement", s.p_compatible)
    later = None if raw else overtaken(view, a, b)
    if later:
        rel = _superseded(view, *later, None, None)
        return rel["kind"], rel["confidence"]
    if s.p_incompatible < OPPOSE_MIN or s.p_incompatible <= s.p_compatible:
        return "none", s.p_none
    rel = _judge(view, a, b, s, None, None, raw)
    return rel["kind"], rel["confidence"]


def _judge(view: CorpusView, a: ClaimRef, b: ClaimRef, s: ScoredPair, prop_id: str | None,
           importance: Importance | None, raw: bool = False) -> dict[str, Any]:
    da, db = view.by_id[a.article_id], view.by_id[b.article_id]
    ta, tb = claim_time(a, da), claim_time(b, db)
    rel = time_relation(ta, tb)
    if rel == "after":
        a, b, da, db, ta, tb = b, a, db, da, tb, ta
        rel = "before"
    label = a.frame.replace("_", " ")
    sa, sb = _said(a, da, ta), _said(b, db, tb)
    note = _inferred_note(da, db)
    conf = s.p_incompatible * (INFERRED_FACTOR if note else 1.0)
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
        conf *= UNKNOWN_TIME_FACTOR
        expl = (f"Contradiction ({label}): {sa}; but {sb}. Their dates are unknown or too vague to tell whether "
                f"this is a change over time.{note}")
    ids = [a.id, b.id]
    conf = conf if raw else calibrate(kind, conf)
    extra = {"proposition_id": prop_id} if prop_id else {}
    return _relation(kind, ids, expl, conf, importance(ids) if importance else 0.0, **extra)


# ---- numbers ------------------------------------------------------------------------------------------------------
GROWING_FACTOR = 0.6           # ... when the measure grows over the series (the later report may be fresher)
FAR_APART_FACTOR = 0.5         # ... when the values are more than five times apart (likely different measures)


def _growing(s: Series) -> bool:
    firsts: dict[date, float] = {}
    for p in s.points:
        firsts.setdefault(p.when, p.value)
    vals = [firsts[d] for d in sorted(firsts)]
    ups = sum(1 for x, y in zip(vals, vals[1:], strict=False) if y > x)
    downs = sum(1 for x, y in zip(vals, vals[1:], strict=False) if y < x)
    return ups > downs


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 or v == int(v) else f"{v:,.2f}".rstrip("0").rstrip(".")


def quantity_relations(view: CorpusView, series: list[Series], importance: Importance) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in series:
        if s.fresh:
            continue        # "new cases" on two days are two increments: neither a change nor an agreement
        out.extend(_same_day_conflicts(view, s, importance))
        for rel in (_series_change(view, s, importance), _series_agreement(view, s, importance)):
            if rel:
                out.append(rel)
    return out


def _series_agreement(view: CorpusView, s: Series, importance: Importance) -> dict[str, Any] | None:
    """The largest set of independent sources giving compatible figures for the measure (ranges and approximations
    respected; months apart, the figure held)."""
    best: list[Any] = []
    for p in s.points:
        if not narrow(p):
            continue
        grp = [q for q in s.points if compatible(q, p) and narrow(q)]
        firsts: dict[str, Any] = {}
        for q in grp:
            firsts.setdefault(q.canonical, q)
        if len(firsts) > len(best):
            best = list(firsts.values())
    if len(best) < 2 or len({q.outlet for q in best}) < 2:
        return None
    who = "; ".join(f"{view.by_id[q.article_id].outlet} “{q.text}” ({q.when.isoformat()})" for q in best[:8])
    note = _inferred_note(*{q.article_id: view.by_id[q.article_id] for q in best if q.inferred}.values())
    ids = sorted({c for q in best for c in q.claim_ids})
    return _relation("agreement", ids, f"{len(best)} independent sources give compatible figures for {s.measure}: "
                     f"{who}.{note}", series_confidence("agreement") * (INFERRED_FACTOR if note else 1.0),
                     importance(ids, len(best), len(s.points), len({q.outlet for q in best})), quantity_ids=[q.quantity_id for q in best],
                     sources=len(best), series_id=s.id)


def _same_day_conflicts(view: CorpusView, s: Series, importance: Importance) -> list[dict[str, Any]]:
    """Per day and pair of outlets, the first pair of figures ``judge_points`` calls a numeric conflict."""
    growing = _growing(s)
    by_day: dict[date, list[Any]] = {}
    for p in s.points:
        by_day.setdefault(p.when, []).append(p)
    out = []
    done: set[tuple[date, str, str]] = set()
    for day in sorted(by_day):
        pts = by_day[day]
        for i, a in enumerate(pts):
            for b in pts[i + 1:]:
                judged = judge_points(s, a, b)
                if a.canonical == b.canonical or not judged or judged[0] != "numeric_conflict":
                    continue
                key = (day, *sorted((a.outlet, b.outlet)))
                if key in done:
                    continue
                done.add(key)
                conf = judged[1]
                if max(a.value, b.value) > 5 * max(min(a.value, b.value), 1e-9):
                    conf *= FAR_APART_FACTOR
                docs = [view.by_id[x.article_id] for x in (a, b) if x.inferred]
                note = _inferred_note(*docs)
                conf *= INFERRED_FACTOR if note else 1.0
                fresh = " The measure grows over the series, so the higher figure may simply be the fresher one." \
                    if growing else ""
                expl = (f"Numeric conflict on {s.measure} on {day.isoformat()}: {a.outlet} gives “{a.text}”, but "
                        f"{b.outlet} gives “{b.text}”.{fresh}{note}")
                ids = list(dict.fromkeys([*a.claim_ids, *b.claim_ids]))
                out.append(_relation("numeric_conflict", ids, expl, conf, importance(ids, 2, len(s.points), 2),
                                     quantity_ids=[a.quantity_id, b.quantity_id], series_id=s.id))
    return out


def _point_date(view: CorpusView, p: Any) -> str:
    return view.by_id[p.article_id].date_label() if p.inferred else p.when.isoformat()


def _series_change(view: CorpusView, s: Series, importance: Importance) -> dict[str, Any] | None:
    """One relation per series whose value moved between dates: its steps, earliest to latest."""
    by_day: dict[date, list[Any]] = {}
    for p in s.points:
        by_day.setdefault(p.when, []).append(p)
    steps: list[tuple[date, Any]] = []
    for day in sorted(by_day):
        pts = sorted(by_day[day], key=lambda p: (p.value, p.quantity_id))
        p = pts[(len(pts) - 1) // 2]        # the day's median figure speaks for the day
        if steps and _same_figure(steps[-1][1], p):
            continue             # same value as the last step, within tolerance
        steps.append((day, p))
    if len(steps) < 2:
        return None
    estimate = sum(p.estimate for _d, p in steps) * 2 >= len(steps)
    kind = "superseded" if estimate else "change_over_time"
    shown = steps if len(steps) <= 8 else [*steps[:4], *steps[-4:]]
    path = " → ".join(f"“{p.text}” ({p.outlet}, {_point_date(view, p)})" for d, p in shown)
    skipped = f" ({len(steps) - 8} steps between not shown)" if len(steps) > 8 else ""
    verb = "estimates were revised" if estimate else "the figure changed"
    inferred = [view.by_id[p.article_id] for _d, p in steps if p.inferred]
    note = _inferred_note(*{d.id: d for d in inferred}.values())
    span = "" if inferred else f" over {_gap((steps[-1][0] - steps[0][0]).days)}"
    expl = (f"{kind.replace('_', ' ').capitalize()} in {s.measure}: {verb}{span}: {path}{skipped}. Figures at "
            f"different dates are not in conflict.{note}")
    shape = path_features(len(steps), " (" in s.key[0])
    conf = change_confidence(shape) * (INFERRED_FACTOR if note else 1.0)
    ids = list(dict.fromkeys(c for _d, p in steps for c in p.claim_ids))
    return _relation(kind, ids, expl, conf, importance(ids, len({p.canonical for p in s.points}), len(s.points),
                                                 len({p.outlet for p in s.points})),
                     quantity_ids=[p.quantity_id for _d, p in steps], series_id=s.id,
                     steps=[{"date": p.when.isoformat(), "date_inferred": p.inferred, "value": p.value, "low": p.low,
                             "high": p.high, "outlet": p.outlet, "text": p.text} for _d, p in steps])
