"""Key claims: the propositions most independent sources state, each with the outlets that assert it, the outlets
that deny it and the outlets that cover the story but stay silent on it.

A member of a proposition asserts it when the pair model finds it compatible with the proposition's centre and its
effective stance is the centre's; it denies it when the model finds the two incompatible (or the stance is the
opposite). Outlets are counted per canonical article (copies once); an outlet can both assert and deny (over time).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from .align import Proposition, ScoredPair, proposition_label
from .pair_features import ClaimRef
from .view import CorpusView

KEY_CLAIMS = 30


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
        asserting[centre.outlet].add(centre.canonical)
        confs = []
        for m in p.claim_ids[1:]:
            r = refs[m]
            s = pair.get((p.centre, m) if p.centre < m else (m, p.centre))
            if s is None:
                continue
            confs.append(s.p_same)
            if s.p_incompatible > s.p_compatible or r.stance != centre.stance:
                denying[r.outlet].add(r.canonical)
            else:
                asserting[r.outlet].add(r.canonical)
        sources = len({refs[c].canonical for c in p.claim_ids})
        story = centre.story_id or ""
        dates = [refs[c].stated for c in p.claim_ids if refs[c].stated]
        rows.append({
            "id": p.id, "text": centre.text, "label": proposition_label(p), "story_id": story or None,
            "claim_ids": p.claim_ids, "sources": sources,
            "asserted_by": {o: len(a) for o, a in sorted(asserting.items())},
            "denied_by": {o: len(a) for o, a in sorted(denying.items())},
            "silent": sorted(story_outlets.get(story, set()) - set(asserting) - set(denying)),
            "confidence": round(sorted(confs)[len(confs) // 2], 3) if confs else 0.0,
            "first_date": min(dates).isoformat() if dates else None,
            "last_date": max(dates).isoformat() if dates else None,
        })
    rows.sort(key=lambda r: (-r["sources"], -len(r["asserted_by"]), r["first_date"] or date.max.isoformat(), r["id"]))
    return rows[:KEY_CLAIMS]
