"""The learned path of quote extraction: attributions whose cue no rule knows (see ``attribution``).

Runs after the parse rules and before quotation marks are attached, so a learned content that covers a quotation
becomes that quotation's attribution just as a rule content would.  Nothing the rules found is changed.
"""

from __future__ import annotations

from spacy.tokens import Token

from .attribution import AttributionModel, learned_cues
from .quote_reported import ReportedMixin
from .quote_spans import Attr
from .quote_speakers import SUBJ


class LearnedMixin(ReportedMixin):
    model: AttributionModel | None

    def _with_learned(self, attrs: list[Attr]) -> list[Attr]:
        """Add the learned cues' attributions, most confident first, where no attribution claims the words yet."""
        if self.model is None:
            return attrs
        if self.model.drop_threshold > 0.0:
            attrs = [a for a in attrs if not self._unlikely_cue(a)]
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
        return out

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
