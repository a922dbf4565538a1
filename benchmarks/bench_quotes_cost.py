"""Per-article cost of the quotes stage (``extract_quotes``: parse rules + the learned tagger) beside the parse.

Usage:  OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_quotes_cost.py [--articles 200] [--procs 3]
        [--baseline-src OTHER_TREE/src]

The first ``--articles`` PolNeAR train articles (sorted by name) are parsed once here (that parse, per article, is
the anchor) and handed to child processes as a DocBin.  Each child imports ``storyline`` from one tree, builds the
entity indexes, warms up (doc columns, model load) and times ``extract_quotes`` over all the articles three times
(rules alone, then rules + learned), keeping the best round.  With ``--baseline-src`` the two trees' children
alternate, ``--procs`` of each, so both see the same machine load; the best child of each tree is printed.
Issue 17 (speed) asks that the quotes stage not get noticeably slower; issue 19 changes what it does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(src: str, docbin: str) -> None:
    """Time the quotes stage of the tree at ``src`` on the parsed articles in ``docbin``; print JSON."""
    sys.path.insert(0, src)
    from spacy.tokens import DocBin

    import storyline
    from storyline.config import Settings
    from storyline.nlp.entities.extract import EntityIndex
    from storyline.nlp.quotes.extract import extract_quotes
    from storyline.nlp.runtime.spacy_model import load_nlp

    if not storyline.__file__ or not Path(storyline.__file__).resolve().is_relative_to(Path(src).resolve()):
        raise SystemExit(f"storyline was imported from {storyline.__file__}, not from {src}")
    nlp = load_nlp(Settings())
    docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    names = [f"a{i}" for i in range(len(docs))]
    indexes = [EntityIndex.build(d, n) for d, n in zip(docs, names, strict=True)]
    for d, n, ix in zip(docs, names, indexes, strict=True):
        extract_quotes(d, n, ix)
    best: dict[str, float] = {}
    for _ in range(3):
        for label, learned in (("rules", False), ("quotes stage", True)):
            t0 = time.perf_counter()
            for d, n, ix in zip(docs, names, indexes, strict=True):
                extract_quotes(d, n, ix, learned=learned)
            ms = (time.perf_counter() - t0) / len(docs) * 1000
            best[label] = min(best.get(label, float("inf")), ms)
    print(json.dumps(best))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--procs", type=int, default=3, help="child processes per tree (alternating)")
    ap.add_argument("--baseline-src", help="the src folder of another tree, timed alternately with this one")
    ap.add_argument("--child", nargs=2, metavar=("SRC", "DOCBIN"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from spacy.tokens import DocBin

    import bench_polnear as bench
    from storyline.config import Settings
    from storyline.nlp.runtime.spacy_model import load_nlp

    root = bench.data_dir() / "train"
    names = sorted(bench.primary_annotator("train"))[: args.articles]
    texts = [(root / "text" / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    nlp = load_nlp(Settings())
    list(nlp.pipe(texts[:2]))
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse_ms = (time.perf_counter() - t0) / len(texts) * 1000
    trees = [("this tree", str(ROOT / "src"))]
    if args.baseline_src:
        trees.insert(0, ("baseline", str(Path(args.baseline_src).resolve())))
    best: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "docs.spacy")
        DocBin(docs=docs).to_disk(path)
        for _ in range(args.procs):
            for label, src in trees:
                out = subprocess.run([sys.executable, __file__, "--child", src, path], check=True,
                                     capture_output=True, text=True).stdout
                got = json.loads(out.strip().splitlines()[-1])
                mine = best.setdefault(label, {})
                for k, v in got.items():
                    mine[k] = min(mine.get(k, float("inf")), v)
    print(f"PolNeAR train, first {len(docs)} articles; parse (nlp.pipe, 1 round) {parse_ms:.1f} ms/article")
    for label, figures in best.items():
        print(f"{label:10} " + "; ".join(f"{k} {v:.2f} ms/article" for k, v in figures.items())
              + f" ({figures['quotes stage'] / parse_ms:.1%} of the parse; best of 3 rounds x {args.procs} processes)")


if __name__ == "__main__":
    main()
