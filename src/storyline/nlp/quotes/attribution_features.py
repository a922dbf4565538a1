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

from spacy.tokens import Token

from .cues import ADJ_CUES, COGNITION_VERBS, LEARNED_VERBS, NOUN_CUES, SPEECH_VERBS

# Parts of speech a cue head has in PolNeAR train (verbs, nouns, adjectives, "according", "to" of "according to").
CUE_POS = frozenset({"VERB", "NOUN", "ADJ", "AUX", "ADP", "PROPN"})
_SENT_STARTS = "storyline.sent_starts"     # the key nlp/text_guard.index_sentences fills too
_QUOTE_CHARS = frozenset("“”\"‘’«»")
_FRAME_DEPS = frozenset({"nsubj", "nsubjpass", "ccomp", "xcomp", "dobj", "dative", "prep", "agent", "advcl", "acomp",
                         "attr", "mark", "aux", "neg", "poss", "acl", "relcl"})


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
    doc = tok.doc
    starts = doc.user_data.get(_SENT_STARTS)
    if starts is None:
        starts = doc.user_data[_SENT_STARTS] = [s.start for s in doc.sents]
    k = bisect_right(starts, tok.i) - 1
    return starts[k], (starts[k + 1] if k + 1 < len(starts) else len(doc))


def cue_features(tok: Token) -> list[str]:
    """Features of ``tok`` as a possible cue head: its word, its place in the parse, what it governs."""
    lem = tok.lemma_.lower()
    pos = tok.pos_
    head = tok.head
    f = [
        "b", "l=" + lem, "p=" + pos, "t=" + tok.tag_, "d=" + tok.dep_, "l|p=" + lem + "|" + pos,
        "l|d=" + lem + "|" + tok.dep_, "hl=" + head.lemma_.lower(), "hp|d=" + head.pos_ + "|" + tok.dep_,
    ]
    if lem in SPEECH_VERBS:
        f.append("lex=speech|" + pos)
    if lem in COGNITION_VERBS:
        f.append("lex=cog|" + pos)
    if lem in LEARNED_VERBS:
        f.append("lex=learned|" + pos)
    if lem in NOUN_CUES:
        f.append("lex=noun|" + pos)
    if tok.lower_ in ADJ_CUES:
        f.append("lex=adj|" + pos)
    kids = set()
    for c in tok.children:
        dep = c.dep_
        kids.add(dep)
        if dep in ("nsubj", "nsubjpass"):
            f.append("subj=" + (c.ent_type_ or c.pos_))
        elif dep in ("ccomp", "xcomp", "dobj", "prep", "advcl"):
            f.append("l|c=" + lem + "|" + dep + ("|" + c.lower_ if dep == "prep" else ""))
            if dep == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                f.append("ccomp_that")
    frame = "|".join(sorted(kids & _FRAME_DEPS))
    f.append("frame=" + pos + "|" + frame)        # the verb frame generalises over unseen lemmas
    f.append("l|frame=" + lem + "|" + frame)
    for dep in sorted(kids):
        f.append("c=" + dep)
    i = tok.i
    doc = tok.doc
    prv = doc[i - 1] if i > 0 else None
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    f.append("w-1=" + (prv.lower_ if prv is not None else "<s>"))
    f.append("l|hl=" + lem + "|" + head.lemma_.lower())
    f.append("w+1=" + (nxt.lower_ if nxt is not None else "</s>"))
    f.append("p+1=" + (nxt.pos_ if nxt is not None else "</s>"))
    f.append("l|w+1=" + lem + "|" + (nxt.lower_ if nxt is not None else "</s>"))
    s_start, s_end = sentence_bounds(tok)
    f.append("spos=" + _bucket(i - s_start) + "|" + ("end" if s_end - i <= 3 else "mid"))
    # a quotation mark within three tokens either side: "“…,” he *said*" / "*said*: “…”"
    near = [t for t in doc[max(s_start, i - 3) : min(s_end, i + 4)] if t.text in _QUOTE_CHARS]
    if near:
        f.append("nearq=" + ("L" if near[0].i < i else "R"))
    return f


def path_first(cue: Token, tok: Token) -> tuple[str, int]:
    """How ``tok`` hangs on ``cue``: the dependency of the cue's child on the way down, "up" when the cue is below
    ``tok``, "side" otherwise; and the number of edges walked."""
    node = tok
    depth = 0
    below = ""
    while node.i != cue.i and node.head.i != node.i and depth < 40:
        if node.head.i == cue.i:
            return "dn:" + node.dep_ + ("/" + below if depth else ""), depth + 1
        below = node.dep_
        node = node.head
        depth += 1
    if node.i == cue.i:
        return "self", 0
    node = cue
    depth = 0
    while node.head.i != node.i and depth < 40:
        node = node.head
        depth += 1
        if node.i == tok.i:
            return "up:" + cue.dep_, depth
    return "side", depth


def content_features(cue: Token, tok: Token, lem: str, inside: bool) -> list[str]:
    """Features of the pair (cue head, token in the cue's sentence) for the content model."""
    path, depth = path_first(cue, tok)
    first = path.split("/")[0]
    side = "L" if tok.i < cue.i else "R"
    dist = _bucket(abs(tok.i - cue.i))
    f = [
        "b", "fi=" + first, "fi|s=" + first + "|" + side, "fi|dp=" + first + "|" + _bucket(depth),
        "s|dist=" + side + "|" + dist, "td=" + tok.dep_ + "|" + side, "tp=" + tok.pos_ + "|" + first,
        "cl|fi=" + lem + "|" + first, "cp|fi=" + cue.pos_ + "|" + first + "|" + side,
    ]
    if path != first:
        f.append("p2=" + path + "|" + side)
    if inside:
        f.append("inq")
    if tok.is_punct:
        f.append("punct=" + tok.text + "|" + side)
    return f
