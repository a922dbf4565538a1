"""How a short text *frames* a claim: the topic-free word sequence the ``short`` stance head reads.

A headline that restates a claim can assert it ("Apple Is Shutting Down Beats Music"), report it ("Senator:
Detainees swapped for Bergdahl have contacted militants"), hedge it ("Lenovo tipped to make a bid") or refute it.
What separates those is the framing around the claim's words, not the words themselves, and on unseen stories the
topic words only add noise. So :func:`frame_text` rewrites the text as

- ``CLAIMW`` for every word (or suffix-stripped word) that is a content word of the claim;
- a class token before each cue word: ``K_SPEECH`` (say, claim, report, accuse, ...), ``K_HEDGE`` (may, reportedly,
  believed, tipped, ...), ``K_REF`` (hoax, deny, fake, ...), ``K_NEG`` (not, never, n't, ...), so that a cue seen in
  training generalises to its class-mates;
- every other word (cue words too, after their class token) suffix-stripped (``accuses`` / ``accused`` ->
  ``accus``), and punctuation as named tokens;
- framing tokens after Ferreira & Vlachos (2016): ``F_OPENCOLON`` ("Official: ..."), ``F_CLOSECOLON`` /
  ``F_CLOSEDASH`` ("...: analyst", "... - CNBC"), ``F_QAUX`` / ``F_QWH`` (question forms).

Word uni- and bigrams of this text feed a logistic regression (see ``stance.split_related``). No parser: the
check path scores ~20 passages per query and a spaCy pass would cost as much as the rest of the stance model; on
Emergent CV the POS-tagged variant was only 0.002 better.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .stance_words import NEGATION, REFUTE, content, words


def _forms(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


# General English reporting / communication verbs (and their attribution nouns): the claim is what someone says.
SPEECH = _forms("say says said saying", "claim claims claimed claiming", "report reports reported reporting",
                "allege alleges alleged alleging", "accuse accuses accused accusing", "tell tells told telling",
                "suggest suggests suggested suggesting", "warn warns warned warning", "insist insists insisted",
                "according source sources insider insiders", "assert asserts asserted", "argue argues argued",
                "state states stated", "announce announces announced", "reveal reveals revealed",
                "admit admits admitted", "confirm confirms confirmed", "deny denies denied", "blame blames blamed",
                "credit credits credited", "describe describes described", "call calls called",
                "quote quotes quoted", "testify testifies testified", "indicate indicates indicated")
# Modality, evidentiality and speculation: the text does not vouch for the claim.
HEDGE = _forms("may might could possibly probably perhaps maybe likely unlikely", "reportedly allegedly apparently",
               "apparent purportedly supposedly seemingly appear appears appeared seem seems",
               "rumor rumors rumored rumour rumours rumoured speculation", "believed thought feared",
               "suspected suspect suspects tipped expected unconfirmed unverified whether if")
_REFUTE = frozenset(REFUTE)
_NEG = frozenset(NEGATION)
_AUX_Q = frozenset("is are was were did does do can could will would has have had should".split())
_WH_Q = frozenset("who what why how when where which".split())
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[?:\"\u201c\u201d!]|[-\u2013\u2014]+")
_PUNCT = {"?": "QMARK", ":": "COLON", '"': "QUOTE", "\u201c": "QUOTE", "\u201d": "QUOTE", "!": "EXCL"}
_DASH_SPLIT = re.compile(r"\s[-\u2013\u2014|]+\s*|\s*[-\u2013\u2014|]+\s")


def stem(word: str) -> str:
    """Crude suffix stripping (-ing, -ed, -es, -s): enough to match inflections, applied to both sides alike."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def frame_tokens(text: str) -> list[str]:
    """Attribution and question framing of a headline-like text (speaker colon, trailing source, question form)."""
    t = text.strip()
    out = []
    head, sep, tail = t.partition(":")
    if sep and tail.strip() and 1 <= len(words(head)) <= 4:
        out.append("F_OPENCOLON")
    if ":" in t:
        before, after = t.rsplit(":", 1)
        if 1 <= len(words(after)) <= 3 and len(words(before)) > 3:
            out.append("F_CLOSECOLON")
    parts = _DASH_SPLIT.split(t)
    if len(parts) > 1 and 1 <= len(words(parts[-1])) <= 3:
        out.append("F_CLOSEDASH")
    ws = words(t)
    if ws and ws[0] in _AUX_Q:
        out.append("F_QAUX")
    if ws and ws[0] in _WH_Q:
        out.append("F_QWH")
    return out


def frame_text(text: str, claim: str) -> str:
    """The text as a topic-free token sequence (see the module docstring), space-separated."""
    cw = set(content(words(claim)))
    cstems = {stem(w) for w in cw}
    out = frame_tokens(text)
    for tok in _TOKEN.findall((text or "").replace("\u2019", "'")):
        low = tok.lower()
        if not low[0].isalnum():
            out.append(_PUNCT.get(low, "DASH"))
            continue
        if low in cw or stem(low) in cstems:
            out.append("CLAIMW")
            continue
        if low in SPEECH:
            out.append("K_SPEECH")
        if low in HEDGE:
            out.append("K_HEDGE")
        if low in _REFUTE:
            out.append("K_REF")
        if low in _NEG or low.endswith("n't"):
            out.append("K_NEG")
        out.append(stem(low))
    return " ".join(out) or "EMPTY"


def frame_texts(texts: Sequence[str], claims: Sequence[str]) -> list[str]:
    return [frame_text(t, c) for t, c in zip(texts, claims, strict=True)]
