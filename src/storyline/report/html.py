"""analysis.json → one self-contained report.html (inline CSS and SVG, no script, no network).

The view is built from the facts alone, so it renders whatever stages have run: an empty list becomes a short
"nothing found" note rather than a missing section. Every string from an article goes through Jinja's autoescape.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..meta.language import english_only_skip
from .charts import fmt_number, focus_window, numbers_chart, outlet_styles, parse_partial, shape_points, timeline_chart
from .matrix import claim_matrix

RELATION_LABELS = {
    "contradiction": "Contradiction", "numeric_conflict": "Numeric conflict", "superseded": "Superseded",
    "change_over_time": "Change over time", "agreement": "Agreement",
}
RELATION_ORDER = ("contradiction", "numeric_conflict", "superseded", "change_over_time", "agreement")
RELATION_PLURALS = {"contradiction": ("contradiction", "contradictions"), "numeric_conflict": ("numeric conflict", "numeric conflicts"),
                    "superseded": ("superseded statement", "superseded statements"),
                    "change_over_time": ("change over time", "changes over time")}


def make_env(package: str = "storyline.report") -> Environment:
    """Autoescape on for every template (also ``.svg``/``.txt`` fragments): article text is hostile by default."""
    env = Environment(loader=PackageLoader(package, "templates"), autoescape=select_autoescape(default=True,
                      default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = fmt_number
    env.globals["shape_points"] = shape_points
    return env


def outlet_of(article: dict[str, Any]) -> str:
    """The outlet's name, else the host of its URL, else its file name: articles of unknown outlets are kept apart
    (one 'unknown' column would merge sources that may disagree with each other)."""
    if article.get("outlet"):
        return str(article["outlet"])
    for src in (article.get("url"), article.get("source")):
        m = re.match(r"[a-z]+://([^/#?]+)", str(src or ""))
        if m:
            return m.group(1).removeprefix("www.")
    name = Path(str(article.get("source") or "")).stem
    return f"? {name[:16]}" if name else "unknown outlet"


def article_title(article: dict[str, Any]) -> str:
    if article.get("title"):
        return str(article["title"])
    return Path(str(article.get("source") or article.get("id") or "untitled")).name or "untitled"


def date_label(article: dict[str, Any]) -> tuple[str, str]:
    """(label, basis): the stated date, else the inferred window and why, else 'undated'."""
    if article.get("published"):
        return str(article["published"]), str(article.get("published_basis") or "stated")
    b = article.get("published_bounds")
    if b and (b[0] or b[1]):
        lo, hi = b[0] or "?", b[1] or "?"
        return (f"between {lo} and {hi}" if lo != hi else str(lo)), str(article.get("published_basis") or "inferred")
    return "undated", ""


def article_day(article: dict[str, Any]) -> date | None:
    """One day to place an article on a time axis: its date, else the middle of its inferred window."""
    if article.get("published"):
        p = parse_partial(article["published"])
        return p[0] if p else None
    b = article.get("published_bounds")
    if b and b[0] and b[1]:
        lo, hi = parse_partial(b[0]), parse_partial(b[1])
        if lo and hi:
            return lo[0] + timedelta(days=(hi[1] - lo[0]).days // 2)
    return None


def context(text: str, start: int, end: int, width: int = 180) -> dict[str, str]:
    """The passage around a span, cut at sentence edges: {before, span, after} for side-by-side display."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before = text[max(0, start - width):start]
    cut = max(before.rfind(". "), before.rfind("\n"))
    before = before[cut + 1:].lstrip() if cut >= 0 else ("…" + before if start > width else before)
    after = text[end:end + width]
    stop = min([i for i in (after.find(". "), after.find("\n")) if i >= 0], default=-1)
    after = after[:stop + 1] if stop >= 0 else (after + "…" if end + width < len(text) else after)
    return {"before": before, "span": text[start:end], "after": after}


def _truncate(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _timeline_summary(analysis: dict[str, Any], art_by_id: dict[str, Any]) -> list[dict[str, Any]]:
    """The summarised timeline (``timeline_summary``): per chosen date its sentences, each linked to its article."""
    out = []
    for e in analysis.get("timeline_summary") or []:
        sources = e.get("sentence_sources") or [{} for _ in e.get("sentences") or []]
        sents = []
        for text, src in zip(e.get("sentences") or [], sources, strict=False):
            aid = src.get("article_id")
            art = art_by_id.get(aid) if aid else None
            sents.append({"text": _truncate(str(text), 400), "id": aid if art else None,
                          "outlet": outlet_of(art) if art else (src.get("outlet") or ""),
                          "date": (art.get("published") if art else src.get("published")) or "undated"})
        arts = [a for a in e.get("article_ids") or [] if a in art_by_id]
        out.append({"date": str(e.get("label") or e.get("date") or ""), "sentences": sents,
                    "outlets": list(e.get("outlets") or []), "count": len(e.get("article_ids") or []),
                    "links": [{"id": a, "outlet": outlet_of(art_by_id[a])} for a in arts[:8]],
                    "more": max(len(arts) - 8, 0)})
    return out


def _timeline_events(analysis: dict[str, Any], art_by_id: dict[str, Any], claims_by_id: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """Events from the timeline stage, else from dated claims, else from publication dates (and say which)."""
    raw, basis = analysis.get("timeline") or [], "timeline"
    if not raw:
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for c in analysis.get("claims") or []:
            if c.get("event_date"):
                g = groups.setdefault((c["event_date"], c.get("event_date_precision") or ""),
                                      {"date": c["event_date"], "precision": c.get("event_date_precision"),
                                       "summary": c.get("text", ""), "claim_ids": [], "article_ids": []})
                g["claim_ids"].append(c.get("id"))
                if c.get("article_id") not in g["article_ids"]:
                    g["article_ids"].append(c.get("article_id"))
        raw, basis = list(groups.values()), "claims"
    if not raw:
        raw = [{"date": a.get("published"), "precision": "day", "summary": f"Published: {article_title(a)}",
                "article_ids": [a["id"]], "claim_ids": []} for a in art_by_id.values() if a.get("published")]
        basis = "publication dates"
    events = []
    for ev in raw:
        parsed = parse_partial(ev.get("date"))
        if not parsed:
            continue
        start, end, precision = parsed
        precision = ev.get("precision") if ev.get("precision") in ("day", "month", "year") else precision
        outlets = list(dict.fromkeys(outlet_of(art_by_id[a]) for a in ev.get("article_ids") or [] if a in art_by_id))
        claims = [claims_by_id[c] for c in ev.get("claim_ids") or [] if c in claims_by_id]
        events.append({"start": start, "end": end, "precision": precision, "date_label": str(ev.get("date")),
                       "label": _truncate(str(ev.get("summary") or (claims[0].get("text") if claims else "")), 160),
                       "outlets": outlets, "links": [{"id": a, "outlet": outlet_of(art_by_id[a])}
                                                     for a in ev.get("article_ids") or [] if a in art_by_id],
                       "claims": claims})
    events.sort(key=lambda e: (e["start"], e["end"], e["label"]))
    for i, e in enumerate(events, 1):
        e["n"] = i
    return events, basis


def _numbers(analysis: dict[str, Any], art_by_id: dict[str, Any], styles: dict[str, Any]) -> tuple[list[Any], list[dict[str, Any]]]:
    """Quantities grouped by what they count; up to three charts of the most-reported kinds, and a table of all."""
    series: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = []
    for q in analysis.get("quantities") or []:
        art = art_by_id.get(q.get("article_id"), {})
        value, low, high = q.get("value"), q.get("low"), q.get("high")
        lo = low if low is not None else value
        hi = high if high is not None else value
        parsed = parse_partial(q.get("as_of"))
        day = parsed[0] if parsed else article_day(art)
        kind = str(q.get("counted") or q.get("unit") or "other").strip().lower()
        outlet = outlet_of(art) if art else "unknown outlet"
        shown = (f"{fmt_number(lo)}–{fmt_number(hi)}" if lo is not None and hi is not None and lo != hi
                 else fmt_number(lo) if lo is not None else "")
        row = {"kind": kind, "text": q.get("text", ""), "value": ("~" if q.get("approximate") else "") + shown,
               "as_of": q.get("as_of") or (f"published {art.get('published')}" if art.get("published") else ""),
               "location": q.get("location") or "", "outlet": outlet, "article_id": q.get("article_id"),
               "day": day}
        rows.append(row)
        if lo is not None and hi is not None and day is not None:
            series[kind].append({"day": day, "low": float(min(lo, hi)), "high": float(max(lo, hi)), "outlet": outlet,
                                 "approximate": bool(q.get("approximate")),
                                 "title": f"{outlet}, {day.isoformat()}: {q.get('text', '')}"})
    ranked = sorted(series.items(), key=lambda kv: (-len({p["outlet"] for p in kv[1]}), -len(kv[1]), kv[0]))
    charts = [c for kind, pts in ranked[:3] if (c := numbers_chart(f"Reported {kind} over time", pts, styles))]
    rows.sort(key=lambda r: (r["kind"], r["day"] or date.max, r["outlet"]))
    return charts, rows


_WORD = re.compile(r"[^\W\d_]{2,}")


def _quote_rank(q: dict[str, Any]) -> int:
    """Which of a speaker's quotes a reader sees first: the speaker's own words (a direct quotation) before a
    paraphrase, and a paraphrase that says something (a clause of several words) before a bare phrase ("as the new CDC
    director", "to be my boyfriend"), which is more often a cue that reports no speech; then in the corpus's order."""
    words = len(_WORD.findall(q.get("text") or ""))
    return 0 if q.get("direct") and words >= 4 else 1 if words >= 6 else 2


def _readable_quote(q: dict[str, Any]) -> bool:
    """A fragment with fewer than two words or an unmatched bracket ("CNN)") is a misread, not a quote to show."""
    text = q.get("text") or ""
    return len(_WORD.findall(text)) >= 2 and text.count("(") == text.count(")")


def _balanced(text: str) -> str:
    """A paraphrase around quoted words, with the curly marks its offsets cut off put back: a content may start
    inside a quotation ('full support” to the people of Haiti') or stop before its end."""
    marks = [c for c in text if c in "“”"]
    if not marks:
        return text
    if marks[0] == "”":
        text = "“" + text
    if marks[-1] == "“":
        text = text + "”"
    return text


def _quotes_by_speaker(analysis: dict[str, Any], art_by_id: dict[str, Any], max_speakers: int = 60, per: int = 20) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in analysis.get("quotes") or []:
        groups[q.get("speaker") or "Unattributed"].append(q)
    out = []
    for speaker, qs in sorted(groups.items(), key=lambda kv: (kv[0] == "Unattributed", -len(kv[1]), kv[0])):
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for q in sorted((q for q in qs if _readable_quote(q)), key=_quote_rank):    # stable: corpus order within a tier
            said = " ".join(_WORD.findall((q.get("text") or "").lower()))
            if said in seen:
                continue                    # the same words carried by another outlet or article: shown once
            seen.add(said)
            if len(items) >= per:
                break
            art = art_by_id.get(str(q.get("article_id")), {})
            text = q.get("text", "")
            # a quotation with marks of its own inside ('the outbreak is “cause for concern …”') is a paraphrase
            # around quoted words: marks around the whole would put the paraphrase in the speaker's mouth
            wrap = bool(q.get("direct")) and not any(m in text for m in '“”"')
            items.append({"text": text if wrap else _balanced(text), "direct": bool(q.get("direct")),
                          "cue": q.get("cue") or "", "wrap": wrap,
                          "outlet": outlet_of(art) if art else "", "date": date_label(art)[0] if art else "",
                          "article_id": q.get("article_id")})
        roles = Counter(q["speaker_role"] for q in qs if q.get("speaker_role"))
        bodies = Counter(q["speaker_affiliation"] for q in qs if q.get("speaker_affiliation"))
        role = max(roles, key=lambda r: (roles[r], r)) if roles else ""
        body = max(bodies, key=lambda b: (bodies[b], b)) if bodies else ""
        if body and set(_WORD.findall(body.lower())) <= set(_WORD.findall(role.lower())):
            body = ""                       # "Libyan leader · for Libyan" says it twice
        out.append({"speaker": speaker, "count": len(qs), "quotes": items, "more": max(len(qs) - len(items), 0),
                    "role": role, "affiliation": body})
    return out[:max_speakers]


REPORT_MIN_CONFIDENCE = 0.75    # calibrated: the shown set's expected precision (mean confidence) is >= 0.85
STORIES_SHOWN = 15              # stories of two or more articles listed; the rest are counted
PER_KIND = 12                   # relations of one kind shown before "N more"


def _relations(analysis: dict[str, Any], art_by_id: dict[str, Any], claims_by_id: dict[str, Any],
               per_kind: int = PER_KIND, floor: float = REPORT_MIN_CONFIDENCE) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The relations a careful analyst would sign: those at least ``floor`` sure, ranked by confidence × importance,
    the top ``per_kind`` of each kind; and per kind how many more there are (shown or below the floor)."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in analysis.get("relations") or []:
        by_kind[r.get("kind") or "relation"].append(r)
    out, more = [], {}
    for kind in sorted(by_kind, key=lambda k: RELATION_ORDER.index(k) if k in RELATION_ORDER else 9):
        rels = sorted(by_kind[kind], key=lambda r: (-float(r.get("confidence", 1.0)) * float(r.get("importance", 1.0)),
                                                    r.get("id", "")))
        sure = [r for r in rels if float(r.get("confidence", 1.0)) >= floor]
        views: list[dict[str, Any]] = []
        by_earlier: dict[str, dict[str, Any]] = {}
        merged = 0
        for r in sure:
            ids = r.get("claim_ids") or []
            first = by_earlier.get(ids[0]) if kind == "superseded" and ids else None
            if first is not None:
                # One position overtaken by several later statements: one card, the earlier claim shown once.
                later = _relation_view({**r, "claim_ids": ids[1:]}, art_by_id, claims_by_id)["sides"]
                first["sides"].extend(later)
                first["also"].extend(f"{x['outlet']} ({x['date']})" for x in later)
                merged += 1
                continue
            if len(views) >= per_kind:
                continue
            view = _relation_view(r, art_by_id, claims_by_id)
            views.append(view)
            if kind == "superseded" and ids:
                by_earlier[ids[0]] = view
        more[kind] = len(rels) - len(views) - merged
        out.extend(views)
    return out, more


def _sure_counts(analysis: dict[str, Any], floor: float = REPORT_MIN_CONFIDENCE) -> Counter[str]:
    """Per kind, the relations at least ``floor`` sure, one position overtaken by several later statements once."""
    counts: Counter[str] = Counter()
    overtaken: set[str] = set()
    for r in analysis.get("relations") or []:
        if float(r.get("confidence", 1.0)) < floor:
            continue
        ids = r.get("claim_ids") or []
        if r.get("kind") == "superseded" and ids:
            if ids[0] in overtaken:
                continue
            overtaken.add(ids[0])
        counts[r.get("kind") or "relation"] += 1
    return counts


def _relation_view(r: dict[str, Any], art_by_id: dict[str, Any], claims_by_id: dict[str, Any]) -> dict[str, Any]:
    sides: list[dict[str, Any]] = []
    spans: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for cid in r.get("claim_ids") or []:
        c = claims_by_id.get(cid)
        if not c or len(sides) >= 6:
            continue
        start, end = int(c.get("start") or 0), int(c.get("end") or 0)
        if any(start < e and s < end for s, e in spans[c.get("article_id")]):
            continue            # a claim inside another of the same sentence: the passage is shown once
        spans[c.get("article_id")].append((start, end))
        art = art_by_id.get(c.get("article_id"), {})
        ctx = (context(art.get("text") or "", int(c.get("start") or 0), int(c.get("end") or 0))
               if art.get("text") else {"before": "", "span": c.get("text", ""), "after": ""})
        sides.append({**ctx, "outlet": outlet_of(art) if art else "", "date": date_label(art)[0] if art else "",
                      "speaker": c.get("speaker") or "", "article_id": c.get("article_id"),
                      "title": article_title(art) if art else ""})
    return {"kind": r.get("kind") or "relation", "label": RELATION_LABELS.get(str(r.get("kind")), str(r.get("kind"))),
            "explanation": r.get("explanation") or "", "sides": sides, "also": [],
            "confidence": r.get("confidence"), "importance": r.get("importance")}


def _series_charts(analysis: dict[str, Any], styles: dict[str, Any], limit: int = 4) -> list[Any]:
    """The main number series (same measured thing, dated, per outlet), most outlets and dates first, each with
    what its change relation says (with its confidence), whatever the relations list's floor."""
    changes = {r.get("series_id"): r for r in analysis.get("relations") or []
               if r.get("series_id") and r.get("kind") in ("change_over_time", "superseded")}
    charts = []
    for s in (analysis.get("series") or [])[:limit]:
        pts = []
        for p in s.get("points") or []:
            parsed = parse_partial(p.get("date"))
            if not parsed or p.get("outlet") not in styles:
                continue
            lo = p["low"] if p.get("low") is not None else p["value"]
            hi = p["high"] if p.get("high") is not None else p["value"]
            pts.append({"day": parsed[0], "low": float(min(lo, hi)), "high": float(max(lo, hi)),
                        "outlet": p["outlet"], "approximate": p.get("low") is not None,
                        "title": f"{p['outlet']}, {p['date']}: {p.get('text', '')}"})
        chart = numbers_chart(f"{s['measure']} ({len(s.get('points') or [])} figures, {len(s.get('outlets') or [])} "
                              f"outlets, {s.get('first_date')} to {s.get('last_date')})", pts, styles)
        if chart:
            rel = changes.get(s["id"])
            if rel:
                chart.caption = f"{rel['explanation']} (confidence {float(rel['confidence']):.2f})"
            charts.append(chart)
    return charts


def _overview(analysis: dict[str, Any], outlets: list[str], matrix: dict[str, Any], relations: list[dict[str, Any]],
              numbers: list[dict[str, Any]]) -> list[str]:
    """A few plain sentences built only from counted facts, so the overview can never say more than the data."""
    arts = [a for a in analysis.get("articles") or [] if not a.get("duplicate_of")]
    if not arts:
        return ["No articles were analysed."]
    days = sorted(a["published"] for a in arts if a.get("published"))
    inferred = sum(1 for a in arts if not a.get("published") and a.get("published_bounds"))
    named = [o for o in outlets if not o.startswith("? ")]
    unnamed = len(outlets) - len(named)
    s = [f"{len(arts)} article{'s' * (len(arts) != 1)} from {len(outlets)} source{'s' * (len(outlets) != 1)}"
         f" ({', '.join(named[:5])}{', …' if len(named) > 5 else ''}"
         f"{(', and ' if named else '') + str(unnamed) + ' of unknown outlet' if unnamed else ''})"
         + (f", published between {days[0]} and {days[-1]}" if len(days) > 1 and days[0] != days[-1]
            else f", published {days[0]}" if days else "")
         + (f"; {inferred} undated article{'s' * (inferred != 1)} placed in an inferred window" if inferred else "") + "."]
    dups = len(analysis.get("articles") or []) - len(arts)
    if dups:
        s.append(f"{dups} near-duplicate article{'s were' if dups != 1 else ' was'} set aside.")
    outlet_of = {a.get("id"): (a.get("outlet") or "").lower() for a in arts}

    def mentioned_in(e: dict[str, Any]) -> int:
        # An outlet naming itself ("(CNN) --", "Reuters contributed") is its byline, not a mention of it.
        name = (e.get("name") or "").lower()
        return sum(1 for a in e.get("article_ids") or [] if a in outlet_of and outlet_of[a] != name)

    ents = sorted(((mentioned_in(e), e) for e in analysis.get("entities") or []
                   if e.get("type") in ("person", "org", "place", "gpe", "organization", "location")),
                  key=lambda ne: (-ne[0], ne[1].get("name", "")))
    ents = [ne for ne in ents if ne[0] > 0]
    if ents:
        s.append("Most mentioned: " + ", ".join(f"{e['name']} ({n} article{'s' * (n != 1)})" for n, e in ents[:5]) + ".")
    for row in matrix["rows"][:3]:
        a, d = row["counts"]["asserts"], row["counts"]["denies"]
        if a + d >= 2 or len(matrix["rows"]) <= 3:
            s.append(f"Claim: “{_truncate(row['text'], 140)}” — asserted by {a} outlet{'s' * (a != 1)}"
                     + (f", denied by {d}" if d else "") + ".")
    kinds = _sure_counts(analysis)       # every card the relations section has, not only the first PER_KIND shown
    parts = [f"{kinds[k]} {RELATION_PLURALS[k][kinds[k] != 1]}" for k in RELATION_ORDER[:4] if kinds[k]]
    if parts:
        s.append("Between sources: " + ", ".join(parts) + ".")
        first = next((r for r in relations if r["kind"] in ("contradiction", "numeric_conflict") and r["explanation"]), None)
        if first:
            s.append(_truncate(first["explanation"], 240))
    for series in (analysis.get("series") or [])[:2]:
        pts = [p for p in series.get("points") or [] if p.get("low") is None and p.get("high") is None]
        if len(pts) >= 2:
            first, last = pts[0], pts[-1]
            s.append(f"Followed over time: {series['measure']}, {fmt_number(first['value'])} ({first['outlet']}, "
                     f"{first['date']}) to {fmt_number(last['value'])} ({last['outlet']}, {last['date']}); "
                     f"{len(pts)} figures from {len(series.get('outlets') or [])} outlet(s).")
    bad = Counter(i.get("status") for i in analysis.get("inputs") or [] if i.get("status") in ("failed", "skipped"))
    if bad:
        s.append(" and ".join(f"{n} input{'s' * (n != 1)} {st}" for st, n in sorted(bad.items())) + " (see Inputs).")
    return s


def build_view(analysis: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows, computed once; plain dicts and strings only."""
    articles = list(analysis.get("articles") or [])
    art_by_id = {a["id"]: a for a in articles if a.get("id")}
    claims_by_id = {c["id"]: c for c in analysis.get("claims") or [] if c.get("id")}
    counts = Counter(outlet_of(a) for a in articles if not a.get("duplicate_of"))
    outlets = sorted(counts, key=lambda o: (-counts[o], o))
    outlets += sorted({outlet_of(a) for a in articles} - set(outlets))
    styles = outlet_styles(outlets)
    events, events_basis = _timeline_events(analysis, art_by_id, claims_by_id)
    focus = focus_window(events)
    matrix = claim_matrix(analysis.get("claims") or [], analysis.get("relations") or [],
                          {aid: outlet_of(a) for aid, a in art_by_id.items()}, outlets,
                          key_claims=analysis.get("key_claims"))
    relations, relations_more = _relations(analysis, art_by_id, claims_by_id)
    charts, number_rows = _numbers(analysis, art_by_id, styles)
    if analysis.get("series"):
        charts = _series_charts(analysis, styles)
    profiles = {p.get("outlet"): p for p in analysis.get("sources") or []}
    source_rows = []
    for a in sorted(articles, key=lambda a: (outlets.index(outlet_of(a)), a.get("published") or "", article_title(a))):
        label, basis = date_label(a)
        prof = profiles.get(outlet_of(a)) or profiles.get(a.get("outlet")) or {}
        stance = prof.get("stance") or {}
        source_rows.append({"id": a["id"], "outlet": outlet_of(a), "title": article_title(a), "date": label, "basis": basis,
                            "inferred": not a.get("published") and label != "undated", "genre": a.get("genre") or "unknown",
                            "stance": ([f"{_claim_text(k, claims_by_id)}: {v}" for k, v in sorted(stance.items())]
                                       if isinstance(stance, dict) else [str(stance)]),
                            "framing": list(prof.get("framing_terms") or [])[:12], "duplicate_of": a.get("duplicate_of"),
                            "style": styles[outlet_of(a)]})
    stories = analysis.get("stories") or []
    inputs = analysis.get("inputs") or []
    ents = sorted(analysis.get("entities") or [], key=lambda e: (-len(e.get("article_ids") or []), e.get("name", "")))
    return {
        "title": stories[0]["title"] if len(stories) == 1 and stories[0].get("title") else "Story report",
        "stories": [{"title": s.get("title") or s.get("id"), "count": len(s.get("article_ids") or [])}
                    for s in stories if len(s.get("article_ids") or []) >= 2][:STORIES_SHOWN],
        "stories_more": max(0, len(stories) - len([s for s in stories if len(s.get("article_ids") or []) >= 2][:STORIES_SHOWN])),
        "overview": _overview(analysis, outlets, matrix, relations, number_rows),
        "legend": [{"name": o, "colour": styles[o].colour, "shape": styles[o].shape} for o in outlets],
        "timeline_summary": _timeline_summary(analysis, art_by_id),
        "events": events, "events_basis": events_basis, "timeline": timeline_chart(events, styles),
        "timeline_focus": timeline_chart(events, styles, domain=focus) if focus else None,
        "focus_label": f"{focus[0].isoformat()} and {focus[1].isoformat()}" if focus else "",
        "sources": source_rows, "matrix": matrix, "relations": relations, "number_charts": charts,
        "relations_more": [{"kind": k, "label": RELATION_LABELS.get(k, k), "n": n} for k, n in relations_more.items() if n],
        "relations_floor": REPORT_MIN_CONFIDENCE,
        "number_rows": number_rows[:500], "number_rows_more": max(len(number_rows) - 500, 0),
        "quote_groups": _quotes_by_speaker(analysis, art_by_id),
        "removed": [{"id": a["id"], "title": article_title(a), "outlet": outlet_of(a),
                     "items": [{"text": _truncate(str(r.get("text", "")), 400), "chars": len(str(r.get("text", ""))),
                                "reason": r.get("reason", "")} for r in a.get("removed") or []]}
                    for a in articles if a.get("removed")],
        "inputs": inputs, "input_counts": sorted(Counter(i.get("status") for i in inputs).items()),
        "inputs_bad": [i for i in inputs if i.get("status") != "ok"],
        "entities": ents[:40], "entities_more": max(len(ents) - 40, 0),
        "articles": [{"id": a["id"], "title": article_title(a), "outlet": outlet_of(a), "date": date_label(a)[0],
                      "genre": a.get("genre") or "unknown", "author": a.get("author") or "", "source": a.get("source") or "",
                      "language": a.get("language") or "", "skipped": english_only_skip(a.get("language")) or "",
                      "duplicate_of": a.get("duplicate_of"), "chars": len(a.get("text") or ""),
                      "duplicate_title": article_title(art_by_id.get(a.get("duplicate_of")) or {"id": a.get("duplicate_of")})}
                     for a in articles],
        "counts": {"articles": len(articles), "outlets": len(outlets), "claims": len(claims_by_id),
                   "quotes": len(analysis.get("quotes") or []), "relations": len(analysis.get("relations") or []),
                   "quantities": len(analysis.get("quantities") or [])},
    }


def _claim_text(key: str, claims_by_id: dict[str, Any]) -> str:
    c = claims_by_id.get(key)
    return _truncate(c["text"], 80) if c and c.get("text") else str(key)


def render_report_html(analysis: dict[str, Any]) -> str:
    return make_env().get_template("report.html").render(**build_view(analysis))


def render_report(analysis: dict[str, Any], out_dir: str | Path) -> Path:
    """Write ``out_dir/report.html`` atomically (a reader never sees half a file) and return its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.html"
    tmp = path.with_suffix(".html.tmp")
    try:
        tmp.write_text(render_report_html(analysis), encoding="utf-8")
        tmp.replace(path)
    except BaseException:       # disk full, read-only, interrupted: no half-written file left behind
        tmp.unlink(missing_ok=True)
        raise
    return path
