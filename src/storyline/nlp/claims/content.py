"""Read one clause's content: collapse infinitive and intention-noun chains onto the content predicate and
collect polarity, modality and hedging on the way down.

"The Pentagon was not planning to withdraw its troops" → withdraw, negated, planned;
"there are no plans for withdrawal" → withdraw, negated, planned;
"the militias have demanded the departure of US troops" → depart (subject: US troops), demanded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import (
    DEMANDING,
    FIRST_PERSON,
    GOVERNOR_MODALITY,
    HEDGE_WORDS,
    HEDGING_GOVERNORS,
    INTENT_NOUNS,
    MODAL_AUX,
    NEGATING_GOVERNORS,
    NOMINAL_VERB,
    TRANSPARENT,
)
from .syntax import phrase, same_line

if TYPE_CHECKING:
    from spacy.tokens import Token

_OBJECT_CONTROL = {"urge", "ask", "order", "tell", "force", "call", "require", "instruct", "direct", "want",
                   "expect", "allow", "invite", "encourage", "persuade"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}


@dataclass(slots=True)
class Content:
    verb: Token                 # the content predicate's token (a verb, or an event noun)
    subject: Token | None
    subject_text: str | None
    predicate: str
    object: str | None
    polarity: bool
    modality: str
    hedged: bool
    demander: Token | None = None   # who demands it, for "X demanded the departure of Y"
    chain: tuple[int, ...] = ()     # token indices of the collapsed verb chain (not separate clauses)


def _negations(t: Token) -> int:
    n = sum(1 for c in t.children if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"))
    for c in t.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and (
                c.lower_ in ("nobody", "nothing", "none", "no one")
                or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
            n += 1
    return n


def _hedges(t: Token) -> bool:
    return any(c.lower_ in HEDGE_WORDS for c in t.children) or any(
        c.dep_ == "aux" and c.lower_ in ("may", "might", "could") for c in t.children)


def _aux_modality(t: Token, subj: Token | None) -> str | None:
    for c in t.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in MODAL_AUX:
            m = MODAL_AUX[c.lower_]
            if m == "predicted" and subj is not None and subj.lower_ in FIRST_PERSON:
                return "intended"
            return m
    return None


def _intent_noun(t: Token) -> Token | None:
    """'no plans for withdrawal' / 'no intention of withdrawing' / 'plans to withdraw': the intention noun."""
    for c in t.children:
        if c.dep_ in ("dobj", "attr", "nsubj") and c.lemma_.lower() in INTENT_NOUNS:
            return c
    return None


def _noun_complement(n: Token) -> tuple[Token | None, str | None]:
    """The verb (or event noun → verb lemma) an intention noun points at."""
    for c in n.children:
        if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and any(a.lower_ == "to" for a in c.children):
            return c, None
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "to", "on"):
            for g in c.children:
                if g.dep_ == "pcomp" and g.pos_ == "VERB":
                    return g, None
                if g.dep_ == "pobj" and g.lemma_.lower() in NOMINAL_VERB:
                    return g, NOMINAL_VERB[g.lemma_.lower()]
    return None, None


def _lemma(v: Token) -> str:
    lem = v.lemma_.lower()
    if not lem.isalpha():       # "that’s": the curly-apostrophe contraction keeps its surface form
        return "be" if v.lower_ in ("’s", "'s", "’re", "'re", "’m", "'m") else lem
    return lem


def _predicate(v: Token) -> str:
    parts = [_lemma(v)]
    parts += [c.lower_ for c in v.children if c.dep_ == "prt"]
    return " ".join(parts)


def _object(v: Token) -> str | None:
    obj = next((c for c in v.children if c.dep_ in ("dobj", "attr", "oprd", "acomp", "dative") and same_line(c, v)),
               None)
    text = phrase(obj) if obj is not None else None
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "from", "out", "into", "to", "of", "at", "inside", "across"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if c.lower_ == "out" and pobj is None:
                pobj = next((g for p in c.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"), None)
            if pobj is not None and same_line(pobj, v) and (pobj.ent_type_ in _PLACE_ENTS or (
                    text is None and pobj.ent_type_ not in ("DATE", "TIME"))):
                pp = f"{c.text} {phrase(pobj)}"
                text = f"{text} {pp}" if text else pp
                break
    return text


def read_content(h: Token, inherited_subj: Token | None) -> Content | None:
    """Collapse ``h``'s chain and read it; None when the clause is not a checkable statement (imperatives,
    fragments without a verb)."""
    if h.pos_ not in ("VERB", "AUX"):
        return None
    subj = next((c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None) or inherited_subj
    expl = any(c.dep_ == "expl" for c in h.children)
    if subj is None and not expl and h.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in h.children):
        return None         # imperative: "Follow us on ...", "Leave a comment"
    neg = 0
    modality: str | None = None
    hedged = False
    cur = h
    chain = [h.i]
    nominal: str | None = None
    for _ in range(6):
        neg += _negations(cur)
        hedged = hedged or _hedges(cur)
        if modality is None:
            modality = _aux_modality(cur, subj)
        xc = next((c for c in cur.children if c.pos_ in ("VERB", "AUX") and (c.dep_ == "xcomp" or (
            c.dep_ == "ccomp" and cur.lemma_ in GOVERNOR_MODALITY and any(a.lower_ == "to" for a in c.children)))),
            None)
        noun = _intent_noun(cur) if xc is None else None
        lemma = cur.lemma_.lower()
        if xc is not None:
            if lemma == "be" and any(a.lower_ == "to" and a.dep_ == "aux" for a in xc.children):
                modality = modality or "planned"      # "the troops were to withdraw"
            elif lemma == "go" and cur.tag_ == "VBG":
                modality = modality or ("intended" if subj is not None and subj.lower_ in FIRST_PERSON else
                                        "predicted")
            elif lemma in GOVERNOR_MODALITY and lemma not in TRANSPARENT:
                modality = modality or GOVERNOR_MODALITY[lemma]
            elif lemma not in TRANSPARENT and lemma not in GOVERNOR_MODALITY:
                break          # "came to see", "used to": keep the governor as the predicate
            if lemma in NEGATING_GOVERNORS:
                neg += 1
            hedged = hedged or lemma in HEDGING_GOVERNORS
            if lemma in _OBJECT_CONTROL or xc.dep_ == "ccomp":
                controller = next((c for c in cur.children if c.dep_ == "dobj"), None) or next(
                    (c for c in xc.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if controller is not None and (subj is None or controller.i != subj.i):
                    # "they want all U.S. forces to leave": the forces do not intend it, someone wants it of them.
                    subj = controller
                    if modality in (None, "intended", "planned"):
                        modality = {"expect": "predicted", "allow": "possible"}.get(lemma, "demanded")
            cur = xc
            chain.append(cur.i)
            continue
        if noun is not None:
            target, nom = _noun_complement(noun)
            if target is not None:
                modality = modality or INTENT_NOUNS[noun.lemma_.lower()]   # its "no" was counted above
                if nom is not None:
                    nominal, cur = nom, target
                    break
                cur = target
                chain.append(cur.i)
                continue
        break
    demander = None
    glemma = cur.lemma_.lower()
    if nominal is None and glemma in GOVERNOR_MODALITY and glemma not in TRANSPARENT:
        # "demanded the departure of US troops", "not planning troops withdrawal": the governed event noun.
        obj = next((c for c in cur.children if c.dep_ == "dobj" and c.lemma_.lower() in NOMINAL_VERB), None)
        if obj is None:
            obj = next((g for c in cur.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
                        if g.dep_ == "pobj" and g.lemma_.lower() in NOMINAL_VERB), None)
        if obj is not None:
            modality = modality if modality not in (None, "predicted") else GOVERNOR_MODALITY[glemma]
            nominal, cur = NOMINAL_VERB[obj.lemma_.lower()], obj
            of = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                       if g.dep_ == "pobj"), None)
            if glemma in DEMANDING:
                modality = "demanded"
                if of is not None:
                    demander, subj = subj, of
    if nominal is not None:
        predicate = nominal
        obj_text = _object_of_noun(cur, subj)
    else:
        predicate = _predicate(cur)
        obj_text = _object(cur)
    if neg % 2 == 1 and any(c.dep_ == "prep" and c.lower_ in ("until", "till") for c in cur.children):
        neg -= 1            # "did not withdraw until December 2011" = withdrew in December 2011
    if subj is not None and not same_line(subj, h):
        subj = _line_subject(h)
    if subj is None and obj_text is None and not expl:
        return None
    subject_text = phrase(subj) if subj is not None else None
    return Content(verb=cur, subject=subj, subject_text=subject_text, predicate=predicate, object=obj_text,
                   polarity=neg % 2 == 0, modality=modality or "asserted", hedged=hedged, demander=demander,
                   chain=tuple(chain))


def _line_subject(h: Token) -> Token | None:
    """When the parser glued a headline or dateline onto this line and took its subject from there, the nearest
    noun to the left of the verb on the verb's own line stands in ("US troops | are still in Iraq")."""
    doc = h.doc
    k = h.i - 1
    while k >= 0 and same_line(doc[k], h):
        t = doc[k]
        if t.pos_ in ("NOUN", "PROPN", "PRON"):
            while t.dep_ in ("compound", "amod") and t.head.i > t.i and t.head.i < h.i and same_line(t.head, h):
                t = t.head
            return t
        if t.pos_ not in ("AUX", "ADV", "PART", "VERB") and not t.is_space:
            return None
        k -= 1
    return None


def _object_of_noun(n: Token, subj: Token | None) -> str | None:
    for c in n.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "of", "in", "to"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and (subj is None or pobj.i != subj.i):
                return f"{c.text} {phrase(pobj)}"
    return None
