"""Whole pipeline on the demo corpus: contract shape, determinism, idempotent re-runs, crash-resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from repo_paths import SEEDS
from storyline.api import analyze
from storyline.config import Settings
from storyline.report.export import CONTRACT_KEYS
from storyline.store import Store

pytestmark = pytest.mark.slow

ARTICLE_FIELDS = {"id", "source", "title", "outlet", "published", "published_bounds", "published_basis", "author", "genre",
                  "text", "removed", "story_id", "duplicate_of"}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    settings = Settings(db=str(out / "s.db"), out=str(out / "out"))
    summary = analyze([str(SEEDS)], settings)
    data = json.loads((out / "out" / "analysis.json").read_text())
    return settings, summary, data


def test_contract_keys_and_article_fields(seed_run):
    _, summary, data = seed_run
    assert set(CONTRACT_KEYS) <= set(data)
    assert len(data["articles"]) == 5 and len(data["inputs"]) == 5
    for art in data["articles"]:
        assert set(art) >= ARTICLE_FIELDS
    assert not summary.failed and not summary.nlp_failures


def test_spans_are_inside_their_article(seed_run):
    _, _, data = seed_run
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for kind in ("quotes", "claims", "quantities"):
        for item in data[kind]:
            text = texts[item["article_id"]]
            assert 0 <= item["start"] < item["end"] <= len(text)
            assert text[item["start"]:item["end"]] == item["text"], (kind, item)


def test_removed_boilerplate_never_yields_facts(seed_run):
    _, _, data = seed_run
    for art in data["articles"]:
        for removed in art["removed"]:
            if len(removed["text"]) > 25 and not removed["reason"].startswith("repeated line"):
                assert removed["text"] not in art["text"]
    assert not any("oil security" in c["text"] for c in data["claims"])   # the reader comment under seed 003


def test_same_inputs_same_outputs(seed_run, tmp_path):
    settings, _, data = seed_run
    again = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"))
    analyze([str(SEEDS)], again)
    data2 = json.loads((tmp_path / "out" / "analysis.json").read_text())
    strip = lambda d: json.dumps({k: v for k, v in d.items() if k != "inputs"}, sort_keys=True)  # noqa: E731
    assert strip(data) == strip(data2)


def test_rerun_does_nothing_twice(seed_run):
    settings, _, _ = seed_run
    summary = analyze([str(SEEDS)], settings)
    assert summary.new_articles == 0 and summary.analysed == 0
    with Store(settings.db, readonly=True) as store:
        assert store.article_count() == 5 and store.integrity_ok()


def test_kill_9_then_rerun_completes(tmp_path):
    """A run killed at an arbitrary point resumes: no duplicates, nothing missing from inputs, store intact."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(20):
        for seed in sorted(SEEDS.iterdir()):
            (corpus / f"{i:02d}_{seed.name}").write_text(seed.read_text() + f"\n\nEditor's note {i}: variant {i * 7919}.")
    db = tmp_path / "s.db"
    cmd = [sys.executable, "-m", "storyline.cli", "analyze", str(corpus), "--db", str(db), "--out", str(tmp_path / "out"), "--quiet"]
    for delay in (2.0, 4.0):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    done = subprocess.run(cmd, capture_output=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    with Store(str(db), readonly=True) as store:
        assert store.integrity_ok()
        paths = {r.path for r in store.inputs()}
        assert len(paths) == 100 and all(r.status in ("ok", "duplicate") for r in store.inputs())
        ids = [a.id for a in store.articles()]
        assert len(ids) == len(set(ids))
        assert not store.articles_missing_facts(__import__("storyline.nlp.pipeline", fromlist=["x"]).FACTS_VERSION)
