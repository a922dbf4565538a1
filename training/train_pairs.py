"""Train the claim-pair model (``src/storyline/models/pairs/pairs.json``) on hand-labelled pairs of real news claims.

Data: ``benchmarks/data/relation_pairs/labels_train*.jsonl`` (LibyaWar and haiti collections of the shared
Timeline17 dev set; labelling rules in GUIDELINES.md); the dev pairs (H1N1) are never read here. Features are
recomputed from an analysed store of the same corpus, so a change to ``pair_features`` only needs this script rerun:

    .venv/bin/python benchmarks/t17_corpus.py --out out/t17/all.jsonl
    .venv/bin/storyline analyze out/t17/all.jsonl --db out/all/storyline.db --out out/all
    .venv/bin/python training/train_pairs.py --db out/all/storyline.db

Besides the labelled pairs, FactCC-style generated pairs teach the incompatible shapes the labels hold few of: each
labelled agreement pair with one side negated, turned to its antonym, or its figures moved outside tolerance. They
carry 0.15 of a labelled pair's weight, so that together they count about as much as the few real
incompatible pairs and do not teach that any difference in polarity is a contradiction. A multinomial logistic regression over
standardised features; C by 5-fold cross-validation (log-loss); then one temperature fitted on the out-of-fold
probabilities so that confidence reads as a probability.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from relation_data import DATA, MODEL_CLASS, load_state, read_jsonl  # noqa: E402
from storyline.lang import en  # noqa: E402
from storyline.xdoc.pair_features import FEATURES, NumberRef, pair_features  # noqa: E402
from storyline.xdoc.pair_model import CLASSES, MODEL_PATH, PairModel  # noqa: E402
from storyline.xdoc.relations import SeriesIndex, judge_points  # noqa: E402

SYNTH_WEIGHT = 0.15
FRAME_NAMES = {frame for frame, _sign in en.frames().values()}


def labelled(split: str) -> list[dict]:
    """Every labelled pair of a split: for train the first draw and the active round; for dev the first draw only
    (``labels_dev_audit_*``, the blind audit of the product's output, is for measuring, never for fitting)."""
    rows = []
    pattern = f"labels_{split}_[0-9]*.jsonl" if split == "dev" else f"labels_{split}_*.jsonl"
    for path in sorted(DATA.glob(pattern)):
        rows += read_jsonl(path)
    return rows


def candidates(split: str) -> dict[str, dict]:
    return {r["pair_id"]: r for path in sorted(DATA.glob(f"candidates_{split}*.jsonl")) for r in read_jsonl(path)}


def claim_xy(cs, rows: list[dict]) -> tuple[np.ndarray, np.ndarray, int, list[tuple[dict, object, object]]]:
    cands = candidates("train")
    xs, ys, missing, kept = [], [], 0, []
    for lab in rows:
        c = cands.get(lab["pair_id"])
        if c is None or c["type"] != "claims":
            continue
        pair = cs.claim_pair(c)
        if pair is None:
            missing += 1
            continue
        a, b = pair
        xs.append(pair_features(a, b))
        ys.append(MODEL_CLASS[lab["label"]])
        kept.append((lab, a, b))
    return np.array(xs), np.array(ys), missing, kept


def synthetic(cs, rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """FactCC-style incompatible pairs made from real compatible ones: each labelled agreement pair (two real claims
    from two articles, with their real wording, similarity and dates) with its later side negated, its predicate
    turned to the opposite side of its antonym frame (where ``lang/en/frames.tsv`` has one), or its figures moved
    outside tolerance. The model thus sees oppositions that look like real paraphrase pairs, not a sentence set
    against a copy of itself."""
    cands = candidates("train")
    xs, ys = [], []
    for lab in rows:
        c = cands.get(lab["pair_id"])
        pair = cs.claim_pair(c) if c is not None and lab["label"] == "agreement" else None
        if pair is None:
            continue
        a, b = pair
        neg = dataclasses.replace(b, polarity=not b.polarity, stance=-b.stance, text="not " + b.text)
        xs.append(pair_features(a, neg))
        ys.append(2)
        if b.frame in FRAME_NAMES:
            xs.append(pair_features(a, dataclasses.replace(b, sign=-b.sign, stance=-b.stance,
                                                           predicate=b.predicate + "~")))
            ys.append(2)
        if b.numbers:
            moved = tuple(NumberRef(q.head, q.lo * 2.5, q.hi * 2.5, q.unit, q.rate) for q in b.numbers)
            xs.append(pair_features(a, dataclasses.replace(b, numbers=moved)))
            ys.append(2)
    return np.array(xs), np.array(ys)


def dev_pairs(cs, model: PairModel) -> list[tuple[dict, object, object, np.ndarray]]:
    """The first-round H1N1 labelled claim pairs with the trained model's probabilities (the model never saw them):
    they join the calibration, never the weights. The blind audit sample stays out of both."""
    cands = candidates("dev")
    out = []
    for lab in labelled("dev"):
        c = cands.get(lab["pair_id"])
        pair = cs.claim_pair(c) if c is not None else None
        if pair is None:
            continue
        a, b = pair
        out.append((lab, a, b, model.predict_proba(pair_features(a, b)[None, :])[0]))
    return out


CALIBRATION_BLOCK = 20     # pairs per calibration block: a proportion from fewer moves by more than ±0.1


def kind_calibration(cs, kept: list, oof_logits: np.ndarray, temp: float, dev_rows: list) -> dict[str, list]:
    """Per kind the product gives a claim pair, a monotone map from its raw score to how often the analyst's label
    is that kind (isotonic over blocks of 20 pairs; a constant, shrunk towards 0.5 by two pairs, where fewer than 15 pairs were judged that
    kind), fitted on the training pairs' out-of-fold scores and the first-round H1N1 pairs' scores. Pairs the number
    series judge are left out: their confidence is ``series_precision``."""
    from sklearn.isotonic import IsotonicRegression

    from storyline.xdoc.align import ScoredPair
    from storyline.xdoc.relations import classify_pair

    index = SeriesIndex(cs.state["series"])
    z = oof_logits[: len(kept)] / temp
    z = z - z.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    per: dict[str, list[tuple[float, bool]]] = {}
    rows = [(lab, a, b, p) for (lab, a, b), p in zip(kept, probs, strict=True)] + dev_rows
    for lab, a, b, p in rows:
        if index.shared(a.id, b.id):
            continue
        s = ScoredPair(a.id, b.id, float(p[0]), float(p[1]), float(p[2]))
        kind, raw = classify_pair(cs.state["view"], a, b, s, None, raw=True)
        if kind != "none":
            per.setdefault(kind, []).append((raw, lab["label"] == kind))
    out: dict[str, list] = {}
    for kind, pts in sorted(per.items()):
        right = sum(ok for _r, ok in pts)
        if len(pts) < 15:
            const = round((right + 1) / (len(pts) + 2), 3)
            out[kind] = [[0.0, 1.0], [const, const]]
            continue
        # Isotonic over blocks of at least CALIBRATION_BLOCK pairs in score order, not over single pairs: a step
        # resting on a dozen pairs moved the shown set by a dozen relations between two retrainings.
        pts.sort()
        n_blocks = max(1, len(pts) // CALIBRATION_BLOCK)
        blocks = [pts[len(pts) * i // n_blocks: len(pts) * (i + 1) // n_blocks] for i in range(n_blocks)]
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        iso.fit([float(np.mean([r for r, _ok in b])) for b in blocks], [float(np.mean([ok for _r, ok in b]))
                                                                          for b in blocks],
                sample_weight=[len(b) for b in blocks])
        out[kind] = [[round(float(v), 4) for v in iso.X_thresholds_], [round(float(v), 4) for v in iso.y_thresholds_]]
        print(f"  {kind}: {len(pts)} judged, {right} right")
    return out


def series_precision(cs, rows: list[dict]) -> dict[str, float]:
    """How often each kind the number series give is the analyst's label, on training pairs whose two sides are
    figures of one series (number pairs, and claim pairs holding such figures), on the training and first-round H1N1
    pairs (the blind audit sample is not used), shrunk towards a prior of 0.7 worth ten pairs:
    (right + 7) / (judged + 10)."""
    cands = candidates("train") | candidates("dev")
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
    ap.add_argument("--synthetic", type=int, default=1, help="1: add the generated incompatible pairs; 0: none")
    args = ap.parse_args()
    cs = load_state(args.db)
    x, y, missing, x_oof_rows = claim_xy(cs, labelled("train"))
    print(f"labelled train pairs: {len(y)} (not found in the store: {missing}); classes {np.bincount(y, minlength=3)}")
    w = np.ones(len(y))
    if args.synthetic:
        sx, sy = synthetic(cs, labelled("train"))
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
    clf, mean, scale = fit(x, y, w, c_best)
    model = PairModel(FEATURES, mean, scale, clf.coef_, clf.intercept_, temp)
    dev_rows = dev_pairs(cs, model)
    kind_cal = kind_calibration(cs, x_oof_rows, scores[c_best][1], temp, dev_rows)
    print(f"per-kind calibration (raw score -> P(analyst signs the kind)): {kind_cal}")
    series_prec = series_precision(cs, labelled("train") + labelled("dev"))
    print(f"number-series judgments on labelled train pairs (precision, shrunk to 0.7): {series_prec}")
    doc = model.to_json() | {"series_precision": series_prec, "kind_calibration": kind_cal, "trained_on": {"labelled": int(real.sum()), "generated": int((~real).sum()),
                                            "C": c_best, "classes": list(CLASSES)}}
    Path(args.out).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"C={c_best}, temperature {temp:.2f} -> {args.out}")
    for cls, row in zip(CLASSES, clf.coef_, strict=True):
        top = sorted(zip(FEATURES, row, strict=True), key=lambda t: -abs(t[1]))[:6]
        print(f"  {cls}: " + ", ".join(f"{f} {v:+.2f}" for f, v in top))


if __name__ == "__main__":
    main()
