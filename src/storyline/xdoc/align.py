"""Claim alignment: which claims in different articles are about the same proposition.

A claim is reduced to a *frame* (its predicate's proposition class: "withdraw", "leave", "pull out", "stay" and
"remain" all speak about ``presence_end``, with opposite signs), its argument entities (subject, object and places,
resolved to canonical corpus entities) and an *effective stance*: the frame sign flipped by negation ("not going to
leave") and by denial. Claims meet only inside blocks keyed by (frame, argument entity), and inside a block only
their neighbours in time, so the work grows with the corpus, not with its square. A candidate pair aligns when the
arguments overlap and the MiniLM cosine of the two claim texts clears a bar that is lower when more arguments
agree (paraphrase is what the embedding is for; antonyms are handled by the frame, not by the embedding).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..model import content_id
from .entities import EntityIndex, norm_key
from .lexicon import COUNT_SYNONYMS, FRAMES, LIGHT, PRESENCE_NOUNS
from .syndication import UnionFind
from .view import CorpusView

WINDOW = 40              # neighbours in time a claim is compared with inside one block
SIM_ONE_ARG = 0.45       # text cosine needed when the pair shares one argument entity
SIM_TWO_ARGS = 0.3       # ... when it shares two or more
_WORDS = re.compile(r"[\w'’.-]+")


@dataclass(slots=True)
class ClaimRef:
    """A claim with what alignment and the relations need, resolved once."""

    id: str
    article_id: str
    canonical: str               # the article a syndicated copy counts as
    text: str
    predicate: str
    frame: str
    sign: int                    # +1/-1: the predicate's direction inside its frame
    stance: int                  # sign, flipped by negation and denial
    modality: str
    polarity: bool
    speaker: str | None
    subject: str | None          # canonical entity id
    args: frozenset[str]         # canonical entity ids of subject, object and places
    places: frozenset[str]
    event_date: str | None
    event_precision: str | None
    stated: date | None          # when the claim was made: the article's date
    stated_inferred: bool
    outlet: str
    story_id: str | None
    headline: bool = False
    vec: Any = field(repr=False, default=None)      # MiniLM vector of the text (claims in a shared block only)
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass(slots=True)
class Proposition:
    id: str
    frame: str
    args: list[str]                 # canonical entity names shared by most of its claims
    claim_ids: list[str]


def _mentions(phrase: str | None, article_id: str, index: EntityIndex) -> list[str]:
    """Canonical entity ids named inside a phrase ("US forces" → United States), longest n-grams first."""
    if not phrase:
        return []
    words = _WORDS.findall(phrase)
    found: list[str] = []
    taken = [False] * len(words)
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            if any(taken[i:i + n]):
                continue
            first, last = words[i], words[i + n - 1]
            if not (first[:1].isupper() and last[:1].isupper()) or (n == 1 and len(first) <= 2 and not first.isupper()):
                continue  # names start and end with a capital; 'Us'/'Is' as words are not names
            gram = " ".join(words[i:i + n])
            cid = index.resolve(gram, article_id)
            if cid:
                found.append(cid)
                for k in range(i, i + n):
                    taken[k] = True
    return list(dict.fromkeys(found))


def frame_of(claim: dict[str, Any]) -> tuple[str, int] | None:
    """(frame, sign) for a claim, or None when its predicate is too light to carry a proposition."""
    pred = (claim.get("predicate") or "").lower().strip()
    text = (claim.get("text") or "").lower()
    obj = (claim.get("object") or "").lower()
    subj = (claim.get("subject") or "").lower()
    if pred == "pull" and " out" in text:
        pred = "pull out"
    if pred in ASPECTUAL:
        # "begin the process of ending the coalition": the proposition is the ending, not the beginning.
        inner = _inner_verb(text, pred)
        if inner:
            pred = inner
    if pred == "end" and ("presence" in obj or "existence" in obj):
        return ("presence_end", 1)
    if pred in FRAMES:
        frame, sign = FRAMES[pred]
        if frame == "presence_end" and pred in ("keep", "maintain") and not _is_presence(obj):
            return (pred, 1)   # "keep providing training" is not about staying
        return frame, sign
    if pred in LIGHT:
        # "US troops are (still) in Iraq", "the U.S. has a presence of 900 troops": presence asserted.
        if pred in ("be", "have") and (_is_presence(subj) or _is_presence(obj)) and (" in " in f" {obj} {text}"):
            return ("presence_end", -1)
        return None
    return (pred, 1) if pred else None


ASPECTUAL = frozenset({"begin", "start", "continue", "resume", "launch", "initiate"})
_ING = re.compile(r"\b([a-z]+)ing\b")


def _inner_verb(text: str, pred: str) -> str | None:
    """The first -ing verb after an aspectual predicate that names a known frame ('ending' → 'end')."""
    at = text.find(pred[:4])
    for m in _ING.finditer(text, at if at >= 0 else 0):
        stem = m.group(1)
        for cand in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem):
            if cand in FRAMES and cand != pred:
                return cand
    return None


def _is_presence(phrase: str) -> bool:
    words = {w.strip(".,’'").lower() for w in phrase.split()}
    return bool(words & PRESENCE_NOUNS) or any(COUNT_SYNONYMS.get(w) == "troops" for w in words)


_WANT = re.compile(r"\b(?:wants?|wanted|wanting|demands?|demanded|calls? for|called for|urges?|urged|asks?|asked)\b",
                   re.IGNORECASE)


def _squash(text: str | None) -> str:
    return re.sub(r"\W+", "", (text or "").lower())


def effective_modality(claim: dict[str, Any]) -> str:
    """The claim's modality, except that "they want all U.S. forces to leave" is someone's demand that the forces
    leave, not the forces' intention: a wanting/demanding verb before the claim's subject makes it ``demanded``."""
    modality = claim.get("modality") or "asserted"
    text, subj = claim.get("text") or "", claim.get("subject") or ""
    if modality in ("intended", "planned") and subj:
        pos = text.find(subj)
        m = _WANT.search(text)
        if m and pos > m.start():
            return "demanded"
    return modality


def build_refs(view: CorpusView, index: EntityIndex, story_of: dict[str, str]) -> dict[str, ClaimRef]:
    places = {r["id"] for r in index.records if r["type"] == "place"}
    refs: dict[str, ClaimRef] = {}
    for doc in view.docs:
        canon = view.canonical(doc.id)
        title_key = _squash(doc.title)
        for c in doc.claims():
            fr = frame_of(c)
            if fr is None:
                continue
            frame, sign = fr
            subj = _mentions(c.get("subject"), doc.id, index)
            objs = _mentions(c.get("object"), doc.id, index)
            in_text = _mentions(c.get("text"), doc.id, index)
            plc = frozenset(x for x in [*objs, *in_text] if x in places)
            polarity = bool(c.get("polarity", True))
            modality = effective_modality(c)
            stance = sign * (1 if polarity else -1) * (-1 if modality == "denied" else 1)
            refs[c["id"]] = ClaimRef(
                id=c["id"], article_id=doc.id, canonical=canon, text=c.get("text", ""), predicate=c.get("predicate", ""),
                frame=frame, sign=sign, stance=stance, modality=modality, polarity=polarity,
                speaker=c.get("speaker"), subject=subj[0] if subj else None,
                args=frozenset([*subj, *objs, *plc]), places=plc, event_date=c.get("event_date"),
                event_precision=c.get("event_date_precision"), stated=doc.when, stated_inferred=doc.date_inferred,
                outlet=doc.outlet, story_id=story_of.get(doc.id), headline=bool(title_key) and _squash(c.get("text"))[:40] in title_key, raw=c)
    return refs


def _blocks(refs: dict[str, ClaimRef]) -> dict[tuple[str, str, str], list[str]]:
    """Claims that may state one proposition: same story, same predicate frame, a shared argument; only blocks with
    claims from two or more canonical articles. Keying by story keeps the blocks (and the claims that need an
    embedding) growing with the story, not with the corpus: claims of different stories are never aligned anyway."""
    blocks: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in refs.values():
        for a in sorted(r.args):
            blocks[(r.story_id or "", r.frame, a)].append(r.id)
    return {k: v for k, v in blocks.items() if len({refs[i].canonical for i in v}) > 1}


def align(view: CorpusView, index: EntityIndex, story_of: dict[str, str],
          embed: Any = None) -> tuple[dict[str, ClaimRef], list[Proposition]]:
    """Claims grouped into propositions (groups of two or more claims from different articles)."""
    refs = build_refs(view, index, story_of)
    blocks = _blocks(refs)
    in_blocks = sorted({i for ids in blocks.values() for i in ids})
    if embed is None:
        from .stories import embed_leads as embed
    # One vector per distinct text: syndicated copies repeat their claims word for word, and each copy's row would
    # otherwise be embedded and held again (at 100k articles with many copies, gigabytes of equal rows).
    texts = sorted({refs[i].text for i in in_blocks})
    rows = dict(zip(texts, embed(texts), strict=True)) if texts else {}
    vecs = {i: rows[refs[i].text] for i in in_blocks}
    for i, v in vecs.items():
        refs[i].vec = v
    uf = UnionFind()
    for key in sorted(blocks):
        ids = sorted(blocks[key], key=lambda i: (refs[i].stated or date.min, i))
        for a_pos, a in enumerate(ids):
            ra = refs[a]
            for b in ids[a_pos + 1:a_pos + 1 + WINDOW]:
                rb = refs[b]
                if rb.canonical == ra.canonical or (ra.story_id and rb.story_id and ra.story_id != rb.story_id):
                    continue
                shared = len(ra.args & rb.args)
                bar = SIM_TWO_ARGS if shared >= 2 else SIM_ONE_ARG
                if float(np.dot(vecs[a], vecs[b])) >= bar:
                    uf.union(a, b)
    props = []
    for members in uf.groups().values():
        if len({refs[m].canonical for m in members}) < 2:
            continue
        members.sort(key=lambda i: (refs[i].stated or date.min, i))
        counts: dict[str, int] = defaultdict(int)
        for m in members:
            for a in refs[m].args:
                counts[a] += 1
        args = sorted((a for a in counts if counts[a] * 2 >= len(members)), key=lambda a: (-counts[a], a))
        props.append(Proposition(id=content_id("prop", *sorted(members)), frame=refs[members[0]].frame,
                                 args=[index.name(a) or a for a in args], claim_ids=members))
    props.sort(key=lambda p: (-len(p.claim_ids), p.id))
    return refs, props


def proposition_label(p: Proposition) -> str:
    """Readable name for a proposition: 'presence_end: United States, Iraq'."""
    frame = p.frame.replace("_", " ")
    return f"{frame}: {', '.join(p.args)}" if p.args else frame


def normalise_counted(counted: str | None) -> str | None:
    """'occupying US troops' → 'troops'; 'foreign contractors' → 'contractor'."""
    if not counted:
        return None
    words = [w.lower().strip(".,’'") for w in counted.split() if w]
    if not words:
        return None
    head = words[-1]
    if head in COUNT_SYNONYMS:
        return COUNT_SYNONYMS[head]
    return head[:-1] if head.endswith("s") and len(head) > 3 else head


def resolve_place(place: str | None, article_id: str, index: EntityIndex) -> str | None:
    if not place:
        return None
    ids = _mentions(place, article_id, index)
    return ids[0] if ids else norm_key(place)
