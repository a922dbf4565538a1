"""Relations on real corpora: precision of what the report shows, recall, calibration, and volume per article.

Inputs: the hand-labelled dev pairs (``benchmarks/data/relation_pairs/labels_dev*.jsonl``: the H1N1 collections of
the shared Timeline17 dev set, labelled by GUIDELINES.md), the list of known revisions of that story
(``h1n1_known.json``), and an analysed store of the T17 collections (see ``relation_data.py``).

Per labelled pair the product's judgment is what ``relations.classify_pair`` says of a claim pair, and what the number
series say of a number pair (same measure, same day, incompatible: numeric conflict; a later step: change over time).
A judgment is *shown* when its confidence reaches the report's floor. Printed beside the issue's anchors:
precision of shown relations (target >= 0.85) per kind, recall per kind, expected calibration error, contradictions
per article (target <= 0.1), and the known revisions found.

    .venv/bin/python benchmarks/bench_relations.py --db out/all/storyline.db
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from typing import Any

from relation_data import DATA, CorpusState, load_state, read_jsonl
from storyline.report.html import REPORT_MIN_CONFIDENCE
from storyline.xdoc.align import ScoredPair
from storyline.xdoc.pair_features import pair_features
from storyline.xdoc.pair_model import load as load_model
from storyline.xdoc.relations import SeriesIndex, classify_pair, judge_points

KINDS = ("agreement", "contradiction", "numeric_conflict", "change_over_time", "superseded")


def claim_judgment(cs: CorpusState, cand: dict[str, Any]) -> tuple[str, float] | None:
    pair = cs.claim_pair(cand)
    if pair is None:
        return "none", 0.5        # not a claim the product relates (boilerplate, a light verb): it says nothing
    a, b = pair
    p = load_model().predict_proba(pair_features(a, b)[None, :])[0]
    s = ScoredPair(a.id, b.id, float(p[0]), float(p[1]), float(p[2]))
    if "measured" not in cs.state:
        cs.state["measured"] = SeriesIndex(cs.state["series"])
    return classify_pair(cs.state["view"], a, b, s, cs.state["measured"])


def number_judgment(cs: CorpusState, cand: dict[str, Any]) -> tuple[str, float] | None:
    qa, qb = cand["a"]["id"], cand["b"]["id"]
    for s in cs.state["series"]:
        pts = {p.quantity_id: p for p in s.points}
        if qa in pts and qb in pts:
            return judge_points(s, pts[qa], pts[qb]) or ("none", 0.5)
    return "none", 0.5


def ece(rows: list[tuple[float, bool]], bins: int = 10) -> float:
    total, err = len(rows), 0.0
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        b = [(c, ok) for c, ok in rows if lo <= c < hi or (i == bins - 1 and c == 1.0)]
        if b:
            err += len(b) / total * abs(sum(c for c, _ in b) / len(b) - sum(ok for _, ok in b) / len(b))
    return err


def audit(cs: CorpusState, floor: float) -> None:
    """Precision of what the product shows, measured directly: a blind-labelled sample of the H1N1 pair judgments
    the product made at confidence >= 0.5 (drawn per kind, so per-kind precision is the figure to read)."""
    cands = {r["pair_id"]: r for r in read_jsonl(DATA / "candidates_dev_audit.jsonl")}
    labels = [x for p in sorted(DATA.glob("labels_dev_audit_*.jsonl")) for x in read_jsonl(p)]
    if not labels:
        return
    per: dict[str, list[bool]] = defaultdict(list)
    judged: list[tuple[float, bool]] = []
    for lab in labels:
        cand = cands.get(lab["pair_id"])
        if cand is None:
            continue
        kind, conf = (claim_judgment(cs, cand) if cand["type"] == "claims" else number_judgment(cs, cand)) or ("none", 0)
        if kind != "none":
            judged.append((conf, lab["label"] == kind))
        if kind != "none" and conf >= floor:
            per[kind].append(lab["label"] == kind)
    print(f"\naudit sample (blind labels of what the product judged on H1N1; {len(labels)} pairs), shown >= {floor}:")
    total = []
    for k in KINDS:
        if per.get(k):
            total += per[k]
            print(f"  {k:18} {len(per[k]):4d} shown, precision {sum(per[k]) / len(per[k]):.3f}")
    if total:
        print(f"  precision of shown relations (audit): {sum(total) / len(total):.3f} over {len(total)} (target >= 0.85)")
    for f in (0.5, 0.6, 0.7, 0.75, 0.8):
        sel = [ok for c, ok in judged if c >= f]
        print(f"  floor {f}: {len(sel)} judged pairs, precision {sum(sel) / len(sel) if sel else float('nan'):.3f}")
    print(f"  expected calibration error (audit): {ece(judged):.3f} over {len(judged)}")


def known_recall(cs: CorpusState, path: str) -> tuple[int, int, list[str]]:
    """Known revisions of the H1N1 story: a series of that measure and place whose figures move in the stated
    direction, carried by a change_over_time/superseded relation."""
    items = json.loads((DATA / path).read_text(encoding="utf-8"))
    rels = [r for r in cs.result["relations"] if r["kind"] in ("change_over_time", "superseded")]
    found, lines = 0, []
    for it in items:
        hit: Any = None
        if "pattern" in it:
            import re

            rx = re.compile(it["pattern"])
            claims = {r.id: r.text for r in cs.state["refs"].values()}
            hit = next((r for r in rels if any(rx.search(claims.get(c, "")) for c in r["claim_ids"])
                        and cs.collection.get(cs.state["refs"][r["claim_ids"][0]].article_id) == "H1N1"), None)
            found += hit is not None
            lines.append(f"  {'found ' if hit else 'MISSED'} {it['what']}" +
                         (f"  [{hit['explanation'][:120]}]" if hit else ""))
            continue
        for s in cs.state["series"]:
            head, _q, _r, _u, place = s.key
            name = cs.state["index"].name(place) or place
            if head.split(" (")[0] != it["counted"] or it["place"] not in ("*", name):
                continue
            if cs.collection.get(s.points[0].article_id) != "H1N1":
                continue
            vals = [p.value for p in s.points]
            moved = max(vals) > it["at_least"] and min(vals) < it["below"]
            if moved and any(r.get("series_id") == s.id for r in rels):
                hit = s
                break
        found += hit is not None
        lines.append(f"  {'found ' if hit else 'MISSED'} {it['what']}" + (f"  [{hit.measure}]" if hit else ""))
    return found, len(items), lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="out/all/storyline.db")
    ap.add_argument("--floor", type=float, default=REPORT_MIN_CONFIDENCE)
    args = ap.parse_args()
    cs = load_state(args.db)
    cands = {r["pair_id"]: r for r in read_jsonl(DATA / "candidates_dev.jsonl")}
    labels = [x for p in sorted(DATA.glob("labels_dev_[0-9]*.jsonl")) for x in read_jsonl(p)]
    print(f"dev pairs labelled: {len(labels)} of {len(cands)} "
          f"({Counter(x['label'] for x in labels).most_common()})")
    shown: dict[str, list[bool]] = defaultdict(list)
    recall: dict[str, list[bool]] = defaultdict(list)
    calib: list[tuple[float, bool]] = []
    missing = 0
    for lab in labels:
        cand = cands.get(lab["pair_id"])
        if cand is None:
            continue
        judged = claim_judgment(cs, cand) if cand["type"] == "claims" else number_judgment(cs, cand)
        if judged is None:
            missing += 1
            continue
        kind, conf = judged
        gold = lab["label"]
        if kind != "none":
            calib.append((conf, kind == gold))
            if conf >= args.floor:
                shown[kind].append(kind == gold)
        if gold != "none":
            recall[gold].append(kind == gold and conf >= args.floor)
    print(f"pairs whose claims the store no longer holds: {missing}")
    print(f"\nshown = confidence >= {args.floor}")
    print(f"{'kind':18} {'shown':>6} {'precision':>10} {'gold':>6} {'recall':>8}")
    all_shown = []
    for k in KINDS:
        s, r = shown.get(k, []), recall.get(k, [])
        all_shown += s
        prec = f"{sum(s) / len(s):.3f}" if s else "-"
        rec = f"{sum(r) / len(r):.3f}" if r else "-"
        print(f"{k:18} {len(s):6d} {prec:>10} {len(r):6d} {rec:>8}")
    if all_shown:
        print(f"precision of shown relations: {sum(all_shown) / len(all_shown):.3f} over {len(all_shown)} "
              "(target >= 0.85)")
    for floor in (0.5, 0.6, 0.7, 0.8):
        ok = [c >= floor and right for c, right in calib]
        n = sum(c >= floor for c, _ in calib)
        print(f"  floor {floor}: {n} shown, precision {sum(ok) / n if n else float('nan'):.3f}")
    print(f"expected calibration error of judged pairs: {ece(calib):.3f} over {len(calib)} (lower is better)")
    audit(cs, args.floor)
    arts = len(cs.state["view"].docs)
    kinds = Counter(r["kind"] for r in cs.result["relations"])
    shown_kinds = Counter(r["kind"] for r in cs.result["relations"] if r["confidence"] >= args.floor)
    print(f"\ncorpus: {arts} articles, {len(cs.result['relations'])} relations kept {dict(kinds)}")
    print(f"  shown in the report (>= {args.floor}): {dict(shown_kinds)}")
    print(f"  contradictions per article: {kinds['contradiction'] / max(arts, 1):.3f} kept, "
          f"{shown_kinds['contradiction'] / max(arts, 1):.3f} shown (target <= 0.1)")
    print(f"  number series: {len(cs.state['series'])}")
    if (DATA / "h1n1_known.json").exists():
        found, total, lines = known_recall(cs, "h1n1_known.json")
        print(f"\nknown revisions of the H1N1 story found: {found}/{total} = {found / max(total, 1):.2f}")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
