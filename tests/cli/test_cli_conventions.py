"""What people expect of a command-line tool and a Python package: --version, python -m, -v/-q/--log-level/
--log-file before or after the verb, --config FILE, progress lines when stderr is not a terminal, the public API
exported from the package, analyze_texts() for a notebook."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

import storyline
from repo_paths import ROOT
from storyline.cli import build_parser, main
from storyline.config import Settings
from storyline.report.progress import ProgressPrinter


def test_version_and_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "storyline", "--version"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == f"storyline {storyline.__version__}"
    helped = subprocess.run([sys.executable, "-m", "storyline", "export", "--help"], capture_output=True, text=True,
                            timeout=120)
    assert helped.returncode == 0 and "--format" in helped.stdout and "--log-level" in helped.stdout


@pytest.mark.parametrize("argv", [
    ["-v", "-v", "export", "claims"], ["export", "claims", "-vv"], ["--log-level", "debug", "export", "claims"],
    ["export", "claims", "--log-level", "debug"],
])
def test_logging_flags_before_or_after_the_verb(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.verb == "export" and (args.verbose == 2 or args.log_level == "debug")


def test_quiet_after_the_verb_is_not_reset() -> None:
    assert build_parser().parse_args(["-q", "analyze", "x"]).quiet
    assert build_parser().parse_args(["analyze", "x", "-q"]).quiet
    assert not build_parser().parse_args(["analyze", "x"]).quiet


def test_config_file_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[storyline]\nworkers = "2"\n')
    assert main(["--config", str(bad), "export", "claims", "--db", str(tmp_path / "none.db")]) == 2
    assert "workers" in capsys.readouterr().err
    assert main(["export", "claims", "--config", str(tmp_path / "missing.toml")]) == 2
    good = tmp_path / "good.toml"
    good.write_text(f'[storyline]\ndb = "{tmp_path / "from_config.db"}"\n')
    assert main(["export", "claims", "--config", str(good), "--out", str(tmp_path)]) == 2    # store named by the file
    assert "from_config.db" in capsys.readouterr().err


def test_log_file_receives_the_lines(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    assert main(["--log-file", str(log), "--log-level", "info", "export", "claims", "--db",
                 str(tmp_path / "none.db")]) == 2
    logging.getLogger("storyline.test").info("a line for the file")     # the handler is gone after main returns
    assert "a line for the file" not in log.read_text(encoding="utf-8")
    assert main(["--log-file", str(tmp_path / "no" / "such" / "dir" / "x.log"), "export", "claims"]) == 2


def test_progress_lines_without_a_terminal(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="storyline.progress")
    p = ProgressPrinter(every_items=10, every_seconds=3600, bars=False)
    for i in range(1, 36):
        p("ingest", i, None)
    p("nlp", 5, 5)               # a stage that finishes says so even before the interval
    lines = [r.getMessage() for r in caplog.records if r.name == "storyline.progress"]
    assert [m.split(",")[0] for m in lines] == ["ingest: 10 document(s)", "ingest: 20 document(s)",
                                                 "ingest: 30 document(s)", "nlp: 5/5 document(s)"]
    caplog.clear()
    ProgressPrinter(enabled=False, bars=False)("ingest", 10_000, None)
    assert not caplog.records
    seconds = ProgressPrinter(every_items=10**9, every_seconds=0.0, bars=False)
    seconds("ingest", 1, None)
    seconds("ingest", 2, None)
    assert len([r for r in caplog.records if r.name == "storyline.progress"]) == 2


def test_package_exports_the_api() -> None:
    for name in ("analyze", "analyze_texts", "check", "extract", "quotes", "report", "timeline", "export", "table",
                 "dataframe", "open_store", "Settings"):
        assert callable(getattr(storyline, name)), name
        assert name in storyline.__all__


@pytest.mark.slow
def test_analyze_texts_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = ("Marine Gen. Frank McKenzie said on Thursday that the United States will keep 2,500 troops in Iraq. "
            "\u201cWe are going to stay,\u201d he said.")
    analysis = storyline.analyze_texts([text, {"text": "Officials in Baghdad said 3,000 US troops remain in Iraq.",
                                               "title": "Troops remain", "published": "2021-04-07", "outlet": "RT"}],
                                       Settings(out=str(tmp_path / "out")))
    assert len(analysis["articles"]) == 2 and analysis["claims"] and analysis["quantities"]
    assert {a["outlet"] for a in analysis["articles"]} >= {"RT"}
    assert all(a["source"].startswith("texts#") for a in analysis["articles"])
    assert list(tmp_path.iterdir()) == []           # no report, no store left behind


@pytest.mark.slow
def test_analyze_logs_progress_lines_to_a_file(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    out = subprocess.run([sys.executable, "-m", "storyline", "analyze", str(ROOT / "examples" / "iraq-troops"), "--db",
                          str(tmp_path / "s.db"), "--out", str(tmp_path / "out"), "--progress-every", "0.001",
                          "--log-file", str(log)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    text = log.read_text(encoding="utf-8")
    assert "storyline.progress: ingest: " in text and "document(s)" in text
