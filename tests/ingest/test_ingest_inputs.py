"""Every kind of input, good and bad: each is accounted for, bad ones with a reason naming them, and the run goes on."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from storyline.config import Settings
from storyline.pipeline import ingest
from storyline.store import Store

GOOD = "Officials said on Monday that the talks would resume next week.\nThe minister told reporters the deal was close."


def _run(paths, settings):
    with Store(settings.db) as store:
        summary = ingest([str(p) for p in paths], store, settings)
        return summary, {r.path: r for r in store.inputs()}, store.article_count()


def test_bad_inputs_recorded_and_good_ones_processed(tmp_path, settings):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 5_000_000))
    trunc = tmp_path / "trunc.txt.gz"
    trunc.write_bytes(gzip.compress(GOOD.encode() * 50)[:60])
    jl = tmp_path / "recs.jsonl"
    jl.write_text("\n".join([json.dumps({"text": "Farmers protested outside parliament on Tuesday, police said.", "outlet": "Example"}), "{not json", json.dumps([1, 2]),
                             json.dumps({"title": "no body"}), json.dumps({"text": "The river flooded three villages overnight, rescuers said.", "published": "2024-01-05"})]))
    missing = tmp_path / "nope.txt"
    s = settings.replace(max_decompressed_bytes=1_000_000)
    summary, rows, n_articles = _run([good, tmp_path / "empty.txt", tmp_path / "binary.txt", bomb, trunc, jl, missing], s)
    assert rows[str(good)].status == "ok"
    assert "empty" in rows[str(tmp_path / "empty.txt")].reason
    assert "binary" in rows[str(tmp_path / "binary.txt")].reason
    assert "gzip bomb" in rows[str(bomb)].reason
    assert "truncated" in rows[str(trunc)].reason
    assert rows[f"{jl}#1"].status == "ok"
    assert "not valid JSON" in rows[f"{jl}#2"].reason
    assert "JSON object" in rows[f"{jl}#3"].reason
    assert "none of 'text'" in rows[f"{jl}#4"].reason
    assert rows[f"{jl}#5"].status == "ok"
    assert "no such file" in rows[str(missing)].reason
    assert n_articles == 3
    for r in summary.failed:
        assert r.path.split("#")[0].split("/")[-1] in r.reason or r.path in r.reason


def test_rerun_does_no_repeated_work_and_no_duplicates(tmp_path, settings, seeds):
    first, _, n1 = _run([seeds], settings)
    second, rows, n2 = _run([seeds], settings)
    assert n1 == n2 == 5
    assert second.new_articles == 0
    assert all(r.status == "ok" for r in rows.values())


def test_exact_and_near_duplicates(tmp_path, settings):
    body = " ".join(f"Sentence number {i} says the committee met and agreed on point {i}." for i in range(40))
    (tmp_path / "a.txt").write_text(body)
    (tmp_path / "b.txt").write_text(body)                                   # exact copy
    (tmp_path / "c.txt").write_text(body + " Reporting by Reuters staff.")  # wire copy with an extra line
    _, rows, n = _run([tmp_path], settings)
    assert rows[str(tmp_path / "b.txt")].status == "duplicate"
    assert "same text" in rows[str(tmp_path / "b.txt")].reason
    assert rows[str(tmp_path / "c.txt")].status == "duplicate"
    assert "near-duplicate" in rows[str(tmp_path / "c.txt")].reason
    assert n == 2


def test_folder_glob_hidden_and_unreadable(tmp_path, settings):
    d = tmp_path / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "x.txt").write_text(GOOD)
    (d / ".hidden.txt").write_text(GOOD)
    locked = d / "locked.txt"
    locked.write_text("A different article entirely, about rainfall in the north, the agency said.")
    os.chmod(locked, 0)
    try:
        _, rows, _ = _run([d, str(tmp_path / "nomatch*.txt")], settings)
    finally:
        os.chmod(locked, 0o644)
    assert rows[str(d / "sub" / "x.txt")].status == "ok"
    assert rows[str(d / ".hidden.txt")].status == "skipped"
    assert "matched no files" in rows[str(tmp_path / "nomatch*.txt")].reason
    if os.geteuid() != 0:   # root can read anything
        assert rows[str(locked)].status == "failed"


def test_oversized_input_refused_with_advice(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 300_000)
    s = Settings(db=str(tmp_path / "s.db"), max_input_bytes=1_000_000)
    _, rows, _ = _run([big], s)
    assert rows[str(big)].status == "failed" and "STORYLINE_MAX_INPUT_BYTES" in rows[str(big)].reason


def test_enormous_single_line_is_bounded(tmp_path, settings):
    line = tmp_path / "line.txt"
    line.write_text("x" * 5_000_000)
    _, rows, _ = _run([line], settings)
    assert rows[str(line)].status in ("ok", "failed")


@pytest.mark.parametrize("content", [b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>", b"not a warc at all"])
def test_truncated_or_bogus_warc(tmp_path, settings, content):
    w = tmp_path / "x.warc"
    w.write_bytes(content)
    summary, rows, _ = _run([w], settings)
    assert summary.inputs and all(r.status in ("failed", "skipped") for r in summary.inputs)
    assert all(r.reason for r in summary.inputs)
