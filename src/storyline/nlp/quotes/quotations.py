"""Quotations in marks given their attribution: the parse's attribution that covers them, the cue right before or
after the marks ("…,” he said", "X said: “…”", a signature after a dash, a clause ending in a colon), the speaker of
the report just before (a quotation opening the next paragraph), or the previous quotation's (one speaker's turn
over several quotations and paragraphs).  Also which marks are not speech (names, scare quotes) and where a
quotation never closed ends (``extract._context`` asks both before anything else runs).
"""

from __future__ import annotations

import re
from itertools import islice

from spacy.tokens import Token

from .context import Attr, QuoteContext
from .cues import ADJACENT_ONLY_VERBS, DOCUMENT_NOUNS, NAMING_WORDS, SPEECH_VERBS, cue_lemma
from .marks import MarkedQuote
from .spans import cue_span, span_text
from .speakers import cue_medium, cue_source, first_noun_after

_MAX_SCARE_WORDS = 4       # a closed quote this short with no cue is a term or a scare quote, not speech
_SIGNATURE = re.compile(r"(?:[ \t\u00a0]*[―—–]|\s*\n\s*[―—–-])[ \t\u00a0]*([A-Z][^\n“”\"()]{1,60}?)[ \t\u00a0.,]*(?=\n|$)")
FIRST_PERSON = ("i", "we", "me", "us")
SAME_TURN_CHARS = 400      # "“A,” he said. “B. … I hope …”": a few short paragraphs of one speaker's turn
_JOIN_PARAGRAPHS = 3      # paragraphs an open quotation may run on to its closing mark (``join_open_paragraphs``)
_REPORT_TAIL_CHARS = 30    # "…, Kerry said on Tuesday.": a short tail after the report still ends the paragraph
_ADJ_CUES = SPEECH_VERBS | ADJACENT_ONLY_VERBS | {"quote"}
_SENT_CUES = SPEECH_VERBS                    # verbs of a sentence whose speaker goes on in the quotation after it
_MARK_CHARS = frozenset("“”‘’\"'«»`")


def is_name(cx: QuoteContext, q: MarkedQuote) -> bool:
    """“Revenge of the Martyrs” after "called", or a one-word term: not speech."""
    words = cx.text[q.start : q.end].split()
    before = cx.text[max(0, q.open_at - 25) : q.open_at].lower().split()
    return bool(len(words) <= _MAX_SCARE_WORDS and before and before[-1].strip(",") in NAMING_WORDS)



def cut_unclosed(cx: QuoteContext) -> None:
    """A quote never closed that ends in ", warned X." / ", X said.": the quote stops at that comma."""
    for q in cx.marks:
        if q.closed:
            continue
        span = cx.doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if tok.lemma_ not in SPEECH_VERBS or tok.pos_ != "VERB":
                continue
            sent_end = tok.sent.end
            # at most 11: only "more than 10" matters (the whole rest of a long sentence was quadratic)
            tail = list(islice((t for t in cx.doc[tok.i + 1 : sent_end] if not t.is_space), 11))
            if len(tail) > 10 or (tail and tail[-1].text not in ".!?"):
                continue
            j = tok.i - 1
            while j > span.start and cx.doc[j].text != "," and tok.i - j <= 6:
                j -= 1
            if cx.doc[j].text == ",":
                q.end = cx.doc[j].idx
                q.close_at = q.end
                break



def join_open_paragraphs(cx: QuoteContext) -> None:
    """“How can there be business? ¶ The police vans are all around here,” said Li Mingtai: a quotation left open at
    its paragraph's end whose next paragraph opens with no mark but closes one goes on to that closing mark (the
    mark finder ends an open quotation at the paragraph; where paragraphs break inside sentences' runs, as in many
    scraped pages, the next paragraph is still the quotation).  At most ``_JOIN_PARAGRAPHS`` paragraphs on."""
    for q in cx.marks:
        if q.closed or not q.double:
            continue
        pos = q.end
        for _ in range(_JOIN_PARAGRAPHS):
            nl = cx.text.find("\n", pos)
            if nl < 0:
                break
            start = nl
            while start < len(cx.text) and cx.text[start].isspace():
                start += 1
            end = cx.text.find("\n", start)
            end = len(cx.text) if end < 0 else end
            para = cx.text[start:end]
            first = next((k for k, ch in enumerate(para) if ch in "“”\"«»"), None)
            if first is None:
                pos = end               # a whole paragraph of the quotation: look on
                continue
            if first == 0 or para[first] in "“«" or para[first - 1].isspace():
                break                   # a new quotation opens: the usual multi-paragraph style (``_continues``)
            close = start + first
            e = close
            while e > q.start and cx.text[e - 1].isspace():
                e -= 1
            q.end, q.close_at = e, close
            break


def with_marks(cx: QuoteContext, attrs: list[Attr]) -> list[Attr]:
    """Give every quoted span an attribution: the parse's, the adjacent cue's, or the previous quote's."""
    out = list(attrs)
    prev: Attr | None = None
    prev_q: MarkedQuote | None = None
    a: Attr | None
    for q in cx.marks:
        covering = [a for a in out if a.start < q.end and q.start < a.end]
        qlen = q.end - q.start
        if covering:
            a = max(covering, key=lambda a: min(a.end, q.end) - max(a.start, q.start))
            if qlen >= 0.5 * (a.end - a.start) or a.start >= q.start:
                a.start, a.end = min(a.start, q.start), max(q.end, a.end if a.end > q.end + 2 else q.end)
                if q.start <= a.start and a.end <= q.end + 1:
                    a.start, a.end = q.start, q.end
                a.direct = True
            prev, prev_q = a, q
            continue
        a = _adjacent(cx, q)
        short = len(cx.text[q.start : q.end].split()) <= _MAX_SCARE_WORDS
        if a is None and not short:
            a = _after_reported(cx, q, out)
        if a is None and not short and prev is not None and prev_q is not None and (
                _continues(cx, prev_q, q)):
            a = Attr(q.start, q.end, prev.cue, prev.source, True, prev.medium, speaker_span=prev.speaker_span)
            a.speaker, a.entity = prev.speaker, prev.entity
        if a is None and not short and q.double:
            a = _after_sentence(cx, q, out)
        if a is None:
            if short or not q.double:
                continue
            a = Attr(q.start, q.end, None, None, True)
        out.append(a)
        prev, prev_q = a, q
    return _one_content_per_cue(cx, out)



def _after_reported(cx: QuoteContext, q: MarkedQuote, attrs: list[Attr]) -> Attr | None:
    """"Kerry said that 100,000 would be accepted. ¶ “That adds up to 185,000 …”": a quotation opening a paragraph
    with no cue of its own, right after a paragraph whose last words report someone's speech in the narrative
    (not in marks), goes on in that speaker's voice.  The quote gets the speaker, not the cue: it is a second
    content, not part of the first."""
    para = cx.text.rfind("\n", 0, q.open_at) + 1
    if cx.text[para : q.open_at].strip() or not q.closed and _cue_after_close(cx, q.end):
        return None                         # not opening its paragraph, or a cue follows where it closes
    prev_end = para - 1
    while prev_end > 0 and cx.text[prev_end - 1].isspace():
        prev_end -= 1
    prev_para = cx.text.rfind("\n", 0, prev_end) + 1
    if prev_end <= prev_para or any(cx.inside[c] for c in range(prev_para, prev_end)):
        return None                         # no narrative paragraph just before, or one with its own quotation
    last = max((a for a in attrs if a.cue and prev_para <= a.cue[0] < prev_end and a.source is not None
                and not a.direct), key=lambda a: a.cue[0] if a.cue else 0, default=None)
    if last is None or last.source is None or last.source.pos_ == "PRON" and last.source.lower_ in FIRST_PERSON:
        return None
    tail = cx.text[max(last.end, last.cue[1] if last.cue else 0, last.source.idx + len(last.source)) : prev_end]
    if len(tail.strip(" .,;:!?”’\"")) > _REPORT_TAIL_CHARS:
        return None                         # the paragraph goes on in narrative after the report
    return Attr(q.start, q.end, None, last.source, True, last.medium)



def _after_sentence(cx: QuoteContext, q: MarkedQuote, attrs: list[Attr]) -> Attr | None:
    """"Iowa State University's Dianne Bystrom agreed. “Mainstream Republicans are …”", "Sam Lau said in a
    statement. “There are no …”": a quotation with no cue of its own, opening right after a sentence of the same
    paragraph whose verb of saying has a speaker, is in that speaker's voice.  When that verb already reports a
    clause the quotation is a second content and takes only the speaker (as in ``_after_reported``); else it is
    the verb's content."""
    if not q.closed or _cue_after_close(cx, q.end):
        return None
    k = q.open_at - 1
    while k > 0 and cx.text[k] in " \t\u00a0'\"“‘":
        k -= 1
    if k <= 0 or cx.text[k] not in ".:" or cx.inside[k]:
        return None                         # not right after the end of a sentence of narrative
    end = cx.doc.char_span(k, k + 1, alignment_mode="expand")
    if end is None:
        return None
    sent = cx.doc[end.start].sent
    if "\n" in cx.text[sent.start_char : k]:
        return None                         # the sentence before lies in another paragraph
    verbs = [t for t in sent if t.pos_ == "VERB" and not cx.inside[t.idx] and t.dep_ in ("ROOT", "conj")
             and cue_lemma(t) in _SENT_CUES]
    for verb in reversed(verbs):
        said = next((a for a in attrs if a.cue is not None and a.cue[0] == verb.idx), None)
        if said is not None:
            if said.direct or said.source is None:
                return None                 # "“A,” X said. “B.”" goes on as the same turn (``_continues``)
            return Attr(q.start, q.end, None, said.source, True, said.medium)
        src = cue_source(cx, verb)
        if src is not None and not cx.inside[src.idx] and src.pos_ in ("PROPN", "NOUN", "PRON"):
            return Attr(q.start, q.end, cue_span(verb), src, True, cue_medium(cx, verb))
    return None


def _cue_after_close(cx: QuoteContext, pos: int) -> bool:
    """A quotation left open at its paragraph's end (it goes on in the next) whose closing mark, paragraphs later,
    is followed by a cue naming its speaker ("… ¶ And this is in Texas,” Dr. Richard Besser told CBS")."""
    close = cx.text.find("”", pos, pos + SAME_TURN_CHARS * 4)
    after = cx.doc.char_span(close + 1, min(len(cx.text), close + 2), alignment_mode="expand") if close >= 0 else None
    if after is None:
        return False
    for t in cx.doc[after.start : min(len(cx.doc), after.start + 16)]:
        if t.text in ".!?“" or "\n" in t.text:
            break                           # the cue belongs to the closing sentence, in its paragraph
        if t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB":
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            # "…,” he said": the pronoun is the speaker just named, so the paragraph before still tells who
            return subj is None or subj.pos_ != "PRON"
    return False



def _one_content_per_cue(cx: QuoteContext, attrs: list[Attr]) -> list[Attr]:
    """A cue has one content.  When it introduces a quotation, a parse content of the same cue that runs up to
    the quote is its start ("said it’s unrealistic to think that if we pull back, “our oceans …”") and joins it;
    one elsewhere ("…,” he said as fighters worked out inside the gym", "told Britain’s ITV") is circumstance.
    """
    quoted: dict[tuple[int, int], list[Attr]] = {}
    for a in attrs:
        if a.direct and a.cue:
            quoted.setdefault(a.cue, []).append(a)
    out = []
    for a in attrs:
        if a.direct or a.cue not in quoted:
            out.append(a)
            continue
        for d in quoted[a.cue]:
            gap = cx.text[a.end : d.start]
            if a.start < d.start and a.end <= d.start and len(gap) < 60 and not any(c in gap for c in ".!?\n"):
                d.start = a.start
                break
    return out



def _continues(cx: QuoteContext, prev_q: MarkedQuote, q: MarkedQuote) -> bool:
    between = cx.text[prev_q.outer_end : q.open_at]
    if "\n" not in between:
        return len(between) < 300          # "“A,” he said. “B.”": same paragraph
    para_start = cx.text.rfind("\n", 0, q.open_at) + 1
    # a whole paragraph of narrative in between ends the speaker's turn
    return "\n" not in between.strip() and not cx.text[para_start : q.open_at].strip() and (
        not prev_q.closed or len(between.strip()) < 200)



def _adjacent(cx: QuoteContext, q: MarkedQuote) -> Attr | None:
    """Cue right after the closing mark ("…,” he said / said X) or right before the opening one (X said: “…");
    a name after a dash closing the paragraph signs the quote ("“…” ― Carla Sanchez")."""
    signed = _signature(cx, q)
    if signed is not None:
        return signed
    after = cx.doc.char_span(q.outer_end, min(len(cx.text), q.outer_end + 1), alignment_mode="expand")
    short = len(cx.text[q.start : q.end].split()) <= _MAX_SCARE_WORDS
    if after is not None and q.closed:
        i = after.start
        seen = 0
        while i < len(cx.doc) and seen < 7:
            tok = cx.doc[i]
            if tok.text in "“\"«" or "\n" in tok.text or (tok.text in ".!?" and seen):
                break
            if not tok.is_punct and not tok.is_space:
                seen += 1
            if tok.lemma_ in _ADJ_CUES and tok.pos_ in ("VERB", "AUX"):
                if _own_clause(tok, short):
                    break           # "On “Sunday Morning Futures,” Issa said X": the cue has its own content
                return _attr_from_cue(cx, tok, q)
            i += 1
        if not short:
            tail = _tail_speaker(cx, q, after.start)
            if tail is not None:
                return tail
    before = cx.doc.char_span(max(0, q.open_at - 1), q.open_at, alignment_mode="expand")
    if before is not None:
        j = before.end - 1
        # the opening mark may be a token of its own (a typewriter '' pair: ``open_at`` is its second character)
        while j >= 0 and (cx.doc[j].is_space or cx.doc[j].idx >= q.open_at
                          or cx.doc[j].idx == q.open_at - 1 and _is_mark(cx.doc[j].text)):
            j -= 1
        if j >= 0 and cx.doc[j].text in (":", ",", "that"):
            sent = cx.doc[j].sent
            for tok in reversed(cx.doc[sent.start : j + 1]):
                if tok.lemma_ in SPEECH_VERBS and tok.pos_ == "VERB" and not cx.inside[tok.idx]:
                    return _attr_from_cue(cx, tok, q)
            if cx.doc[j].text == ":":
                return _colon_intro(cx, j, q)
            if cx.doc[j].text == ",":
                return _comma_intro(cx, j, q)
    return None


def _tail_speaker(cx: QuoteContext, q: MarkedQuote, i: int) -> Attr | None:
    """"“…,” Katie Packer, who is chairman of Our Principles PAC, said in a statement", "“…?” Hannity pressed.",
    "“…” read the email.": a quotation that ends its sentence inside the marks (",", "?", "!") and is followed by a
    clause of a subject and a verb, however long the subject's apposition and whatever the verb, as long as the verb
    reports nothing of its own (no clause, no object): the clause names the speaker."""
    inner = cx.text[q.start : q.end].rstrip()
    if not inner or inner[-1] not in ",?!":
        return None
    sent_end = cx.doc[i].sent.end if i < len(cx.doc) else i
    for tok in cx.doc[i : min(sent_end, i + 24)]:
        if tok.text in "“\"«" or "\n" in tok.text or cx.inside[tok.idx]:
            return None
        if tok.pos_ != "VERB":
            continue
        kids = list(tok.children)
        if any(c.dep_ in ("ccomp", "xcomp") for c in kids):
            return None
        subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.i < tok.i and subj.left_edge.i == i:
            if any(c.dep_ == "dobj" for c in kids) or tok.dep_ not in ("ROOT", "parataxis", "ccomp"):
                return None                 # "“…,” Trump told a crowd that …" is found by the cue lists
            return Attr(q.start, q.end, cue_span(tok), subj, True, cue_medium(cx, tok))
        if tok.i == i and subj is not None and subj.i > tok.i:
            return Attr(q.start, q.end, cue_span(tok), subj, True, cue_medium(cx, tok))   # "“…” read the email"
        return None                         # the first verb after the quotation is not its speaker's
    return None


def _comma_intro(cx: QuoteContext, j: int, q: MarkedQuote) -> Attr | None:
    """"Hillary Clinton cracked, “I'm a progressive …”", "As Jeff Weiner put it in his memo, “…”": a clause that
    ends in a comma right before a quoted sentence, its verb with a subject and nothing it reports of its own
    (no object but "it", no clause), introduces the quotation whatever the verb."""
    first = cx.text[q.start : q.start + 1]
    if not first.isupper() or j == 0 or len(cx.text[q.start : q.end].split()) <= _MAX_SCARE_WORDS:
        return None                         # "“AC360,” “John King, USA”": titles, not speech
    verb = cx.doc[j - 1]
    while verb.pos_ != "VERB" and verb.head.i != verb.i and verb.head.i < j and verb.head.right_edge.i == j - 1:
        verb = verb.head                    # "called over her shoulder,": up from the end of the verb's phrase
    if verb.pos_ != "VERB" or verb.right_edge.i not in (j - 1, j) or cx.inside[verb.idx]:
        return None
    kids = list(verb.children)
    if any(c.dep_ in ("ccomp", "xcomp", "dative") or c.dep_ == "dobj" and c.lower_ != "it" for c in kids):
        return None                         # "she thanked the crowd, “…”": the verb has a content of its own
    subj = next((c for c in kids if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subj is None or cx.inside[subj.idx] or subj.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    a = _attr_from_cue(cx, verb, q)
    return a if a.source is not None else None



def _is_mark(text: str) -> bool:
    return bool(text) and all(c in _MARK_CHARS for c in text)


def _signature(cx: QuoteContext, q: MarkedQuote) -> Attr | None:
    if not q.closed:
        return None
    m = _SIGNATURE.match(cx.text, q.outer_end)
    if m is None:
        return None
    span = cx.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
    if span is None or not any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in span):
        return None
    return Attr(q.start, q.end, None, span.root, True)



def _own_clause(tok: Token, short: bool) -> bool:
    """The cue after a quote governs a clause of its own ("…,” he said, adding that B"; "On “Fox News Sunday,”
    Issa said X"), so the quote is not its content.  Only a "that" clause or a short (title-like) quote counts:
    "said Robin Maynard, half joking" parses as a clause too."""
    for c in tok.children:
        if c.dep_ != "ccomp" or c.i < tok.i:
            continue
        first = c.left_edge
        if short or first.lower_ == "that":
            return True
    return False



def _colon_intro(cx: QuoteContext, j: int, q: MarkedQuote) -> Attr | None:
    """A clause ending in a colon introduces the quote after it whatever its verb ("As Tom Ridge put it: “…”",
    "She addressed the supporters again: “…”"); with no verb, the name before the colon speaks
    ("Michael P. McDonald: “…”")."""
    para = cx.text.rfind("\n", 0, cx.doc[j].idx) + 1
    toks = [t for t in cx.doc[cx.doc[j].sent.start : j] if t.idx >= para and not cx.inside[t.idx]]
    verbs = [t for t in toks if t.pos_ == "VERB" and t.dep_ in ("ROOT", "conj", "ccomp", "advcl", "relcl")]
    dash = max((k for k, t in enumerate(toks) if t.text in ("-", "—", "–", "--") and t.whitespace_), default=-1)
    if verbs and verbs[-1].i < toks[dash].i if dash >= 0 else False:
        verbs = []                          # "RED STATES OUTNUMBER BLUE STATES - Jeffrey M. Jones: “…”": the name
    if verbs:
        root = min(verbs, key=lambda t: (len(list(t.ancestors)), -t.i))
        a = _attr_from_cue(cx, root, q)
        return a if a.source is not None else None
    toks = toks[dash + 1 :]
    names = [t for t in toks if t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG")]
    if not names:                           # "From the report: “…”": the document speaks
        names = [t for t in toks if t.pos_ == "NOUN" and t.lemma_.lower() in DOCUMENT_NOUNS]
    if not names or len(toks) > 8:
        return None
    colon = cx.doc[j]
    return Attr(q.start, q.end, (colon.idx, colon.idx + 1), names[-1], True)



def _attr_from_cue(cx: QuoteContext, tok: Token, q: MarkedQuote) -> Attr:
    src = cue_source(cx, tok)
    a = Attr(q.start, q.end, cue_span(tok), src, True, cue_medium(cx, tok))
    if tok.lemma_ == "quote":
        a.medium = span_text(cx, src) if src is not None else None
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        # "X was quoted as saying by AFP": the passive's subject is the one quoted, the agent the medium
        a.source = obj or next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    elif src is None:  # inverted: "…,” said the commander."
        nxt = next((c for c in tok.rights if c.pos_ in ("PROPN", "NOUN", "PRON")), None)
        a.source = nxt or first_noun_after(cx, tok)
    return a
