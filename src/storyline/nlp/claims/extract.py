"""Atomic, checkable claims: who (subject) does what (predicate lemma) to what (object), with polarity, modality,
hedging, speaker and the time the claim is about.

The walk is clause by clause over the dependency tree. Reporting verbs ("said", "told AP", "denied") are *frames*:
they give the speaker (and sometimes modality: denied, demanded, predicted) to the clauses they report, and are not
claims themselves. Coordinated clauses are split. Infinitive chains are collapsed onto their content verb, with the
governor turned into modality ("plans to withdraw" → withdraw, planned; "refuse to leave" → leave, negated,
intended), so that later cross-article alignment compares withdraw with withdraw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ...model import Claim, Quote, TimeRef, content_id
from ..numbers.timex_values import calendar_ref, claim_time_basis
from ..runtime.doc_cache import doc_text
from .content import Content, read_content
from .headline import headline_span, sentence_case, title_cased
from .lexicon import FRAME_MODALITY, HEDGING_FRAMES, PURE_SPEECH, SPEECH_NOUNS
from .syntax import REPORTING, is_clause_head, phrase, same_line, time_for

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

_PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "i", "we", "you", "this", "that"}
_SUBORDINATE = {"relcl", "acl", "advcl", "pcomp", "csubj", "csubjpass", "amod", "xcomp", "prep", "pobj"}


@dataclass(slots=True)
class _Frame:
    speaker: str | None
    modality: str | None = None
    hedged: bool = False
    quote_id: str | None = None


@dataclass(slots=True)
class _Memory:
    """Last subjects seen, for cheap pronoun resolution ("they" → the previous plural subject)."""

    person: str | None = None
    plural: str | None = None
    thing: str | None = None
    plural_at: int = -10          # sentence start token of the last plural subject: 'they' looks back 2 sentences


@dataclass(slots=True)
class _Walker:
    doc: Doc
    article_id: str
    quotes: list[Quote]
    times: list[TimeRef]
    offset_fixed: bool = False
    out: list[Claim] = field(default_factory=list)
    mem: _Memory = field(default_factory=_Memory)

    # --- frames --------------------------------------------------------------------------------------------------
    def visit(self, h: Token, frame: _Frame | None, inherited_subj: Token | None = None) -> None:
        content_children = [c for c in h.children if c.dep_ == "ccomp" or
                            (c.dep_ == "parataxis" and h.lemma_ in REPORTING)]
        # "Pentagon says not planning troops withdrawal": a speech verb reporting an infinitive or gerund.
        if h.lemma_ in PURE_SPEECH and not content_children and not any(c.dep_ == "dobj" for c in h.children):
            content_children = [c for c in h.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
        is_frame = h.lemma_ in REPORTING and content_children
        if is_frame:
            sub = self._frame_for(h, frame)
            for c in content_children:
                self.visit(c, sub, _subject_token(h) if c.dep_ == "xcomp" else None)
        elif h.lemma_ in PURE_SPEECH and not any(c.dep_ in ("dobj",) and c.pos_ != "PRON" and c.lemma_ not in
                                                 ("reporter", "journalist") for c in h.children):
            pass        # "he said.", "told reporters": the content sits in a quote sentence
        else:
            chain = self._emit(h, frame, inherited_subj)
            for c in h.children:
                if c.dep_ in ("ccomp", "parataxis") and is_clause_head(c) and c.i not in chain:
                    self.visit(c, frame)
        subj = _subject_token(h) or inherited_subj
        for c in h.children:
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                self.visit(c, frame, subj if _subject_token(c) is None else None)

    def _frame_for(self, h: Token, outer: _Frame | None) -> _Frame:
        q = self._quote_for_cue(h)
        speaker = q.speaker if q and q.speaker else None
        if speaker is None:
            s = _subject_token(h)
            if h.lemma_ == "quote":       # "AP quoted McKenzie as saying": AP is the medium
                s = next((c for c in h.children if c.dep_ == "dobj"), s)
            if s is not None and s.dep_ != "nsubjpass":
                speaker = self._resolve(s, None)
                if s.ent_type_ == "PERSON":
                    self.mem.person = speaker
        if speaker is None and outer is not None:
            speaker = outer.speaker
        modality = FRAME_MODALITY.get(h.lemma_) or (outer.modality if outer else None)
        hedged = h.lemma_ in HEDGING_FRAMES or bool(outer and outer.hedged)
        return _Frame(speaker, modality, hedged, q.id if q else (outer.quote_id if outer else None))

    def speech_nouns(self, sent: Span) -> None:
        """'a joint statement ... that remaining US troops would withdraw': the noun reports the clause."""
        for t in sent:
            if t.lemma_.lower() in SPEECH_NOUNS and t.pos_ == "NOUN":
                for c in t.children:
                    if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that"
                                                                   for m in c.children):
                        self.visit(c, _Frame(_speech_noun_owner(t), hedged=t.lemma_.lower() in ("claim", "report")))

    def _quote_for_cue(self, h: Token) -> Quote | None:
        for q in self.quotes:
            if q.cue_start is not None and q.cue_end is not None and q.cue_start <= h.idx < q.cue_end:
                return q
        return None

    def _quote_containing(self, start: int, end: int) -> Quote | None:
        best = None
        for q in self.quotes:
            if q.start <= start and end <= q.end + 1 and (best is None or q.end - q.start < best.end - best.start):
                best = q
        return best

    # --- claims --------------------------------------------------------------------------------------------------
    def _emit(self, h: Token, frame: _Frame | None, inherited_subj: Token | None) -> tuple[int, ...]:
        c = read_content(h, inherited_subj)
        if c is None:
            return ()
        start, end = _clause_span(h, c.chain)
        if end <= start:
            return c.chain
        if c.subject is not None and c.subject.idx < start and same_line(c.subject, h):
            start = min(t.idx for t in c.subject.subtree if same_line(t, h) and t.i <= c.subject.i)
        speaker, quote_id = (frame.speaker, frame.quote_id) if frame else (None, None)
        q = self._quote_containing(start, end)
        if q is not None and (q.speaker or speaker is None):
            speaker, quote_id = q.speaker, q.id
        if speaker is None:
            speaker = _according_to(h)
        if speaker is None and c.demander is not None:
            speaker = self._resolve(c.demander, None)
        subject = self._resolve(c.subject, frame) if c.subject is not None else c.subject_text
        modality = c.modality
        if frame and frame.modality and modality == "asserted":
            modality = frame.modality
        if frame and frame.modality == "denied":
            modality = "denied"
        tr = time_for(c.verb, self.times) or time_for(h, self.times)
        cal = calendar_ref(tr.value, tr.type, tr.interval) if tr is not None else None   # DATE/TIME only
        event_date = cal[0] if cal else None
        self.out.append(Claim(
            id=content_id("clm", self.article_id, start, end, c.predicate), article_id=self.article_id,
            start=start, end=end, text=doc_text(self.doc)[start:end], subject=subject, predicate=c.predicate,
            object=c.object, polarity=c.polarity, modality=modality, speaker=speaker, event_date=event_date,
            event_date_precision=cal[1] if cal else None,
            hedged=c.hedged or bool(frame and frame.hedged), quote_id=quote_id,
            time_basis=claim_time_basis(tr.anchor, tr.value) if cal and tr is not None else "inferred",
        ))
        if c.subject is not None:
            self._remember(c.subject, subject)
        return c.chain

    def _resolve(self, t: Token, frame: _Frame | None) -> str | None:
        """Subject text, with cheap pronoun resolution: reported 'he'/'it' → the reporter; 'they' → last plural."""
        low = t.lower_
        if low not in _PRONOUNS:
            return _strip_det(phrase(t))
        if low in ("he", "she", "i") and frame and frame.speaker:
            return frame.speaker
        if low in ("he", "she"):
            return self.mem.person or t.text
        if low == "it" and frame and frame.speaker:
            return frame.speaker
        if low == "it":
            return self.mem.thing or t.text
        if low in ("they", "them"):
            recent = t.sent.start - self.mem.plural_at < 80
            return self.mem.plural if self.mem.plural and recent else t.text
        return t.text

    def _remember(self, t: Token, text: str | None) -> None:
        if text is None or t.lower_ in _PRONOUNS:
            return
        if t.ent_type_ == "PERSON":
            self.mem.person = text
        elif t.tag_ in ("NNS", "NNPS"):
            self.mem.plural, self.mem.plural_at = text, t.sent.start
        else:
            self.mem.thing = text


def _subject_token(h: Token) -> Token | None:
    return next((c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _strip_det(s: str) -> str:
    for det in ("the ", "The ", "a ", "A ", "an ", "An "):
        if s.startswith(det):
            return s[len(det):]
    return s


def _speech_noun_owner(n: Token) -> str | None:
    """Who issued 'the statement' / 'Baghdad's announcement': its possessor or from/by/of phrase; a document noun
    ("a joint statement") stands for its unnamed issuer; a bare 'claim' or 'report' has no known speaker."""
    for c in n.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            return _strip_det(phrase(c))
        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ or pobj.pos_ == "PROPN"):
                names = [phrase(pobj)] + [phrase(x) for x in pobj.conjuncts]
                return " and ".join(_strip_det(x) for x in names)
    if n.lemma_.lower() in ("statement", "announcement", "communique", "communiqué", "declaration", "letter",
                            "message", "notice", "notification"):
        return _strip_det(phrase(n))
    return None


def _according_to(h: Token) -> str | None:
    for tok in (h, h.sent.root):
        for c in tok.children:
            if c.lower_ == "according":
                for p in c.children:
                    objs = [g for g in p.children if g.dep_ == "pobj"]
                    if objs:
                        return _strip_det(phrase(objs[0]))
    return None


def _clause_span(h: Token, chain: tuple[int, ...] = ()) -> tuple[int, int]:
    """Character span of ``h``'s clause without its coordinated or reported clauses (claims of their own)."""
    skip: set[int] = set()
    for c in h.children:
        if (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")) or (
                c.dep_ in ("ccomp", "parataxis") and is_clause_head(c) and c.i not in chain):
            skip.update(t.i for t in c.subtree)
            skip.update(x.i for x in h.children if x.dep_ == "cc" and x.i < c.i)
    toks = [t for t in h.subtree if t.i not in skip and not t.is_space and same_line(t, h)]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].dep_ in ("cc", "mark")):
        toks.pop(0)
    if not toks:
        return 0, 0
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def extract_claims(doc: Doc, article_id: str, quotes: list[Quote], times: list[TimeRef], title: str | None,
                   nlp: Language | None = None) -> list[Claim]:
    """All claims of ``doc`` (offsets into ``doc.text``); the headline's are the outlet's unless it attributes them.

    The headline is ``title`` where the text starts with it, else a headline-like first line. A Title Case
    headline is parsed again in sentence case with ``nlp`` (default: the process-wide pipeline). When ``title`` is
    not part of the text (HTML articles), it is parsed on its own and its claims carry ``start == end == 0``.
    """
    text = doc_text(doc)
    w = _Walker(doc, article_id, quotes, times)
    head = headline_span(text, title)
    for sent in doc.sents:
        if sent.text.rstrip().endswith("?") or sum(1 for t in sent if t.is_alpha) < 3:
            continue
        before = len(w.out)
        w.visit(sent.root, None)
        w.speech_nouns(sent)
        if head is not None and sent.start_char < head[1] and len(w.out) == before:
            _fallback(w, sent, head)
    if head is not None and title_cased(text[head[0]:head[1]]):
        redone = _reparse_headline(w, head, nlp)
        if redone:
            w.out = [c for c in w.out if not (head[0] <= c.start and c.end <= head[1])] + redone
    if title and title.strip() and (head is None or text[head[0]:head[1]] != title.strip()):
        _title_claims(w, title.strip(), nlp)
    seen: set[str] = set()
    uniq = []
    for c in sorted(w.out, key=lambda c: (c.start, c.end, c.predicate)):
        if c.id not in seen:
            seen.add(c.id)
            uniq.append(c)
    return uniq


def _reparse_headline(w: _Walker, head: tuple[int, int], nlp: Language | None) -> list[Claim]:
    """Claims of a Title Case headline, read from a sentence-case parse; offsets mapped back to ``w.doc``."""
    ls, le = head
    cased = sentence_case(w.doc, ls, le)
    if nlp is None:
        from ..runtime.spacy_model import load_nlp
        nlp = load_nlp()
    hdoc = nlp(cased)
    quotes = [replace(q, start=q.start - ls, end=q.end - ls, cue_start=None, cue_end=None)
              for q in w.quotes if ls <= q.start and q.end <= le]
    times = [replace(t, start=t.start - ls, end=t.end - ls) for t in w.times if ls <= t.start and t.end <= le]
    hw = _Walker(hdoc, w.article_id, quotes, times)
    for sent in hdoc.sents:
        before = len(hw.out)
        hw.visit(sent.root, None)
        if len(hw.out) == before:
            _fallback(hw, sent, None)
    text = doc_text(w.doc)
    cased_words = {m.lower(): m for m in re.findall(r"\w+", text[ls:le])}

    def restore(s: str | None) -> str | None:
        return re.sub(r"\w+", lambda m: cased_words.get(m[0], m[0]), s) if s else s

    for c in hw.out:
        c.start, c.end = c.start + ls, c.end + ls
        c.text = text[c.start:c.end]
        c.subject, c.object = restore(c.subject), restore(c.object)
        c.id = content_id("clm", w.article_id, c.start, c.end, c.predicate)
    return hw.out


def _fallback(w: _Walker, sent: Span, head: tuple[int, int] | None) -> None:
    """Headlines are often verbless ('Committee to be formed ...'): keep them as one claim of the outlet."""
    start, end = sent.start_char, sent.end_char
    if head is not None:
        start, end = max(start, head[0]), min(end, head[1])
    toks = [t for t in sent if start <= t.idx < end]
    if not toks:
        return
    verb = next((t for t in toks if t.pos_ in ("VERB", "AUX")), toks[0])
    c: Content | None = read_content(verb, None)
    text = doc_text(w.doc)[start:end].strip()
    end = start + len(text)
    predicate = c.predicate if c else verb.lemma_.lower()
    w.out.append(Claim(
        id=content_id("clm", w.article_id, start, end, predicate), article_id=w.article_id, start=start, end=end,
        text=text, subject=(c.subject_text if c else None), predicate=predicate, object=(c.object if c else None),
        polarity=c.polarity if c else True, modality=c.modality if c else "asserted", speaker=None,
        hedged=c.hedged if c else False,
    ))


def _title_claims(w: _Walker, title: str, nlp: Language | None) -> None:
    if nlp is None:
        from ..runtime.spacy_model import load_nlp
        nlp = load_nlp()
    tdoc = nlp(title)
    tw = _Walker(tdoc, w.article_id, [], [])
    before = 0
    for sent in tdoc.sents:
        tw.visit(sent.root, None)
        if len(tw.out) == before:
            _fallback(tw, sent, None)
        before = len(tw.out)
    for c in tw.out:
        c.start = c.end = 0
        c.id = content_id("clm", w.article_id, "title", c.text, c.predicate)
        c.event_date = c.event_date_precision = None
        c.time_basis = "inferred"       # a headline's claims keep no date of their own
        w.out.append(c)
