"""Train the learned attribution tagger (cue model + content model) on the PolNeAR TRAIN split.

Usage:  OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/train_attribution.py [--cache DIR] [--out PATH]
        [--eval-only] [--bound-only] [--keep-only]

* Data: PolNeAR train (840 articles; first annotator of ``metadata_train_dev.tsv``), parsed once with the project's
  spaCy pipeline and cached as a DocBin under ``--cache`` (default ``/tmp/storyline-attribution``).  Dev is never
  read here.
* Hold-out: articles whose md5(name) mod 100 < 15 (about 15%) are kept out of fitting; thresholds are chosen on
  them and the figures printed at the end (rules alone vs rules + learned, scored with ``bench_polnear``'s rule).
* Models: two L2 logistic regressions (liblinear, deterministic) over the string features of
  ``storyline.nlp.quotes.attribution_features``; features seen fewer than ``MIN_COUNT`` times are dropped and tiny weights
  pruned so the shipped file stays small.
* Span-boundary model (``storyline.nlp.quotes.attribution_spans``): fitted on the system's own indirect predictions over
  the fitted articles, pairwise (a candidate cut minus the current cut, labelled by which matches the gold content
  better under the benchmark's ratio); its switch margin is picked on the hold-out, and it is left out of the saved
  file when no margin beats the model without it.  ``--bound-only`` refits just this part on the model at ``--out``.
* Keep model (``storyline.nlp.quotes.attribution_keep``): fitted last, on out-of-fold predictions (two halves of the
  fitted articles), each finished indirect attribution labelled by whether it matches an annotated one; its threshold
  is picked on the hold-out.  ``--keep-only`` refits just this part on the model at ``--out``.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from spacy.tokens import Doc, DocBin  # noqa: E402

import bench_polnear as bench  # noqa: E402
from storyline.config import Settings  # noqa: E402
from storyline.nlp.entities.extract import EntityIndex  # noqa: E402
from storyline.nlp.quotes.attribution import _CACHE, MODEL_PATH, AttributionModel  # noqa: E402
from storyline.nlp.quotes.attribution_features import CUE_POS, content_features, cue_features  # noqa: E402
from storyline.nlp.quotes.attribution_keep import keep_features  # noqa: E402
from storyline.nlp.quotes.attribution_spans import candidates, start_candidates  # noqa: E402
from storyline.nlp.quotes.extract import _context, extract_quotes  # noqa: E402
from storyline.nlp.quotes.marks import find_marked_quotes  # noqa: E402
from storyline.nlp.runtime.spacy_model import load_nlp  # noqa: E402

MIN_COUNT = 3
PRUNE = 0.02
C_CUE = 1.0
C_CONTENT = 0.3
# (cue, content, drop) thresholds tried on the hold-out; dropping rule cues (drop > 0) never paid off there
GRID = ((0.5, 0.4, 0.0), (0.6, 0.4, 0.0), (0.5, 0.4, 0.15), (0.6, 0.4, 0.15))
# margins by which the learned content must beat a rule content to replace it, tried at the chosen thresholds
SWITCH_GRID = (0.5, 1.5, 3.0)
C_BOUND = 0.1
# margins by which the span-boundary model's best cut must beat the current boundary, tried on the hold-out
BOUND_GRID = (0.0, 0.5, 1.0, 2.0)
C_KEEP = 0.3
# keep-model probabilities below which a judged attribution is dropped, tried on the hold-out
KEEP_GRID = (0.2, 0.25, 0.3, 0.35, 0.4)


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


class _Words:
    """Word positions of one text (bench_polnear's \\w+ rule) with a fast lookup of the words a range covers."""

    def __init__(self, text: str) -> None:
        self.words = bench.word_positions(text)
        self.ends = [e for _, e in self.words]
        self.starts = [s for s, _ in self.words]

    def cover(self, s: int, e: int) -> range:
        return range(bisect.bisect_right(self.ends, s), bisect.bisect_left(self.starts, e))

    def tokens(self, doc: Doc, i: int, j: int) -> range:
        """The words of the token range [i, j)."""
        return self.cover(doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text))


def _ratio(pred: set[int] | range, gold: frozenset[int]) -> float:
    """The benchmark's match quantity: shared words over the larger span (a match needs >= 0.5)."""
    p = set(pred)
    return len(p & gold) / max(len(p), len(gold), 1)


def bound_rows(names: list[str], docs: list[Doc], model: AttributionModel) -> list[list[tuple[list[str], float]]]:
    """Groups of candidate cuts (features, match ratio) for the span-boundary model: for every indirect content the
    system predicts with a cue inside one sentence, the candidate ends (start kept) and the candidate starts (end
    kept), with how well the resulting span matches the gold content of the gold attribution sharing its cue.
    Groups where every cut scores the same are left out (they teach nothing about where to cut)."""
    groups = []
    for name, doc in zip(names, docs, strict=True):
        quotes = extract_quotes(doc, name, EntityIndex.build(doc, name), learned=model)
        words = _Words(doc.text)
        golds = []
        for cue_spans, content_spans in gold_roles(name):
            content = frozenset(i for s, e in content_spans for i in words.cover(s, e))
            golds.append((cue_spans, content))
        text = doc.text
        for q in quotes:
            if q.direct or q.cue_start is None or q.cue_end is None:
                continue
            cue_span = doc.char_span(q.cue_start, q.cue_end, alignment_mode="expand")
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if cue_span is None or span is None or not len(span):
                continue
            pred = set(words.cover(q.start, q.end))
            cands = [g for c, g in golds if g and any(s < q.cue_end and q.cue_start < e for s, e in c)]
            if not cands:
                continue
            gold = max(cands, key=lambda g: len(pred & g))
            cue = cue_span.root
            ps = text.rfind("\n", 0, cue.idx) + 1
            pe = text.find("\n", cue.idx)
            a, b = span.start, span.end
            got = candidates(cue, a, b, (ps, len(text) if pe < 0 else pe))
            if got is None:
                continue
            ends, sv, lo = got
            for rows in ([(f, _ratio(words.tokens(doc, a, e), gold)) for e, f in ends],
                         [(f, _ratio(words.tokens(doc, s, b), gold)) for s, f in start_candidates(cue, sv, a, b, lo)]):
                if max(r for _, r in rows) > min(r for _, r in rows):
                    groups.append(rows)
    return groups


def pair_rows(group: list[tuple[list[str], float]]) -> list[tuple[dict[str, float], int]]:
    """Pairwise examples for the switch decision: (features of a cut minus those of the current cut, is the cut a
    better match).  The runtime moves a boundary when that difference's score clears the margin, so this fits the
    decision it makes; pairs within 0.05 of each other are ties and left out."""
    kind = group[0][0][0][:2]
    cur = next(((f, r) for f, r in group if kind + "m:cur" in f), None)
    if cur is None:
        return []
    base = Counter(cur[0])
    out = []
    for f, r in group:
        if f is cur[0] or abs(r - cur[1]) < 0.05:
            continue
        diff = Counter(f)
        diff.subtract(base)
        out.append(({k: float(v) for k, v in diff.items() if v}, int(r > cur[1])))
    return out


def fit(rows: list[tuple[list[str], int]] | list[tuple[dict[str, float], int]], c: float) -> dict[str, float]:
    """L2 logistic regression over string features (a list: binary; a dict: feature -> value); returns the pruned
    feature -> weight map."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _ in rows for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    indptr, indices, values = [0], [], []
    for feats, _ in rows:
        vals = feats if isinstance(feats, dict) else dict.fromkeys(feats, 1.0)
        idx = sorted((vocab[f], v) for f, v in vals.items() if f in vocab)
        indices.extend(i for i, _ in idx)
        values.extend(v for _, v in idx)
        indptr.append(len(indices))
    x = csr_matrix((np.array(values, dtype=np.float64), indices, indptr), shape=(len(rows), len(vocab)))
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


def fit_cue_content(names: list[str], docs: list[Doc], idx: list[int]) -> tuple[dict[str, float], dict[str, float]]:
    """Cue and content weights fitted on the articles ``idx`` (primary annotator)."""
    cue_rows, content_rows = [], []
    for i in idx:
        c, k = examples(docs[i], names[i])
        cue_rows += c
        content_rows += k
    return fit(cue_rows, C_CUE), fit(content_rows, C_CONTENT)


def crossfit_rows(base: AttributionModel, names: list[str], docs: list[Doc],
                  fit_idx: list[int]) -> list[list[tuple[list[str], float]]]:
    """Boundary groups from predictions the cue/content models make on articles they were NOT fitted on (two
    halves, each predicted by models fitted on the other): in-sample predictions are cleaner than what the runtime
    sees, so a boundary model fitted on them learns to fix the wrong spans."""
    groups = []
    for half in (0, 1):
        own = [i for k, i in enumerate(fit_idx) if k % 2 == half]
        other = [i for k, i in enumerate(fit_idx) if k % 2 != half]
        cue_w, content_w = fit_cue_content(names, docs, other)
        model = replace(base, cue=cue_w, content=content_w, bound={}, bound_margin=0.0)
        groups += bound_rows([names[i] for i in own], [docs[i] for i in own], model)
    return groups


def fit_bound(base: AttributionModel, names: list[str], docs: list[Doc], fit_idx: list[int], hold_names: list[str],
              hold_docs: list[Doc], out: Path, t0: float, crossfit: bool = False) -> None:
    """Fit the span-boundary model on the system's own predictions over the fitted articles, pick its margin on the
    hold-out (or leave it off when no margin beats the model without it), and save the whole model."""
    if crossfit:
        groups = crossfit_rows(base, names, docs, fit_idx)
    else:
        groups = bound_rows([names[i] for i in fit_idx], [docs[i] for i in fit_idx], base)
    rows = [r for g in groups for r in pair_rows(g)]
    print(f"boundary: {len(groups)} candidate groups, {len(rows)} cut pairs ({sum(y for _, y in rows)} better)"
          f" ({time.perf_counter() - t0:.0f}s)", flush=True)
    bound_w = fit(rows, C_BOUND)
    s = score(hold_names, hold_docs, base)
    chosen: tuple[float, float | None] = (s[5] + s[2], None)
    print(f"  hold-out boundary off: content F1 {s[2]:.3f}; attribution F1 {s[5]:.3f}", flush=True)
    for m in BOUND_GRID:
        s = score(hold_names, hold_docs, replace(base, bound=bound_w, bound_margin=m))
        print(f"  hold-out boundary margin>{m}: content F1 {s[2]:.3f} (P {s[0]:.3f} R {s[1]:.3f});"
              f" attribution F1 {s[5]:.3f} (P {s[3]:.3f} R {s[4]:.3f})", flush=True)
        if s[5] + s[2] > chosen[0] + 1e-9:
            chosen = (s[5] + s[2], m)
    model = replace(base, bound=bound_w, bound_margin=chosen[1]) if chosen[1] is not None else base
    model.save(out)
    print(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB), {len(model.bound)} boundary weights, margin {chosen[1]}")


def keep_rows(names: list[str], docs: list[Doc], model: AttributionModel) -> list[tuple[list[str], int]]:
    """(features, matches an annotated attribution) for every attribution the keep model would judge, as
    ``model`` (with no keep weights) predicts them: indirect, cued, alone on its cue, clear of quotation marks."""
    root = bench.data_dir() / "train"
    ann = bench.primary_annotator("train")
    rows = []
    for name, doc in zip(names, docs, strict=True):
        index = EntityIndex.build(doc, name)
        inside = _context(doc, index, model).inside
        words = bench.word_positions(doc.text)
        golds = bench.read_gold(root / "attributions" / f"{name}_{ann[name]}.ann", doc.text, words)
        grouped = bench.predicted(extract_quotes(doc, name, index, learned=model), words)
        matched = {i for i, _ in bench.match([p for p, _ in grouped], golds)}
        for i, (_, quotes) in enumerate(grouped):
            q = quotes[0]
            if len(quotes) > 1 or q.direct or q.cue_start is None or q.cue_end is None or any(inside[q.start : q.end]):
                continue
            speaker = (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None
            feats = keep_features(doc, model, inside, q.start, q.end, (q.cue_start, q.cue_end), speaker,
                                  q.speaker is not None, q.speaker_entity_id is not None, q.medium is not None)
            if feats is not None:
                rows.append((feats, int(i in matched)))
    return rows


def fit_keep(base: AttributionModel, names: list[str], docs: list[Doc], fit_idx: list[int], hold_names: list[str],
             hold_docs: list[Doc], out: Path, t0: float) -> None:
    """Fit the keep model on predictions of cue/content models that did not see the articles (two halves of the
    fitted ones, each predicted by models fitted on the other: in-sample predictions are cleaner than what the runtime
    sees), pick its threshold on the hold-out (the best summed F1; off when none beats the model without it) and save
    the whole model."""
    base = replace(base, keep={}, keep_threshold=0.0)
    rows: list[tuple[list[str], int]] = []
    for half in (0, 1):
        own = [i for k, i in enumerate(fit_idx) if k % 2 == half]
        other = [i for k, i in enumerate(fit_idx) if k % 2 != half]
        cue_w, content_w = fit_cue_content(names, docs, other)
        rows += keep_rows([names[i] for i in own], [docs[i] for i in own], replace(base, cue=cue_w, content=content_w))
    print(f"keep: {len(rows)} judged attributions, {sum(y for _, y in rows)} match ({time.perf_counter() - t0:.0f}s)",
          flush=True)
    keep_w = fit(rows, C_KEEP)
    s = score(hold_names, hold_docs, base)
    print(f"  hold-out keep off: content F1 {s[2]:.4f}; attribution F1 {s[5]:.4f}", flush=True)
    tried = []
    for t in KEEP_GRID:
        s = score(hold_names, hold_docs, replace(base, keep=keep_w, keep_threshold=t))
        print(f"  hold-out keep>={t}: content F1 {s[2]:.4f} (P {s[0]:.3f} R {s[1]:.3f});"
              f" attribution F1 {s[5]:.4f} (P {s[3]:.3f} R {s[4]:.3f})", flush=True)
        tried.append((s[5] + s[2], t))
    off = score(hold_names, hold_docs, base)
    best = max(tried, key=lambda vt: vt[0])       # the first of equals, as for the other thresholds of this script
    chosen = best[1] if best[0] > off[5] + off[2] + 1e-9 else None
    model = replace(base, keep=keep_w, keep_threshold=chosen) if chosen is not None else base
    model.save(out)
    print(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB), {len(model.keep)} keep weights, threshold {chosen}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "storyline-attribution")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--all-annotators", action="store_true",
                    help="fit on every annotator's .ann file of an article (default: the primary one)")
    ap.add_argument("--eval-only", action="store_true", help="score the model at --out on the hold-out")
    ap.add_argument("--bound-only", action="store_true",
                    help="keep the cue/content models of --out and refit only the span-boundary model")
    ap.add_argument("--keep-only", action="store_true",
                    help="keep the cue/content/boundary models of --out and refit only the keep model")
    ap.add_argument("--crossfit", action="store_true",
                    help="fit the span-boundary model on out-of-fold predictions (two halves)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    names, docs = parsed_train(args.cache)
    fit_idx = [i for i, n in enumerate(names) if not is_holdout(n)]
    hold_idx = [i for i, n in enumerate(names) if is_holdout(n)]
    hold_names, hold_docs = [names[i] for i in hold_idx], [docs[i] for i in hold_idx]
    print(f"train: {len(fit_idx)} articles fitted, {len(hold_idx)} held out ({time.perf_counter() - t0:.0f}s)")
    if args.keep_only:
        base = AttributionModel.load(args.out)
        assert base is not None, f"no model at {args.out}"
        fit_keep(base, names, docs, fit_idx, hold_names, hold_docs, args.out, t0)
    elif args.bound_only:
        base = AttributionModel.load(args.out)
        assert base is not None, f"no model at {args.out}"
        fit_bound(replace(base, bound={}, bound_margin=0.0), names, docs, fit_idx, hold_names, hold_docs, args.out, t0,
                  args.crossfit)
    elif not args.eval_only:
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
        print(f"thresholds cue {best[1]} content {best[2]} drop {best[3]} switch {chosen[1]}")
        fit_bound(AttributionModel(cue_w, content_w, best[1], best[2], 1, best[3], chosen[1]), names, docs, fit_idx,
                  hold_names, hold_docs, args.out, t0, args.crossfit)
        _CACHE.pop(args.out, None)
        fitted = AttributionModel.load(args.out)
        assert fitted is not None
        fit_keep(fitted, names, docs, fit_idx, hold_names, hold_docs, args.out, t0)
    _CACHE.pop(args.out, None)              # the file may have been rewritten since it was first loaded
    model = AttributionModel.load(args.out)
    for label, learned in (("rules alone", False), ("rules + learned", model or False)):
        s = score(hold_names, hold_docs, learned)
        print(f"hold-out {label:16}: content F1 {s[2]:.3f} (P {s[0]:.3f} R {s[1]:.3f}); "
              f"attribution F1 {s[5]:.3f} (P {s[3]:.3f} R {s[4]:.3f})")


if __name__ == "__main__":
    main()
