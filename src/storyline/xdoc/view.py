"""A read-only, in-memory view of what the corpus stages need: article metadata and stored facts.

Every corpus stage works on the same ``CorpusView`` so the store is read once per run. Text is kept only as a short
lead (title + first paragraph) for story embeddings and as word counts for framing statistics; facts carry their own
claim/quote texts, so nothing here re-parses an article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..meta.outlets import unknown_outlet_label
from ..model import Article, PartialDate
from ..nlp.runtime.lead import text_hash, title_and_lead  # noqa: F401 - text_hash: the corpus stages import it from here
from .fact_rows import Sharer, compact_facts, sentence_at
from .lexicon import LOADED_TERMS

_NO_FACTS: dict[str, Any] = {"entities": [], "quotes": [], "claims": [], "quantities": [], "times": [], "sentences": []}
_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(slots=True)
class DocView:
    """One article as the corpus stages see it."""

    id: str
    order: int                              # position in the store (stable tie-breaker)
    title: str
    outlet: str
    genre: str
    published: date | None
    bounds: tuple[date | None, date | None] | None
    basis: str | None
    duplicate_of: str | None
    story_id: str | None
    lead: str
    facts: dict[str, Any]

    @property
    def when(self) -> date | None:
        """Best single date for the article: the stated date, else the middle of its inferred bounds."""
        if self.published:
            return self.published
        if self.bounds is None:
            return None
        lo, hi = self.bounds
        if lo and hi:
            return lo + timedelta(days=(hi - lo).days // 2)
        return lo or hi

    @property
    def date_inferred(self) -> bool:
        return self.published is None and self.bounds is not None

    def date_label(self) -> str:
        """Reader-facing date: '7 Apr 2021', or 'undated (inferred 2020-01-01..2020-12-31)'."""
        if self.published:
            return self.published.isoformat()
        if self.bounds:
            lo, hi = (d.isoformat() if d else "?" for d in self.bounds)
            return f"undated, inferred {lo}..{hi}"
        return "undated"

    def claims(self) -> Sequence[Mapping[str, Any]]:
        return self.facts.get("claims", ())

    def quantities(self) -> Sequence[Mapping[str, Any]]:
        return self.facts.get("quantities", ())

    def entities(self) -> Sequence[Mapping[str, Any]]:
        return self.facts.get("entities", ())

    def sentence_at(self, pos: int) -> tuple[int, int] | None:
        """(start, end) of the first sentence holding offset ``pos``, or None."""
        bounds = self.facts.get("sentences")
        return sentence_at(bounds, pos) if bounds is not None else None


@dataclass(slots=True)
class CorpusView:
    docs: list[DocView]
    by_id: dict[str, DocView]
    # Per outlet: in how many of its (canonical) articles each word occurs. Aggregated while loading so that word
    # counts of 20k articles never sit in memory at once; framing statistics need nothing finer.
    outlet_words: dict[str, Counter[str]] = field(default_factory=dict)
    outlet_articles: Counter[str] = field(default_factory=Counter)
    # Taken before ``prune_outlet_words`` drops what no statistic reads: all outlets' counts per word (for the words
    # some outlet keeps), and the sum of each outlet's counts (their sum is the sum over every word).
    word_totals: Counter[str] = field(default_factory=Counter)
    outlet_word_sums: dict[str, int] = field(default_factory=dict)

    def canonical(self, aid: str) -> str:
        """Root of an article's duplicate chain: the one article a set of copies is counted as."""
        seen = set()
        cur = aid
        while cur in self.by_id and self.by_id[cur].duplicate_of and cur not in seen:
            seen.add(cur)
            nxt = self.by_id[cur].duplicate_of
            if nxt not in self.by_id:
                break
            cur = nxt
        return cur


def make_doc(art: Article, order: int, facts: dict[str, Any] | None) -> DocView:
    """The view of one article; ``facts`` already compacted (``compact_facts``)."""
    title, lead = title_and_lead(art.title, art.text)
    return DocView(
        id=art.id, order=order, title=title, outlet=art.outlet or unknown_outlet_label(art.source), genre=art.genre or "unknown",
        published=art.published, bounds=art.published_bounds, basis=art.published_basis,
        duplicate_of=art.duplicate_of, story_id=art.story_id, lead=lead,
        facts=facts or compact_facts(_NO_FACTS),
    )


def build_view(articles: Iterable[Article], facts: dict[str, dict[str, Any]]) -> CorpusView:
    """The corpus view of ``articles`` with their facts as decoded JSON (article id → facts)."""
    sharer = Sharer()
    return _assemble(articles, {aid: compact_facts(f, sharer) for aid, f in facts.items()})


def _assemble(articles: Iterable[Article], facts: dict[str, dict[str, Any]]) -> CorpusView:
    view = CorpusView(docs=[], by_id={})
    vocab: dict[str, str] = {}      # one string object per word while loading (dropped after)
    for i, art in enumerate(articles):
        doc = make_doc(art, i, facts.get(art.id))
        view.docs.append(doc)
        view.by_id[doc.id] = doc
        if art.duplicate_of is None:
            words = tuple(vocab.setdefault(w, w) for w in set(_WORD.findall((art.text or "").lower())))
            seen = view.outlet_words.get(doc.outlet)
            if seen is None:
                # An outlet's first article keeps its words as a tuple (8 bytes a word, not a Counter entry's ~50):
                # with no known outlets every article is its own outlet and this was most of the loading peak.
                view.outlet_words[doc.outlet] = words  # type: ignore[assignment]
            else:
                if type(seen) is tuple:
                    seen = view.outlet_words[doc.outlet] = Counter(seen)
                seen.update(words)
            view.outlet_articles[doc.outlet] += 1
    prune_outlet_words(view)
    return view


def prune_outlet_words(view: CorpusView) -> None:
    """Keep, per outlet, only the words a source statistic can use: those in two or more of its articles (the
    distinctive-word test needs that) and the loaded terms (framing); and corpus totals only for the words kept.
    When articles have no known outlet each is its own outlet and holds every word it uses once; this drops that
    (~16 KB per article). Sums are taken first, so the statistics' denominators stay those of every word. While
    loading, an outlet seen in one article holds a tuple of its words; this makes every outlet's words a Counter."""
    totals: Counter[str] = Counter()
    for words in view.outlet_words.values():
        totals.update(words)
    view.outlet_word_sums = {o: (len(c) if type(c) is tuple else sum(c.values())) for o, c in view.outlet_words.items()}
    kept: set[str] = set()
    for outlet, words in view.outlet_words.items():
        if type(words) is tuple:
            view.outlet_words[outlet] = Counter({w: 1 for w in words if w in LOADED_TERMS})
        else:
            view.outlet_words[outlet] = Counter({w: n for w, n in words.items() if n >= 2 or w in LOADED_TERMS})
        kept.update(view.outlet_words[outlet])
    view.word_totals = Counter({w: totals[w] for w in sorted(kept)})


def load_view(store: Any) -> CorpusView:
    """Everything the corpus stages need from the store, in store order."""
    # Compacted row by row, so the decoded JSON of one article at a time is alive, never the whole corpus's.
    sharer = Sharer()     # lives while loading only: the values it made one object stay shared
    return _assemble(store.articles(), {aid: compact_facts(f, sharer) for aid, f in store.all_facts()})


def period(value: str | None, precision: str | None = None) -> tuple[date, date] | None:
    """The days an ISO date/month/year value covers (``PartialDate.span``; precision from the value when not given)."""
    p = PartialDate.parse(value, precision)
    return p.span if p else None
