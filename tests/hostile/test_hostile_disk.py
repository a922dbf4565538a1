"""A real full disk, not a simulated error: the store or the output folder on a small tmpfs, mounted in an
unprivileged user and mount namespace (``unshare -Urm``: no root needed; the mount exists only inside that namespace
and goes with it). The kernel answers ENOSPC as on any full disk; the run must say so with what to do (exit 1, not
"internal error"), leave no temporary file, leave the store undamaged, and finish when run again once there is room.
Skipped where the kernel does not allow unprivileged user namespaces."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Runs inside the namespace: mount a tmpfs of the given size on the folder, run storyline there, make room, run again,
# and report what happened as JSON (the mount and what is on it vanish with the namespace).
INSIDE = r"""
import json, sqlite3, subprocess, sys
from pathlib import Path
folder, size, args, db = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], check=True)
cli = [sys.executable, "-m", "storyline.cli"]
first = subprocess.run(cli + args, capture_output=True, text=True)
left = sorted(p.name for p in Path(folder).rglob("*") if p.suffix == ".tmp")
conn = sqlite3.connect(db)
integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
conn.close()
subprocess.run(["mount", "-o", "remount,size=64m", folder], check=True)       # room made
again = subprocess.run(cli + args, capture_output=True, text=True)
print(json.dumps({"rc": first.returncode, "err": first.stderr, "tmp_left": left, "integrity": integrity,
                  "rc_again": again.returncode, "err_again": again.stderr,
                  "out_files": sorted(p.name for p in Path(folder).rglob("*") if p.is_file())}))
"""


def _namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    try:
        return subprocess.run(["unshare", "-Urm", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


pytestmark = pytest.mark.skipif(not _namespaces_work(), reason="no unprivileged user namespaces (unshare -Urm) here")


def _corpus(folder: Path, n: int = 16) -> Path:
    folder.mkdir()
    words = ("officials said the ministry troops remain budget report council minister announced Tuesday city water "
             "plan spending hospital").split()
    for i in range(n):
        body = " ".join(words[(i * 7 + j * 3) % len(words)] for j in range(900))
        (folder / f"a{i:02d}.txt").write_text(f"Story {i} about the plan\n\n{body}.\n", encoding="utf-8")
    return folder


def _run_full(small: Path, size: str, args: list[str], db: Path) -> dict:
    small.mkdir(exist_ok=True)
    got = subprocess.run(["unshare", "-Urm", sys.executable, "-c", INSIDE, str(small), size, json.dumps(args), str(db)],
                         capture_output=True, text=True, timeout=600)
    assert got.returncode == 0, got.stderr[-2000:]
    return json.loads(got.stdout.strip().splitlines()[-1])


def test_a_store_on_a_full_disk(tmp_path: Path) -> None:
    small = tmp_path / "small"
    db = small / "s.db"
    args = ["analyze", str(_corpus(tmp_path / "in")), "--db", str(db), "--out", str(tmp_path / "out"), "-q"]
    got = _run_full(small, "96k", args, db)
    assert got["rc"] == 1, got["err"]
    assert "is full" in got["err"] and str(db) in got["err"] and "internal error" not in got["err"]
    assert got["integrity"] == "ok" and got["tmp_left"] == []
    assert got["rc_again"] == 0, got["err_again"]          # the same command once there is room


def test_the_output_on_a_full_disk(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    corpus = _corpus(tmp_path / "in", 6)
    subprocess.run([sys.executable, "-m", "storyline.cli", "analyze", str(corpus), "--db", str(db), "--out",
                    str(tmp_path / "first"), "-q"], check=True, capture_output=True, timeout=600)
    small = tmp_path / "small"
    got = _run_full(small, "8k", ["report", "--db", str(db), "--out", str(small / "out")], db)
    assert got["rc"] == 1, got["err"]
    assert "no space left" in got["err"] and "internal error" not in got["err"]
    assert got["tmp_left"] == []
    assert got["rc_again"] == 0 and {"analysis.json", "report.html"} <= set(got["out_files"]), got["err_again"]


# A store on a mount made read-only: readers must still read it (immutable, no side files), a writer must say so.
READ_ONLY = r"""
import json, shutil, subprocess, sys
from pathlib import Path
folder, store, out = sys.argv[1], sys.argv[2], sys.argv[3]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", folder], check=True)
shutil.copy(store, Path(folder) / "s.db")
subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
db = str(Path(folder) / "s.db")
cli = [sys.executable, "-m", "storyline.cli"]
report = subprocess.run(cli + ["report", "--db", db, "--out", out], capture_output=True, text=True)
check = subprocess.run(cli + ["check", "troops remain in Iraq", "--db", db, "--json"], capture_output=True, text=True)
write = subprocess.run(cli + ["analyze", store, "--db", db, "--out", out + "2", "-q"], capture_output=True, text=True)
print(json.dumps({"report": [report.returncode, report.stderr], "check": [check.returncode, check.stderr],
                  "write": [write.returncode, write.stderr], "files": sorted(p.name for p in Path(folder).iterdir())}))
"""


def test_a_store_on_a_read_only_mount(tmp_path: Path) -> None:
    """A real read-only file system (EROFS), which root cannot write either: the chmod test in test_store_checks is
    skipped for root, and this one is not."""
    db = tmp_path / "s.db"
    subprocess.run([sys.executable, "-m", "storyline.cli", "analyze", str(_corpus(tmp_path / "in", 4)), "--db", str(db),
                    "--out", str(tmp_path / "first"), "-q"], check=True, capture_output=True, timeout=600)
    (tmp_path / "ro").mkdir()
    got = subprocess.run(["unshare", "-Urm", sys.executable, "-c", READ_ONLY, str(tmp_path / "ro"), str(db),
                          str(tmp_path / "out")], capture_output=True, text=True, timeout=600)
    assert got.returncode == 0, got.stderr[-2000:]
    res = json.loads(got.stdout.strip().splitlines()[-1])
    assert res["report"][0] == 0, res["report"][1]
    assert (tmp_path / "out" / "analysis.json").exists()
    assert res["check"][0] == 0, res["check"][1]
    assert res["write"][0] == 1 and "read-only" in res["write"][1] and "internal error" not in res["write"][1], res
    assert res["files"] == ["s.db"]                  # no -wal or -shm made beside it
