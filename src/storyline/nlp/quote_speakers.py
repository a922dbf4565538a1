"""Who speaks: the cue's subject (through xcomp/conj/acl chains, passive agents, inverted order), the medium
("told Military Times"), and the resolution of that token to an entity (name, pronoun, role noun, the body behind
"a statement from X")."""

from __future__ import annotations

from spacy.tokens import Token

from ..model import Entity
from .doc_cache import noun_chunks_in
from .quote_cues import MEDIA_HINTS, STATEMENT_NOUNS
from .quote_spans import Attr, SpanMixin

SUBJ = ("nsubj", "nsubjpass", "csubj")
_BODY_PREPS = ("from", "by", "of")


class SpeakerMixin(SpanMixin):
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

    def _inverted_source(self, tok: Token) -> Token | None:
        """"…, said a joint statement." / "…, warned member of parliament X.": the speaker follows the cue."""
        if tok.lemma_ == "tell":
            return None                             # "told Military Times": the object is the audience
        cands = [c for c in tok.rights if c.dep_ in ("nsubj", "dobj", "attr", "npadvmod") and c.pos_ in ("NOUN", "PROPN")
                 and c.ent_type_ not in ("DATE", "TIME") and c.i - tok.i <= 5]
        named = [c for c in cands if c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")]
        found = named or cands
        return found[0] if found else None

    def _left_subject(self, tok: Token, content: tuple[int, int]) -> Token | None:
        """Parser gave no subject: the nearest noun phrase before the cue, outside the content, in the sentence."""
        if tok.dep_ != "ROOT":
            return None
        para = self.text.rfind("\n", 0, tok.idx) + 1
        for chunk in reversed(noun_chunks_in(self.doc, tok.sent.start, tok.i)):
            r = chunk.root
            if r.idx < para or content[0] <= r.idx < content[1] or self.inside[r.idx]:
                continue
            if r.ent_type_ in ("DATE", "TIME") or r.dep_ not in ("nsubj", "ROOT", "appos", "conj"):
                continue
            return r
        return None
    # ---- who -----------------------------------------------------------------------------------------------------
    def _source(self, tok: Token) -> Token | None:
        node: Token | None = tok
        for _ in range(4):
            if node is None:
                break
            subj = next((c for c in node.children if c.dep_ in SUBJ), None)
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

    def _resolve(self, a: Attr) -> None:
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
