"""Train the claim-pair model (``src/storyline/models/pairs/pairs.json``) on hand-labelled pairs of real news claims.

Data: ``benchmarks/data/relation_pairs/labels_train*.jsonl`` (LibyaWar and haiti collections of the shared
Timeline17 dev set; labelling rules in GUIDELINES.md); the dev pairs (H1N1) are never read here. Features are
recomputed from an analysed store of the same corpus, so a change to ``pair_features`` only needs this script rerun:

    .venv/bin/python benchmarks/t17_corpus.py --out out/t17/all.jsonl
    .venv/bin/storyline analyze out/t17/all.jsonl --db out/all/storyline.db --out out/all
    .venv/bin/python training/train_pairs.py --db out/all/storyline.db

Besides the labelled pairs, FactCC-style generated pairs teach the two rare incompatible shapes the labels hold few
of: a real claim against itself negated (same words, opposite polarity), and against itself with a number of the
same counted thing moved outside tolerance. They carry a small sample weight. A multinomial logistic regression over
standardised features; C by 5-fold cross-validation (log-loss); then one temperature fitted on the out-of-fold
probabilities so that confidence reads as a probability.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from relation_data import DATA, MODEL_CLASS, load_state, read_jsonl  # noqa: E402
from storyline.xdoc.pair_features import FEATURES, NumberRef, pair_features  # noqa: E402
from storyline.xdoc.pair_model import CLASSES, MODEL_PATH, PairModel  # noqa: E402
from storyline.xdoc.relations import SeriesIndex, judge_points  # noqa: E402

SYNTH_WEIGHT = 0.3


def labelled(split: str) -> list[dict]:
    rows = []
    for path in sorted(DATA.glob(f"labels_{split}*.jsonl")):
        rows += read_jsonl(path)
    return rows


def claim_xy(cs, rows: list[dict]) -> tuple[np.ndarray, np.ndarray, int]:
    cands = {r["pair_id"]: r for r in read_jsonl(DATA / "candidates_train.jsonl")}
    refs = cs.state["refs"]
    xs, ys, missing = [], [], 0
    for lab in rows:
        c = cands.get(lab["pair_id"])
        if c is None or c["type"] != "claims":
            continue
        a, b = refs.get(c["a"]["id"]), refs.get(c["b"]["id"])
        if a is None or b is None or a.vec is None or b.vec is None:
            missing += 1
            continue
        xs.append(pair_features(a, b))
        ys.append(MODEL_CLASS[lab["label"]])
    return np.array(xs), np.array(ys), missing


def synthetic(cs, n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Negated and number-moved copies of real training-corpus claims (incompatible), and the claims against a
    light rewording of themselves with the same values (compatible)."""
    rng = random.Random(seed)
    refs = [r for r in cs.state["refs"].values() if r.vec is not None
            and cs.collection.get(r.article_id) in ("LibyaWar", "haiti")]
    refs.sort(key=lambda r: r.id)
    xs, ys = [], []
    for r in rng.sample(refs, min(n, len(refs))):
        other = dataclasses.replace(r, id=r.id + "x", article_id=r.article_id + "x", canonical=r.canonical + "x",
                                    outlet=r.outlet)
        neg = dataclasses.replace(other, polarity=not r.polarity, stance=-r.stance, text="not " + r.text)
        xs.append(pair_features(r, neg))
        ys.append(2)
        if r.numbers:
            moved = tuple(NumberRef(q.head, q.lo * 2.5, q.hi * 2.5, q.unit, q.rate) for q in r.numbers)
            xs.append(pair_features(r, dataclasses.replace(other, numbers=moved)))
            ys.append(2)
    return np.array(xs), np.array(ys)


def series_precision(cs, rows: list[dict]) -> dict[str, float]:
    """How often each kind the number series give is the analyst's label, on training pairs whose two sides are
    figures of one series (number pairs, and claim pairs holding such figures). Few such pairs exist in the training
    corpora, so the estimate is shrunk towards a prior of 0.7 worth ten pairs: (right + 7) / (judged + 10)."""
    cands = {r["pair_id"]: r for r in read_jsonl(DATA / "candidates_train.jsonl")}
    index = SeriesIndex(cs.state["series"])
    by_quantity = {p.quantity_id: (s, p) for s in cs.state["series"] for p in s.points}
    tally: dict[str, list[int]] = {}
    for lab in rows:
        c = cands.get(lab["pair_id"])
        if c is None:
            continue
        judged = None
        if c["type"] == "numbers":
            qa, qb = by_quantity.get(c["a"]["id"]), by_quantity.get(c["b"]["id"])
            if qa and qb and qa[0] is qb[0]:
                judged = judge_points(qa[0], qa[1], qb[1])
        else:
            judged = index.judge(c["a"]["id"], c["b"]["id"])
        if judged:
            kind = judged[0]
            t = tally.setdefault(kind, [0, 0])
            t[0] += lab["label"] == kind
            t[1] += 1
    return {k: round((r + 7) / (n + 10), 3) for k, (r, n) in sorted(tally.items())}


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    mean[FEATURES.index("bias")], scale[FEATURES.index("bias")] = 0.0, 1.0
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit((x - mean) / scale, y, sample_weight=w)
    return clf, mean, scale


def temperature(logits: np.ndarray, y: np.ndarray) -> float:
    best = (1e9, 1.0)
    for t in np.arange(0.5, 2.51, 0.05):
        z = logits / t
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        nll = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
        best = min(best, (nll, float(t)))
    return best[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="out/all/storyline.db")
    ap.add_argument("--out", default=str(MODEL_PATH))
    ap.add_argument("--synthetic", type=int, default=300, help="real claims to negate / move (0: none)")
    args = ap.parse_args()
    cs = load_state(args.db)
    x, y, missing = claim_xy(cs, labelled("train"))
    print(f"labelled train pairs: {len(y)} (not found in the store: {missing}); classes {np.bincount(y, minlength=3)}")
    w = np.ones(len(y))
    if args.synthetic:
        sx, sy = synthetic(cs, args.synthetic)
        x, y = np.vstack([x, sx]), np.concatenate([y, sy])
        w = np.concatenate([w, np.full(len(sy), SYNTH_WEIGHT)])
        print(f"generated pairs: {len(sy)} (weight {SYNTH_WEIGHT})")
    real = w == 1.0
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = {}
    for c in (0.03, 0.1, 0.3, 1.0, 3.0):
        oof = np.zeros((len(y), 3))
        for tr, te in folds.split(x, y):
            clf, mean, scale = fit(x[tr], y[tr], w[tr], c)
            oof[te] = clf.decision_function((x[te] - mean) / scale)
        z = oof - oof.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        scores[c] = (-np.mean(np.log(p[real][np.arange(real.sum()), y[real]] + 1e-12)), oof)
        print(f"C={c}: out-of-fold log-loss on labelled pairs {scores[c][0]:.4f}")
    c_best = min(scores, key=lambda k: scores[k][0])
    temp = temperature(scores[c_best][1][real], y[real])
    clf, mean, scale = fit(x, y, w, c_best)
    model = PairModel(FEATURES, mean, scale, clf.coef_, clf.intercept_, temp)
    series_prec = series_precision(cs, labelled("train"))
    print(f"number-series judgments on labelled train pairs (precision, shrunk to 0.7): {series_prec}")
    doc = model.to_json() | {"series_precision": series_prec, "trained_on": {"labelled": int(real.sum()), "generated": int((~real).sum()),
                                            "C": c_best, "classes": list(CLASSES)}}
    Path(args.out).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"C={c_best}, temperature {temp:.2f} -> {args.out}")
    for cls, row in zip(CLASSES, clf.coef_, strict=True):
        top = sorted(zip(FEATURES, row, strict=True), key=lambda t: -abs(t[1]))[:6]
        print(f"  {cls}: " + ", ".join(f"{f} {v:+.2f}" for f, v in top))


if __name__ == "__main__":
    main()
