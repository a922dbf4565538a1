"""Story clustering on ECB+ (Cybulska & Vossen 2014): ARI and V-measure against gold sub-topics and topics.

Each ECB+ document becomes an article; the per-article entity stage (spaCy + ``nlp.entities``) gives its facts, and
``xdoc.stories.cluster`` — the same code ``analyze`` runs — groups them with no knowledge of the number of topics.
Sentence 0 of every ``ecbplus`` document is its source URL: per the dataset README it is dropped from the text (its
mere presence separates the sub-topics) and only a date written in it is kept as the publication date.

Anchor: Barhom et al. (ACL 2019) K-means document clusters, ARI 0.965 / V-measure 0.984 vs sub-topics on the TEST
topics (the README's computation). Target here: ARI >= 0.95 on DEV. Parameters were tuned on TRAIN only
(``--split train --grid``).

Two levels are scored: events (leader clustering, then ``story_features.split_events`` bisecting each story on
story-relative features) against gold sub-topics, and stories (events grouped without time) against gold topics.

Run:  OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_ecbplus.py            (dev, ~2 min first run)
      OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_ecbplus.py --split train --fit
      (prints story_features' pair weights; also --refine-grid for the split threshold, --story-grid, --grid;
      train only)

Measured (dev, after tuning on train): events vs sub-topics ARI 0.954, V 0.970 (was 0.912 / 0.960 with the split
kept where absolute cross-half probability < 0.40; 0.867 / 0.941 with average linkage on absolute similarity); stories
vs topics ARI 0.940, V 0.964. Train: events ARI 0.923, V 0.978 (was 0.911). The split decision now reads, besides the
cross-half probabilities, how well independent views (centred embeddings, in-story TF-IDF, entities, numbers, dates)
agree on the cut (``story_features``), with groups weighted by the pairs a wrong decision costs. DEV has 8 topics:
one topic merged or split wrongly moves ARI by several points, so 0.954 is at, not safely above, the 0.95 target.
Remaining train errors are pairs of events told apart by almost nothing the features see (two Qeshm quakes with no
dates in one sub-topic's texts, two Microsoft IE patches five years apart, two offers to one player).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sklearn.metrics import adjusted_rand_score, v_measure_score  # noqa: E402

from storyline.model import Article, content_id  # noqa: E402
from storyline.xdoc.entities import canonicalise  # noqa: E402
from storyline.xdoc.events import REFINE_THRESHOLD, refine  # noqa: E402
from storyline.xdoc.stories import StoryParams, cluster, embed_leads, group_events  # noqa: E402
from storyline.xdoc.view import build_view  # noqa: E402

DATA = Path("/work/shared/benchmarks/ecbplus")
CACHE = Path(tempfile.gettempdir()) / "storyline_ecbplus_cache"
_URL_DATE = re.compile(r"(20\d\d|19\d\d)[/-](\d\d?)[/-](\d\d?)")
_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]'’”]|n't|'s|’s)")
_NO_SPACE_AFTER = re.compile(r"([(\[$“]) ")


def read_split(split: str) -> list[dict[str, object]]:
    """Documents of a split: name, topic, sub-topic, text (URL sentence removed), date from the URL if any."""
    tmp = Path(tempfile.mkdtemp(prefix="ecbplus_"))
    with tarfile.open(DATA / f"ECBplus_xml_{split}.tar.gz") as tar:
        tar.extractall(tmp, filter="data")
    docs = []
    for path in sorted(tmp.rglob("*.xml"), key=lambda p: (int(p.parent.name), p.name)):
        m = re.match(r"(\d+)_(\d+)(ecbplus|ecb)\.xml$", path.name)
        if not m:
            continue
        root = ET.parse(path).getroot()
        sents: dict[int, list[str]] = {}
        for tok in root.iter("token"):
            sents.setdefault(int(tok.get("sentence", "0")), []).append(tok.text or "")
        published = None
        if m.group(3) == "ecbplus" and 0 in sents:
            url = "".join(sents.pop(0))
            dm = _URL_DATE.search(url)
            if dm:
                try:
                    published = date(int(dm.group(1)), int(dm.group(2)), int(dm.group(3)))
                except ValueError:
                    published = None
        lines = [_detok(" ".join(toks)) for _, toks in sorted(sents.items())]
        docs.append({"name": path.name, "topic": m.group(1), "subtopic": f"{m.group(1)}_{m.group(3)}",
                     "text": "\n".join(lines), "published": published})
    return docs


def _detok(s: str) -> str:
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", s))


def facts_for(docs: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Per-article entities from the project's entity stage, cached on disk by text hash."""
    from storyline.nlp.entities.extract import extract_entities
    from storyline.nlp.numbers.timex import resolve_times
    from storyline.nlp.runtime.spacy_model import load_nlp

    CACHE.mkdir(exist_ok=True)
    out: dict[str, dict[str, object]] = {}
    todo = []
    for d in docs:
        aid = content_id("art", d["text"])
        f = CACHE / (hashlib.sha256(f"{d['text']}|{d['published']}".encode()).hexdigest()[:20] + ".json")
        if f.is_file():
            out[aid] = json.loads(f.read_text())
        else:
            todo.append((aid, d, f))
    if todo:
        nlp = load_nlp()
        for (aid, d, f), doc in zip(todo, nlp.pipe([str(t[1]["text"]) for t in todo], batch_size=16), strict=True):
            times = resolve_times(doc, d["published"], None)  # type: ignore[arg-type]
            facts = {"entities": [asdict(e) for e in extract_entities(doc, aid)], "claims": [], "quotes": [],
                     "quantities": [], "times": [asdict(t) for t in times], "sentences": []}
            f.write_text(json.dumps(facts))
            out[aid] = facts
    return out


def prepare(split: str):
    docs = read_split(split)
    facts = facts_for(docs)
    arts = []
    for d in docs:
        text = str(d["text"])
        arts.append(Article(id=content_id("art", text), source=str(d["name"]), text=text,
                            title=text.split("\n", 1)[0][:200], published=d["published"]))  # type: ignore[arg-type]
    view = build_view(arts, facts)
    index = canonicalise(view)
    embs = embed_leads([v.lead for v in view.docs])
    return docs, view, index, embs


def score(docs, view, index, embs, params: StoryParams, refine_threshold: float | None = REFINE_THRESHOLD) -> dict[str, float]:
    order = sorted(range(len(view.docs)), key=lambda i: (view.docs[i].when or date.max, view.docs[i].order))
    feats: dict = {}
    events = cluster(view, index, params=params, embeddings=embs[order], features=feats)
    groups = group_events(events, None, params)
    if refine_threshold is not None:
        events, groups = refine(view, events, groups, feats, refine_threshold)
    label = {a: i for i, st in enumerate(events) for a in st.article_ids}
    ev_story = {e: gi for gi, g in enumerate(groups) for e in g.event_ids}
    slabel = {a: ev_story[st.id] for st in events for a in st.article_ids}
    pred = [label[v.id] for v in view.docs]
    spred = [slabel[v.id] for v in view.docs]
    sub = [str(d["subtopic"]) for d in docs]
    top = [str(d["topic"]) for d in docs]
    return {"ari_sub": adjusted_rand_score(sub, pred), "v_sub": v_measure_score(sub, pred),
            "ari_topic_ev": adjusted_rand_score(top, pred),
            "ari_topic": adjusted_rand_score(top, spred), "v_topic": v_measure_score(top, spred),
            "ari_sub_st": adjusted_rand_score(sub, spred), "clusters": len(events), "stories": len(groups)}


def fit_pair_weights(docs, view, embs) -> None:
    """Logistic regressions for ``story_features``: pairs of one gold topic, label = same sub-topic; then the split
    decision: the contrastive proposal on each gold topic (two events, label 1) and each gold sub-topic (one event,
    label 0).

    The absolute pair model sees whole topics; the contrastive one sees whole topics (centred on the topic) — the
    setting the bisecting split meets at its first and most consequential step. Decision groups are weighted by the
    pairs across their proposal (what a wrong decision costs in pairwise scores). The decision model uses the pair
    weights as they stand in ``story_features`` (paste new pair weights first, then re-run for the decision)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from storyline.xdoc import story_features as sf
    from storyline.xdoc.stories import entity_vectors, time_vectors

    ids = [v.id for v in view.docs]
    ents = entity_vectors(view, view.docs, canonicalise(view))
    feats = {a: (embs[i], ents[i], tv) for i, (a, tv) in enumerate(zip(ids, time_vectors(view.docs), strict=True))}
    xa, xc, ys, xd, yd, wd = [], [], [], [], [], []
    for t in sorted({str(d["topic"]) for d in docs}):
        idx = [i for i, d in enumerate(docs) if d["topic"] == t]
        f = sf.absolute_features([ids[i] for i in idx], feats, [view.docs[i].lead for i in idx])
        c = sf.contrast_features(f, np.arange(len(idx)), [view.docs[i].lead for i in idx])
        a, b = np.triu_indices(len(idx), 1)
        xa.append(np.stack([f[k][a, b] for k in sf.RAW_KEYS], -1))
        xc.append(np.stack([c[k][a, b] for k in sf.CON_KEYS], -1))
        ys.append(np.array([docs[idx[i]]["subtopic"] == docs[idx[j]]["subtopic"] for i, j in zip(a, b, strict=True)]))
        subs = sorted({str(docs[i]["subtopic"]) for i in idx})
        for group, label in [(idx, 1)] + [([i for i in idx if docs[i]["subtopic"] == s], 0) for s in subs]:
            if len(group) < sf.MIN_CONTRAST:
                continue
            leads = [view.docs[i].lead for i in group]
            g = sf.absolute_features([ids[i] for i in group], feats, leads)
            labels, stats = sf.propose_split(g, np.arange(len(group)), leads)
            xd.append([stats[k] for k in sf.DEC_KEYS])
            yd.append(label)
            wd.append(float((labels == 0).sum() * (labels == 1).sum()))
    y = np.concatenate(ys)
    for name, x in (("RAW_W", xa), ("CON_W", xc)):
        m = LogisticRegression(max_iter=2000).fit(np.concatenate(x), y)
        print(f"{name} = {tuple(round(float(w), 2) for w in (*m.coef_[0], m.intercept_[0]))}")
    # Each group weighs what a wrong decision costs: the article pairs across the proposal (kept together though two
    # events, or cut apart though one), so a big balanced topic counts more than splitting one stray article off.
    wts = np.array(wd) / np.mean(wd)
    m = LogisticRegression(max_iter=2000).fit(np.array(xd), np.array(yd), sample_weight=wts)
    print(f"DEC_W = {tuple(round(float(w), 2) for w in (*m.coef_[0], m.intercept_[0]))}   "
          f"({sum(yd)} two-event and {len(yd) - sum(yd)} one-event groups)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=["train", "dev"])
    ap.add_argument("--grid", action="store_true", help="search event thresholds and weights (use on train only)")
    ap.add_argument("--refine-grid", action="store_true", help="search the event refinement threshold (train only)")
    ap.add_argument("--story-grid", action="store_true", help="search the story (topic-level) threshold (train only)")
    ap.add_argument("--fit", action="store_true", help="fit the pair-probability weights of story_features (train only)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    docs, view, index, embs = prepare(args.split)
    prep = time.perf_counter() - t0
    if args.fit:
        fit_pair_weights(docs, view, embs)
        return
    if args.story_grid:
        for th in (0.2, 0.25, 0.3, 0.35, 0.4):
            for w in (0.5, 0.7):
                r = score(docs, view, index, embs, StoryParams(story_threshold=th, story_w_emb=w))
                print(f"story_threshold={th:.2f} story_w_emb={w:.2f}  ARI_topic={r['ari_topic']:.3f}  "
                      f"V_topic={r['v_topic']:.3f}  stories={r['stories']}  ARI_sub(events)={r['ari_sub']:.3f}")
        return
    if args.refine_grid:
        for th in (0.3, 0.4, 0.5, 0.6, 0.7):
            r = score(docs, view, index, embs, StoryParams(), th)
            print(f"split_cut={th:.3f}  ARI_sub={r['ari_sub']:.3f}  V_sub={r['v_sub']:.3f}  events={r['clusters']}")
        r = score(docs, view, index, embs, StoryParams(), None)
        print(f"no refinement          ARI_sub={r['ari_sub']:.3f}  V_sub={r['v_sub']:.3f}  events={r['clusters']}")
        return
    if args.grid:
        rows = []
        for th in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55):
            for w in (0.2, 0.35, 0.5, 0.65):
                for wt in (0.0, 0.1, 0.2, 0.3):
                    r = score(docs, view, index, embs, StoryParams(threshold=th, w_emb=w, w_time=wt))
                    rows.append((r["ari_sub"], th, w, wt, r))
        for ari, th, w, wt, r in sorted(rows, key=lambda x: -x[0])[:12]:
            print(f"threshold={th:.2f} w_emb={w:.2f} w_time={wt:.2f}  ARI_sub={ari:.3f}  V_sub={r['v_sub']:.3f}  "
                  f"ARI_topic={r['ari_topic']:.3f}  clusters={r['clusters']}")
        return
    t1 = time.perf_counter()
    r = score(docs, view, index, embs, StoryParams())
    n_sub = len({d["subtopic"] for d in docs})
    n_top = len({d["topic"] for d in docs})
    print(f"ECB+ {args.split}: {len(docs)} documents, {n_top} topics, {n_sub} sub-topics; predicted events "
          f"{r['clusters']}, stories {r['stories']}  (facts+embeddings {prep:.1f}s, clustering "
          f"{time.perf_counter() - t1:.2f}s)")
    print(f"  events  vs sub-topics: ARI {r['ari_sub']:.3f}  V-measure {r['v_sub']:.3f}   "
          f"| anchor Barhom et al. ARI 0.965 / V 0.984 (test) | target ARI >= 0.95 (dev)")
    print(f"  stories vs topics:     ARI {r['ari_topic']:.3f}  V-measure {r['v_topic']:.3f}   "
          f"(events vs topics ARI {r['ari_topic_ev']:.3f}; stories vs sub-topics ARI {r['ari_sub_st']:.3f})")


if __name__ == "__main__":
    main()
