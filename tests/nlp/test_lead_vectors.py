"""Lead embeddings computed by the per-article workers are stored and reused by the story clustering: the result
must be exactly what embedding the leads on the driver gives, and a stale vector (another lead text) is never used."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.api import analyze
from storyline.nlp.runtime.embed import DIM, encode
from storyline.store import Store
from storyline.xdoc.corpus import _lead_vectors
from storyline.xdoc.view import load_view, text_hash

pytestmark = pytest.mark.slow


def test_workers_store_lead_vectors_equal_to_driver_embedding(seeds, settings) -> None:
    analyze([str(seeds)], settings)
    with Store(settings.db, readonly=True) as store:
        view = load_view(store)
        docs = [d for d in view.docs if d.duplicate_of is None]
        stored = store.vectors("lead", [d.id for d in docs])
    assert set(stored) == {d.id for d in docs}
    for d in docs:
        key, data = stored[d.id]
        assert key == text_hash(d.lead)
        np.testing.assert_array_equal(np.frombuffer(data, dtype="<f4"), encode([d.lead])[0])

    # The corpus stage takes the stored vectors, and only for leads they really encode.
    got = _lead_vectors(docs, encode, lambda ids: {i: stored[i] for i in ids})
    np.testing.assert_array_equal(got, encode([d.lead for d in docs]))
    stale = {i: ("0" * 20, np.ones(DIM, dtype="<f4").tobytes()) for i in stored}
    np.testing.assert_array_equal(_lead_vectors(docs, encode, lambda ids: stale), encode([d.lead for d in docs]))


def test_parallel_encoding_gives_the_same_vectors(seeds) -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace")[i:i + 300] for p in sorted(seeds.iterdir())
             for i in range(0, 1500, 300)]
    from storyline.nlp.runtime.embed import Embedder

    one, two = Embedder(), Embedder()       # fresh instances: no shared cache between the two runs
    np.testing.assert_array_equal(one.encode(texts), two.encode(texts, parallel=2))


def test_reader_opens_a_store_from_before_the_vectors_table(tmp_path) -> None:
    path = str(tmp_path / "old.db")
    with Store(path) as store:
        store.conn.executescript("DROP TABLE vectors; PRAGMA user_version=1;")
    with Store(path, readonly=True) as store:       # the web app and `check` read it as it is
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 1
    with Store(path) as store:                      # a writer upgrades it in place
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] >= 2
        assert store.vectors("lead", ["x"]) == {}


def test_near_duplicates_get_no_lead_vector(seeds, settings, tmp_path) -> None:
    """A near-duplicate is counted as its original by the story clustering, so the workers do not embed its lead."""
    import shutil

    corpus = tmp_path / "in"
    shutil.copytree(seeds, corpus)
    original = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")[-1]
    text = original.read_text(encoding="utf-8")
    (corpus / "zz-copy.txt").write_text(text + "\n\nThis article was republished with permission.\n", encoding="utf-8")
    summary = analyze([str(corpus)], settings)
    copy = next(r for r in summary.inputs if r.path.endswith("zz-copy.txt"))
    assert copy.status == "duplicate" and "near-duplicate" in copy.reason
    with Store(settings.db, readonly=True) as store:
        view = load_view(store)
        stored = store.vectors("lead", [d.id for d in view.docs])
    assert copy.article_id not in stored
    assert set(stored) == {d.id for d in view.docs if d.duplicate_of is None}
