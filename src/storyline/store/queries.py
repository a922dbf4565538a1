"""Read-only queries for the web app and the JSON API, fast on a store of tens of thousands of articles.

Lists never load article bodies (only a short prefix), pages use the existing indexes (published, story, outlet,
rowid), and corpus documents (entities, relations, stories …), which can be megabytes of JSON, are parsed once and
cached until the stored document changes.
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any

from .sqlite import Store, fts_query

SUMMARY_COLS = ("a.rowid AS rowid, a.id, a.source, a.title, a.outlet, a.url, a.published, a.bounds_earliest, "
                "a.bounds_latest, a.published_basis, a.author, a.genre, a.story_id, a.duplicate_of, "
                "length(a.text) AS chars, substr(a.text, 1, 280) AS lead, "
                # the language lives in the evidence list (``Article.language``), not in a column of its own
                "(SELECT json_extract(e.value, '$[1]') FROM json_each(a.evidence) e "
                "WHERE json_extract(e.value, '$[0]') = 'language' LIMIT 1) AS language")
# Private-use markers for FTS snippets: the page escapes the snippet, then turns only these into <mark>.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"

RANK_LIMIT = 5000          # above this many matches, newest first instead of bm25 over every match
_WORD = re.compile(r"\w+", re.UNICODE)
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


def counts(store: Store, max_age: float = 10.0) -> dict[str, int]:
    """Corpus totals for the start page. Counting duplicates reads every row (no index on duplicate_of), so the
    result is cached per store until an article is added or ``max_age`` seconds pass."""
    stamp = store.conn.execute("SELECT MAX(rowid) FROM articles").fetchone()[0]
    key = (store.path, "_counts")
    now = time.monotonic()
    with _cache_lock:
        hit = _corpus_cache.get(key)
    if hit and hit[0] == (stamp,) and now - hit[1][0] < max_age:
        return hit[1][1]
    c = store.conn.execute("SELECT COUNT(*), COUNT(DISTINCT outlet), SUM(duplicate_of IS NOT NULL) FROM articles").fetchone()
    out = {"articles": c[0], "outlets": c[1], "duplicates": c[2] or 0}
    with _cache_lock:
        _corpus_cache[key] = ((stamp,), (now, out))
    return out


def recent_articles(store: Store, limit: int, offset: int = 0, *, story_id: str | None = None,
                    outlet: str | None = None) -> list[dict[str, Any]]:
    """Newest first by stated date (undated last), then by insertion. Two steps: order and page on (published,
    rowid) alone — from the ``published`` index, or the story/outlet index — then read summaries of just that page."""
    where, params = [], []
    if story_id:
        where.append("story_id = ?")
        params.append(story_id)
    if outlet:
        where.append("outlet = ?")
        params.append(outlet)
    rowids = [r[0] for r in store.conn.execute(
        f"SELECT rowid FROM articles {'WHERE ' + ' AND '.join(where) if where else ''} "
        "ORDER BY published DESC, rowid DESC LIMIT ? OFFSET ?", (*params, limit, offset))]
    return _by_rowids(store, rowids)


def _by_rowids(store: Store, rowids: list[int]) -> list[dict[str, Any]]:
    if not rowids:
        return []
    rows = store.conn.execute(f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.rowid IN ({','.join('?' * len(rowids))})", rowids)
    found = {r["rowid"]: r for r in rows}
    return [_summary(found[r]) for r in rowids if r in found]


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
        # OFFSET over the table walks every page of article text before it; when rowids have no gaps (articles are
        # never deleted) the row at position ``offset`` is simply MIN(rowid) + offset, an O(log n) seek.
        # (three statements: combined, SQLite would lose its MIN/MAX shortcut and scan)
        lo = store.conn.execute("SELECT MIN(rowid) FROM articles").fetchone()[0]
        hi = store.conn.execute("SELECT MAX(rowid) FROM articles").fetchone()[0]
        n = store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        if n and hi - lo + 1 == n:
            rows = store.conn.execute(f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.rowid >= ? ORDER BY a.rowid LIMIT ?",
                                      (lo + offset, limit + 1)).fetchall()
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


def make_snippet(text: str, q: str, width: int = 220) -> str:
    """A window of ``text`` around the first query word, words marked with the private-use markers. Done here
    rather than with FTS5 ``snippet()``, which SQLite would compute for every match before sorting."""
    terms = sorted({w for w in _WORD.findall(q.lower()) if len(w) > 1}, key=len, reverse=True)[:32]
    if not terms:
        return text[:width]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    m = pattern.search(text)
    start = max(0, (m.start() if m else 0) - width // 3)
    window = text[start:start + width]
    marked = pattern.sub(lambda mm: MARK_OPEN + mm.group(0) + MARK_CLOSE, window)
    return ("…" if start else "") + " ".join(marked.split()) + ("…" if start + width < len(text) else "")


def _match_rowids(store: Store, table: str, fq: str, limit: int, offset: int, claims_only: bool = False) -> tuple[list[int], bool]:
    """Rowids of FTS matches, best first when there are few enough to rank (bm25 scores every match), else newest
    first, which FTS5 streams: a one-word query matching most of 20k articles stays as fast as a rare one."""
    n = store.conn.execute(f"SELECT COUNT(*) FROM {table}_fts WHERE {table}_fts MATCH ?", (fq,)).fetchone()[0]
    if n == 0:
        return [], True
    ranked = n <= RANK_LIMIT
    join = f"JOIN passages p ON p.rowid = {table}_fts.rowid AND p.kind = 'claim'" if claims_only else ""
    order = f"bm25({table}_fts)" if ranked else f"{table}_fts.rowid DESC"
    rows = store.conn.execute(f"SELECT {table}_fts.rowid FROM {table}_fts {join} WHERE {table}_fts MATCH ? "
                              f"ORDER BY {order} LIMIT ? OFFSET ?", (fq, limit, offset))
    return [r[0] for r in rows], ranked


def search_articles(store: Store, q: str, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """Articles containing every word of ``q`` (FTS5), best first, each with a highlighted ``snippet``."""
    fq = fts_query(q)
    if not fq:
        return []
    rowids, ranked = _match_rowids(store, "articles", fq, limit, offset)
    if not rowids:
        return []
    rows = store.conn.execute(f"SELECT {SUMMARY_COLS}, a.text FROM articles a WHERE a.rowid IN ({','.join('?' * len(rowids))})",
                              rowids).fetchall()
    by_rowid = {r["rowid"]: r for r in rows}
    out = []
    for rid in rowids:
        if rid in by_rowid:
            d = _summary(by_rowid[rid])
            d["snippet"] = make_snippet(d.pop("text") or "", q)
            d["ranked"] = ranked
            out.append(d)
    return out


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
    """Claims containing every word of ``q`` (any word when none has all), best first; all claims when ``q`` is empty."""
    cols = "SELECT rowid AS rid, id, article_id, start, end, text, speaker FROM passages"
    if not (q and q.strip()):
        rows = store.conn.execute(f"{cols} WHERE kind='claim' ORDER BY rowid LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return _enrich_passages(store, rows)
    rowids: list[int] = []
    for fq in dict.fromkeys((fts_query(q), fts_query(q, any_term=True))):
        if fq and not rowids:
            rowids, _ = _match_rowids(store, "passages", fq, limit, offset, claims_only=True)
    rank = {rid: i for i, rid in enumerate(rowids)}
    rows = store.conn.execute(f"{cols} WHERE rowid IN ({','.join('?' * len(rowids))})", rowids).fetchall() if rowids else []
    return _enrich_passages(store, sorted(rows, key=lambda r: rank[r["rid"]]))


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


def entity_mentions(store: Store, ent: dict[str, Any], max_articles: int = 25) -> dict[str, list[dict[str, Any]]]:
    """Quotes spoken by and claims attributed to an entity, from the first ``max_articles`` of its articles."""
    names = {ent.get("name"), *(ent.get("aliases") or [])} - {None}
    quotes, claims = [], []
    for aid in (ent.get("article_ids") or [])[:max_articles]:
        facts = store.facts(aid) or {}
        quotes += [q for q in facts.get("quotes", []) if q.get("speaker_entity_id") == ent.get("id") or q.get("speaker") in names]
        claims += [c for c in facts.get("claims", []) if c.get("speaker") in names]
    return {"quotes": quotes, "claims": claims}
