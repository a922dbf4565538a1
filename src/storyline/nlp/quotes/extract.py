"""Quotes and reported speech with their speaker, cue and medium.

Three sources of evidence are combined:
1. the dependency parse: a cue verb ("said", "warned", "believes") with a clausal complement, "according to X",
   inverted order ("…, the commander said"), "AP quoted X as saying";
2. quotation marks (``marks``): the words inside marks are the content of a direct quote even where the parser
   split them into several sentences; a quote without its own cue takes the cue next to it, or continues the previous
   quote ("“A,” he said. “B.”" and multi-paragraph quotes);
3. a learned cue + content tagger (``attribution``, ``learned``) that adds the attributions whose cue no rule
   knows, where the rules claimed no words, and moves an indirect rule content's boundaries when its content model
   clearly prefers other ones.
The work is split by concern: ``spans`` (the ``Attr`` record, span cleaning), ``speakers`` (who speaks,
medium), ``topics`` (the passage's topic for pronouns and descriptions), ``reported`` (parse rules), ``learned`` (learned path); this module drives them and handles
quotation marks.
Speakers resolve through ``EntityIndex`` (names, pronouns, role nouns); statements of bodies go to the body.
"""

from __future__ import annotations

import re
from itertools import islice

from spacy.tokens import Doc, Span, Token

from ...model import Entity, Quote, content_id
from ..entities.extract import EntityIndex
from ..runtime.doc_cache import doc_text
from .attribution import AttributionModel
from .cues import ADJACENT_ONLY_VERBS, HEADLINE_VERBS, NAMING_WORDS, SPEECH_VERBS
from .learned import LearnedMixin
from .marks import MarkedQuote, find_marked_quotes, headline_attributions
from .spans import Attr

_MAX_SCARE_WORDS = 4
_SIGNATURE = re.compile(r"[ \t\u00a0]*[―—–][ \t\u00a0]*([A-Z][^\n“”\"()]{1,60}?)[ \t\u00a0.,]*(?=\n|$)")
_WORDY = re.compile(r"\w\w")       # a content of no word ("’s", "—") is a parse slip, not speech
_FIRST_PERSON = ("i", "we", "me", "us")
_SAME_TURN_CHARS = 400
_REPORT_TAIL_CHARS = 30    # "…, Kerry said on Tuesday.": a short tail after the report still ends the paragraph     # "“A,” he said. “B. … I hope …”": a few short paragraphs of one speaker's turn
_ADJ_CUES = SPEECH_VERBS | ADJACENT_ONLY_VERBS | {"quote"}     # a closed quote this short with no cue is a term or a scare quote, not speech


def extract_quotes(doc: Doc, article_id: str, entities: list[Entity] | EntityIndex | None = None,
                   learned: bool | AttributionModel = True) -> list[Quote]:
    """All quotes and attributions of one article, ordered by position; offsets are into ``doc.text``.

    ``learned``: add the attributions of the learned cue/content tagger (``attribution``) where the rules found
    none (and let it re-bound indirect rule contents); True uses the shipped model (skipped when its file is absent), False the rules alone."""
    index = entities if isinstance(entities, EntityIndex) else (
        EntityIndex(doc, entities) if entities is not None else EntityIndex.build(doc, article_id))
    model = learned if isinstance(learned, AttributionModel) else (AttributionModel.load() if learned else None)
    return _Extractor(doc, index, model).run(article_id)


class _Extractor(LearnedMixin):
    def __init__(self, doc: Doc, index: EntityIndex, model: AttributionModel | None = None) -> None:
        self.model = model
        self.doc = doc
        self.text = doc_text(doc)
        self.index = index
        self.marks = [q for q in find_marked_quotes(self.text) if not self._is_name(q)]
        self._cut_unclosed()
        self.inside = bytearray(len(self.text) + 1)
        for q in self.marks:
            for c in range(q.start, q.end):
                self.inside[c] = 1

    # ---- driver -------------------------------------------------------------------------------------------------
    def run(self, article_id: str) -> list[Quote]:
        attrs = self._with_headline(self._with_learned(self._parse_attributions()))
        attrs = self._with_marks(attrs)
        out: list[Quote] = []
        seen: set[tuple[int, int]] = set()
        kept: list[Attr] = []
        for a in sorted(attrs, key=lambda a: (a.start, a.end)):
            if (a.start, a.end) in seen or a.end <= a.start or not _WORDY.search(self.text[a.start : a.end]):
                continue
            seen.add((a.start, a.end))
            self._resolve(a)
            self._first_person(a, kept)
            self._carry_on(a, kept)
            self._role_and_affiliation(a)
            kept.append(a)
        for a in kept:
            cue_text = self.text[a.cue[0] : a.cue[1]] if a.cue else None
            out.append(Quote(
                id=content_id("quote", article_id, a.start, a.end),
                article_id=article_id, start=a.start, end=a.end, text=self.text[a.start : a.end],
                speaker=a.speaker, speaker_entity_id=a.entity.id if a.entity else None, cue=cue_text,
                direct=a.direct, speaker_start=a.speaker_span[0] if a.speaker_span else None,
                speaker_end=a.speaker_span[1] if a.speaker_span else None,
                cue_start=a.cue[0] if a.cue else None, cue_end=a.cue[1] if a.cue else None, medium=a.medium,
                speaker_role=a.role, speaker_affiliation=a.affiliation,
                speaker_affiliation_entity_id=a.affiliation_entity.id if a.affiliation_entity else None,
            ))
        return out

    def _first_person(self, a: Attr, before: list[Attr]) -> None:
        """"I"/"we" inside quotation marks ("“… but I hope we'll add charges”"): the voice is the speaker of the
        quotation that holds the pronoun, else of the last attribution just before it (same turn), passing over
        attributions made inside a quotation ("“Contrary to what Saif said, …”": Saif is reported, not speaking)."""
        tok = a.source
        if a.speaker is not None or tok is None or tok.lower_ not in _FIRST_PERSON or not self._in_quotation(tok.idx):
            return
        voiced = [b for b in before if b.speaker is not None and b.speaker_span is not None
                  and not self._in_quotation(b.speaker_span[0])]
        holder = next((b for b in reversed(voiced) if b.direct and b.start <= tok.idx < b.end), None)
        if holder is None:
            holder = next((b for b in reversed(voiced) if b.end <= tok.idx), None)
            if holder is not None and tok.idx - holder.end >= _SAME_TURN_CHARS:
                holder = None
        if holder is not None:
            a.speaker, a.entity, a.speaker_span = holder.speaker, holder.entity, (tok.idx, tok.idx + len(tok.text))
            a.role, a.affiliation, a.affiliation_entity = holder.role, holder.affiliation, holder.affiliation_entity

    def _in_quotation(self, pos: int) -> bool:
        """Inside quotation marks, including a quotation the mark finder left unpaired: the last mark before the
        position (in the paragraphs just above) opens one."""
        if self.inside[pos]:
            return True
        back = self.text[max(0, pos - _SAME_TURN_CHARS) : pos]
        last = max(back.rfind("“"), back.rfind("”"))
        return last >= 0 and back[last] == "“"

    def _carry_on(self, a: Attr, before: list[Attr]) -> None:
        """"“A,” adding that B": a participle cue with no subject of its own continues the quote just before it."""
        if a.speaker is not None or a.source is not None or a.cue is None or not before:
            return
        cue = self.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
        prev = before[-1]
        if cue is None or cue.root.tag_ != "VBG" or prev.speaker is None or prev.end > a.cue[0]:
            return
        gap = self.text[prev.end : a.cue[0]]
        if len(gap) < 12 and not any(c in gap for c in ".!?\n") or gap.strip(" ,”’\"") == "":
            a.speaker, a.entity, a.speaker_span = prev.speaker, prev.entity, prev.speaker_span
            a.role, a.affiliation, a.affiliation_entity = prev.role, prev.affiliation, prev.affiliation_entity

    def _with_headline(self, attrs: list[Attr]) -> list[Attr]:
        """A headline read off its surface replaces what the parser made of it."""
        heads = headline_attributions(self.text, HEADLINE_VERBS)
        if not heads:
            return attrs
        line_end = max(h.content[1] for h in heads)
        out = [a for a in attrs if not (a.cue and a.cue[0] < line_end)]
        for h in heads:
            a = Attr(h.content[0], h.content[1], h.cue, None, False, speaker_span=h.source)
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
                # at most 11: only "more than 10" matters (the whole rest of a long sentence was quadratic)
                tail = list(islice((t for t in self.doc[tok.i + 1 : sent_end] if not t.is_space), 11))
                if len(tail) > 10 or (tail and tail[-1].text not in ".!?"):
                    continue
                j = tok.i - 1
                while j > span.start and self.doc[j].text != "," and tok.i - j <= 6:
                    j -= 1
                if self.doc[j].text == ",":
                    q.end = self.doc[j].idx
                    q.close_at = q.end
                    break

    def _with_marks(self, attrs: list[Attr]) -> list[Attr]:
        """Give every quoted span an attribution: the parse's, the adjacent cue's, or the previous quote's."""
        out = list(attrs)
        prev: Attr | None = None
        prev_q: MarkedQuote | None = None
        a: Attr | None
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
            if a is None and not short:
                a = self._after_reported(q, out)
            if a is None and not short and prev is not None and prev_q is not None and (
                    self._continues(prev_q, q)):
                a = Attr(q.start, q.end, prev.cue, prev.source, True, prev.medium, speaker_span=prev.speaker_span)
                a.speaker, a.entity = prev.speaker, prev.entity
            if a is None:
                if short or not q.double:
                    continue
                a = Attr(q.start, q.end, None, None, True)
            out.append(a)
            prev, prev_q = a, q
        return self._one_content_per_cue(out)

    def _after_reported(self, q: MarkedQuote, attrs: list[Attr]) -> Attr | None:
        """"Kerry said that 100,000 would be accepted. ¶ “That adds up to 185,000 …”": a quotation opening a paragraph
        with no cue of its own, right after a paragraph whose last words report someone's speech in the narrative
        (not in marks), goes on in that speaker's voice.  The quote gets the speaker, not the cue: it is a second
        content, not part of the first."""
        para = self.text.rfind("\n", 0, q.open_at) + 1
        if self.text[para : q.open_at].strip() or not q.closed and self._cue_after_close(q.end):
            return None                         # not opening its paragraph, or a cue follows where it closes
        prev_end = para - 1
        while prev_end > 0 and self.text[prev_end - 1].isspace():
            prev_end -= 1
        prev_para = self.text.rfind("\n", 0, prev_end) + 1
        if prev_end <= prev_para or any(self.inside[c] for c in range(prev_para, prev_end)):
            return None                         # no narrative paragraph just before, or one with its own quotation
        last = max((a for a in attrs if a.cue and prev_para <= a.cue[0] < prev_end and a.source is not None
                    and not a.direct), key=lambda a: a.cue[0] if a.cue else 0, default=None)
        if last is None or last.source is None or last.source.pos_ == "PRON" and last.source.lower_ in _FIRST_PERSON:
            return None
        tail = self.text[max(last.end, last.cue[1] if last.cue else 0, last.source.idx + len(last.source)) : prev_end]
        if len(tail.strip(" .,;:!?”’\"")) > _REPORT_TAIL_CHARS:
            return None                         # the paragraph goes on in narrative after the report
        return Attr(q.start, q.end, None, last.source, True, last.medium)

    def _cue_after_close(self, pos: int) -> bool:
        """A quotation left open at its paragraph's end (it goes on in the next) whose closing mark, paragraphs later,
        is followed by a cue naming its speaker ("… ¶ And this is in Texas,” Dr. Richard Besser told CBS")."""
        close = self.text.find("”", pos, pos + _SAME_TURN_CHARS * 4)
        after = self.doc.char_span(close + 1, min(len(self.text), close + 2), alignment_mode="expand") if close >= 0 else None
        if after is None:
            return False
        for t in self.doc[after.start : min(len(self.doc), after.start + 16)]:
            if t.text in ".!?“" or "\n" in t.text:
                break                           # the cue belongs to the closing sentence, in its paragraph
            if t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB":
                subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                # "…,” he said": the pronoun is the speaker just named, so the paragraph before still tells who
                return subj is None or subj.pos_ != "PRON"
        return False

    def _one_content_per_cue(self, attrs: list[Attr]) -> list[Attr]:
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

    def _adjacent(self, q: MarkedQuote) -> Attr | None:
        """Cue right after the closing mark ("…,” he said / said X) or right before the opening one (X said: “…");
        a name after a dash closing the paragraph signs the quote ("“…” ― Carla Sanchez")."""
        signed = self._signature(q)
        if signed is not None:
            return signed
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

    def _signature(self, q: MarkedQuote) -> Attr | None:
        if not q.closed:
            return None
        m = _SIGNATURE.match(self.text, q.outer_end)
        if m is None:
            return None
        span = self.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None or not any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in span):
            return None
        return Attr(q.start, q.end, None, span.root, True)

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

    def _colon_intro(self, j: int, q: MarkedQuote) -> Attr | None:
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
        return Attr(q.start, q.end, (colon.idx, colon.idx + 1), names[-1], True)

    def _attr_from_cue(self, tok: Token, q: MarkedQuote) -> Attr:
        src = self._source(tok)
        a = Attr(q.start, q.end, self._cue_span(tok), src, True, self._medium(tok))
        if tok.lemma_ == "quote":
            a.medium = self._span_text(src) if src is not None else None
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            a.source = obj
        elif src is None:  # inverted: "…,” said the commander."
            nxt = next((c for c in tok.rights if c.pos_ in ("PROPN", "NOUN", "PRON")), None)
            a.source = nxt or self._first_noun_after(tok)
        return a


def quote_span(doc: Doc, quote: Quote) -> Span | None:
    """The tokens of a quote's content (for claim extraction that wants to re-use the parse)."""
    return doc.char_span(quote.start, quote.end, alignment_mode="expand")
