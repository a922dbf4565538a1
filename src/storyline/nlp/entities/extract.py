"""In-article entities: one record per person, organisation, place or group, however the article names it.

spaCy's NER gives surface mentions ("General Frank McKenzie", "McKenzie", "U.S.", "US"); this module folds them
into canonical entities so that quotes, claims and the cross-document stage talk about *who*, not *which string*:
titles are stripped from names but kept as the role, surnames join the full name, known variants and acronyms
("Iraqi Security Forces (ISF)", IS / ISIS / Islamic State) become aliases, and role descriptions ("the top U.S.
commander for the Middle East") are linked to the person whose title fits.  ``EntityIndex`` answers "who is this
span / pronoun / description?" for the quote and claim extractors.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span, Token

from ...model import Entity, content_id
from ..runtime.doc_cache import doc_text, noun_chunks_in
from .lexicon import (  # noqa: F401 - norm_key is re-exported
    _POSSESSIVE,
    ACRONYM_STOP,
    ALIASES,
    BODY_NOUNS,
    FEMALE_NAMES,
    FEMALE_TITLES,
    GENERIC_ROLE_HEADS,
    GROUP_PRONOUNS,
    MALE_NAMES,
    MALE_TITLES,
    PERSON_PRONOUNS,
    ROLE_GROUPS,
    ROLE_HEADS,
    TITLE_WORDS,
    norm_key,
)
from .merge import (
    _Cluster,
    _match_person,
    _merge_acronyms,
    _merge_by_initials,
    _merge_mistyped_surnames,
)

TYPE_MAP = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}


def _alias_canon(surface: str) -> str | None:
    key = norm_key(surface)
    if len(key.replace(" ", "")) <= 2 and not surface.replace(".", "").isupper():
        return None  # "us"/"is" as plain words are pronouns/verbs, only the capitalised forms are names
    return ALIASES.get(key) or ALIASES.get("the " + key)


def _strip_name(span: Span) -> tuple[int, int, list[Token]]:
    """Token range of the bare name inside an entity span: titles in front and a possessive at the end removed."""
    start, end = span.start, span.end
    doc = span.doc
    while end - start > 1 and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].tag_ == "POS"):
        end -= 1
    title: list[Token] = []
    while end - start > 1 and doc[start].lower_ in TITLE_WORDS | {"the"}:
        title.append(doc[start])
        start += 1
    return start, end, title


def _role_before(doc: Doc, start: int) -> list[Token]:
    """Title words written in front of a name outside the NER span ("Iraqi Prime Minister" Mohammed al-Sudani)."""
    out: list[Token] = []
    i = start - 1
    while i >= 0 and start - i <= 7:
        tok = doc[i]
        low = tok.lower_
        if low in TITLE_WORDS or (tok.ent_type_ in ("NORP", "GPE", "ORG") and out) or tok.dep_ == "compound" and (
            tok.head.i >= start and tok.is_title and tok.ent_type_ in ("NORP", "GPE", "ORG", "")
        ):
            if tok.ent_type_ == "PERSON":
                break
            out.insert(0, tok)
            i -= 1
            continue
        if (tok.text in _POSSESSIVE or tok.lower_ == "of") and out and i > 0:  # "Secretary of State", "Iraq's"
            out.insert(0, tok)
            i -= 1
            continue
        break
    while out and (out[0].text in _POSSESSIVE or out[0].lower_ not in TITLE_WORDS and out[0].ent_type_ == ""):
        out.pop(0)
    return out if any(t.lower_ in TITLE_WORDS for t in out) else []


def _role_after(doc: Doc, start: int, end: int) -> str | None:
    """Apposition or "of"-phrase after a name: "McKenzie, commander of the U.S. Central Command"."""
    head = doc[end - 1]
    for child in head.children:
        if child.dep_ == "appos" and child.i >= end and child.pos_ in ("NOUN", "PROPN") and child.ent_type_ != "PERSON":
            sub = list(child.subtree)
            if child.pos_ == "NOUN" or any(t.lower_ in ROLE_GROUPS for t in sub):
                # a relative clause tells the person's story, not the role ("a rebel who was injured in the fighting
                # and evacuated to Benghazi" → "a rebel")
                stop = min((t.left_edge.i for t in sub if t.dep_ == "relcl" and t.i > child.i), default=sub[-1].i + 1)
                return doc[sub[0].i : stop].text.strip(" ,")
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
            sub = list(child.subtree)
            if any(t.ent_type_ in ("ORG", "GPE") for t in sub):
                return doc[sub[0].i : sub[-1].i + 1].text
    return None


# Where a description's own clause begins: "the woman who says she was attacked by forces loyal to the Libyan leader"
# holds no office, so "the Libyan leader" later in the text is not her
_RELATIVE = re.compile(r"\s(?:who|whom|whose|which|that)\s", re.IGNORECASE)


# Words that rank an office rather than name it ("the top commander" can be "Gen. X, commander of …").
_RANK_WORDS = frozenset({"top", "senior", "former", "deputy", "acting", "chief", "new", "current", "then", "late"})


def _role_conflict(span: Span, roles: list[str]) -> bool:
    """The description and the person's written role name different offices or places: "the prime minister" is not
    the "health minister" (another word in front of the same head noun), "the Prime Minister of the Bahamas" is not
    the "British Prime Minister" (the description names a place the role, which names another, does not)."""
    head = span.root
    quals = {t.lower_ for t in head.lefts if t.dep_ in ("amod", "compound") and not t.ent_type_} - _RANK_WORDS
    role_quals: set[str] = set()
    for r in roles:
        words = [w.strip(",.").lower() for w in r.split()]
        role_quals |= {words[i - 1] for i, w in enumerate(words) if i and w == head.lower_} - _RANK_WORDS
    if quals and role_quals and not quals & role_quals:
        return True
    places = {t.text for t in span if t.ent_type_ in ("GPE", "NORP")}
    role_names = {norm_key(_alias_canon(w.strip(",")) or w.strip(",")) for r in roles for w in r.split()
                  if w[:1].isupper()}
    places = {norm_key(_alias_canon(p) or p) for p in places}       # "U.S." and "US" are one place
    return bool(places and role_names - TITLE_WORDS and not places & role_names)


def extract_entities(doc: Doc, article_id: str) -> list[Entity]:
    """Canonical entities of one article, in order of first mention (deterministic)."""
    return EntityIndex.build(doc, article_id).entities


class EntityIndex:
    """Entities of one doc plus lookups from text positions, pronouns and role descriptions to an entity."""

    def __init__(self, doc: Doc, entities: list[Entity], roles: dict[str, list[str]] | None = None) -> None:
        self.doc = doc
        self.entities = entities
        self.by_id = {e.id: e for e in entities}
        self.roles = roles or {e.id: [e.role] if e.role else [] for e in entities}
        self._by_char: dict[int, str] = {}
        self._starts: list[tuple[int, int, str]] = []
        for e in entities:
            for s, t in e.mentions:
                self._starts.append((s, t, e.id))
                for c in range(s, t):
                    self._by_char.setdefault(c, e.id)
        self._starts.sort()
        self._gender: dict[str, str | None] = {}
        self._surface: dict[str, str] = {}
        for e in entities:
            for name in [e.name, *e.aliases]:
                self._surface.setdefault(norm_key(name), e.id)

    # ---- construction -------------------------------------------------------------------------------------------
    @classmethod
    def build(cls, doc: Doc, article_id: str) -> EntityIndex:
        clusters: list[_Cluster] = []
        by_key: dict[str, _Cluster] = {}
        text = doc_text(doc)

        def add(surface: str, typ: str, s: int, t: int, role: str | None = None) -> _Cluster:
            canon = _alias_canon(surface)
            key = norm_key(canon or surface)
            if typ == "group" and key.endswith("s") and len(key) > 3:
                key = key[:-1]                      # Iraqi / Iraqis, Democrat / Democrats
            cl = by_key.get(key)
            if cl is None and typ == "person":
                cl = _match_person(clusters, surface)
            if cl is None:
                cl = _Cluster(type=typ, canon=canon)
                clusters.append(cl)
            by_key.setdefault(key, cl)
            if typ == "person":
                cl.tokens = cl.tokens | frozenset(surface.split())
            cl.names[surface] += 1
            cl.mentions.append((s, t))
            if role:
                cl.roles.append(role)
            return cl

        for ent in doc.ents:
            typ = TYPE_MAP.get(ent.label_)
            if typ is None:
                continue
            if typ == "org" and ent.root.dep_ == "appos" and ent.root.head.pos_ == "NOUN" and (
                    ent.root.head.lower_ in ROLE_HEADS):
                typ = "person"                      # "the health secretary, Nicola Sturgeon,": a role names a person
            start, end, title = _strip_name(ent)
            if typ == "person" and start == end:
                continue
            span = doc[start:end]
            surface = span.text.strip()
            if not surface or not any(c.isalpha() for c in surface):
                continue
            role = None
            if typ == "person":
                before = _role_before(doc, ent.start) + title
                before.sort(key=lambda t: t.i)
                parts = [doc[before[0].i : before[-1].i + 1].text] if before else []
                after = _role_after(doc, start, end)
                if after:
                    parts.append(after if not parts or after.startswith("of ") else f", {after}")
                role = " ".join(parts).replace(" ,", ",").strip() or None
            add(surface, typ, span.start_char, span.end_char, role)

        _merge_acronyms(text, clusters, by_key)
        _merge_by_initials(clusters)
        _merge_mistyped_surnames(clusters)

        entities: list[Entity] = []
        roles: dict[str, list[str]] = {}
        seen_ids: dict[str, Entity] = {}
        for cl in sorted(clusters, key=lambda c: min(c.mentions)):
            name = cl.canonical()
            eid = content_id("ent", article_id, name)
            if eid in seen_ids:  # two clusters reached the same canonical name: fold them
                prev = seen_ids[eid]
                prev.mentions = sorted(set(prev.mentions) | set(cl.mentions))
                continue
            aliases = sorted({n for n in cl.names if n != name})
            type_ = cl.type
            entity = Entity(id=eid, name=name, type=type_, aliases=aliases, article_ids=[article_id],
                            role=cl.roles[0] if cl.roles else None, mentions=sorted(set(cl.mentions)))
            seen_ids[eid] = entity
            entities.append(entity)
            roles[eid] = list(dict.fromkeys(cl.roles))
        index = cls(doc, entities, roles)
        index._link_descriptions()
        index._add_bodies()
        return index

    def _add_bodies(self) -> None:
        """Bodies that speak for someone ("Sudani’s office", "the Trump campaign") become org entities of their own,
        so a statement they issue has a speaker id and the cross-document stage can group them."""
        added = False
        for tok in self.doc:
            if tok.pos_ != "NOUN" or tok.lemma_.lower() not in BODY_NOUNS:
                continue
            owner_tok = next((c for c in tok.children if c.dep_ in ("poss", "compound") and c.i < tok.i), None)
            if owner_tok is None:
                continue
            owner = self.at(owner_tok.idx, owner_tok.idx + len(owner_tok.text))
            if owner is None or owner.type not in ("person", "org", "place"):
                continue
            name = f"{owner.name}’s {tok.lemma_.lower()}"
            span = (owner_tok.left_edge.idx, tok.idx + len(tok.text))
            eid = content_id("ent", *(owner.article_ids[:1] or [""]), name)
            ent = self.by_id.get(eid)
            if ent is None:
                ent = Entity(id=eid, name=name, type="org", article_ids=list(owner.article_ids), role=None,
                             mentions=[])
                self.entities.append(ent)
                self.by_id[eid] = ent
                self.roles[eid] = []
            if span not in ent.mentions:
                ent.mentions.append(span)
                ent.mentions.sort()
            for c in range(span[0], span[1]):
                if self._by_char.get(c) != owner.id:
                    self._by_char[c] = eid
            added = True
        if added:
            self._starts = sorted((s, t, e.id) for e in self.entities for s, t in e.mentions)

    def _link_descriptions(self) -> None:
        """Attach role descriptions ("the top U.S. commander") as mentions of the person whose title fits."""
        added = False
        for chunk in noun_chunks_in(self.doc, 0, len(self.doc)):   # computed once per doc, shared with speakers
            head = chunk.root
            if head.ent_type_ or head.tag_ not in ("NN", "NNP") or head.dep_ == "compound":
                continue
            if head.lower_ not in ROLE_HEADS:
                continue
            dets = [t.lower_ for t in chunk if t.dep_ in ("det", "poss")]
            if dets and dets[0] not in ("the", "this", "that"):
                continue                            # "a general", "its leader": not a reference to someone known
            if any(t.ent_type_ == "PERSON" for t in chunk):
                continue
            span = self.description_span(head)
            ent = self.resolve_description(span)
            if ent is not None and (span.start_char, span.end_char) not in ent.mentions:
                ent.mentions.append((span.start_char, span.end_char))
                ent.mentions.sort()
                for c in range(span.start_char, span.end_char):
                    self._by_char.setdefault(c, ent.id)
                added = True
        if added:
            self._starts = sorted((s, t, e.id) for e in self.entities for s, t in e.mentions)

    # ---- lookups ------------------------------------------------------------------------------------------------
    def at(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping the character span (the one covering most of it)."""
        votes = Counter(self._by_char[c] for c in range(start, end) if c in self._by_char)
        if not votes:
            return None
        return self.by_id[max(votes, key=lambda k: (votes[k], k))]

    def by_surface(self, surface: str) -> Entity | None:
        return self.by_id.get(self._surface.get(norm_key(surface), ""))

    def previous(self, pos: int, types: tuple[str, ...], limit_chars: int = 2000) -> tuple[Entity, int, int] | None:
        """Nearest entity mention of one of ``types`` that ends before ``pos``."""
        best = None
        for s, t, eid in self._starts:
            if t > pos:
                break
            if pos - t > limit_chars:
                continue
            if self.by_id[eid].type in types:
                best = (self.by_id[eid], s, t)
        return best

    def gender(self, ent: Entity) -> str | None:
        """'m', 'f' or None for a person, from titles and role words in front of its mentions, then first name."""
        if ent.id in self._gender:
            return self._gender[ent.id]
        votes: Counter[str] = Counter()
        for s, _t in ent.mentions:
            before = doc_text(self.doc)[max(0, s - 40) : s].lower().replace(".", " ").split()
            for w in before[-3:]:
                if w in MALE_TITLES:
                    votes["m"] += 1
                elif w in FEMALE_TITLES:
                    votes["f"] += 1
        for role in self.roles.get(ent.id, []):
            for w in role.lower().replace(".", " ").split():
                votes["m"] += w in MALE_TITLES
                votes["f"] += w in FEMALE_TITLES
        if not votes["m"] and not votes["f"] and ent.type == "person":
            first = ent.name.split()[0].lower().strip(".,") if ent.name.split() else ""
            votes["m"] += first in MALE_NAMES
            votes["f"] += first in FEMALE_NAMES
        g = None if votes["m"] == votes["f"] else ("m" if votes["m"] > votes["f"] else "f")
        self._gender[ent.id] = g
        return g

    def resolve_pronoun(self, token: Token, skip: bytearray | None = None) -> Entity | None:
        """Antecedent of a pronoun: the nearest earlier entity of the right kind; for he/she the nearest person
        whose known gender does not contradict the pronoun (an unknown gender never excludes).  Mentions at
        positions flagged in ``skip`` (inside quotation marks) are passed over: people named inside a quote do not
        speak."""
        low = token.lower_
        if low in PERSON_PRONOUNS:
            want = "m" if low in ("he", "him", "his", "himself") else "f"
            best = None
            for s, t, eid in self._starts:
                if t > token.idx:
                    break
                ent = self.by_id[eid]
                if ent.type != "person" or token.idx - t > 3000 or (skip is not None and skip[s]):
                    continue
                if self.gender(ent) in (None, want):
                    best = ent
            return best
        if low in GROUP_PRONOUNS:
            hit = self.previous(token.idx, ("org", "group", "place") if low.startswith("it") else ("org", "group"))
            return hit[0] if hit else None
        return None

    def description_span(self, head: Token) -> Span:
        left = head.left_edge.i
        right = head.i + 1
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in ("for", "of"):
                right = max(right, child.right_edge.i + 1)
        return self.doc[left:right]

    def resolve_description(self, span: Span) -> Entity | None:
        """Person whose role shares a role group with the description; nearest before, else nearest after."""
        words = [t.lower_ for t in span if not t.is_punct]
        head = span.root.lower_
        groups = {ROLE_GROUPS[w] for w in words if w in ROLE_GROUPS}
        if head in ROLE_GROUPS and head not in GENERIC_ROLE_HEADS:
            groups = {ROLE_GROUPS[head]} | ({"military"} if ROLE_GROUPS[head] == "leader" and "military" in groups
                                            else set())
        if not groups:
            return None
        before: tuple[int, Entity] | None = None
        after: tuple[int, Entity] | None = None
        for s, _t, eid in self._starts:
            ent = self.by_id[eid]
            if ent.type != "person" or not self.roles.get(eid):
                continue
            role_words = {w.lower().strip(",") for r in self.roles[eid] for w in _RELATIVE.split(r)[0].split()}
            if not groups & {ROLE_GROUPS[w] for w in role_words if w in ROLE_GROUPS}:
                continue
            if _role_conflict(span, self.roles[eid]):
                continue
            if s < span.start_char:
                before = (s, ent)
            elif s >= span.end_char and after is None:
                after = (s, ent)
        if before:
            return before[1]
        return after[1] if after else None

    def resolve_token(self, token: Token) -> Entity | None:
        """Entity for a subject token: a name, a pronoun, a relative pronoun or a role description."""
        ent = self.at(token.idx, token.idx + len(token.text))
        if ent is not None:
            return ent
        if token.lower_ in ("who", "which", "that") and token.head.dep_ == "relcl":
            return self.resolve_token(token.head.head)
        if token.pos_ == "PRON":
            return self.resolve_pronoun(token)
        span = self.description_span(token)
        ent = self.at(span.start_char, span.end_char)
        if ent is not None and ent.type == "person":
            return ent
        if token.lower_ in ROLE_HEADS:
            return self.resolve_description(span)
        return None                                 # "Iraqi groups" is not the Iraqis as a whole

