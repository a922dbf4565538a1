"""Vectorised prediction for a fitted sklearn HistGradientBoostingClassifier.

sklearn walks its trees one call at a time: with 300 iterations × 4 classes that is 1,200 Python-level calls per
prediction, about a second on a busy machine for a dozen rows. The claim check predicts a dozen rows per request,
so we stack every tree's nodes into flat arrays and walk all (row, tree) pairs together, one depth level per step.
Same numbers as sklearn (tested), numerical features only (what the stance model uses).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class CompiledForest:
    def __init__(self, clf: Any) -> None:
        if getattr(clf, "is_categorical_", None) is not None and np.any(clf.is_categorical_):
            raise ValueError("categorical features are not supported by the compiled forest")
        self.classes_ = clf.classes_
        self.n_classes = clf.n_trees_per_iteration_
        trees = [tree for iteration in clf._predictors for tree in iteration]
        sizes = np.array([len(t.nodes) for t in trees])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        nodes = np.concatenate([t.nodes for t in trees])
        base = np.repeat(offsets, sizes)
        self.feature = nodes["feature_idx"].astype(np.int64)
        self.threshold = nodes["num_threshold"].astype(np.float64)
        self.missing_left = nodes["missing_go_to_left"].astype(bool)
        self.left = nodes["left"].astype(np.int64) + base
        self.right = nodes["right"].astype(np.int64) + base
        self.is_leaf = nodes["is_leaf"].astype(bool)
        self.value = nodes["value"].astype(np.float64)
        self.roots = offsets.astype(np.int64)
        self.tree_class = np.tile(np.arange(self.n_classes), len(clf._predictors))
        self.baseline = np.asarray(clf._baseline_prediction, dtype=np.float64).reshape(-1)
        self.max_depth = int(nodes["depth"].max()) + 1

    def raw_predict(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.max_depth):
            leaf = self.is_leaf[node]
            if leaf.all():
                break
            x = X[rows, self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(leaf, node, np.where(go_left, self.left[node], self.right[node]))
        raw = np.zeros((n, self.n_classes))
        np.add.at(raw.T, self.tree_class, self.value[node].T)
        return raw + self.baseline

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raw = self.raw_predict(X)
        if self.n_classes == 1:   # binary: one tree per iteration, logistic link
            p = 1 / (1 + np.exp(-raw[:, 0]))
            return np.column_stack([1 - p, p])
        raw -= raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)
