"""The claims × sources matrix: for each key claim, which outlets assert it, deny it, or stay silent.

Claims are grouped by the relations the corpus stages found (agreement = same side, contradiction / numeric
conflict = opposite side), then two-coloured so every claim in a group either asserts or denies the group's
representative statement. Claims no relation touches are grouped by their (subject, predicate, object) words with
polarity deciding the side, so the matrix says something useful before the relation stage has run.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from typing import Any

SAME = {"agreement"}
OPPOSITE = {"contradiction", "numeric_conflict"}
_WORDS = re.compile(r"[a-z0-9]+")


def _denies(claim: dict[str, Any]) -> bool:
    return claim.get("polarity") is False or claim.get("modality") == "denied"


def _key(claim: dict[str, Any]) -> tuple[str, ...]:
    def norm(s: Any) -> str:
        return " ".join(_WORDS.findall(str(s or "").lower()))
    return norm(claim.get("subject")), norm(claim.get("predicate")), norm(claim.get("object"))


def _relation_groups(claims_by_id: dict[str, dict[str, Any]], relations: list[dict[str, Any]]) -> list[dict[str, int]]:
    """Connected claim groups with a side (0/1) per claim; the first colouring wins where relations disagree."""
    edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for r in relations:
        ids = [c for c in r.get("claim_ids") or [] if c in claims_by_id]
        flip = 1 if r.get("kind") in OPPOSITE else 0 if r.get("kind") in SAME else None
        if flip is None or len(ids) < 2:
            continue
        for other in ids[1:]:
            edges[ids[0]].append((other, flip))
            edges[other].append((ids[0], flip))
    seen: set[str] = set()
    groups = []
    for start in sorted(edges):
        if start in seen:
            continue
        side = {start: 0}
        queue = deque([start])
        seen.add(start)
        while queue:
            cur = queue.popleft()
            for nxt, flip in edges[cur]:
                if nxt not in side:
                    side[nxt] = side[cur] ^ flip
                    seen.add(nxt)
                    queue.append(nxt)
        groups.append(side)
    return groups


def claim_matrix(claims: list[dict[str, Any]], relations: list[dict[str, Any]], outlet_of_article: dict[str, str],
                 outlets: list[str], max_rows: int = 25) -> dict[str, Any]:
    """{"outlets": [...], "rows": [{text, speaker, cells: [{outlet, stance, claims}], counts}], "more": n}."""
    claims_by_id = {c["id"]: c for c in claims if c.get("id") and c.get("article_id") in outlet_of_article}
    groups = _relation_groups(claims_by_id, relations)
    grouped = {cid for g in groups for cid in g}
    by_key: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for cid, c in claims_by_id.items():
        if cid not in grouped and any(_key(c)):
            by_key[_key(c)].append(cid)
    for ids in by_key.values():
        groups.append({cid: int(_denies(claims_by_id[cid])) for cid in ids})

    rows = []
    for side in groups:
        # The representative is the earliest affirmed claim on the larger side, so the row reads as a statement.
        sizes = [sum(1 for s in side.values() if s == k) for k in (0, 1)]
        rep_side = 0 if sizes[0] >= sizes[1] else 1
        members = sorted(side, key=lambda cid: (side[cid] != rep_side, _denies(claims_by_id[cid]),
                                                 claims_by_id[cid].get("article_id", ""), claims_by_id[cid].get("start", 0)))
        rep = claims_by_id[members[0]]
        # For relation groups the side is the stance; for word groups a negated representative flips the reading.
        stance_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for cid in members:
            asserts = side[cid] == rep_side
            outlet = outlet_of_article[claims_by_id[cid]["article_id"]]
            stance_of[outlet].append(("asserts" if asserts else "denies", claims_by_id[cid].get("text", "")))
        cells, counts = [], {"asserts": 0, "denies": 0, "mixed": 0, "silent": 0}
        for outlet in outlets:
            found = stance_of.get(outlet, [])
            kinds = {k for k, _ in found}
            stance = "silent" if not kinds else kinds.pop() if len(kinds) == 1 else "mixed"
            counts[stance] += 1
            cells.append({"outlet": outlet, "stance": stance, "claims": [t for _, t in found][:3]})
        if counts["mixed"]:
            counts["asserts"] += counts["mixed"]
            counts["denies"] += counts["mixed"]
        rows.append({"text": rep.get("text", ""), "speaker": rep.get("speaker") or "", "cells": cells, "counts": counts,
                     "claim_ids": members, "sources": len(outlets) - counts["silent"], "related": len(side) > 1,
                     "order": (rep.get("article_id", ""), rep.get("start", 0))})
    rows.sort(key=lambda r: (-r["sources"], -r["counts"]["denies"], not r["related"], r["order"]))
    return {"outlets": outlets, "rows": rows[:max_rows], "more": max(len(rows) - max_rows, 0)}
