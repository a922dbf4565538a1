"""The SQLite store: one writer, many readers (WAL), content-hash ids so re-runs never duplicate.

Per-article facts are kept as one JSON document per article (written once, read whole), corpus-wide results as one
JSON document per kind; searchable text (articles, claims, quotes, sentences) goes to FTS5 tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import Article, Evidence, InputRecord, Removed
from .schema import MIGRATIONS, READABLE_FROM

_ARTICLE_COLS = ("id, source, title, outlet, url, published, bounds_earliest, bounds_latest, published_basis, author, "
                 "genre, text, removed, evidence, encoding, story_id, duplicate_of")


class Store:
    def __init__(self, path: str, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        try:
            if readonly:
                if not Path(path).is_file():
                    raise StoreError(f"store {path!r} does not exist; run 'storyline analyze … --db {path}' first")
                self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=30)
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.row_factory = sqlite3.Row
            if not readonly:
                self._migrate()
            elif self.conn.execute("PRAGMA user_version").fetchone()[0] < READABLE_FROM:
                raise StoreError(f"store {path!r} is from an older version; open it once with 'storyline analyze' to upgrade")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {path!r}: {exc}; delete it to start fresh or give another --db") from exc

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for i, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.conn:
                self.conn.executescript("BEGIN;" + script + f";PRAGMA user_version={i};COMMIT;")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- inputs -------------------------------------------------------------------------------------------------
    def record_input(self, rec: InputRecord) -> None:
        seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM inputs").fetchone()[0]
        self.conn.execute(
            "INSERT INTO inputs(path, status, reason, article_id, seq) VALUES (?,?,?,?,?) "
            "ON CONFLICT(path) DO UPDATE SET status=excluded.status, reason=excluded.reason, article_id=excluded.article_id",
            (rec.path, rec.status, rec.reason, rec.article_id, seq))

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

    def add_article(self, art: Article, minhash: bytes | None = None) -> None:
        b = art.published_bounds
        self.conn.execute(
            f"INSERT OR IGNORE INTO articles({_ARTICLE_COLS}, minhash) VALUES ({','.join('?' * 18)})",
            (art.id, art.source, art.title, art.outlet, art.url,
             art.published.isoformat() if art.published else None,
             b[0].isoformat() if b and b[0] else None, b[1].isoformat() if b and b[1] else None,
             art.published_basis, art.author, art.genre, art.text,
             json.dumps([[r.text, r.reason] for r in art.removed], ensure_ascii=False),
             json.dumps([[e.field, e.value, e.basis] for e in art.evidence], ensure_ascii=False),
             art.encoding, art.story_id, art.duplicate_of, minhash))

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

    def put_facts(self, article_id: str, version: str, data: dict[str, Any], passages: Iterable[dict[str, Any]] = ()) -> None:
        self.conn.execute("INSERT OR REPLACE INTO facts(article_id, version, data) VALUES (?,?,?)",
                          (article_id, version, json.dumps(data, ensure_ascii=False, sort_keys=True)))
        self.conn.execute("DELETE FROM passages WHERE article_id=?", (article_id,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO passages(id, article_id, kind, start, end, text, speaker) VALUES (?,?,?,?,?,?,?)",
            [(p["id"], article_id, p["kind"], p["start"], p["end"], p["text"], p.get("speaker")) for p in passages])

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

    def corpus(self, kind: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT data FROM corpus WHERE kind=?", (kind,)).fetchone()
        return json.loads(row[0]) if row else default

    def commit(self) -> None:
        self.conn.commit()

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


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
