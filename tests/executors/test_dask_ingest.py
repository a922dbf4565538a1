"""Sharded ingest on Dask: same store and analysis as the local ingest; a failing shard is retried, then reported."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from repo_paths import SEEDS
from storyline.config import Settings
from storyline.ingest.shards import Shard, article_from_json, article_to_json, ingest_shard, plan_shards, read_shard
from storyline.model import InputRecord
from storyline.pipeline import ingest
from storyline.store import Store

PAGE = b"""<!doctype html><html><head><title>Council approves budget | Example News</title>
<meta property="og:site_name" content="Example News"><meta property="article:published_time" content="2024-03-05T09:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Council approves budget</h1><p>The city council approved the 2024 budget on Tuesday after a long debate,
the mayor said in a statement. The budget raises spending on schools by 4 percent.</p>
<p>The vote was 7 to 4. The budget takes effect in April, officials said.</p></article></body></html>"""


def _corpus(root: Path) -> list[str]:
    """Seeds (grouped shards), a WARC and a JSONL (one shard each), with a duplicate, a bad line and a missing path."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    warc = root / "crawl.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, (ctype, body) in enumerate([("text/html; charset=utf-8", PAGE), ("image/png", b"\x89PNG....")]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://example.com/2024/03/05/budget-{i}", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))
    first_seed = sorted(SEEDS.iterdir())[0].read_text(encoding="utf-8")
    jsonl = root / "feed.jsonl"
    jsonl.write_text("\n".join([
        json.dumps({"text": first_seed, "outlet": "Copy Desk"}),          # exact duplicate of a seed
        "{not json",
        json.dumps({"html": PAGE.decode(), "url": "https://example.org/budget"}),   # duplicate of the WARC page
    ]) + "\n", encoding="utf-8")
    return [str(seeds), str(warc), str(jsonl), str(root / "missing.txt")]


def test_plan_groups_small_files_and_keeps_containers_alone(tmp_path):
    paths = _corpus(tmp_path)
    plan = list(plan_shards(paths, Settings(batch_size=2)))
    shards = [p for p in plan if isinstance(p, Shard)]
    assert [len(s.labels) for s in shards] == [2, 2, 1, 1, 1]
    assert shards[-2].labels == (paths[1],) and shards[-1].labels == (paths[2],)
    assert isinstance(plan[-1], InputRecord) and plan[-1].status == "failed"
    assert len({s.id for s in shards}) == len(shards)


def test_shard_file_round_trips_articles(tmp_path):
    paths = _corpus(tmp_path)
    settings = Settings(db=str(tmp_path / "s.db"))
    result = ingest_shard(Shard(0, (paths[2],)), settings, str(tmp_path / "run"))
    rows = list(read_shard(result.path))
    assert (result.rows, result.built) == (3, 2)
    assert [r.status for r in rows] == ["built", "failed", "built"]
    assert "not valid JSON" in rows[1].reason and rows[1].source.endswith("#2")
    art = rows[2].article
    assert art is not None and art.url == "https://example.org/budget" and art.published is not None
    assert article_from_json(article_to_json(art)) == art
    assert len(rows[0].minhash or b"") == 128 * 8
    assert list((tmp_path / "run").iterdir()) == [Path(result.path)]   # no temporary file left behind


def _analysis(tmp: Path, paths: list[str], **kw) -> dict:
    from storyline.api import analyze

    s = Settings(db=str(tmp / "s.db"), out=str(tmp / "out"), batch_size=2, **kw)
    summary = analyze(paths, s)
    assert not summary.nlp_failures
    assert not Path(s.db + ".shards").exists()     # shard files are deleted once merged
    return json.loads((tmp / "out" / "analysis.json").read_text())


@pytest.mark.slow
def test_dask_ingest_gives_the_local_analysis(tmp_path):
    pytest.importorskip("distributed")
    paths = _corpus(tmp_path / "in")
    local = _analysis(tmp_path / "a", paths)
    dask = _analysis(tmp_path / "b", paths, workers=2, backend="dask")
    statuses = [r["status"] for r in local["inputs"]]
    assert statuses.count("duplicate") == 2 and statuses.count("failed") == 2 and statuses.count("skipped") == 1
    assert len(local["articles"]) == 6
    assert dask["inputs"] == local["inputs"]
    assert dask["articles"] == local["articles"]
    assert json.dumps(dask, sort_keys=True) == json.dumps(local, sort_keys=True)


@pytest.mark.slow
def test_a_failing_shard_is_retried_then_reported(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    import storyline.ingest.shards as shards

    paths = _corpus(tmp_path / "in")
    seeds = sorted(str(p) for p in Path(paths[0]).iterdir())
    bad = {seeds[1], paths[2]}          # one file inside a group of two, and the whole JSONL container
    calls: list[str] = []
    real = shards.read_documents

    def flaky(label, settings):
        if label in bad:
            calls.append(label)
            raise RuntimeError("reader exploded")
        return real(label, settings)

    monkeypatch.setattr(shards, "read_documents", flaky)
    # Threads, not processes, so the patched reader is the one the workers call; the --scheduler path is exercised.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                                  silence_logs=40) as cluster:
        s = Settings(db=str(tmp_path / "s.db"), batch_size=2, backend="dask", scheduler=cluster.scheduler_address)
        with Store(s.db) as store:
            summary = ingest(paths, store, s)
            stored = store.inputs()
    by_path = {r.path: r for r in summary.inputs}
    assert [r.path for r in stored] == [r.path for r in summary.inputs]
    for label in bad:
        rec = by_path[label]
        assert rec.status == "failed" and "reader exploded" in rec.reason and "after 3 attempts" in rec.reason
    assert calls.count(paths[2]) == 3                 # the first try and two retries
    assert calls.count(seeds[1]) == 6                 # three as part of its group, three alone
    assert by_path[seeds[0]].status == "ok"           # its neighbour in the failed group still lands
    assert all(by_path[p].status == "ok" for p in seeds if p not in bad)
    assert by_path[f"{paths[1]}#1"].status == "ok" and by_path[f"{paths[1]}#2"].status == "skipped"
    assert summary.new_articles == 5
    assert not Path(s.db + ".shards").exists()
