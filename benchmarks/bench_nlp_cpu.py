"""CPU time of the per-article stages against the bare parse, in one process: robust to the load of other processes
(wall-clock ratios on a shared 2-core VM swing by 15-35% between runs; CPU time much less).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_nlp_cpu.py [--n 150] [--rounds 2]

Per round, on the same FNC-1 bodies: stock spaCy ``nlp.pipe`` (the anchor: spaCy's own components), storyline's parse
(the same pipeline with the exact stand-ins of ``nlp/runtime/fast_components.py``), its per-article analysis of those docs
(``nlp.pipeline.analyze_doc``: entities, quotes, claims, quantities, times), and the lead embeddings the workers also
compute (``lead_vectors``, with the embedder's cache emptied first so every lead is really encoded). Prints the
fastest of each and the ratio stock parse / (storyline's parse + analysis + leads): what the per-article stage would reach with no
process or I/O overhead. Target (issue 3): ≥ 0.7.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_analyze_throughput import load_bodies  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    from storyline.config import Settings
    from storyline.model import ArticleTask
    from storyline.nlp.pipeline import analyze_batch, analyze_doc, lead_vectors
    from storyline.nlp.runtime.doc_cache import remember_text
    from storyline.nlp.runtime.embed import get_embedder
    from storyline.nlp.runtime.spacy_model import load_nlp

    texts = load_bodies(args.n)
    settings = Settings()
    tasks = [ArticleTask(str(i), t, published=date(2024, 1, 1)) for i, t in enumerate(texts)]
    analyze_batch(tasks[:4], settings)            # models loaded and warm
    nlp = load_nlp(settings)
    stock = load_nlp(settings, stock=True)
    list(stock.pipe(texts[:4]))
    best = {"stock": float("inf"), "parse": float("inf"), "analysis": float("inf"), "leads": float("inf")}
    for _ in range(max(1, args.rounds)):
        c = time.process_time()
        list(stock.pipe(texts, batch_size=32))
        best["stock"] = min(best["stock"], time.process_time() - c)
        c = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=32))
        best["parse"] = min(best["parse"], time.process_time() - c)
        for doc, text in zip(docs, texts, strict=True):
            remember_text(doc, text)
        c = time.process_time()
        for doc, task in zip(docs, tasks, strict=True):
            analyze_doc(doc, task)
        best["analysis"] = min(best["analysis"], time.process_time() - c)
        get_embedder()._cache.clear()
        c = time.process_time()
        lead_vectors(tasks)
        best["leads"] = min(best["leads"], time.process_time() - c)
    total = best["parse"] + best["analysis"] + best["leads"]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} FNC-1 bodies, {words} words, CPU seconds (fastest of {args.rounds}):")
    print(f"  stock spaCy parse (anchor) {best['stock']:.2f}   storyline's parse {best['parse']:.2f}   "
          f"per-article analysis {best['analysis']:.2f}   lead embeddings {best['leads']:.2f}")
    print(f"  ratio stock parse / per-article total: {best['stock'] / total:.3f}   "
          f"(without the lead embeddings: {best['stock'] / (best['parse'] + best['analysis']):.3f})   target ≥ 0.7")


if __name__ == "__main__":
    main()
