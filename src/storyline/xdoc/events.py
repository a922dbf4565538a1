"""Event refinement: inside each story, re-cluster the articles of this run's events by average linkage.

Online leader clustering (``stories.cluster``) is cheap and incremental but depends on arrival order: an article
that comes before its event's centre has settled can start a stray event or join a neighbour. Inside one story the
articles are few, so an exact, order-free partition is affordable: ``story_features.split_events`` bisects the story
on features relative to the story itself (centred embeddings, in-story idf, numbers and dates in the text) and keeps a
split only where a learned decision says the two halves are two events (figures in the benchmark docstring). Events
that existed before this run (frozen) are never touched, and a story with more than ``MAX_REFINE`` new articles keeps
its leader events, so the cost stays bounded per story.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from ..model import content_id
from .stories import StoryGroup, StoryState
from .story_features import SPLIT_CUT, Features, split_events
from .view import CorpusView

MAX_REFINE = 400
REFINE_THRESHOLD = SPLIT_CUT   # split-decision probability at or above which a split is kept (tuned on ECB+ train)


def refine(view: CorpusView, events: list[StoryState], groups: list[StoryGroup], feats: Features,
           threshold: float = REFINE_THRESHOLD) -> tuple[list[StoryState], list[StoryGroup]]:
    """Re-partition each story's new (non-frozen) articles into events; frozen events and big stories are kept."""
    by_id = {e.id: e for e in events}
    dim = events[0].emb_sum.shape[0] if events else 384
    out_events: list[StoryState] = []
    for g in groups:
        mine = [by_id[e] for e in g.event_ids]
        fresh = [e for e in mine if not e.frozen]
        ids = sorted({a for e in fresh for a in e.article_ids if a in feats},
                     key=lambda a: (view.by_id[a].when or date.max, view.by_id[a].order))
        if len(fresh) == 0 or len(ids) < 2 or len(ids) > MAX_REFINE:
            out_events.extend(mine)
            continue
        parts = split_events(ids, feats, [view.by_id[a].lead for a in ids], threshold)
        new_events = []
        for arts in ([ids[i] for i in part] for part in parts):
            ev = StoryState(content_id("evt", arts[0]), [], np.zeros(dim, dtype=np.float32))
            for a in arts:
                emb, ents, times = feats[a]
                ev.add(emb, ents, times, view.by_id[a].when, a)
            new_events.append(ev)
        # Copies and articles without features follow the event their canonical article (or old event) went to.
        where = {a: ev for ev in new_events for a in ev.article_ids}
        for e in fresh:
            for a in e.article_ids:
                if a not in where:
                    target = where.get(view.canonical(a)) or new_events[0]
                    target.article_ids.append(a)
                    where[a] = target
        kept = [e for e in mine if e.frozen] + new_events
        out_events.extend(kept)
        g.event_ids = [e.id for e in kept]
    return out_events, groups
