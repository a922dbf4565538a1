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

from .cues import COGNITION_VERBS, SPEECH_VERBS

_CUT_POS = frozenset({"CCONJ", "SCONJ", "ADP", "PUNCT"})
_CUT_TAGS = frozenset({"WDT", "WP", "WP$", "WRB", "VBG", "TO"})
_CUT_DEPS = frozenset({"cc", "mark", "prep", "advmod", "relcl"})
_FUNC_POS = frozenset({"CCONJ", "SCONJ", "ADP", "PRON", "DET", "PART", "AUX", "PUNCT", "ADV"})
_CLAUSE_PUNCT = frozenset({",", ";", ":", "—", "–", "-", "--", "(", ")"})
_CUE_WORDS = SPEECH_VERBS | COGNITION_VERBS


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


class Sent:
    """The parse of the cue's sentence as plain lists, read once per content: spaCy builds a Python ``Token``
    object on every attribute access, and the candidate features read each token many times."""

    __slots__ = ("anc", "cue", "cut", "dep", "end", "head", "left", "lem", "off", "punct", "right", "seg", "word")

    def __init__(self, cue: Token) -> None:
        sent = cue.sent
        self.off = sent.start
        self.cue = cue.i
        self.anc = {t.i for t in cue.ancestors}
        toks = list(sent)
        self.head = [t.head.i for t in toks]
        self.dep = [t.dep_ for t in toks]
        self.left = [t.left_edge.i for t in toks]
        self.right = [t.right_edge.i for t in toks]
        self.punct = [t.is_punct for t in toks]
        self.end = sent.end
        self.lem = cue.lemma_.lower()
        self.word, self.cut, self.seg = [], [], []
        for t in toks:
            pos, tag = t.pos_, t.tag_
            # function words and punctuation by their form, content words by their part of speech
            self.word.append(t.lower_ if pos in _FUNC_POS or tag in _CUT_TAGS else pos)
            self.cut.append(pos in _CUT_POS or tag in _CUT_TAGS or t.dep_ in _CUT_DEPS)
            seg = []
            if pos == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                seg.append("seg_clause")
            if t.lemma_ in _CUE_WORDS:
                seg.append("seg_cue")
            if tag in ("WDT", "WP", "WP$"):
                seg.append("seg_rel")
            if t.text in ("“", "”", '"'):
                seg.append("seg_quote")
            self.seg.append(seg)

    def w(self, i: int) -> str:
        return self.word[i - self.off]

    def where(self, i: int, a: int, b: int) -> str:
        """Where token ``i``'s head lies relative to the span [a, b) and the cue."""
        h = self.head[i - self.off]
        if h == i:
            return "root"
        if h == self.cue:
            return "cue"
        if a <= h < b:
            return "in"
        if h in self.anc:
            return "anc"
        return "after" if h >= b else "before"

    def segment(self, lo: int, hi: int, a: int, b: int) -> list[str]:
        """What the tokens [lo, hi) between the candidate and the current boundary hold: clauses, cue words,
        relative pronouns, quotation marks, and how the segment hangs on the rest (the deps of its tokens whose
        head lies outside it, and where that head is relative to the span [a, b) and the cue)."""
        f = ["seglen=" + _b(hi - lo)] if hi > lo else []
        o = self.off
        for i in range(lo, hi):
            if not lo <= self.head[i - o] < hi and not self.punct[i - o]:
                f.append("segroot=" + self.dep[i - o] + "|" + self.where(i, a, b))
            f += self.seg[i - o]
        return sorted(set(f))


def end_cuts(sv: Sent, a: int, b: int, limit: int) -> list[int]:
    """Candidate exclusive ends in (a, limit] for a content starting at token ``a`` whose end is now ``b``."""
    o = sv.off
    out = {b, limit}
    for i in range(a + 1, limit):
        if sv.cut[i - o]:
            out.add(i)
    for i in range(a, b):
        r = sv.right[i - o] + 1
        if a < r <= limit:
            out.add(r)
    return sorted(x for x in out if a < x <= limit)


def start_cuts(sv: Sent, a: int, b: int, lo: int, texts: list[str]) -> list[int]:
    """Candidate starts in [lo, b) for a content ending before token ``b`` whose start is now ``a`` (``texts``:
    the sentence's token texts)."""
    o = sv.off
    out = {a, lo}
    for i in range(lo, b):
        if sv.punct[i - o] and texts[i - o] in _CLAUSE_PUNCT and i + 1 < b:
            out.add(i + 1)
        if sv.cut[i - o] or texts[i - o].lower() == "that":
            out.add(i)
            if i + 1 < b:
                out.add(i + 1)
    for i in range(a, b):
        left = sv.left[i - o]
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


def end_features(sv: Sent, a: int, b: int, cur: int, limit: int) -> list[str]:
    """Features of ending the content [a, b) at ``b`` (the current end is ``cur``; ``limit`` the farthest end)."""
    o = sv.off
    nw = sv.word[b - o] if b < limit else "<lim>"
    lw = sv.word[b - 1 - o]
    f = ["b", *("m:" + m for m in _move(b, cur, 1)), "nw=" + nw, "lw=" + lw, "lw|nw=" + lw + "|" + nw,
         "len=" + _b(b - a), "cl|nw=" + sv.lem + "|" + nw]
    if b >= limit:
        f.append("lim")
    else:
        w = sv.where(b, a, b)
        nd = sv.dep[b - o]
        f += ["nh=" + w, "nh|nd=" + w + "|" + nd, "nd|nw=" + nd + "|" + nw]
        if b + 1 < limit:
            f.append("nw2=" + nw + "|" + sv.word[b + 1 - o])
    f.append("ld=" + sv.dep[b - 1 - o] + "|" + sv.where(b - 1, a, b))
    f += _crossings(sv, a, b, b, limit)
    lo, hi = (cur, b) if b > cur else (b, cur)
    f += ["seg:" + s + ("+" if b > cur else "-") for s in sv.segment(lo, hi, a, min(b, cur))]
    return ["E:" + x for x in f]


def _crossings(sv: Sent, a: int, b: int, olo: int, ohi: int) -> list[str]:
    """Arcs a cut leaves hanging between the content [a, b) and the cut-off segment [olo, ohi): how many content
    tokens hang on the segment, and the dependency labels of segment tokens that hang on the content."""
    o, head = sv.off, sv.head
    cross_in = sum(1 for i in range(a, b) if olo <= head[i - o] < ohi)
    cross_out = sorted({sv.dep[i - o] for i in range(olo, ohi) if a <= head[i - o] < b})
    return ["xin=" + _b(cross_in), *("xout=" + d for d in cross_out[:4]), *([] if cross_out else ["xout0"])]


def start_features(sv: Sent, a: int, b: int, cur: int, lo: int) -> list[str]:
    """Features of starting the content [a, b) at ``a`` (the current start is ``cur``; ``lo`` the earliest start)."""
    o = sv.off
    fw = sv.word[a - o]
    pw = sv.word[a - 1 - o] if a > lo else "<lim>"
    f = ["b", *("m:" + m for m in _move(a, cur, -1)), "fw=" + fw, "pw=" + pw, "pw|fw=" + pw + "|" + fw,
         "len=" + _b(b - a), "cl|fw=" + sv.lem + "|" + fw, "fd=" + sv.dep[a - o] + "|" + sv.where(a, a, b),
         "side=" + ("R" if a > sv.cue else "L")]
    if a <= lo:
        f.append("lim")
    else:
        w = sv.where(a - 1, a, b)
        f += ["ph=" + w, "ph|pd=" + w + "|" + sv.dep[a - 1 - o]]
    f += _crossings(sv, a, b, lo, a)
    s_lo, s_hi = (a, cur) if a < cur else (cur, a)
    f += ["seg:" + s + ("+" if a < cur else "-") for s in sv.segment(s_lo, s_hi, max(a, cur), b)]
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


def candidates(cue: Token, a: int, b: int, para: tuple[int, int]) -> tuple[list[tuple[int, list[str]]],
                                                                           Sent, int] | None:
    """(the candidate ends of [a, b) with their features, the sentence view, the earliest start), or None when the
    content cannot be re-cut (it straddles the cue or leaves the sentence)."""
    lim = limits(cue, a, b, para)
    if lim is None:
        return None
    lo, hi = lim
    sv = Sent(cue)
    return [(e, end_features(sv, a, e, b, hi)) for e in end_cuts(sv, a, b, hi)], sv, lo


def start_candidates(cue: Token, sv: Sent, a: int, b: int, lo: int) -> list[tuple[int, list[str]]]:
    """The candidate starts of [a, b) with their features."""
    texts = [t.text for t in cue.sent]
    return [(s, start_features(sv, s, b, a, lo)) for s in start_cuts(sv, a, b, lo, texts)]


def choose(cue: Token, a: int, b: int, para: tuple[int, int], score: Scorer,
           margin: float) -> tuple[int, int]:
    """The token range [start, end) of the content after re-cutting: first the end, then the start, each moved only
    when the best cut's score beats the current cut's by more than ``margin``."""
    got = candidates(cue, a, b, para)
    if got is None:
        return a, b
    ends, sv, lo = got
    scored = [(score(f), e) for e, f in ends]
    cur_e = next(sc for sc, e in scored if e == b)
    best_e = max(scored, key=lambda x: (x[0], -abs(x[1] - b)))
    new_b = best_e[1] if best_e[0] - cur_e > margin else b
    starts = [(score(f), s) for s, f in start_candidates(cue, sv, a, new_b, lo)]
    cur_s = next(sc for sc, s in starts if s == a)
    best_s = max(starts, key=lambda x: (x[0], -abs(x[1] - a)))
    new_a = best_s[1] if best_s[0] - cur_s > margin else a
    return new_a, new_b


__all__ = ["Sent", "candidates", "choose", "end_cuts", "end_features", "limits", "start_candidates", "start_cuts",
           "start_features"]
