"""Claim alignment: which claims in different articles state the same proposition, and how sure that is.

1. **Refs.** Every claim with a content predicate becomes a ``ClaimRef``: its frame and sign (antonym frames from
   ``lang/en/frames.tsv``; without that file each predicate is its own frame), argument entities resolved to
   canonical corpus entities, its numbers, content words, effective stance (sign flipped by negation and denial).
2. **Candidates.** Claims meet only inside blocks keyed by (story, argument entity) or (story, counted thing), and
   inside a block only their ``K`` nearest neighbours by MiniLM cosine from other articles, so the work grows with the
   corpus, not with its square, and a claim meets the claims most like it rather than the ones nearest in time.
3. **Pair model.** Each candidate pair is scored by the shipped pair model (``pair_model``): P(different
   propositions), P(same, compatible), P(same, incompatible).
4. **Propositions** (key claims). Star clustering over pairs the model calls the same proposition: the claim with
   the most aligned mass is a centre, its aligned neighbours join it. Stars never chain, so "schools closed in
   Mexico" cannot reach "schools reopened in Texas" through a run of near neighbours.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

import numpy as np

from ..lang import en
from ..model import content_id
from .entities import EntityIndex, norm_key, place_ids
from .pair_features import NOT_OPPOSABLE, ClaimRef, NumberRef, content_words, number_ref, pair_features
from .pair_model import load as load_pair_model
from .view import CorpusView, DocView

# The fact keys this stage reads, by kind of fact: the corpus view holds only declared keys (xdoc/fact_rows.py).
READS = {"claims": ("id", "start", "end", "text", "subject", "predicate", "object", "polarity", "modality",
                    "speaker", "event_date", "event_date_precision"),
         "entities": ("id",),
         "quantities": ("start", "end", "text")}

K_NEIGHBOURS = 6         # nearest claims (other articles) a claim is paired with inside one block
MIN_COS = 0.45           # below this the texts are not about the same thing at all
BLOCK_MAX = 1500         # larger blocks are cut into overlapping runs in time
ALIGN_MIN = 0.5          # P(same proposition) for a pair to join a proposition
_WORDS = re.compile(r"[\w'’.-]+")
# Verbs too light to carry a proposition on their own ("is", "has", "said").
LIGHT = frozenset("be have do make get go come say tell add note take give put become seem appear".split())


@dataclass(slots=True)
class Proposition:
    id: str
    frame: str
    args: list[str]                 # canonical entity names shared by most of its claims
    claim_ids: list[str]            # the centre first, then members by date
    centre: str = ""
    support: dict[str, float] = field(default_factory=dict)   # member → P(same proposition) with the centre


@dataclass(slots=True)
class ScoredPair:
    a: str
    b: str
    p_none: float
    p_compatible: float
    p_incompatible: float

    @property
    def p_same(self) -> float:
        return self.p_compatible + self.p_incompatible


def mentions(phrase: str | None, article_id: str, index: EntityIndex) -> list[str]:
    """Canonical entity ids named inside a phrase ("US forces" → United States), longest n-grams first."""
    return list(dict.fromkeys(cid for cid, _i, _last in _named_words(phrase, article_id, index)))


def mention_spans(phrase: str | None, article_id: str, index: EntityIndex) -> list[tuple[str, int, int]]:
    """(canonical id, start, end) of each name inside a phrase, longest n-grams first."""
    found = _named_words(phrase, article_id, index)
    if not found or phrase is None:
        return []
    bounds = [m.span() for m in _WORDS.finditer(phrase)]     # offsets only for the phrases that name something
    return [(cid, bounds[i][0], bounds[last][1]) for cid, i, last in found]


def _named_words(phrase: str | None, article_id: str, index: EntityIndex) -> list[tuple[str, int, int]]:
    """(canonical id, first word, last word) of each name inside a phrase, longest n-grams first."""
    if not phrase or phrase.islower():
        return []
    tokens = _WORDS.findall(phrase)
    # Only n-grams from a capitalised word to a capitalised word can be names: walking those alone (not every
    # position for each n) was most of the time spent in building claim refs.
    caps = [i for i, w in enumerate(tokens) if w[:1].isupper()]
    if not caps:
        return []                 # names start and end with a capital: a phrase without one names nothing
    capital = set(caps)
    found: list[tuple[str, int, int]] = []
    taken = [False] * len(tokens)
    for n in (4, 3, 2, 1):
        for i in caps:
            last = i + n - 1
            if last not in capital or any(taken[i:last + 1]):
                continue
            first = tokens[i]
            if n == 1 and len(first) <= 2 and not first.isupper():
                continue  # 'Us'/'Is' as words are not names
            cid = index.resolve(" ".join(tokens[i:last + 1]), article_id)
            if cid:
                found.append((cid, i, last))
                for k in range(i, last + 1):
                    taken[k] = True
    return found


ASPECTUAL = frozenset({"begin", "start", "continue", "resume", "launch", "initiate"})
_ING = re.compile(r"\b([a-z]+)ing\b")


def frame_of(claim: Any) -> tuple[str, int] | None:
    """(frame, sign) for a claim, or None when its predicate is too light to carry a proposition."""
    pred = (claim.get("predicate") or "").lower().strip()
    text = (claim.get("text") or "").lower()
    frames = en.frames()
    if pred == "pull" and " out" in text:
        pred = "pull out"
    if pred in ASPECTUAL:
        # "begin the process of ending the coalition": the proposition is the ending, not the beginning.
        inner = _inner_verb(text, pred, frames)
        if inner:
            pred = inner
    if pred in frames:
        return frames[pred]
    if pred in LIGHT or not pred:
        return None
    return (pred, 1)


def _inner_verb(text: str, pred: str, frames: dict[str, tuple[str, int]]) -> str | None:
    """The first -ing verb after an aspectual predicate that names a known frame ('ending' → 'end')."""
    at = text.find(pred[:4])
    for m in _ING.finditer(text, at if at >= 0 else 0):
        stem = m.group(1)
        for cand in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem):
            if cand in frames and cand != pred:
                return cand
    return None


_WANT = re.compile(r"\b(?:wants?|wanted|wanting|demands?|demanded|calls? for|called for|urges?|urged|asks?|asked)\b",
                   re.IGNORECASE)


_NON_WORD = re.compile(r"\W+")


def _squash(text: str | None) -> str:
    return _NON_WORD.sub("", (text or "").lower())


def effective_modality(claim: Any) -> str:
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


class _DocFigures:
    """An article's figures as NumberRefs with their spans, built once per article: every claim asks which figures it
    holds, and reading each figure's words again per claim cost a pass over all claims per figure."""

    def __init__(self, doc: DocView) -> None:
        spans = [(c["start"], c["end"], c.get("text") or "") for c in doc.claims()]
        self.figures: list[tuple[int, int, NumberRef]] = []
        for q in doc.quantities():
            qs, qe = q["start"], q["end"]
            after = next((t[qe - cs:qe - cs + 40] for cs, ce, t in spans if cs <= qs < ce), "")
            ref = number_ref(q, (q.get("text") or "") + " " + after)
            if ref is not None:
                self.figures.append((qs, qe, ref))

    def inside(self, start: int, end: int) -> tuple[NumberRef, ...]:
        return tuple(ref for qs, qe, ref in self.figures if start <= qs and qe <= end)


BOILERPLATE_ARTICLES = 3   # a sentence one outlet repeats in this many articles is page furniture, not a claim
_CREDIT = re.compile(r"contributed to this report|\b(?:reporting|editing|writing) by\b", re.IGNORECASE)  # credit lines
BOILERPLATE_PREFIX = 60    # ... compared on its first characters: unsplit text runs furniture into the next sentence


def boilerplate(view: CorpusView, squashed: dict[str, str] | None = None) -> set[tuple[str, str]]:
    """(outlet, squashed text) of claims an outlet repeats word for word across articles that are not copies of
    each other: comment disclaimers, "views expressed do not represent those of Reuters", sign-offs. ``squashed``,
    when given, receives each claim's squashed text by claim id (the refs need it again)."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    keep = squashed if squashed is not None else {}
    for doc in view.docs:
        canon = view.canonical(doc.id)
        for c in doc.claims():
            keep[c["id"]] = sq = _squash(c.get("text"))
            seen[(doc.outlet, sq[:BOILERPLATE_PREFIX])].add(canon)
    return {k for k, arts in seen.items() if len(arts) >= BOILERPLATE_ARTICLES}


def _sentence_finder(doc: DocView) -> Callable[[int], tuple[int, int] | None]:
    """``doc.sentence_at`` by bisection: sentences come sorted and apart, so only the last one starting at or before
    an offset can hold it (a linear scan per claim was a tenth of the corpus stages on 1,000 articles)."""
    bounds = doc.facts.get("sentences")
    if bounds is None:
        return lambda pos: None
    starts, ends = list(bounds[0::2]), list(bounds[1::2])
    if any(x > y for x, y in zip(starts, starts[1:], strict=False)) or \
            any(e > s for e, s in zip(ends, starts[1:], strict=False)):
        return doc.sentence_at          # out of order or overlapping: the plain scan decides

    def find(pos: int) -> tuple[int, int] | None:
        i = bisect_right(starts, pos) - 1
        return (starts[i], ends[i]) if i >= 0 and pos < ends[i] else None
    return find


def _has_credit(text: str) -> bool:
    """A credit line ("Reporting by …", "… contributed to this report"). A plain substring test first: the
    case-blind regex alone cost a tenth of building the refs on 1,500 articles."""
    low = text.lower()
    return ("contributed to this report" in low or " by" in low) and _CREDIT.search(low) is not None


def build_refs(view: CorpusView, index: EntityIndex, story_of: dict[str, str]) -> dict[str, ClaimRef]:
    places = place_ids(index)
    squashed: dict[str, str] = {}
    furniture = boilerplate(view, squashed)
    refs: dict[str, ClaimRef] = {}
    for doc in view.docs:
        canon = view.canonical(doc.id)
        title_key = _squash(doc.title)
        named = frozenset(cid for e in doc.entities() if (cid := index.by_local.get(e.get("id", ""))) in places)
        memo: dict[str, list[str]] = {}

        def named_in(phrase: str | None, aid: str = doc.id, memo: dict[str, list[str]] = memo) -> list[str]:
            if not phrase:
                return []
            if phrase not in memo:
                memo[phrase] = mentions(phrase, aid, index)
            return memo[phrase]

        figures = _DocFigures(doc)
        for c in doc.claims():
            fr = frame_of(c)
            sq = squashed[c["id"]]
            text = c.get("text")
            if fr is None or (doc.outlet, sq[:BOILERPLATE_PREFIX]) in furniture or (text and _has_credit(text)):
                continue
            frame, sign = fr
            subject, obj, speaker = c.get("subject"), c.get("object"), c.get("speaker")
            subj = named_in(subject)
            objs = named_in(obj)
            in_text = named_in(text)
            plc = frozenset(x for x in [*objs, *in_text] if x in places)
            polarity = bool(c.get("polarity", True))
            modality = effective_modality(c)
            stance = sign * (1 if polarity else -1) * (-1 if modality == "denied" else 1)
            refs[c["id"]] = ClaimRef(
                id=c["id"], article_id=doc.id, canonical=canon, text=c.get("text", ""),
                predicate=c.get("predicate", ""), frame=frame, sign=sign, stance=stance, modality=modality,
                polarity=polarity, speaker=speaker, subject=subj[0] if subj else None,
                args=frozenset([*subj, *objs, *plc]), places=plc, event_date=c.get("event_date"),
                event_precision=c.get("event_date_precision"), stated=doc.when, stated_inferred=doc.date_inferred,
                outlet=doc.outlet, story_id=story_of.get(doc.id),
                headline=bool(title_key) and sq[:40] in title_key,
                words=content_words(text), subject_words=content_words(subject),
                object_words=content_words(obj), numbers=figures.inside(c["start"], c["end"]),
                article_places=named | plc,
                actor_place=next((x for x in [*subj, *named_in(speaker)] if x in places), None))
    return refs


def place_contexts(view: CorpusView, index: EntityIndex, refs: dict[str, ClaimRef], ids: set[str]) -> None:
    """``context_places`` of the claims ``ids`` (those in scored pairs: only they are ever compared): places named by
    any claim of the claim's sentence, and by its speaker. "Scotland's health minister said two people tested
    positive … near Glasgow" places its shorter claim "two people tested positive" in Scotland too."""
    places = place_ids(index)
    wanted: dict[str, list[str]] = defaultdict(list)
    for i in sorted(ids):
        wanted[refs[i].article_id].append(i)
    for aid, mine in wanted.items():
        doc = view.by_id[aid]
        sentence_of = _sentence_finder(doc)
        claims = doc.claims()
        sentences = [sentence_of(c["start"]) for c in claims]
        starts = {c["id"]: sent for c, sent in zip(claims, sentences, strict=True)}
        needed = {starts.get(i) for i in mine} - {None}
        around: dict[tuple[int, int] | None, set[str]] = defaultdict(set)
        for c, sent in zip(claims, sentences, strict=True):
            if sent in needed:
                for phrase in (c.get("text"), c.get("object")):
                    around[sent].update(x for x in mentions(phrase, aid, index) if x in places)
        for i in mine:
            ref = refs[i]
            speaker = frozenset(x for x in mentions(ref.speaker, aid, index) if x in places)
            ref.context_places = frozenset(around.get(starts.get(i), ())) | speaker


def _blocks(refs: dict[str, ClaimRef]) -> dict[tuple[str, str], list[str]]:
    """Claims that may state one proposition: same story and a shared argument entity or counted thing; only blocks
    with claims from two or more canonical articles. Keying by story keeps blocks growing with the story."""
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in refs.values():
        if r.modality in NOT_OPPOSABLE or len(r.words) < MIN_WORDS:
            continue        # a demand or a possibility relates to nothing; a fragment states nothing checkable
        keys = {f"e:{a}" for a in r.args} | {f"n:{n.head}" for n in r.numbers}
        for k in sorted(keys):
            blocks[(r.story_id or "", k)].append(r.id)
    return {k: v for k, v in blocks.items() if len({refs[i].canonical for i in v}) > 1}


def _copy(a: ClaimRef, b: ClaimRef) -> bool:
    if a.outlet != b.outlet:
        return False
    sa, sb = _squash(a.text), _squash(b.text)
    return sa == sb or (a.stated == b.stated and (sa in sb or sb in sa))


MIN_WORDS = 3             # content words a claim needs to state something checkable ("Schools have closed" does not)
SHARED_WORDS = 2          # content words a claim must share with some claim of another article in its block
COMMON_IN_BLOCK = 0.2     # words in more than this share of a block's claims say nothing about which two align


def _lexical_prefilter(refs: dict[str, ClaimRef], blocks: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], list[str]]:
    """Keep, per block, only claims that share ``SHARED_WORDS`` uncommon content words with a claim of another
    article: the pair model needs word overlap to call two claims one proposition (a pair sharing fewer almost
    never reaches P(same) 0.5 on the labelled pairs), and each claim kept costs a MiniLM run."""
    out: dict[tuple[str, str], list[str]] = {}
    for key, ids in blocks.items():
        limit = max(2, int(COMMON_IN_BLOCK * len(ids)))
        df = Counter(chain.from_iterable(refs[i].words for i in ids))
        # Only words in two to ``limit`` claims can be shared and uncommon; a claim with fewer than SHARED_WORDS
        # of them shares too little with anyone, so only the others need postings (most claims of small blocks).
        usable = {i: ws for i in ids if len(ws := [w for w in refs[i].words if 2 <= df[w] <= limit]) >= SHARED_WORDS}
        posting: dict[str, list[str]] = defaultdict(list)
        for i, ws in usable.items():
            for w in ws:
                posting[w].append(i)
        canon = {i: refs[i].canonical for i in usable}
        keep = {i for i, ws in usable.items() if _shares_words(i, ws, posting, canon, limit)}
        kept = [i for i in ids if i in keep]
        if len({refs[i].canonical for i in kept}) > 1:
            out[key] = kept
    return out


def _shares_words(i: str, words: Iterable[str], posting: dict[str, list[str]], canon: dict[str, str],
                  limit: int) -> bool:
    """Whether claim ``i`` shares ``SHARED_WORDS`` uncommon words with one claim of another article (stops at the
    first such claim)."""
    mine = canon[i]
    shared: dict[str, int] = defaultdict(int)
    for w in words:
        post = posting[w]
        if len(post) > limit:
            continue
        for j in post:
            if canon[j] != mine:
                shared[j] += 1
                if shared[j] >= SHARED_WORDS:
                    return True
    return False


def _runs(ids: list[str]) -> list[list[str]]:
    if len(ids) <= BLOCK_MAX:
        return [ids]
    step = BLOCK_MAX // 2
    return [ids[i:i + BLOCK_MAX] for i in range(0, len(ids) - step, step)]


def candidate_pairs(refs: dict[str, ClaimRef], blocks: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
    """Pairs (a < b) of claims from different canonical articles: each claim's ``K_NEIGHBOURS`` most similar claims
    inside each of its blocks, above ``MIN_COS``."""
    pairs: set[tuple[str, str]] = set()
    for key in sorted(blocks):
        ids = sorted(blocks[key], key=lambda i: (refs[i].stated or date.min, i))
        for run in _runs(ids):
            mat = np.stack([refs[i].vec for i in run])
            sims = mat @ mat.T
            canon = np.array([refs[i].canonical for i in run])
            sims[canon[:, None] == canon[None, :]] = -1.0
            k = min(K_NEIGHBOURS, len(run) - 1)
            top = np.argpartition(-sims, k, axis=1)[:, :k] if k < len(run) - 1 else np.argsort(-sims, axis=1)[:, :k]
            for i, row in enumerate(top):
                for j in row:
                    if sims[i, j] >= MIN_COS:
                        a, b = run[i], run[int(j)]
                        if _copy(refs[a], refs[b]):
                            continue        # one outlet's sentence twice: a copy syndication missed, no new source
                        pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def score_pairs(refs: dict[str, ClaimRef], pairs: list[tuple[str, str]]) -> list[ScoredPair]:
    if not pairs:
        return []
    model = load_pair_model()
    x = np.stack([pair_features(refs[a], refs[b]) for a, b in pairs])
    probs = model.predict_proba(x).tolist()     # Python floats at once: float() per numpy element cost more
    return [ScoredPair(a, b, p0, p1, p2) for (a, b), (p0, p1, p2) in zip(pairs, probs, strict=True)]


def embed_refs(refs: dict[str, ClaimRef], ids: list[str], embed: Callable[[list[str]], np.ndarray]) -> None:
    # One vector per distinct text: syndicated copies repeat their claims word for word, and each copy's row would
    # otherwise be embedded and held again (at 100k articles with many copies, gigabytes of equal rows).
    texts = sorted({refs[i].text for i in ids})
    rows = dict(zip(texts, embed(texts), strict=True)) if texts else {}
    for i in ids:
        refs[i].vec = rows[refs[i].text]


def align(view: CorpusView, index: EntityIndex, story_of: dict[str, str],
          embed: Any = None) -> tuple[dict[str, ClaimRef], list[Proposition], list[ScoredPair]]:
    """Claim refs, propositions (two or more articles) and the scored candidate pairs."""
    refs = build_refs(view, index, story_of)
    blocks = _lexical_prefilter(refs, _blocks(refs))
    in_blocks = sorted({i for ids in blocks.values() for i in ids})
    if embed is None:
        from .stories import embed_leads as embed
    embed_refs(refs, in_blocks, embed)
    scored = score_pairs(refs, candidate_pairs(refs, blocks))
    place_contexts(view, index, refs, {c for x in scored for c in (x.a, x.b)})
    props = propositions(refs, scored, index)
    return refs, props, scored


def propositions(refs: dict[str, ClaimRef], scored: list[ScoredPair], index: EntityIndex) -> list[Proposition]:
    """Star clustering over aligned pairs: centres in order of aligned mass, each takes its unassigned neighbours."""
    nbrs: dict[str, dict[str, float]] = defaultdict(dict)
    for s in scored:
        if s.p_same >= ALIGN_MIN:
            nbrs[s.a][s.b] = s.p_same
            nbrs[s.b][s.a] = s.p_same
    order = sorted(nbrs, key=lambda c: (-sum(nbrs[c].values()), c))
    taken: set[str] = set()
    props = []
    for centre in order:
        if centre in taken:
            continue
        members = [m for m in sorted(nbrs[centre]) if m not in taken]
        canon = {refs[centre].canonical} | {refs[m].canonical for m in members}
        if len(canon) < 2:
            continue
        taken.add(centre)
        taken.update(members)
        members.sort(key=lambda i: (refs[i].stated or date.min, i))
        group = [centre, *members]
        counts: dict[str, int] = defaultdict(int)
        for m in group:
            for a in refs[m].args:
                counts[a] += 1
        args = sorted((a for a in counts if counts[a] * 2 >= len(group)), key=lambda a: (-counts[a], a))
        props.append(Proposition(id=content_id("prop", *sorted(group)), frame=refs[centre].frame,
                                 args=[index.name(a) or a for a in args], claim_ids=group, centre=centre,
                                 support={m: round(nbrs[centre][m], 4) for m in members}))
    props.sort(key=lambda p: (-len({refs[c].canonical for c in p.claim_ids}), p.id))
    return props


def proposition_label(p: Proposition) -> str:
    """Readable name for a proposition: 'withdraw: United States, Iraq'."""
    frame = p.frame.replace("_", " ")
    return f"{frame}: {', '.join(p.args)}" if p.args else frame


def resolve_place(place: str | None, article_id: str, index: EntityIndex) -> str | None:
    if not place:
        return None
    ids = mentions(place, article_id, index)
    return ids[0] if ids else norm_key(place)
