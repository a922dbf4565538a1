"""Key claims: the propositions most independent sources state, each with the outlets that assert it, the outlets
that deny it and the outlets that cover the story but stay silent on it.

A member of a proposition asserts it when the pair model finds it compatible with the proposition's centre and its
effective stance is the centre's; it denies it when its stance is the opposite at the same time (within a week) and
the calibrated chance of a contradiction is at least even; otherwise an incompatible member (a figure revised, a
state that changed, an opposition the model is unsure of) *revises* it. Outlets are counted per canonical article (copies once); an outlet can both assert and deny (over time).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from .align import Proposition, ScoredPair, proposition_label
from .overtaken import SAME_TIME_DAYS
from .pair_features import ClaimRef
from .pair_model import calibrate
from .view import CorpusView

KEY_CLAIMS = 30
DENIAL_MIN = 0.5       # calibrated chance that the pair is a contradiction, for a denial to be shown


def _rank(r: dict[str, Any]) -> tuple[int, int, str, str]:
    return (-int(r["sources"]), -len(r["asserted_by"]), str(r["first_date"] or date.max.isoformat()), str(r["id"]))


def key_claims(view: CorpusView, refs: dict[str, ClaimRef], props: list[Proposition], scored: list[ScoredPair],
               story_of: dict[str, str]) -> list[dict[str, Any]]:
    pair = {(s.a, s.b): s for s in scored}
    story_outlets: dict[str, set[str]] = defaultdict(set)
    for d in view.docs:
        story_outlets[story_of.get(d.id, "")].add(d.outlet)
    rows = []
    for p in props:
        centre = refs[p.centre]
        asserting: dict[str, set[str]] = defaultdict(set)
        denying: dict[str, set[str]] = defaultdict(set)
        revising: dict[str, set[str]] = defaultdict(set)
        asserting[centre.outlet].add(centre.canonical)
        confs = []
        for m in p.claim_ids[1:]:
            r = refs[m]
            s = pair.get((p.centre, m) if p.centre < m else (m, p.centre))
            if s is None:
                continue
            confs.append(s.p_same)
            if s.p_incompatible > s.p_compatible or r.stance != centre.stance:
                # Opposite only at the same time and with the opposite stance; other figures or states at another
                # time revise the claim (a toll that rose), they do not deny it.
                same_time = r.stated and centre.stated and abs((r.stated - centre.stated).days) <= SAME_TIME_DAYS
                sure = calibrate("contradiction", s.p_incompatible) >= DENIAL_MIN
                (denying if r.stance != centre.stance and same_time and sure else revising)[r.outlet].add(r.canonical)
            else:
                asserting[r.outlet].add(r.canonical)
        sources = len({refs[c].canonical for c in p.claim_ids})
        story = centre.story_id or ""
        dates = [day for c in p.claim_ids if (day := refs[c].stated) is not None]
        rows.append({
            "id": p.id, "text": centre.text, "label": proposition_label(p), "story_id": story or None,
            "claim_ids": p.claim_ids, "sources": sources,
            "asserted_by": {o: len(a) for o, a in sorted(asserting.items())},
            "denied_by": {o: len(a) for o, a in sorted(denying.items())},
            "revised_by": {o: len(a) for o, a in sorted(revising.items())},
            "silent": sorted(story_outlets.get(story, set()) - set(asserting) - set(denying) - set(revising)),
            "confidence": round(sorted(confs)[len(confs) // 2], 3) if confs else 0.0,
            "first_date": min(dates).isoformat() if dates else None,
            "last_date": max(dates).isoformat() if dates else None,
        })
    rows.sort(key=_rank)
    return rows[:KEY_CLAIMS]
