"""The SQLite store: one writer, many readers (WAL), content-hash ids so re-runs never duplicate.

Per-article facts are kept as one JSON document per article (written once, read whole), corpus-wide results as one
JSON document per kind; searchable text (articles, claims, quotes, sentences) goes to FTS5 tables.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import DamagedStoreError, ForeignStoreError, NewerStoreError, StoreError
from ..model import Article, Evidence, InputRecord, Removed
from .schema import MIGRATIONS, READABLE_FROM

_ARTICLE_COLS = ("id, source, title, outlet, url, published, bounds_earliest, bounds_latest, published_basis, author, "
                 "genre, text, removed, evidence, encoding, story_id, duplicate_of")


class Store:
    def __init__(self, path: str, *, readonly: bool = False, check: bool | None = None, adopt: bool = False) -> None:
        """Open the store at ``path``; ``readonly`` never writes (and opens a store in a read-only directory as
        immutable). Before anything is written the file is checked: not SQLite, another program's database or a
        newer schema is refused (``ForeignStoreError``, ``NewerStoreError``, usage errors: exit 2); ``check`` (default:
        writers) runs ``PRAGMA quick_check`` on stores up to ``QUICK_CHECK_MAX_BYTES`` and refuses a damaged one.
        ``adopt`` (a writer only; ``analyze --adopt-db``) adds storyline's tables to another program's SQLite
        database instead of refusing it, when that is safe (``_adoptable``)."""
        self.path = path
        self.readonly = readonly
        self.immutable = False
        try:
            if readonly:
                if not Path(path).is_file():
                    raise StoreError(f"store {path!r} does not exist; run 'storyline analyze … --db {path}' first")
                _check_header(path)
                self.conn = self._open_readonly(path)
                self.conn.row_factory = sqlite3.Row
                version = _check_schema(self.conn, path)
                if version < READABLE_FROM:
                    raise StoreError(f"store {path!r} is from an older version; open it once with 'storyline analyze' "
                                     "to upgrade")
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                _check_header(path)
                self.conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
                self.conn.row_factory = sqlite3.Row
                _check_schema(self.conn, path, adopt)       # before WAL or a migration writes anything
            if check if check is not None else not readonly:
                _quick_check(self.conn, path)
            if not readonly:
                _retry_busy(lambda: self.conn.execute("PRAGMA journal_mode=WAL"))
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise store_error(path, exc) from exc

    def _open_readonly(self, path: str) -> sqlite3.Connection:
        """``mode=ro``; where the directory is not writable SQLite cannot make the WAL index a WAL store needs even to
        read, so the store is opened ``immutable`` (no locks, no side files: nothing may write it meanwhile)."""
        folder = Path(path).resolve().parent
        uri = Path(path).resolve().as_uri()
        if not os.access(folder, os.W_OK) and not Path(str(path) + "-wal").exists():
            self.immutable = True
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False, timeout=30)
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False, timeout=30)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            if os.access(folder, os.W_OK):
                raise
            conn.close()
            self.immutable = True
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False, timeout=30)
        return conn

    def _migrate(self) -> None:
        """Bring the schema up to date in one exclusive (``BEGIN IMMEDIATE``) transaction, reading ``user_version``
        again once the write lock is held: two runs opening a new store at once take turns, and the second finds
        the schema made. A lock still held past the busy timeout is retried a few times."""
        for attempt in range(_LOCK_RETRIES):
            try:
                if self.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
                    return
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                    for i, script in enumerate(MIGRATIONS[version:], start=version + 1):
                        for statement in _statements(script):
                            self.conn.execute(statement)
                        self.conn.execute(f"PRAGMA user_version={i}")
                    self.conn.commit()
                except BaseException:
                    self.conn.rollback()
                    raise
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or attempt == _LOCK_RETRIES - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- inputs -------------------------------------------------------------------------------------------------
    def record_input(self, rec: InputRecord) -> None:
        # one statement: the next seq is read under the write lock (two runs writing at once get distinct ones)
        self.conn.execute(
            "INSERT INTO inputs(path, status, reason, article_id, seq) "
            "SELECT ?,?,?,?, COALESCE(MAX(seq), 0) + 1 FROM inputs WHERE true "
            "ON CONFLICT(path) DO UPDATE SET status=excluded.status, reason=excluded.reason, article_id=excluded.article_id",
            (rec.path, rec.status, rec.reason, rec.article_id))

    def input_status(self, path: str) -> InputRecord | None:
        row = self.conn.execute("SELECT path, status, reason, article_id FROM inputs WHERE path=?", (path,)).fetchone()
        return InputRecord(row["path"], row["status"], row["reason"], row["article_id"]) if row else None

    def fail_inputs_of(self, article_id: str, reason: str) -> None:
        """The article was stored but its analysis failed: every input that produced it says so (status failed),
        until a later run analyses it (ingest then records the input as ok again)."""
        self.conn.execute("UPDATE inputs SET status='failed', reason=? WHERE article_id=? AND status IN ('ok', 'duplicate')",
                          (reason, article_id))

    def inputs(self) -> list[InputRecord]:
        return [InputRecord(r["path"], r["status"], r["reason"], r["article_id"])
                for r in self.conn.execute("SELECT path, status, reason, article_id FROM inputs ORDER BY seq")]

    # ---- articles -----------------------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def add_article(self, art: Article, minhash: bytes | None = None) -> bool:
        """Store ``art``; False when an article with its id is already there (another run may have stored it since
        this one looked)."""
        b = art.published_bounds
        cur = self.conn.execute(
            f"INSERT OR IGNORE INTO articles({_ARTICLE_COLS}, minhash) VALUES ({','.join('?' * 18)})",
            (art.id, art.source, art.title, art.outlet, art.url,
             art.published.isoformat() if art.published else None,
             b[0].isoformat() if b and b[0] else None, b[1].isoformat() if b and b[1] else None,
             art.published_basis, art.author, art.genre, art.text,
             json.dumps([[r.text, r.reason] for r in art.removed], ensure_ascii=False),
             json.dumps([[e.field, e.value, e.basis] for e in art.evidence], ensure_ascii=False),
             art.encoding, art.story_id, art.duplicate_of, minhash))
        return cur.rowcount == 1

    def set_story(self, article_id: str, story_id: str | None) -> None:
        self.conn.execute("UPDATE articles SET story_id=? WHERE id=?", (story_id, article_id))

    def set_duplicate_of(self, article_id: str, canonical: str | None) -> None:
        self.conn.execute("UPDATE articles SET duplicate_of=? WHERE id=?", (canonical, article_id))

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id=?", (article_id,)).fetchone()
        return _row_to_article(row) if row else None

    def articles(self, *, limit: int | None = None, offset: int = 0) -> Iterator[Article]:
        sql = f"SELECT {_ARTICLE_COLS} FROM articles ORDER BY rowid"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = (limit, offset)
        for row in self.conn.execute(sql, params):
            yield _row_to_article(row)

    def article_count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def minhashes(self) -> Iterator[tuple[str, bytes]]:
        for row in self.conn.execute("SELECT id, minhash FROM articles WHERE minhash IS NOT NULL AND duplicate_of IS NULL ORDER BY rowid"):
            yield row["id"], row["minhash"]

    def search_articles(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published, snippet(articles_fts, 1, '[', ']', '…', 16) AS snippet "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? "
            "ORDER BY bm25(articles_fts) LIMIT ? OFFSET ?", (fts_query(query), limit, offset))
        return [dict(r) for r in rows]

    # ---- per-article facts ----------------------------------------------------------------------------------------
    def articles_missing_facts(self, version: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN facts f ON f.article_id = a.id "
            "WHERE f.article_id IS NULL OR f.version != ? ORDER BY a.rowid", (version,))
        return [r[0] for r in rows]

    def needs_facts(self, article_id: str, version: str) -> bool:
        """Whether the stored article lacks facts of ``version`` (the per-article form of articles_missing_facts)."""
        if not self.has_article(article_id):
            return False
        row = self.conn.execute("SELECT version FROM facts WHERE article_id=?", (article_id,)).fetchone()
        return row is None or row[0] != version

    def put_facts(self, article_id: str, version: str, data: dict[str, Any], passages: Iterable[dict[str, Any]] = ()) -> bool:
        """Store an article's facts and passages; False (nothing written) when facts of ``version`` are already
        there, as when another run analysed the same article at the same time."""
        cur = self.conn.execute(
            "INSERT INTO facts(article_id, version, data) VALUES (?,?,?) ON CONFLICT(article_id) DO UPDATE SET "
            "version=excluded.version, data=excluded.data WHERE facts.version != excluded.version",
            (article_id, version, json.dumps(data, ensure_ascii=False, sort_keys=True)))
        if cur.rowcount != 1:
            return False
        self.conn.execute("DELETE FROM passages WHERE article_id=?", (article_id,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO passages(id, article_id, kind, start, end, text, speaker) VALUES (?,?,?,?,?,?,?)",
            [(p["id"], article_id, p["kind"], p["start"], p["end"], p["text"], p.get("speaker")) for p in passages])
        # indexed here in one statement, not by a trigger per row (schema migration 4)
        self.conn.execute("INSERT INTO passages_fts(rowid, text) SELECT rowid, text FROM passages WHERE article_id=?",
                          (article_id,))
        return True

    def put_vector(self, article_id: str, kind: str, text_hash: str, data: bytes) -> None:
        """Store one precomputed vector (raw float32 bytes) with the hash of the text it encodes."""
        self.conn.execute("INSERT OR REPLACE INTO vectors(article_id, kind, text_hash, data) VALUES (?,?,?,?)",
                          (article_id, kind, text_hash, data))

    def vectors(self, kind: str, article_ids: Iterable[str]) -> dict[str, tuple[str, bytes]]:
        """article id → (text hash, raw bytes) for those of ``article_ids`` that have a ``kind`` vector."""
        ids = list(article_ids)
        out: dict[str, tuple[str, bytes]] = {}
        for i in range(0, len(ids), 500):          # stay under SQLite's bound-parameter limit
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT article_id, text_hash, data FROM vectors WHERE kind=? AND article_id IN ({marks})",
                                         (kind, *chunk)):
                out[row[0]] = (row[1], bytes(row[2]))
        return out

    def facts(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM facts WHERE article_id=?", (article_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def begin_snapshot(self) -> None:
        """Start a read transaction: every read until ``end_snapshot`` sees one state of the store."""
        self.conn.execute("BEGIN")

    def end_snapshot(self) -> None:
        self.conn.rollback()

    def signatures(self) -> list[tuple[str, bytes]]:
        """(article id, MinHash signature) of every article that has one, in store order."""
        rows = self.conn.execute("SELECT id, minhash FROM articles WHERE minhash IS NOT NULL ORDER BY rowid")
        return [(r[0], r[1]) for r in rows]

    def outlets_and_dates(self) -> dict[str, tuple[str | None, str | None]]:
        """Article id → (outlet, published) for every article, without loading texts."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute("SELECT id, outlet, published FROM articles")}

    def article_meta(self, ids: list[str]) -> list[tuple[Any, ...]]:
        """(id, source, outlet, published, bounds_earliest, bounds_latest, genre, duplicate_of) of the given
        articles, without their texts."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return list(self.conn.execute(
            "SELECT id, source, outlet, published, bounds_earliest, bounds_latest, genre, duplicate_of FROM articles "
            f"WHERE id IN ({marks})", ids))

    def fact_kinds(self, article_id: str, kinds: tuple[str, ...]) -> dict[str, Any] | None:
        """Only the named kinds of an article's facts (``{"sentences": [...], "times": [...]}``): SQLite picks them
        out of the stored JSON, so Python decodes a few lists instead of every claim, quote and entity.
        (``json_extract`` gives lists and objects as JSON text, a string as the bare string.)"""
        cols = ", ".join("json_extract(data, ?)" for _ in kinds)
        row = self.conn.execute(f"SELECT {cols} FROM facts WHERE article_id=?",
                                (*(f'$."{k}"' for k in kinds), article_id)).fetchone()
        if row is None:
            return None
        return {k: json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v
                for k, v in zip(kinds, row, strict=True) if v is not None}

    def all_facts(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for row in self.conn.execute("SELECT f.article_id, f.data FROM facts f JOIN articles a ON a.id=f.article_id ORDER BY a.rowid"):
            yield row[0], json.loads(row[1])

    def passage_frequency(self, word: str) -> int:
        """How many passages contain ``word`` (cached per store handle; the corpus only grows between runs)."""
        cache = self.__dict__.setdefault("_df_cache", {})
        if word not in cache:
            q = fts_query(word)
            cache[word] = self.conn.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH ?", (q,)).fetchone()[0] if q else 0
            if len(cache) > 50_000:
                cache.clear()
        return cache[word]

    def passage_count(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM passages").fetchone()[0]

    def search_passages(self, query: str, limit: int = 50, published_by: str | None = None) -> list[dict[str, Any]]:
        """BM25-ranked passages matching any word of ``query``; with ``published_by`` (ISO date) only passages from
        articles stated to be published by then, or undated ones whose inferred window starts by then."""
        q = fts_query(query, any_term=True)
        if not q:
            return []
        where, params = "passages_fts MATCH ?", [q]
        join = ""
        if published_by:
            join = "JOIN articles a ON a.id = p.article_id "
            where += " AND (a.published <= ? OR (a.published IS NULL AND a.bounds_earliest <= ?))"
            params += [published_by, published_by]
        rows = self.conn.execute(
            "SELECT p.id, p.article_id, p.kind, p.start, p.end, p.text, p.speaker, bm25(passages_fts) AS bm25 "
            f"FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid {join}WHERE {where} "
            "ORDER BY bm25(passages_fts) LIMIT ?", (*params, limit))
        return [dict(r) for r in rows]

    # ---- corpus-wide results --------------------------------------------------------------------------------------
    def put_corpus(self, kind: str, version: str, data: Any) -> None:
        """Store one corpus document as JSON. A list is encoded item by item and written into the row in pieces, so a
        big document (300k relations at 100k articles: hundreds of MB of JSON) is never held as one string, its
        encoder's chunk list and SQLite's copy at once; the bytes are those ``json.dumps`` gives for the whole."""
        chunks = _json_chunks(data)
        cur = self.conn.execute("INSERT OR REPLACE INTO corpus(kind, version, data) VALUES (?,?,zeroblob(?))",
                                (kind, version, sum(map(len, chunks))))
        assert cur.lastrowid is not None    # set by every INSERT
        with self.conn.blobopen("corpus", "data", cur.lastrowid) as blob:
            buf = bytearray()
            for chunk in chunks:            # ~1 MB per write: one blob write per item was slow on 300k items
                buf += chunk
                if len(buf) >= 1 << 20:
                    blob.write(buf)
                    buf.clear()
            blob.write(buf)
        # stored as TEXT (sqlite-utils, datasette and json_each read it as JSON, not "<Binary: … bytes>"); the cast
        # is done by SQLite once the chunks are gone, so Python never holds the document as one string
        self.conn.execute("UPDATE corpus SET data = CAST(data AS TEXT) WHERE rowid=?", (cur.lastrowid,))

    def corpus(self, kind: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT data FROM corpus WHERE kind=?", (kind,)).fetchone()
        return json.loads(row[0]) if row else default

    def commit(self) -> None:
        self.conn.commit()

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


_LOCK_RETRIES = 5
QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024    # quick_check reads every page: skipped above this (seconds per GB)
_TABLES = frozenset({"inputs", "articles", "facts", "passages", "corpus"})
_RECOVER = ("recover what is left with `sqlite3 {p} .recover | sqlite3 recovered.db` and use --db recovered.db, "
            "or re-run 'storyline analyze' on the original inputs with a new --db")


def _check_header(path: str) -> None:
    """A non-empty file that does not start like an SQLite database is refused before SQLite touches it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        return
    except PermissionError as exc:
        raise StoreError(f"cannot read the store {path!r}: permission denied; fix its permissions or give another "
                         "--db") from exc
    if head and head != b"SQLite format 3\x00":
        raise ForeignStoreError(f"{path!r} is not a storyline store (not an SQLite database); nothing was written to "
                                "it; give another --db")


def _check_schema(conn: sqlite3.Connection, path: str, adopt: bool = False) -> int:
    """The store's schema version, after refusing a newer one and another program's database (``adopt``: unless it
    can take storyline's tables beside its own)."""
    # one statement, so one snapshot: read apart, another run's migration could commit between the two reads, and a
    # store seen at version 0 with tables would be taken for another program's database
    version, names = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), (SELECT group_concat(name, char(31)) FROM sqlite_master "
        "WHERE type='table' AND name NOT LIKE 'sqlite_%')").fetchone()
    tables = set(names.split("\x1f")) if names else set()
    # another program's tables first: its user_version, however high, says nothing about storyline's schema
    if (version == 0 and tables) or (version >= 1 and not tables >= _TABLES):
        if adopt:
            _adoptable(conn, path, version)
            return int(version)
        shown = ", ".join(sorted(tables)[:6]) + (", …" if len(tables) > 6 else "")
        raise ForeignStoreError(f"{path!r} is an SQLite database of another program (tables: {shown}), not a "
                                "storyline store; nothing was written to it; give another --db, or pass --adopt-db "
                                "to analyze to add storyline's tables to this database")
    if version > len(MIGRATIONS):
        raise NewerStoreError(
            f"store {path!r} has schema version {version}, newer than this storyline knows ({len(MIGRATIONS)}): it was "
            "written by a newer storyline; upgrade storyline, or give another --db (nothing was written to it)")
    return int(version)


def _storyline_names() -> set[str]:
    """Every table, index, view and trigger name the migrations make (FTS5 shadow tables included)."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            for statement in _statements(script):
                conn.execute(statement)
        return {r[0].lower() for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def _adoptable(conn: sqlite3.Connection, path: str, version: int) -> None:
    """Refuse to adopt a database whose ``user_version`` the other program already uses (storyline keeps its schema
    version there: the two would overwrite each other's) or that has a table, index, view or trigger by a name
    storyline makes (its migrations would fail half-way, or worse, write into the other program's table)."""
    if version != 0:
        raise ForeignStoreError(f"{path!r} cannot be adopted: its user_version is {version}, which the other program "
                                "set and storyline would overwrite with its own schema version; nothing was written to "
                                "it; give another --db")
    clash = sorted({r[0].lower() for r in conn.execute("SELECT name FROM sqlite_master")} & _storyline_names())
    if clash:
        raise ForeignStoreError(f"{path!r} cannot be adopted: it already has {', '.join(clash[:6])}, name(s) storyline "
                                "uses for its own tables; nothing was written to it; give another --db")


def _quick_check(conn: sqlite3.Connection, path: str) -> None:
    try:
        if os.path.getsize(path) > QUICK_CHECK_MAX_BYTES:
            return
    except OSError:
        return
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    if rows != ["ok"]:
        raise DamagedStoreError(f"store {path!r} is damaged ({'; '.join(rows)[:300]}); " + _RECOVER.format(p=path))


def _read_only_place(path: str) -> str | None:
    """Why the store's folder cannot be written, when that is the reason (SQLite says only "unable to open database
    file" when it cannot make the journal beside the store): a read-only file system, or a folder without write
    permission. None when the folder is writable or cannot be examined."""
    folder = Path(path).resolve().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except OSError:
        return None
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return "its folder is not writable"
    return None


def store_error(path: str, exc: BaseException) -> StoreError:
    """A StoreError that names what went wrong with the store at ``path`` and what to do."""
    msg = str(exc)
    low = msg.lower()
    if isinstance(exc, StoreError):
        return exc
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return DamagedStoreError(f"store {path!r} is damaged ({msg}); " + _RECOVER.format(p=path))
    if "disk is full" in low or "database or disk is full" in low:
        return StoreError(f"the disk holding the store {path!r} is full ({msg}); free space or give a --db on another "
                          "disk, then run the same command again (finished batches are kept)")
    if "locked" in low or "busy" in low:
        return StoreError(f"the store {path!r} stayed locked by another process past the 30 s wait ({msg}); wait for "
                          "the other storyline run to finish (or stop it) and run the same command again")
    if "readonly" in low or "read-only" in low:
        return StoreError(f"the store {path!r} cannot be written: the file or its folder is read-only ({msg}); give a "
                          "--db in a writable place, or make it writable")
    if ("unable to open" in low or "readonly" in low) and (place := _read_only_place(path)):
        return StoreError(f"the store {path!r} cannot be written: {place} ({msg}); give a --db in a writable place "
                          "(report, check and serve can still read it where it is)")
    if "unable to open" in low or "permission" in low or "authoriz" in low:
        return StoreError(f"cannot open the store {path!r} ({msg}): check that its folder exists and that you may read "
                          "and write there, or give another --db")
    return StoreError(f"cannot use the store {path!r}: {msg}")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _retry_busy(fn: Callable[[], Any]) -> Any:
    """``fn()``, retried while another connection holds the lock past the busy timeout."""
    for attempt in range(_LOCK_RETRIES):
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or attempt == _LOCK_RETRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    return None


def _statements(script: str) -> Iterator[str]:
    """The complete SQL statements of ``script`` (trigger bodies kept whole), to run one by one inside a
    transaction this module opened (``executescript`` would commit it first)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


_FTS_WORD = __import__("re").compile(r"\w+", __import__("re").UNICODE)


def fts_query(text: str, *, any_term: bool = False) -> str:
    """User text → a safe FTS5 query: words only, quoted, so operators in user input cannot break the query."""
    words = [w for w in _FTS_WORD.findall(text.lower()) if len(w) > 1][:32]
    if not words:
        return ""
    return (" OR " if any_term else " ").join(f'"{w}"' for w in words)


def _row_to_article(row: sqlite3.Row) -> Article:
    earliest, latest = row["bounds_earliest"], row["bounds_latest"]
    return Article(
        id=row["id"], source=row["source"], text=row["text"], title=row["title"], outlet=row["outlet"], url=row["url"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        published_bounds=(date.fromisoformat(earliest) if earliest else None, date.fromisoformat(latest) if latest else None)
        if (earliest or latest) else None,
        published_basis=row["published_basis"], author=row["author"], genre=row["genre"],
        removed=[Removed(t, r) for t, r in json.loads(row["removed"])],
        evidence=[Evidence(f, v, b) for f, v, b in json.loads(row["evidence"])],
        story_id=row["story_id"], duplicate_of=row["duplicate_of"], encoding=row["encoding"])


def _json_chunks(data: Any) -> list[bytes]:
    """UTF-8 pieces whose concatenation is ``json.dumps(data, ensure_ascii=False, sort_keys=True)``."""
    def dump(x: Any) -> bytes:
        return json.dumps(x, ensure_ascii=False, sort_keys=True).encode("utf-8")

    if not isinstance(data, list) or not data:
        return [dump(data)]
    out = [b"["]
    for i, item in enumerate(data):
        if i:
            out.append(b", ")
        out.append(dump(item))
    out.append(b"]")
    return out
