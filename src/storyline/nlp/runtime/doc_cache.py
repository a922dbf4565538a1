"""Per-doc caches for spaCy properties that rebuild themselves on every access.

``Doc.text`` joins every token's text each time it is read, and ``Span.noun_chunks`` walks the noun chunks of the
*whole* doc and filters them to the span: called once per quote or per entity they made the per-article stages
quadratic in article length. Both are computed once per doc and kept in ``doc.user_data``.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span

_TEXT = "storyline.text"
_CHUNKS = "storyline.noun_chunks"
_BREAKS = "storyline.line_breaks"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def line_breaks_before(doc: Doc, offset: int) -> int:
    """How many line breaks lie before character ``offset``: two offsets are on one line when the counts agree.
    (A slice-and-search per token pair made clause spans quadratic in their length.)"""
    breaks = doc.user_data.get(_BREAKS)
    if breaks is None:
        text = doc_text(doc)
        breaks = doc.user_data[_BREAKS] = [i for i, ch in enumerate(text) if ch == "\n"]
    return bisect_left(breaks, offset)


def remember_text(doc: Doc, text: str) -> None:
    """Record the string ``doc`` was parsed from: spaCy keeps every character, so it *is* ``doc.text``, and this
    saves rebuilding it from ~500 Token objects per article."""
    doc.user_data[_TEXT] = text


def noun_chunks_in(doc: Doc, start: int, end: int) -> list[Span]:
    """The doc's noun chunks lying wholly inside tokens [start, end), in order (what ``doc[start:end].noun_chunks``
    gives, without re-walking the doc)."""
    cached = doc.user_data.get(_CHUNKS)
    if cached is None:
        chunks = list(doc.noun_chunks)
        cached = doc.user_data[_CHUNKS] = (chunks, [c.start for c in chunks])
    chunks, starts = cached
    out = []
    for c in chunks[bisect_left(starts, start):]:
        if c.start >= end:
            break
        if c.end <= end:
            out.append(c)
    return out
