"""Span-boundary model of the learned attribution tagger: where an indirect content starts and ends.

The rules and the token-level content model find the right cue far more often than the right content: PolNeAR
annotators stop a content before the writer's trailing adjuncts (", both of whom …", "after meeting …", "at a rally")
and run it on over a second conjunct ("… and fix …") that a clause rule leaves out.  A token-level score cannot see
*where* a span is cut, so this module ranks whole cut points instead:
* candidate ends (and, separately, starts) of an indirect content inside the cue's sentence, at every place a
  content plausibly stops: clause punctuation, conjunctions, subordinators, prepositions, relative pronouns, the edge
  of a subtree inside the span, the sentence (or cue) limit; the current boundary is always a candidate;
* binary string features of each cut (the words and parse labels either side, where the next word attaches, how
  many arcs the cut leaves dangling, what the cut-off segment holds, how far it moves the current boundary);
* a logistic model (``bound`` weights of ``models/attribution/attribution.json.gz``) trained on the PolNeAR train
  split to prefer the cut whose span best matches the gold content (``training/train_attribution.py``).
The runtime keeps the current boundary unless the best cut beats it by the model's margin.  Scoring is a dict
look-up per feature, on the parse the rules already have.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from .quote_cues import COGNITION_VERBS, SPEECH_VERBS

_CUT_POS = frozenset({"CCONJ", "SCONJ", "ADP", "PUNCT"})
_CUT_TAGS = frozenset({"WDT", "WP", "WP$", "WRB", "VBG", "TO"})
_FUNC_POS = frozenset({"CCONJ", "SCONJ", "ADP", "PRON", "DET", "PART", "AUX", "PUNCT", "ADV"})
_CLAUSE_PUNCT = frozenset({",", ";", ":", "—", "–", "-", "--", "(", ")"})


def _b(n: int) -> str:
    """Coarse bucket of a count or distance."""
    if n <= 2:
        return str(n)
    if n <= 4:
        return "3-4"
    if n <= 8:
        return "5-8"
    if n <= 15:
        return "9-15"
    return "16+"


def _word(tok: Token | None) -> str:
    """Function words and punctuation by their form, content words by their part of speech."""
    if tok is None:
        return "<lim>"
    if tok.pos_ in _FUNC_POS or tok.tag_ in _CUT_TAGS:
        return tok.lower_
    return tok.pos_


def _where(tok: Token, cue: Token, a: int, b: int) -> str:
    """Where ``tok``'s head lies relative to the span [a, b) and the cue."""
    h = tok.head
    if h.i == tok.i:
        return "root"
    if h.i == cue.i:
        return "cue"
    if a <= h.i < b:
        return "in"
    if h.is_ancestor(cue):
        return "anc"
    return "after" if h.i >= b else "before"


def _cut_ok(tok: Token) -> bool:
    return tok.pos_ in _CUT_POS or tok.tag_ in _CUT_TAGS or tok.dep_ in ("cc", "mark", "prep", "advmod", "relcl")


def end_cuts(cue: Token, a: int, b: int, limit: int) -> list[int]:
    """Candidate exclusive ends in (a, limit] for a content starting at token ``a`` whose end is now ``b``."""
    doc = cue.doc
    out = {b, limit}
    for i in range(a + 1, limit):
        if _cut_ok(doc[i]):
            out.add(i)
    for i in range(a, b):
        r = doc[i].right_edge.i + 1
        if a < r <= limit:
            out.add(r)
    return sorted(x for x in out if a < x <= limit)


def start_cuts(cue: Token, a: int, b: int, lo: int) -> list[int]:
    """Candidate starts in [lo, b) for a content ending before token ``b`` whose start is now ``a``."""
    doc = cue.doc
    out = {a, lo}
    for i in range(lo, b):
        t = doc[i]
        if t.is_punct and t.text in _CLAUSE_PUNCT and i + 1 < b:
            out.add(i + 1)
        if _cut_ok(t) or t.lower_ == "that":
            out.add(i)
            if i + 1 < b:
                out.add(i + 1)
    for i in range(a, b):
        left = doc[i].left_edge.i
        if lo <= left < b:
            out.add(left)
    return sorted(x for x in out if lo <= x < b)


def _move(new: int, cur: int, grow: int) -> list[str]:
    """How the cut moves the current boundary: kept, grown or shrunk (``grow`` is +1 when a larger index grows)."""
    if new == cur:
        return ["cur"]
    d = (new - cur) * grow
    kind = "grow" if d > 0 else "shrink"
    return [kind, kind + "=" + _b(abs(d))]


def _segment(cue: Token, lo: int, hi: int, a: int, b: int) -> list[str]:
    """What the tokens [lo, hi) between the candidate and the current boundary hold: clauses, cue words, relative
    pronouns, quotation marks, and how the segment hangs on the rest (the deps of its tokens whose head lies outside
    it, and where that head is relative to the span [a, b) and the cue)."""
    doc = cue.doc
    f = ["seglen=" + _b(hi - lo)] if hi > lo else []
    for t in doc[lo:hi]:
        if not lo <= t.head.i < hi and not t.is_punct:
            f.append("segroot=" + t.dep_ + "|" + _where(t, cue, a, b))
        if t.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            f.append("seg_clause")
        if t.lemma_ in SPEECH_VERBS or t.lemma_ in COGNITION_VERBS:
            f.append("seg_cue")
        if t.tag_ in ("WDT", "WP", "WP$"):
            f.append("seg_rel")
        if t.text in ("“", "”", '"'):
            f.append("seg_quote")
        if t.is_sent_end and t.i < hi - 1:
            f.append("seg_sent")
    return sorted(set(f))


def end_features(cue: Token, a: int, b: int, cur: int, limit: int, lem: str) -> list[str]:
    """Features of ending the content [a, b) at ``b`` (the current end is ``cur``; ``limit`` the farthest end)."""
    doc = cue.doc
    last = doc[b - 1]
    nxt = doc[b] if b < limit else None
    nw, lw = _word(nxt), _word(last)
    f = ["b", *("m:" + m for m in _move(b, cur, 1)), "nw=" + nw, "lw=" + lw, "lw|nw=" + lw + "|" + nw,
         "len=" + _b(b - a), "cl|nw=" + lem + "|" + nw]
    if nxt is None:
        f.append("lim")
    else:
        w = _where(nxt, cue, a, b)
        f += ["nh=" + w, "nh|nd=" + w + "|" + nxt.dep_, "nd|nw=" + nxt.dep_ + "|" + nw]
        if b + 1 < limit:
            f.append("nw2=" + nw + "|" + _word(doc[b + 1]))
    f.append("ld=" + last.dep_ + "|" + _where(last, cue, a, b))
    cross_in = sum(1 for t in doc[a:b] if t.head.i >= b and t.head.i < limit)
    cross_out = sorted({t.dep_ for t in doc[b:limit] if a <= t.head.i < b})
    f.append("xin=" + _b(cross_in))
    f += ["xout=" + d for d in cross_out[:4]]
    if not cross_out:
        f.append("xout0")
    lo, hi = (cur, b) if b > cur else (b, cur)
    f += ["seg:" + s + ("+" if b > cur else "-") for s in _segment(cue, lo, hi, a, min(b, cur))]
    return ["E:" + x for x in f]


def start_features(cue: Token, a: int, b: int, cur: int, lo: int, lem: str) -> list[str]:
    """Features of starting the content [a, b) at ``a`` (the current start is ``cur``; ``lo`` the earliest start)."""
    doc = cue.doc
    first = doc[a]
    prv = doc[a - 1] if a > lo else None
    fw, pw = _word(first), _word(prv)
    f = ["b", *("m:" + m for m in _move(a, cur, -1)), "fw=" + fw, "pw=" + pw, "pw|fw=" + pw + "|" + fw,
         "len=" + _b(b - a), "cl|fw=" + lem + "|" + fw, "fd=" + first.dep_ + "|" + _where(first, cue, a, b),
         "side=" + ("R" if a > cue.i else "L")]
    if prv is None:
        f.append("lim")
    else:
        w = _where(prv, cue, a, b)
        f += ["ph=" + w, "ph|pd=" + w + "|" + prv.dep_]
    cross_in = sum(1 for t in doc[a:b] if lo <= t.head.i < a)
    cross_out = sorted({t.dep_ for t in doc[lo:a] if a <= t.head.i < b})
    f.append("xin=" + _b(cross_in))
    f += ["xout=" + d for d in cross_out[:4]]
    if not cross_out:
        f.append("xout0")
    s_lo, s_hi = (a, cur) if a < cur else (cur, a)
    f += ["seg:" + s + ("+" if a < cur else "-") for s in _segment(cue, s_lo, s_hi, max(a, cur), b)]
    return ["S:" + x for x in f]


def limits(cue: Token, a: int, b: int, para: tuple[int, int]) -> tuple[int, int] | None:
    """(earliest start, farthest end) for a content [a, b) on one side of the cue, inside its sentence and
    paragraph; None when the content straddles the cue or leaves the sentence."""
    sent = cue.sent
    if a < sent.start or b > sent.end:
        return None
    doc = cue.doc
    if a > cue.i:
        lo, hi = cue.i + 1, sent.end
    elif b <= cue.i:
        lo, hi = sent.start, cue.i
    else:
        return None
    while hi > b and (doc[hi - 1].is_punct or doc[hi - 1].is_space or doc[hi - 1].idx >= para[1]):
        hi -= 1                                      # the sentence's final stop, or the next paragraph
    while lo < a and (doc[lo].is_space or doc[lo].idx < para[0]):
        lo += 1
    return lo, hi


Scorer = Callable[[list[str]], float]


def choose(cue: Token, a: int, b: int, para: tuple[int, int], score: Scorer,
           margin: float) -> tuple[int, int]:
    """The token range [start, end) of the content after re-cutting: first the end, then the start, each moved only
    when the best cut's score beats the current cut's by more than ``margin``."""
    lim = limits(cue, a, b, para)
    if lim is None:
        return a, b
    lo, hi = lim
    lem = cue.lemma_.lower()
    ends = [(score(end_features(cue, a, e, b, hi, lem)), e) for e in end_cuts(cue, a, b, hi)]
    cur_e = next(s for s, e in ends if e == b)
    best_e = max(ends, key=lambda x: (x[0], -abs(x[1] - b)))
    new_b = best_e[1] if best_e[0] - cur_e > margin else b
    starts = [(score(start_features(cue, s, new_b, a, lo, lem)), s) for s in start_cuts(cue, a, new_b, lo)]
    cur_s = next(sc for sc, s in starts if s == a)
    best_s = max(starts, key=lambda x: (x[0], -abs(x[1] - a)))
    new_a = best_s[1] if best_s[0] - cur_s > margin else a
    return new_a, new_b


__all__ = ["choose", "end_cuts", "end_features", "limits", "start_cuts", "start_features"]
