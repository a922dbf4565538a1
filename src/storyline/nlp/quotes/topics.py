"""The passage's topic: who a pronoun or a definite description stands for when it is the speaker.

A reader resolves "he said", "they wrote", "it also noted" and "the prime minister said" to the subject of the
preceding main clauses (this sentence's, then the previous ones', across paragraph breaks), not to whoever was named
last: a person named only inside a subordinate clause or as an object ("after having met Prime Minister X") is passed
over.  ``speakers.resolve`` calls these when it resolves a speaker token.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from ...model import Entity
from ..entities.lexicon import BODY_NOUNS, FEMALE_NOUNS, GENERIC_ROLE_HEADS, MALE_NOUNS, ROLE_GROUPS, ROLE_HEADS
from .context import QuoteContext
from .cues import DOCUMENT_NOUNS, GENERIC_ORG_NOUNS, ORG_NOUNS, SPEECH_VERBS

BODY_WORDS = BODY_NOUNS - {"spokesman", "spokeswoman", "spokesperson", "lawyers", "attorneys", "aides"}
_TOPIC_SENTENCES = 3
_NEAR_CHARS = 600
_PERSON_ROLES = ROLE_HEADS - {"source", "head"}
_GENDER_OF = {**{w: "m" for w in MALE_NOUNS}, **{w: "f" for w in FEMALE_NOUNS}}
# Common nouns that say a person: "a woman from Benghazi, who urged …" is about the woman.
_PERSON_NOUNS = MALE_NOUNS | FEMALE_NOUNS | _PERSON_ROLES | {"resident", "witness"}
# The prepositions of a person's description that the parser may hang a "who" clause on: "a woman from Benghazi, who …"
_DESCRIPTION_PREPS = ("from", "of", "in", "at")


def _who_clause(t: Token) -> bool:
    """``t`` has a relative clause whose subject is "who" and whose verb reports speech ("who urged …", "who said …"):
    a person who traveled, wanted or burst in is no speaker for the next pronoun."""
    return any(c.dep_ == "relcl" and c.lemma_.lower() in SPEECH_VERBS
               and any(s.dep_ == "nsubj" and s.lower_ == "who" for s in c.children) for c in t.children)


def _agent_described(t: Token, want: str) -> bool:
    """"the concerns of a woman from Benghazi, who urged …": an unnamed person of the pronoun's gender who is the
    subject of a relative clause of their own is an actor of the passage even where the noun is an object. Not a
    noun in apposition to a name ("Eman al-Obeidy, the woman who …"): the name is the subject already found."""
    if t.pos_ != "NOUN" or t.tag_ != "NN" or t.dep_ == "appos" or _GENDER_OF.get(t.lower_) != want:
        return False
    return _who_clause(t) or any(c.dep_ == "prep" and c.lower_ in _DESCRIPTION_PREPS and _who_clause(p)
                                 for c in t.children for p in c.children if p.dep_ == "pobj")


def person_with_who(t: Token) -> Token | None:
    """The person noun whose from/of/in/at phrase the parser hung a "who" clause on: in "a woman from Benghazi, who
    urged …" the clause is about the woman, not Benghazi (a place is never "who"), and in "X, a supporter from Hemet,
    who say …" about X; a clause on a person noun ("the mother of a woman who burst in …") stays that person's."""
    if t.lower_ in _PERSON_NOUNS or t.pos_ == "PRON":
        return None
    if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.lower_ in _DESCRIPTION_PREPS:
        holder = t.head.head
        if holder.pos_ == "NOUN" and holder.tag_ == "NN" and holder.lower_ in _PERSON_NOUNS:
            return holder
        if holder.pos_ == "NOUN" and holder.dep_ == "appos" and holder.head.ent_type_ == "PERSON":
            return holder.head              # "Naureen Jahangir, a Sanders supporter from Hemet, California, who say …"
    return None


def described(cx: QuoteContext, tok: Token, linked: Entity | None) -> Entity | None:
    """"Gordon Brown said … The prime minister said": a definite role noun as the speaker is the person the
    passage is about (the named main-clause subject just before) when that person's known roles fit the noun
    or none is known; else the person the role description was linked to elsewhere in the article."""
    det = next((c.lower_ for c in tok.children if c.dep_ == "det"), None)
    bare = not any(c.dep_ in ("amod", "compound") for c in tok.children)
    if det != "the" or tok.lemma_.lower() not in ROLE_HEADS or tok.lower_ in GENERIC_ROLE_HEADS and bare:
        return linked                       # "the official": too generic to stand for the passage's person
    topic = topic_person(cx, tok, want="any", named_only=True)
    if not isinstance(topic, Entity) or topic is linked:
        return linked
    groups = {ROLE_GROUPS[w] for w in tok.lemma_.lower().split() if w in ROLE_GROUPS}
    held = {ROLE_GROUPS[w.lower().strip(",")] for r in cx.index.roles.get(topic.id, []) for w in r.split()
            if w.lower().strip(",") in ROLE_GROUPS}
    # the person the description was linked to, if named in the lines just above, is a rival reading
    near = linked is not None and any(tok.idx - _NEAR_CHARS <= m < tok.idx and not cx.inside[m]
                                      for m, _e in linked.mentions)
    if held and groups and not groups & held:
        return linked                       # "President Calderon … The health minister says": someone else
    return topic if not held or groups & held or not near else linked


def topic_person(cx: QuoteContext, tok: Token, depth: int = 0, want: str | None = None,
                  named_only: bool = False) -> Entity | Token | None:
    """The subject of the nearest earlier main clause (this sentence's, then the previous ones', across paragraph
    breaks) that names a person of the pronoun's gender, or an unnamed person by role ("a spokesman for the
    trust"); a pronoun subject there stands for its own topic.  A person named only in a subordinate clause or
    as an object ("after having met Prime Minister X") is passed over; None when no such subject is near."""
    want = want or ("f" if tok.lower_ in ("she", "her", "hers", "herself") else "m")
    for part in _passage_back(cx, tok):
        best: Entity | Token | None = None
        for t in part:
            quoted = t.dep_ == "dobj" and t.head.lemma_ == "quote"       # "AP quoted McKenzie as saying"
            if want != "any" and not cx.inside[t.idx] and _agent_described(t, want):
                best = t                    # "… of a woman from Benghazi, who urged …": she is the one to speak next
                continue
            if cx.inside[t.idx] or not quoted and (t.dep_ not in ("nsubj", "nsubjpass") or not _main_clause(t)):
                continue
            ent = cx.index.at(t.idx, t.idx + len(t.text)) or _named_beside(cx, t)
            if ent is not None and ent.type == "person" and (want == "any" or cx.index.gender(ent) in (None, want)):
                best = ent                  # the last main-clause subject before the pronoun in this sentence
            elif ent is None and t.pos_ == "PRON" and t.lower_ == tok.lower_ and depth < 3:
                best = topic_person(cx, t, depth + 1, want) or best
            elif ent is None and t.pos_ == "NOUN" and t.tag_ == "NN" and t.lower_ in _PERSON_ROLES:
                best = t                    # "a spokesman for the trust": unnamed, by role
            elif ent is None and t.pos_ == "NOUN" and t.tag_ == "NN" and t.dep_ == "nsubj" and (
                    t.head.lemma_ in SPEECH_VERBS):
                # "one woman says": an unnamed speaker; "the televangelist said" after "Mr Robertson made the
                # comments": a definite description of the person the passage is already about
                det = next((c.lower_ for c in t.children if c.dep_ == "det"), None)
                earlier = topic_person(cx, t, depth + 1, want) if det == "the" and depth < 3 else None
                best = earlier if isinstance(earlier, Entity) else t
            elif ent is None and t.pos_ == "PROPN" and _unrecognised_name(t):
                best = t                    # a full name the recogniser missed ("Chew Choon Seng often …")
            elif ent is None and t.lower_ == "one" and t.head.lemma_ in SPEECH_VERBS:
                of = [p for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"]
                best = of[0] if of else best  # "one of the DJs says": the DJs
        if best is not None and (isinstance(best, Entity) or not named_only):
            return best
    return None


def _named_beside(cx: QuoteContext, t: Token) -> Entity | None:
    """The person a noun subject is named as in apposition ("The 21-year-old man, Emmannuel Buso, was pulled out")."""
    if t.pos_ != "NOUN":
        return None
    for c in t.children:
        if c.dep_ == "appos" and c.i > t.i:
            ent = cx.index.at(c.idx, c.idx + len(c.text))
            if ent is not None and ent.type == "person":
                return ent
    return None


def _passage_back(cx: QuoteContext, tok: Token) -> Iterator[Span]:
    """``tok``'s sentence up to ``tok``, then the sentences before it, across paragraph breaks, until
    ``_TOPIC_SENTENCES`` of them held unquoted words (quoted sentences and blank lines do not count)."""
    sent = tok.sent
    seen = 0
    while seen < _TOPIC_SENTENCES:
        part = cx.doc[sent.start : tok.i if sent.start <= tok.i < sent.end else sent.end]
        yield part
        if any(not t.is_space and not t.is_punct and not cx.inside[t.idx] for t in part):
            seen += 1
        if sent.start == 0:
            break
        sent = cx.doc[sent.start - 1].sent


def topic_thing(cx: QuoteContext, tok: Token) -> Entity | Token | None:
    """"they" and "it" as the speaker: the subject of the nearest earlier main clause that fits the pronoun, as
    for he/she (``_topic_person``).  "they": a plural subject ("the researchers said … they wrote"), or persons
    coordinated ("Weinstock and Zuccotti said … they wrote"; the first stands for them), or an organisation.
    "it": an organisation or a singular common noun that can carry words ("the report highlighted … it also
    noted", "the company … but it issued a statement").  None when no such subject is near: the caller then
    falls back on the nearest organisation named before (``EntityIndex.resolve_pronoun``)."""
    plural = tok.lower_ == "they"
    for part in _passage_back(cx, tok):
        best: Entity | Token | None = None
        for t in part:
            if cx.inside[t.idx] or t.dep_ not in ("nsubj", "nsubjpass") or not _main_clause(t):
                continue
            ent = cx.index.at(t.idx, t.idx + len(t.text))
            joint = any(c.dep_ == "conj" for c in t.children)
            if t.pos_ == "PRON" and t.lower_ == tok.lower_:
                continue                    # an earlier "they": look further back for what it stands for
            if ent is not None and (ent.type in ("org", "group") or plural and ent.type == "person" and joint):
                best = ent
            elif ent is None and t.pos_ == "NOUN" and (t.tag_ == "NNS") == plural and (
                    plural or t.lemma_.lower() in DOCUMENT_NOUNS or t.lemma_.lower() in BODY_WORDS
                    or any(c.dep_ == "det" for c in t.children)):
                best = t
        if best is not None:
            return best
    return None


def described_body(cx: QuoteContext, tok: Token) -> Entity | None:
    """"Smithfield is adamant … the company issued a statement": a bare definite organisation noun as the speaker is
    an organisation of the passage (this sentence up to the noun, then the previous ones): the nearest one whose name
    holds the noun ("the council" → "Transitional National Council"); for a noun that fits any organisation
    ("company", "group"), else the nearest main-clause subject naming an organisation, then the nearest one named.
    None for "a company", "the German company" (modifiers make it someone new) or when nothing fits."""
    det = next((c.lower_ for c in tok.children if c.dep_ == "det"), None)
    noun = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or tok.tag_ != "NN" or det not in ("the", "this") or noun not in ORG_NOUNS:
        return None
    if any(c.dep_ in ("amod", "compound", "poss", "nmod", "prep") for c in tok.children):
        return None
    orgs: list[tuple[Token, Entity]] = []
    for part in _passage_back(cx, tok):
        orgs.extend(reversed([(t, e) for t in part if not cx.inside[t.idx]
                              and (e := cx.index.at(t.idx, t.idx + len(t.text))) is not None and e.type == "org"]))
    titled = next((e for _, e in orgs if noun in e.name.lower().split()), None)
    if titled is not None or noun not in GENERIC_ORG_NOUNS:
        return titled
    subject = next((e for t, e in orgs if t.dep_ in ("nsubj", "nsubjpass") and _main_clause(t)), None)
    return subject or (orgs[0][1] if orgs else None)


def _unrecognised_name(t: Token) -> bool:
    """A subject written as a person's full name that the recogniser left untyped ("Chew Choon Seng"): two or more
    capitalised name words before it, none typed as anything else and none an acronym ("UK Disasters Emergency
    Committee" has "UK")."""
    parts = [c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < t.i]
    words = [*parts, t]
    return len(parts) >= 2 and all(not w.ent_type_ and w.text[:1].isupper() and not w.text.isupper() for w in words)


def _main_clause(t: Token) -> bool:
    """The subject of the sentence's main clause (the root, a verb coordinated with it, or a parenthetical "he said"),
    not of a relative, adverbial or complement clause.  A subject the parser hung on an auxiliary ("the company had,
    like a besieged banker, gone …") belongs to its verb; of two subjects on one verb ("Tony Redmond from the charity
    Merlin says", Merlin parsed as a second subject) only the first is."""
    h = t.head
    if h.dep_ in ("aux", "auxpass") and h.head.i != h.i:
        h = h.head
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.i < t.i for c in t.head.children):
        return False
    for _ in range(6):
        if h.dep_ == "ROOT":
            return True
        if h.dep_ not in ("conj", "parataxis"):
            return False
        h = h.head
    return False
