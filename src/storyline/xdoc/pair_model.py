"""The shipped claim-pair model: for two claims from different articles, the probability that they state the same
proposition compatibly, incompatibly, or are about different things.

A multinomial logistic regression over ``pair_features.FEATURES`` (standardised), trained in this repository on
hand-labelled pairs of real news claims (``training/train_pairs.py``; card: ``models/pairs/MODEL_CARD.md``). It is
small, fast (one matrix product per block of pairs) and its probabilities are calibrated on held-out labelled pairs,
so a relation's ``confidence`` can be read as the chance that a careful analyst agrees with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .pair_features import FEATURES

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "pairs" / "pairs.json"
CLASSES = ("none", "compatible", "incompatible")


@dataclass(frozen=True, slots=True)
class PairModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray            # (classes, features)
    intercept: np.ndarray
    temperature: float = 1.0

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Rows of probabilities in ``CLASSES`` order for a (pairs, features) matrix."""
        if x.size == 0:
            return np.zeros((0, len(CLASSES)))
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z = z / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, object]:
        return {"classes": list(CLASSES), "features": list(self.features), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "coef": self.coef.tolist(), "intercept": self.intercept.tolist(),
                "temperature": self.temperature}


def from_json(d: dict[str, object]) -> PairModel:
    feats: tuple[str, ...] = tuple(d["features"])  # type: ignore[arg-type]
    if feats != FEATURES:
        raise ValueError(f"pair model was trained on other features ({len(feats)} vs {len(FEATURES)}): retrain it "
                         "with training/train_pairs.py")
    return PairModel(feats, np.asarray(d["mean"], float), np.asarray(d["scale"], float),
                     np.asarray(d["coef"], float), np.asarray(d["intercept"], float), float(d.get("temperature", 1.0)))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def load_doc(path: str | None = None) -> dict[str, Any]:
    """The model file as stored: weights, and what training measured (``series_precision``)."""
    with open(path or MODEL_PATH, encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


@lru_cache(maxsize=1)
def load(path: str | None = None) -> PairModel:
    return from_json(load_doc(path))


def calibrate(kind: str, raw: float) -> float:
    """The probability that an analyst signs a claim relation of ``kind`` given the product's raw score for it:
    a monotone map per kind fitted on the training pairs' out-of-fold scores (``kind_calibration`` in the model
    file); the raw score itself where the file has no map for the kind."""
    table = load_doc().get("kind_calibration", {}).get(kind)
    if not table:
        return raw
    xs, ys = table
    return float(np.interp(raw, xs, ys))
