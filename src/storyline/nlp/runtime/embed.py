"""Sentence embeddings with all-MiniLM-L6-v2 as an int8 ONNX graph: offline, CPU, no torch.

The shipped graph (``storyline/models/minilm``, made by ``training/export_minilm.py``) maps word pieces to token
embeddings; here we add what sentence-transformers does on top: mean pooling over real (non-padding) tokens and L2
normalisation, so a dot product between two rows is their cosine similarity. Needs only ``onnxruntime`` and the
HuggingFace ``tokenizers`` package.

Each text runs through the graph on its own, never padded into a batch with others. Why: dynamic int8
quantisation picks one activation scale per tensor, so in a padded batch a text's vector would depend on which other
texts (and how much padding) shared its batch; a claim could then get a different stance score depending on its CSV
neighbours. One text per run costs about 30% throughput on short news sentences (no padding waste offsets most of
the per-call overhead) and makes every vector a pure function of its text.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ModelError

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "minilm"
MODEL_FILE = "model_int8.onnx"
MAX_TOKENS = 256          # all-MiniLM-L6-v2's max_seq_length; longer inputs are truncated, as upstream
DIM = 384
CACHE_SIZE = 20_000       # vectors kept (~30 MB)


class Embedder:
    """Encodes texts into L2-normalised 384-d float32 vectors (rows of a matrix, in input order)."""

    def __init__(self, model_dir: str | Path = MODEL_DIR, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - both are install requirements
            raise ModelError(f"sentence embeddings need onnxruntime and tokenizers: {exc}") from exc
        model_dir = Path(model_dir)
        onnx_path = model_dir / MODEL_FILE
        tok_path = model_dir / "tokenizer.json"
        if not onnx_path.is_file() or not tok_path.is_file():
            raise ModelError(f"embedding model missing under {model_dir} (expected {MODEL_FILE} and tokenizer.json); "
                             "reinstall storyline or run training/export_minilm.py")
        self.tokenizer = Tokenizer.from_file(str(tok_path))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()  # every text runs alone (see encode), so there is nothing to pad
        opts = ort.SessionOptions()
        if threads is None:
            env = os.environ.get("STORYLINE_EMBED_THREADS") or os.environ.get("OMP_NUM_THREADS")
            # One thread: each text is a separate small run, where intra-op threading costs more than it gives
            # (measured: 200 leads in 5.4 s with 1 thread vs 9.0 s with onnxruntime's default on 2 cores).
            threads = int(env) if env and env.isdigit() else 1
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_path), sess_options=opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}
        # onnxruntime sessions are thread-safe for run(), but the tokenizer's settings are shared state; a lock keeps
        # a multi-threaded caller (the web app) from interleaving tokenizer calls with different settings.
        self._lock = threading.Lock()
        # Each text is encoded alone, so its vector depends on nothing else: an exact cache. The claim check embeds
        # the same passages for re-ranking and again inside the stance model; the cache makes the second time free.
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.cache_size = CACHE_SIZE

    def encode(self, texts: Sequence[str], batch_size: int = 64, parallel: int = 1) -> np.ndarray:
        """Return an (n, 384) float32 array of unit vectors; empty input gives shape (0, 384).

        ``parallel`` > 1 runs that many texts at once on threads (onnxruntime releases the GIL and a session may be
        run concurrently); each text still runs alone, so the vectors are the same as with one thread. The corpus
        stages use it: they run after the per-article workers have finished, when the other cores are idle."""
        n = len(texts)
        out = np.zeros((n, DIM), dtype=np.float32)
        if n == 0:
            return out
        clean = [t if isinstance(t, str) and t.strip() else " " for t in texts]
        todo = []
        with self._lock:
            for i, text in enumerate(clean):
                hit = self._cache.get(text)
                if hit is None:
                    todo.append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = hit
        has_types = "token_type_ids" in self._inputs
        step = max(1, batch_size)
        for start in range(0, len(todo), step):  # batch_size bounds how many tokenised texts are held at once
            idx = todo[start:start + step]
            with self._lock:
                encs = self.tokenizer.encode_batch([clean[i] for i in idx])
            def one(i: int, enc: Any) -> None:
                ids = np.asarray([enc.ids], dtype=np.int64)
                feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
                if has_types:
                    feeds["token_type_ids"] = np.zeros_like(ids)
                pooled = self.session.run(None, feeds)[0][0].mean(axis=0)  # no padding: a plain mean is the pooling
                out[i] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)

            if parallel > 1 and len(idx) > 1:
                with ThreadPoolExecutor(max_workers=parallel) as pool:
                    list(pool.map(one, idx, encs))
            else:
                for i, enc in zip(idx, encs, strict=True):
                    one(i, enc)
            if self.cache_size:
                with self._lock:
                    for i in idx:
                        self._cache[clean[i]] = out[i].copy()
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        return out


@functools.lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder: the ONNX session costs ~0.3 s and ~60 MB, so load it once."""
    return Embedder()


def encode(texts: Sequence[str], batch_size: int = 64, parallel: int = 1) -> np.ndarray:
    """Shorthand for ``get_embedder().encode(texts, batch_size, parallel)``."""
    return get_embedder().encode(texts, batch_size=batch_size, parallel=parallel)
