"""Small dependency-tree helpers shared by claims and quantities: clauses, their times, compact noun phrases.

A "clause" here is what one finite or reported predicate governs: ``xcomp`` chains ("plans to pull") stay inside
their governor's clause because the time or place of "plans to pull X on Sept. 20" belongs to the pulling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...model import TimeRef
from ..runtime.doc_cache import line_breaks_before

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "parataxis", "csubj", "acl", "pcomp", "conj"}
REPORTING = {"say", "tell", "add", "note", "state", "announce", "report", "claim", "declare", "warn", "insist",
             "explain", "confirm", "stress", "argue", "write", "acknowledge", "admit", "reveal", "assert", "tweet",
             "suggest", "indicate", "emphasize", "emphasise", "reiterate", "believe", "think", "deny", "quote",
             "predict", "estimate", "allege", "maintain", "signal", "contend", "caution", "mention", "affirm",
             "disclose", "testify", "conclude", "expect", "hope", "fear", "feel", "know", "understand", "agree",
             "demand", "urge", "vow", "pledge", "promise", "recall", "observe", "remark", "respond", "reply", "show"}


def is_clause_head(t: Token) -> bool:
    if t.dep_ == "ROOT":
        return True
    if t.dep_ not in CLAUSE_DEPS:
        return False
    return t.pos_ in ("VERB", "AUX") or (t.dep_ in ("ccomp", "advcl", "parataxis") and
                                          any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children))


def clause_head(t: Token) -> Token:
    """Nearest ancestor-or-self that heads a clause (xcomp and noun phrases are climbed through)."""
    cur = t
    for _ in range(40):
        if is_clause_head(cur) or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def span_root(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _time_roots(doc: Doc, times: list[TimeRef]) -> list[tuple[TimeRef, Token, int]]:
    """(time, its syntactic root, its sentence start) triples, cached on the doc so each doc pays once."""
    key = ("storyline.time_roots", tuple((tr.start, tr.end) for tr in times))
    user_data: dict[Any, Any] = doc.user_data     # typed dict[str, Any] by spaCy; any hashable key works
    cached = user_data.get(key)
    if cached is None:
        cached = []
        for tr in times:
            root = span_root(doc, tr.start, tr.end)
            if root is not None:
                cached.append((tr, root, root.sent.start))
        user_data[key] = cached
    return cached


def time_for(tok: Token, times: list[TimeRef], scope: Token | None = None) -> TimeRef | None:
    """The time expression of ``tok``'s clause: same clause head, nearest; else the clause it is reported in or
    coordinated with ("On Sunday, two rockets were fired ... and hit a village")."""
    if not times:
        return None
    scope = scope if scope is not None else clause_head(tok)
    sent_start = tok.sent.start
    roots = [(tr, r) for tr, r, s in _time_roots(tok.doc, times) if s == sent_start and same_line(r, tok)]
    if not roots:
        return None
    for _ in range(3):
        hits = [(tr, r) for tr, r in roots if clause_head(r) == scope or _inside(r, scope)]
        if hits:
            return min(hits, key=lambda p: abs(p[1].i - tok.i))[0]
        participle = scope.dep_ in ("acl", "advcl") and scope.tag_ in ("VBG", "VBN") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in scope.children)
        if scope.dep_ == "conj" or participle or (scope.dep_ == "ccomp" and scope.head.lemma_ in REPORTING):
            scope = clause_head(scope.head)
        else:
            break
    return None


def _inside(r: Token, scope: Token) -> bool:
    """A time inside a noun phrase of the clause ("the attack on Monday") belongs to that clause."""
    cur = r
    for _ in range(12):
        if cur == scope:
            return True
        if is_clause_head(cur) or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def same_line(a: Token, b: Token) -> bool:
    """True when no line break separates the two tokens: plain-text articles put headline, date and body on separate
    lines that the parser may glue into one 'sentence'."""
    doc = a.doc
    return line_breaks_before(doc, a.idx) == line_breaks_before(doc, b.idx)


def phrase(t: Token, *, keep_det: bool = False, max_tokens: int = 12) -> str:
    """Compact noun phrase of ``t``: its left modifiers and compounds, plus an 'of'/'for' complement, no clauses."""
    drop = {"relcl", "acl", "appos", "punct", "advcl", "cc", "conj", "parataxis"}
    toks: list[Token] = []

    def add(x: Token, depth: int) -> None:
        for c in x.children:
            if c.i < x.i and (c.dep_ not in drop or (x.like_num and c.dep_ in ("cc", "conj"))) and \
                    (keep_det or c.dep_ != "det" or c.lower_ == "no"):
                add(c, depth + 1)
        toks.append(x)
        for c in x.children:
            if c.i < x.i:
                continue
            if (depth == 0 and c.dep_ == "prep" and c.lower_ in ("of", "for") and x.pos_ != "PROPN") or \
                    (depth > 0 and c.dep_ == "pobj") or c.dep_ in ("compound", "flat", "nummod", "case") or \
                    (x.like_num and c.dep_ in ("cc", "conj")):
                add(c, depth + 1)

    add(t, 0)
    toks = sorted((x for x in toks if same_line(x, t)), key=lambda x: x.i)[:max_tokens]
    parts: list[str] = []
    for k, x in enumerate(toks):
        parts.append(x.text)
        if k + 1 < len(toks):
            nxt = toks[k + 1]
            parts.append(x.whitespace_ if nxt.i == x.i + 1 else " ")
    return "".join(parts).strip()
