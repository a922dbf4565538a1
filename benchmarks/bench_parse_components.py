"""storyline's parse against stock spaCy's, component by component, and proof that the parses are the same.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_parse_components.py [--fnc N] [--t17 N]

The product's pipeline (``load_nlp()``) replaces spaCy's attribute ruler and rule lemmatizer by exact stand-ins
(``nlp/runtime/fast_components.py``); the benchmarks' anchor is stock spaCy (``load_nlp(stock=True)``). On the same
texts (the first N FNC-1 bodies, then the first N texts of the shared T17 collections in date order, as
``bench_analyze_throughput.py --t17`` reads them), each pipeline runs component by component in one process, cold (each
pipeline's first pass, as a fresh worker sees it), and the CPU seconds of each component are printed side by side.
Then every doc of the two pipelines is compared: tag, POS, morphology, lemma, dependency label and head of every
token, and the entities. Any difference is printed and makes the script exit 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_analyze_throughput import load_bodies, load_t17  # noqa: E402

COLUMNS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]


def run(nlp: Any, texts: list[str]) -> tuple[list[Any], dict[str, float]]:
    """The pipeline's components one after another over all texts (batches of 64), with each one's CPU seconds."""
    seconds: dict[str, float] = {}
    start = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    seconds["tokenizer"] = time.process_time() - start
    for name, component in nlp.pipeline:
        start = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=64))
        else:                                          # a function component (the line-break rule)
            docs = [component(doc) for doc in docs]
        seconds[name] = time.process_time() - start
    return docs, seconds


def differences(ours: list[Any], theirs: list[Any]) -> int:
    different = 0
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        same = (a.to_array(COLUMNS) == b.to_array(COLUMNS)).all()
        same = same and [(t.lemma_, str(t.morph)) for t in a] == [(t.lemma_, str(t.morph)) for t in b]
        same = same and [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
        if not same:
            different += 1
            token = next((x, y) for x, y in zip(a, b, strict=True)
                         if (x.tag_, x.pos_, str(x.morph), x.lemma_, x.dep_) != (y.tag_, y.pos_, str(y.morph), y.lemma_, y.dep_))
            print(f"  doc {i} differs first at {token[0].text!r}: ours {token[0].lemma_}/{token[0].pos_}/{token[0].morph} "
                  f"stock {token[1].lemma_}/{token[1].pos_}/{token[1].morph}")
    return different


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fnc", type=int, default=400, help="first N FNC-1 bodies")
    ap.add_argument("--t17", type=int, default=0, help="first N texts of the joined T17 collections")
    args = ap.parse_args()
    from storyline.nlp.runtime.spacy_model import load_nlp

    texts = load_bodies(args.fnc) if args.fnc else []
    texts += load_t17(args.t17) if args.t17 else []
    stock, ours = load_nlp(stock=True), load_nlp()
    stock_docs, stock_seconds = run(stock, texts)
    our_docs, our_seconds = run(ours, texts)
    tokens = sum(len(d) for d in stock_docs)
    print(f"{len(texts)} texts ({args.fnc} FNC-1 bodies, {args.t17} T17 texts), {tokens} tokens; CPU seconds, one "
          "process, each pipeline's first pass")
    print(f"  {'component':24} {'stock spaCy':>12} {'storyline':>10}")
    for name in stock_seconds:
        print(f"  {name:24} {stock_seconds[name]:>12.2f} {our_seconds[name]:>10.2f}")
    total_stock, total_ours = sum(stock_seconds.values()), sum(our_seconds.values())
    print(f"  {'whole parse':24} {total_stock:>12.2f} {total_ours:>10.2f}   ratio stock/storyline "
          f"{total_stock / total_ours:.2f}")
    different = differences(our_docs, stock_docs)
    print(f"docs whose parse differs from stock spaCy's: {different} of {len(texts)}")
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
