"""Genre from signals a reader would use: op-ed markers, "Contributed by", first person, evaluative language,
reader comments, press-release furniture, datelines and attribution density.

Each signal adds weight to a genre and is recorded as evidence, so a user can see why a piece was called opinion.
Text inside quotation marks is ignored for first-person and evaluative signals: a quoted "I think" is reporting.
"""

from __future__ import annotations

import re
from collections import defaultdict

_QUOTED = re.compile(r"[“\"«‘][^”\"»’]{0,600}[”\"»’]")
_FIRST_PERSON = re.compile(r"\b(I think|I believe|I would|I am|I'm|in my (view|opinion)|we must|we should|let us|let's|our nation)\b")
_EVALUATIVE = re.compile(
    r"\b(toxic|disgrace\w*|shameful|absurd|outrageous|pretext|so-called|puppet|hypocri\w+|lies|lying|criminal|"
    r"illegal occupation|occupying|occupiers?|imperialis\w+|propaganda|sham|farce|brutal|shocking|ridiculous|"
    r"disastrous|catastroph\w+|reckless|cowardly|evil|regime|thugs?|terroris[tm] state|soft coup)\b", re.I)
_OPED_MARKER = re.compile(r"^(opinion|op-ed|commentary|editorial|column|analysis|viewpoint|perspective)\b|the views expressed (in this|here)|author'?s own (views|opinion)|does not necessarily reflect", re.I | re.M)
_ANALYSIS_MARKER = re.compile(r"^(analysis|explainer|fact ?check|q&a|what we know)\b|\bwhat (we know|you need to know)\b", re.I | re.M)
_PRESS_MARKER = re.compile(r"for immediate release|media contacts?:|press contact|^about [A-Z][\w&. ]+$|^###\s*$|\b(pr newswire|business wire|globe newswire)\b", re.I | re.M)
_ATTRIBUTION = re.compile(r"\b(said|says|told|according to|stated|announced|added|noted|warned|reported)\b", re.I)


def classify_genre(text: str, *, contributed: bool = False, has_comments: bool = False,
                   has_dateline: bool = False, hints: list[str] | None = None) -> tuple[str, list[str]]:
    """(genre, evidence) for an article body; hints are upstream signals like "json-ld @type=OpinionNewsArticle"."""
    score: defaultdict[str, float] = defaultdict(float)
    why: list[str] = []
    outside = _QUOTED.sub(" ", text)
    words = max(1, len(text.split()))

    def add(genre: str, weight: float, reason: str) -> None:
        score[genre] += weight
        why.append(f"{genre}+{weight:g}: {reason}")

    for hint in hints or []:
        low = hint.lower()
        if any(k in low for k in ("opinion", "op-ed", "editorial", "column", "commentary")):
            add("opinion", 3, hint)
        elif "analysis" in low:
            add("analysis", 3, hint)
        elif "pressrelease" in low or "press-release" in low:
            add("press-release", 3, hint)
    if _OPED_MARKER.search(text[:400]) or re.search(r"the views expressed|author'?s own (views|opinion)", text, re.I):
        add("opinion", 3, "op-ed marker")
    if _ANALYSIS_MARKER.search(text[:300]):
        add("analysis", 3, "analysis/explainer marker")
    if _PRESS_MARKER.search(text):
        add("press-release", 3, "press-release furniture")
    if contributed:
        add("opinion", 2, "'Contributed by' byline (contributed piece)")
    if has_comments:
        add("opinion", 0.5, "reader comment section (blog-style page)")
    fp = _FIRST_PERSON.findall(outside)
    if fp:
        add("opinion", min(2, len(fp)), f"first person outside quotes ({len(fp)}×)")
    ev = sorted({m.group(0).lower() for m in _EVALUATIVE.finditer(outside)})
    if len(ev) >= 2:
        add("opinion", min(2.5, len(ev) * 0.75), f"evaluative language outside quotes: {', '.join(ev[:6])}")
    attributions = len(_ATTRIBUTION.findall(text))
    density = attributions / words * 100
    if has_dateline:
        add("news", 2, "dateline")
    if density >= 1.0:
        add("news", 2, f"attribution-dense ({attributions} reporting verbs)")
    elif attributions >= 2:
        add("news", 1, f"{attributions} reporting verbs")
    if not score:
        return "unknown", ["no genre signal"]
    genre, top = max(sorted(score.items()), key=lambda kv: kv[1])
    if genre != "news" and top < 2.5:
        genre = "news" if score["news"] else "unknown"
    return genre, why
