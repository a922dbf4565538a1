"""The store → analysis.json (docs/contract.md): every list sorted stably so the same store gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..store import Store
from ..xdoc.entities import link_speakers

CONTRACT_KEYS = ("articles", "entities", "quotes", "claims", "quantities", "stories", "timeline", "relations", "sources", "inputs")


def _per_article_entities(store: Store) -> list[dict[str, Any]]:
    """Fallback before the corpus stage has run: per-article entities as they are."""
    out = []
    for aid, facts in store.all_facts():
        for e in facts.get("entities", []):
            out.append({**e, "article_ids": e.get("article_ids") or [aid]})
    return out


def build_analysis(store: Store) -> dict[str, Any]:
    articles = []
    for art in store.articles():
        d = art.to_json()
        d["removed"] = [{"text": r.text, "reason": r.reason} for r in art.removed]
        d["evidence"] = [{"field": e.field, "value": e.value, "basis": e.basis} for e in art.evidence]
        articles.append(d)
    quotes: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    quantities: list[dict[str, Any]] = []
    times: list[dict[str, Any]] = []
    for aid, facts in store.all_facts():
        quotes.extend(facts.get("quotes", []))
        claims.extend(facts.get("claims", []))
        quantities.extend(facts.get("quantities", []))
        times.extend({**t, "article_id": aid} for t in facts.get("times", []))
    entities = store.corpus("entities") or _per_article_entities(store)
    link_speakers(quotes, entities)     # speaker_corpus_id, speaker_affiliation_corpus_id
    analysis = {
        "articles": articles,
        "entities": entities,
        "quotes": quotes,
        "claims": claims,
        "quantities": quantities,
        "stories": store.corpus("stories", []),
        "timeline_summary": store.corpus("timeline_summary", []),
        "timeline": store.corpus("timeline", []),
        "relations": store.corpus("relations", []),
        "series": store.corpus("series", []),
        "key_claims": store.corpus("key_claims", []),
        "sources": store.corpus("sources", []),
        "inputs": [{"path": r.path, "status": r.status, "reason": r.reason, "article_id": r.article_id} for r in store.inputs()],
        "times": times,
    }
    return analysis


def write_analysis(analysis: dict[str, Any], out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "analysis.json"
    tmp = path.with_suffix(".json.tmp")
    try:
        tmp.write_text(json.dumps(analysis, ensure_ascii=False, indent=1, sort_keys=False), encoding="utf-8")
        tmp.replace(path)
    except BaseException:       # disk full, read-only, interrupted: no half-written file left behind
        tmp.unlink(missing_ok=True)
        raise
    return path
