"""Pair features and divisive splitting that separate the events of one story.

Inside a story every article shares the story's people, places and vocabulary, so absolute similarity (lead
embedding, TF-IDF, entities) says little about *which* event an article reports: two quakes on one island, two
offers to one player. What tells them apart is what is rare *within the story*: embeddings centred on the story's
mean, TF-IDF with idf fitted on the story's own leads, and the numbers, years, day and month names in the text.

Those contrastive features always find *some* split, even in a story that is one event, so they only propose the
split; whether to keep it is a separate, learned decision. ``split_events`` is bisecting clustering:
  1. two halves by average linkage on the contrastive pair probability;
  2. keep the split if the split-decision model says "two events" (probability >= ``SPLIT_CUT``), from three
     statistics of the proposal: mean absolute and mean contrastive same-event probability across the halves, and
     the *agreement of independent views* -- each view (centred embeddings, in-story TF-IDF, entities, numbers,
     dates) bisected on its own by its Fiedler vector, mean pairwise ARI between those bisections. Two real events
     differ in names, words, numbers and dates at once, so the views cut the same way; one event split by force
     gives cuts that disagree. This is a property of the story, not a count of events, so a story of one event and
     a story of three are judged the same way;
  3. recurse into both halves.
Pair probabilities and the split decision are logistic regressions fitted on ECB+ TRAIN topics: pairs of one topic
(same sub-topic or not) and, for the decision, gold topics (two events) against gold sub-topics (one event)
(``benchmarks/bench_ecbplus.py --split train --fit`` prints all three). Cost is quadratic in the story's new
articles only (callers cap that), times the depth of the recursion.
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
DEC_KEYS = ("abs_across", "con_across", "agreement")
DEC_W = (-2.12, -1.68, 2.17, 1.15)      # split-decision logistic regression over DEC_KEYS (intercept last), see module doc
SPLIT_CUT = 0.5           # split-decision probability at or above which a proposed split is kept
SPLIT_TAU = 0.40          # small groups: average linkage on absolute same-event probability cut at this level
MIN_CONTRAST = 4          # below this many articles centring is meaningless: plain average linkage on absolute prob.
VIEWS = ("cemb", "ltf", "ent", "num", "time")   # the independent views whose bisections must agree

_NUMERIC = re.compile(r"\b(?:\d[\d,.]*\d|\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                      r"february|march|april|june|july|august|september|october|november|december)\b", re.I)


def numeric_terms(text: str) -> str:
    """The event-specific tokens of a text: numbers (death tolls, magnitudes, years) and day/month names."""
    return " ".join(m.lower().replace(",", "") for m in _NUMERIC.findall(text))


def _tfidf_cos(texts: list[str], **kw: object) -> np.ndarray:
    """Cosine of sublinear TF-IDF vectors, idf fitted on exactly these texts; zeros where there is no vocabulary."""
    try:
        x = TfidfVectorizer(sublinear_tf=True, **kw).fit_transform(texts)
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


def _fiedler_split(sim: np.ndarray) -> np.ndarray | None:
    """Two-way spectral cut of one view: sign of the Fiedler vector of the normalised Laplacian; None when the view
    carries no information here (constant similarities, e.g. no article states a number)."""
    a = np.clip((sim + sim.T) / 2, 0.0, None)
    np.fill_diagonal(a, 0.0)
    off = a[~np.eye(len(a), dtype=bool)]
    if off.size == 0 or float(off.max() - off.min()) < 1e-6:
        return None
    # A weak link between every pair keeps the graph connected: with two perfectly separate blocks the zero
    # eigenvalue is double and the second eigenvector would be an arbitrary mix of the two block indicators.
    a = a + 1e-3 * (1.0 - np.eye(len(a)))
    d = a.sum(axis=1)
    lap = np.eye(len(a)) - a / np.sqrt(d[:, None] * d[None, :])
    _, vecs = np.linalg.eigh(lap)
    return (vecs[:, 1] / np.sqrt(d) > 0).astype(int)


def pair_ari(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two labelings (same value as sklearn's ``adjusted_rand_score``, without its input
    validation, which cost more than the index itself over the many small cuts a corpus run compares)."""
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.int64)
    np.add.at(table, (ai, bi), 1)
    n = len(a)
    comb = lambda x: x * (x - 1) // 2  # noqa: E731
    both = float(comb(table).sum())
    rows, cols = float(comb(table.sum(axis=1)).sum()), float(comb(table.sum(axis=0)).sum())
    total = float(comb(np.int64(n)))
    if total == 0:
        return 1.0
    expected = rows * cols / total
    top = (rows + cols) / 2
    if top == expected:              # both labelings trivial (one cluster, or all singletons): identical
        return 1.0
    return (both - expected) / (top - expected)


def view_agreement(c: dict[str, np.ndarray]) -> float:
    """Mean pairwise ARI between the views' own two-way cuts (0 when fewer than two views are informative)."""
    cuts = [x for x in (_fiedler_split(c[k]) for k in VIEWS) if x is not None]
    scores = [pair_ari(cuts[i], cuts[j]) for i in range(len(cuts)) for j in range(i + 1, len(cuts))]
    return float(np.mean(scores)) if scores else 0.0


def propose_split(f: dict[str, np.ndarray], sel: np.ndarray, leads: list[str]) -> tuple[np.ndarray, dict[str, float]]:
    """The contrastive two-way proposal for the articles ``sel`` and the statistics the split decision reads."""
    c = contrast_features(f, sel, leads)
    pc = contrast_prob(c)
    pa = absolute_prob(f, sel)
    labels = _linkage(pc, 2, SPLIT_TAU)
    across = labels[:, None] != labels[None, :]
    stats = {"abs_across": float(pa[across].mean()) if across.any() else 1.0,
             "con_across": float(pc[across].mean()) if across.any() else 1.0,
             "agreement": view_agreement(c)}
    return labels, stats


def split_probability(stats: dict[str, float], w: tuple[float, ...] | None = None) -> float:
    """Probability that a proposal separates two events rather than cutting one event in two."""
    w = w or DEC_W
    z = sum(wi * stats[k] for wi, k in zip(w[:-1], DEC_KEYS, strict=True)) + w[-1]
    return float(1.0 / (1.0 + np.exp(-z)))


def split_events(ids: list[str], feats: Features, leads: list[str], cut: float = SPLIT_CUT) -> list[list[int]]:
    """Partition ``ids`` (one story's articles, in a stable order) into events; returns index lists in that order."""
    f = absolute_features(ids, feats, leads)
    out: list[list[int]] = []
    todo = [np.arange(len(ids))]
    while todo:
        sel = todo.pop()
        if len(sel) < 2:
            out.append(sel.tolist())
            continue
        if len(sel) < MIN_CONTRAST:
            labels = _linkage(absolute_prob(f, sel), None, SPLIT_TAU)
            out.extend(sel[labels == c].tolist() for c in sorted(set(labels.tolist())))
            continue
        labels, stats = propose_split(f, sel, leads)
        if len(set(labels.tolist())) < 2 or split_probability(stats) < cut:
            out.append(sel.tolist())
            continue
        todo.extend([sel[labels == 1], sel[labels == 0]])
    return sorted(out, key=lambda m: m[0])
