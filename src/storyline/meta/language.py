"""The language an article is written in: py3langid (offline, a naive Bayes model over byte n-grams, 97 languages)
on the first few thousand characters, so the check costs a few milliseconds whatever the article's length.

A language is named only when the model is sure (normalised probability at least ``MIN_CONFIDENCE``) and the sample
holds enough letters to judge; otherwise it is undetermined and the article is treated as English, as before this
check existed. The per-article analysis (spaCy's English model, English word lists) runs on English articles only:
``english_only_skip`` gives the reason recorded for the others, which are kept, labelled and counted in the corpus.
"""

from __future__ import annotations

import re
import threading
from typing import Any

SAMPLE_CHARS = 3_000        # characters looked at: the language of a news article is settled by its first paragraphs
MIN_LETTERS = 20            # fewer letters than this: undetermined
MIN_CONFIDENCE = 0.90       # py3langid's normalised probability needed to name a language
UNDETERMINED = "und"        # ISO 639-2 code stored in the evidence when no language is named
ENGLISH = "en"
_CODE = re.compile(r"^[a-z]{2,3}$")

_IDENTIFIER: Any = None
_LOCK = threading.Lock()


def _identifier() -> Any:
    """The model, loaded once per process (about 1 s: the model file is xz-compressed)."""
    global _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def detect_language(text: str) -> tuple[str | None, str]:
    """(ISO 639-1 code or None when undetermined, the basis in words)."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < MIN_LETTERS:
        return None, f"undetermined: {letters} letter(s), too few to tell"
    code, prob = _identifier().classify(sample)
    if prob < MIN_CONFIDENCE:
        return None, f"undetermined: py3langid's best guess {code!r} at {prob:.2f} is below {MIN_CONFIDENCE:.2f}"
    return str(code), f"py3langid {prob:.2f} on the first {len(sample):,} characters"


def normalise_code(value: str) -> str | None:
    """A record's language field ('fr', 'FR', 'fr-CA', 'en_US') as a lower-case code, or None."""
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if _CODE.match(code) else None


def english_only_skip(language: str | None) -> str | None:
    """Why the English-only analysis does not run on an article in ``language``, or None when it does (English, or
    undetermined)."""
    if not language or language in (ENGLISH, UNDETERMINED):
        return None
    return f"language {language}: English-only analysis skipped"
