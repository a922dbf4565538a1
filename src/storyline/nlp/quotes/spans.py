"""Shared pieces of quote extraction: the working attribution record and character-span helpers.

``Attr`` is what every finder (quotation marks, the parse, the learned tagger) produces before speakers are resolved;
``SpanMixin`` turns tokens into clean character spans (no edge punctuation, no half quotation marks, no crossing of a
paragraph break away from the cue) so that every finder cuts contents the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ...model import Entity
from ..entities.extract import EntityIndex


@dataclass(slots=True)
class Attr:
    start: int
    end: int
    cue: tuple[int, int] | None
    source: Token | None
    direct: bool = False
    medium: str | None = None
    speaker: str | None = None
    entity: Entity | None = None
    speaker_span: tuple[int, int] | None = None
    role: str | None = None
    affiliation: str | None = None
    affiliation_entity: Entity | None = None


_DATELINE = re.compile(r"[A-Z][A-Z .,'’-]{1,40}(?:\s*\([^)\n]{1,30}\))?\s*(?:[—–]|--|-(?=\s)|:(?=\s))\s*")


class SpanMixin:
    """Span helpers over one parsed article; the extractor sets the four attributes below."""

    doc: Doc
    text: str
    index: EntityIndex
    inside: bytearray     # 1 for every character inside quotation marks

    def _clip_paragraph(self, span: tuple[int, int], at: int) -> tuple[int, int] | None:
        """Content never crosses a line break away from its cue (headlines, datelines, captions)."""
        ps = self.text.rfind("\n", 0, at) + 1
        pe = self.text.find("\n", at)
        pe = len(self.text) if pe < 0 else pe
        s, e = max(span[0], ps), min(span[1], pe)
        if e - s < 2:
            return None
        return self._trim_tail(*self._strip(s, e))

    def _trim_tail(self, s: int, e: int) -> tuple[int, int]:
        """Drop a trailing non-restrictive modifier: "…Zika virus, which is spread by mosquitoes", "…Hyde
        Amendment, a longstanding federal provision …", "…, putting them ahead of Rubio" are the writer's gloss."""
        span = self.doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) < 6:
            return s, e
        last = span[-1].i
        for tok in span[2:-2]:
            if tok.text != "," or self.inside[tok.idx]:
                continue
            nxt = self.doc[tok.i + 1]
            m = nxt
            while m.head.i != m.i and m.head.left_edge.i == nxt.i and span.start <= m.head.i <= last:
                m = m.head
            kind = m.dep_ in ("relcl", "appos") or (m.dep_ in ("advcl", "acl") and m.tag_ == "VBG")
            if kind and m.left_edge.i == nxt.i and m.right_edge.i >= last - 1 and m.head.i < tok.i:
                return self._strip(s, tok.idx)
        return s, e


    def _subtree(self, tok: Token) -> tuple[int, int]:
        left, right = tok.left_edge, tok.right_edge
        s, e = left.idx, right.idx + len(right.text)
        return self._strip(s, e)

    def _minus(self, head: Token, cut: Token) -> tuple[int, int] | None:
        """The larger side of ``head``'s subtree once ``cut``'s subtree is removed."""
        hs, he = head.left_edge.i, head.right_edge.i + 1
        cs, ce = cut.left_edge.i, cut.right_edge.i + 1
        left = (hs, cs) if cs > hs else None
        right = (ce, he) if he > ce else None
        best = max((p for p in (left, right) if p), key=lambda p: p[1] - p[0], default=None)
        if best is None or best[1] - best[0] < 2:
            return None
        span = self.doc[best[0] : best[1]]
        return self._strip(span.start_char, span.end_char)

    def _strip(self, s: int, e: int) -> tuple[int, int]:
        text = self.text
        if s == 0 or text[s - 1] == "\n":   # a dateline opening the paragraph is the outlet's, not the speaker's
            m = _DATELINE.match(text, s, e)
            if m:
                s = m.end()
        while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-.("):
            e -= 1
        if s < e and text[s] in "“\"‘«'`" and self.inside[min(s + 1, len(text) - 1)]:
            s += 1
        if e > s and text[e - 1] in "”\"’»'" and self.inside[max(e - 2, 0)]:
            e -= 1
        return s, e

    def _cue_span(self, tok: Token) -> tuple[int, int]:
        s, e = tok.idx, tok.idx + len(tok.text)
        for c in tok.children:
            if c.dep_ == "prt" and c.i == tok.i + 1:
                e = c.idx + len(c.text)
        return s, e

    def _span_text(self, tok: Token) -> str:
        ent = self.index.at(tok.idx, tok.idx + len(tok.text))
        return ent.name if ent else self.doc[tok.left_edge.i : tok.i + 1].text


    def _np(self, tok: Token) -> tuple[int, int]:
        left = tok.left_edge
        right = tok
        for c in tok.rights:
            if c.dep_ in ("compound", "appos", "prep") and c.i - tok.i <= 2 and c.right_edge.i - tok.i <= 8:
                right = c.right_edge
        if right.i < tok.i:
            right = tok
        return left.idx, right.idx + len(right.text)

