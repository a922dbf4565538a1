"""Readers (the web app) while a writer (analyze) works: WAL gives consistent reads and no errors."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.store import Store

pytestmark = pytest.mark.slow
SEEDS = Path(__file__).resolve().parent.parent / "examples" / "iraq-troops"


def test_reads_during_analyze(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(15):
        for seed in sorted(SEEDS.iterdir()):
            (corpus / f"{i}_{seed.name}").write_text(seed.read_text() + f"\n\nNote {i}: item {i * 104729}.")
    db = tmp_path / "s.db"
    proc = subprocess.Popen([sys.executable, "-m", "storyline.cli", "analyze", str(corpus), "--db", str(db), "--out",
                             str(tmp_path / "out"), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    counts, reads, errors = [], 0, []
    deadline = time.time() + 600
    while proc.poll() is None and time.time() < deadline:
        try:
            with Store(str(db), readonly=True) as store:
                n = store.article_count()
                page = list(store.articles(limit=20, offset=max(0, n - 20)))
                assert len(page) == min(20, n)
                store.search_articles("troops Iraq", limit=5)
                for aid in [a.id for a in page[:3]]:
                    store.facts(aid)
                counts.append(n)
                reads += 1
        except StoreError as err:   # only before the writer has created the schema
            if counts:
                errors.append(str(err))
        time.sleep(0.05)
    proc.wait(timeout=600)
    assert proc.returncode == 0, proc.stderr.read().decode()[-2000:]
    assert not errors and reads > 5
    assert counts == sorted(counts)   # a reader never sees the corpus shrink
    with Store(str(db), readonly=True) as store:
        assert len(store.inputs()) == 75 and store.integrity_ok()
        # seed 003's variants differ only after its comment section, which is not article text: exact duplicates
        assert store.article_count() == 61
