"""The claims × sources matrix: for each key claim, which outlets assert it, deny it, or stay silent.

Rows come from the corpus stages where they have run: each ``agreement`` relation is one aligned claim cluster
(a row; its claims assert it), and a ``contradiction`` touching a cluster makes the other claim's outlet deny it.
Clusters are not merged transitively — one claim shared by two clusters would chain unrelated statements into a
single meaningless row. Claims no relation touches are grouped by their (subject, predicate, object) words, with
polarity deciding the side, so the matrix says something before the relation stage has run. Numeric conflicts and
supersessions are listed with the relations, not here: different figures are not a denial.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

_WORDS = re.compile(r"[a-z0-9]+")


def _denies(claim: dict[str, Any]) -> bool:
    return claim.get("polarity") is False or claim.get("modality") == "denied"


def _key(claim: dict[str, Any]) -> tuple[str, ...]:
    def norm(s: Any) -> str:
        return " ".join(_WORDS.findall(str(s or "").lower()))
    return norm(claim.get("subject")), norm(claim.get("predicate")), norm(claim.get("object"))


def _groups(claims_by_id: dict[str, dict[str, Any]], relations: list[dict[str, Any]]) -> list[dict[str, int]]:
    """Claim groups as {claim id: side}, side 0 = asserts the row, 1 = denies it."""
    groups: list[dict[str, int]] = []
    contra: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        ids = [c for c in r.get("claim_ids") or [] if c in claims_by_id]
        if r.get("kind") == "contradiction" and len(ids) >= 2:
            for other in ids[1:]:
                contra[ids[0]].add(other)
                contra[other].add(ids[0])
    covered: set[str] = set()
    for r in relations:
        ids = list(dict.fromkeys(c for c in r.get("claim_ids") or [] if c in claims_by_id))
        if r.get("kind") != "agreement" or len(ids) < 2:
            continue
        side = dict.fromkeys(ids, 0)
        for cid in ids:
            for other in contra[cid]:
                side.setdefault(other, 1)
        covered.update(side)
        groups.append(side)
    for cid in sorted(contra):          # contradictions between claims that no cluster holds
        if cid not in covered:
            side = {cid: 0, **{o: 1 for o in sorted(contra[cid]) if o not in covered}}
            covered.update(side)
            groups.append(side)
    by_key: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for cid, c in claims_by_id.items():
        if cid not in covered and any(_key(c)):
            by_key[_key(c)].append(cid)
    for ids in by_key.values():
        groups.append({cid: int(_denies(claims_by_id[cid])) for cid in ids})
    return groups


def key_claim_matrix(claims_by_id: dict[str, dict[str, Any]], key_claims: list[dict[str, Any]], outlets: list[str],
                     max_rows: int = 25) -> dict[str, Any]:
    """Rows from the corpus stage's key claims (propositions aligned by the pair model): each outlet asserts,
    denies, both ("mixed") or is silent."""
    rows = []
    for k in key_claims[:max_rows]:
        asserted, denied = k.get("asserted_by") or {}, k.get("denied_by") or {}
        cells, counts = [], {"asserts": 0, "denies": 0, "mixed": 0, "silent": 0, "revises": 0, "absent": 0}
        revised, silent = k.get("revised_by") or {}, set(k.get("silent") or [])
        for outlet in outlets:
            a, d = outlet in asserted, outlet in denied
            stance = ("mixed" if a and d else "asserts" if a else "denies" if d else "revises" if outlet in revised
                      else "silent" if outlet in silent else "absent")
            counts[stance] += 1
            texts = [claims_by_id[c].get("text", "") for c in k.get("claim_ids") or []
                     if c in claims_by_id and claims_by_id[c].get("_outlet") == outlet][:3]
            cells.append({"outlet": outlet, "stance": stance, "claims": texts})
        counts["asserts"] += counts["mixed"]
        counts["denies"] += counts["mixed"]
        rows.append({"text": k.get("text", ""), "speaker": "", "cells": cells, "counts": counts,
                     "claim_ids": k.get("claim_ids") or [], "size": len(k.get("claim_ids") or []),
                     "sources": k.get("sources", 0), "confidence": k.get("confidence")})
    return {"outlets": outlets, "rows": rows, "more": max(0, len(key_claims) - len(rows))}


def claim_matrix(claims: list[dict[str, Any]], relations: list[dict[str, Any]], outlet_of_article: dict[str, str],
                 outlets: list[str], max_rows: int = 25,
                 key_claims: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """{"outlets": [...], "rows": [{text, speaker, cells: [{outlet, stance, claims}], counts, size}], "more": n}.

    With the corpus stage's ``key_claims`` the rows are those; otherwise rows that more than one source speaks to
    come first; claims only one source makes are shown only when no claim is shared."""
    if key_claims:
        by_id = {c["id"]: {**c, "_outlet": outlet_of_article.get(c.get("article_id", ""), "")} for c in claims
                 if c.get("id")}
        return key_claim_matrix(by_id, key_claims, outlets, max_rows)
    claims_by_id = {c["id"]: c for c in claims if c.get("id") and c.get("article_id") in outlet_of_article}
    rows = []
    for side in _groups(claims_by_id, relations):
        sizes = [sum(1 for s in side.values() if s == k) for k in (0, 1)]
        rep_side = 0 if sizes[0] >= sizes[1] else 1
        # The label: an affirmed claim on the row's side, the shortest that still says something (≥ 25 characters).
        rep = claims_by_id[min((cid for cid in side if side[cid] == rep_side), key=lambda cid: (
            _denies(claims_by_id[cid]), len(claims_by_id[cid].get("text", "")) < 25,
            len(claims_by_id[cid].get("text", "")), cid))]
        stance_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for cid in sorted(side, key=lambda c: (claims_by_id[c].get("article_id", ""), claims_by_id[c].get("start", 0))):
            outlet = outlet_of_article[claims_by_id[cid]["article_id"]]
            stance_of[outlet].append(("asserts" if side[cid] == rep_side else "denies", claims_by_id[cid].get("text", "")))
        cells, counts = [], {"asserts": 0, "denies": 0, "mixed": 0, "silent": 0}
        for outlet in outlets:
            found = stance_of.get(outlet, [])
            kinds = {k for k, _ in found}
            stance = "silent" if not kinds else kinds.pop() if len(kinds) == 1 else "mixed"
            counts[stance] += 1
            cells.append({"outlet": outlet, "stance": stance, "claims": [t for _, t in found][:3]})
        counts["asserts"] += counts["mixed"]
        counts["denies"] += counts["mixed"]
        rows.append({"text": rep.get("text", ""), "speaker": rep.get("speaker") or "", "cells": cells, "counts": counts,
                     "claim_ids": sorted(side), "size": len(side), "sources": len(outlets) - counts["silent"],
                     "order": (rep.get("article_id", ""), rep.get("start", 0))})
    rows.sort(key=lambda r: (-r["sources"], -r["counts"]["denies"], -r["size"], r["order"]))
    shared = [r for r in rows if r["sources"] >= 2]
    shown = shared[:max_rows] if shared else rows[:min(max_rows, 10)]
    return {"outlets": outlets, "rows": shown, "more": len(rows) - len(shown)}
