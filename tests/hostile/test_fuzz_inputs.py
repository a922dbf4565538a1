"""Garbage in: every case gets a recorded reason or is processed, the run goes on, memory and time stay bounded."""

from __future__ import annotations

import gzip
import resource

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.api import extract
from storyline.config import Settings
from storyline.pipeline import ingest
from storyline.store import Store


def _ingest(paths, s):
    with Store(s.db) as store:
        summary = ingest([str(p) for p in paths], store, s)
        return {r.path: r for r in store.inputs()}, summary


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=()), max_size=400))
def test_random_unicode_text_is_extracted_or_refused(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("u") / "doc.txt"
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    rows = list(extract([str(p)]))
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] in ("ok", "failed")
    if row["status"] == "ok":
        assert row["text"].strip()
        assert not any(c in row["text"] for c in "\x00\u202e\u200b")
    else:
        assert str(p) in row["error"]


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".jsonl", ".warc", ".gz", ".bin", ""]))
def test_random_bytes_in_any_format(tmp_path_factory, data, ext):
    p = tmp_path_factory.mktemp("b") / f"x{ext}"
    p.write_bytes(data)
    rows = list(extract([str(p)]))
    assert rows and all(r["status"] in ("ok", "failed", "skipped") for r in rows)
    assert all(r.get("error") for r in rows if r["status"] != "ok")


def test_hostile_files_bounded(tmp_path):
    s = Settings(db=str(tmp_path / "s.db"), max_decompressed_bytes=50_000_000)
    cases = {
        "bidi.txt": "Safe\u202etxt.exe\u2066 text with \x00 NULs and \ud800 lone surrogate".encode("utf-8", "surrogatepass"),
        "long_line.txt": b"word " * 1_000_000,                       # a 5 MB single line
        "nested.html": b"<div>" * 50_000 + b"<p>Deep text, officials said.</p>" + b"</div>" * 50_000,
        "bomb.txt.gz": gzip.compress(b"\x00" * 200_000_000, compresslevel=9),
        "bad.jsonl": b'{"text": "Valid record about the budget vote, the mayor said."}\n{broken\n\xff\xfe\n[1]\n',
        "trunc.warc.gz": gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 500\r\n\r\nHTTP/1.1 200 OK\r\n")[:-8],
        "name with spaces & ümlaut;rm -rf.txt": b"Odd names are just names, the clerk said.",
        "empty.html": b"",
        "script.html": b"<html><body><script>alert(1)</script><p>Text <img src=x onerror=alert(1)> here, the police said.</p></body></html>",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows, summary = _ingest(sorted(tmp_path.glob("*.*")), s)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 3000
    by_name = {k.split("/")[-1]: v for k, v in rows.items()}
    assert by_name["bomb.txt.gz"].status == "failed" and "bomb" in by_name["bomb.txt.gz"].reason
    assert by_name["empty.html"].status == "failed"
    assert by_name["bad.jsonl#1"].status == "ok"
    assert all(by_name[f"bad.jsonl#{i}"].status == "failed" for i in (2, 3, 4))
    assert by_name["name with spaces & ümlaut;rm -rf.txt"].status == "ok"
    assert any(k.startswith("trunc.warc.gz") and v.status == "failed" for k, v in by_name.items())
    for rec in rows.values():
        assert rec.status == "ok" or rec.reason
    with Store(s.db, readonly=True) as store:
        texts = {a.source.split("/")[-1]: a.text for a in store.articles()}
    assert "<script>" not in texts.get("script.html", "") and "alert(1)" not in texts.get("script.html", "")
    if "nested.html" in texts:
        assert "Deep text" in texts["nested.html"]
    assert "\u202e" not in texts["bidi.txt"] and "\x00" not in texts["bidi.txt"]


@pytest.mark.slow
def test_cli_analyze_on_garbage_exits_1_and_accounts_for_everything(tmp_path):
    from storyline.cli import main

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("The council approved the budget on Monday, the mayor said.")
    (corpus / "huge_line.txt").write_bytes(b"word " * 45_000)            # one 225 kB line: parsed up to max_nlp_chars
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "bad.jsonl").write_bytes(b"{oops\n")
    db, out = tmp_path / "s.db", tmp_path / "out"
    code = main(["analyze", str(corpus), "--db", str(db), "--out", str(out), "--quiet"])
    assert code == 1
    rows = {r.path.split("/")[-1]: r for r in Store(str(db), readonly=True).inputs()}
    assert rows["good.txt"].status == "ok" and rows["huge_line.txt"].status == "ok"
    assert rows["binary.txt"].status == "failed" and rows["bad.jsonl#1"].status == "failed"
    assert (out / "analysis.json").is_file() and (out / "report.html").is_file()
