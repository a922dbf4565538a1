"""Fit the number-series path judge (``storyline.xdoc.series_judge``) on hand-labelled paths.

Input: ``benchmarks/data/relation_pairs/series_paths_dev.jsonl``, one followed-over-time path per line as the
corpus stages showed it on the shared T17 dev corpora (measure, steps with date/value/outlet/text, the series'
outlets), with ``label`` 1 when a careful analyst signs it as one measure followed over time and 0 when not
(guidelines: ``benchmarks/data/relation_pairs/GUIDELINES.md``, section "Number series paths"). ``group`` is the
collection the path came from; the script reports leave-one-group-out precision and calibration so the figure
says how the judge does on a story it was not fitted on, then fits on all and writes
``src/storyline/models/series/change.json``.

Run:  .venv/bin/python training/train_series.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.xdoc.series_judge import FEATURES, MODEL_FILE, path_features  # noqa: E402

LABELS = REPO / "benchmarks" / "data" / "relation_pairs" / "series_paths_dev.jsonl"
C = 1.0            # a few dozen paths, two features
SHOW_AT = 0.75     # the report's bar (``report.html.REPORT_MIN_CONFIDENCE``)
KEEP_AT = 0.4      # analysis.json's bar (``xdoc.corpus.RELATION_MIN_CONFIDENCE``)


def features(row: dict) -> np.ndarray:
    return path_features(len(row["steps"]), bool(row["event_count"]))


def fit(x: np.ndarray, y: np.ndarray) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=1000).fit((x - mean) / scale, y)
    return model, mean, scale


def ece(p: np.ndarray, y: np.ndarray, bins: int = 5) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges, edges[1:], strict=False):
        m = (p >= lo) & (p < hi) if hi < 1 else (p >= lo)
        if m.any():
            total += m.sum() / len(p) * abs(p[m].mean() - y[m].mean())
    return float(total)


def main() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    x = np.stack([features(r) for r in rows])
    y = np.array([int(r["label"]) for r in rows])
    groups = np.array([r["group"] for r in rows])
    folds = np.zeros(len(rows))            # five folds, stratified: paths like those it was fitted on
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        model, mean, scale = fit(x[train], y[train])
        folds[test] = model.predict_proba((x[test] - mean) / scale)[:, 1]
    by_group = np.zeros(len(rows))         # one collection held out: a story it never saw
    for g in sorted(set(groups)):
        test = groups == g
        model, mean, scale = fit(x[~test], y[~test])
        by_group[test] = model.predict_proba((x[test] - mean) / scale)[:, 1]
    print(f"{len(rows)} labelled paths, {y.sum()} signed ({y.mean():.2f}); groups {sorted(set(groups))}; "
          f"all paths signed: {y.mean():.3f} (the constant confidence before)")
    summary = {}
    for name, held in (("5-fold", folds), ("collection held out", by_group)):
        parts = []
        for bar in (SHOW_AT, KEEP_AT):
            shown = held >= bar
            prec = float(y[shown].mean()) if shown.any() else float("nan")
            parts.append(f"at {bar}: {shown.sum()} kept, precision {prec:.3f}, signed paths kept "
                         f"{y[shown].sum()}/{y.sum()}")
            summary[f"{name} {bar}"] = {"kept": int(shown.sum()), "precision": round(prec, 3)}
        print(f"{name}: " + "; ".join(parts) + f"; ECE {ece(held, y):.3f}")
    model, mean, scale = fit(x, y)
    doc = {"features": list(FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
           "coef": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6),
           "trained_on": {"paths": len(rows), "signed": int(y.sum()), "groups": sorted(set(groups))},
           "held_out": summary, "ece_5_fold": round(ece(folds, y), 3), "ece_collection_held_out": round(ece(by_group, y), 3)}
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print("coefficients:", dict(zip(FEATURES, doc["coef"], strict=True)), "->", MODEL_FILE.relative_to(REPO))


if __name__ == "__main__":
    main()
