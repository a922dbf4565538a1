"""Carry the labelled relation pairs over to a store whose article ids changed (the text-cleaning rules changed).

Article ids are content hashes of the cleaned body, and claim ids hash the article id with the claim's offsets and
predicate, so a change to boilerplate removal renames every claim of the articles it touches even where the claim
itself is untouched. Labels are kept by pair id; this rewrites the ``candidates_*.jsonl`` ids (article, claim or
quantity) from the old store to the new one by the input each article came from and the claim's (start, end,
predicate) or the quantity's (start, end, text). Pairs whose side no longer exists (text now removed, for instance a
reader comment) are dropped and counted.

    .venv/bin/python benchmarks/relation_pairs_remap.py --old out/all/storyline.db --new out/all2/storyline.db
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from storyline.store import Store

DATA = Path(__file__).resolve().parent / "data" / "relation_pairs"


def _index(store: Store) -> tuple[dict[str, str], dict[str, dict[tuple[Any, ...], str]]]:
    """source → article id; article id → {(kind, start, end, …): fact id}."""
    by_source, facts = {}, {}
    for art in store.articles():
        by_source[art.source or ""] = art.id
        facts[art.id] = _keyed_facts(store, art.id)
    return by_source, facts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    args = ap.parse_args()
    old, new = Store(args.old, readonly=True), Store(args.new, readonly=True)
    old_source = {a.id: a.source or "" for a in old.articles()}
    new_by_source, new_facts = _index(new)
    old_by_id: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for art_id in old_source:
        for key, fid in _keyed_facts(old, art_id).items():
            old_by_id[fid] = (art_id, key)
    for path in sorted(DATA.glob("candidates_*.jsonl")):
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        kept, moved, lost = [], 0, 0
        for row in rows:
            ok = True
            for side in ("a", "b"):
                ref = row[side]
                new_art = new_by_source.get(old_source.get(ref["article_id"], ""))
                found = old_by_id.get(ref["id"])
                new_id = new_facts.get(new_art or "", {}).get(found[1]) if found else None
                if not new_art or not new_id:
                    ok = False
                    break
                if new_id != ref["id"]:
                    moved += 1
                ref["id"], ref["article_id"] = new_id, new_art
            if ok:
                kept.append(row)
            else:
                lost += 1
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
        print(f"{path.name}: {len(rows)} pairs, {moved} sides renamed, {lost} dropped (a side no longer exists)")


def _keyed_facts(store: Store, art_id: str) -> dict[tuple[Any, ...], str]:
    f = store.facts(art_id) or {}
    keyed: dict[tuple[Any, ...], str] = {}
    for c in f.get("claims", []):
        keyed[("claim", c["start"], c["end"], c.get("predicate"), c.get("text"))] = c["id"]
    for q in f.get("quantities", []):
        keyed[("quantity", q["start"], q["end"], q.get("text"))] = q["id"]
    return keyed


if __name__ == "__main__":
    main()
