"""Reported speech read off the dependency parse: cue verbs with their clause or complement, noun cues ("her
assertion that X"), stance adjectives ("convinced that X") and "according to X"."""

from __future__ import annotations

from spacy.tokens import Token

from .context import Attr, QuoteContext
from .cues import (
    ADJ_CUES,
    COGNITION_VERBS,
    DOCUMENT_NOUNS,
    LEARNED_VERBS,
    NOUN_CUE_PREPS,
    NOUN_CUES,
    OBJECT_CONTENT_VERBS,
    SPEECH_VERBS,
    XCOMP_CONTENT_VERBS,
    cue_lemma,
)
from .spans import clip_paragraph, cue_span, minus, strip_span, subtree
from .speakers import (
    SUBJ,
    cue_medium,
    cue_source,
    first_noun_after,
    inverted_source,
    left_subject,
    own_subject,
    passive_agent,
    possessor,
    writer_voice,
)

_SCENE_PREPS = frozenset({"in", "on", "at", "during", "after", "before", "since", "while", "amid", "despite", "through",
                          "throughout", "until", "near", "inside", "outside", "across", "via", "when"})
_ARG_PREPS = frozenset({"of", "for", "as", "to", "about", "against", "with", "into", "over", "from", "on", "that"})
_CUE_VERBS = SPEECH_VERBS | COGNITION_VERBS | LEARNED_VERBS
_RIGHT_DEPS = ("dobj", "xcomp", "prep", "dative", "oprd", "ccomp", "advcl", "acomp", "attr", "pcomp", "prt")


def parse_attributions(cx: QuoteContext) -> list[Attr]:
    out: list[Attr] = []
    for tok in cx.doc:
        if cx.inside[tok.idx]:
            continue                            # speech verbs inside a quote belong to the quoted speaker
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            a = _according(cx, tok)
        elif tok.pos_ == "VERB" and (cue_lemma(tok) in _CUE_VERBS):
            a = _verb(cx, tok)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES:
            a = _noun(cx, tok)
        elif tok.lower_ in ADJ_CUES and tok.dep_ in ("acomp", "oprd", "ROOT", "xcomp"):
            a = _adjective(cx, tok)
        else:
            a = None
        if a is not None:
            out.append(a)
    return _drop_nested(cx, out)


def _noun(cx: QuoteContext, tok: Token) -> Attr | None:
    """Noun cues: "Trump’s assertion that X", "criticism of Y from Z", "made the claim that X".

    Only with a holder (possessive, "by/from" phrase, or the subject of the verb the noun is the object of):
    a bare "the claim that …" is the writer's framing more often than someone's statement."""
    content = None
    for c in tok.rights:
        if c.dep_ in ("acl", "ccomp", "relcl") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children):
            content = subtree(cx, c)
            break
        if c.dep_ == "prep" and c.lower_ in NOUN_CUE_PREPS.get(tok.lemma_.lower(), ()):
            pobj = next((x for x in c.children if x.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                content = subtree(cx, pobj)
                break
    nxt = cx.doc[tok.i + 1] if tok.i + 1 < len(cx.doc) else None
    if content is None and nxt is not None and nxt.lower_ == "that" and nxt.dep_ == "mark" and (
            nxt.head.dep_ == "ccomp" and nxt.head.head.i < tok.i):
        content = subtree(cx, nxt.head)       # "stood by her assertion that X": X hung on the verb
    if content is None:
        return None
    content = clip_paragraph(cx, content, tok.idx)
    if content is None:
        return None
    src = possessor(tok)
    if src is None:
        for c in tok.children:
            if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from") and c.i < content[0] + 1:
                src = next((x for x in c.children if x.dep_ == "pobj"), None)
    if src is not None and tok.lemma_.lower() in DOCUMENT_NOUNS:
        src = tok                               # "a joint statement from X and Y": the document speaks for them
    if src is None and tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        src = next((c for c in tok.head.children if c.dep_ in ("nsubj",)), None)
    if src is None or src.pos_ == "DET":
        return None
    return Attr(content[0], content[1], (tok.idx, tok.idx + len(tok.text)), src, False)


def _adjective(cx: QuoteContext, tok: Token) -> Attr | None:
    """Stance adjectives: "they are convinced that X", "Cruz is eager to Y", "voters are wary of Z"."""
    content = None
    for c in tok.rights:
        if c.dep_ in ("ccomp", "xcomp"):
            content = subtree(cx, c)
        elif c.dep_ == "prep" and c.lower_ in ("of", "about", "over", "with", "in"):
            pobj = next((x for x in c.children if x.dep_ in ("pobj", "pcomp")), None)
            content = subtree(cx, pobj) if pobj is not None else None
        if content is not None:
            break
    if content is None or (content := clip_paragraph(cx, content, tok.idx)) is None:
        return None
    head = tok.head if tok.dep_ != "ROOT" else tok
    src = next((c for c in head.children if c.dep_ in SUBJ), None) or next(
        (c for c in tok.children if c.dep_ in SUBJ), None)
    if src is None or src.pos_ == "DET" or src.lower_ in ("it", "this", "that"):
        return None                             # "it is clear that …": nobody holds the stance
    return Attr(content[0], content[1], (tok.idx, tok.idx + len(tok.text)), src, False)


def _verb(cx: QuoteContext, tok: Token) -> Attr | None:
    lemma = cue_lemma(tok)
    if lemma == "quote":
        return None          # "AP quoted X as saying": handled next to the quotation (``_attr_from_cue``)
    content = _clausal_content(cx, tok)
    prev = cx.doc[tok.i - 1] if tok.i > 0 else tok
    if content is None and lemma in SPEECH_VERBS and tok.head.i < tok.i and (
        tok.dep_ == "parataxis" or tok.dep_ in ("conj", "advcl") and (prev.text == "," or _tail_clause(cx, tok))
    ):
        content = minus(cx, tok.head, tok)   # "The US seeks …, warned X." / "X, he said, Y"
    if content is None and lemma in XCOMP_CONTENT_VERBS:
        x = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if x is not None:
            content = subtree(cx, x)
    if content is None and lemma in OBJECT_CONTENT_VERBS:
        o = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
        if o is not None:
            content = subtree(cx, o)
    if content is None and lemma in LEARNED_VERBS:
        content = _right_content(cx, tok)
    if content is None:
        return None
    content = clip_paragraph(cx, content, tok.idx)
    if content is None:
        return None
    if writer_voice(tok):
        return Attr(content[0], content[1], cue_span(tok), None, False, cue_medium(cx, tok))
    src = passive_agent(tok) or own_subject(cx, tok)
    if src is None and content[1] <= tok.idx:
        src = inverted_source(tok) or _inverted_speaker(cx, tok)
    src = src or cue_source(cx, tok) or left_subject(cx, tok, content)
    return Attr(content[0], content[1], cue_span(tok), src, False, cue_medium(cx, tok))


def _tail_clause(cx: QuoteContext, tok: Token) -> bool:
    """"X, Defense Secretary Ash Carter told a Senate panel Wednesday.": a subject + cue clause set off by a comma at
    the end of the sentence, with no conjunction, reports the clause before it (the parser reads it as a second
    conjunct); its object is the audience, not the content."""
    if any(c.dep_ in ("cc", "ccomp", "mark") for c in tok.children) or tok.left_edge.i == 0:
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i), None)
    if subj is None or cx.doc[tok.left_edge.i - 1].text != "," or subj.left_edge.i != tok.left_edge.i:
        return False
    end = tok.right_edge.i + 1
    return end >= tok.sent.end or all(t.is_punct or t.is_space for t in cx.doc[end : tok.sent.end])


def _clausal_content(cx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """The reported clause: every clausal complement right of the cue, plus "… and that Y" conjuncts.

    The parser often hangs a second clause on the cue ("said he would serve should the chance arise" → two
    ccomps; "said that A, and that B" → ccomp + conj), so one complement alone cuts the content short.
    """
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    right = [c for c in comps if c.i > tok.i]
    left = [c for c in comps if c.i < tok.i]
    if not right:
        return subtree(cx, left[-1]) if left else _in_document(cx, tok)
    if left and _inverted_tail(cx, tok, left[-1], right[0]):
        return subtree(cx, left[-1])
    first = right[0]
    last = first.right_edge.i
    for c in tok.rights:
        if c.i <= first.i:
            continue
        if c.dep_ == "ccomp" or (c.dep_ == "conj" and any(m.dep_ == "mark" and m.lower_ == "that"
                                                              for m in c.children)):
            last = max(last, c.right_edge.i)
    end = cx.doc[last]
    return strip_span(cx, first.left_edge.idx, end.idx + len(end.text))


def _in_document(cx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """"says in a statement that X", "wrote in a letter that X": the parser hangs the clause on the document noun,
    but it is what the cue reports."""
    if cue_lemma(tok) not in SPEECH_VERBS or any(c.dep_ == "dobj" for c in tok.children):
        return None                         # "criticized X's assertion during a speech that …": the clause is X's
    for p in tok.rights:
        if p.dep_ != "prep" or p.lower_ != "in":
            continue
        for doc_noun in p.children:
            if doc_noun.dep_ != "pobj" or doc_noun.lemma_.lower() not in DOCUMENT_NOUNS:
                continue
            for c in doc_noun.rights:
                if c.dep_ in ("acl", "ccomp", "relcl") and c.left_edge.lower_ == "that" and any(
                        m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                    return subtree(cx, c)
    return None


def _inverted_tail(cx: QuoteContext, tok: Token, left: Token, right: Token) -> bool:
    """"X, said a former spokesman for Y, who …": a clause before ", cue" is the content and the clause the parser
    hung to the right holds the inverted speaker (it opens right at the cue, without "that")."""
    if any(c.dep_ in SUBJ for c in tok.children) or not (
            left.right_edge.i in (tok.i - 2, tok.i - 1) and cx.doc[tok.i - 1].text == ","
            and right.left_edge.i == tok.i + 1 and right.left_edge.lower_ != "that"):
        return False
    # up to the next comma only a noun phrase: "said his agency was working" / "says the cull “is likely …”" have a
    # finite verb there, so the clause right of the cue is what is said
    for t in cx.doc[tok.i + 1 : tok.sent.end]:
        if t.text in (",", ";", ".") or t.is_space:
            return True
        if t.tag_ in ("VBZ", "VBD", "VBP", "MD") or cx.inside[t.idx]:
            return False
    return True


def _inverted_speaker(cx: QuoteContext, tok: Token) -> Token | None:
    """The subject after the cue that the parser hung on a clause of its own ("…, said a former spokesman for Y,
    who …": ``_inverted_tail``)."""
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    left = [c for c in comps if c.i < tok.i]
    right = [c for c in comps if c.i > tok.i]
    if not left or not right or not _inverted_tail(cx, tok, left[-1], right[0]):
        return None
    return first_noun_after(cx, tok)


def _right_content(cx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """What the cue governs to its right: "accused Republicans of placing …", "praised the plan".

    Only the complements: adjuncts that set the scene ("… in their final debate", "when the poll was taken",
    ", saying …") are the writer's, and the listener of "told reporters" is an audience, not content.
    """
    kids: list[Token] = []
    for c in tok.rights:
        if c.dep_ not in _RIGHT_DEPS or c.ent_type_ in ("DATE", "TIME") or c.dep_ == "advcl":
            if kids and c.dep_ in ("advcl", "npadvmod", "prep", "punct") and c.text != "-":
                break
            continue
        if c.dep_ == "prep" and (c.lower_ in _SCENE_PREPS or kids and c.lower_ not in _ARG_PREPS):
            if kids:
                break
            continue
        if tok.lemma_ == "tell" and c.dep_ in ("dobj", "dative") and (c.pos_ in ("PRON", "PROPN") or
                                                                     c.ent_type_ in ("PERSON", "ORG", "NORP")):
            continue
        kids.append(c)
    if not kids:
        return None
    s, e = kids[0].left_edge, max(k.right_edge.i for k in kids)
    if e - s.i < 1:
        return None
    return strip_span(cx, s.idx, cx.doc[e].idx + len(cx.doc[e].text))


def _according(cx: QuoteContext, tok: Token) -> Attr | None:
    to = next(c for c in tok.children if c.lower_ == "to")
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    head = tok.head if tok.head.i != tok.i else None
    if head is None:
        return None
    content = minus(cx, head, tok)
    if content is None:
        return None
    content = clip_paragraph(cx, content, tok.idx)
    if content is None:
        return None
    return Attr(content[0], content[1], (tok.idx, to.idx + len(to.text)), src, False)


def _drop_nested(cx: QuoteContext, attrs: list[Attr]) -> list[Attr]:
    """A cue inside another attribution's content belongs to that content ("said he believed …"), unless it is
    the statement of another voice named there ("appears to contradict a joint statement from Washington and
    Baghdad that troops would withdraw"): that clause is the statement's, kept as a nested attribution."""
    keep = []
    for a in attrs:
        if a.cue and any(b is not a and b.start <= a.cue[0] < b.end for b in attrs) and not _own_voice(cx, a):
            continue
        keep.append(a)
    return keep


def _own_voice(cx: QuoteContext, a: Attr) -> bool:
    cue = cx.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand") if a.cue else None
    if cue is None or a.source is None or cue.root.pos_ != "NOUN" or cue.root.lemma_.lower() not in DOCUMENT_NOUNS:
        return False
    return a.source.i != cue.root.i and a.source.pos_ in ("PROPN", "NOUN") or a.source.i == cue.root.i
