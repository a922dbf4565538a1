"""Character-span helpers of quote extraction, as plain functions over the article (``context.QuoteContext``).

They turn tokens into clean character spans (no edge punctuation, no half quotation marks, no crossing of a
paragraph break away from the cue) so that every finder (quotation marks, the parse, the learned tagger) cuts
contents the same way.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from .context import QuoteContext

_DATELINE = re.compile(r"[A-Z][A-Z .,'’-]{1,40}(?:\s*\([^)\n]{1,30}\))?\s*(?:[—–]|--|-(?=\s)|:(?=\s))\s*")


def clip_paragraph(cx: QuoteContext, span: tuple[int, int], at: int) -> tuple[int, int] | None:
    """Content never crosses a line break away from its cue (headlines, datelines, captions)."""
    ps = cx.text.rfind("\n", 0, at) + 1
    pe = cx.text.find("\n", at)
    pe = len(cx.text) if pe < 0 else pe
    s, e = max(span[0], ps), min(span[1], pe)
    if e - s < 2:
        return None
    return _trim_tail(cx, *strip_span(cx, s, e))

def _trim_tail(cx: QuoteContext, s: int, e: int) -> tuple[int, int]:
    """Drop a trailing non-restrictive modifier: "…Zika virus, which is spread by mosquitoes", "…Hyde
    Amendment, a longstanding federal provision …", "…, putting them ahead of Rubio" are the writer's gloss."""
    span = cx.doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) < 6:
        return s, e
    last = span[-1].i
    for tok in span[2:-2]:
        if tok.text != "," or cx.inside[tok.idx]:
            continue
        nxt = cx.doc[tok.i + 1]
        m = nxt
        while m.head.i != m.i and m.head.left_edge.i == nxt.i and span.start <= m.head.i <= last:
            m = m.head
        kind = m.dep_ in ("relcl", "appos") or (m.dep_ in ("advcl", "acl") and m.tag_ == "VBG")
        if kind and m.left_edge.i == nxt.i and m.right_edge.i >= last - 1 and m.head.i < tok.i:
            return strip_span(cx, s, tok.idx)
    return s, e


def subtree(cx: QuoteContext, tok: Token) -> tuple[int, int]:
    left, right = tok.left_edge, tok.right_edge
    s, e = left.idx, right.idx + len(right.text)
    return strip_span(cx, s, e)

def minus(cx: QuoteContext, head: Token, cut: Token) -> tuple[int, int] | None:
    """The larger side of ``head``'s subtree once ``cut``'s subtree is removed."""
    hs, he = head.left_edge.i, head.right_edge.i + 1
    cs, ce = cut.left_edge.i, cut.right_edge.i + 1
    left = (hs, cs) if cs > hs else None
    right = (ce, he) if he > ce else None
    best = max((p for p in (left, right) if p), key=lambda p: p[1] - p[0], default=None)
    if best is None or best[1] - best[0] < 2:
        return None
    span = cx.doc[best[0] : best[1]]
    return strip_span(cx, span.start_char, span.end_char)

def strip_span(cx: QuoteContext, s: int, e: int) -> tuple[int, int]:
    text = cx.text
    if s == 0 or text[s - 1] == "\n":   # a dateline opening the paragraph is the outlet's, not the speaker's
        m = _DATELINE.match(text, s, e)
        if m:
            s = m.end()
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-.("):
        e -= 1
    if s < e and text[s] in "“\"‘«'`" and cx.inside[min(s + 1, len(text) - 1)]:
        s += 1
    if e > s and text[e - 1] in "”\"’»'" and cx.inside[max(e - 2, 0)]:
        e -= 1
    return s, e

def cue_span(tok: Token) -> tuple[int, int]:
    s, e = tok.idx, tok.idx + len(tok.text)
    for c in tok.children:
        if c.dep_ == "prt" and c.i == tok.i + 1:
            e = c.idx + len(c.text)
    return s, e

def span_text(cx: QuoteContext, tok: Token) -> str:
    ent = cx.index.at(tok.idx, tok.idx + len(tok.text))
    return ent.name if ent else cx.doc[tok.left_edge.i : tok.i + 1].text


def noun_phrase(tok: Token) -> tuple[int, int]:
    left = tok.left_edge
    right = tok
    for c in tok.rights:
        if c.dep_ in ("compound", "appos", "prep") and c.i - tok.i <= 2 and c.right_edge.i - tok.i <= 8:
            right = c.right_edge
    if right.i < tok.i:
        right = tok
    return left.idx, right.idx + len(right.text)
