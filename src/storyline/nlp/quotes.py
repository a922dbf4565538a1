"""Quotes and reported speech with their speaker, cue and medium.

Two sources of evidence are combined:
1. the dependency parse: a cue verb ("said", "warned", "believes") with a clausal complement, "according to X",
   inverted order ("…, the commander said"), "AP quoted X as saying";
2. quotation marks (``quote_marks``): the words inside marks are the content of a direct quote even where the parser
   split them into several sentences; a quote without its own cue takes the cue next to it, or continues the previous
   quote ("“A,” he said. “B.”" and multi-paragraph quotes).
Speakers resolve through ``EntityIndex`` (names, pronouns, role nouns); statements of bodies go to the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import Entity, Quote, content_id
from .entities import EntityIndex
from .quote_cues import (
    ADJ_CUES,
    ADJACENT_ONLY_VERBS,
    COGNITION_VERBS,
    HEADLINE_VERBS,
    LEARNED_VERBS,
    MEDIA_HINTS,
    NAMING_WORDS,
    NOUN_CUE_PREPS,
    NOUN_CUES,
    OBJECT_CONTENT_VERBS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    XCOMP_CONTENT_VERBS,
    cue_lemma,
)
from .quote_marks import MarkedQuote, find_marked_quotes, headline_attributions

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_BODY_PREPS = ("from", "by", "of")
_MAX_SCARE_WORDS = 4
_SCENE_PREPS = frozenset({"in", "on", "at", "during", "after", "before", "since", "while", "amid", "despite", "through",
                          "throughout", "until", "near", "inside", "outside", "across", "via", "when"})
_ARG_PREPS = frozenset({"of", "for", "as", "to", "about", "against", "with", "into", "over", "from", "on", "that"})
_SENT_END = re.compile(r"[.!?][”’\"]?\s")
_CUE_VERBS = SPEECH_VERBS | COGNITION_VERBS | LEARNED_VERBS
_RIGHT_DEPS = ("dobj", "xcomp", "prep", "dative", "oprd", "ccomp", "advcl", "acomp", "attr", "pcomp", "prt")
_ADJ_CUES = SPEECH_VERBS | ADJACENT_ONLY_VERBS | {"quote"}     # a closed quote this short with no cue is a term or a scare quote, not speech


@dataclass(slots=True)
class _Attr:
    start: int
    end: int
    cue: tuple[int, int] | None
    source: Token | None
    direct: bool = False
    medium: str | None = None
    speaker: str | None = None
    entity: Entity | None = None
    speaker_span: tuple[int, int] | None = None


def extract_quotes(doc: Doc, article_id: str, entities: list[Entity] | EntityIndex | None = None) -> list[Quote]:
    """All quotes and attributions of one article, ordered by position; offsets are into ``doc.text``."""
    index = entities if isinstance(entities, EntityIndex) else (
        EntityIndex(doc, entities) if entities is not None else EntityIndex.build(doc, article_id))
    return _Extractor(doc, index).run(article_id)


class _Extractor:
    def __init__(self, doc: Doc, index: EntityIndex) -> None:
        self.doc = doc
        self.text = doc.text
        self.index = index
        self.marks = [q for q in find_marked_quotes(self.text) if not self._is_name(q)]
        self._cut_unclosed()
        self.inside = bytearray(len(self.text) + 1)
        for q in self.marks:
            for c in range(q.start, q.end):
                self.inside[c] = 1

    # ---- driver -------------------------------------------------------------------------------------------------
    def run(self, article_id: str) -> list[Quote]:
        attrs = self._with_headline(self._parse_attributions())
        attrs = self._with_marks(attrs)
        out: list[Quote] = []
        seen: set[tuple[int, int]] = set()
        for a in sorted(attrs, key=lambda a: (a.start, a.end)):
            if (a.start, a.end) in seen or a.end <= a.start:
                continue
            seen.add((a.start, a.end))
            self._resolve(a)
            cue_text = self.text[a.cue[0] : a.cue[1]] if a.cue else None
            out.append(Quote(
                id=content_id("quote", article_id, a.start, a.end),
                article_id=article_id, start=a.start, end=a.end, text=self.text[a.start : a.end],
                speaker=a.speaker, speaker_entity_id=a.entity.id if a.entity else None, cue=cue_text,
                direct=a.direct, speaker_start=a.speaker_span[0] if a.speaker_span else None,
                speaker_end=a.speaker_span[1] if a.speaker_span else None,
                cue_start=a.cue[0] if a.cue else None, cue_end=a.cue[1] if a.cue else None, medium=a.medium,
            ))
        return out

    def _with_headline(self, attrs: list[_Attr]) -> list[_Attr]:
        """A headline read off its surface replaces what the parser made of it."""
        heads = headline_attributions(self.text, HEADLINE_VERBS)
        if not heads:
            return attrs
        line_end = max(h.content[1] for h in heads)
        out = [a for a in attrs if not (a.cue and a.cue[0] < line_end)]
        for h in heads:
            a = _Attr(h.content[0], h.content[1], h.cue, None, False, speaker_span=h.source)
            ent = self.index.at(*h.source)
            a.entity = ent
            a.speaker = ent.name if ent is not None else self.text[h.source[0] : h.source[1]]
            out.append(a)
        return out

    # ---- quotation marks ----------------------------------------------------------------------------------------
    def _is_name(self, q: MarkedQuote) -> bool:
        """“Revenge of the Martyrs” after "called", or a one-word term: not speech."""
        words = self.text[q.start : q.end].split()
        before = self.text[max(0, q.open_at - 25) : q.open_at].lower().split()
        return bool(len(words) <= _MAX_SCARE_WORDS and before and before[-1].strip(",") in NAMING_WORDS)

    def _cut_unclosed(self) -> None:
        """A quote never closed that ends in ", warned X." / ", X said.": the quote stops at that comma."""
        for q in self.marks:
            if q.closed:
                continue
            span = self.doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                if tok.lemma_ not in SPEECH_VERBS or tok.pos_ != "VERB":
                    continue
                sent_end = tok.sent.end
                tail = [t for t in self.doc[tok.i + 1 : sent_end] if not t.is_space]
                if len(tail) > 10 or (tail and tail[-1].text not in ".!?"):
                    continue
                j = tok.i - 1
                while j > span.start and self.doc[j].text != "," and tok.i - j <= 6:
                    j -= 1
                if self.doc[j].text == ",":
                    q.end = self.doc[j].idx
                    q.close_at = q.end
                    break

    def _with_marks(self, attrs: list[_Attr]) -> list[_Attr]:
        """Give every quoted span an attribution: the parse's, the adjacent cue's, or the previous quote's."""
        out = list(attrs)
        prev: _Attr | None = None
        prev_q: MarkedQuote | None = None
        for q in self.marks:
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
            a = self._adjacent(q)
            short = len(self.text[q.start : q.end].split()) <= _MAX_SCARE_WORDS
            if a is None and not short and prev is not None and prev_q is not None and (
                    self._continues(prev_q, q)):
                a = _Attr(q.start, q.end, prev.cue, prev.source, True, prev.medium, speaker_span=prev.speaker_span)
                a.speaker, a.entity = prev.speaker, prev.entity
            if a is None:
                if short or not q.double:
                    continue
                a = _Attr(q.start, q.end, None, None, True)
            out.append(a)
            prev, prev_q = a, q
        return self._one_content_per_cue(out)

    def _one_content_per_cue(self, attrs: list[_Attr]) -> list[_Attr]:
        """A cue has one content.  When it introduces a quotation, a parse content of the same cue that runs up to
        the quote is its start ("said it’s unrealistic to think that if we pull back, “our oceans …”") and joins it;
        one elsewhere ("…,” he said as fighters worked out inside the gym", "told Britain’s ITV") is circumstance.
        """
        quoted: dict[tuple[int, int], list[_Attr]] = {}
        for a in attrs:
            if a.direct and a.cue:
                quoted.setdefault(a.cue, []).append(a)
        out = []
        for a in attrs:
            if a.direct or a.cue not in quoted:
                out.append(a)
                continue
            for d in quoted[a.cue]:
                gap = self.text[a.end : d.start]
                if a.start < d.start and a.end <= d.start and len(gap) < 60 and not any(c in gap for c in ".!?\n"):
                    d.start = a.start
                    break
        return out

    def _continues(self, prev_q: MarkedQuote, q: MarkedQuote) -> bool:
        between = self.text[prev_q.outer_end : q.open_at]
        if "\n" not in between:
            return len(between) < 300          # "“A,” he said. “B.”": same paragraph
        para_start = self.text.rfind("\n", 0, q.open_at) + 1
        # a whole paragraph of narrative in between ends the speaker's turn
        return "\n" not in between.strip() and not self.text[para_start : q.open_at].strip() and (
            not prev_q.closed or len(between.strip()) < 200)

    def _adjacent(self, q: MarkedQuote) -> _Attr | None:
        """Cue right after the closing mark ("…,” he said / said X) or right before the opening one (X said: “…")."""
        after = self.doc.char_span(q.outer_end, min(len(self.text), q.outer_end + 1), alignment_mode="expand")
        short = len(self.text[q.start : q.end].split()) <= _MAX_SCARE_WORDS
        if after is not None and q.closed:
            i = after.start
            seen = 0
            while i < len(self.doc) and seen < 7:
                tok = self.doc[i]
                if tok.text in "“\"«" or "\n" in tok.text or (tok.text in ".!?" and seen):
                    break
                if not tok.is_punct and not tok.is_space:
                    seen += 1
                if tok.lemma_ in _ADJ_CUES and tok.pos_ in ("VERB", "AUX"):
                    if self._own_clause(tok, short):
                        break           # "On “Sunday Morning Futures,” Issa said X": the cue has its own content
                    return self._attr_from_cue(tok, q)
                i += 1
        before = self.doc.char_span(max(0, q.open_at - 1), q.open_at, alignment_mode="expand")
        if before is not None:
            j = before.end - 1
            while j >= 0 and (self.doc[j].is_space or self.doc[j].idx >= q.open_at):
                j -= 1
            if j >= 0 and self.doc[j].text in (":", ",", "that"):
                sent = self.doc[j].sent
                for tok in reversed(self.doc[sent.start : j + 1]):
                    if tok.lemma_ in SPEECH_VERBS and tok.pos_ == "VERB" and not self.inside[tok.idx]:
                        return self._attr_from_cue(tok, q)
                if self.doc[j].text == ":":
                    return self._colon_intro(j, q)
        return None

    def _own_clause(self, tok: Token, short: bool) -> bool:
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

    def _colon_intro(self, j: int, q: MarkedQuote) -> _Attr | None:
        """A clause ending in a colon introduces the quote after it whatever its verb ("As Tom Ridge put it: “…”",
        "She addressed the supporters again: “…”"); with no verb, the name before the colon speaks
        ("Michael P. McDonald: “…”")."""
        para = self.text.rfind("\n", 0, self.doc[j].idx) + 1
        toks = [t for t in self.doc[self.doc[j].sent.start : j] if t.idx >= para and not self.inside[t.idx]]
        verbs = [t for t in toks if t.pos_ == "VERB" and t.dep_ in ("ROOT", "conj", "ccomp", "advcl", "relcl")]
        if verbs:
            root = min(verbs, key=lambda t: (len(list(t.ancestors)), -t.i))
            a = self._attr_from_cue(root, q)
            return a if a.source is not None else None
        names = [t for t in toks if t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG")]
        if not names or len(toks) > 8:
            return None
        colon = self.doc[j]
        return _Attr(q.start, q.end, (colon.idx, colon.idx + 1), names[-1], True)

    def _attr_from_cue(self, tok: Token, q: MarkedQuote) -> _Attr:
        src = self._source(tok)
        a = _Attr(q.start, q.end, self._cue_span(tok), src, True, self._medium(tok))
        if tok.lemma_ == "quote":
            a.medium = self._span_text(src) if src is not None else None
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            a.source = obj
        elif src is None:  # inverted: "…,” said the commander."
            nxt = next((c for c in tok.rights if c.pos_ in ("PROPN", "NOUN", "PRON")), None)
            a.source = nxt or self._first_noun_after(tok)
        return a

    def _first_noun_after(self, tok: Token) -> Token | None:
        """The head of the first noun phrase right after a cue, however the parser attached it ("said Robin
        Maynard, half joking" with Maynard as the subject of "joking")."""
        for t in self.doc[tok.i + 1 : min(tok.i + 7, tok.sent.end)]:
            if t.is_punct or t.pos_ in ("DET", "ADJ", "NUM"):
                continue
            if t.pos_ not in ("PROPN", "NOUN", "PRON") or t.ent_type_ in ("DATE", "TIME"):
                return None
            while t.dep_ in ("compound", "amod") and t.head.i > t.i and t.head.pos_ in ("PROPN", "NOUN"):
                t = t.head
            return t
        return None

    # ---- the parse ----------------------------------------------------------------------------------------------
    def _parse_attributions(self) -> list[_Attr]:
        out: list[_Attr] = []
        for tok in self.doc:
            if self.inside[tok.idx]:
                continue                            # speech verbs inside a quote belong to the quoted speaker
            if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
                a = self._according(tok)
            elif tok.pos_ == "VERB" and (cue_lemma(tok) in _CUE_VERBS):
                a = self._verb(tok)
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES:
                a = self._noun(tok)
            elif tok.lower_ in ADJ_CUES and tok.dep_ in ("acomp", "oprd", "ROOT", "xcomp"):
                a = self._adjective(tok)
            else:
                a = None
            if a is not None:
                out.append(a)
        return self._drop_nested(out)

    def _noun(self, tok: Token) -> _Attr | None:
        """Noun cues: "Trump’s assertion that X", "criticism of Y from Z", "made the claim that X".

        Only with a holder (possessive, "by/from" phrase, or the subject of the verb the noun is the object of):
        a bare "the claim that …" is the writer's framing more often than someone's statement."""
        content = None
        for c in tok.rights:
            if c.dep_ in ("acl", "ccomp", "relcl") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children):
                content = self._subtree(c)
                break
            if c.dep_ == "prep" and c.lower_ in NOUN_CUE_PREPS.get(tok.lemma_.lower(), ()):
                pobj = next((x for x in c.children if x.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    content = self._subtree(pobj)
                    break
        nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        if content is None and nxt is not None and nxt.lower_ == "that" and nxt.dep_ == "mark" and (
                nxt.head.dep_ == "ccomp" and nxt.head.head.i < tok.i):
            content = self._subtree(nxt.head)       # "stood by her assertion that X": X hung on the verb
        if content is None:
            return None
        content = self._clip_paragraph(content, tok.idx)
        if content is None:
            return None
        src = next((c for c in tok.children if c.dep_ == "poss"), None)
        if src is None:
            for c in tok.children:
                if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from") and c.i < content[0] + 1:
                    src = next((x for x in c.children if x.dep_ == "pobj"), None)
        if src is None and tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
            src = next((c for c in tok.head.children if c.dep_ in ("nsubj",)), None)
        if src is None or src.pos_ == "DET":
            return None
        return _Attr(content[0], content[1], (tok.idx, tok.idx + len(tok.text)), src, False)

    def _adjective(self, tok: Token) -> _Attr | None:
        """Stance adjectives: "they are convinced that X", "Cruz is eager to Y", "voters are wary of Z"."""
        content = None
        for c in tok.rights:
            if c.dep_ in ("ccomp", "xcomp"):
                content = self._subtree(c)
            elif c.dep_ == "prep" and c.lower_ in ("of", "about", "over", "with", "in"):
                pobj = next((x for x in c.children if x.dep_ in ("pobj", "pcomp")), None)
                content = self._subtree(pobj) if pobj is not None else None
            if content is not None:
                break
        if content is None or (content := self._clip_paragraph(content, tok.idx)) is None:
            return None
        head = tok.head if tok.dep_ != "ROOT" else tok
        src = next((c for c in head.children if c.dep_ in _SUBJ), None) or next(
            (c for c in tok.children if c.dep_ in _SUBJ), None)
        if src is None or src.pos_ == "DET" or src.lower_ in ("it", "this", "that"):
            return None                             # "it is clear that …": nobody holds the stance
        return _Attr(content[0], content[1], (tok.idx, tok.idx + len(tok.text)), src, False)

    def _verb(self, tok: Token) -> _Attr | None:
        lemma = cue_lemma(tok)
        if lemma == "quote":
            return None          # "AP quoted X as saying": handled next to the quotation (``_attr_from_cue``)
        content = self._clausal_content(tok)
        prev = self.doc[tok.i - 1] if tok.i > 0 else tok
        if content is None and lemma in SPEECH_VERBS and tok.head.i < tok.i and (
            tok.dep_ == "parataxis" or tok.dep_ in ("conj", "advcl") and prev.text == ","
        ):
            content = self._minus(tok.head, tok)   # "The US seeks …, warned X." / "X, he said, Y"
        if content is None and lemma in XCOMP_CONTENT_VERBS:
            x = next((c for c in tok.children if c.dep_ == "xcomp"), None)
            if x is not None:
                content = self._subtree(x)
        if content is None and lemma in OBJECT_CONTENT_VERBS:
            o = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
            if o is not None:
                content = self._subtree(o)
        if content is None and lemma in LEARNED_VERBS:
            content = self._right_content(tok)
        if content is None:
            return None
        content = self._clip_paragraph(content, tok.idx)
        if content is None:
            return None
        src = next((c for c in tok.children if c.dep_ in _SUBJ), None)
        if src is None and content[1] <= tok.idx:
            src = self._inverted_source(tok)
        src = src or self._source(tok) or self._left_subject(tok, content)
        return _Attr(content[0], content[1], self._cue_span(tok), src, False, self._medium(tok))

    def _clausal_content(self, tok: Token) -> tuple[int, int] | None:
        """The reported clause: every clausal complement right of the cue, plus "… and that Y" conjuncts.

        The parser often hangs a second clause on the cue ("said he would serve should the chance arise" → two
        ccomps; "said that A, and that B" → ccomp + conj), so one complement alone cuts the content short.
        """
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        right = [c for c in comps if c.i > tok.i]
        if not right:
            return self._subtree(comps[-1]) if comps else None
        first = right[0]
        last = first.right_edge.i
        for c in tok.rights:
            if c.i <= first.i:
                continue
            if c.dep_ == "ccomp" or (c.dep_ == "conj" and any(m.dep_ == "mark" and m.lower_ == "that"
                                                                  for m in c.children)):
                last = max(last, c.right_edge.i)
        end = self.doc[last]
        return self._strip(first.left_edge.idx, end.idx + len(end.text))

    def _right_content(self, tok: Token) -> tuple[int, int] | None:
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
        return self._strip(s.idx, self.doc[e].idx + len(self.doc[e].text))

    def _inverted_source(self, tok: Token) -> Token | None:
        """"…, said a joint statement." / "…, warned member of parliament X.": the speaker follows the cue."""
        if tok.lemma_ == "tell":
            return None                             # "told Military Times": the object is the audience
        cands = [c for c in tok.rights if c.dep_ in ("nsubj", "dobj", "attr", "npadvmod") and c.pos_ in ("NOUN", "PROPN")
                 and c.ent_type_ not in ("DATE", "TIME") and c.i - tok.i <= 5]
        named = [c for c in cands if c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")]
        return (named or cands or [None])[0]

    def _left_subject(self, tok: Token, content: tuple[int, int]) -> Token | None:
        """Parser gave no subject: the nearest noun phrase before the cue, outside the content, in the sentence."""
        if tok.dep_ != "ROOT":
            return None
        para = self.text.rfind("\n", 0, tok.idx) + 1
        for chunk in reversed(list(self.doc[tok.sent.start : tok.i].noun_chunks)):
            r = chunk.root
            if r.idx < para or content[0] <= r.idx < content[1] or self.inside[r.idx]:
                continue
            if r.ent_type_ in ("DATE", "TIME") or r.dep_ not in ("nsubj", "ROOT", "appos", "conj"):
                continue
            return r
        return None

    def _clip_paragraph(self, span: tuple[int, int], at: int) -> tuple[int, int] | None:
        """Content never crosses a line break away from its cue (headlines, datelines, captions)."""
        ps = self.text.rfind("\n", 0, at) + 1
        pe = self.text.find("\n", at)
        pe = len(self.text) if pe < 0 else pe
        s, e = max(span[0], ps), min(span[1], pe)
        if e - s < 2:
            return None
        return self._trim_tail(*self._strip(s, e))

    def _trim_tail(self, s: int, e: int) -> tuple[int, int]:
        """Drop a trailing non-restrictive modifier: "…Zika virus, which is spread by mosquitoes", "…Hyde
        Amendment, a longstanding federal provision …", "…, putting them ahead of Rubio" are the writer's gloss."""
        span = self.doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) < 6:
            return s, e
        last = span[-1].i
        for tok in span[2:-2]:
            if tok.text != "," or self.inside[tok.idx]:
                continue
            nxt = self.doc[tok.i + 1]
            m = nxt
            while m.head.i != m.i and m.head.left_edge.i == nxt.i and span.start <= m.head.i <= last:
                m = m.head
            kind = m.dep_ in ("relcl", "appos") or (m.dep_ in ("advcl", "acl") and m.tag_ == "VBG")
            if kind and m.left_edge.i == nxt.i and m.right_edge.i >= last - 1 and m.head.i < tok.i:
                return self._strip(s, tok.idx)
        return s, e

    def _according(self, tok: Token) -> _Attr | None:
        to = next(c for c in tok.children if c.lower_ == "to")
        src = next((c for c in to.children if c.dep_ == "pobj"), None)
        head = tok.head if tok.head.i != tok.i else None
        if head is None:
            return None
        content = self._minus(head, tok)
        if content is None:
            return None
        content = self._clip_paragraph(content, tok.idx)
        if content is None:
            return None
        return _Attr(content[0], content[1], (tok.idx, to.idx + len(to.text)), src, False)

    def _drop_nested(self, attrs: list[_Attr]) -> list[_Attr]:
        """A cue inside another attribution's content belongs to that content ("said he believed …")."""
        keep = []
        for a in attrs:
            if a.cue and any(b is not a and b.start <= a.cue[0] < b.end for b in attrs):
                continue
            keep.append(a)
        return keep

    # ---- spans --------------------------------------------------------------------------------------------------
    def _subtree(self, tok: Token) -> tuple[int, int]:
        left, right = tok.left_edge, tok.right_edge
        s, e = left.idx, right.idx + len(right.text)
        return self._strip(s, e)

    def _minus(self, head: Token, cut: Token) -> tuple[int, int] | None:
        """The larger side of ``head``'s subtree once ``cut``'s subtree is removed."""
        hs, he = head.left_edge.i, head.right_edge.i + 1
        cs, ce = cut.left_edge.i, cut.right_edge.i + 1
        left = (hs, cs) if cs > hs else None
        right = (ce, he) if he > ce else None
        best = max((p for p in (left, right) if p), key=lambda p: p[1] - p[0], default=None)
        if best is None or best[1] - best[0] < 2:
            return None
        span = self.doc[best[0] : best[1]]
        return self._strip(span.start_char, span.end_char)

    def _strip(self, s: int, e: int) -> tuple[int, int]:
        text = self.text
        while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-.("):
            e -= 1
        if s < e and text[s] in "“\"‘«'`" and self.inside[min(s + 1, len(text) - 1)]:
            s += 1
        if e > s and text[e - 1] in "”\"’»'" and self.inside[max(e - 2, 0)]:
            e -= 1
        return s, e

    def _cue_span(self, tok: Token) -> tuple[int, int]:
        s, e = tok.idx, tok.idx + len(tok.text)
        for c in tok.children:
            if c.dep_ == "prt" and c.i == tok.i + 1:
                e = c.idx + len(c.text)
        return s, e

    def _span_text(self, tok: Token) -> str:
        ent = self.index.at(tok.idx, tok.idx + len(tok.text))
        return ent.name if ent else self.doc[tok.left_edge.i : tok.i + 1].text

    # ---- who -----------------------------------------------------------------------------------------------------
    def _source(self, tok: Token) -> Token | None:
        node: Token | None = tok
        for _ in range(4):
            if node is None:
                break
            subj = next((c for c in node.children if c.dep_ in _SUBJ), None)
            if subj is not None and self.inside[subj.idx] and not self.inside[tok.idx]:
                return None                         # a parse that reaches into the quote for its subject
            if subj is not None:
                if subj.dep_ == "nsubjpass":
                    agent = next((c for c in node.children if c.dep_ == "agent"), None)
                    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                    return pobj
                return subj
            if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
                return node.head                    # "an early tweet saying …", "results showing …"
            if node.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp", "prep", "acomp") and node.head.i != node.i:
                if node.dep_ == "ccomp" and node is not tok:
                    break
                node = node.head
                continue
            break
        return None

    def _medium(self, tok: Token) -> str | None:
        """"told Military Times", "in an interview with AP", "said to CNN"."""
        for c in tok.children:
            if c.dep_ in ("dative", "dobj") and tok.lemma_ == "tell" and self._is_media(c):
                return self._span_text(c)
            if c.dep_ == "prep" and c.lower_ in ("in", "to", "on"):
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    if c.lower_ in ("to", "on") and self._is_media(p):
                        return self._span_text(p)
                    for w in p.children:
                        if w.dep_ == "prep" and w.lower_ == "with":
                            o = next((x for x in w.children if x.dep_ == "pobj"), None)
                            if o is not None and self._is_media(o):
                                return self._span_text(o)
        return None

    def _is_media(self, tok: Token) -> bool:
        ent = self.index.at(tok.idx, tok.idx + len(tok.text))
        phrase = self.doc[tok.left_edge.i : tok.i + 1].text.lower()
        if ent is not None and ent.type == "org":
            return True
        return tok.pos_ == "PROPN" and any(h in phrase.split() or h in phrase for h in MEDIA_HINTS if len(h) > 3)

    def _resolve(self, a: _Attr) -> None:
        if a.speaker is not None or a.source is None:
            return
        tok = a.source
        ent = self.index.resolve_token(tok)
        if tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "him", "her", "his"):
            ent = self._resolve_person_pronoun(tok) or ent
        mention = self.index.at(tok.idx, tok.idx + len(tok.text))
        if mention is not None:
            span = next(((s, e) for s, e in mention.mentions if s <= tok.idx < e), None)
            a.speaker_span = span or (tok.idx, tok.idx + len(tok.text))
        elif tok.pos_ == "PRON":
            a.speaker_span = (tok.idx, tok.idx + len(tok.text))
        else:
            a.speaker_span = self._np(tok)
        joint = [c for c in tok.conjuncts if c.i > tok.i and c.pos_ in ("PROPN", "NOUN", "PRON")]
        if joint:
            # "Clinton and Sanders said": the first is the speaker (one canonical name, one id), the mention
            # keeps them all so the joint voice stays visible in the text span
            last = max(joint, key=lambda c: c.i)
            a.speaker_span = (min(a.speaker_span[0], tok.left_edge.idx), max(a.speaker_span[1], self._np(last)[1]))
        if tok.lemma_.lower() in STATEMENT_NOUNS or tok.lower_ in ("office", "ministry", "spokesman", "spokeswoman"):
            body = self._body_of(tok)
            if body is not None:
                a.speaker, a.entity = body
                return
        if ent is None and tok.pos_ in ("NOUN", "PROPN"):
            # "lawmaker Ali Hassan", "member of parliament X": a person named inside the subject phrase
            s, e = self._np(tok)
            inner = self.index.at(s, e)
            if inner is not None and inner.type == "person":
                ent = inner
        if ent is not None:
            a.speaker, a.entity = ent.name, ent
        elif tok.pos_ != "PRON" or tok.lower_ in ("who", "which", "that"):
            if tok.lower_ in ("who", "which", "that") and tok.head.dep_ == "relcl":
                tok = tok.head.head                 # "Iraqi groups that demanded …": the groups
            s, e = self._np(tok)
            words = self.text[s:e].split()
            while words and words[0].lower() in ("the", "a", "an", "this", "that", "these", "those"):
                words.pop(0)
            a.speaker = " ".join(words) or None

    def _body_of(self, tok: Token) -> tuple[str, Entity | None] | None:
        """"Sudani's office" → that office; "a statement from Washington" → Washington; else the statement itself."""
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None:
            owner = self.index.resolve_token(poss)
            name = owner.name if owner else poss.text
            if tok.lemma_.lower() in STATEMENT_NOUNS:
                return name, owner
            body = self.index.at(tok.idx, tok.idx + len(tok.text))
            if body is not None and body is not owner:
                return body.name, body              # the body entity ("Mohammed al-Sudani’s office")
            return f"{name}’s {tok.text}", None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in _BODY_PREPS:
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    owner = self.index.resolve_token(pobj)
                    conj = [x for x in pobj.children if x.dep_ == "conj"]
                    if owner is not None and not conj:
                        return owner.name, owner
                    return self.doc[pobj.left_edge.i : pobj.right_edge.i + 1].text, None
        return None

    def _resolve_person_pronoun(self, tok: Token) -> Entity | None:
        """Last person named outside quotation marks before the pronoun, of the pronoun's gender when known."""
        return self.index.resolve_pronoun(tok, self.inside)

    def _np(self, tok: Token) -> tuple[int, int]:
        left = tok.left_edge
        right = tok
        for c in tok.rights:
            if c.dep_ in ("compound", "appos", "prep") and c.i - tok.i <= 2 and c.right_edge.i - tok.i <= 8:
                right = c.right_edge
        if right.i < tok.i:
            right = tok
        return left.idx, right.idx + len(right.text)


def quote_span(doc: Doc, quote: Quote) -> Span | None:
    """The tokens of a quote's content (for claim extraction that wants to re-use the parse)."""
    return doc.char_span(quote.start, quote.end, alignment_mode="expand")
