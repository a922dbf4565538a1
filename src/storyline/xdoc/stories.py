"""Story clustering, two levels: *events* (articles about one real-world happening) grouped into *stories* (one
issue that may run for years: the 2021 withdrawal agreement and the 2024 Pentagon denial are two events of the story
"US troops in Iraq").

Each article is described by two vectors: a MiniLM embedding of its title and lead (what it is about) and a TF-IDF
weighted bag of its canonical entities (who and where — in ECB+ the people and places are what tell two earthquakes
or two shootings apart). Similarity is a weighted sum of the two cosines, damped mildly by the distance in time, so
two events of one kind split on who, where and when. Events then join stories by centroid similarity without the
time terms (``group_events``), and ``events.refine`` re-clusters each story's new articles by average linkage.

Clustering is online "leader" clustering over articles in date order against story centroids, followed by one
re-assignment pass: cost is linear in the number of articles times the few candidate stories each one is compared
with. Candidates come from an inverted index over the article's rarer entities and lead words, never from all stories.
New articles in a later run join existing stories (centroids kept in the ``story_index`` corpus document); existing
stories keep their ids and never merge with each other, so ids stay stable across runs.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..model import content_id
from ..nlp.numbers.timex_values import calendar_ref
from .entities import EntityIndex
from .headlines import cut_short, headline_of
from .view import CorpusView, DocView

# The fact keys this stage reads, by kind of fact: the corpus view holds only declared keys (xdoc/fact_rows.py).
READS = {"entities": ("id", "mention_count"),
         "times": ("value", "type", "interval")}

THRESHOLD = 0.45         # combined similarity an article needs to join a story (tuned on ECB+ train topics)
W_EMB = 0.5              # weight of the lead embedding cosine
W_TIME = 0.3             # weight of the time-expression cosine; the rest goes to the entity cosine
STORY_THRESHOLD = 0.4    # event-centroid similarity that puts two events in one story (tuned on ECB+ train topics)
STORY_W_EMB = 0.7
MAX_POSTING = 64         # a key held by more stories than this is too generic to propose candidates
MAX_CANDIDATES = 25      # stories compared per article
YEAR_DAMPING = 0.06      # similarity lost per year between an article and a story's dates (floor 0.75)
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
_STOP = frozenset("""about after again against also among another because been before being between both could
during each from have having here into just more most other over same said says should since some such than that
their them then there these they this those through under until very were what when where which while will with
would your year years week weeks news report reports told according""".split())


@dataclass(slots=True)
class StoryState:
    id: str
    article_ids: list[str]
    emb_sum: np.ndarray
    ents: Counter[str] = field(default_factory=Counter)
    times: Counter[str] = field(default_factory=Counter)
    first: date | None = None
    last: date | None = None
    frozen: bool = False                 # existed before this run: may grow, may not merge away
    ent_norm2: float = 0.0               # squared norms kept up to date, so a comparison costs the article's size,
    time_norm2: float = 0.0              # not the story's
    unit: np.ndarray | None = field(default=None, repr=False, compare=False)   # centroid, until the next add

    def centroid(self) -> np.ndarray:
        # Kept between adds: each article is compared with every candidate story, and the norm per comparison
        # was a tenth of the clustering.
        if self.unit is None:
            n = np.linalg.norm(self.emb_sum)
            self.unit = self.emb_sum / n if n > 0 else self.emb_sum
        return self.unit

    def add(self, emb: np.ndarray, ents: dict[str, float], times: dict[str, float], when: date | None, aid: str) -> None:
        self.article_ids.append(aid)
        self.emb_sum = self.emb_sum + emb
        self.unit = None
        self.ent_norm2 = _update(self.ents, ents, self.ent_norm2)
        self.time_norm2 = _update(self.times, times, self.time_norm2)
        if when:
            self.first = min(self.first, when) if self.first else when
            self.last = max(self.last, when) if self.last else when

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "article_ids": self.article_ids, "emb_sum": [round(float(x), 5) for x in self.emb_sum],
                "ents": {k: round(v, 4) for k, v in sorted(self.ents.items())},
                "times": {k: round(v, 4) for k, v in sorted(self.times.items())}, "first": self.first.isoformat() if self.first else None,
                "last": self.last.isoformat() if self.last else None}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StoryState:
        ents, times = Counter(d["ents"]), Counter(d.get("times", {}))
        return cls(d["id"], list(d["article_ids"]), np.asarray(d["emb_sum"], dtype=np.float32), ents, times,
                   date.fromisoformat(d["first"]) if d.get("first") else None,
                   date.fromisoformat(d["last"]) if d.get("last") else None, frozen=True,
                   ent_norm2=sum(v * v for v in ents.values()), time_norm2=sum(v * v for v in times.values()))


def _update(total: Counter[str], add: dict[str, float], norm2: float) -> float:
    """Add a vector into a running sum and return the sum's new squared norm."""
    for k, v in add.items():
        old = total.get(k, 0.0)
        total[k] = old + v
        norm2 += (old + v) ** 2 - old * old
    return norm2


def _cos_to(a: dict[str, float], total: Counter[str], norm2: float) -> float:
    """Cosine between a unit-length article vector and a running sum with a known squared norm."""
    if not a or norm2 <= 0:
        return 0.0
    dot = sum(w * total.get(k, 0.0) for k, w in a.items())
    return dot / math.sqrt(norm2) if dot else 0.0


def embed_leads(texts: list[str], parallel: int = 1) -> np.ndarray:
    """MiniLM embeddings of the leads (``parallel`` texts at a time, same vectors); hashed TF-IDF if the model cannot
    be loaded (still unit vectors)."""
    try:
        from ..nlp.runtime.embed import get_embedder

        return get_embedder().encode(texts, parallel=max(1, parallel))
    except Exception:  # noqa: BLE001 - a missing model degrades story quality, it must not stop the run
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        x = HashingVectorizer(n_features=2 ** 11, alternate_sign=False, stop_words="english").transform(texts)
        return TfidfTransformer().fit_transform(x).toarray().astype(np.float32)


def entity_vectors(view: CorpusView, docs: list[DocView], index: EntityIndex) -> list[dict[str, float]]:
    """Per article: canonical entity id → tf·idf weight, L2-normalised."""
    raw: list[Counter[str]] = []
    df: Counter[str] = Counter()
    for d in docs:
        c: Counter[str] = Counter()
        for e in d.entities():
            cid = index.by_local.get(e["id"])
            if cid:
                c[cid] += max(1, e.get("mention_count", 0))
        raw.append(c)
        df.update(c.keys())
    n = max(1, len(docs))
    out = []
    for c in raw:
        v = {k: (1 + math.log(tf)) * math.log(1 + n / df[k]) for k, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({k: x / norm for k, x in v.items()})
    return out


def time_vectors(docs: list[DocView]) -> list[dict[str, float]]:
    """Per article: the years and months it talks about (resolved time expressions and its own date), unit length.

    Two events of one kind (two quakes on one island, two offers to one player) differ mostly in *when*; the
    resolved time expressions say it even where the article's own date is unknown."""
    out = []
    for d in docs:
        c: Counter[str] = Counter()
        cals = [calendar_ref(t.get("value"), t.get("type"), t.get("interval")) for t in d.facts.get("times", ())]
        vals = [c[0] for c in cals if c] + [d.published.isoformat() if d.published else None]
        for v in vals:
            if v and len(v) >= 4 and v[:4].isdigit():
                c["y" + v[:4]] += 1
                if len(v) >= 7:
                    c["m" + v[:7]] += 1
        v2 = {k: 1 + math.log(x) for k, x in c.items()}
        norm = math.sqrt(sum(x * x for x in v2.values())) or 1.0
        out.append({k: x / norm for k, x in v2.items()})
    return out


def _time_factor(when: date | None, st: StoryState) -> float:
    if when is None or st.first is None or st.last is None:
        return 1.0
    gap = max(0, (st.first - when).days, (when - st.last).days)
    return max(0.75, 1.0 - YEAR_DAMPING * gap / 365.0)


def _keys(doc: DocView, ents: dict[str, float]) -> set[str]:
    words = {w.lower() for w in _WORD.findall(doc.lead)} - _STOP
    return {"e:" + k for k in ents} | {"w:" + w for w in words}


@dataclass(slots=True)
class StoryParams:
    threshold: float = THRESHOLD
    w_emb: float = W_EMB
    w_time: float = W_TIME
    max_candidates: int = MAX_CANDIDATES
    story_threshold: float = STORY_THRESHOLD
    story_w_emb: float = STORY_W_EMB


def clusterable(view: CorpusView) -> list[DocView]:
    """The articles clustering places: canonical ones (copies follow their original) that were analysed. An article
    the English-only analysis passed over (``nlp_skipped``: another language) has no facts, and its lead embedded by an
    English model would join or found stories on noise: it stays in the corpus, labelled, in no story."""
    return [d for d in view.docs if d.duplicate_of is None and not d.facts.get("nlp_skipped")]


def cluster(view: CorpusView, index: EntityIndex, previous: list[dict[str, Any]] | None = None,
            params: StoryParams | None = None, embeddings: np.ndarray | None = None,
            features: dict[str, tuple[np.ndarray, dict[str, float], dict[str, float]]] | None = None) -> list[StoryState]:
    """Assign every canonical (non-duplicate) article to an event; duplicates follow their canonical article.
    ``features``, when given, receives each new article's (embedding, entity vector, time vector)."""
    p = params or StoryParams()
    stories = [StoryState.from_json(s) for s in (previous or [])]
    base = [StoryState.from_json(s) for s in (previous or [])]   # untouched copies for the re-assignment pass
    known = {a for s in stories for a in s.article_ids}
    new = [d for d in clusterable(view) if d.id not in known]
    new.sort(key=lambda d: (d.when or date.max, d.order))
    embs = embeddings if embeddings is not None else embed_leads([d.lead for d in new])
    ents = entity_vectors(view, new, index)
    tvecs = time_vectors(new)
    if features is not None:
        features.update({d.id: (embs[i], ents[i], tvecs[i]) for i, d in enumerate(new)})
    # Inverted index key → stories holding it, with a document-frequency cap so that "US" or "said" never makes
    # every story a candidate (this is what keeps the cost linear).
    key_df: Counter[str] = Counter()
    doc_keys = [_keys(d, e) for d, e in zip(new, ents, strict=True)]
    for ks in doc_keys:
        key_df.update(ks)
    cap = max(30, int(0.02 * len(new)))
    postings: dict[str, set[int]] = defaultdict(set)
    for si, st in enumerate(stories):
        for k in st.ents:
            postings["e:" + k].add(si)
    assign: list[int] = []
    for i, d in enumerate(new):
        cands: Counter[int] = Counter()
        for k in doc_keys[i]:
            post = postings.get(k, ())
            if key_df[k] <= cap and len(post) <= MAX_POSTING:
                cands.update(post)
        best, best_sim = -1, p.threshold
        for si, _ in sorted(cands.items(), key=lambda kv: (-kv[1], kv[0]))[:p.max_candidates]:
            st = stories[si]
            sim = _similarity(embs[i], ents[i], tvecs[i], d.when, st, p)
            if sim > best_sim:
                best, best_sim = si, sim
        if best < 0:
            stories.append(StoryState(content_id("evt", d.id), [], np.zeros_like(embs[i])))
            best = len(stories) - 1
        stories[best].add(embs[i], ents[i], tvecs[i], d.when, d.id)
        assign.append(best)
        for k in doc_keys[i]:
            if key_df[k] <= cap:
                postings[k].add(best)
    _reassign(new, embs, ents, tvecs, doc_keys, key_df, cap, postings, assign, stories, base, p)
    stories = [s for s in stories if s.article_ids]
    _attach_duplicates(view, stories)
    return stories


def _similarity(emb: np.ndarray, ents: dict[str, float], times: dict[str, float], when: date | None, st: StoryState,
                p: StoryParams) -> float:
    cos_e = float(np.dot(emb, st.centroid()))
    cos_n = _cos_to(ents, st.ents, st.ent_norm2)
    # No time expressions on one side says nothing either way: a neutral 0.5, not a penalty.
    cos_t = _cos_to(times, st.times, st.time_norm2) if times and st.times else 0.5
    w_ent = 1.0 - p.w_emb - p.w_time
    return (p.w_emb * cos_e + w_ent * cos_n + p.w_time * cos_t) * _time_factor(when, st)


def _reassign(new: list[DocView], embs: np.ndarray, ents: list[dict[str, float]], tvecs: list[dict[str, float]], doc_keys: list[set[str]],
              key_df: Counter[str], cap: int, postings: dict[str, set[int]], assign: list[int],
              stories: list[StoryState], base: list[StoryState], p: StoryParams) -> None:
    """One k-means-style pass: an article that arrived before its story's centroid settled may fit another better.

    Only new articles move, and only to a story sharing a key with them; centroids are rebuilt afterwards.
    """
    moved = False
    for i, d in enumerate(new):
        cur = assign[i]
        shared: Counter[int] = Counter()
        for k in doc_keys[i]:
            post = postings.get(k, ())
            if key_df[k] <= cap and len(post) <= MAX_POSTING:
                shared.update(post)
        cands = {si for si, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:p.max_candidates]} | {cur}
        scores = {si: _similarity(embs[i], ents[i], tvecs[i], d.when, stories[si], p) for si in sorted(cands)
                  if stories[si].article_ids}
        best = max(scores, key=lambda si: (scores[si], -si))
        if best != cur and scores[best] > scores[cur] + 0.02:
            assign[i] = best
            moved = True
    if not moved:
        return
    for si, st in enumerate(stories):
        # Frozen stories restart from their state before this run, new ones from nothing; then members are re-added.
        stories[si] = base[si] if si < len(base) else StoryState(st.id, [], np.zeros_like(embs[0]))
    for i, d in enumerate(new):
        stories[assign[i]].add(embs[i], ents[i], tvecs[i], d.when, d.id)
    for st in stories:
        if not st.frozen and st.article_ids and st.id != content_id("evt", st.article_ids[0]):
            st.id = content_id("evt", st.article_ids[0])  # the founding article may have moved away


def _attach_duplicates(view: CorpusView, stories: list[StoryState]) -> None:
    where = {a: st for st in stories for a in st.article_ids}
    for d in view.docs:
        if d.duplicate_of is not None and d.id not in where:
            st = where.get(view.canonical(d.id))
            if st is not None:
                st.article_ids.append(d.id)


@dataclass(slots=True)
class StoryGroup:
    """A story: one or more events of one issue ("US troops in Iraq": the 2021 agreement, the 2024 Pentagon denial)."""

    id: str
    event_ids: list[str]
    emb_sum: np.ndarray
    ents: Counter[str] = field(default_factory=Counter)
    ent_norm2: float = 0.0

    def add(self, ev: StoryState) -> None:
        self.event_ids.append(ev.id)
        self.emb_sum = self.emb_sum + ev.emb_sum
        self.ent_norm2 = _update(self.ents, ev.ents, self.ent_norm2)

    def centroid(self) -> np.ndarray:
        n = np.linalg.norm(self.emb_sum)
        return self.emb_sum / n if n > 0 else self.emb_sum


def group_events(events: list[StoryState], previous: list[dict[str, Any]] | None = None,
                 params: StoryParams | None = None) -> list[StoryGroup]:
    """Events → stories by centroid similarity of lead embeddings and entities, ignoring time: an issue may run for
    years while its events (clustered with time) stay apart. Existing stories keep their ids and events."""
    p = params or StoryParams()
    by_id = {e.id: e for e in events}
    dim = events[0].emb_sum.shape[0] if events else 384
    groups: list[StoryGroup] = []
    for g in previous or []:
        grp = StoryGroup(g["id"], [], np.zeros(dim, dtype=np.float32))
        for eid in g["event_ids"]:
            if eid in by_id:
                grp.add(by_id[eid])
        if grp.event_ids:
            groups.append(grp)
    known = {e for g in groups for e in g.event_ids}
    new = sorted((e for e in events if e.id not in known), key=lambda e: (e.first or date.max, e.id))
    df: Counter[str] = Counter(k for e in events for k in e.ents)
    cap = max(30, int(0.02 * len(events)))
    postings: dict[str, set[int]] = defaultdict(set)
    for gi, g in enumerate(groups):
        for k in g.ents:
            postings[k].add(gi)
    for ev in new:
        cands: Counter[int] = Counter(gi for k in ev.ents if df[k] <= cap and len(postings.get(k, ())) <= MAX_POSTING
                                      for gi in postings.get(k, ()))
        best, best_sim = -1, p.story_threshold
        ce = ev.centroid()
        for gi, _ in sorted(cands.items(), key=lambda kv: (-kv[1], kv[0]))[:p.max_candidates]:
            g = groups[gi]
            cos_n = _cos_to(ev.ents, g.ents, g.ent_norm2) / math.sqrt(ev.ent_norm2) if ev.ent_norm2 > 0 else 0.0
            sim = p.story_w_emb * float(np.dot(ce, g.centroid())) + (1 - p.story_w_emb) * cos_n
            if sim > best_sim:
                best, best_sim = gi, sim
        if best < 0:
            groups.append(StoryGroup(content_id("sto", ev.article_ids[0]), [], np.zeros(dim, dtype=np.float32)))
            best = len(groups) - 1
        groups[best].add(ev)
        for k in ev.ents:
            if df[k] <= cap:
                postings[k].add(best)
    return groups


def index_document(events: list[StoryState], groups: list[StoryGroup]) -> dict[str, Any]:
    """What the next run needs to continue incrementally: event centroids and which story holds which event."""
    return {"events": [e.to_json() for e in events], "stories": [{"id": g.id, "event_ids": g.event_ids} for g in groups]}


def _centrality(d: DocView, embeddings: dict[str, np.ndarray] | None, centre: np.ndarray) -> tuple[int, float, int]:
    """Sort key: the title of the article closest to the centre (news before opinion) speaks for the story."""
    e = embeddings.get(d.id) if embeddings else None
    return (0 if d.genre in ("news", "unknown") else 1, -float(np.dot(e, centre)) if e is not None else 0.0, d.order)


def _span(view: CorpusView, members: list[str]) -> tuple[str | None, str | None]:
    dates = [view.by_id[a].when for a in members if view.by_id[a].when]
    return (min(dates).isoformat(), max(dates).isoformat()) if dates else (None, None)


TITLE_TRIMMED_TRIES = 10    # central articles whose over-long headlines are passed over for a complete one


def _title(view: CorpusView, members: list[str], centre: np.ndarray, embeddings: dict[str, np.ndarray] | None,
           fallback: str | None = None) -> str:
    """The most central article's headline that reads as one (``headlines``): captions, datelines, bylines and
    newsletter lines are passed over for the next most central article; when none reads as a headline (mangled
    text), the story's defining entities name it."""
    canon = [a for a in members if view.by_id[a].duplicate_of is None] or members
    ranked = sorted(canon, key=lambda a: _centrality(view.by_id[a], embeddings, centre))
    heads: list[str] = []
    for a in ranked[:50]:
        head = headline_of(view.by_id[a].title, view.by_id[a].lead)
        if not head:
            continue
        if not cut_short(head):
            return head
        heads.append(head)
        if len(heads) == TITLE_TRIMMED_TRIES:
            break
    # A headline cut at its length limit is nearly always a headline run into its standfirst ("…, WHO warns Health
    # chiefs say plans …"): the next central article whose headline ends where a headline ends is the better title.
    return heads[0] if heads else fallback or view.by_id[ranked[0]].title


def story_records(view: CorpusView, events: list[StoryState], groups: list[StoryGroup], index: EntityIndex,
                  embeddings: dict[str, np.ndarray] | None = None) -> list[dict[str, Any]]:
    """Contract rows ``id, title, article_ids`` plus dates, outlets, defining entities and the story's events."""
    by_id = {e.id: e for e in events}
    out = []
    for g in groups:
        evs = [by_id[e] for e in g.event_ids]
        members = sorted({a for e in evs for a in e.article_ids}, key=lambda a: view.by_id[a].order)
        top = [index.name(k) or k for k, _ in sorted(g.ents.items(), key=lambda kv: (-kv[1], kv[0]))[:6]]
        first, last = _span(view, members)
        ev_rows = []
        for e in sorted(evs, key=lambda e: (e.first or date.max, e.id)):
            em = sorted(e.article_ids, key=lambda a: view.by_id[a].order)
            f, l_ = _span(view, em)
            ev_rows.append({"id": e.id, "title": _title(view, em, e.centroid(), embeddings), "article_ids": em,
                            "first_date": f, "last_date": l_})
        named = f"Coverage of {', '.join(top[:3])}" if top else None
        out.append({"id": g.id, "title": _title(view, members, g.centroid(), embeddings, named), "article_ids": members,
                    "entities": top, "outlets": sorted({view.by_id[a].outlet for a in members}),
                    "first_date": first, "last_date": last, "events": ev_rows})
    out.sort(key=lambda r: (-len(r["article_ids"]), r["id"]))
    return out
