"""The main process owns its workers: after SIGTERM, SIGINT or SIGKILL of `storyline analyze --workers 2`, and
after a normal exit, no process of the run is left (each run starts in its own session, and every process still in
that session a few seconds later is a leftover). The same for `--backend dask` (a LocalCluster's worker processes),
whose stop must also say one line, not dask's tracebacks."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from repo_paths import ROOT

pytestmark = pytest.mark.slow

SEEDS = ROOT / "examples" / "iraq-troops"


def _corpus(tmp: Path, copies: int) -> Path:
    folder = tmp / "in"
    folder.mkdir()
    for i in range(copies):
        for src in sorted(SEEDS.glob("*.txt")):
            text = src.read_text(encoding="utf-8")
            (folder / f"{i:03d}_{src.name}").write_text(f"{text}\n\nUpdate {i}: officials said {i} more talks.\n",
                                                         encoding="utf-8")
    return folder


def _start(tmp: Path, corpus: Path, *extra: str) -> subprocess.Popen[bytes]:
    """The run in its own session; its output goes to files (a leftover worker holding a pipe open would make
    reading it hang the test instead of failing it)."""
    cmd = [sys.executable, "-m", "storyline.cli", "analyze", str(corpus), "--db", str(tmp / "s.db"),
           "--out", str(tmp / "out"), "--workers", "2", "--quiet", *extra]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    with open(tmp / "stdout.txt", "wb") as out, open(tmp / "stderr.txt", "wb") as err:
        return subprocess.Popen(cmd, start_new_session=True, stdout=out, stderr=err, env=env,
                                preexec_fn=_default_sigint)


def _default_sigint() -> None:
    """A shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored across exec (Python
    then installs no KeyboardInterrupt handler): the run under test gets Ctrl-C's usual meaning, as a terminal gives."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stderr(tmp: Path) -> str:
    return (tmp / "stderr.txt").read_text(encoding="utf-8", errors="replace")[-2000:]


def _alive_in_session(sid: int) -> list[str]:
    left = []
    for p in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if os.getsid(p.pid) == sid and p.info["status"] != psutil.STATUS_ZOMBIE:
                left.append(f"{p.pid}: {' '.join(p.info['cmdline'] or [])[:120]}")
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return left


def _wait_gone(sid: int, seconds: float = 10.0) -> list[str]:
    deadline = time.monotonic() + seconds
    left = _alive_in_session(sid)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = _alive_in_session(sid)
    return left


def _wait_workers(proc: subprocess.Popen[bytes], tmp: Path, n: int = 2, seconds: float = 180.0) -> None:
    main = psutil.Process(proc.pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the run ended before its workers started: {_stderr(tmp)}"
        workers = [c for c in main.children(recursive=True)
                   if "spawn_main" in " ".join(c.cmdline()) and "resource_tracker" not in " ".join(c.cmdline())]
        if len(workers) >= n:
            return
        time.sleep(0.2)
    raise AssertionError("the workers did not start")


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130),
                                           (signal.SIGKILL, -signal.SIGKILL)])
def test_no_process_outlives_a_signalled_run(tmp_path: Path, sig: int, code: int) -> None:
    if shutil.which("ps") is None and not sys.platform.startswith("linux"):
        pytest.skip("needs a process table")
    proc = _start(tmp_path, _corpus(tmp_path, 8))
    try:
        _wait_workers(proc, tmp_path)
        assert not (tmp_path / "out" / "analysis.json").exists(), "the run finished before the signal"
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        left = _wait_gone(proc.pid)
        assert left == []
        assert proc.returncode == code, _stderr(tmp_path)
    finally:
        for line in _alive_in_session(proc.pid):     # never leave a failed test's processes behind
            os.kill(int(line.split(":")[0]), signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_no_process_outlives_a_finished_run(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    proc = _start(tmp_path, corpus)
    try:
        proc.wait(timeout=400)
        assert proc.returncode == 0, _stderr(tmp_path)
        assert _wait_gone(proc.pid, 5.0) == []
    finally:
        for line in _alive_in_session(proc.pid):
            os.kill(int(line.split(":")[0]), signal.SIGKILL)


def _reap(proc: subprocess.Popen[bytes]) -> None:
    for line in _alive_in_session(proc.pid):     # never leave a failed test's processes behind
        os.kill(int(line.split(":")[0]), signal.SIGKILL)
    if proc.poll() is None:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130),
                                           (signal.SIGKILL, -signal.SIGKILL)])
def test_no_dask_worker_outlives_a_signalled_run(tmp_path: Path, sig: int, code: int) -> None:
    pytest.importorskip("distributed")
    proc = _start(tmp_path, _corpus(tmp_path, 8), "--backend", "dask")
    try:
        _wait_workers(proc, tmp_path)
        time.sleep(3)                               # the workers are in their first batches
        assert not (tmp_path / "out" / "analysis.json").exists(), "the run finished before the signal"
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)                # Ctrl-C: the whole foreground group, workers included
        else:
            os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        assert _wait_gone(proc.pid) == []
        assert proc.returncode == code, _stderr(tmp_path)
        if sig != signal.SIGKILL:                   # one line that says what happened, no dask tracebacks
            err = _stderr(tmp_path)
            assert "Traceback" not in err and "ERROR" not in err, err
            assert err.strip().splitlines()[-1].startswith("storyline: "), err
    finally:
        _reap(proc)


def test_no_dask_worker_outlives_a_finished_run(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    proc = _start(tmp_path, corpus, "--backend", "dask")
    try:
        proc.wait(timeout=400)
        assert proc.returncode == 0, _stderr(tmp_path)
        assert _wait_gone(proc.pid, 5.0) == []
    finally:
        _reap(proc)
