"""Pair features and divisive splitting that separate the events of one story.

Inside a story every article shares the story's people, places and vocabulary, so absolute similarity (lead
embedding, TF-IDF, entities) says little about *which* event an article reports: two quakes on one island, two
offers to one player. What tells them apart is what is rare *within the story*: embeddings centred on the story's
mean, TF-IDF with idf fitted on the story's own leads, and the numbers, years, day and month names in the text.

Those contrastive features always find *some* split, even in a story that is one event, so they only propose the
split; the decision is taken on absolute similarity. ``split_events`` is bisecting clustering:
  1. two halves by average linkage on the contrastive pair probability;
  2. keep the split only if the mean absolute pair probability across the halves is below ``SPLIT_TAU``;
  3. recurse into both halves.
Pair probabilities are logistic regressions on the features below, weights fitted on ECB+ TRAIN topics
(``benchmarks/bench_ecbplus.py --split train --fit`` prints them). Cost is quadratic in the story's new articles only
(callers cap that), times the depth of the recursion.
"""

from __future__ import annotations

import re

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer

Features = dict[str, tuple[np.ndarray, dict[str, float], dict[str, float]]]

RAW_KEYS = ("emb", "tf", "ent", "time", "num")
CON_KEYS = ("emb", "cemb", "ltf", "ent", "time", "num")
# Logistic-regression weights (intercept last), fitted on ECB+ train topics: same sub-topic vs same topic.
RAW_W = (3.88, 5.99, 5.37, 2.88, 6.05, -6.16)
CON_W = (-2.19, 7.86, 3.1, 4.12, 2.73, 6.12, -1.28)
SPLIT_TAU = 0.40          # mean absolute same-event probability across two halves below which they are two events
W_DECIDE = 1.0            # share of absolute (vs contrastive) probability in the split decision; 0.5 and 0 were no better on train
MIN_CONTRAST = 4          # below this many articles centring is meaningless: plain average linkage on absolute prob.

_NUMERIC = re.compile(r"\b(?:\d[\d,.]*\d|\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                      r"february|march|april|june|july|august|september|october|november|december)\b", re.I)


def numeric_terms(text: str) -> str:
    """The event-specific tokens of a text: numbers (death tolls, magnitudes, years) and day/month names."""
    return " ".join(m.lower().replace(",", "") for m in _NUMERIC.findall(text))


def _tfidf_cos(texts: list[str], **kw: object) -> np.ndarray:
    """Cosine of sublinear TF-IDF vectors, idf fitted on exactly these texts; zeros where there is no vocabulary."""
    try:
        x = TfidfVectorizer(sublinear_tf=True, **kw).fit_transform(texts)  # type: ignore[arg-type]
    except ValueError:        # empty vocabulary (all stop words / no numbers)
        return np.zeros((len(texts), len(texts)))
    return (x @ x.T).toarray()


def _dict_cos(vecs: list[dict[str, float]], neutral: float | None = None) -> np.ndarray:
    if not any(vecs):
        return np.full((len(vecs), len(vecs)), neutral if neutral is not None else 0.0)
    m = DictVectorizer().fit_transform(vecs)
    s = (m @ m.T).toarray()
    if neutral is not None:      # no time expressions on one side says nothing either way
        empty = np.asarray(m.getnnz(axis=1) == 0)
        s[empty, :] = neutral
        s[:, empty] = neutral
    return s


def absolute_features(ids: list[str], feats: Features, leads: list[str]) -> dict[str, np.ndarray]:
    """Pair matrices that do not depend on which subset is being split (idf of ``tf`` over all of ``ids``)."""
    emb = np.stack([feats[a][0] for a in ids]).astype(np.float64)
    return {"emb": emb @ emb.T, "tf": _tfidf_cos(leads, stop_words="english"),
            "ent": _dict_cos([feats[a][1] for a in ids]), "time": _dict_cos([feats[a][2] for a in ids], 0.5),
            "num": _tfidf_cos([numeric_terms(t) for t in leads], token_pattern=r"\S+"), "_vec": emb}


def _prob(stack: list[np.ndarray], w: tuple[float, ...]) -> np.ndarray:
    z = sum(wi * m for wi, m in zip(w[:-1], stack, strict=True)) + w[-1]
    return 1.0 / (1.0 + np.exp(-z))


def absolute_prob(f: dict[str, np.ndarray], sel: np.ndarray | None = None) -> np.ndarray:
    ix = np.ix_(sel, sel) if sel is not None else (slice(None), slice(None))
    return _prob([f[k][ix] for k in RAW_KEYS], RAW_W)


def contrast_features(f: dict[str, np.ndarray], sel: np.ndarray, leads: list[str]) -> dict[str, np.ndarray]:
    """Features of a subset relative to itself: centred embeddings and idf over the subset's own leads."""
    ix = np.ix_(sel, sel)
    e = f["_vec"][sel] - f["_vec"][sel].mean(axis=0)
    e /= np.linalg.norm(e, axis=1, keepdims=True) + 1e-9
    out = {k: f[k][ix] for k in ("emb", "ent", "time", "num")}
    out["cemb"] = e @ e.T
    out["ltf"] = _tfidf_cos([leads[i] for i in sel], stop_words="english", min_df=2)
    return out


def contrast_prob(c: dict[str, np.ndarray]) -> np.ndarray:
    return _prob([c[k] for k in CON_KEYS], CON_W)


def _linkage(prob: np.ndarray, n_clusters: int | None, tau: float) -> np.ndarray:
    kw = {"n_clusters": n_clusters} if n_clusters else {"n_clusters": None, "distance_threshold": 1 - tau}
    return AgglomerativeClustering(metric="precomputed", linkage="average", **kw).fit(1 - prob).labels_


def split_events(ids: list[str], feats: Features, leads: list[str], tau: float = SPLIT_TAU) -> list[list[int]]:
    """Partition ``ids`` (one story's articles, in a stable order) into events; returns index lists in that order."""
    f = absolute_features(ids, feats, leads)
    out: list[list[int]] = []
    todo = [np.arange(len(ids))]
    while todo:
        sel = todo.pop()
        if len(sel) < 2:
            out.append(sel.tolist())
            continue
        pa = absolute_prob(f, sel)
        if len(sel) < MIN_CONTRAST:
            labels = _linkage(pa, None, tau) if len(sel) > 1 else np.zeros(1, dtype=int)
            out.extend(sel[labels == c].tolist() for c in sorted(set(labels.tolist())))
            continue
        pc = contrast_prob(contrast_features(f, sel, leads))
        labels = _linkage(pc, 2, tau)
        across = labels[:, None] != labels[None, :]
        if not across.any() or W_DECIDE * float(pa[across].mean()) + (1 - W_DECIDE) * float(pc[across].mean()) >= tau:
            out.append(sel.tolist())
            continue
        todo.extend([sel[labels == 1], sel[labels == 0]])
    return sorted(out, key=lambda m: m[0])
