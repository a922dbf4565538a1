"""Predicate classes for comparing propositions: "withdraw", "leave", "pull out" state one thing; "stay", "remain",
"keep" state its opposite. Claims in opposite classes about the same subject/object disagree even when their words
barely overlap, which is exactly where lexical retrieval and a small stance model are weakest."""

from __future__ import annotations

import re

# class name → (lemmas that assert it, name of the opposite class)
PREDICATE_CLASSES: dict[str, tuple[frozenset[str], str]] = {
    "depart": (frozenset({"withdraw", "leave", "pull", "pull out", "exit", "depart", "redeploy", "evacuate", "quit",
                          "end", "remove", "drawdown", "draw down", "retreat", "expel", "eject", "terminate"}), "stay"),
    "stay": (frozenset({"stay", "remain", "keep", "maintain", "continue", "extend", "station", "deploy", "base"}), "depart"),
    "increase": (frozenset({"increase", "rise", "grow", "raise", "boost", "expand", "climb", "surge", "double"}), "decrease"),
    "decrease": (frozenset({"decrease", "fall", "drop", "cut", "reduce", "shrink", "decline", "lower", "slash"}), "increase"),
    "agree": (frozenset({"agree", "accept", "approve", "endorse", "support", "back", "sign", "ratify"}), "reject"),
    "reject": (frozenset({"reject", "refuse", "oppose", "deny", "veto", "block", "dismiss", "refute"}), "agree"),
    "win": (frozenset({"win", "defeat", "beat", "capture", "seize"}), "lose"),
    "lose": (frozenset({"lose", "fall"}), "win"),
}
_LEMMA_TO_CLASS = {lemma: name for name, (lemmas, _) in PREDICATE_CLASSES.items() for lemma in lemmas}
_WORD = re.compile(r"[a-z]+")


def predicate_class(predicate: str | None) -> str | None:
    if not predicate:
        return None
    p = predicate.lower().strip()
    if p in _LEMMA_TO_CLASS:
        return _LEMMA_TO_CLASS[p]
    words = _WORD.findall(p)
    return _LEMMA_TO_CLASS.get(words[0]) if words else None


def frame_relation(pred_a: str | None, pol_a: bool, pred_b: str | None, pol_b: bool) -> str | None:
    """'same' when two predicates (with polarity) assert the same thing, 'opposite' when they contradict, else None."""
    ca, cb = predicate_class(pred_a), predicate_class(pred_b)
    if not ca or not cb:
        return None
    if ca == cb:
        return "same" if pol_a == pol_b else "opposite"
    if PREDICATE_CLASSES[ca][1] == cb:
        return "opposite" if pol_a == pol_b else "same"
    return None
