"""Features of the learned attribution tagger, shared by training (``training/train_attribution.py``) and runtime.

Two linear models read the spaCy parse the rules already have, so the learned path costs a few dictionary look-ups
per candidate token and no second pipeline:
* the CUE model scores a token as the head of an attribution cue ("mocked", "figures", "reserved … for", "blasted"):
  PolNeAR marks a long tail of such words that no hand list reaches;
* the CONTENT model scores (cue, token) pairs of one sentence: is the token part of what that cue attributes?  The
  dependency path from the cue to the token carries most of the signal (ccomp/xcomp/dobj below the cue is content,
  the subject and scene adjuncts are not).
Features are plain strings; the model file maps them to weights.  Keep this module and the model file in step: a
change here needs ``training/train_attribution.py`` to be rerun.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from spacy.tokens import Doc, Token

from .cues import ADJ_CUES, COGNITION_VERBS, LEARNED_VERBS, NOUN_CUES, SPEECH_VERBS

# Parts of speech a cue head has in PolNeAR train (verbs, nouns, adjectives, "according", "to" of "according to").
CUE_POS = frozenset({"VERB", "NOUN", "ADJ", "AUX", "ADP", "PROPN"})
_SENT_STARTS = "storyline.sent_starts"     # the key nlp/text_guard.index_sentences fills too
_COLUMNS = "storyline.attribution_columns"
_QUOTE_CHARS = frozenset("“”\"‘’«»")
_FRAME_DEPS = frozenset({"nsubj", "nsubjpass", "ccomp", "xcomp", "dobj", "dative", "prep", "agent", "advcl", "acomp",
                         "attr", "mark", "aux", "neg", "poss", "acl", "relcl"})


class Columns(NamedTuple):
    """What the features read of every token of one doc, as plain lists indexed by token position.

    Why: the features are computed for every candidate cue and for every (cue, token) pair of a cue's sentence, and
    reading them through spaCy ``Token`` objects (``tok.head``, ``tok.children``, ``doc[i]`` each build a new one)
    was most of the learned attribution's cost (issue 17). One ``Doc.to_array`` per doc and a string look-up per
    distinct value give the same strings (``tests/test_attribution_columns.py``)."""

    lemma: list[str]        # lemma_, lower-cased
    pos: list[str]
    tag: list[str]
    dep: list[str]
    lower: list[str]
    text: list[str]
    ent_type: list[str]
    punct: list[bool]
    head: list[int]         # absolute index of the head (a root is its own head)
    kids: list[list[int]]   # children in document order, as ``Token.children`` yields them


def doc_columns(doc: Doc) -> Columns:
    """The doc's ``Columns``, built on first use and kept in ``doc.user_data`` (the parse does not change after)."""
    cols = doc.user_data.get(_COLUMNS)
    if cols is None:
        cols = doc.user_data[_COLUMNS] = _build_columns(doc)
    return cols


def _build_columns(doc: Doc) -> Columns:
    n = len(doc)
    arr = doc.to_array(["LEMMA", "POS", "TAG", "DEP", "LOWER", "ORTH", "ENT_TYPE", "IS_PUNCT", "HEAD"])
    strings = doc.vocab.strings

    def decode(k: int, fix: Callable[[str], str] = str) -> list[str]:
        # one string look-up per distinct value, then a C-level map over the column
        col = arr[:, k].tolist()
        table = {h: fix(strings[h]) if h else "" for h in set(col)}
        return list(map(table.__getitem__, col))

    # HEAD is the offset to the head; to_array returns uint64, so a head to the left arrives wrapped around 2**64:
    # the cast to int64 gives the negative offset back
    head = (np.arange(n, dtype=np.int64) + arr[:, 8].astype(np.int64)).tolist()
    kids: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(head):
        if h != i:
            kids[h].append(i)
    return Columns(decode(0, str.lower), decode(1), decode(2), decode(3), decode(4), decode(5), decode(6),
                   arr[:, 7].astype(bool).tolist(), head, kids)


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 10:
        return "7-10"
    if n <= 20:
        return "11-20"
    return "21+"


def sentence_bounds(tok: Token) -> tuple[int, int]:
    """(start, end) token indices of ``tok``'s sentence. spaCy's ``tok.sent`` walks to both ends of the sentence on
    every call, which made this module quadratic over one long sentence (``'Mr. ' * 50000``); the sentence starts
    are listed once per doc and looked up by bisection."""
    return _sentence_of(tok.doc, tok.i)


def _sentence_of(doc: Doc, i: int) -> tuple[int, int]:
    starts = doc.user_data.get(_SENT_STARTS)
    if starts is None:
        starts = doc.user_data[_SENT_STARTS] = [s.start for s in doc.sents]
    k = bisect_right(starts, i) - 1
    return starts[k], (starts[k + 1] if k + 1 < len(starts) else len(doc))


def cue_features(tok: Token) -> list[str]:
    """Features of ``tok`` as a possible cue head: its word, its place in the parse, what it governs."""
    doc = tok.doc
    c = doc_columns(doc)
    i = tok.i
    lem = c.lemma[i]
    pos = c.pos[i]
    tdep = c.dep[i]
    h = c.head[i]
    f = [
        "b", "l=" + lem, "p=" + pos, "t=" + c.tag[i], "d=" + tdep, "l|p=" + lem + "|" + pos,
        "l|d=" + lem + "|" + tdep, "hl=" + c.lemma[h], "hp|d=" + c.pos[h] + "|" + tdep,
    ]
    if lem in SPEECH_VERBS:
        f.append("lex=speech|" + pos)
    if lem in COGNITION_VERBS:
        f.append("lex=cog|" + pos)
    if lem in LEARNED_VERBS:
        f.append("lex=learned|" + pos)
    if lem in NOUN_CUES:
        f.append("lex=noun|" + pos)
    if c.lower[i] in ADJ_CUES:
        f.append("lex=adj|" + pos)
    kids = set()
    deps, lower = c.dep, c.lower
    for k in c.kids[i]:
        dep = deps[k]
        kids.add(dep)
        if dep in ("nsubj", "nsubjpass"):
            f.append("subj=" + (c.ent_type[k] or c.pos[k]))
        elif dep in ("ccomp", "xcomp", "dobj", "prep", "advcl"):
            f.append("l|c=" + lem + "|" + dep + ("|" + lower[k] if dep == "prep" else ""))
            if dep == "ccomp" and any(deps[m] == "mark" and lower[m] == "that" for m in c.kids[k]):
                f.append("ccomp_that")
    frame = "|".join(sorted(kids & _FRAME_DEPS))
    f.append("frame=" + pos + "|" + frame)        # the verb frame generalises over unseen lemmas
    f.append("l|frame=" + lem + "|" + frame)
    for dep in sorted(kids):
        f.append("c=" + dep)
    n = len(c.head)
    prv = lower[i - 1] if i > 0 else "<s>"
    nxt = lower[i + 1] if i + 1 < n else "</s>"
    f.append("w-1=" + prv)
    f.append("l|hl=" + lem + "|" + c.lemma[h])
    f.append("w+1=" + nxt)
    f.append("p+1=" + (c.pos[i + 1] if i + 1 < n else "</s>"))
    f.append("l|w+1=" + lem + "|" + nxt)
    s_start, s_end = _sentence_of(doc, i)
    f.append("spos=" + _bucket(i - s_start) + "|" + ("end" if s_end - i <= 3 else "mid"))
    # a quotation mark within three tokens either side: "“…,” he *said*" / "*said*: “…”"
    text = c.text
    near = next((j for j in range(max(s_start, i - 3), min(s_end, i + 4)) if text[j] in _QUOTE_CHARS), None)
    if near is not None:
        f.append("nearq=" + ("L" if near < i else "R"))
    return f


def path_first(cue: Token, tok: Token) -> tuple[str, int]:
    """How ``tok`` hangs on ``cue``: the dependency of the cue's child on the way down, "up" when the cue is below
    ``tok``, "side" otherwise; and the number of edges walked."""
    return _path(doc_columns(cue.doc), cue.i, tok.i)


def _path(c: Columns, cue: int, tok: int) -> tuple[str, int]:
    head, dep = c.head, c.dep
    node = tok
    depth = 0
    below = ""
    while node != cue and head[node] != node and depth < 40:
        if head[node] == cue:
            return "dn:" + dep[node] + ("/" + below if depth else ""), depth + 1
        below = dep[node]
        node = head[node]
        depth += 1
    if node == cue:
        return "self", 0
    node = cue
    depth = 0
    while head[node] != node and depth < 40:
        node = head[node]
        depth += 1
        if node == tok:
            return "up:" + dep[cue], depth
    return "side", depth


def content_features(cue: Token, tok: Token, lem: str, inside: bool) -> list[str]:
    """Features of the pair (cue head, token in the cue's sentence) for the content model."""
    c = doc_columns(cue.doc)
    ci, ti = cue.i, tok.i
    path, depth = _path(c, ci, ti)
    first = path.split("/")[0]
    side = "L" if ti < ci else "R"
    dist = _bucket(abs(ti - ci))
    f = [
        "b", "fi=" + first, "fi|s=" + first + "|" + side, "fi|dp=" + first + "|" + _bucket(depth),
        "s|dist=" + side + "|" + dist, "td=" + c.dep[ti] + "|" + side, "tp=" + c.pos[ti] + "|" + first,
        "cl|fi=" + lem + "|" + first, "cp|fi=" + c.pos[ci] + "|" + first + "|" + side,
    ]
    if path != first:
        f.append("p2=" + path + "|" + side)
    if inside:
        f.append("inq")
    if c.punct[ti]:
        f.append("punct=" + c.text[ti] + "|" + side)
    return f
