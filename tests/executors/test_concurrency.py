"""Readers (the web app) while a writer (analyze) works: WAL gives consistent reads and no errors. Writers started
together (2 or 3; disjoint, overlapping or identical inputs; on a new store or on one that already holds some of
their articles) all succeed, leave no duplicate, and each counts only its own work."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from repo_paths import SEEDS
from storyline.errors import StoreError
from storyline.store import Store

pytestmark = pytest.mark.slow


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


def _variant_folder(root: Path, name: str, variants: list[int]) -> Path:
    folder = root / name
    folder.mkdir()
    for v in variants:
        for seed in sorted(SEEDS.iterdir()):
            text = seed.read_text(encoding="utf-8")
            # the note goes first: text after a comment section is not article text, so a trailing note could vanish
            (folder / f"v{v}_{seed.name}").write_text(f"Update {v}: officials counted {v * 7919} items.\n\n{text}",
                                                      encoding="utf-8")
    return folder


def _run_together(db: Path, folders: list[Path], tmp: Path) -> list[dict]:
    procs = [subprocess.Popen([sys.executable, "-m", "storyline.cli", "analyze", str(f), "--db", str(db), "--out",
                               str(tmp / f"out{i}"), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i, f in enumerate(folders)]
    summaries = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()[-3000:]
        summaries.append(json.loads(out.decode().strip().splitlines()[-1]))
    return summaries


@pytest.mark.parametrize("existing", [False, True], ids=["new_store", "existing_store"])
@pytest.mark.parametrize("layout", ["disjoint", "overlapping", "identical"])
def test_writers_started_together_all_succeed_and_count_their_own_work(tmp_path, layout, existing) -> None:
    variants = {"disjoint": [[0], [1]], "overlapping": [[0, 1], [1, 2]], "identical": [[0, 1]] * 3}[layout]
    if layout == "identical":
        folders = [_variant_folder(tmp_path, "same", variants[0])] * len(variants)
    else:
        folders = [_variant_folder(tmp_path, f"in{i}", v) for i, v in enumerate(variants)]
    db = tmp_path / "s.db"
    before = 0
    if existing:                                  # an existing store, holding one of the folders' articles already
        first = _run_together(db, [_variant_folder(tmp_path, "earlier", [variants[0][-1]])], tmp_path / "e")
        before = first[0]["new_articles"]
    summaries = _run_together(db, folders, tmp_path)
    with Store(str(db), readonly=True) as store:
        assert store.integrity_ok()
        conn = store.conn
        n_articles = store.article_count()
        assert conn.execute("SELECT COUNT(DISTINCT text) FROM articles").fetchone()[0] == n_articles   # no doubles
        analysed = conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
        statuses = {r.status for r in store.inputs()}
    assert n_articles == analysed                 # every article analysed
    assert before + sum(s["new_articles"] for s in summaries) == n_articles    # each new article counted by one run
    assert sum(s["analysed"] for s in summaries) == n_articles - before
    assert all(not s["failed"] and not s["nlp_failures"] for s in summaries)
    assert statuses <= {"ok", "duplicate"}
