"""Find the headline line of a plain-text article and undo Title Case before parsing it.

Headlines are claims of the outlet, but "Pentagon Says Not Planning Troops Withdrawal From Iraq" parses as a noun
pile: the small English model reads capitalised words as names. Lower-casing the words that are not names (same
length, so offsets survive) and parsing that line again gives the verb chain back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

_KEEP_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_WORD = re.compile(r"[^\W\d_]+")


def headline_span(text: str, title: str | None) -> tuple[int, int] | None:
    """(start, end) of the headline: the given title where the text starts with it, else a first line that reads
    like a headline (a few words, no closing full stop). Lines of page debris (fewer than 3 words) are skipped."""
    if title and title.strip():
        t = title.strip()
        pos = text.find(t, 0, len(t) + 400)
        if pos >= 0:
            return pos, pos + len(t)
    pos = 0
    for line in text.split("\n")[:6]:
        start, stripped = pos, line.strip()
        pos += len(line) + 1
        words = _WORD.findall(stripped)
        if len([w for w in words if len(w) > 1]) < 3:
            continue
        if stripped.endswith((".", "!", "?", "”", '"', ":")) or len(words) > 25:
            return None
        lead = len(line) - len(line.lstrip())
        return start + lead, start + lead + len(stripped)
    return None


def title_cased(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if len(w) >= 4]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def sentence_case(doc: Doc, start: int, end: int) -> str:
    """The headline with non-name words lower-cased; same length as ``doc.text[start:end]``."""
    text = doc.text[start:end]
    chars = list(text)
    first = True
    for t in doc.char_span(start, end, alignment_mode="expand") or []:
        if not t.is_alpha:
            continue
        w = t.text
        keep = first or t.ent_type_ in _KEEP_ENTS or w.isupper() or not (w[0].isupper() and w[1:].islower())
        first = False
        low = w.lower()
        if keep or len(low) != len(w):
            continue
        a = t.idx - start
        if a >= 0 and a + len(w) <= len(chars):
            chars[a:a + len(w)] = list(low)
    return "".join(chars)
