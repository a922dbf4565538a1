"""Who speaks: the cue's subject (through xcomp/conj/acl chains, passive agents, inverted order), the medium
("told Military Times"), and the resolution of that token to an entity (name, pronoun, role noun, the body behind
"a statement from X"); pronouns and definite descriptions through the passage's topic (``topics``).  What the
speaker speaks for is read in ``affiliations``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Token

from ...model import Entity
from ..entities.lexicon import ROLE_HEADS
from ..runtime.doc_cache import noun_chunks_in
from .context import Attr, QuoteContext
from .cues import DOCUMENT_NOUNS, MEDIA_HINTS
from .spans import noun_phrase, span_text
from .topics import BODY_WORDS, described, described_body, person_with_who, topic_person, topic_thing

SUBJ = ("nsubj", "nsubjpass", "csubj")
_BODY_PREPS = ("from", "by", "of")
_NOT_OWNERS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY")
_INDEFINITE = ("a", "an", "one", "another", "some", "any")
# verbs whose "X to Y" is a purpose of the subject's, not a deed of the object ("used the comments to urge …")
_PURPOSE_VERBS = frozenset({"use", "employ", "exploit", "seize", "leverage", "take"})
_POSS_AGREE = {"his": False, "her": False, "their": True}     # possessive pronoun -> refers to a plural
_RAISING = frozenset({"seem", "appear"})
# a dateline: a place in capitals ("WASHINGTON", "BUENA PARK, Calif.", "CLEVELAND, July 19 (UPI)") or a place
# with its agency in brackets ("New York (AFP)"), then a dash (group 1 marks the dash)
_DATELINE = re.compile(r"(?:[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+)*(?:,[^\n—–()]{1,30})?(?:\s*\([^)\n]{1,30}\))?"
                       r"|[A-Z][^\n()—–]{0,40}\([^)\n]{1,30}\))\s*(—|–|--|\s-\s)\s*")
_ADJUNCT_MARKS = frozenset({"when", "if", "once", "after", "before", "as", "unless", "until", "while"})


def first_noun_after(cx: QuoteContext, tok: Token) -> Token | None:
    """The head of the first noun phrase right after a cue, however the parser attached it ("said Robin
    Maynard, half joking" with Maynard as the subject of "joking")."""
    return _first_head(cx.doc[tok.i + 1 : min(tok.i + 7, tok.sent.end)], ("PROPN", "NOUN", "PRON"))


def _first_head(tokens: Iterable[Token], pos: tuple[str, ...]) -> Token | None:
    """The head of the noun phrase the tokens start with (determiners, adjectives, numbers and punctuation passed
    over; compounds climbed to their noun), or None when the first word is something else or a date."""
    for t in tokens:
        if t.is_punct or t.pos_ in ("DET", "ADJ", "NUM"):
            continue
        if t.pos_ not in pos or t.ent_type_ in ("DATE", "TIME"):
            return None
        while t.dep_ in ("compound", "amod") and t.head.i > t.i and t.head.pos_ in ("PROPN", "NOUN"):
            t = t.head
        return t
    return None


def inverted_source(tok: Token) -> Token | None:
    """"…, said a joint statement." / "…, warned member of parliament X.": the speaker follows the cue."""
    if tok.lemma_ == "tell":
        return None                             # "told Military Times": the object is the audience
    if tok.tag_ == "VBG":
        return None                             # "“…,” Trump said, repeating a common line": a participle never inverts
    cands = [c for c in tok.rights if c.dep_ in ("nsubj", "dobj", "attr", "npadvmod") and c.pos_ in ("NOUN", "PROPN")
             and c.ent_type_ not in ("DATE", "TIME") and c.i - tok.i <= 5]
    named = [c for c in cands if c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")]
    found = named or cands
    return found[0] if found else None


def left_subject(cx: QuoteContext, tok: Token, content: tuple[int, int]) -> Token | None:
    """Parser gave no subject: the nearest noun phrase before the cue, outside the content, in the sentence."""
    root = tok
    while root.dep_ in ("conj", "advcl", "xcomp") and root.head.i < root.i and not any(
            c.dep_ in SUBJ for c in root.head.children):
        root = root.head                    # "X railed against Y and explained …": the subject of the first verb
    if root.dep_ != "ROOT":
        return None
    para = cx.text.rfind("\n", 0, tok.idx) + 1
    for chunk in reversed(noun_chunks_in(cx.doc, tok.sent.start, root.i)):
        r = chunk.root
        if r.idx < para or content[0] <= r.idx < content[1] or cx.inside[r.idx] or dateline_end(cx, r) is not None:
            continue
        if r.ent_type_ in ("DATE", "TIME") or r.dep_ not in ("nsubj", "ROOT", "appos", "conj"):
            # "At an event in St. Clairsville, Ohio, 62-year-old Brenda Johnson railed …": a person's name read as
            # the place's object, right before the verb
            if r.ent_type_ == "PERSON" and all(t.pos_ in ("ADV", "AUX", "PART") for t in cx.doc[chunk.end : root.i]):
                return r
            continue
        if r.dep_ == "appos" and r.ent_type_ in ("GPE", "LOC"):
            continue                        # "in Salem, New Hampshire,": the place's state, not a speaker
        return r
    return None


def writer_voice(tok: Token) -> bool:
    """The cue names no holder by its syntax, so the judgment is the writer's: a raising verb, whose subject is part
    of what is judged ("Trump seems to understand …"), or a passive with no by-agent ("Democrats are expected to
    follow …", "some advisers are said to be urging …").  Its grammatical subject is not the speaker."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if tok.lemma_.lower() in _RAISING:
        return True
    if passive_adjunct(tok):
        return passive_agent(tok) is None
    kids = list(tok.children)
    if any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in kids) and any(c.dep_ == "ccomp" for c in kids):
        return False                        # "He's said he gets …": a perfect the parser read as a passive
    return any(c.dep_ == "nsubjpass" for c in kids) and not any(c.dep_ == "agent" for c in kids)


def passive_adjunct(tok: Token) -> bool:
    """"Asked about the charges, Rubio said …", "… Earnest said when asked whether …": a past participle set as an
    adjunct, with no subject or auxiliary of its own, is a passive. The subject of the clause it hangs on is the one
    asked, not the asker, so it is not the cue's speaker (PolNeAR marks no source there, or the by-agent)."""
    if tok.dep_ != "advcl" or tok.lemma_ == "quote":
        return False
    kids = list(tok.children)
    if any(c.dep_ in SUBJ or c.dep_ in ("aux", "auxpass", "expl") for c in kids):
        return False
    # the tagger reads a bare "when asked" as a past tense now and then; with no subject it is the participle
    return tok.tag_ == "VBN" or tok.tag_ == "VBD" and any(c.dep_ in ("mark", "advmod") and c.lower_ in _ADJUNCT_MARKS
                                                           for c in kids)


def own_subject(cx: QuoteContext, tok: Token) -> Token | None:
    """The cue's own subject, one outside quotation marks first when the cue is outside them ('“… Or Ferguson,” Trump
    said': the parser may give the cue a second subject inside the quotation), then one outside the dateline, then a
    noun or pronoun ("He and X both said": not "both"), then the nearest ("Speaking in Salem, New Hampshire, Trump went …": the parser gives "went" both; in text whose
    lines ran together the first is often a headline's noun).  A dateline read
    as the subject ("CLEVELAND, July 19 (UPI) — Former Attorney General Michael Mukasey told …") stands for the
    noun phrase after its dash."""
    subjs = [c for c in tok.children if c.dep_ in SUBJ]
    if not subjs:
        return None
    outside = not cx.inside[tok.idx]
    subjs.sort(key=lambda c: (outside and cx.inside[c.idx], dateline_end(cx, c) is not None,
                              c.tag_ == "DT" or c.pos_ not in ("PROPN", "NOUN", "PRON"), abs(tok.i - c.i)))
    subj = subjs[0]
    end = dateline_end(cx, subj)
    return subj if end is None else _after_dateline(cx, subj, end)


def dateline_end(cx: QuoteContext, tok: Token) -> int | None:
    """Where the dateline that holds ``tok`` ends ("WASHINGTON (AP) — ", "New York (AFP) – ", "CLEVELAND, July 19
    (UPI) — "): a place, date or agency at the start of a paragraph, up to a dash; None when ``tok`` is not in one."""
    para = cx.text.rfind("\n", 0, tok.idx) + 1
    if tok.idx - para > 80 or not cx.text[para : para + 1].isupper():
        return None                         # past where a dateline can reach, or no capital to open one
    m = _DATELINE.match(cx.text, para, min(len(cx.text), para + 80))
    if m is None or tok.idx >= m.start(1):
        return None
    head = cx.doc.char_span(para, m.start(1), alignment_mode="contract")
    if head is None or not len(head) or any(t.pos_ in ("VERB", "AUX", "PRON", "DET") for t in head):
        return None                         # "Trump said - …": a clause, not a dateline
    return m.end()


def _after_dateline(cx: QuoteContext, subj: Token, end: int) -> Token | None:
    """The head of the noun phrase right after a dateline's dash."""
    after = (t for t in cx.doc[subj.i : min(len(cx.doc), subj.i + 30)] if t.idx >= end and not t.is_space)
    return _first_head(after, ("PROPN", "NOUN"))


def possessor(tok: Token) -> Token | None:
    """The holder of a noun cue: its possessor; a possessive pronoun that refers to the subject of the clause the
    noun sits in is that subject ("Donald Trump ratcheted up his attacks on Rubio", "the politicians were unanimous in
    their condemnation"): the nearer mention, which the passage's topic might not be."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is None or poss.pos_ != "PRON" or poss.lower_ not in _POSS_AGREE:
        return poss
    node = tok
    for _ in range(4):
        if node.dep_ not in ("dobj", "pobj", "prep", "attr", "nsubj") or node.head.i == node.i:
            break
        node = node.head
        subj = next((c for c in node.children if c.dep_ == "nsubj" and c.i < tok.i), None) if node.pos_ in (
            "VERB", "AUX") else None
        if subj is not None and subj.i != tok.i:
            plural = subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)
            if subj.pos_ in ("PROPN", "NOUN") and _POSS_AGREE[poss.lower_] == plural and (
                    plural or subj.ent_type_ == "PERSON" or subj.lemma_.lower() in ROLE_HEADS):
                return subj
            break
    return poss


def passive_agent(tok: Token) -> Token | None:
    """The by-agent of a passive cue ("was asked by host John Dickerson"): the one who speaks."""
    agent = next((c for c in tok.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def cue_source(cx: QuoteContext, tok: Token) -> Token | None:
    """The subject up the tree from a cue that has none of its own (through xcomp/advcl/conj chains, a passive's
    agent, the noun an acl participle describes)."""
    node: Token | None = tok
    if passive_adjunct(tok):
        return passive_agent(tok)           # never the subject above: that is the one asked
    if _participle_adjunct(cx, tok):
        # "X rejected the idea that Y would be a drag, saying …": a participle set off by a comma speaks for the
        # subject of the main clause above it, wherever the parser hung it (here on the clause about Y)
        node = _main_verb_above(tok)
    gerund = False
    for _ in range(8):
        if node is None:
            break
        subj = own_subject(cx, node)
        if subj is not None and cx.inside[subj.idx] and not cx.inside[tok.idx]:
            return None                         # a parse that reaches into the quote for its subject
        if subj is not None:
            if subj.dep_ == "nsubjpass" and node.lemma_ == "quote" and node is not tok:
                return subj                     # "X was quoted as saying": X says it
            if subj.dep_ == "nsubjpass":
                agent = next((c for c in node.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                return pobj
            return subj
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
            return _doer_of(cx, node.head) or node.head     # "an early tweet saying …", "results showing …"
        if node.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp", "prep", "acomp") and node.head.i != node.i:
            if node.dep_ == "ccomp" and node is not tok:
                break
            infinitive = node.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            if node.head.lemma_.lower() in _PURPOSE_VERBS:
                infinitive = False              # "the NRA used the comments to urge …": the user urges
            obj = next((c for c in node.head.children if c.dep_ == "dobj"), None) if infinitive else None
            if obj is not None and obj.i < node.i and not cx.inside[obj.idx]:
                return obj                      # "led the WHO to declare …": the object does what the "to" verb says
            gerund = gerund or node.dep_ == "pcomp" and node.tag_ == "VBG"
            node = node.head
            continue
        if gerund and node.dep_ in ("dobj", "attr", "acomp") and node.head.pos_ in ("VERB", "AUX"):
            # "Trump has a long history of blaming …", "was the most aggressive in denouncing …": the gerund's
            # understood subject is the subject of the clause its phrase completes
            node = node.head
            continue
        break
    return None


def _doer_of(cx: QuoteContext, noun: Token) -> Token | None:
    """"Trump fired back a response saying …", "Romney, with a March speech denouncing …", "took turns rebutting …":
    a participle on the object of a deed speaks for whoever did it, the subject of that verb. Documents keep their
    own voice here, so their kind stays on the quote (``_body_of`` finds their issuer)."""
    if noun.lemma_.lower() in DOCUMENT_NOUNS or noun.dep_ not in ("dobj", "pobj"):
        return None
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or cx.inside[subj.idx] or subj.lower_ in ("it", "this", "that"):
        return None
    return subj


def _participle_adjunct(cx: QuoteContext, tok: Token) -> bool:
    """A participle cue after a comma that the parser hung inside a clause below a main clause."""
    if tok.tag_ != "VBG" or tok.i == 0 or cx.doc[tok.i - 1].text != "," or tok.dep_ not in ("advcl", "conj", "xcomp"):
        return False
    main = _main_verb_above(tok)
    return main is not None and main is not tok.head and main.i < tok.i


def _main_verb_above(tok: Token) -> Token | None:
    """The first verb up from ``tok`` that heads a main clause (the root, or a verb coordinated with it)."""
    node = tok.head
    for _ in range(8):
        up = node
        while up.dep_ in ("conj", "parataxis") and up.head.i != up.i:
            up = up.head
        if up.dep_ == "ROOT":
            return node if node.pos_ in ("VERB", "AUX") else None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def cue_medium(cx: QuoteContext, tok: Token) -> str | None:
    """"told Military Times", "in an interview with AP", "said to CNN"."""
    for c in tok.children:
        if c.dep_ in ("dative", "dobj") and tok.lemma_ == "tell" and _is_media(cx, c):
            return span_text(cx, c)
        if c.dep_ == "prep" and c.lower_ in ("in", "to", "on"):
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                if c.lower_ in ("to", "on") and _is_media(cx, p):
                    return span_text(cx, p)
                for w in p.children:
                    if w.dep_ == "prep" and w.lower_ == "with":
                        o = next((x for x in w.children if x.dep_ == "pobj"), None)
                        if o is not None and _is_media(cx, o):
                            return span_text(cx, o)
    return None


def _is_media(cx: QuoteContext, tok: Token) -> bool:
    ent = cx.index.at(tok.idx, tok.idx + len(tok.text))
    phrase = cx.doc[tok.left_edge.i : tok.i + 1].text.lower()
    if ent is not None and ent.type == "org":
        return True
    return tok.pos_ == "PROPN" and any(h in phrase.split() or h in phrase for h in MEDIA_HINTS if len(h) > 3)


def resolve(cx: QuoteContext, a: Attr) -> None:
    """Set the speaker (name and entity), its mention in the text, and the body behind a document or office, from
    the speaker token ``a.source`` found by the finders; a pronoun or description resolves through the passage."""
    if a.speaker is not None or a.source is None:
        return
    tok = a.source
    ent = cx.index.resolve_token(tok)
    if tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "him", "her", "his", "they", "it"):
        topic = topic_person(cx, tok) if tok.lower_ not in ("they", "it") else topic_thing(cx, tok)
        if isinstance(topic, Entity):
            ent = topic
        elif topic is not None:             # "A spokesman for the trust said …. “…,” he added": the spokesman
            a.speaker_span = (tok.idx, tok.idx + len(tok.text))
            a.source = topic
            resolve(cx, a)
            a.speaker_span = (tok.idx, tok.idx + len(tok.text))
            return
        elif tok.lower_ not in ("they", "it"):
            ent = cx.index.resolve_pronoun(tok, cx.inside) or ent
    elif tok.lower_ == "who" and tok.head.dep_ == "relcl" and (ent is None or ent.type != "person") and (
            holder := person_with_who(tok.head.head)) is not None:
        a.source = holder                   # "a woman from Benghazi, who urged …": the woman, not Benghazi
        resolve(cx, a)
        return
    elif tok.lower_ == "who" and tok.head.dep_ == "relcl" and tok.head.head.dep_ == "appos":
        # "said Nuri Mohamed Ali, a man who said he fled": the relative's noun stands in apposition to a name
        named = cx.index.at(tok.head.head.head.idx, tok.head.head.head.idx + len(tok.head.head.head.text))
        ent = named if named is not None and named.type == "person" else ent
    elif tok.pos_ == "NOUN":
        ent = _named_in_apposition(cx, tok) or (None if _new_referent(cx, tok) else described(cx, tok, ent))
        ent = ent or described_body(cx, tok)
    mention = cx.index.at(tok.idx, tok.idx + len(tok.text))
    if mention is not None:
        span = next(((s, e) for s, e in mention.mentions if s <= tok.idx < e), None)
        a.speaker_span = span or (tok.idx, tok.idx + len(tok.text))
    elif tok.pos_ == "PRON":
        a.speaker_span = (tok.idx, tok.idx + len(tok.text))
    else:
        a.speaker_span = noun_phrase(tok)
    joint = [c for c in tok.conjuncts if c.i > tok.i and c.pos_ in ("PROPN", "NOUN", "PRON")]
    if joint:
        # "Clinton and Sanders said": the first is the speaker (one canonical name, one id), the mention
        # keeps them all so the joint voice stays visible in the text span
        last = max(joint, key=lambda c: c.i)
        a.speaker_span = (min(a.speaker_span[0], tok.left_edge.idx), max(a.speaker_span[1], noun_phrase(last)[1]))
    if tok.lemma_.lower() in DOCUMENT_NOUNS or tok.lower_ in ("office", "ministry", "spokesman", "spokeswoman"):
        body = _body_of(cx, tok)
        if body is not None:
            a.speaker, a.entity = body
            return
    if ent is None and tok.pos_ in ("NOUN", "PROPN"):
        # "lawmaker Ali Hassan", "member of parliament X": a person named inside the subject phrase
        s, e = noun_phrase(tok)
        inner = cx.index.at(s, e)
        if inner is not None and inner.type == "person":
            ent = inner
    if ent is not None:
        a.speaker, a.entity = ent.name, ent
    elif tok.pos_ != "PRON" or tok.lower_ in ("who", "which", "that"):
        if tok.lower_ in ("who", "which", "that") and tok.head.dep_ == "relcl":
            tok = tok.head.head                 # "Iraqi groups that demanded …": the groups
        s, e = noun_phrase(tok)
        words = cx.text[s:e].split()
        while words and (words[0].lower() in ("the", "a", "an", "this", "that", "these", "those")
                         or not any(ch.isalnum() for ch in words[0])):
            words.pop(0)                    # and a signature's dash ("- Sanders.")
        a.speaker = " ".join(words) or None


def _owner_of(cx: QuoteContext, tok: Token) -> tuple[str, Entity | None] | None:
    """Who issued a document: its possessor, its from/by/of phrase, or a name compounded with it ("a Trump
    campaign ad")."""
    for c in tok.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            owner = cx.index.resolve_token(c)
            return (owner.name, owner) if owner else (c.text, None)
        if c.dep_ == "prep" and c.lower_ in _BODY_PREPS:
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is None or pobj.ent_type_ in _NOT_OWNERS or not (
                    pobj.ent_type_ or pobj.pos_ == "PROPN" or pobj.lemma_.lower() in BODY_WORDS):
                continue
            owner = cx.index.at(pobj.idx, pobj.idx + len(pobj.text)) or cx.index.resolve_token(pobj)
            if owner is None:               # "from Donald Trump’s campaign": the body, else its owner
                named = [e for t in pobj.subtree if (e := cx.index.at(t.idx, t.idx + len(t.text))) is not None]
                owner = min(named, key=lambda e: e.type != "org", default=None)
            if owner is not None and not any(x.dep_ == "conj" for x in pobj.children):
                return owner.name, owner
            return _strip_det(cx.doc[pobj.left_edge.i : pobj.right_edge.i + 1].text), None
    for c in tok.lefts:
        if c.dep_ == "compound" and (c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or c.lemma_.lower() in
                                     BODY_WORDS):
            owner = cx.index.at(c.idx, c.idx + len(c.text))
            if owner is not None:
                return owner.name, owner
    if tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
        # "Rasmussen issued a statement saying": the subject of the verb that puts the document out; "Wadud reacted
        # … by issuing a video statement denouncing": a gerund's subject is the clause's it completes
        verb = tok.head
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None and verb.tag_ == "VBG" and verb.dep_ in ("pcomp", "advcl", "xcomp", "conj"):
            subj = cue_source(cx, verb)
        subj = subj if subj is not None and subj.pos_ in ("PROPN", "NOUN") else None
        owner = cx.index.resolve_token(subj) if subj is not None and not cx.inside[subj.idx] else None
        if owner is not None:
            return owner.name, owner
    return None


def _strip_det(s: str) -> str:
    words = s.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words)


def _body_of(cx: QuoteContext, tok: Token) -> tuple[str, Entity | None] | None:
    """"Sudani's office" → that office; "a statement from Washington" → Washington; "the ad" after "an ad from
    the Trump campaign" → that campaign; else the statement itself."""
    if tok.lemma_.lower() in DOCUMENT_NOUNS and not any(c.dep_ == "poss" for c in tok.children):
        issuer = _owner_of(cx, tok) or _earlier_document(cx, tok)
        if issuer is not None:
            return issuer
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is not None:
        owner = cx.index.resolve_token(poss)
        name = owner.name if owner else poss.text
        if tok.lemma_.lower() in DOCUMENT_NOUNS:
            return name, owner
        body = cx.index.at(tok.idx, tok.idx + len(tok.text))
        if body is not None and body is not owner:
            return body.name, body              # the body entity ("Mohammed al-Sudani’s office")
        return f"{name}’s {tok.text}", None
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in _BODY_PREPS:
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is not None:
                owner = cx.index.resolve_token(pobj)
                conj = [x for x in pobj.children if x.dep_ == "conj"]
                if owner is not None and not conj:
                    return owner.name, owner
                return cx.doc[pobj.left_edge.i : pobj.right_edge.i + 1].text, None
    return None


def _named_in_apposition(cx: QuoteContext, tok: Token) -> Entity | None:
    """"The head of UN peacekeeping, Alain Le Roy, said": the person the apposition names."""
    for c in tok.subtree:
        if c.dep_ == "appos" and c.i > tok.i and (c.head.i == tok.i or c.head.dep_ == "pobj" and c.head.head.head.i == tok.i):
            for t in c.subtree:
                ent = cx.index.at(t.idx, t.idx + len(t.text))
                if ent is not None and ent.type == "person":
                    return ent
    return None


def _new_referent(cx: QuoteContext, tok: Token) -> bool:
    """"A rebel spokesman said", and "the spokesman" right after "a government spokesman": someone unnamed, not
    the named spokesman of another paragraph."""
    if tok.lemma_.lower() not in ROLE_HEADS or _named_at(cx, tok):
        return False
    det = next((c.lower_ for c in tok.children if c.dep_ == "det"), None)
    if det in _INDEFINITE:
        return True
    if det not in ("the", "this", "that"):
        return False
    for t in reversed(cx.doc[max(0, tok.i - 300) : tok.i]):
        if t.lemma_ == tok.lemma_ and t.pos_ == "NOUN":
            return (next((c.lower_ for c in t.children if c.dep_ == "det"), None) in _INDEFINITE
                    and not _named_at(cx, t) and _named_in_apposition(cx, t) is None)
    return False


def _named_at(cx: QuoteContext, tok: Token) -> bool:
    """The token is part of a name ("Mr. Ibrahim"), not a bare description linked to someone ("the spokesman")."""
    ent = cx.index.at(tok.idx, tok.idx + len(tok.text))
    if ent is None:
        return False
    span = next(((s, e) for s, e in ent.mentions if s <= tok.idx < e), None)
    part = cx.doc.char_span(*span, alignment_mode="expand") if span else None
    return part is None or any(t.pos_ == "PROPN" for t in part)


def _earlier_document(cx: QuoteContext, tok: Token) -> tuple[str, Entity | None] | None:
    """"The ad says" after "a new ad from Donald Trump’s campaign": the author named with the document's
    earlier mention (same noun, within the last few paragraphs)."""
    det = next((c for c in tok.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in ("the", "this", "that"):
        return None
    want = tok.lemma_.lower()
    for t in reversed(cx.doc[max(0, tok.i - 400) : tok.i]):
        if t.lemma_.lower() == want and t.pos_ == "NOUN" and not cx.inside[t.idx]:
            owner = _owner_of(cx, t)
            if owner is not None:
                return owner
    return None
