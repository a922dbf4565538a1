"""Store checks at open: a newer schema, another program's database, a file that is not SQLite and a damaged store
are refused with a message that says what to do, and nothing is written to them; a store in a read-only directory
is still readable; concurrent opens of a new store make the schema once."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.errors import DamagedStoreError, ForeignStoreError, NewerStoreError, StoreError
from storyline.model import Article, InputRecord
from storyline.store import Store
from storyline.store.schema import MIGRATIONS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _small_store(path: Path, n: int = 60) -> None:
    with Store(str(path)) as store:
        for i in range(n):
            art = Article(id=f"art_{i:04d}", source=f"in/{i}.txt", text=f"Article {i}: officials said {i} things. " * 20)
            store.add_article(art)
            store.record_input(InputRecord(f"in/{i}.txt", "ok", "", art.id))
        store.commit()


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    _small_store(db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version=99")
    conn.close()
    before = _digest(db)
    for readonly in (False, True):
        with pytest.raises(NewerStoreError, match="newer"):
            Store(str(db), readonly=readonly)
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "out")]) == 2
    assert "schema version 99" in capsys.readouterr().err
    assert _digest(db) == before


@pytest.mark.parametrize("make", ["other_program", "not_sqlite", "other_with_user_version"])
def test_a_foreign_file_is_refused_and_nothing_is_written(tmp_path: Path, make: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "other.db"
    if make == "not_sqlite":
        db.write_text("name,amount\nalice,3\n", encoding="utf-8")
    else:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers(name) VALUES ('alice')")
        if make == "other_with_user_version":
            conn.execute("PRAGMA user_version=1")
        conn.commit()
        conn.close()
    before = _digest(db)
    with pytest.raises(ForeignStoreError, match="not a storyline store"):
        Store(str(db))
    with pytest.raises(ForeignStoreError):
        Store(str(db), readonly=True)
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "out")]) == 2
    assert "not a storyline store" in capsys.readouterr().err
    assert _digest(db) == before
    assert not Path(str(db) + "-wal").exists()


def _flip(db: Path, offset: int, count: int = 8) -> None:
    data = bytearray(db.read_bytes())
    for i in range(offset, min(offset + count, len(data))):
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["index_page", "data_page", "schema_page", "truncated"])
def test_a_damaged_store_is_refused_with_how_to_recover(tmp_path: Path, damage: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    _small_store(db)
    page = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()[0]
    conn = sqlite3.connect(db)
    roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0").fetchall())
    conn.close()
    size = db.stat().st_size
    if damage == "index_page":
        _flip(db, (roots["articles_published"] - 1) * page)
    elif damage == "data_page":
        _flip(db, (roots["articles"] - 1) * page)
    elif damage == "schema_page":
        _flip(db, 100 + 8, 64)       # inside sqlite_master's first page, past the b-tree page header
    else:
        with open(db, "r+b") as fh:
            fh.truncate(size // 2)
    with pytest.raises(StoreError) as info:
        Store(str(db))
    assert isinstance(info.value, DamagedStoreError | ForeignStoreError)
    assert "damaged" in str(info.value) or "not a storyline store" in str(info.value)
    code = main(["report", "--db", str(db), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code in (1, 2) and "internal error" not in err
    assert "recover" in err or "not a storyline store" in err


def test_a_store_in_a_read_only_directory_is_read_immutable(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "ro" / "s.db"
    db.parent.mkdir()
    _small_store(db, 5)
    assert not Path(str(db) + "-wal").exists()     # checkpointed when the writer closed
    import storyline.store.sqlite as sqlite_mod

    real_access = os.access
    monkeypatch.setattr(sqlite_mod.os, "access",
                        lambda p, mode: False if mode == os.W_OK and Path(p) == db.parent.resolve() else real_access(p, mode))
    with Store(str(db), readonly=True, check=True) as store:
        assert store.immutable and store.article_count() == 5
    assert sorted(p.name for p in db.parent.iterdir()) == ["s.db"]          # no side files made


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write a read-only directory")
def test_a_really_read_only_directory(tmp_path: Path) -> None:
    db = tmp_path / "ro" / "s.db"
    db.parent.mkdir()
    _small_store(db, 3)
    db.parent.chmod(0o555)
    try:
        with Store(str(db), readonly=True) as store:
            assert store.article_count() == 3
        with pytest.raises(StoreError, match="read-only|cannot open|writ"):
            Store(str(db))
    finally:
        db.parent.chmod(0o755)


def test_opening_a_new_store_from_many_threads_makes_the_schema_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_it() -> None:
        start.wait()
        try:
            Store(str(db)).close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(str(db), readonly=True) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert store.integrity_ok()


def _other_program_db(path: Path, user_version: int = 0, table: str = "customers") -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute(f"INSERT INTO {table}(name) VALUES ('alice')")
    if user_version:
        conn.execute(f"PRAGMA user_version={user_version}")
    conn.commit()
    conn.close()


def test_a_foreign_database_is_adopted_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "other.db"
    _other_program_db(db)
    text = tmp_path / "a.txt"
    text.write_text("Troops stay\n\nOfficials said on Monday that 2,500 troops remain in Iraq.\n", encoding="utf-8")
    before = _digest(db)
    assert main(["analyze", str(text), "--db", str(db), "--out", str(tmp_path / "o1"), "-q"]) == 2
    assert "--adopt-db" in capsys.readouterr().err          # the refusal names the way to adopt it
    assert _digest(db) == before
    assert main(["analyze", str(text), "--db", str(db), "--out", str(tmp_path / "o2"), "-q", "--adopt-db"]) == 0
    with Store(str(db), readonly=True) as store:            # a storyline store now, the other program's data kept
        assert store.article_count() == 1 and store.integrity_ok()
        assert store.conn.execute("SELECT name FROM customers").fetchall()[0][0] == "alice"
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "o3")]) == 0    # no flag needed any more


@pytest.mark.parametrize(("user_version", "table", "said"), [(7, "customers", "user_version is 7"),
                                                             (0, "articles", "articles")])
def test_a_foreign_database_that_would_clash_is_not_adopted(tmp_path: Path, user_version: int, table: str,
                                                            said: str) -> None:
    db = tmp_path / "other.db"
    _other_program_db(db, user_version, table)
    before = _digest(db)
    with pytest.raises(ForeignStoreError, match="cannot be adopted") as info:
        Store(str(db), adopt=True)
    assert said in str(info.value)
    assert _digest(db) == before and not Path(str(db) + "-wal").exists()


def test_fact_kinds_reads_only_the_named_kinds_as_stored(tmp_path: Path) -> None:
    facts = {"sentences": [{"start": 0, "end": 5}], "times": [{"start": 1, "value": "2021-04-07"}],
             "claims": [{"id": "c", "text": "x"}], "language": "en", "count": 3}
    with Store(str(tmp_path / "s.db")) as store:
        store.add_article(Article(id="a", source="in/a.txt", text="Hello world."))
        store.put_facts("a", "v1", facts)
        store.commit()
        assert store.fact_kinds("a", ("sentences", "times")) == {k: facts[k] for k in ("sentences", "times")}
        assert store.fact_kinds("a", ("claims", "missing", "count")) == {"claims": facts["claims"], "count": 3}
        assert store.fact_kinds("nope", ("times",)) is None
