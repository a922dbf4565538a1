"""A story's title: the most central article's headline, never a photo caption, a dateline, a byline or a
newsletter line.

Articles without a headline of their own (plain text, wire copy) are titled by their first sentence once the
furniture that opens wire copy is cut away: datelines ("WASHINGTON | Wed Jun 24, 2009 6:44 pm EDT", "LONDON
(Reuters) -"), bylines ("By Maggie Fox, Health and Science Editor"), bullet summaries ("* Airline stocks fall").
A line that reads as a caption ("May 29: This image made from video released by …", "People wear masks as a
precaution" run into the headline) or as page furniture is skipped and the next most central article is tried.
"""

from __future__ import annotations

import re

MAX_CHARS = 120
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z .,'-]{1,40}\s*\|\s*)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}\s+\d{1,2}:\d{2}\s*[ap]m\s*[A-Z]{2,4}\s*)?", re.UNICODE)
_WIRE = re.compile(r"^\s*[A-Z][A-Z .,'-]{1,40}(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?"
                   r"\s*\((?:Reuters|AP|AFP|CNN|"
                   r"Bloomberg|dpa|UPI)\)\s*[-–—:]+\s*|^\s*\((?:Reuters|AP|AFP|CNN)\)\s*[-–—:]+\s*")
_BYLINE = re.compile(r"^\s*By\s+(?:the\s+)?[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:,\s*[^.]{0,60}?(?:Editor|Correspondent|"
                     r"Reporter|Writer|Staff))?\s+(?=[A-Z])")
_BULLET = re.compile(r"^\s*(?:\\?\*|•|-)\s+")
_LABEL = re.compile(r"^\s*(?:Source|Sources|Update|Updated|Editor's note|UPDATE|BREAKING|NEW|Watch|Video|Live)\s*:\s*",
                    re.IGNORECASE)
_STAMP = re.compile(r"^\s*\d{1,2}:\d{2}\s*(?:[AP]M\s*)?(?:UK time|[A-Z]{2,4})?,?\s*(?:[A-Z][a-z]+day,?\s*)?"
                    r"(?:\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4})?\s*")
_CAPTION = re.compile(
    r"\b(?:photo|image|picture|video released|file photo|handout|getty|AP Photo|pictured|caption|"
    r"click here|sign up|subscribe|newsletter|share this|follow us|all rights reserved|copyright|credit)\b"
    r"|^\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}):\s", re.IGNORECASE)
# A headline run into its first sentence with no stop between: "rescue efforts intensify The president of Haiti
# says …". A sentence-opening determiner or pronoun after a lower-case word cannot continue a headline.
_RUN_ON = re.compile(r"(?<=[a-z0-9])\s+(?=(?:The|A|An|It|He|She|They|His|Her|Their|Its|This|These|Those)\s+[a-z])")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)\"”])[.!?](?=\s+[A-Z“\"]|\s*$)")


def clean_lead_line(text: str) -> str:
    """The first sentence of a text once datelines, bylines and bullets are cut from its start."""
    s = " ".join(text.split())
    for _ in range(3):
        before = s
        s = _WIRE.sub("", s)
        s = _BYLINE.sub("", s)
        m = _DATELINE.match(s)
        if m and m.end() > 0:
            s = s[m.end():]
        s = _BULLET.sub("", s)
        s = _WIRE.sub("", s)
        s = _LABEL.sub("", s)
        s = _STAMP.sub("", s)
        if s == before:
            break
    s = re.split(r"\s+(?:\\?\*|•|NEW:)\s+", s)[0]     # a bullet summary's first bullet only
    for m in _RUN_ON.finditer(s):
        if len(s[:m.start()].split()) >= 4:
            s = s[:m.start()]
            break
    m = _SENTENCE_END.search(s)
    if m:
        s = s[:m.start()] + ("?" if s[m.start()] == "?" else "")
    return _trim(s.strip(" -–—:|"))


def _trim(s: str) -> str:
    if len(s) <= MAX_CHARS:
        return s
    cut = s[:MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def cut_short(head: str) -> bool:
    """Whether a headline ends cut off: by ``_trim`` at ``MAX_CHARS``, or already by the page it came from."""
    return head.endswith(("…", "..."))


def looks_like_headline(s: str) -> bool:
    words = s.split()
    if len(words) < 4 or _CAPTION.search(s) or s.rstrip("…").rstrip().endswith("?"):
        return False                     # a question names no story ("CIA working the ground in Libya?")
    if s[:1].islower():
        return False                     # a headline opens with a capital: "cents Glider pilot …" is a page's leftovers
    short = sum(len(w.strip(".,;:'\"")) <= 1 and w not in ("a", "A", "I", "&") for w in words)
    if short > 0.1 * len(words) or "\\" in s:
        return False                     # mangled text ("Vi # t Nam ngn c m c a"), escaped paths
    letters = sum(ch.isalpha() for ch in s)
    return letters >= 0.6 * len(s) and not s.isupper()


def headline_of(title: str, lead: str) -> str | None:
    """The article's own headline when it has one that reads as a headline; else its cleaned first sentence when
    that does; else None."""
    own = lead.startswith(title + ". ") and bool(title)
    if own:
        t = clean_lead_line(title)      # a title can carry the byline or label a page ran into it
        return t if looks_like_headline(t) else None
    cand = clean_lead_line(lead)
    return cand if looks_like_headline(cand) else None
