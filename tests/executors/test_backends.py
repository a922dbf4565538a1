"""The local pool and the Dask backend give the same analysis as the in-process run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repo_paths import SEEDS
from storyline.api import analyze
from storyline.config import Settings

pytestmark = pytest.mark.slow


def _facts(tmp: Path, **kw) -> str:
    s = Settings(db=str(tmp / "s.db"), out=str(tmp / "out"), batch_size=2, **kw)
    summary = analyze([str(SEEDS)], s)
    assert not summary.nlp_failures
    data = json.loads((tmp / "out" / "analysis.json").read_text())
    return json.dumps({k: data[k] for k in ("articles", "quotes", "claims", "quantities", "relations", "timeline")}, sort_keys=True)


def test_pool_and_dask_match_in_process(tmp_path):
    base = _facts(tmp_path / "a")
    assert _facts(tmp_path / "b", workers=2) == base
    pytest.importorskip("distributed")
    assert _facts(tmp_path / "c", workers=2, backend="dask") == base


def _crash_on_b(batch, settings):
    import os

    if any(t["id"] == "b" for t in batch):
        os._exit(3)   # a worker dying in native code looks like this to the pool
    return [(t["id"], "ok", None) for t in batch]


def test_a_worker_crash_is_isolated_and_reported():
    from storyline.executors import run_batches

    batches = [[{"id": "a"}], [{"id": "b"}], [{"id": "c"}], [{"id": "d"}]]
    failed = lambda batch, exc: [(t["id"], None, type(exc).__name__) for t in batch]  # noqa: E731
    out = [r for res in run_batches(_crash_on_b, batches, Settings(workers=2), failed) for r in res]
    assert [r[0] for r in out] == ["a", "b", "c", "d"]
    assert [r[1] for r in out] == ["ok", None, "ok", "ok"]
    assert out[1][2]


def test_dask_bag_embeddings_equal_the_drivers():
    """The corpus stages' texts embedded as a Dask bag on the workers give exactly the driver's vectors, in order,
    whatever the partition size (each text runs through the model alone)."""
    pytest.importorskip("distributed")
    import numpy as np

    from storyline.executors.dask_corpus import dask_embed
    from storyline.executors.dask_executor import DaskExecutor
    from storyline.xdoc.stories import embed_leads

    texts = [f"US troops {n} stay in Iraq, the Pentagon said on day {n}." for n in range(7)] + ["", "Erbil"]
    executor = DaskExecutor(Settings(workers=2, backend="dask"))
    with executor.client() as client:
        on_cluster = dask_embed(texts, client, 2, partition=2)
        ran_on = client.run(lambda: __import__("storyline.nlp.runtime.embed").nlp.runtime.embed.get_embedder.cache_info().currsize)
        assert np.array_equal(executor.embed(texts), on_cluster)     # the executor's embed: the same, on the cluster
        assert executor.embed([]).shape == (0, 384)
    assert on_cluster.shape == (len(texts), 384)
    assert np.array_equal(on_cluster, embed_leads(texts))
    assert sum(ran_on.values()) >= 1            # the workers loaded the embedder: the work ran there


def test_lsh_banding_on_dask_finds_the_same_syndication_groups():
    """Banding the signatures as a Dask bag gives buckets holding exactly the candidate pairs of datasketch's
    MinHashLSH, as the driver's banding does, so the syndication groups are the same on both backends."""
    pytest.importorskip("distributed")
    import random

    import numpy as np
    from datasketch import MinHashLSH

    from storyline.executors.dask_executor import DaskExecutor
    from storyline.ingest.dedup import NUM_PERM, signature, to_bytes
    from storyline.model import Article
    from storyline.xdoc.syndication import band_buckets, find_groups
    from storyline.xdoc.view import build_view
    from xdoc_facts import LshSignature

    rng = random.Random(7)
    words = [f"w{i}" for i in range(400)]
    base = [" ".join(rng.choice(words) for _ in range(120)) for _ in range(12)]
    texts = []
    for i, b in enumerate(base):           # each base text, plus copies with a few words changed (some groups)
        texts.append(b)
        for k in range(i % 3):
            toks = b.split()
            for j in rng.sample(range(len(toks)), 4 + 6 * k):
                toks[j] = rng.choice(words)
            texts.append(" ".join(toks))
    arts = [Article(id=f"a{i:03d}", source=f"s{i}", text=t) for i, t in enumerate(texts)]
    view = build_view(arts, {})
    rows = [(a.id, to_bytes(signature(a.text))) for a in arts]

    lsh = MinHashLSH(threshold=0.6, num_perm=NUM_PERM)
    expected = set()
    for aid, blob in rows:
        sig = LshSignature(np.frombuffer(blob, dtype=np.uint64))
        expected |= {tuple(sorted((aid, c))) for c in lsh.query(sig)}
        lsh.insert(aid, sig)
    executor = DaskExecutor(Settings(workers=2, backend="dask"))
    def pairs(buckets):  # type: ignore[no-untyped-def]
        return {(a, b) for m in buckets for i, a in enumerate(m) for b in m[i + 1:]}

    with executor.session():
        on_dask = executor.band_buckets(rows, 0.6)
        banded = find_groups(rows, view, 0.6, executor.band_buckets)
    assert pairs(on_dask) == expected == pairs(band_buckets(rows, 0.6))
    assert len(expected) >= 5

    plain = find_groups(rows, view, 0.6)
    assert [(g.canonical, g.members, g.similarity) for g in banded] == [(g.canonical, g.members, g.similarity) for g in plain]
    assert any(len(g.members) > 1 for g in plain)
