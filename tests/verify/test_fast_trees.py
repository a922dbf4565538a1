from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from storyline.verify.fast_trees import CompiledForest


def _data(n_classes: int):
    rng = np.random.RandomState(0)
    X = rng.randn(400, 6)
    y = (X[:, 0] + X[:, 1] * 2 > 0).astype(int) + (n_classes > 2) * (X[:, 2] > 1).astype(int)
    X[rng.rand(*X.shape) < 0.05] = np.nan   # missing values take the learned side
    return X, y


def test_same_probabilities_as_sklearn_multiclass_and_binary():
    for n_classes in (2, 3):
        X, y = _data(n_classes)
        clf = HistGradientBoostingClassifier(max_iter=60, random_state=0).fit(X, y)
        forest = CompiledForest(clf)
        Xt = np.vstack([X[:50], np.full((1, 6), np.nan), np.random.RandomState(1).randn(20, 6) * 5])
        np.testing.assert_allclose(forest.predict_proba(Xt), clf.predict_proba(Xt), rtol=1e-9, atol=1e-12)
        assert list(forest.classes_) == list(clf.classes_)
