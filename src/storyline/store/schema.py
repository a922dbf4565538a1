"""Schema and migrations. Each migration is applied once, in order, inside a transaction; `user_version` records
how far a store has come, so an old store is upgraded in place rather than rebuilt."""

from __future__ import annotations

# A read-only reader (the web app, the claim check) needs only what migration 1 made; later migrations add tables
# that only the writer uses, so a store from an older version stays readable without an upgrade.
READABLE_FROM = 1


def _facts_view(name: str, fields: str, *, passage: bool) -> str:
    """A view with one row per fact of one kind in the facts JSON (claims, quotes, quantities): the article's id,
    outlet and date, the fact's span and text, its ``fields``, and (``passage``) the rowid of the passage it is."""
    cols = ", ".join(f"json_extract(j.value, '$.{f}') AS {f}" for f in fields.split())
    link = (", (SELECT p.rowid FROM passages p WHERE p.article_id = f.article_id AND p.start = "
            "json_extract(j.value, '$.start') AND p.end = json_extract(j.value, '$.end')) AS passage_rowid"
            if passage else "")
    return (f"DROP VIEW IF EXISTS {name};\nCREATE VIEW {name} AS SELECT json_extract(j.value, '$.id') AS id, "
            "f.article_id AS article_id, a.outlet AS outlet, a.published AS published, "
            "json_extract(j.value, '$.start') AS start, json_extract(j.value, '$.end') AS \"end\", "
            f"json_extract(j.value, '$.text') AS text, {cols}{link} "
            f"FROM facts f JOIN articles a ON a.id = f.article_id, json_each(f.data, '$.{name}') j;\n")


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
    # 3: datasette / sqlite-utils ready. FTS tables declared with content="articles" (double quotes: the form
    # datasette and sqlite-utils recognise as "this table is searchable through that one") and rebuilt; corpus
    # documents as TEXT JSON (they were BLOBs, shown as "<Binary: … bytes>"); views that flatten the facts JSON into
    # rows: claims, quotes, quantities, article_entities (per article) and entities (the cross-article list).
    # Every statement tolerates a store that already has it (a test winds user_version back).
    """
    DROP TRIGGER IF EXISTS articles_ai;
    DROP TRIGGER IF EXISTS articles_ad;
    DROP TABLE IF EXISTS articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content="articles", content_rowid="rowid",
                                                 tokenize='porter unicode61');
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    DROP TRIGGER IF EXISTS passages_ai;
    DROP TRIGGER IF EXISTS passages_ad;
    DROP TABLE IF EXISTS passages_fts;
    CREATE VIRTUAL TABLE passages_fts USING fts5(text, content="passages", content_rowid="rowid",
                                                 tokenize='porter unicode61');
    INSERT INTO passages_fts(passages_fts) VALUES ('rebuild');
    CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    UPDATE corpus SET data = CAST(data AS TEXT) WHERE typeof(data) = 'blob';
    """ + _facts_view("claims", "subject predicate object polarity modality hedged speaker quote_id event_date "
                    "event_date_precision", passage=True)
    + _facts_view("quotes", "speaker speaker_entity_id cue direct medium", passage=True)
    + _facts_view("quantities", "value low high approximate unit counted location as_of", passage=False) + """
    DROP VIEW IF EXISTS article_entities;
    CREATE VIEW article_entities AS
    SELECT json_extract(j.value, '$.id') AS id, f.article_id AS article_id, json_extract(j.value, '$.name') AS name,
           json_extract(j.value, '$.type') AS type,
           CASE json_type(j.value, '$.mentions') WHEN 'array' THEN json_array_length(j.value, '$.mentions')
                ELSE json_extract(j.value, '$.mentions') END AS mentions
    FROM facts f, json_each(f.data, '$.entities') j;
    DROP VIEW IF EXISTS entities;
    CREATE VIEW entities AS
    SELECT json_extract(j.value, '$.id') AS id, json_extract(j.value, '$.name') AS name,
           json_extract(j.value, '$.type') AS type, json_extract(j.value, '$.mentions') AS mentions,
           json_array_length(j.value, '$.article_ids') AS article_count,
           json_extract(j.value, '$.aliases') AS aliases, json_extract(j.value, '$.article_ids') AS article_ids
    FROM corpus c, json_each(c.data) j WHERE c.kind = 'entities';
    """,
    # 4: passages are indexed for full-text search by ``Store.put_facts``, one INSERT … SELECT per article, instead of
    # a trigger per row: the same index, at a quarter of the cost (the trigger made FTS5 ~2.8 s of CPU per 1,000 T17
    # articles' 123,520 passages, the set insert ~0.8 s; issue 17). Deleting a passage still updates the index by
    # trigger (``passages_ad``).
    """
    DROP TRIGGER IF EXISTS passages_ai;
    """,
]
