"""Schema and migrations. Each migration is applied once, in order, inside a transaction; `user_version` records
how far a store has come, so an old store is upgraded in place rather than rebuilt."""

from __future__ import annotations

# A read-only reader (the web app, the claim check) needs only what migration 1 made; later migrations add tables
# that only the writer uses, so a store from an older version stays readable without an upgrade.
READABLE_FROM = 1

MIGRATIONS: list[str] = [
    # 1: articles, inputs, per-article facts, corpus results, full-text search
    """
    CREATE TABLE inputs (
        path TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('ok', 'duplicate', 'failed', 'skipped')),
        reason TEXT NOT NULL DEFAULT '',
        article_id TEXT,
        seq INTEGER NOT NULL
    );
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        title TEXT, outlet TEXT, url TEXT,
        published TEXT, bounds_earliest TEXT, bounds_latest TEXT, published_basis TEXT,
        author TEXT, genre TEXT NOT NULL DEFAULT 'unknown',
        text TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        evidence TEXT NOT NULL DEFAULT '[]',
        encoding TEXT,
        story_id TEXT, duplicate_of TEXT,
        minhash BLOB
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_story ON articles(story_id);
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid',
                                                 tokenize='porter unicode61');
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TABLE facts (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE passages (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        article_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        start INTEGER NOT NULL, end INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT
    );
    CREATE INDEX passages_article ON passages(article_id);
    CREATE VIRTUAL TABLE passages_fts USING fts5(text, content='passages', content_rowid='rowid', tokenize='porter unicode61');
    CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TABLE corpus (
        kind TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    # 2: sentence vectors computed by the per-article workers (the story clustering's lead embeddings), keyed by a
    # hash of the exact text embedded so a changed lead definition is detected and recomputed, never misused
    """
    CREATE TABLE vectors (
        article_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (article_id, kind)
    );
    """,
]
