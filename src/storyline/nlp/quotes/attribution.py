"""Learned attribution cues and contents: finds the reported speech the hand rules do not reach.

PolNeAR annotators mark a long tail of cue expressions ("mocked", "figures", "is banking on", "blasted") that no
hand list covers, so the rules' recall stalls.  Two small linear models trained on the PolNeAR *train* split
(``training/train_attribution.py``; see ``models/attribution/MODEL_CARD.md``) fill the gap:
* the cue model scores every content word outside quotation marks as an attribution cue head;
* the content model scores, for a cue, every token of its sentence as part of what it attributes.
The learned path ADDS attributions where the rules found none (a token already inside a rule cue or content is
never a learned cue); the speaker stays rule-based (the cue's subject, inverted subject or the noun phrase before).
It also moves an indirect rule content's boundaries within the sentence when the content model prefers its own span
by more than ``switch_margin`` (summed margin).
Scoring is a sum of feature weights from a dictionary: no sklearn, no second pipeline, a few ms per article.
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Token

from .attribution_features import CUE_POS, content_features, cue_features, path_first

MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "attribution" / "attribution.json.gz"
_LOCK = threading.Lock()
_CACHE: dict[Path, AttributionModel] = {}


@dataclass(frozen=True)
class AttributionModel:
    """Weights of the cue and content models and the decision thresholds chosen on the train hold-out."""

    cue: dict[str, float]
    content: dict[str, float]
    cue_threshold: float
    content_threshold: float
    version: int = 1
    drop_threshold: float = 0.0     # a rule cue the cue model scores below this is dropped (PolNeAR marks no cue there)
    # a rule content is replaced by the learned one when the learned span's summed margin beats the rule span's by
    # more than this (0 = never): the rules' clause boundaries are right most of the time, so only a clear win counts
    switch_margin: float = 0.0
    # span-boundary model (``attribution_spans``): weights of cut features, and by how much the best cut must beat
    # the current boundary to move it (empty weights = off)
    bound: dict[str, float] = field(default_factory=dict)
    bound_margin: float = 0.0
    # keep model (``attribution_keep``): weights over a finished indirect attribution, and the probability below which
    # it is dropped (empty weights or 0 = off)
    keep: dict[str, float] = field(default_factory=dict)
    keep_threshold: float = 0.0

    @classmethod
    def load(cls, path: Path | None = None) -> AttributionModel | None:
        """The model at ``path`` (default: the shipped one), cached per process; None when the file is absent."""
        p = path or MODEL_PATH
        with _LOCK:
            if p in _CACHE:
                return _CACHE[p]
            if not p.is_file():
                return None
            with gzip.open(p, "rt", encoding="utf-8") as fh:
                raw = json.load(fh)
            model = cls(raw["cue"], raw["content"], float(raw["cue_threshold"]), float(raw["content_threshold"]),
                        int(raw.get("version", 1)), float(raw.get("drop_threshold", 0.0)),
                        float(raw.get("switch_margin", 0.0)), raw.get("bound", {}),
                        float(raw.get("bound_margin", 0.0)), raw.get("keep", {}),
                        float(raw.get("keep_threshold", 0.0)))
            _CACHE[p] = model
            return model

    def save(self, path: Path) -> None:
        """Write the model deterministically (sorted keys, rounded weights, fixed gzip mtime)."""
        raw = {"version": self.version, "cue_threshold": self.cue_threshold,
               "content_threshold": self.content_threshold, "drop_threshold": self.drop_threshold,
               "switch_margin": self.switch_margin, "bound_margin": self.bound_margin,
               "bound": {k: round(v, 4) for k, v in sorted(self.bound.items())},
               "keep": {k: round(v, 4) for k, v in sorted(self.keep.items())}, "keep_threshold": self.keep_threshold,
               "cue": {k: round(v, 4) for k, v in sorted(self.cue.items())},
               "content": {k: round(v, 4) for k, v in sorted(self.content.items())}}
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(raw, sort_keys=True, separators=(",", ":")).encode("utf-8")
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(data)

    @staticmethod
    def _prob(weights: dict[str, float], feats: list[str]) -> float:
        z = sum(weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def bound_score(self, feats: list[str]) -> float:
        """Score of one candidate content boundary (a logit; only differences between cuts matter)."""
        w = self.bound
        return sum(w.get(f, 0.0) for f in feats)

    def cue_prob(self, tok: Token) -> float:
        """Probability that ``tok`` heads an attribution cue."""
        return self._prob(self.cue, cue_features(tok))

    def content_probs(self, cue: Token, inside: bytearray) -> list[tuple[Token, float]]:
        """For each token of the cue's sentence (the cue excluded), the probability it is part of the content."""
        lem = cue.lemma_.lower()
        return [(t, self._prob(self.content, content_features(cue, t, lem, bool(inside[t.idx]))))
                for t in cue.sent if t.i != cue.i and not t.is_space]

    def span_margin(self, probs: list[tuple[Token, float]], start: int, end: int) -> float:
        """Summed margin (p - threshold) of the tokens whose first character lies in the character range."""
        return sum(p - self.content_threshold for t, p in probs if start <= t.idx < end)

    def best_span(self, probs: list[tuple[Token, float]], cue_i: int) -> tuple[float, int, int] | None:
        """(summed margin, start, end) of the best contiguous token run on one side of the cue, or None: a
        maximum-subarray decode over p - threshold, so a single doubtful comma inside a clause is bridged and a long
        doubtful tail is not."""
        best: tuple[float, int, int] | None = None
        for side in (-1, 1):
            run = [(t.i, p - self.content_threshold) for t, p in probs if (t.i - cue_i) * side > 0]
            cur, start = 0.0, None
            for i, m in run:
                if start is None or cur <= 0.0:
                    cur, start = m, i
                else:
                    cur += m
                if cur > 0.0 and (best is None or cur > best[0]):
                    best = (cur, start, i + 1)
        return best


def learned_cues(model: AttributionModel, doc_tokens: list[Token], blocked: bytearray,
                 inside: bytearray) -> list[tuple[Token, float]]:
    """Tokens the cue model accepts, outside quotation marks and outside everything the rules already claimed
    (``blocked`` marks characters of rule cues and contents)."""
    out = []
    for tok in doc_tokens:
        if tok.pos_ not in CUE_POS or tok.is_punct or inside[tok.idx] or blocked[tok.idx] or tok.lemma_ == "quote":
            continue
        p = model.cue_prob(tok)
        if p >= model.cue_threshold:
            out.append((tok, p))
    return out


__all__ = ["MODEL_PATH", "AttributionModel", "learned_cues", "path_first"]
