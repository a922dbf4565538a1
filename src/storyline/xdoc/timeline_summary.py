"""A summarised timeline: the L dates that mattered, K sentences for each, with the articles and outlets behind them.

The recipe is the date-wise one of timeline summarisation (Gholipour Ghalandari & Ifrim 2020, "Examining the
state-of-the-art in news timeline summarization"): rank days by how often and how independently coverage refers to
them, then summarise each chosen day from the sentences about it.

* **Date references.** A day is referred to by an article that states it in a sentence (a day-precision DATE time
  expression, resolved against the article's own date) or that was published on it. Each (canonical) article counts
  once per day however often it repeats the day; copies (``duplicate_of``) are left out, and a sentence copied word
  for word into another article refers once. A reference counts more when the day is named in the article's lead,
  when it comes from a later article looking back (the day is still news days later), and less when the day lies
  after the article's own date (a plan, not an event). The day's score grows with the sum of its references and
  with the number of publication days and outlets they come from.
* **Sentences.** A day's candidates are the sentences that name it and the lead sentences of articles published on
  it or the day after that name no other day. Each is scored by its closeness (TF-IDF cosine) to the mean of the
  two groups' centroids, and K are taken greedily with a penalty on closeness to those already taken (MMR), so the
  day's summary says what most of its coverage says, once.
* **Undated articles** whose inferred window is narrow (half a year at most) form one entry per window
  (``precision: "period"``), ranked like a day with only publication references.

Everything here reads the store (article texts and stored facts); nothing is parsed again.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..meta.outlets import unknown_outlet_label
from ..model import Article

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORDS = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# Page furniture that survives cleaning as a sentence: reader-comment headers ("At 9:12 pm on 18 Jan 2010, X wrote:"),
# update stamps, clock-time datelines. A reader never wants these as the summary of a day.
_FURNITURE = re.compile(r"\bwrote\s*:|\blast updated\b|\bupdated\s*:|\b\d{1,2}[:.]\d{2}\s*(?:am|pm|gmt|bst|utc|et|cet)\b"
                        r"|^(?:click|read more|watch|listen|share|follow)\b", re.IGNORECASE)
# A sentence opening on a pronoun or a linking adverb leans on the one before it; out of context it says little
# (first person: a witness's own account, not what happened).
_DANGLING = re.compile(r"^(?:he|she|it|they|this|that|these|those|his|her|its|their|i|we|you|your|my|our|but|and|so|also|"
                       r"meanwhile)\b",
                       re.IGNORECASE)
# A writer speaking of themselves outside quotation marks ("Yesterday I had a bolt from the blue"): a reader's story
# or a column, not a report of what happened; weighed like a dangling opening.
_PERSONAL = re.compile(r"\b(?:I|me|my|myself)\b")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _leaning(text: str) -> bool:
    return bool(_DANGLING.match(text) or _PERSONAL.search(_QUOTED.sub(" ", text)))


@dataclass(frozen=True, slots=True)
class Params:
    """Weights of the date ranking and the sentence choice (chosen by averaging over the five T17 dev collections,
    ``benchmarks/bench_t17_timeline.py``; never per collection)."""

    lead_sents: int = 5             # sentences counted as an article's lead (candidates for its publication day)
    w_lead: float = 0.5             # extra weight of a reference at the article's start, fading with position
    lead_decay: float = 5.0         # sentences over which that extra weight falls to 1/e
    w_later: float = 0.0            # extra weight of a reference from an article published two or more days later
    w_future: float = 0.25          # weight of a day after the article's own date (announced, not yet happened)
    w_pub: float = 0.5              # weight of the articles published on the day (log scale)
    w_days: float = 0.5             # weight of the number of distinct publication days referring (log scale)
    w_outlets: float = 0.5          # weight of the outlets beyond the first (log scale)
    pub_window: int = 2             # days whose publications can report on a day (the day and the next)
    mmr: float = 0.7                # relevance vs novelty when choosing sentences
    w_names_day: float = 0.05       # bonus of a sentence that names the day
    w_about: float = 0.2            # with --about: weight of a sentence's closeness to the topic text
    w_dangling: float = 0.1         # penalty of a sentence that opens on a pronoun or a linking word
    min_words: int = 6
    max_words: int = 60
    period_days: int = 184          # widest inferred window an undated article's entry may have


@dataclass(slots=True)
class _Sent:
    aid: str
    pos: int
    text: str
    days: tuple[date, ...]
    published: date | None


@dataclass(slots=True)
class Pool:
    """The candidate sentences and date references of one selection of articles."""

    sents: list[_Sent] = field(default_factory=list)
    refs: dict[date, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    pub: dict[date, list[str]] = field(default_factory=lambda: defaultdict(list))
    periods: dict[tuple[date, date], list[str]] = field(default_factory=lambda: defaultdict(list))
    outlet: dict[str, str] = field(default_factory=dict)
    published: dict[str, date | None] = field(default_factory=dict)
    title: dict[str, str] = field(default_factory=dict)
    articles: int = 0


def _day(t: Any) -> date | None:
    """The day a stored time expression names, or None (not a day-precision calendar date)."""
    value = t.get("value")
    if not value or t.get("precision") != "day" or not _DAY.match(str(value)):
        return None
    if t.get("type") not in (None, "DATE") or t.get("historic"):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _inside(d: date, start: date | None, end: date | None) -> bool:
    return (start is None or d >= start) and (end is None or d <= end)


POOL_KINDS = ("sentences", "times")     # the only facts the pool reads


def build_pool(items: Iterable[tuple[Article, dict[str, Any] | None]], params: Params = Params(), *,
               start: date | None = None, end: date | None = None) -> Pool:
    """Candidate sentences and date references from (article, facts) pairs: canonical articles only; with
    ``start``/``end``, only articles published in that window (undated ones whose window overlaps it) and only
    days inside it."""
    pool = Pool()
    seen_sent: dict[date, set[str]] = defaultdict(set)      # per day: sentence texts already counted
    seen_text: set[str] = set()
    for art, facts in items:
        if art.duplicate_of:
            continue
        pub = art.published
        bounds = art.published_bounds
        if pub is not None and not _inside(pub, start, end):
            continue
        if pub is None and bounds is not None:
            lo, hi = bounds
            if (start and hi and hi < start) or (end and lo and lo > end):
                continue
        facts = facts or {}
        text = art.text or ""
        pool.articles += 1
        pool.outlet[art.id] = art.outlet or unknown_outlet_label(art.source)
        pool.published[art.id] = pub
        pool.title[art.id] = art.title or ""
        if pub is not None:
            pool.pub[pub].append(art.id)
        elif bounds is not None and bounds[0] and bounds[1] and (bounds[1] - bounds[0]).days <= params.period_days:
            pool.periods[(bounds[0], bounds[1])].append(art.id)
        spans = [(s["start"], s["end"]) for s in facts.get("sentences", ())]
        if not spans and text:
            spans = [(0, len(text))]
        days_in: list[list[date]] = [[] for _ in spans]
        for t in facts.get("times", ()):
            d = _day(t)
            if d is None or not _inside(d, start, end):
                continue
            for i, (a, b) in enumerate(spans):
                if a <= t.get("start", -1) < b:
                    if d not in days_in[i]:
                        days_in[i].append(d)
                    break
        for i, (a, b) in enumerate(spans):
            days = tuple(days_in[i])
            if not days and i >= params.lead_sents:
                continue            # neither dated nor a lead sentence: it neither refers nor can be chosen
            sent = _clean(text[a:b])
            if not sent:
                continue
            norm = _norm(sent)
            for d in days:
                if norm in seen_sent[d]:
                    continue            # the same sentence in another article (a copy) refers once
                seen_sent[d].add(norm)
                w = 1.0 + params.w_lead * math.exp(-i / params.lead_decay)
                if pub is not None and d > pub:
                    w *= params.w_future
                elif pub is not None and (pub - d).days >= 2:
                    w += params.w_later
                pool.refs[d][art.id] = max(pool.refs[d].get(art.id, 0.0), w)
            if (days or i < params.lead_sents) and norm not in seen_text:
                seen_text.add(norm)
                pool.sents.append(_Sent(art.id, i, sent, days, pub))
    return pool


def rank_dates(pool: Pool, params: Params = Params()) -> list[tuple[date, float]]:
    """Days by importance, best first (ties: earlier day first)."""
    days = set(pool.refs) | set(pool.pub)
    scored = []
    for d in days:
        refs = pool.refs.get(d, {})
        pubs = pool.pub.get(d, [])
        arts = set(refs) | set(pubs)
        pub_days = {pool.published[a] for a in refs if pool.published.get(a)} | ({d} if pubs else set())
        outlets = {pool.outlet[a] for a in arts}
        score = (math.log1p(sum(refs.values())) + params.w_pub * math.log1p(len(pubs))
                 + params.w_days * math.log1p(max(len(pub_days) - 1, 0))
                 + params.w_outlets * math.log1p(max(len(outlets) - 1, 0)))
        scored.append((d, score))
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored


def _period_score(n: int, params: Params) -> float:
    """An undated article refers to its inferred window as its lead would to a day, and is published in it."""
    return math.log1p(n * (1.0 + params.w_lead)) + params.w_pub * math.log1p(n)


def _eligible(s: _Sent, params: Params) -> bool:
    n = len(s.text.split())
    return (params.min_words <= n <= params.max_words and not s.text.rstrip().endswith("?")
            and not _FURNITURE.search(s.text))


class _Vectors:
    """TF-IDF rows of the pool's sentences (fitted once per pool)."""

    def __init__(self, pool: Pool) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.rows: Any = None
        texts = [s.text for s in pool.sents]
        if texts:
            try:
                self.rows = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
            except ValueError:          # nothing but stop words
                self.rows = None

    def of(self, idx: list[int]) -> tuple[np.ndarray, np.ndarray | None]:
        """Dense rows of ``idx`` over only the terms they use, and those terms' columns: dense over the whole
        vocabulary (tens of thousands of columns on a real corpus) the products cost most of the summary."""
        if self.rows is None or not idx:
            return np.zeros((len(idx), 1), dtype=np.float64), None
        rows = self.rows[idx]
        cols = np.unique(rows.indices)
        return np.asarray(rows[:, cols].toarray()), cols


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _choose(cands: list[int], named: set[int], pool: Pool, vecs: _Vectors, k: int, params: Params,
            used: set[int], focus: np.ndarray | None = None) -> list[int]:
    """K sentences for one day: centrality to the day's centroids, then novelty (MMR)."""
    cands = [i for i in cands if i not in used and _eligible(pool.sents[i], params)]
    if not cands or k <= 0:
        return []
    x, cols = vecs.of(cands)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    groups = [[j for j, i in enumerate(cands) if i in named], [j for j, i in enumerate(cands) if i not in named]]
    cents = [_unit(x[g].mean(axis=0)) for g in groups if g]
    centroid = _unit(np.mean(cents, axis=0))
    rel = (x @ centroid + params.w_names_day * np.array([i in named for i in cands], dtype=np.float64)
           - params.w_dangling * np.array([_leaning(pool.sents[i].text) for i in cands], dtype=np.float64))
    if focus is not None and cols is not None:
        rel = rel + params.w_about * (x @ focus[cols])
    chosen: list[int] = []
    while len(chosen) < min(k, len(cands)):
        if chosen:
            red = (x @ x[chosen].T).max(axis=1)
            val = params.mmr * rel - (1 - params.mmr) * red
        else:
            val = rel.copy()
        val[chosen] = -np.inf
        j = int(np.argmax(val))
        if chosen and float((x[j] @ x[chosen].T).max()) > 0.8:       # a near repeat: stop rather than repeat
            rel[j] = -np.inf
            if np.isneginf(rel).all():
                break
            continue
        chosen.append(j)
    return [cands[j] for j in chosen]


def summarise(pool: Pool, dates: int, sentences: int, params: Params = Params(),
              focus: str | None = None) -> list[dict[str, Any]]:
    """The summarised timeline: up to ``dates`` entries in date order, each with up to ``sentences`` sentences."""
    vecs = _Vectors(pool)
    focus_vec = None
    if focus and vecs.rows is not None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        fit = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit([s.text for s in pool.sents])
        focus_vec = _unit(np.asarray(fit.transform([focus]).toarray())[0])
    naming: dict[date, list[int]] = defaultdict(list)
    leads_by_pub: dict[date, list[int]] = defaultdict(list)
    leads_by_aid: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(pool.sents):
        for d in s.days:
            naming[d].append(i)
        if s.pos < params.lead_sents:
            leads_by_aid[s.aid].append(i)
            if s.published is not None and not s.days:
                leads_by_pub[s.published].append(i)
    ranked: list[tuple[float, Any]] = [(sc, d) for d, sc in rank_dates(pool, params)]
    ranked += [(_period_score(len(a), params), p) for p, a in pool.periods.items()]
    ranked.sort(key=lambda x: (-x[0], x[1] if isinstance(x[1], date) else x[1][0]))
    top = ranked[0][0] if ranked else 1.0
    used: set[int] = set()
    out: list[dict[str, Any]] = []
    for score, key in ranked:
        if len(out) >= dates:
            break
        if isinstance(key, date):
            named = naming.get(key, [])
            pubs = [i for k in range(params.pub_window) for i in leads_by_pub.get(key + timedelta(days=k), [])]
            picked = _choose(named + [i for i in pubs if i not in named], set(named), pool, vecs, sentences, params,
                             used, focus_vec)
            arts = list(dict.fromkeys([*pool.refs.get(key, {}), *pool.pub.get(key, [])]))
            entry: dict[str, Any] = {"date": key.isoformat(), "precision": "day"}
        else:
            lo, hi = key
            ids = pool.periods[key]
            picked = _choose([i for a in ids for i in leads_by_aid.get(a, [])], set(), pool, vecs, sentences,
                             params, used, focus_vec)
            arts = list(ids)
            entry = {"date": f"{lo.isoformat()}..{hi.isoformat()}", "precision": "period", "start": lo.isoformat(),
                     "end": hi.isoformat(), "label": period_label(lo, hi)}
        if not picked:
            continue
        used.update(picked)
        sents = [pool.sents[i] for i in picked]
        entry.update({
            "sentences": [s.text for s in sents],
            "sentence_sources": [{"article_id": s.aid, "outlet": pool.outlet[s.aid],
                                  "published": (pool.published[s.aid] or "") and str(pool.published[s.aid]),
                                  "names_date": bool(s.days) and entry["precision"] == "day"
                                  and key in s.days} for s in sents],
            "article_ids": arts,
            "outlets": sorted({pool.outlet[a] for a in arts}),
            "sources": len(arts),
            "score": round(score, 3),
            "confidence": round(score / top, 3) if top > 0 else 0.0,
        })
        out.append(entry)
    out.sort(key=lambda e: (e.get("start") or e["date"]))
    return out


def period_label(lo: date, hi: date) -> str:
    """'Jul–Dec 2021 (inferred)' for an undated article's window."""
    if lo.year == hi.year:
        return f"{lo.strftime('%b')}–{hi.strftime('%b')} {lo.year} (inferred)"
    return f"{lo.strftime('%b %Y')}–{hi.strftime('%b %Y')} (inferred)"


def default_dates(pool: Pool) -> int:
    """How many dates a reader gets when none is asked for: 60% of the days referred to, 6 to 12."""
    return max(6, min(12, round(0.6 * (len(set(pool.refs) | set(pool.pub)) + len(pool.periods)))))


def timeline_summary(store: Any, *, dates: int | None = None, sentences: int = 2, story: str | None = None,
                     about: str | None = None, start: date | None = None, end: date | None = None,
                     params: Params = Params(),
                     relevance: Callable[[list[Article], str], list[float]] | None = None) -> dict[str, Any]:
    """The summarised timeline of the store's articles (one story with ``story``; articles about ``about``; days
    between ``start`` and ``end``): ``{"timeline": [...], "articles": n, "dates": L, "sentences": K}``."""
    arts = [a for a in store.articles() if story is None or a.story_id == story]
    kept_relevance: dict[str, float] = {}
    if about:
        scores = (relevance or tfidf_relevance)(arts, about)
        kept_relevance = {a.id: s for a, s in zip(arts, scores, strict=True)}
        best = max(scores, default=0.0)
        floor = max(0.02, 0.2 * best)       # a fifth of the best match: on the five T17 stories mixed, "Haiti
        #                                      earthquake" keeps 255 articles, 247 of them Haiti's, "swine flu" none of them
        arts = [a for a in arts if kept_relevance[a.id] >= floor and kept_relevance[a.id] > 0]
    # a copy never enters the pool: its facts are not even read
    pool = build_pool(((a, None if a.duplicate_of else store.fact_kinds(a.id, POOL_KINDS)) for a in arts), params,
                      start=start, end=end)
    n_dates = dates if dates is not None else default_dates(pool)
    tl = summarise(pool, n_dates, sentences, params, focus=about)
    for e in tl:
        e["titles"] = {a: pool.title[a] for a in e["article_ids"] if pool.title.get(a)}
    return {"timeline": tl, "articles": pool.articles, "dates": n_dates, "sentences": sentences,
            "about": about, "story": story, "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None}


def tfidf_relevance(arts: list[Article], about: str) -> list[float]:
    """How much each article is about ``about``: TF-IDF cosine of its title and text with the text (titles
    twice, so that an article named for the topic outranks one that mentions it in passing)."""
    if not arts:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{a.title or ''} {a.title or ''} {a.text or ''}" for a in arts]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        x = vec.fit_transform(docs)
    except ValueError:
        return [0.0] * len(arts)
    q = vec.transform([about])
    return [float(v) for v in np.asarray((x @ q.T).toarray()).ravel()]
