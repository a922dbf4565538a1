"""The command line as a user meets it: JSON fields of docs/contract.md, exit codes 0/1/2, errors that name the input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.cli import main

EXTRACT_FIELDS = {"path", "title", "text", "published", "author", "outlet", "url", "genre", "removed"}


def test_extract_json_on_seeds(seeds, capsys):
    assert main(["extract", str(seeds), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 5
    for row in rows:
        assert set(row) >= EXTRACT_FIELDS
    by_name = {Path(r["path"]).name[:3]: r for r in rows}
    assert by_name["000"]["published"] == "2021-04-23"
    assert by_name["002"]["published"] == "2024-01-09"
    assert by_name["004"]["published"] == "2021-04-07" and by_name["004"]["outlet"] == "RT"
    assert by_name["001"]["published"] is None and by_name["001"]["published_bounds"] == ["2021-07-01", "2021-12-31"]
    assert by_name["001"]["outlet"] == "ESTA"
    assert by_name["003"]["author"] == "Adam Carlton" and by_name["003"]["genre"] == "opinion"
    assert by_name["003"]["published"] is None
    assert "Leave a comment" not in by_name["003"]["text"]
    assert any(r["reason"] == "reader comments section" for r in by_name["003"]["removed"])
    assert not by_name["000"]["text"].startswith("爱")      # repaired mojibake is not article text
    # a clean plain-text file comes out as read: offsets into it stay valid
    assert by_name["001"]["text"] == (seeds / "001_78d3394bab3e3c7a.txt").read_text().strip()


def test_extract_reports_failures_with_exit_1(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("The council approved the budget on Monday, the mayor said.")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 500)
    assert main(["extract", str(good), str(bad), str(tmp_path / "missing.txt"), "--json"]) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["status"] for r in rows] == ["ok", "failed", "failed"]
    assert "bad.txt" in rows[1]["error"] and "missing.txt" in rows[2]["error"]


def test_extract_reads_jsonl_manifest(tmp_path, capsys):
    page = tmp_path / "p.txt"
    page.write_text("Officials said the bridge would reopen in May.")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "abc", "url": "https://www.reuters.com/2024/02/03/x", "path": "p.txt"}) + "\n")
    assert main(["extract", str(manifest), "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["id"] == "abc" and row["outlet"] == "Reuters" and row["published"] == "2024-02-03"


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["analyze"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["nonsense-verb"])
    assert exc.value.code == 2
    assert main(["check", "x", "--as-of", "yesterday"]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_stdin_input():
    proc = subprocess.run([sys.executable, "-m", "storyline.cli", "extract", "-", "--json"], input=b"Rain fell all day, forecasters said.",
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["text"] == "Rain fell all day, forecasters said."


def test_every_verb_has_help():
    for verb in ("analyze", "extract", "quotes", "stance", "check", "report", "serve"):
        proc = subprocess.run([sys.executable, "-m", "storyline.cli", verb, "--help"], capture_output=True, timeout=60)
        assert proc.returncode == 0 and b"usage" in proc.stdout
