"""Draw the candidate pairs to label by hand from an analysed T17 store (see ``relation_data.py``).

Claim pairs are the pairs the alignment stage itself would score (so the labels measure what the product sees),
drawn in strata so that rare kinds get labels: pairs whose stances differ on one predicate, pairs with numbers of one
counted thing, and three bands of text similarity. Number pairs come from the number series: same-day pairs from
two outlets with incompatible values, consecutive steps of a series, and compatible pairs. H1N1 (three outlets) is
the dev split; LibyaWar and haiti are train. Fixed seed; the files are the input of the labelling guidelines
(``benchmarks/data/relation_pairs/GUIDELINES.md``). The files with the statements' text go to
``out/relation_pairs_text/`` (not committed: the T17 texts may not be redistributed); the repository keeps ids.

    .venv/bin/python benchmarks/relation_pairs_dump.py --db out/all/storyline.db
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from relation_data import DATA, CorpusState, load_state, read_jsonl
from storyline.model import content_id
from storyline.xdoc.pair_features import FEATURES, pair_features

QUOTAS = {"H1N1": ("dev", 400, 110), "LibyaWar": ("train", 330, 70), "haiti": ("train", 260, 60)}
F = {f: i for i, f in enumerate(FEATURES)}


def _claim_side(cs: CorpusState, r: Any) -> dict[str, Any]:
    start, end = _span(cs, r.article_id, r.id)
    return {"id": r.id, "article_id": r.article_id, "outlet": r.outlet, "published": cs.published[r.article_id],
            "text": r.text, "sentence": cs.sentence(r.article_id, start, end)}


_SPANS: dict[str, tuple[int, int]] = {}


def _span(cs: CorpusState, article_id: str, fact_id: str) -> tuple[int, int]:
    if fact_id not in _SPANS:
        facts = cs.store.facts(article_id) or {}
        for kind in ("claims", "quantities"):
            for f in facts.get(kind, []):
                _SPANS[f["id"]] = (f["start"], f["end"])
    return _SPANS.get(fact_id, (0, 0))


def claim_pairs(cs: CorpusState, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    refs, scored = cs.state["refs"], cs.state["scored"]
    strata: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for s in scored:
        a, b = refs[s.a], refs[s.b]
        fam = cs.collection.get(a.article_id, "other")
        if fam != cs.collection.get(b.article_id) or fam not in QUOTAS:
            continue
        x = pair_features(a, b)
        if x[F["stance_differs"]] and (x[F["pred_same"]] or x[F["frame_same"]]):
            st = "opposed"
        elif x[F["number_same_head"]]:
            st = "numbers"
        elif x[F["cos"]] >= 0.75:
            st = "high"
        elif x[F["cos"]] >= 0.6:
            st = "mid"
        else:
            st = "low"
        strata[(fam, st)].append(s)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    shares = {"opposed": 0.3, "numbers": 0.15, "high": 0.25, "mid": 0.2, "low": 0.1}
    for fam, (_split, n_claims, _n_num) in QUOTAS.items():
        chosen: list[Any] = []
        for st, share in shares.items():
            pool = sorted(strata[(fam, st)], key=lambda s: (s.a, s.b))
            chosen += rng.sample(pool, min(len(pool), round(n_claims * share)))
        rest = sorted({(s.a, s.b) for st in shares for s in strata[(fam, st)]} - {(s.a, s.b) for s in chosen})
        by_key = {(s.a, s.b): s for st in shares for s in strata[(fam, st)]}
        chosen += [by_key[k] for k in rng.sample(rest, min(len(rest), max(0, n_claims - len(chosen))))]
        for s in chosen:
            a, b = sorted((refs[s.a], refs[s.b]), key=lambda r: (cs.published[r.article_id], r.id))
            out[fam].append({"pair_id": content_id("pair", a.id, b.id), "type": "claims", "collection": fam,
                             "a": _claim_side(cs, a), "b": _claim_side(cs, b)})
    return out


def number_pairs(cs: CorpusState, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    strata: dict[tuple[str, str], list[tuple[Any, Any, str]]] = defaultdict(list)
    for s in cs.state["series"]:
        pts = s.points
        fam = cs.collection.get(pts[0].article_id, "other")
        for i, a in enumerate(pts):
            for b in pts[i + 1:i + 12]:
                if a.canonical == b.canonical:
                    continue
                same = a.lo <= b.hi and b.lo <= a.hi
                st = "compatible" if same else "same_day" if a.when == b.when else "step"
                strata[(fam, st)].append((a, b, s.measure))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fam, (_split, _n, n_num) in QUOTAS.items():
        for st, share in (("same_day", 0.4), ("step", 0.35), ("compatible", 0.25)):
            pool = strata[(fam, st)]
            for a, b, measure in rng.sample(pool, min(len(pool), round(n_num * share))):
                out[fam].append({"pair_id": content_id("pair", a.quantity_id, b.quantity_id), "type": "numbers",
                                 "collection": fam, "measure": measure,
                                 "a": _number_side(cs, a), "b": _number_side(cs, b)})
    return out


def _number_side(cs: CorpusState, p: Any) -> dict[str, Any]:
    start, end = _span(cs, p.article_id, p.quantity_id)
    return {"id": p.quantity_id, "article_id": p.article_id, "outlet": p.outlet, "published": cs.published[p.article_id],
            "as_of": p.when.isoformat(), "text": p.text, "sentence": cs.sentence(p.article_id, start, end)}


READABLE = Path("out/relation_pairs_text")


def _bare(side: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in side.items() if k not in ("text", "sentence")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="out/all/storyline.db")
    ap.add_argument("--round", type=int, default=1, help="1: the first draw; 2: active train pairs and dev audit")
    args = ap.parse_args()
    cs = load_state(args.db)
    rng = random.Random(17)
    if args.round == 2:
        round_two(cs, rng)
        return
    claims, numbers = claim_pairs(cs, rng), number_pairs(cs, rng)
    DATA.mkdir(parents=True, exist_ok=True)
    for split in ("dev", "train"):
        rows = [r for fam, (sp, _a, _b) in QUOTAS.items() if sp == split for r in claims[fam] + numbers[fam]]
        seen: set[str] = set()
        rows = [r for r in rows if not (r["pair_id"] in seen or seen.add(r["pair_id"]))]  # type: ignore[func-returns-value]
        random.Random(5).shuffle(rows)
        # With text, for the people labelling (out/ is not committed: the T17 texts may not be redistributed);
        # ids, outlets and dates only in the repository, which is all the benchmark and the training read.
        READABLE.mkdir(parents=True, exist_ok=True)
        with open(READABLE / f"candidates_{split}.jsonl", "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        with open(DATA / f"candidates_{split}.jsonl", "w", encoding="utf-8") as fh:
            for r in rows:
                bare = {**r, "a": _bare(r["a"]), "b": _bare(r["b"])}
                fh.write(json.dumps(bare, ensure_ascii=False) + "\n")
        print(split, len(rows), "pairs", {fam: len(claims[fam]) + len(numbers[fam]) for fam in QUOTAS
                                          if QUOTAS[fam][0] == split})



def round_two(cs: CorpusState, rng: random.Random) -> None:
    """Second round. Train ("active"): the LibyaWar/haiti candidate pairs the current model is least sure about or
    calls related (where the shown relations' precision is decided), plus figure pairs of the current number series.
    Dev ("audit"): a sample of what the product would show on H1N1 (pair judgments at confidence >= 0.5), to be
    labelled blind: the direct measure of the precision of shown relations. Never used for training."""
    from storyline.xdoc.relations import SeriesIndex, classify_pair, judge_points

    refs, scored, view = cs.state["refs"], cs.state["scored"], cs.state["view"]
    measured = SeriesIndex(cs.state["series"])
    done = {r["pair_id"] for split in ("dev", "train") for r in read_jsonl(DATA / f"candidates_{split}.jsonl")}
    active: list[dict[str, Any]] = []
    audit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in scored:
        a, b = refs[s.a], refs[s.b]
        fam = cs.collection.get(a.article_id)
        if fam != cs.collection.get(b.article_id):
            continue
        a, b = sorted((a, b), key=lambda r: (cs.published[r.article_id], r.id))
        row = {"pair_id": content_id("pair", a.id, b.id), "type": "claims", "collection": fam,
               "a": _claim_side(cs, a), "b": _claim_side(cs, b)}
        if row["pair_id"] in done:
            continue
        kind, conf = classify_pair(view, a, b, s, measured)
        if fam in ("LibyaWar", "haiti") and (s.p_none < 0.7 or kind != "none"):
            active.append(row)
        elif fam == "H1N1" and kind != "none" and conf >= 0.5:
            audit[kind].append(row)
    for s in cs.state["series"]:
        fam = cs.collection.get(s.points[0].article_id)
        for i, p in enumerate(s.points):
            for q in s.points[i + 1:i + 6]:
                judged = judge_points(s, p, q)
                if not judged or p.canonical == q.canonical:
                    continue
                row = {"pair_id": content_id("pair", p.quantity_id, q.quantity_id), "type": "numbers",
                       "collection": fam, "measure": s.measure, "a": _number_side(cs, p), "b": _number_side(cs, q)}
                if row["pair_id"] in done:
                    continue
                if fam in ("LibyaWar", "haiti"):
                    active.append(row)
                elif fam == "H1N1" and judged[1] >= 0.5:
                    audit["numbers_" + judged[0]].append(row)
    active.sort(key=lambda r: r["pair_id"])
    active = rng.sample(active, min(320, len(active)))
    picked = []
    for kind in sorted(audit):
        pool = sorted(audit[kind], key=lambda r: r["pair_id"])
        picked += rng.sample(pool, min(60, len(pool)))
    print("audit pool per kind:", {k: len(v) for k, v in sorted(audit.items())}, "picked", len(picked))
    for name, rows in (("train_active", active), ("dev_audit", picked)):
        random.Random(5).shuffle(rows)
        READABLE.mkdir(parents=True, exist_ok=True)
        with open(READABLE / f"candidates_{name}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        with open(DATA / f"candidates_{name}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({**r, "a": _bare(r["a"]), "b": _bare(r["b"])}, ensure_ascii=False) + "\n"
                          for r in rows)
        print(name, len(rows))


if __name__ == "__main__":
    main()
