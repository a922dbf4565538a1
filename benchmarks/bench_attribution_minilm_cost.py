"""What a MiniLM pass for attribution would cost per news article, beside the parse it would join (issue 19).

Usage:  OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_attribution_minilm_cost.py [--articles 150]

Issue 19 allows a cue/content tagger on MiniLM features "if that beats the sparse model on PolNeAR within the speed
budget (measure the cost per article against the parse)".  This measures the cheapest forms such a tagger could take,
with the shipped int8 MiniLM graph (``models/minilm``) run the way the rest of the product runs it (one text per
call: batching changes the int8 vectors), on the first ``--articles`` records of the joined T17 dev collections
(``t17_corpus.records``, five collections in turn), i.e. real news of ordinary length:

* **whole article**: every sentence, packed into windows of at most 128 word pieces (a token tagger reads them all);
* **per attribution**: one pass over the sentence of each attribution the shipped extractor finds with a cue (a
  content tagger conditioned on a cue needs one pass per cue; no pass for quotations in marks without a cue).

The anchor is bare spaCy (``load_nlp(stock=True)``) on the same texts, timed in the same process; the product's own
analysis costs about the parse (issue 17: T17 CPU ratio 0.96), so the printed share is what the tagger would add.
Issue 17's floor is an analysis throughput of at least 0.8 of bare spaCy's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402

from storyline.config import Settings  # noqa: E402
from storyline.nlp.entities.extract import EntityIndex  # noqa: E402
from storyline.nlp.quotes.extract import extract_quotes  # noqa: E402
from storyline.nlp.runtime.embed import get_embedder  # noqa: E402
from storyline.nlp.runtime.spacy_model import load_nlp  # noqa: E402

WINDOW = 128


def t17_texts(n: int) -> list[str]:
    import t17_corpus

    names = sorted(p.name for p in t17_corpus.T17.iterdir() if p.is_dir())
    per = [t17_corpus.records(c) for c in names]
    out: list[str] = []
    k = 0
    while len(out) < n and any(k < len(r) for r in per):
        out.extend(r[k]["text"] for r in per if k < len(r) and r[k]["text"].strip())
        k += 1
    return out[:n]


def run_minilm(texts: list[str]) -> float:
    """Seconds to run the int8 graph once over each text alone (truncated to 128 word pieces)."""
    emb = get_embedder()
    tok = emb.tokenizer
    has_types = "token_type_ids" in emb._inputs
    t0 = time.process_time()
    for text in texts:
        ids = np.asarray([tok.encode(text).ids[:WINDOW]], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if has_types:
            feeds["token_type_ids"] = np.zeros_like(ids)
        emb.session.run(None, feeds)
    return time.process_time() - t0


def windows(sents: list[str], count: Callable[[str], int]) -> list[str]:
    """Sentences packed in order into windows of at most WINDOW word pieces."""
    out: list[str] = []
    cur: list[str] = []
    size = 0
    for s in sents:
        n = count(s)
        if cur and size + n > WINDOW:
            out.append(" ".join(cur))
            cur, size = [], 0
        cur.append(s)
        size += n
    if cur:
        out.append(" ".join(cur))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=150)
    args = ap.parse_args()
    texts = t17_texts(args.articles)
    stock = load_nlp(Settings(), stock=True)
    ours = load_nlp(Settings())
    list(stock.pipe(texts[:2]))
    t0 = time.process_time()
    list(stock.pipe(texts, batch_size=16))
    parse_s = time.process_time() - t0
    docs = list(ours.pipe(texts, batch_size=16))
    tok = get_embedder().tokenizer

    def count(s: str) -> int:
        return len(tok.encode(s).ids)

    whole: list[str] = []
    per_cue: list[str] = []
    for i, doc in enumerate(docs):
        whole.extend(windows([s.text for s in doc.sents], count))
        for q in extract_quotes(doc, f"a{i}", EntityIndex.build(doc, f"a{i}")):
            if q.cue_start is not None and q.cue_end is not None:
                span = doc.char_span(q.cue_start, q.cue_end, alignment_mode="expand")
                if span is not None:
                    per_cue.append(span.root.sent.text)
    run_minilm(whole[:5])
    whole_s = run_minilm(whole)
    cue_s = run_minilm(per_cue)
    n = len(texts)
    words = sum(len(t.split()) for t in texts)
    print(f"T17 dev: {n} articles, {words / n:.0f} words each on average; CPU seconds, one process")
    print(f"{'anchor: bare spaCy parse':44}{parse_s:8.1f} s   {1000 * parse_s / n:6.1f} ms/article")
    for label, secs, calls in (("MiniLM, whole article (128-piece windows)", whole_s, len(whole)),
                               ("MiniLM, one pass per cued attribution", cue_s, len(per_cue))):
        share = secs / parse_s
        print(f"{label:44}{secs:8.1f} s   {1000 * secs / n:6.1f} ms/article  {calls / n:5.1f} calls/article"
              f"  = {share:.2f} of the parse; analysis ratio ~0.96 -> {1 / (1 / 0.96 + share):.2f} (floor 0.8)")


if __name__ == "__main__":
    main()
