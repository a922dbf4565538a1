"""Stance of a text toward a claim: agree | disagree | discuss | unrelated, with a score.

No pretrained NLI weights are available offline, so the model is trained here (``training/train_stance.py``) from
FNC-1 (headline vs article body) and Emergent (claim vs headline). It is a small stack:

1. Features of the pair, computed by :func:`featurize`: lexical overlap, TF-IDF cosine, MiniLM embedding cosine of
   the claim against the body's best-matching sentences, and cue-word counts (refuting, hedging, negation,
   supporting) inside those *focus* sentences, in the opening and in the whole text. Looking near the matching
   sentences matters: a body that says "hoax" about another story is not disagreeing with this one.
2. Two linear heads give class probabilities: one over the embedding interaction [u, v, |u-v|, u*v] of claim and
   focus sentences, one over a bag of words of the focus sentences (learns cue words beyond our lists).
3. A histogram gradient-boosting model combines 1 and 2 and outputs the class.
4. ``short`` head only: the GBM's P(unrelated) is kept and the related mass is split among agree / disagree /
   discuss by a product of two logistic regressions, one over the n-grams of the text's *framing* (claim words
   masked, cue words tagged: ``stance_frame.py``), one over the scaled hand features (:func:`split_related`);
   on Emergent 10-fold CV this lifted accuracy from 0.70 (GBM alone) to 0.78.

Two heads are shipped: ``body`` (trained on FNC-1 bodies) for passages and articles, ``short`` (trained on Emergent
headlines plus sampled unrelated pairs) for a sentence or a headline. :meth:`StanceModel.predict` picks by length.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .fast_trees import CompiledForest
from .stance_frame import frame_texts
from .stance_words import HEDGE, LEXICONS, NEGATION, REFUTE, content, words

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "stance" / "stance_v1.joblib"
MODEL_VERSION = "stance-v1"
MAX_SENTENCES = 60        # long bodies: the stance is almost always stated early; caps cost per pair
FOCUS_K = 3               # sentences most similar to the claim
SHORT_MAX_CHARS = 320     # up to this (and at most 2 sentences) a text counts as "short"

_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z])")


def split_sentences(text: str, max_sentences: int = MAX_SENTENCES) -> list[str]:
    """Cheap rule-based sentence split (no spaCy: it runs for every pair of a 50k-row CSV)."""
    parts = [p.strip() for p in _SENT_SPLIT.split(text or "")]
    sents = [p for p in parts if len(p) > 1]
    return sents[:max_sentences] or [text.strip() or " "]


def _cue_count(ws: Sequence[str], lexicon: Sequence[str]) -> int:
    """Occurrences of single-word and two-word cues in a token list."""
    single = {c for c in lexicon if " " not in c}
    pairs = {tuple(c.split()) for c in lexicon if " " in c}
    n = sum(1 for w in ws if w in single or (w.endswith("n't") and "n't" in single))
    if pairs:
        n += sum(1 for a, b in zip(ws, ws[1:], strict=False) if (a, b) in pairs)
    return n


@dataclass(slots=True)
class PairFeatures:
    """Everything the learned stages need for a batch of pairs."""

    dense: np.ndarray            # (n, len(DENSE_NAMES)) hand features
    interact: np.ndarray         # (n, 4*384) embedding interaction of claim and focus sentences
    focus_text: list[str]        # the focus sentences joined, for the bag-of-words head
    claim_text: list[str] = field(default_factory=list)  # the claims, for the short head's related stage


DENSE_NAMES: list[str] = (
    ["claim_len", "text_sents", "overlap_frac", "jaccard", "bigram_frac", "best_sent_overlap", "num_match",
     "tfidf_cos", "tfidf_cos_focus", "emb_max", "emb_top3", "emb_mean", "emb_first", "emb_argmax_pos", "emb_gap",
     "claim_question", "neg_mismatch"]
    + [f"claim_{k}" for k in LEXICONS] + [f"focus_{k}" for k in LEXICONS]
    + [f"lead_{k}" for k in LEXICONS] + [f"text_{k}" for k in LEXICONS]
)


def featurize(pairs: Sequence[tuple[str, str]], tfidf: Any, embed: Callable[[list[str]], np.ndarray],
              batch_size: int = 64) -> PairFeatures:
    """Compute features for (claim, text) pairs; ``tfidf`` is the shipped word TF-IDF vectorizer.

    Unique claims and sentences are embedded once per call, so many claims against one body (or one claim against
    many passages) cost one embedding per distinct string.
    """
    claims = [c or "" for c, _ in pairs]
    sents_per = [split_sentences(t or "") for _, t in pairs]
    uniq: dict[str, int] = {}
    for s in claims:
        uniq.setdefault(s, len(uniq))
    for ss in sents_per:
        for s in ss:
            uniq.setdefault(s, len(uniq))
    vecs = embed(list(uniq)) if uniq else np.zeros((0, 384), np.float32)
    texts = [t or "" for _, t in pairs]
    tf_claim = tfidf.transform(claims)
    tf_text = tfidf.transform(texts)
    n = len(pairs)
    dense = np.zeros((n, len(DENSE_NAMES)), dtype=np.float32)
    interact = np.zeros((n, 4 * vecs.shape[1] if len(vecs) else 4 * 384), dtype=np.float32)
    focus_texts: list[str] = []
    for i, (claim, sents) in enumerate(zip(claims, sents_per, strict=True)):
        u = vecs[uniq[claim]]
        sv = vecs[[uniq[s] for s in sents]]
        sims = sv @ u
        order = np.argsort(-sims, kind="stable")
        cw = content(words(claim))
        cset = set(cw)
        sent_words = [words(s) for s in sents]
        cov = [len(cset & set(sw)) / max(1, len(cset)) for sw in sent_words]
        lex_best = int(np.argmax(cov)) if cov else 0
        focus_idx = sorted(set(order[:FOCUS_K].tolist()) | {lex_best})
        focus = [sents[j] for j in focus_idx]
        focus_texts.append(" ".join(focus))
        v = sv[order[:FOCUS_K]].mean(axis=0)
        v = v / max(float(np.linalg.norm(v)), 1e-9)
        interact[i] = np.concatenate([u, v, np.abs(u - v), u * v])
        tw = words(texts[i])
        tset = set(content(tw))
        cb = set(zip(cw, cw[1:], strict=False))
        tcw = content(tw)
        tb = set(zip(tcw, tcw[1:], strict=False))
        nums = {w for w in cw if w.isdigit()}
        fw = [w for j in focus_idx for w in sent_words[j]]
        lead = [w for sw in sent_words[:2] for w in sw]
        cwords = words(claim)
        top = sims[order[:FOCUS_K]]
        row = [
            len(cw), np.log1p(len(sents)),
            len(cset & tset) / max(1, len(cset)), len(cset & tset) / max(1, len(cset | tset)),
            len(cb & tb) / max(1, len(cb)), max(cov) if cov else 0.0,
            (len(nums & tset) / len(nums)) if nums else -1.0,
            0.0, 0.0,  # TF-IDF cosines: filled below for the whole batch at once (sparse row ops are slow)
            float(sims.max()), float(top.mean()), float(sims.mean()), float(sims[0]),
            float(order[0]) / max(1, len(sents) - 1) if len(sents) > 1 else 0.0,
            float(top[0] - sims.mean()),
            float("?" in claim),
            float((_cue_count(cwords, NEGATION) > 0) != (_cue_count(sent_words[int(order[0])], NEGATION) > 0)),
        ]
        row += [_cue_count(cwords, lex) for lex in LEXICONS.values()]
        row += [_cue_count(fw, lex) / len(focus_idx) for lex in LEXICONS.values()]
        row += [_cue_count(lead, lex) for lex in LEXICONS.values()]
        row += [_cue_count(tw, lex) / len(sents) for lex in LEXICONS.values()]
        dense[i] = row
    tf_focus = tfidf.transform(focus_texts)
    dense[:, DENSE_NAMES.index("tfidf_cos")] = np.asarray(tf_claim.multiply(tf_text).sum(axis=1)).ravel()
    dense[:, DENSE_NAMES.index("tfidf_cos_focus")] = np.asarray(tf_claim.multiply(tf_focus).sum(axis=1)).ravel()
    return PairFeatures(dense=dense, interact=interact, focus_text=focus_texts, claim_text=claims)


def head_inputs(head: dict[str, Any], feats: PairFeatures) -> np.ndarray:
    """The gradient-boosting input: hand features plus both linear heads' class probabilities."""
    p_emb = head["lr_emb"].predict_proba(feats.interact)
    p_bow = head["lr_bow"].predict_proba(head["bow"].transform(feats.focus_text))
    return np.hstack([feats.dense, p_emb, p_bow]).astype(np.float32)


# The related-stance stage leaves out the TF-IDF cosines: the word TF-IDF is fitted on the training texts, so
# those cosines run higher on training pairs than on unseen headlines (out-of-vocabulary words), and the linear
# model over-trusts them (Emergent CV accuracy 0.740 with them, 0.755 without).
_REL_DENSE = [i for i, n in enumerate(DENSE_NAMES) if n not in ("tfidf_cos", "tfidf_cos_focus")]


# Attribution / hedging words: a headline that only *reports* the claim ("X says", "claims", "reportedly")
# observes it rather than asserting it.
REPORTING = frozenset(("says", "say", "said", "claims", "claim", "claimed", "reports", "report", "reported",
                       "reportedly", "according", "sources", "source", "told", "tells", "insists", "alleges",
                       "allegedly", "rumor", "rumors", "rumour", "may", "could", "might", "possibly", "appears"))


def _headline_cues(texts: Sequence[str], claims: Sequence[str]) -> np.ndarray:
    """Surface cues of a headline's own framing (after Ferreira & Vlachos 2016).

    A question mark (mostly *observing*), a 'Report:' opening, a colon or quotation marks (attribution), and the
    refuting / hedging / negation / reporting words of the text that are *not* in the claim: "not" in both
    claim and headline is agreement, "not" only in the headline is a contradiction.
    """
    rows = []
    for t, c in zip(texts, claims, strict=True):
        low = t.lower().strip()
        cw = set(words(c))
        tw = words(t)
        new = [w for w in tw if w not in cw]
        rows.append([float(low.endswith("?")), float("?" in low), float(low.startswith("report")),
                     _cue_count(new, REFUTE), _cue_count(new, HEDGE), _cue_count(new, NEGATION),
                     sum(w in REPORTING for w in new), float(":" in t),
                     float('"' in t or t[:1] == "'" or "\u2018" in t or "\u201c" in t),
                     float(low.endswith(":")), len(tw)])
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), 11)


def related_inputs(head: dict[str, Any], feats: PairFeatures) -> tuple[Any, np.ndarray]:
    """Inputs of the ``short`` head's two related-stance experts: framing n-grams and scaled hand features.

    (a) TF-IDF word uni+bigrams of the text's framing (``stance_frame.frame_text``: claim words masked, cue words
    tagged by class, attribution / question tokens); (b) the hand features plus :func:`_headline_cues`, standardised.
    """
    dense = np.hstack([feats.dense[:, _REL_DENSE], _headline_cues(feats.focus_text, feats.claim_text)])
    return (head["rel_bow"].transform(frame_texts(feats.focus_text, feats.claim_text)),
            head["rel_scaler"].transform(dense))


def related_proba(head: dict[str, Any], feats: PairFeatures) -> np.ndarray:
    """P(agree / disagree / discuss) of the related-stance stage, columns in ``head["rel_bow_lr"].classes_`` order.

    A product of two experts, each a logistic regression with its own regularisation: the sparse framing n-grams
    want a weak penalty (C=10), the dense hand features a strong one (C=0.3). One model over both blocks has to
    compromise on one C; on Emergent 10-fold CV the product scored 0.78 against 0.77 for the best single model.
    """
    x_bow, x_dense = related_inputs(head, feats)
    log_p = (np.log(np.clip(head["rel_bow_lr"].predict_proba(x_bow), 1e-12, None))
             + np.log(np.clip(head["rel_dense_lr"].predict_proba(x_dense), 1e-12, None)))
    log_p -= log_p.max(axis=1, keepdims=True)
    p = np.exp(log_p)
    return p / p.sum(axis=1, keepdims=True)


def split_related(head: dict[str, Any], feats: PairFeatures, proba: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """Keep the GBM's P(unrelated) and share the related mass by the related-stance stage (if the head has one).

    Heads without the stage (the ``body`` head) are returned unchanged.
    """
    if "rel_bow_lr" not in head:
        return proba
    p_rel = related_proba(head, feats)
    out = proba.copy()
    cls = list(classes)
    mass = 1.0 - out[:, cls.index("unrelated")] if "unrelated" in cls else np.ones(len(out))
    for j, c in enumerate(head["rel_bow_lr"].classes_):
        out[:, cls.index(c)] = mass * p_rel[:, j]
    return out


def is_short(text: str) -> bool:
    """A headline, a sentence or a two-sentence passage: scored by the ``short`` head."""
    return len(text or "") <= SHORT_MAX_CHARS and len(split_sentences(text or "", 3)) <= 2


class StanceModel:
    """The shipped stance model. Load once with :meth:`load`; :meth:`predict` is batched and deterministic."""

    def __init__(self, bundle: dict[str, Any], embed: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self.bundle = bundle
        self.version: str = bundle.get("version", "unknown")
        self.tfidf = bundle["tfidf"]
        self.heads: dict[str, dict[str, Any]] = bundle["heads"]
        self._embed = embed

    @classmethod
    def from_file(cls, path: str | Path = MODEL_PATH) -> StanceModel:
        try:
            import joblib
            bundle = joblib.load(path)
        except FileNotFoundError as exc:
            raise ModelError(f"stance model not found at {path}; run training/train_stance.py") from exc
        except Exception as exc:  # a damaged or incompatible pickle must not surface as a raw traceback
            raise ModelError(f"stance model at {path} cannot be loaded ({exc}); "
                             "reinstall storyline or retrain with training/train_stance.py") from exc
        if not isinstance(bundle, dict) or bundle.get("version") != MODEL_VERSION:
            raise ModelError(f"stance model at {path} is not {MODEL_VERSION}; retrain with training/train_stance.py")
        return cls(bundle)

    @classmethod
    def load(cls) -> StanceModel:
        """The process-wide shipped model (cached)."""
        return _load_cached()

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._embed is None:
            from ..nlp.runtime.embed import get_embedder
            self._embed = get_embedder().encode
        return self._embed(texts)

    def predict_proba(self, pairs: Sequence[tuple[str, str]], head: str | None = None) -> np.ndarray:
        """(n, 4) probabilities in :data:`LABELS` order; ``head`` forces ``body`` or ``short``."""
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float64)
        if not pairs:
            return out
        names = [head or ("short" if is_short(t) else "body") for _, t in pairs]
        for name in sorted(set(names)):
            if name not in self.heads:
                raise ModelError(f"stance model has no head {name!r}; heads: {sorted(self.heads)}")
            idx = [i for i, h in enumerate(names) if h == name]
            h = self.heads[name]
            feats = featurize([pairs[i] for i in idx], self.tfidf, self.embed)
            proba = self._forest(name).predict_proba(head_inputs(h, feats))
            proba = split_related(h, feats, proba, h["gbm"].classes_)
            cols = [LABELS.index(c) for c in h["gbm"].classes_]
            out[np.ix_(idx, cols)] = proba
        return out

    def _forest(self, name: str) -> CompiledForest:
        """The head's gradient-boosting model compiled for vectorised prediction (same probabilities as sklearn)."""
        forests = self.__dict__.setdefault("_forests", {})
        if name not in forests:
            forests[name] = CompiledForest(self.heads[name]["gbm"])
        return forests[name]

    def predict(self, pairs: Sequence[tuple[str, str]], head: str | None = None) -> list[tuple[str, float]]:
        """[(label, probability of that label)] for each (claim, text) pair, in input order."""
        proba = self.predict_proba(pairs, head)
        best = proba.argmax(axis=1)
        return [(LABELS[int(k)], round(float(proba[i, k]), 4)) for i, k in enumerate(best)]

    def predict_short(self, claim: str, texts: Sequence[str]) -> list[tuple[str, float]]:
        """One claim against many sentences or passages (the check path), scored by the ``short`` head."""
        return self.predict([(claim, t) for t in texts], head="short")


@functools.lru_cache(maxsize=1)
def _load_cached() -> StanceModel:
    return StanceModel.from_file(MODEL_PATH)


def predict(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
    """Shorthand for ``StanceModel.load().predict(pairs)``."""
    return StanceModel.load().predict(pairs)
