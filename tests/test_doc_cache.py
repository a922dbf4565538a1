"""The per-doc caches give exactly what the spaCy properties they replace give."""

from __future__ import annotations

import pytest

from storyline.nlp.doc_cache import doc_text, noun_chunks_in, remember_text
from storyline.nlp.spacy_model import load_nlp

pytestmark = pytest.mark.slow

TEXT = ("US troops  in Iraq\n\nThe Pentagon said on Monday that\tabout 2,500 American troops remain in Iraq.  "
        "“We’re going to stay,” the top US commander for the Middle East told reporters.\r\n Iraqi lawmakers "
        "voted to expel the foreign forces. ")


def test_doc_text_is_the_parsed_string_and_noun_chunks_match_span_noun_chunks() -> None:
    doc = load_nlp()(TEXT)
    assert doc.text == TEXT                      # the invariant remember_text relies on
    remember_text(doc, TEXT)
    assert doc_text(doc) == TEXT
    for sent in doc.sents:
        for end in range(sent.start, sent.end + 1, 3):
            want = [(c.start, c.end) for c in doc[sent.start:end].noun_chunks]
            assert [(c.start, c.end) for c in noun_chunks_in(doc, sent.start, end)] == want
