"""Who speaks: the cue's subject (through xcomp/conj/acl chains, passive agents, inverted order), the medium
("told Military Times"), and the resolution of that token to an entity (name, pronoun, role noun, the body behind
"a statement from X"); pronouns and definite descriptions through the passage's topic (``topics``)."""

from __future__ import annotations

from spacy.tokens import Token

from ...model import Entity
from ..entities.lexicon import ROLE_HEADS, TITLE_WORDS
from ..runtime.doc_cache import noun_chunks_in
from .cues import DOCUMENT_NOUNS, MEDIA_HINTS
from .spans import Attr
from .topics import _BODY_WORDS, TopicMixin

SUBJ = ("nsubj", "nsubjpass", "csubj")
_BODY_PREPS = ("from", "by", "of")
_KIND_RANK = {"org": 0, "group": 1, "place": 2}


class SpeakerMixin(TopicMixin):
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
        if tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "him", "her", "his", "they", "it"):
            topic = self._topic_person(tok) if tok.lower_ not in ("they", "it") else self._topic_thing(tok)
            if isinstance(topic, Entity):
                ent = topic
            elif topic is not None:             # "A spokesman for the trust said …. “…,” he added": the spokesman
                a.speaker_span = (tok.idx, tok.idx + len(tok.text))
                a.source = topic
                self._resolve(a)
                a.speaker_span = (tok.idx, tok.idx + len(tok.text))
                return
            elif tok.lower_ not in ("they", "it"):
                ent = self.index.resolve_pronoun(tok, self.inside) or ent
        elif tok.lower_ == "who" and tok.head.dep_ == "relcl" and tok.head.head.dep_ == "appos":
            # "said Nuri Mohamed Ali, a man who said he fled": the relative's noun stands in apposition to a name
            named = self.index.at(tok.head.head.head.idx, tok.head.head.head.idx + len(tok.head.head.head.text))
            ent = named if named is not None and named.type == "person" else ent
        elif tok.pos_ == "NOUN":
            ent = self._named_in_apposition(tok) or (None if self._new_referent(tok) else self._described(tok, ent))
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
        if tok.lemma_.lower() in DOCUMENT_NOUNS or tok.lower_ in ("office", "ministry", "spokesman", "spokeswoman"):
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

    def _owner_of(self, tok: Token) -> tuple[str, Entity | None] | None:
        """Who issued a document: its possessor, its from/by/of phrase, or a name compounded with it ("a Trump
        campaign ad")."""
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ != "PRON":
                owner = self.index.resolve_token(c)
                return (owner.name, owner) if owner else (c.text, None)
            if c.dep_ == "prep" and c.lower_ in _BODY_PREPS:
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is None or pobj.ent_type_ in _NOT_OWNERS or not (
                        pobj.ent_type_ or pobj.pos_ == "PROPN" or pobj.lemma_.lower() in _BODY_WORDS):
                    continue
                owner = self.index.at(pobj.idx, pobj.idx + len(pobj.text)) or self.index.resolve_token(pobj)
                if owner is None:               # "from Donald Trump’s campaign": the body, else its owner
                    named = [e for t in pobj.subtree if (e := self.index.at(t.idx, t.idx + len(t.text))) is not None]
                    owner = min(named, key=lambda e: e.type != "org", default=None)
                if owner is not None and not any(x.dep_ == "conj" for x in pobj.children):
                    return owner.name, owner
                return self._strip_det(self.doc[pobj.left_edge.i : pobj.right_edge.i + 1].text), None
        for c in tok.lefts:
            if c.dep_ == "compound" and (c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or c.lemma_.lower() in
                                         _BODY_WORDS):
                owner = self.index.at(c.idx, c.idx + len(c.text))
                if owner is not None:
                    return owner.name, owner
        if tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
            # "Rasmussen issued a statement saying": the subject of the verb that puts the document out
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN")), None)
            owner = self.index.resolve_token(subj) if subj is not None and not self.inside[subj.idx] else None
            if owner is not None:
                return owner.name, owner
        return None

    @staticmethod
    def _strip_det(s: str) -> str:
        words = s.split()
        while words and words[0].lower() in ("the", "a", "an"):
            words.pop(0)
        return " ".join(words)

    def _body_of(self, tok: Token) -> tuple[str, Entity | None] | None:
        """"Sudani's office" → that office; "a statement from Washington" → Washington; "the ad" after "an ad from
        the Trump campaign" → that campaign; else the statement itself."""
        if tok.lemma_.lower() in DOCUMENT_NOUNS and not any(c.dep_ == "poss" for c in tok.children):
            issuer = self._owner_of(tok) or self._earlier_document(tok)
            if issuer is not None:
                return issuer
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None:
            owner = self.index.resolve_token(poss)
            name = owner.name if owner else poss.text
            if tok.lemma_.lower() in DOCUMENT_NOUNS:
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

    def _named_in_apposition(self, tok: Token) -> Entity | None:
        """"The head of UN peacekeeping, Alain Le Roy, said": the person the apposition names."""
        for c in tok.subtree:
            if c.dep_ == "appos" and c.i > tok.i and (c.head.i == tok.i or c.head.dep_ == "pobj" and c.head.head.head.i == tok.i):
                for t in c.subtree:
                    ent = self.index.at(t.idx, t.idx + len(t.text))
                    if ent is not None and ent.type == "person":
                        return ent
        return None

    def _new_referent(self, tok: Token) -> bool:
        """"A rebel spokesman said", and "the spokesman" right after "a government spokesman": someone unnamed, not
        the named spokesman of another paragraph."""
        if tok.lemma_.lower() not in ROLE_HEADS or self._named_at(tok):
            return False
        det = next((c.lower_ for c in tok.children if c.dep_ == "det"), None)
        if det in _INDEFINITE:
            return True
        if det not in ("the", "this", "that"):
            return False
        for t in reversed(self.doc[max(0, tok.i - 300) : tok.i]):
            if t.lemma_ == tok.lemma_ and t.pos_ == "NOUN":
                return (next((c.lower_ for c in t.children if c.dep_ == "det"), None) in _INDEFINITE
                        and not self._named_at(t) and self._named_in_apposition(t) is None)
        return False

    def _named_at(self, tok: Token) -> bool:
        """The token is part of a name ("Mr. Ibrahim"), not a bare description linked to someone ("the spokesman")."""
        ent = self.index.at(tok.idx, tok.idx + len(tok.text))
        if ent is None:
            return False
        span = next(((s, e) for s, e in ent.mentions if s <= tok.idx < e), None)
        part = self.doc.char_span(*span, alignment_mode="expand") if span else None
        return part is None or any(t.pos_ == "PROPN" for t in part)

    # ---- for whom ------------------------------------------------------------------------------------------------
    def _role_and_affiliation(self, a: Attr) -> None:
        """The speaker's role ("Pentagon spokesman", "joint statement") and the body it speaks for ("Pentagon",
        "Donald Trump’s campaign"), read off the speaking mention, else off the person's other mentions."""
        if a.role is not None or a.affiliation is not None:
            return
        tok = a.source
        ent = a.entity
        if tok is not None and tok.lemma_.lower() in DOCUMENT_NOUNS and (ent is None or ent.type != "person"):
            a.role = self._document_kind(tok)
        elif ent is not None and ent.type == "person":
            a.role = ent.role
        elif tok is not None and tok.pos_ == "NOUN" and tok.lemma_.lower() in ROLE_HEADS:
            a.role = self._kind_phrase(tok)      # "a spokeswoman for the campaign" → "spokeswoman"
        found: list[tuple[int, str, Entity | None]] = []
        if tok is not None and tok.pos_ != "PRON":
            found.extend(self._affiliations_of([tok], ent))
        if ent is not None and ent.type == "person":
            # One speaker quoted many times asks the same mentions again for each quote: read once per person
            # (a page of 1,290 quotes by one man made 1.7 million span look-ups, 97 of 112 s). The document, its
            # entities and the quotation marks do not change while quotes are read.
            memo: dict[int, list[tuple[int, str, Entity | None]]] = self.__dict__.setdefault("_affiliation_memo", {})
            if id(ent) not in memo:
                roots: list[Token] = []
                for s, e in ent.mentions:
                    span = self.doc.char_span(s, e, alignment_mode="expand")
                    if span is not None and not self.inside[s]:
                        roots.append(span.root)
                memo[id(ent)] = self._affiliations_of(roots, ent)
            found.extend(memo[id(ent)])
        if found:                               # an organisation named with any mention before a country
            _, a.affiliation, a.affiliation_entity = min(found, key=lambda f: f[0])

    def _affiliations_of(self, heads: list[Token], speaker: Entity | None) -> list[tuple[int, str, Entity | None]]:
        out: list[tuple[int, str, Entity | None]] = []
        for m in heads:
            body = self._affiliation_at(m, speaker)
            if body is not None:
                out.append((_KIND_RANK.get(body[1].type if body[1] else "org", 3), *body))
        return out

    def _affiliation_at(self, head: Token, speaker: Entity | None) -> tuple[str, Entity | None] | None:
        """The organisation, government, campaign or outlet written with one mention: title words in front
        ("Pentagon spokesman John Kirby", "Clinton campaign manager X"), an apposition or a for/of/at phrase
        ("X, a spokeswoman for the campaign", "chief of the US Central Command")."""
        toks: list[Token] = []
        i = head.left_edge.i
        j = i - 1
        while j >= 0 and i - j <= 7 and not self.doc[j].is_space and (
                self.doc[j].dep_ in ("compound", "amod", "poss", "case") or self.doc[j].ent_type_ in ("ORG", "GPE", "NORP")
                or self.doc[j].lower_ in TITLE_WORDS):
            j -= 1
        toks.extend(self.doc[j + 1 : head.i])
        for c in head.children:
            if c.dep_ == "appos" and c.i > head.i:
                toks.extend(t for t in c.subtree if t.i - head.i <= 25)
            elif c.dep_ == "prep" and c.lower_ in ("for", "of", "at", "with") and c.i > head.i:
                toks.extend(t for t in c.subtree if t.i - head.i <= 12)
        found: dict[str, list[Entity]] = {"org": [], "group": [], "place": []}
        for t in toks:
            if self.inside[t.idx]:
                continue
            ent = self.index.at(t.idx, t.idx + len(t.text))
            if ent is not None and ent is not speaker and ent.type in found and ent not in found[ent.type]:
                found[ent.type].append(ent)
            elif ent is None and t.lemma_.lower() in _BODY_WORDS and t.pos_ == "NOUN":
                body = self._earlier_body(t)
                if body is not None and body is not speaker and body not in found["org"]:
                    found["org"].append(body)
        for kind in ("org", "group", "place"):
            if found[kind]:
                return found[kind][0].name, found[kind][0]
        return None

    def _earlier_body(self, tok: Token) -> Entity | None:
        """"the campaign" → the campaign named earlier with its owner ("Donald Trump’s campaign")."""
        want = tok.lemma_.lower()
        for t in reversed(self.doc[max(0, tok.i - 400) : tok.i]):
            if t.lemma_.lower() == want and t.pos_ == "NOUN":
                ent = self.index.at(t.idx, t.idx + len(t.text))
                if ent is not None and ent.type == "org":
                    return ent
        return None

    def _kind_phrase(self, tok: Token) -> str:
        """A document's or role noun's kind without determiners or owner: "joint statement", "spokeswoman"."""
        mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.ent_type_ == "" and c.pos_ != "PROPN"]
        first = min([tok, *mods], key=lambda t: t.i)
        return self.doc[first.i : tok.i + 1].text

    def _document_kind(self, tok: Token) -> str:
        return self._kind_phrase(tok)

    def _earlier_document(self, tok: Token) -> tuple[str, Entity | None] | None:
        """"The ad says" after "a new ad from Donald Trump’s campaign": the author named with the document's
        earlier mention (same noun, within the last few paragraphs)."""
        det = next((c for c in tok.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ("the", "this", "that"):
            return None
        want = tok.lemma_.lower()
        for t in reversed(self.doc[max(0, tok.i - 400) : tok.i]):
            if t.lemma_.lower() == want and t.pos_ == "NOUN" and not self.inside[t.idx]:
                owner = self._owner_of(t)
                if owner is not None:
                    return owner
        return None


_NOT_OWNERS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY")
_INDEFINITE = ("a", "an", "one", "another", "some", "any")
