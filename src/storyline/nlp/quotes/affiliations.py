"""For whom a speaker speaks: the role ("Pentagon spokesman", "joint statement") and the body behind it (the
organisation, government, campaign or outlet: "Pentagon", "Donald Trump’s campaign"), read off the speaking mention,
else off the person's other mentions in the article."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from ...model import Entity
from ..entities.lexicon import BODY_NOUNS, ROLE_HEADS, TITLE_WORDS
from .context import Affiliations, Attr, QuoteContext
from .cues import DOCUMENT_NOUNS
from .topics import BODY_WORDS

_KIND_RANK = {"org": 0, "group": 1, "place": 2}
# Clauses inside a description tell what the person did or what happened to them, not whom they speak for ("the
# woman who says she was raped by forces loyal to Libyan leader Gadhafi", "a man who fled Mexico").
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp"})
# Nouns that hold an office or are a body: a nationality on one of them says whom the speaker speaks for ("Libyan
# leader", "the Mexican health minister", "Libyan state television"); on any other it says where someone is from
# ("a Libyan scholar and dissident", "Libyan-born president of a computer company").
# Nouns of a state's or a group's bodies: a nationality written on one names that body ("Libyan government",
# "Libyan state TV")
_BODY_OF_STATE = frozenset({"government", "ministry", "army", "military", "forces", "police", "authorities", "regime",
                            "embassy", "television", "tv", "radio", "parliament", "cabinet", "navy", "media", "junta"})
_OFFICE_NOUNS = (ROLE_HEADS - {"analyst", "lawyer", "strategist", "candidate", "nominee", "source", "agent",
                               "manager", "adviser", "advisor"}) | BODY_NOUNS | _BODY_OF_STATE | frozenset(
    {"official", "officials", "authority", "force", "agency", "king", "queen", "prince", "monarch", "state", "foreign",
     "prime", "strongman", "dictator", "ruler", "newspaper", "broadcaster"})
# Group words that name a party: a party member speaks for it wherever the word stands ("Arizona Republican John
# McCain", "a Democrat").
_PARTY_WORDS = frozenset({"republican", "republicans", "democrat", "democrats", "democratic", "gop", "conservative",
                          "conservatives", "labour", "tory", "tories", "liberal", "liberals", "socialist", "socialists",
                          "communist", "communists"})
# Verbs of a description clause that say for whom a person works ("an Australian working for Save the Children").
_SERVING_VERBS = frozenset({"work", "serve", "represent", "volunteer"})


def role_and_affiliation(cx: QuoteContext, a: Attr) -> None:
    """The speaker's role ("Pentagon spokesman", "joint statement") and the body it speaks for ("Pentagon",
    "Donald Trump’s campaign"), read off the speaking mention, else off the person's other mentions."""
    if a.role is not None or a.affiliation is not None:
        return
    tok = a.source
    ent = a.entity
    if tok is not None and tok.lemma_.lower() in DOCUMENT_NOUNS and (ent is None or ent.type != "person"):
        a.role = _document_kind(cx, tok)
    elif ent is not None and ent.type == "person":
        a.role = ent.role
    elif tok is not None and tok.pos_ == "NOUN" and tok.lemma_.lower() in ROLE_HEADS:
        a.role = _kind_phrase(cx, tok)      # "a spokeswoman for the campaign" → "spokeswoman"
    found: Affiliations = []
    if tok is not None and tok.pos_ != "PRON":
        found.extend(_affiliations_of(cx, [tok], ent))
    if ent is not None and ent.type == "person":
        # One speaker quoted many times asks the same mentions again for each quote: read once per person
        # (a page of 1,290 quotes by one man made 1.7 million span look-ups, 97 of 112 s). The document, its
        # entities and the quotation marks do not change while quotes are read.
        memo = cx.affiliation_memo
        if id(ent) not in memo:
            roots: list[Token] = []
            for s, e in ent.mentions:
                span = cx.doc.char_span(s, e, alignment_mode="expand")
                if span is not None and not cx.inside[s]:
                    roots.append(span.root)
            memo[id(ent)] = _affiliations_of(cx, roots, ent)
        found.extend(memo[id(ent)])
    if found:                               # an organisation named with any mention before a country
        _, a.affiliation, a.affiliation_entity = min(found, key=lambda f: f[0])


def _affiliations_of(cx: QuoteContext, heads: list[Token], speaker: Entity | None) -> Affiliations:
    out: Affiliations = []
    for m in heads:
        body = _affiliation_at(cx, m, speaker)
        if body is not None:
            name, ent, kind = body
            out.append((_KIND_RANK.get(kind, 3), name, ent))
    return out


def _affiliation_at(cx: QuoteContext, head: Token, speaker: Entity | None) -> tuple[str, Entity | None, str] | None:
    """The organisation, government, campaign or outlet written with one mention, and its kind (org, group,
    place: which one wins over the person's other mentions): title words in front
    ("Pentagon spokesman John Kirby", "Clinton campaign manager X"), an apposition or a for/of/at phrase
    ("X, a spokeswoman for the campaign", "chief of the US Central Command")."""
    toks: list[Token] = []
    i = head.left_edge.i
    j = i - 1
    while j >= 0 and i - j <= 7 and not cx.doc[j].is_space and (
            cx.doc[j].dep_ in ("compound", "amod", "poss", "case") or cx.doc[j].ent_type_ in ("ORG", "GPE", "NORP")
            or cx.doc[j].lower_ in TITLE_WORDS):
        j -= 1
    toks.extend(cx.doc[j + 1 : head.i])
    for c in head.children:
        if c.dep_ == "appos" and c.i > head.i:
            toks.extend(t for t in c.subtree if t.i - head.i <= 25 and not _in_clause(t, c))
        elif c.dep_ == "prep" and c.lower_ in ("for", "of", "at", "with") and c.i > head.i:
            toks.extend(t for t in c.subtree if t.i - head.i <= 12 and not _in_clause(t, c))
    found: dict[str, list[Entity]] = {"org": [], "group": [], "place": []}
    written: dict[int, Token] = {}           # id(group entity) -> the token it was read at
    for t in toks:
        if cx.inside[t.idx]:
            continue
        ent = cx.index.at(t.idx, t.idx + len(t.text))
        if ent is not None and ent.type == "group" and not _names_an_office(t):
            continue
        if ent is not None and ent.type == "place" and _located(t, head):
            continue                         # "a cardiologist in southern California": where, not for whom
        if ent is not None and ent is not speaker and ent.type in found and ent not in found[ent.type]:
            found[ent.type].append(ent)
            written[id(ent)] = t
        elif ent is None and t.lemma_.lower() in BODY_WORDS and t.pos_ == "NOUN":
            body = _earlier_body(cx, t)
            if body is not None and body is not speaker and body not in found["org"]:
                found["org"].append(body)
    for kind in ("org", "group", "place"):
        if found[kind]:
            ent = found[kind][0]
            # a nationality's body or country ranks as the nationality did: an organisation named with any mention
            # comes first
            return (*_group_body(cx, written[id(ent)], ent), kind) if kind == "group" else (ent.name, ent, kind)
    return None


def _group_body(cx: QuoteContext, tok: Token, group: Entity) -> tuple[str, Entity | None]:
    """What a nationality on an office or body stands for, as a reader would name it: the body it is written on
    ("Libyan government spokesman" → "Libyan government", "Libyan state TV"), else the country the article names for
    it ("Libyan leader" → "Libya", "Mexican Health Minister" → "Mexico"), else the word itself ("British")."""
    if tok.lower_ not in _PARTY_WORDS:
        for t in tok.doc[tok.i + 1 : _modified_noun(tok).i + 1]:
            if t.lower_ in _BODY_OF_STATE:
                return cx.doc[tok.i : t.i + 1].text, None
        country = next((e for e in cx.index.entities if e.type == "place" and _demonym_of(group.name, e.name)), None)
        if country is not None:
            return country.name, country
    return group.name, group


def _demonym_of(word: str, place: str) -> bool:
    """``word`` is the adjective of ``place`` by the regular English endings: Libya → Libyan, Mexico → Mexican,
    China → Chinese, Iraq → Iraqi, Egypt → Egyptian, Germany → German (irregular ones, British or French, are not
    matched and stay as written)."""
    w, p = word.lower(), place.lower()
    if len(p) < 4 or " " in p or w == p:
        return False
    stems = {p, p[:-1]} if p[-1] in "aeiouy" else {p}
    return any(w == stem + end for stem in stems for end in ("", "n", "an", "ian", "i", "ese", "ish"))


def _in_clause(tok: Token, top: Token) -> bool:
    """``tok`` lies in a clause below ``top`` (a relative or participle clause of the description), or in a
    "-born" compound: what it names is not whom the speaker speaks for."""
    return _on_the_way_up(tok, top, lambda n: (n.dep_ in _CLAUSE_DEPS and n.lemma_.lower() not in _SERVING_VERBS)
                          or (n.lower_ in ("born", "based") and n.i != tok.i))


def _located(tok: Token, top: Token) -> bool:
    """``tok`` hangs below an "in"/"from"/"near" phrase of the description: a place where the person is or comes
    from."""
    return _on_the_way_up(tok, top, lambda n: n.dep_ == "prep" and n.lower_ in ("in", "from", "near", "on", "across"))


def _on_the_way_up(tok: Token, top: Token, test: Callable[[Token], bool]) -> bool:
    """Whether ``test`` holds for ``tok`` or a head between it and ``top`` (``top`` itself not tested)."""
    node = tok
    while node.i != top.i and node.head.i != node.i:
        if test(node):
            return True
        node = node.head
    return False


def _modified_noun(tok: Token) -> Token:
    """The noun a modifier is written on, through compounds to its right ("Libyan [Deputy Foreign] Minister"); the
    token itself when it modifies nothing."""
    head = tok
    while head.dep_ in ("amod", "compound", "nmod", "npadvmod") and head.head.i > head.i:
        head = head.head
    return head


def _names_an_office(tok: Token) -> bool:
    """A nationality or group word ("Libyan", "Republican") written on an office or a body: "Libyan leader",
    "Mexican President Felipe Calderon", "Libyan state TV", "Republican senator"; not on a person's origin ("a
    Libyan scholar", "Libyan-born")."""
    if tok.lower_ in _PARTY_WORDS:
        return True
    head = _modified_noun(tok)
    if head is tok:
        return False                         # "an Australian working for …": where the person is from
    # the words from the group word to the noun it hangs on: "Libyan [Deputy Foreign] Minister", "Mexican President
    # [Felipe] Calderon" (the parser hangs both on the name)
    between = tok.doc[tok.i + 1 : head.i + 1]
    if any(t.lower_ in ("born", "based") for t in between):
        return False
    return any(t.lemma_.lower() in _OFFICE_NOUNS or t.lower_ in _OFFICE_NOUNS for t in between)


def _earlier_body(cx: QuoteContext, tok: Token) -> Entity | None:
    """"the campaign" → the campaign named earlier with its owner ("Donald Trump’s campaign")."""
    want = tok.lemma_.lower()
    for t in reversed(cx.doc[max(0, tok.i - 400) : tok.i]):
        if t.lemma_.lower() == want and t.pos_ == "NOUN":
            ent = cx.index.at(t.idx, t.idx + len(t.text))
            if ent is not None and ent.type == "org":
                return ent
    return None


def _kind_phrase(cx: QuoteContext, tok: Token) -> str:
    """A document's or role noun's kind without determiners or owner: "joint statement", "spokeswoman"."""
    mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.ent_type_ == "" and c.pos_ != "PROPN"]
    first = min([tok, *mods], key=lambda t: t.i)
    return cx.doc[first.i : tok.i + 1].text


def _document_kind(cx: QuoteContext, tok: Token) -> str:
    return _kind_phrase(cx, tok)
