"""Train the learned attribution tagger (cue model + content model) on the PolNeAR TRAIN split.

Usage:  OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/train_attribution.py [--cache DIR] [--out PATH]
        [--eval-only]

* Data: PolNeAR train (840 articles; first annotator of ``metadata_train_dev.tsv``), parsed once with the project's
  spaCy pipeline and cached as a DocBin under ``--cache`` (default ``/tmp/storyline-attribution``).  Dev is never
  read here.
* Hold-out: articles whose md5(name) mod 100 < 15 (about 15%) are kept out of fitting; thresholds are chosen on
  them and the figures printed at the end (rules alone vs rules + learned, scored with ``bench_polnear``'s rule).
* Models: two L2 logistic regressions (liblinear, deterministic) over the string features of
  ``storyline.nlp.attribution_features``; features seen fewer than ``MIN_COUNT`` times are dropped and tiny weights
  pruned so the shipped file stays small.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from spacy.tokens import Doc, DocBin  # noqa: E402

import bench_polnear as bench  # noqa: E402
from storyline.config import Settings  # noqa: E402
from storyline.nlp.attribution import MODEL_PATH, AttributionModel  # noqa: E402
from storyline.nlp.attribution_features import CUE_POS, content_features, cue_features  # noqa: E402
from storyline.nlp.entities import EntityIndex  # noqa: E402
from storyline.nlp.quote_marks import find_marked_quotes  # noqa: E402
from storyline.nlp.quotes import extract_quotes  # noqa: E402
from storyline.nlp.spacy_model import load_nlp  # noqa: E402

MIN_COUNT = 3
PRUNE = 0.02
C_CUE = 1.0
C_CONTENT = 0.3
# (cue, content, drop) thresholds tried on the hold-out; dropping rule cues (drop > 0) never paid off there
GRID = ((0.5, 0.4, 0.0), (0.6, 0.4, 0.0), (0.5, 0.4, 0.15), (0.6, 0.4, 0.15))
# margins by which the learned content must beat a rule content to replace it, tried at the chosen thresholds
SWITCH_GRID = (0.5, 1.5, 3.0)


def is_holdout(name: str) -> bool:
    return int(hashlib.md5(name.encode()).hexdigest(), 16) % 100 < 15


def parsed_train(cache: Path) -> tuple[list[str], list[Doc]]:
    """Names and parsed docs of the train split, parsed once and cached (parsing is most of the cost)."""
    nlp = load_nlp(Settings())
    root = bench.data_dir() / "train"
    ann = bench.primary_annotator("train")
    names = sorted(n for n in ann if (root / "text" / f"{n}.txt").is_file())
    path = cache / "train.spacy"
    if path.is_file() and (cache / "train.names").read_text().split("\n") == names:
        return names, list(DocBin().from_disk(path).get_docs(nlp.vocab))
    texts = [(root / "text" / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    db = DocBin(store_user_data=False)
    docs = []
    for d in nlp.pipe(texts, batch_size=16):
        db.add(d)
        docs.append(d)
    cache.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    (cache / "train.names").write_text("\n".join(names))
    return names, docs


def all_annotators(name: str) -> list[str]:
    """Every annotator of one train article with an .ann file, the primary one first."""
    root = bench.data_dir() / "train" / "attributions"
    with open(bench.DATA / "metadata_train_dev.tsv", encoding="utf-8") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if p[0] == "train" and p[1] == name:
                return [a for a in p[3].split("|") if (root / f"{name}_{a}.ann").is_file()]
    return []


def gold_roles(name: str, ann: str | None = None) -> list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """(cue spans, content spans) of every attribution of one article (brat standoff; default: primary annotator)."""
    ann = ann or bench.primary_annotator("train")[name]
    path = bench.data_dir() / "train" / "attributions" / f"{name}_{ann}.ann"
    spans: dict[str, list[tuple[int, int]]] = {}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, _, offs = parts[1].partition(" ")
            spans[parts[0]] = [(int(a), int(b)) for a, b in (o.split() for o in offs.split(";"))]
        elif line.startswith("E") and len(parts) >= 2:
            ev = dict(x.split(":", 1) for x in parts[1].split())
            if "Cue" in ev and "Content" in ev and ev["Cue"] in spans and ev["Content"] in spans:
                out.append((spans[ev["Cue"]], spans[ev["Content"]]))
    return out


def _tokens_in(doc: Doc, spans: list[tuple[int, int]]) -> list[int]:
    return [t.i for t in doc if not t.is_space and any(t.idx < e and s < t.idx + len(t.text) for s, e in spans)]


def cue_head(doc: Doc, toks: list[int]) -> int | None:
    """The syntactic head of a cue span: the token whose head lies outside the span (the first such)."""
    inset = set(toks)
    for i in toks:
        t = doc[i]
        if t.head.i not in inset or t.head.i == i:
            return i
    return toks[0] if toks else None


def inside_marks(text: str) -> bytearray:
    inside = bytearray(len(text) + 1)
    for q in find_marked_quotes(text):
        inside[q.start : q.end] = b"\x01" * (q.end - q.start)
    return inside


def examples(doc: Doc, name: str, ann: str | None = None) -> tuple[list[tuple[list[str], int]],
                                                                   list[tuple[list[str], int]]]:
    """Cue examples (every candidate token) and content examples (every token of each gold cue's sentence)."""
    inside = inside_marks(doc.text)
    heads: dict[int, set[int]] = {}
    for cue_spans, content_spans in gold_roles(name, ann):
        h = cue_head(doc, _tokens_in(doc, cue_spans))
        if h is not None:
            heads[h] = set(_tokens_in(doc, content_spans))
    cue_ex = [(cue_features(t), int(t.i in heads)) for t in doc
              if t.pos_ in CUE_POS and not t.is_punct and not inside[t.idx]]
    content_ex = []
    for h, content in heads.items():
        cue = doc[h]
        if inside[cue.idx]:
            continue
        lem = cue.lemma_.lower()
        for t in cue.sent:
            if t.i != h and not t.is_space:
                content_ex.append((content_features(cue, t, lem, bool(inside[t.idx])), int(t.i in content)))
    return cue_ex, content_ex


def fit(rows: list[tuple[list[str], int]], c: float) -> dict[str, float]:
    """L2 logistic regression over binary string features; returns the pruned feature -> weight map."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _ in rows for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    indptr, indices = [0], []
    for feats, _ in rows:
        idx = sorted({vocab[f] for f in feats if f in vocab})
        indices.extend(idx)
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr), shape=(len(rows), len(vocab)))
    y = np.array([label for _, label in rows])
    clf = LogisticRegression(C=c, solver="liblinear", fit_intercept=False, max_iter=200, random_state=0)
    clf.fit(x, y)
    names = sorted(vocab, key=vocab.get)  # type: ignore[arg-type]
    return {f: float(w) for f, w in zip(names, clf.coef_[0], strict=True) if abs(w) >= PRUNE or f == "b"}


def score(names: list[str], docs: list[Doc], learned: bool | AttributionModel) -> tuple[float, ...]:
    """Content P/R/F1 and attribution P/R/F1 of ``extract_quotes`` on these articles (bench_polnear's rule)."""
    root = bench.data_dir() / "train"
    ann = bench.primary_annotator("train")
    n_pred = n_gold = tp_c = tp_a = 0
    for name, doc in zip(names, docs, strict=True):
        quotes = extract_quotes(doc, name, EntityIndex.build(doc, name), learned=learned)
        words = bench.word_positions(doc.text)
        golds = bench.read_gold(root / "attributions" / f"{name}_{ann[name]}.ann", doc.text, words)
        preds = [p for p, _ in bench.predicted(quotes, words)]
        pairs = bench.match(preds, golds)
        n_pred += len(preds)
        n_gold += len(golds)
        tp_c += len(pairs)
        tp_a += sum(bench.speaker_ok(preds[i], golds[j]) for i, j in pairs)
    return (*bench.prf(tp_c, n_pred, n_gold), *bench.prf(tp_a, n_pred, n_gold))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "storyline-attribution")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--all-annotators", action="store_true",
                    help="fit on every annotator's .ann file of an article (default: the primary one)")
    ap.add_argument("--eval-only", action="store_true", help="score the model at --out on the hold-out")
    args = ap.parse_args()
    t0 = time.perf_counter()
    names, docs = parsed_train(args.cache)
    fit_idx = [i for i, n in enumerate(names) if not is_holdout(n)]
    hold_idx = [i for i, n in enumerate(names) if is_holdout(n)]
    hold_names, hold_docs = [names[i] for i in hold_idx], [docs[i] for i in hold_idx]
    print(f"train: {len(fit_idx)} articles fitted, {len(hold_idx)} held out ({time.perf_counter() - t0:.0f}s)")
    if not args.eval_only:
        cue_rows, content_rows = [], []
        for i in fit_idx:
            for ann in (all_annotators(names[i]) if args.all_annotators else [None]):
                c, k = examples(docs[i], names[i], ann)
                cue_rows += c
                content_rows += k
        print(f"examples: {len(cue_rows)} cue ({sum(y for _, y in cue_rows)} pos), {len(content_rows)} content"
              f" ({sum(y for _, y in content_rows)} pos) ({time.perf_counter() - t0:.0f}s)")
        cue_w = fit(cue_rows, C_CUE)
        content_w = fit(content_rows, C_CONTENT)
        print(f"fitted: {len(cue_w)} cue weights, {len(content_w)} content weights ({time.perf_counter() - t0:.0f}s)")
        best = None
        for ct, kt, dt in GRID:
            model = AttributionModel(cue_w, content_w, ct, kt, 1, dt)
            s = score(hold_names, hold_docs, model)
            print(f"  hold-out cue>={ct} content>={kt} drop<{dt}: content F1 {s[2]:.3f} (P {s[0]:.3f} R {s[1]:.3f});"
                  f" attribution F1 {s[5]:.3f} (P {s[3]:.3f} R {s[4]:.3f})", flush=True)
            if best is None or s[5] + s[2] > best[0] + 1e-9:
                best = (s[5] + s[2], ct, kt, dt)
        assert best is not None
        chosen = (best[0], 0.0)
        for sw in SWITCH_GRID:
            s = score(hold_names, hold_docs, AttributionModel(cue_w, content_w, best[1], best[2], 1, best[3], sw))
            print(f"  hold-out switch>{sw}: content F1 {s[2]:.3f} (P {s[0]:.3f} R {s[1]:.3f});"
                  f" attribution F1 {s[5]:.3f} (P {s[3]:.3f} R {s[4]:.3f})", flush=True)
            if s[5] + s[2] > chosen[0] + 1e-9:
                chosen = (s[5] + s[2], sw)
        AttributionModel(cue_w, content_w, best[1], best[2], 1, best[3], chosen[1]).save(args.out)
        print(f"saved {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), thresholds cue {best[1]} content {best[2]}"
              f" drop {best[3]} switch {chosen[1]}")
    model = AttributionModel.load(args.out)
    for label, learned in (("rules alone", False), ("rules + learned", model or False)):
        s = score(hold_names, hold_docs, learned)
        print(f"hold-out {label:16}: content F1 {s[2]:.3f} (P {s[0]:.3f} R {s[1]:.3f}); "
              f"attribution F1 {s[5]:.3f} (P {s[3]:.3f} R {s[4]:.3f})")


if __name__ == "__main__":
    main()
