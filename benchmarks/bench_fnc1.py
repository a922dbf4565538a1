"""FNC-1 stance on the official baseline's dev split, with the shipped recipe trained on the train part only.

Prints, beside the anchors:
- official dev split (337 held-out bodies, 9,622 pairs; every dev headline also occurs in train): relative FNC score,
  macro-F1 and per-class F1;
- the honest figure: dev bodies AND 30% of headlines (by hash) held out of training, scored on dev pairs whose
  headline is held out (new bodies and new claims, like the competition test).

The model is the recipe of training/train_stance.py (``train_head``), retrained here on the training part: the
shipped model has seen the dev bodies, so it must not be scored on them.

Run:  OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_fnc1.py    (~5 min on 2 cores, first run more)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training"))

import train_stance as ts  # noqa: E402

ANCHORS = "anchors: competition winner relative 0.8202 (test) | Athene macro-F1 0.600 (test) | " \
          "official baseline relative 0.7953 (this dev split) | anchors' disagree F1 <= 0.15"


def report(name: str, gold: list[str], pred: list[str]) -> None:
    f1 = ts.per_class_f1(gold, pred)
    macro = sum(f1.values()) / len(f1)
    print(f"{name}: n={len(gold)}  relative FNC {ts.fnc_score(gold, pred):.4f}  macro-F1 {macro:.4f}  "
          + "  ".join(f"{c} {v:.3f}" for c, v in f1.items()))


def main() -> None:
    t0 = time.time()
    emb = ts.CachedEmbedder()
    pairs, labels, body_ids, heads = ts.load_fnc()
    dev = ts.fnc_dev_bodies()
    train_idx = [i for i, b in enumerate(body_ids) if b not in dev]
    dev_idx = [i for i, b in enumerate(body_ids) if b in dev]
    tfidf = ts.fit_tfidf([pairs[i][1] for i in train_idx])  # bodies of the training part only
    feats = ts.fnc_features(emb, tfidf, pairs)

    head = ts.train_head(ts.subset(feats, train_idx), [labels[i] for i in train_idx], [heads[i] for i in train_idx])
    pred = ts.predict_head(head, ts.subset(feats, dev_idx))
    print(ANCHORS)
    report("FNC-1 dev split (official, 337 held-out bodies)", [labels[i] for i in dev_idx], pred)

    hon_train = [i for i in train_idx if not ts.held_out_headline(heads[i])]
    hon_dev = [i for i in dev_idx if ts.held_out_headline(heads[i])]
    head = ts.train_head(ts.subset(feats, hon_train), [labels[i] for i in hon_train], [heads[i] for i in hon_train])
    pred = ts.predict_head(head, ts.subset(feats, hon_dev))
    gold = [labels[i] for i in hon_dev]
    report("FNC-1 honest (dev bodies + 30% headlines held out)", gold, pred)
    print("  honest confusion (gold -> predicted):")
    for g in ts.LABELS:
        c = Counter(p for gg, p in zip(gold, pred, strict=True) if gg == g)
        print(f"    {g:10s} " + "  ".join(f"{p}:{c.get(p, 0)}" for p in ts.LABELS))
    print(f"targets: relative >= 0.85, macro-F1 >= 0.65, disagree F1 well above 0.15  ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
