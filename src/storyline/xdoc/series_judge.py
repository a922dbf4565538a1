"""How sure a reader can be that a number series' path is one measure followed over time (``change_over_time``,
``superseded``), from the shape of the path alone.

A constant confidence per kind (0.59) let through paths no analyst would sign: "three loud explosions" → "four
explosions" → "Two large explosions" (three incidents, not one count), "nine million people" (a population) →
"100,000–200,000 people" (a toll). On 60 paths labelled on the shared T17 dev corpora
(``benchmarks/data/relation_pairs/series_paths_dev.jsonl``) half were right; what told them apart and holds for any
kind of measure is how much the path rests on: every path of five or more steps was right (11 of 11), two-step paths
four times in ten. Counts of the people an event struck ("people (kill)", "others (wound)") were right less often
than counted things named by a noun ("cases", "troops"): they are often tolls of separate incidents.
Features (``path_features``): the log of the number of steps, and whether the measure is such a count. Tried and
left out because they only fit the dev stories: whether the path rises (H1N1's running totals rise; troop levels,
prices and flow estimates fall as often), the largest fall, the span, the number of outlets (three-outlet H1N1 against
one-outlet Libya and Haiti). ``training/train_series.py`` fits a logistic model and reports it on held-out folds;
its coefficients ship in ``models/series/change.json``; without that file every path gets ``PRIOR``.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "series" / "change.json"
FEATURES = ("steps", "event_count")
PRIOR = 0.6


def path_features(steps: int, event_count: bool) -> np.ndarray:
    """``FEATURES`` of a path of ``steps`` dated figures; ``event_count``: the measure counts whom an event struck
    (a series key with a predicate, "people (kill)")."""
    return np.array([math.log(max(steps, 1)), 1.0 if event_count else 0.0], dtype=np.float64)


@functools.lru_cache(maxsize=1)
def _model() -> dict[str, Any] | None:
    if not MODEL_FILE.is_file():
        return None
    doc = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    if tuple(doc.get("features", ())) != FEATURES:
        return None                     # trained on other features: the prior is safer than a misread model
    return dict(doc)


def change_confidence(features: np.ndarray) -> float:
    """P(an analyst signs the path as one measure over time), from the shipped logistic model."""
    doc = _model()
    if doc is None:
        return PRIOR
    mean, scale = np.array(doc["mean"]), np.array(doc["scale"])
    z = float(np.dot((features - mean) / scale, np.array(doc["coef"])) + doc["intercept"])
    return 1.0 / (1.0 + math.exp(-z))
