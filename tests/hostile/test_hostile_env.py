"""Messages for what goes wrong around a run: bad settings are usage errors (exit 2) naming the setting, a named
config file must exist, environment failures (disk full, lock timeout, read-only, permission denied) say what they
are and what to do instead of "internal error … please report it", and no temporary output file is left behind."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.errors import describe_os_error
from storyline.model import Article
from storyline.store import Store
from storyline.store.sqlite import store_error


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    with Store(str(db)) as store:
        store.add_article(Article(id="art_1", source="a.txt", text="Officials said 2,500 troops remain in Iraq."))
        store.commit()
    return db


@pytest.mark.parametrize(("name", "value"), [("MAX_NLP_CHARS", "-5"), ("MAX_TEXT_CHARS", "-100"),
                                             ("MAX_NLP_CHARS", "0"), ("FETCH_TIMEOUT", "0"),
                                             ("ARTICLE_TIME_BUDGET", "-1"), ("MAX_RECORDS", "x")])
def test_bad_limits_are_usage_errors(store_path: Path, tmp_path: Path, monkeypatch, capsys, name: str, value: str) -> None:
    monkeypatch.setenv(f"STORYLINE_{name}", value)
    assert main(["report", "--db", str(store_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert name.lower() in err.lower() and "internal error" not in err
    assert not (tmp_path / "out").exists()


def test_a_missing_named_config_file_is_an_error(store_path: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("STORYLINE_CONFIG", str(tmp_path / "nope.toml"))
    assert main(["report", "--db", str(store_path), "--out", str(tmp_path / "out")]) == 2
    assert "nope.toml" in capsys.readouterr().err


@pytest.mark.parametrize(("toml", "said"), [("[storyline]\nmax_nlp_chars = 'lots'\n", "max_nlp_chars"),
                                           ("[storyline\nworkers = 2\n", "not valid TOML"),
                                           ("[storyline]\nworkers = true\n", "workers"),
                                           ("[storyline]\nmax_text_chars = -100\n", "max_text_chars")])
def test_bad_config_values_exit_2_and_name_the_problem(store_path: Path, tmp_path: Path, monkeypatch, capsys,
                                                      toml: str, said: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("STORYLINE_CONFIG", str(cfg))
    assert main(["report", "--db", str(store_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert said in err and "internal error" not in err


@pytest.mark.parametrize(("message", "said"), [("database or disk is full", "full"),
                                               ("database is locked", "locked"),
                                               ("attempt to write a readonly database", "read-only"),
                                               ("unable to open database file", "cannot open"),
                                               ("database disk image is malformed", "damaged")])
def test_store_failures_are_named(message: str, said: str) -> None:
    text = str(store_error("x.db", sqlite3.OperationalError(message)))
    assert said in text and "delete it" not in text and "x.db" in text


@pytest.mark.parametrize(("code", "said"), [(errno.ENOSPC, "no space left"), (errno.EROFS, "read-only file system"),
                                            (errno.EACCES, "permission denied")])
def test_disk_full_and_permission_errors_are_named_and_leave_no_temporary_file(
        store_path: Path, tmp_path: Path, monkeypatch, capsys, code: int, said: str) -> None:
    assert said in (describe_os_error(OSError(code, "x", "f")) or "")
    real = Path.write_text

    def failing(self: Path, data: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name.endswith(".tmp"):
            real(self, data[:100], *args, **kwargs)       # a partial file, then the failure
            raise OSError(code, "simulated", str(self))
        return real(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    out = tmp_path / "out"
    assert main(["report", "--db", str(store_path), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert said in err and "internal error" not in err
    assert not list(out.glob("*.tmp"))


def test_a_lock_held_past_the_timeout_is_named(store_path: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    import storyline.api as api

    def locked(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(api, "_analyze", locked)
    assert main(["analyze", str(tmp_path), "--db", str(store_path), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "locked by another process" in err and "internal error" not in err
