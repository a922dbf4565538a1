"""Find quoted spans by their marks, in every common style, tolerant of the mess real articles contain.

Handles “ ” ‘ ’ " « » „ (glyph direction is only a hint: "“ excuse “" has a closing “), apostrophes that look like
closing single quotes (“We’re”), quotes left open at a paragraph end (closed there, flagged ``closed=False``), and
the convention that a paragraph of a multi-paragraph quote starts with an opening mark but ends without a closing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
_OPENERS_BEFORE = " \t\n([{—–-/“‘«:;,"
_PARA_RE = re.compile(r"\n")


@dataclass(slots=True)
class MarkedQuote:
    """Characters ``start:end`` are the words inside the marks; ``open_at``/``close_at`` are the marks themselves."""

    start: int
    end: int
    open_at: int
    close_at: int | None     # None: never closed, ended at the paragraph end
    double: bool

    @property
    def closed(self) -> bool:
        return self.close_at is not None

    @property
    def outer_end(self) -> int:
        return self.close_at + 1 if self.close_at is not None else self.end


def _direction(text: str, i: int) -> str:
    """'open', 'close' or '' (ambiguous) from the characters around a mark."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    open_like = prev in _OPENERS_BEFORE and not nxt.isspace()
    close_like = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    if open_like and not close_like:
        return "open"
    if close_like and not open_like:
        return "close"
    return ""


def _pair_direction(text: str, i: int) -> str:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 2] if i + 2 < len(text) else " "
    if prev in _OPENERS_BEFORE and not nxt.isspace():
        return "open"
    if not prev.isspace():
        return "close"
    return ""


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _PARA_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_marked_quotes(text: str) -> list[MarkedQuote]:
    """Top-level quoted spans of ``text`` in order; inner quotes (‘…’ inside “…”) stay inside their outer quote."""
    found: list[MarkedQuote] = []
    for ps, pe in _paragraphs(text):
        open_double: int | None = None
        open_single: int | None = None
        i = ps - 1
        while i + 1 < pe:
            i += 1
            ch = text[i]
            pair = text[i : i + 2] in ("''", "``")   # typewriter style: ``…'' or ''…''
            if ch in _DOUBLE_OPEN or ch in _DOUBLE_CLOSE or ch == '"' or pair:
                d = _direction(text, i) if not pair else _pair_direction(text, i)
                if not d:  # surrounded by spaces or letters: an open quote is being closed, else the glyph decides
                    d = "close" if open_double is not None or ch in _DOUBLE_CLOSE else "open"
                if d == "close" and open_double is not None:
                    s, e = _trim(text, open_double + 1, i)
                    if e > s:
                        found.append(MarkedQuote(s, e, open_double, i + 1 if pair else i, True))
                    open_double = None
                    open_single = None
                elif d == "open":
                    if open_double is not None:  # a quote left open: it ends where the next one starts
                        s, e = _trim(text, open_double + 1, i)
                        if e > s:
                            found.append(MarkedQuote(s, e, open_double, None, True))
                    open_double = i + 1 if pair else i
                    open_single = None
                if pair:
                    i += 1
            elif open_double is None and (ch in _SINGLE_OPEN or ch in _SINGLE_CLOSE):
                prev = text[i - 1] if i > ps else " "
                nxt = text[i + 1] if i + 1 < pe else " "
                if ch in _SINGLE_OPEN and not prev.isalnum() and not nxt.isspace() and open_single is None:
                    open_single = i
                elif open_single is not None and (ch in _SINGLE_CLOSE) and not nxt.isalnum() and prev != " ":
                    s, e = _trim(text, open_single + 1, i)
                    if e > s:
                        found.append(MarkedQuote(s, e, open_single, i, False))
                    open_single = None
        if open_double is not None:
            s, e = _trim(text, open_double + 1, pe)
            if e > s:
                found.append(MarkedQuote(s, e, open_double, None, True))
    return found
