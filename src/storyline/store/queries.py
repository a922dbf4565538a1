"""Read-only queries for the web app and the JSON API, fast on a store of tens of thousands of articles.

Lists never load article bodies (only a short prefix), pages use the existing indexes (published, story, outlet,
rowid), and corpus documents (entities, relations, stories …), which can be megabytes of JSON, are parsed once and
cached until the stored document changes.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from .sqlite import Store, fts_query

SUMMARY_COLS = ("a.rowid AS rowid, a.id, a.source, a.title, a.outlet, a.url, a.published, a.bounds_earliest, "
                "a.bounds_latest, a.published_basis, a.author, a.genre, a.story_id, a.duplicate_of, "
                "length(a.text) AS chars, substr(a.text, 1, 280) AS lead")
# Private-use markers for FTS snippets: the page escapes the snippet, then turns only these into <mark>.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"

_cache_lock = threading.Lock()
_corpus_cache: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}


def _summary(row: Any) -> dict[str, Any]:
    d = dict(row)
    lo, hi = d.pop("bounds_earliest"), d.pop("bounds_latest")
    d["published_bounds"] = [lo, hi] if (lo or hi) else None
    return d


def corpus_cached(store: Store, kind: str, default: Any = None) -> Any:
    """``store.corpus(kind)``, parsed once per change: keyed on the document's version and length."""
    row = store.conn.execute("SELECT version, length(data) FROM corpus WHERE kind=?", (kind,)).fetchone()
    if row is None:
        return default
    key, stamp = (store.path, kind), (row[0], row[1])
    with _cache_lock:
        hit = _corpus_cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    data = store.corpus(kind, default)
    with _cache_lock:
        _corpus_cache[key] = (stamp, data)
    return data


def counts(store: Store) -> dict[str, int]:
    c = store.conn.execute("SELECT COUNT(*), COUNT(DISTINCT outlet), SUM(duplicate_of IS NOT NULL) FROM articles").fetchone()
    return {"articles": c[0], "outlets": c[1], "duplicates": c[2] or 0}


def recent_articles(store: Store, limit: int, offset: int = 0, *, story_id: str | None = None,
                    outlet: str | None = None) -> list[dict[str, Any]]:
    """Newest first by stated date (undated last), then by insertion; served from the ``published`` index."""
    where, params = [], []
    if story_id:
        where.append("a.story_id = ?")
        params.append(story_id)
    if outlet:
        where.append("a.outlet = ?")
        params.append(outlet)
    sql = (f"SELECT {SUMMARY_COLS} FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''} "
           "ORDER BY a.published DESC, a.rowid DESC LIMIT ? OFFSET ?")
    return [_summary(r) for r in store.conn.execute(sql, (*params, limit, offset))]


def count_articles(store: Store, *, story_id: str | None = None) -> int:
    if story_id:
        return store.conn.execute("SELECT COUNT(*) FROM articles WHERE story_id=?", (story_id,)).fetchone()[0]
    return store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def articles_after(store: Store, limit: int, *, after: int | None = None, offset: int = 0) -> tuple[list[dict[str, Any]], int | None]:
    """Insertion order with a keyset cursor (the last rowid seen): stable while ``analyze`` appends, O(limit) deep."""
    if after is not None:
        rows = store.conn.execute(f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.rowid > ? ORDER BY a.rowid LIMIT ?",
                                  (after, limit + 1)).fetchall()
    else:
        rows = store.conn.execute(f"SELECT {SUMMARY_COLS} FROM articles a ORDER BY a.rowid LIMIT ? OFFSET ?",
                                  (limit + 1, offset)).fetchall()
    items = [_summary(r) for r in rows[:limit]]
    return items, (items[-1]["rowid"] if len(rows) > limit and items else None)


def articles_by_ids(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Summaries for ``ids`` in the given order (missing ids skipped); at most 500 per call."""
    ids = ids[:500]
    if not ids:
        return []
    rows = store.conn.execute(f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.id IN ({','.join('?' * len(ids))})", ids)
    found = {r["id"]: _summary(r) for r in rows}
    return [found[i] for i in ids if i in found]


def search_articles(store: Store, q: str, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """FTS5 over titles and bodies, best first, with a snippet whose highlights are private-use markers."""
    fq = fts_query(q)
    if not fq:
        return []
    rows = store.conn.execute(
        f"SELECT {SUMMARY_COLS}, snippet(articles_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 24) AS snippet "
        "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? "
        "ORDER BY bm25(articles_fts) LIMIT ? OFFSET ?", (fq, limit, offset))
    return [_summary(r) for r in rows]


def _enrich_passages(store: Store, rows: list[Any]) -> list[dict[str, Any]]:
    """Passage hits → the stored claim objects they came from (one facts parse per article), plus article meta."""
    facts: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["article_id"] not in facts:
            facts[r["article_id"]] = store.facts(r["article_id"]) or {}
    meta = {a["id"]: a for a in articles_by_ids(store, list(facts))}
    out = []
    for r in rows:
        claim = next((c for c in facts[r["article_id"]].get("claims", []) if c.get("start") == r["start"] and c.get("end") == r["end"]),
                     None)
        item = dict(claim) if claim else {"id": r["id"], "article_id": r["article_id"], "start": r["start"], "end": r["end"],
                                          "text": r["text"], "speaker": r["speaker"]}
        art = meta.get(r["article_id"], {})
        item["article"] = {k: art.get(k) for k in ("id", "title", "outlet", "published", "published_bounds", "source")}
        out.append(item)
    return out


def search_claims(store: Store, q: str | None, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """Claims matching ``q`` (any word, best first), or all claims in insertion order when ``q`` is empty."""
    if q and q.strip():
        fq = fts_query(q, any_term=True)
        if not fq:
            return []
        rows = store.conn.execute(
            "SELECT p.id, p.article_id, p.start, p.end, p.text, p.speaker FROM passages_fts "
            "JOIN passages p ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ? AND p.kind = 'claim' "
            "ORDER BY bm25(passages_fts) LIMIT ? OFFSET ?", (fq, limit, offset)).fetchall()
    else:
        rows = store.conn.execute("SELECT id, article_id, start, end, text, speaker FROM passages WHERE kind='claim' "
                                  "ORDER BY rowid LIMIT ? OFFSET ?", (limit, offset)).fetchall()
    return _enrich_passages(store, rows)


def relations_for(store: Store, claim_ids: set[str]) -> list[dict[str, Any]]:
    if not claim_ids:
        return []
    return [r for r in corpus_cached(store, "relations", []) or [] if claim_ids & set(r.get("claim_ids") or [])]


def stories(store: Store) -> list[dict[str, Any]]:
    return list(corpus_cached(store, "stories", []) or [])


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    return next((s for s in stories(store) if s.get("id") == story_id), None)


def entity(store: Store, entity_id: str) -> dict[str, Any] | None:
    """A canonical entity from the corpus stage, else a per-article one found in the stored facts."""
    for e in corpus_cached(store, "entities", []) or []:
        if e.get("id") == entity_id:
            return e
    # instr() narrows the scan to facts that mention the id at all before any JSON is parsed.
    for row in store.conn.execute("SELECT article_id, data FROM facts WHERE instr(data, ?) > 0 LIMIT 20", (f'"{entity_id}"',)):
        for e in json.loads(row[1]).get("entities", []):
            if e.get("id") == entity_id:
                return {**e, "article_ids": e.get("article_ids") or [row[0]]}
    return None


def entity_mentions(store: Store, ent: dict[str, Any], max_articles: int = 50) -> dict[str, list[dict[str, Any]]]:
    """Quotes spoken by and claims attributed to an entity, from the first ``max_articles`` of its articles."""
    names = {ent.get("name"), *(ent.get("aliases") or [])} - {None}
    quotes, claims = [], []
    for aid in (ent.get("article_ids") or [])[:max_articles]:
        facts = store.facts(aid) or {}
        quotes += [q for q in facts.get("quotes", []) if q.get("speaker_entity_id") == ent.get("id") or q.get("speaker") in names]
        claims += [c for c in facts.get("claims", []) if c.get("speaker") in names]
    return {"quotes": quotes, "claims": claims}
