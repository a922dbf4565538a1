"""Timeline: what happened when, merged across sources, ordered by when it happened (not when it was reported).

An event is a dated claim: its ``event_date`` from the claim stage (``date_basis`` is the claim's ``time_basis``:
"stated" for a date the text names outright, "resolved" for a relative one resolved against the publication date,
"inferred" for one resolved against an undated article's bounds); failing that, a time expression of day precision in
the claim's own sentence ("said a joint statement … on Wednesday"); failing that, for an article's headline claim, the
article's date (both ``date_basis: inferred``: the event may be a day older, or the sentence's date another event's).
Claims about the same thing on the same date — aligned into one proposition, or sharing predicate and subject —
become one event that lists every source; copies of one article count once. Durations, sets and clock times are
never dates here (``calendar_ref``), and a date years before the article's (``historic``: "founded in 1876") is
background, not an event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..model import shape_precision
from ..nlp.entities.lexicon import norm_key
from ..nlp.numbers.timex_values import calendar_ref, is_historic
from .align import ClaimRef, Proposition
from .view import CorpusView, DocView

# The fact keys this stage reads, by kind of fact: the corpus view holds only declared keys (xdoc/fact_rows.py).
READS = {"claims": ("id", "start", "text", "subject", "predicate", "modality", "speaker", "event_date",
                    "event_date_precision", "time_basis"),
         "times": ("start", "value", "type", "historic", "interval")}

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_BASIS_RANK = {"stated": 0, "resolved": 1, "inferred": 2}
_SKIP_PREDICATES = {"say", "tell", "add", "note", "be", "have", "come", "mark"}


def _sentence_time(doc: DocView, claim: dict[str, Any]) -> tuple[str, str] | None:
    span = doc.sentence_at(claim["start"])
    if span is None:
        return None
    best = None
    for t in doc.facts.get("times", ()):
        if t.get("historic") or not span[0] <= t["start"] < span[1]:
            continue
        cal = calendar_ref(t.get("value"), t.get("type"), t.get("interval"))   # DATE/TIME only, never a duration
        if cal and cal[1] == "day":
            dist = abs(t["start"] - claim["start"])
            if best is None or dist < best[0]:
                best = (dist, cal[0], cal[1])
    return (best[1], best[2]) if best else None


def _ref_date(doc: DocView) -> date | None:
    """The article's date, or the earliest it can be: a claim dated years before it is background, not news."""
    return doc.published or (doc.bounds[0] if doc.bounds else None)


def _event_date(doc: DocView, claim: dict[str, Any], is_title: bool) -> tuple[str, str, str] | None:
    """(date, precision, basis) for a claim, or None when nothing dates it."""
    if claim.get("event_date") and not is_historic(claim["event_date"], _ref_date(doc)):
        prec = claim.get("event_date_precision") or shape_precision(claim["event_date"])
        # facts stored before claims carried a time_basis said "stated" for every claim date
        return claim["event_date"], prec, claim.get("time_basis") or "stated"
    st = _sentence_time(doc, claim)
    if st:
        return st[0], st[1], "inferred"
    if is_title and doc.published:
        return doc.published.isoformat(), "day", "inferred"
    return None


def build_timeline(view: CorpusView, refs: dict[str, ClaimRef], props: list[Proposition],
                   max_per_article: int = 40) -> list[dict[str, Any]]:
    prop_of = {cid: p.id for p in props for cid in p.claim_ids}
    events: dict[tuple[str, str, str], dict[str, Any]] = {}
    for doc in view.docs:
        claims = doc.claims()
        title_end = len(doc.title) + 2 if doc.title else 0
        taken = 0
        for c in claims:
            if taken >= max_per_article:
                break
            pred = (c.get("predicate") or "").lower()
            dated = _event_date(doc, c, c.get("start", 0) < title_end)
            if dated is None or (pred in _SKIP_PREDICATES and c["id"] not in prop_of):
                continue
            taken += 1
            value, prec, basis = dated
            ref = refs.get(c["id"])
            subject = (ref.subject if ref and ref.subject else norm_key(c.get("subject") or ""))
            topic = f"{prop_of[c['id']]}|{ref.stance if ref else 1}" if c["id"] in prop_of else f"{pred}|{subject}"
            key = (value, prec, topic)
            ev = events.get(key)
            if ev is None:
                ev = events[key] = {"date": value, "precision": prec, "claims": [], "basis": basis}
            ev["claims"].append((doc, c))
            if _BASIS_RANK.get(basis, 9) < _BASIS_RANK.get(ev["basis"], 9):
                ev["basis"] = basis         # the event is as firmly dated as its best-dated claim
    out = [_emit(ev) for ev in events.values()]
    out.sort(key=lambda e: (e["date"], _PRECISION_RANK.get(e["precision"], 3), e["summary"]))
    return out


def _emit(ev: dict[str, Any]) -> dict[str, Any]:
    pairs = ev["claims"]
    # The summary comes from a news report stating the event as fact, earliest first, shortest text on ties.
    def rank(pc: tuple[DocView, dict[str, Any]]) -> tuple[int, int, str, int]:
        d, c = pc
        return (0 if c.get("modality") == "asserted" else 1, 0 if d.genre in ("news", "unknown") else 1,
                (d.published.isoformat() if d.published else "9999"), len(c.get("text", "")))
    doc, claim = min(pairs, key=rank)
    summary = " ".join(claim.get("text", "").split())
    if claim.get("speaker") and claim["speaker"].lower() not in summary.lower():
        summary = f"{claim['speaker']}: {summary}"
    sources: dict[str, DocView] = {}
    for d, _c in pairs:
        sources.setdefault(d.duplicate_of or d.id, d)
    modalities = sorted({c.get("modality") or "asserted" for _d, c in pairs})
    return {"date": ev["date"], "precision": ev["precision"], "summary": summary,
            "claim_ids": [c["id"] for _d, c in pairs], "article_ids": list(dict.fromkeys(d.id for d, _c in pairs)),
            "outlets": sorted({d.outlet for d, _c in pairs}), "sources": len(sources), "modality": modalities,
            "date_basis": ev["basis"]}

