"""The per-doc caches give exactly what the spaCy properties they replace give."""

from __future__ import annotations

import pytest

from storyline.nlp.runtime.doc_cache import doc_text, noun_chunks_in, remember_text
from storyline.nlp.runtime.spacy_model import load_nlp

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


def test_same_line_agrees_with_searching_the_text_between_tokens() -> None:
    from storyline.nlp.claims.syntax import same_line

    doc = load_nlp()(TEXT)
    for a in doc:
        for b in doc:
            lo, hi = (a, b) if a.i <= b.i else (b, a)
            assert same_line(a, b) == ("\n" not in TEXT[lo.idx:hi.idx]), (a.i, b.i)
