"""Quotes of a hand-built text, for the quote and speaker tests in any folder: the extractor as ``analyze`` runs it,
and the quote that covers a fragment of the text."""

from __future__ import annotations

from typing import Any


def quotes_of(nlp: Any, text: str, aid: str = "t", **options: Any) -> list[Any]:
    """``extract_quotes`` on ``text`` parsed by ``nlp`` (``options``, e.g. ``learned=False``, passed through)."""
    from storyline.nlp.entities.extract import EntityIndex
    from storyline.nlp.quotes.extract import extract_quotes

    doc = nlp(text)
    return list(extract_quotes(doc, aid, EntityIndex.build(doc, aid), **options))


def quote_at(quotes: list[Any], text: str, fragment: str) -> Any:
    """The shortest quote covering ``fragment`` of ``text``; fails naming the quotes found when none does."""
    s = text.index(fragment)
    hits = [q for q in quotes if q.start <= s and s + len(fragment) <= q.end + 1]
    assert hits, (fragment, [(q.text, q.speaker) for q in quotes])
    return min(hits, key=lambda q: q.end - q.start)
