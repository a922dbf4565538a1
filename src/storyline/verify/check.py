"""Check a claim against the coverage, as of a date.

1. Retrieve: FTS5 BM25 over stored passages (claims, quotes, sentences), only from articles published by ``as_of``
   (undated articles whose inferred window starts by then are kept, flagged); duplicates collapse to one article.
2. Re-rank by MiniLM cosine; keep the passages that are about the claim.
3. Stance per passage: the trained stance model, overridden by structure where structure is sure — the claim and
   the passage state the same counted thing with compatible/incompatible numbers, or the same predicate frame with
   equal/opposite polarity (withdraw vs stay, "not planning to withdraw"). A passage that names the claim's people
   but does not state its proposition (no predicate of the claim's class in it) neither supports nor refutes it.
4. Weigh: attributed reporting 1.0, unattributed outlet statements 0.8, opinion pieces 0.5, inferred dates 0.8.
5. Verdict: supported / refuted / conflicting / outdated (supported earlier, contradicted by the latest dated
   evidence) / not_enough_evidence, with a plain-language explanation that says what weighed less and why.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np

from ..config import Settings
from ..meta.outlets import unknown_outlet_label
from ..store import Store
from .frames import frame_relation
from .numbers import compatible, same_measure

MIN_RELEVANCE = 0.35
MAX_CANDIDATES = 20    # passages re-ranked by embedding per check: each costs one MiniLM run (~3 ms idle)
MAX_QUERY_TERMS = 6
PRUNE_FROM = 20_000   # passages; below this, BM25 over all the claim's words is already fast
COMMON_SHARE = 0.03   # a word in more than 3% of passages says little about which passages are relevant
MAX_EVIDENCE = 12
_STOP = frozenset("a an the and or of to in on at by for with from as is are was were be been will would its it that this "
                  "there their they has have had about all".split())


@dataclass(slots=True)
class _Meta:
    id: str
    source: str
    outlet: str | None
    published: str | None
    earliest: str | None
    latest: str | None
    genre: str
    duplicate_of: str | None


@functools.lru_cache(maxsize=1)
def _claim_parser(model: str) -> Any:
    from ..nlp.runtime.spacy_model import load_nlp

    return load_nlp(model=model)


def _parse_claim(claim: str, settings: Settings) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[str]]:
    """The user's claim read by the same stages as articles: its quantities, its predicate frames, its places."""
    from ..nlp.claims.extract import extract_claims
    from ..nlp.numbers.quantities import extract_quantities

    doc = _claim_parser(settings.spacy_model)(claim)
    quantities = [asdict(q) for q in extract_quantities(doc, "query", [], None)]
    frames = [asdict(c) for c in extract_claims(doc, "query", [], [], None)]
    places = {e.text.lower().removeprefix("the ") for e in doc.ents if e.label_ in ("GPE", "LOC")}
    return quantities, frames, places


# A plan or forecast is compared with plans and forecasts, a statement of fact with statements of fact: "agreed to
# withdraw" says nothing against "troops are stationed there".
# A demand ("Gadhafi must step down") or a possibility says nothing about whether it happens or is planned.
_MODALITY_GROUP = {"asserted": "fact", "denied": "fact", "planned": "future", "intended": "future",
                   "predicted": "future", "demanded": "demand", "possible": "possible"}


def _retrieval_query(store: Store, claim: str) -> str:
    """The claim's most specific words: BM25 over every word of a long claim scans the huge posting lists of common
    words for little gain, so keep the rarest few (document frequency from the index itself, cached)."""
    words = sorted({w for w in re.findall(r"\w+", claim.lower()) if w not in _STOP and len(w) > 1})
    total = store.passage_count()
    if len(words) <= 3 or total < PRUNE_FROM:   # small stores: every word is cheap and helps
        return " ".join(words) or claim
    freq = {w: store.passage_frequency(w) for w in words}
    present = sorted((f, w) for w, f in freq.items() if f > 0)
    specific = [w for f, w in present if f <= COMMON_SHARE * total][:MAX_QUERY_TERMS]
    if len(specific) < 2:
        specific = [w for _, w in present[:3]]
    return " ".join(specific) or claim


def _article_meta(store: Store, ids: list[str]) -> dict[str, _Meta]:
    return {r[0]: _Meta(*r) for r in store.article_meta(ids)}


def _evidence_date(m: _Meta) -> tuple[str | None, bool]:
    """(date used for ordering, inferred?)"""
    if m.published:
        return m.published, False
    return (m.latest or m.earliest), True


def _available(m: _Meta, as_of: date | None) -> bool:
    if as_of is None:
        return True
    if m.published:
        return m.published <= as_of.isoformat()
    return bool(m.earliest) and m.earliest <= as_of.isoformat()


def _places_in(facts: dict[str, Any], s: int, e: int) -> set[str]:
    out: set[str] = set()
    for ent in facts.get("entities", []):
        if ent.get("type") == "place" and any(ms < e and s < me for ms, me in ent.get("mentions", [])):
            out.update(n.lower().removeprefix("the ") for n in [ent["name"], *ent.get("aliases", [])])
    return out


def _structural_stance(passage: dict[str, Any], facts: dict[str, Any] | None, claim_qs: list[dict[str, Any]],
                       claim_frames: list[dict[str, Any]], claim_places: set[str],
                       claim_text: str = "") -> tuple[str, str] | None:
    if not facts:
        return None
    s, e = passage["start"], passage["end"]
    inside = lambda item: item["start"] >= s and item["end"] <= e  # noqa: E731
    for cq in claim_qs:
        for q in filter(inside, facts.get("quantities", [])):
            if same_measure(cq, q):
                ok = compatible(cq, q)
                if ok is not None:
                    return ("agree" if ok else "disagree"), f"number {q['text']!r} {'matches' if ok else 'differs from'} {cq['text']!r}"
    places = _places_in(facts, s, e)
    if claim_places and places and not claim_places & places:
        return None   # about somewhere else ("out of Afghanistan" says nothing about troops in Iraq)
    # A claim that begins inside the passage speaks in it, even when its clause runs on past the passage's end.
    begins = lambda item: s <= item["start"] < e  # noqa: E731
    for cf in claim_frames:
        group = _MODALITY_GROUP.get(cf["modality"], "fact")
        for c in filter(begins, facts.get("claims", [])):
            rel = _predicate_relation(cf, c)
            if rel is None:
                continue
            other = _MODALITY_GROUP.get(c["modality"], "fact")
            # A plan is compared with plans; a fact with facts, and also with a plan it fulfils or overtakes ("no
            # plan to raise the alert" against "the WHO raised the alert"); a plan never speaks against a fact.
            if other != group and not (group == "future" and other == "fact"):
                if other in ("demand", "possible"):
                    return "discuss", f"a {c['modality']} '{c['predicate']}', not a statement that it happens"
                continue
            if rel == "same" and (conflict := _level_conflict(claim_text, passage.get("text") or "")):
                return "disagree", f"the same predicate on another level ({conflict})"
            if rel:
                what = "states the same" if rel == "same" else "states the opposite"
                neg = "" if c["polarity"] else "not "
                return ("agree" if rel == "same" else "disagree"), f"{what} ('{neg}{c['predicate']}' vs '{cf['predicate']}')"
    return None


# A number right after its noun names a level or an item ("phase 6", "level four", "category 3"), not an amount: the
# quantity reader leaves it without a counted thing, so two statements of one predicate could meet on different levels.
_NUM = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_LABELLED = re.compile(rf"\b([a-z]{{3,}})\s+{_NUM}\b(?:\s*(?:to|-|–|and|or)\s*{_NUM}\b)?")   # "phase five to six"
_SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}


def _labelled_numbers(text: str) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for noun, *nums in _LABELLED.findall(text.lower()):
        if noun not in _STOP and noun not in _NOT_LABELS:
            out[noun].update(int(n) if n.isdigit() else _SMALL[n] for n in nums if n)
    return out


_NOT_LABELS = frozenset("than about around nearly almost over under least most some only another".split())


def _level_conflict(claim: str, passage_text: str) -> str | None:
    """The passage names, for a noun the claim labels with a number, only other numbers ("raised the alert to phase
    5" against "raised its pandemic alert to phase 6")."""
    mine = _labelled_numbers(claim)
    theirs = _labelled_numbers(passage_text)
    for noun, values in mine.items():
        if noun in theirs and not values & theirs[noun]:
            return f"'{noun} {min(theirs[noun])}' is not '{noun} {min(values)}'"
    return None


def _predicate_relation(cf: dict[str, Any], c: dict[str, Any]) -> str | None:
    """'same'/'opposite' for two claims on one predicate frame, or on one verb that no frame lists ("step down" and
    "not step down"), else None."""
    rel = frame_relation(cf["predicate"], cf["polarity"], c["predicate"], c["polarity"])
    if rel is None and cf.get("predicate") and (cf["predicate"] or "").lower() == (c.get("predicate") or "").lower():
        rel = "same" if cf["polarity"] == c["polarity"] else "opposite"
    return rel


def _verb_stem(verb: str) -> str:
    """"raise" meets "raised"/"raising": the verb without a final e, cut to six letters."""
    return verb.removesuffix("e")[:6]


def _names_subject(claim_frames: list[dict[str, Any]], text: str) -> bool:
    """The passage names the claim's subject when the subject is a name: "Mubarak - step down" is not about
    "Gadhafi will step down". A subject without a name ("troops") or a passage naming any of its words passes."""
    names = {w.lower() for cf in claim_frames for w in re.findall(r"\b[A-Z][\w'-]+", cf.get("subject") or "")}
    names -= _STOP
    low = text.lower()
    return not names or any(n in low for n in names)


def _only_infinitive(claim_frames: list[dict[str, Any]], text: str) -> bool:
    """Every mention of the claim's verb in the passage is a bare infinitive: "calling for Gadhafi to step down",
    "urging him to step down" ask for it; they do not say it happens or is planned."""
    preds = [(cf.get("predicate") or "").lower().split() for cf in claim_frames]
    stems = [_verb_stem(p[0]) for p in preds if p and p[0] not in _LIGHT and len(p[0]) >= 4]
    if not stems:
        return False
    words = re.findall(r"[a-z']+", text.lower())
    hits = [i for i, w in enumerate(words) if any(w.startswith(st) for st in stems)]
    return bool(hits) and all(i > 0 and words[i - 1] == "to" for i in hits)


_CONTENT = re.compile(r"[a-z][a-z'-]+")


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _CONTENT.findall(text.lower()) if w not in _STOP and len(w) > 2}


def states_proposition(claim: str, claim_frames: list[dict[str, Any]], passage: dict[str, Any],
                       facts: dict[str, Any] | None) -> bool:
    """Whether a passage states something about the claim's proposition, not merely its people: the claim's
    predicate (or a predicate of the same or the opposite class) is in the passage, or, for a claim on a light verb,
    most of its content words (names aside) are. "He trusted BP chief Tony Hayward" says nothing about "Tony Hayward
    will step down"."""
    words = _stems(passage.get("text") or "")
    if not _names_subject(claim_frames, passage.get("text") or ""):
        return False
    s, e = passage.get("start", 0), passage.get("end", 0)
    inside = [c for c in (facts or {}).get("claims", []) if c["start"] >= s and c["end"] <= e]
    preds = [(cf.get("predicate") or "").lower() for cf in claim_frames if cf.get("predicate")]
    content = [p for p in preds if p not in _LIGHT]
    if content:
        for pred in content:
            stem = _verb_stem(pred.split()[0])
            if len(stem) >= 4 and any(w.startswith(stem) for w in words) or {w[:6] for w in pred.split()} & words:
                return True
            if any(frame_relation(pred, True, c.get("predicate"), True) for c in inside):
                return True
        return False
    names = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", claim)}
    own = {w for w in _stems(claim) if w not in {n[:6] for n in names}}
    return not own or len(own & words) * 2 >= len(own)


_LIGHT = frozenset("be have do make get go come say tell take give put become seem appear".split())


def check_claim(store: Store, claim: str, as_of: date | None, settings: Settings) -> dict[str, Any]:
    claim = " ".join(claim.split())[:1000]
    result: dict[str, Any] = {"claim": claim, "as_of": as_of.isoformat() if as_of else None}
    candidates = store.search_passages(_retrieval_query(store, claim), limit=MAX_CANDIDATES * 3,
                                       published_by=as_of.isoformat() if as_of else None)
    metas = _article_meta(store, sorted({c["article_id"] for c in candidates}))
    kept: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for c in candidates:
        m = metas.get(c["article_id"])
        if m is None or not _available(m, as_of):
            continue
        canonical = m.duplicate_of or m.id
        key = (canonical, c["text"].strip().lower())
        if key in seen:
            continue
        seen.add(key)
        kept.append({**c, "canonical": canonical})
        if len(kept) >= MAX_CANDIDATES:
            break
    if not kept:
        return {**result, "verdict": "not_enough_evidence", "confidence": 0.0, "evidence": [],
                "explanation": _no_evidence_text(as_of)}

    from ..nlp.runtime.embed import get_embedder

    emb = get_embedder().encode([claim] + [c["text"] for c in kept])
    sims = emb[1:] @ emb[0]
    order = np.argsort(-sims, kind="stable")
    relevant = [(kept[i], float(sims[i])) for i in order if sims[i] >= MIN_RELEVANCE][:MAX_EVIDENCE * 2]
    # One passage per article span is enough; a claim and the sentence holding it say the same thing.
    spans: dict[str, list[tuple[int, int]]] = {}
    chosen = []
    for c, sim in relevant:
        taken = spans.setdefault(c["canonical"], [])
        # A claim, the quote holding it and its sentence are one piece of evidence, not three.
        if len(taken) >= 3 or any(c["start"] < e and s < c["end"] for s, e in taken):
            continue
        taken.append((c["start"], c["end"]))
        chosen.append((c, sim))
    chosen = chosen[:MAX_EVIDENCE]
    if not chosen:
        return {**result, "verdict": "not_enough_evidence", "confidence": 0.0, "evidence": [],
                "explanation": "Passages share words with the claim but none is about it (embedding similarity below "
                               f"{MIN_RELEVANCE})."}

    from .stance import StanceModel

    stances = StanceModel.load().predict_short(claim, [c["text"] for c, _ in chosen])
    claim_qs, claim_frames, claim_places = _parse_claim(claim, settings)
    evidence = []
    for (c, sim), (label, prob) in zip(chosen, stances, strict=True):
        m = metas[c["article_id"]]
        facts = store.facts(c["article_id"])
        structural = _structural_stance(c, facts, claim_qs, claim_frames, claim_places, claim)
        why = "stance model"
        if structural:
            label, why = structural[0], structural[1]
            prob = max(prob, 0.8)
        elif label == "agree" and (conflict := _level_conflict(claim, c["text"])):
            label, why = "disagree", f"states it on another level ({conflict})"
        elif label in ("agree", "disagree") and not states_proposition(claim, claim_frames, c, facts):
            label, why = "discuss", "mentions the same people or things but does not state the claim's proposition"
        elif label in ("agree", "disagree") and _only_infinitive(claim_frames, c["text"]):
            label, why = "discuss", "names it only as something called for or aimed at ('to …'), not as happening"
        when, inferred = _evidence_date(m)
        weight = 1.0
        notes = []
        if m.genre == "opinion":
            weight *= 0.5
            notes.append("opinion piece (weight 0.5)")
        if c["kind"] != "quote" and not c.get("speaker"):
            weight *= 0.8
            notes.append("unattributed (weight 0.8)")
        if inferred:
            weight *= 0.8
            notes.append("date inferred from content" if when else "undated")
        evidence.append({
            "article_id": m.id, "source": m.source, "outlet": m.outlet or unknown_outlet_label(m.source), "published": m.published,
            "date_used": when, "date_inferred": inferred, "text": " ".join(c["text"].split()), "kind": c["kind"], "speaker": c.get("speaker"),
            "stance": label, "score": round(prob * sim, 4), "relevance": round(sim, 4), "weight": round(weight, 3),
            "basis": why, "notes": notes, "start": c["start"], "end": c["end"],
        })
    evidence.sort(key=lambda e: (-(e["stance"] in ("agree", "disagree")), -e["score"] * e["weight"], e["article_id"], e["start"]))
    return {**result, **_verdict(evidence, as_of)}


def _mass(items: list[dict[str, Any]]) -> float:
    return sum(e["score"] * e["weight"] for e in items)


def _verdict(evidence: list[dict[str, Any]], as_of: date | None) -> dict[str, Any]:
    agree = [e for e in evidence if e["stance"] == "agree"]
    disagree = [e for e in evidence if e["stance"] == "disagree"]
    sup, ref = _mass(agree), _mass(disagree)
    total = sup + ref
    scope = f"as of {as_of.isoformat()}" if as_of else "in the whole corpus"
    discounted = sorted({n for e in agree + disagree for n in e["notes"]})
    tail = f" Weighed less: {', '.join(discounted)}." if discounted else ""
    if total < 0.4:
        return {"verdict": "not_enough_evidence", "confidence": round(1 - total, 3), "evidence": evidence,
                "explanation": f"{len(evidence)} related passage(s) {scope}, but none clearly supports or contradicts the claim."}
    counts = f"{len(agree)} passage(s) support, {len(disagree)} contradict {scope}.{tail}"
    # Only where the weight alone would not already say supported: the turn is then what decides, and is told.
    became = _turn(disagree, agree, total) if sup < 2 * ref else None
    if became:
        first, last = became
        return _turn_verdict("supported", sup / total, evidence, f"Supported by later coverage ({_cite(last)}), which "
                             f"overtook earlier reports ({_cite(first)}). {counts}")
    outdated = _outdated(agree, disagree, total)
    if outdated:
        first, last = outdated
        return _turn_verdict("outdated", ref / total, evidence, f"Supported earlier ({_cite(first)}) but overtaken by "
                             f"later coverage ({_cite(last)}). {counts}")
    if sup >= 2 * ref:
        verdict = "supported"
    elif ref >= 2 * sup:
        verdict = "refuted"
    else:
        verdict = "conflicting"
    if verdict == "conflicting":   # how evenly split the coverage is, and how much of it there is
        confidence = round(min(0.9, min(sup, ref) / max(sup, ref) * min(1.0, total / 1.5)), 3)
    else:
        confidence = round(min(0.95, abs(sup - ref) / total * min(1.0, total / 1.5) + 0.05), 3)
    lead = {"supported": "The coverage supports the claim", "refuted": "The coverage contradicts the claim",
            "conflicting": "Sources disagree on the claim"}[verdict]
    top = (agree if verdict == "supported" else disagree if verdict == "refuted" else agree[:1] + disagree[:1])[:2]
    cites = "; ".join(f"{e['outlet']} ({e['published'] or 'undated'}): \u201c{e['text'][:120]}\u201d" for e in top)
    return {"verdict": verdict, "confidence": confidence, "evidence": evidence,
            "explanation": f"{lead} {scope}: {len(agree)} passage(s) support, {len(disagree)} contradict. {cites}.{tail}"}


def _cite(e: dict[str, Any]) -> str:
    return f"{e['outlet']}, {e['date_used']}: \u201c{e['text'][:140]}\u201d"


def _turn_verdict(verdict: str, share: float, evidence: list[dict[str, Any]], explanation: str) -> dict[str, Any]:
    return {"verdict": verdict, "confidence": round(min(0.95, share + 0.2), 3), "evidence": evidence,
            "explanation": explanation}


def _outdated(agree: list[dict[str, Any]], disagree: list[dict[str, Any]], total: float) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(earliest support, latest contradiction) when the claim held earlier and coverage from some date on
    contradicts it: before that date support outweighs contradiction and is a fifth of all the weight or more; from
    it on, contradiction weighs at least twice the support. The earliest such date wins. Inferred dates never decide
    this. (A fixed "recent" window misses a plan overtaken within weeks, as most are.)"""
    return _turn(agree, disagree, total)


def _turn(held: list[dict[str, Any]], overtaking: list[dict[str, Any]], total: float) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(earliest of ``held``, latest of ``overtaking``) when the coverage held one stance until some date and the
    other from then on (see ``_outdated``). The other way round, a claim that earlier reports contradicted and later
    ones state ("raised its alert to phase 6": phase 4 and 5 in April, 6 from 11 June) is supported as of a date
    after the turn: the earlier passages describe an earlier state, not a denial."""
    held_ids = {id(e) for e in held}
    dated = sorted((e for e in held + overtaking if e["date_used"] and not e["date_inferred"]),
                   key=lambda e: e["date_used"])
    for turn in sorted({e["date_used"] for e in dated if id(e) not in held_ids}):
        before = [e for e in dated if e["date_used"] < turn]
        after = [e for e in dated if e["date_used"] >= turn]
        early_held = _mass([e for e in before if id(e) in held_ids])
        early_new = _mass([e for e in before if id(e) not in held_ids])
        late_held = _mass([e for e in after if id(e) in held_ids])
        late_new = _mass([e for e in after if id(e) not in held_ids])
        if late_new >= 2 * late_held and late_new > 0 and early_held > early_new and early_held >= 0.2 * total:
            first = min((e for e in before if id(e) in held_ids), key=lambda e: e["date_used"])
            last = max((e for e in after if id(e) not in held_ids), key=lambda e: (e["date_used"], e["score"]))
            return first, last
    return None


def _no_evidence_text(as_of: date | None) -> str:
    when = f" published by {as_of.isoformat()}" if as_of else ""
    return f"No passage{when} in the store mentions the claim's terms."
