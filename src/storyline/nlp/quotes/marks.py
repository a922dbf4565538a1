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


# ---- headlines ---------------------------------------------------------------------------------------------------
# Headlines attribute by position, not grammar: "Paul Ryan: FBI Decision … ‘Defies Explanation’" and, in title
# case, "Carly Fiorina Endorses Ted Cruz" — forms the parser mangles, so they are read off the surface.
_HEADLINE_TAGS = frozenset({"the latest", "update", "updated", "watch", "breaking", "exclusive", "analysis",
                            "opinion", "live", "video", "photos", "editorial", "fact check", "explainer", "q&a"})
_TAG_PREFIX = re.compile(r"^\s*(?:EXCLUSIVE|BREAKING|WATCH|UPDATE|UPDATED|VIDEO|LIVE)\s*(?:[–—:|-]\s*)", re.I)
_WORD = re.compile(r"[\w’'.-]+")
_MAX_HEADLINE_WORDS = 30


@dataclass(slots=True)
class HeadlineAttribution:
    """Character spans of one attribution read off a headline."""

    source: tuple[int, int]
    cue: tuple[int, int]
    content: tuple[int, int]


def _verb_forms(word: str) -> list[str]:
    """Candidate base forms of a headline verb: "Endorses" → endorse, "Slams" → slam, "Urged" → urge."""
    w = word.lower().strip("’'")
    out = [w]
    if w.endswith("ies"):
        out.append(w[:-3] + "y")
    if w.endswith("es"):
        out.append(w[:-2])
    if w.endswith("s") and not w.endswith("ss"):
        out.append(w[:-1])
    return out


def headline_attributions(text: str, cue_verbs: frozenset[str]) -> list[HeadlineAttribution]:
    """Attributions of the first line when it is a headline ("Name: claim", or title case "Name Verbs Object")."""
    end = text.find("\n")
    end = len(text) if end < 0 else end
    line_start = len(text[:end]) - len(text[:end].lstrip())
    words = text[line_start:end].split()
    if not 3 <= len(words) <= _MAX_HEADLINE_WORDS:
        return []
    tag = _TAG_PREFIX.match(text, line_start, end)
    start = tag.end() if tag else line_start
    by_verb = _title_case_verbs(text, start, end, cue_verbs)
    colon = text.find(": ", start, end)
    if by_verb and (colon < 0 or by_verb[0].cue[0] < colon):
        return by_verb
    if colon > start:
        prefix = text[start:colon].strip()
        pw = prefix.split()
        s, e = _trim(text, colon + 1, end)
        while e > s and text[e - 1] in ".":
            e -= 1
        if 1 <= len(pw) <= 8 and prefix[:1].isupper() and prefix.lower() not in _HEADLINE_TAGS and e - s > 3:
            src_s, src_e = _trim(text, start, colon)
            return [HeadlineAttribution((src_s, src_e), (colon, colon + 1), (s, e))]
    return by_verb


def _title_case_verbs(text: str, start: int, end: int, cue_verbs: frozenset[str]) -> list[HeadlineAttribution]:
    """Title-case headline "Source Verbs Content[, …| And Verbs Content]" with a cue verb."""
    toks = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]
    caps = sum(1 for _, _, w in toks if w[:1].isupper())
    if caps < 0.6 * len(toks):
        return []                                   # sentence case: the parser reads it well enough
    out: list[HeadlineAttribution] = []
    src_from = 0
    k = 1
    while k < len(toks) - 1:
        w = toks[k][2]
        gap = text[toks[k - 1][1] : toks[k][0]]
        if any(c in gap for c in ",;:–—|"):
            src_from = k
        if w[:1].isupper() and any(f in cue_verbs for f in _verb_forms(w)) and k - src_from <= 7 and (
                k > src_from or out):
            stop = len(toks)
            for m in range(k + 1, len(toks)):
                between = text[toks[m - 1][1] : toks[m][0]]
                if any(c in between for c in ",;:–—|") or toks[m][2].lower() == "and" and m + 1 < len(toks) and any(
                        f in cue_verbs for f in _verb_forms(toks[m + 1][2])):
                    stop = m
                    break
            # "Backs Trump And Denounces Clinton": the second verb shares the subject
            src = (toks[src_from][0], toks[k - 1][1]) if k > src_from else out[-1].source
            c_e = toks[stop - 1][1]
            while c_e > toks[k + 1][0] and text[c_e - 1] in ".":
                c_e -= 1
            out.append(HeadlineAttribution(src, (toks[k][0], toks[k][1]), (toks[k + 1][0], c_e)))
            k = stop + (1 if stop < len(toks) and toks[stop][2].lower() == "and" else 0)
            src_from = k
            continue
        k += 1
    return out
