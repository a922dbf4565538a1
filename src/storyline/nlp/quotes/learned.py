"""The learned path of quote extraction: attributions whose cue no rule knows (see ``attribution``).

Runs after the parse rules and before quotation marks are attached, so a learned content that covers a quotation
becomes that quotation's attribution just as a rule content would.  Rule attributions are never dropped and keep
their cue and speaker; only an indirect content may get the content model's boundaries when it clearly prefers them
(``_rebound``).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from .attribution import learned_cues
from .attribution_spans import choose
from .context import Attr, QuoteContext, content_probs_of
from .cues import COGNITION_VERBS, LEARNED_VERBS, SPEECH_VERBS, cue_lemma
from .spans import clip_paragraph, cue_span, strip_span
from .speakers import (
    SUBJ,
    cue_medium,
    cue_source,
    inverted_source,
    left_subject,
    own_subject,
    passive_agent,
    possessor,
    writer_voice,
)

# verbs at which an indirect content that runs on into a second clause is cut (``_before_inner_cue``)
_INNER_CUES = SPEECH_VERBS | COGNITION_VERBS | LEARNED_VERBS


def with_learned(cx: QuoteContext, attrs: list[Attr]) -> list[Attr]:
    """Add the learned cues' attributions, most confident first, where no attribution claims the words yet."""
    if cx.model is None:
        return attrs
    if cx.model.drop_threshold > 0.0:
        attrs = [a for a in attrs if not _unlikely_cue(cx, a)]
    if cx.model.switch_margin > 0.0:
        attrs = [_rebound(cx, a, attrs) for a in attrs]
    # the clause cut off at its own cue speaks in the voice of the attribution it was cut from ("X said A and added
    # B": the parser often hangs "added" on A's verb, whose subject is not the speaker)
    inner_voice: dict[int, Token] = {}
    attrs = [_before_inner_cue(cx, a, inner_voice) for a in attrs]
    blocked = bytearray(len(cx.text) + 1)
    for a in attrs:
        _block(blocked, a.start, a.end)
        if a.cue:
            _block(blocked, *a.cue)
    cands = learned_cues(cx.model, list(cx.doc), blocked, cx.inside)
    out = list(attrs)
    for tok, _ in sorted(cands, key=lambda x: (-x[1], x[0].i)):
        if blocked[tok.idx]:
            continue
        best = cx.model.best_span(content_probs_of(cx, tok), tok.i)
        if best is None:
            continue
        first, last = cx.doc[best[1]], cx.doc[best[2] - 1]
        content = clip_paragraph(cx, strip_span(cx, first.idx, last.idx + len(last.text)), tok.idx)
        if content is None:
            continue
        s, e = content
        if sum(blocked[s:e]) > 0.3 * (e - s):
            continue                             # mostly words the rules already attributed
        cue = cue_span(tok)
        a = Attr(s, e, cue, inner_voice.get(tok.i) or _learned_source(cx, tok, content), False, cue_medium(cx, tok))
        _block(blocked, s, e)
        _block(blocked, *cue)
        out.append(a)
    if cx.model.bound:
        snapshot = list(out)
        out = [_recut(cx, a, snapshot) for a in out]
    return out


def _recut(cx: QuoteContext, a: Attr, attrs: list[Attr]) -> Attr:
    """The attribution with the span-boundary model's cut of its indirect content (``attribution_spans``):
    trailing adjuncts off, a left-out second conjunct on.  Same guards as ``_rebound``."""
    model = cx.model
    if a.cue is None or a.direct or model is None:
        return a
    cue_span = cx.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
    span = cx.doc.char_span(a.start, a.end, alignment_mode="expand")
    if cue_span is None or span is None or not len(span):
        return a
    cue = cue_span.root
    ps = cx.text.rfind("\n", 0, cue.idx) + 1
    pe = cx.text.find("\n", cue.idx)
    s_i, e_i = choose(cue, span.start, span.end, (ps, len(cx.text) if pe < 0 else pe), model.bound_score,
                      model.bound_margin)
    if (s_i, e_i) == (span.start, span.end):
        return a
    last = cx.doc[e_i - 1]
    s, e = strip_span(cx, cx.doc[s_i].idx, last.idx + len(last.text))
    if e - s < 2 or (s, e) == (a.start, a.end):
        return a
    if any(cx.inside[s : min(e, a.start)]) or any(cx.inside[max(s, a.end) : e]):
        return a                                 # never grows into a quotation (the marks pass owns those)
    return a if _collides(cx, a, s, e, attrs) else replace(a, start=s, end=e)


def _rebound(cx: QuoteContext, a: Attr, attrs: list[Attr]) -> Attr:
    """The rule attribution with the learned content boundaries when the content model clearly prefers them
    (the rule clause swallowed a gloss, or stopped at the first of two conjoined clauses).  Only for indirect
    speech inside the cue's sentence, and never onto words of another attribution or the speaker."""
    model = cx.model
    if a.cue is None or a.direct or model is None:
        return a
    span = cx.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
    if span is None:
        return a
    cue = span.root
    sent = cue.sent
    if a.start < sent.start_char or a.end > sent.end_char:
        return a
    probs = content_probs_of(cx, cue)
    best = model.best_span(probs, cue.i)
    if best is None or best[0] - model.span_margin(probs, a.start, a.end) <= model.switch_margin:
        return a
    first, last = cx.doc[best[1]], cx.doc[best[2] - 1]
    content = clip_paragraph(cx, strip_span(cx, first.idx, last.idx + len(last.text)), cue.idx)
    if content is None or content == (a.start, a.end):
        return a
    s, e = content
    return a if _collides(cx, a, s, e, attrs) else replace(a, start=s, end=e)


def _before_inner_cue(cx: QuoteContext, a: Attr, inner_voice: dict[int, Token]) -> Attr:
    """An indirect content that runs on into a clause with a cue of its own ("… that she has released her tax
    returns, and called on Sanders to do the same", "… expanded the party, claiming that …") ends before that clause:
    PolNeAR gives every word one attribution, and the clause is the second one, which the learned pass then reads
    from its own cue."""
    model = cx.model
    if a.cue is None or a.direct or model is None:
        return a
    span = cx.doc.char_span(a.start, a.end, alignment_mode="expand")
    if span is None or len(span) < 4:
        return a
    for tok in span[2:]:
        if tok.dep_ not in ("conj", "advcl") or tok.pos_ != "VERB" or cx.inside[tok.idx] or tok.head.i < span.start:
            continue
        if tok.dep_ == "advcl" and cx.doc[tok.i - 1].text != ",":
            continue                        # "drove through the streets blasting music": no adjunct of the speaker
        if cue_lemma(tok) not in _INNER_CUES:
            continue                        # "… outgunned by loyalists, spared the wrath of …": a verb the cue lists know
        if any(c.dep_ in SUBJ for c in tok.children) or writer_voice(tok) or model.cue_prob(tok) < model.cue_threshold:
            continue                        # a clause with its own subject may be part of what is reported
        cut = tok.left_edge.i
        while cut > span.start and (cx.doc[cut - 1].is_punct or cx.doc[cut - 1].dep_ == "cc"):
            cut -= 1
        if cut - span.start < 2:
            return a
        last = cx.doc[cut - 1]
        s, e = strip_span(cx, a.start, last.idx + len(last.text))
        if e - s < 2:
            return a
        if a.source is not None:
            inner_voice[tok.i] = a.source
        return replace(a, start=s, end=e)
    return a


def _collides(cx: QuoteContext, a: Attr, s: int, e: int, attrs: list[Attr]) -> bool:
    """A new content [s, e) for ``a`` would take in its speaker, a typewriter '' pair, or the content or cue of
    another attribution: the guards every boundary change shares."""
    if a.source is not None and s <= a.source.idx < e:
        return True
    if _quoted(cx, s, e):
        return True
    return any(b is not a and (b.start < e and s < b.end or (b.cue is not None and b.cue[0] < e and s < b.cue[1]))
               for b in attrs)


def _quoted(cx: QuoteContext, s: int, e: int) -> bool:
    """The span holds a typewriter '' pair: the quotation-mark pass does not see those as marks, so a learned
    span across one splits the quotation from its speaker."""
    return "''" in cx.text[s:e]


def _unlikely_cue(cx: QuoteContext, a: Attr) -> bool:
    """A rule attribution whose cue the cue model all but rules out ("called it X", "seems", "showed")."""
    if a.cue is None or a.direct or cx.model is None:
        return False
    span = cx.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
    if span is None or span.root.lower_ == "according":
        return False
    return cx.model.cue_prob(span.root) < cx.model.drop_threshold


def _block(blocked: bytearray, s: int, e: int) -> None:
    blocked[s:e] = b"\x01" * (e - s)


def _learned_source(cx: QuoteContext, tok: Token, content: tuple[int, int]) -> Token | None:
    """The rules' speaker logic for a cue they did not know: possessor of a noun cue ("Trump's vow"), the
    subject, the subject after the cue when the content comes first, the subject up the tree, the noun phrase
    before."""
    if tok.pos_ == "NOUN":
        poss = possessor(tok)
        if poss is not None:
            return poss
    if writer_voice(tok):
        return None
    src = passive_agent(tok) or own_subject(cx, tok)
    if src is not None and content[0] <= src.idx < content[1]:
        src = None
    if src is None and content[1] <= tok.idx:
        src = inverted_source(tok)
    return src or cue_source(cx, tok) or left_subject(cx, tok, content)
