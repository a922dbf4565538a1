"""The learned path of quote extraction: attributions whose cue no rule knows (see ``attribution``).

Runs after the parse rules and before quotation marks are attached, so a learned content that covers a quotation
becomes that quotation's attribution just as a rule content would.  Rule attributions are never dropped and keep their cue and speaker; only an indirect content may get the content
model's boundaries when it clearly prefers them (``_rebound``).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from .attribution import AttributionModel, learned_cues
from .attribution_spans import choose
from .reported import ReportedMixin
from .spans import Attr
from .speakers import SUBJ


class LearnedMixin(ReportedMixin):
    model: AttributionModel | None

    def _with_learned(self, attrs: list[Attr]) -> list[Attr]:
        """Add the learned cues' attributions, most confident first, where no attribution claims the words yet."""
        if self.model is None:
            return attrs
        if self.model.drop_threshold > 0.0:
            attrs = [a for a in attrs if not self._unlikely_cue(a)]
        if self.model.switch_margin > 0.0:
            attrs = [self._rebound(a, attrs) for a in attrs]
        blocked = bytearray(len(self.text) + 1)
        for a in attrs:
            self._block(blocked, a.start, a.end)
            if a.cue:
                self._block(blocked, *a.cue)
        cands = learned_cues(self.model, list(self.doc), blocked, self.inside)
        out = list(attrs)
        for tok, _ in sorted(cands, key=lambda x: (-x[1], x[0].i)):
            if blocked[tok.idx]:
                continue
            span = self.model.content_span(tok, self.inside)
            if span is None:
                continue
            first, last = self.doc[span[0]], self.doc[span[1] - 1]
            content = self._clip_paragraph(self._strip(first.idx, last.idx + len(last.text)), tok.idx)
            if content is None:
                continue
            s, e = content
            if sum(blocked[s:e]) > 0.3 * (e - s):
                continue                             # mostly words the rules already attributed
            a = Attr(s, e, self._cue_span(tok), self._learned_source(tok, content), False, self._medium(tok))
            self._block(blocked, s, e)
            self._block(blocked, *a.cue)  # type: ignore[misc]
            out.append(a)
        if self.model.bound:
            snapshot = list(out)
            out = [self._recut(a, snapshot) for a in out]
        return out

    def _recut(self, a: Attr, attrs: list[Attr]) -> Attr:
        """The attribution with the span-boundary model's cut of its indirect content (``attribution_spans``):
        trailing adjuncts off, a left-out second conjunct on.  Same guards as ``_rebound``."""
        model = self.model
        if a.cue is None or a.direct or model is None:
            return a
        cue_span = self.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
        span = self.doc.char_span(a.start, a.end, alignment_mode="expand")
        if cue_span is None or span is None or not len(span):
            return a
        cue = cue_span.root
        ps = self.text.rfind("\n", 0, cue.idx) + 1
        pe = self.text.find("\n", cue.idx)
        s_i, e_i = choose(cue, span.start, span.end, (ps, len(self.text) if pe < 0 else pe), model.bound_score,
                          model.bound_margin)
        if (s_i, e_i) == (span.start, span.end):
            return a
        last = self.doc[e_i - 1]
        s, e = self._strip(self.doc[s_i].idx, last.idx + len(last.text))
        if e - s < 2 or (s, e) == (a.start, a.end):
            return a
        if any(self.inside[s : min(e, a.start)]) or any(self.inside[max(s, a.end) : e]):
            return a                                 # never grows into a quotation (the marks pass owns those)
        return a if self._collides(a, s, e, attrs) else replace(a, start=s, end=e)

    def _rebound(self, a: Attr, attrs: list[Attr]) -> Attr:
        """The rule attribution with the learned content boundaries when the content model clearly prefers them
        (the rule clause swallowed a gloss, or stopped at the first of two conjoined clauses).  Only for indirect
        speech inside the cue's sentence, and never onto words of another attribution or the speaker."""
        model = self.model
        if a.cue is None or a.direct or model is None:
            return a
        span = self.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
        if span is None:
            return a
        cue = span.root
        sent = cue.sent
        if a.start < sent.start_char or a.end > sent.end_char:
            return a
        probs = model.content_probs(cue, self.inside)
        best = model.best_span(probs, cue.i)
        if best is None or best[0] - model.span_margin(probs, a.start, a.end) <= model.switch_margin:
            return a
        first, last = self.doc[best[1]], self.doc[best[2] - 1]
        content = self._clip_paragraph(self._strip(first.idx, last.idx + len(last.text)), cue.idx)
        if content is None or content == (a.start, a.end):
            return a
        s, e = content
        return a if self._collides(a, s, e, attrs) else replace(a, start=s, end=e)

    def _collides(self, a: Attr, s: int, e: int, attrs: list[Attr]) -> bool:
        """A new content [s, e) for ``a`` would take in its speaker, a typewriter '' pair, or the content or cue of
        another attribution: the guards every boundary change shares."""
        if a.source is not None and s <= a.source.idx < e:
            return True
        if self._quoted(s, e):
            return True
        return any(b is not a and (b.start < e and s < b.end or (b.cue is not None and b.cue[0] < e and s < b.cue[1]))
                   for b in attrs)

    def _quoted(self, s: int, e: int) -> bool:
        """The span holds a typewriter '' pair: the quotation-mark pass does not see those as marks, so a learned
        span across one splits the quotation from its speaker."""
        return "''" in self.text[s:e]

    def _unlikely_cue(self, a: Attr) -> bool:
        """A rule attribution whose cue the cue model all but rules out ("called it X", "seems", "showed")."""
        if a.cue is None or a.direct or self.model is None:
            return False
        span = self.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
        if span is None or span.root.lower_ == "according":
            return False
        return self.model.cue_prob(span.root) < self.model.drop_threshold

    @staticmethod
    def _block(blocked: bytearray, s: int, e: int) -> None:
        blocked[s:e] = b"\x01" * (e - s)

    def _learned_source(self, tok: Token, content: tuple[int, int]) -> Token | None:
        """The rules' speaker logic for a cue they did not know: possessor of a noun cue ("Trump's vow"), the
        subject, the subject after the cue when the content comes first, the subject up the tree, the noun phrase
        before."""
        if tok.pos_ == "NOUN":
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is not None:
                return poss
        src = next((c for c in tok.children if c.dep_ in SUBJ), None)
        if src is not None and content[0] <= src.idx < content[1]:
            src = None
        if src is None and content[1] <= tok.idx:
            src = self._inverted_source(tok)
        return src or self._source(tok) or self._left_subject(tok, content)
