"""English word lists for the corpus stages (see ``frames.tsv`` and ``counted.tsv`` for their formats)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


def _rows(name: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def frames() -> dict[str, tuple[str, int]]:
    """Predicate lemma → (frame, sign): two predicates of one frame with opposite signs say opposite things."""
    out: dict[str, tuple[str, int]] = {}
    for frame, pos, neg, *_ in _rows("frames.tsv"):
        for words, sign in ((pos, 1), (neg, -1)):
            for w in words.split():
                out[w.replace("_", " ")] = (frame, sign)
    return out


@lru_cache(maxsize=1)
def frame_sides() -> dict[str, tuple[str, str]]:
    """Frame → how a reader says each side of it ('an increase', 'a decrease')."""
    return {r[0]: (r[3], r[4]) for r in _rows("frames.tsv") if len(r) >= 5}


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    """Month name or abbreviation, lower case ('sept', 'september') → month number (see ``months.tsv``)."""
    return {w: int(n) for n, words in _rows("months.tsv") for w in words.split()}


@lru_cache(maxsize=1)
def counted_synonyms() -> dict[str, str]:
    """Counted noun → the thing it counts ('soldiers' → 'troops', 'fatalities' → 'deaths')."""
    return {w: canon for canon, words in _rows("counted.tsv") for w in words.split()}


@lru_cache(maxsize=1)
def level_verbs() -> frozenset[str]:
    """Predicates that state the level of a count (see ``level_verbs.txt``)."""
    text = resources.files(__package__).joinpath("level_verbs.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, str]:
    """Word → the measure qualifier it stands for (see ``qualifiers.txt``)."""
    text = resources.files(__package__).joinpath("qualifiers.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, group = line.partition("=")
            out[word] = group or word
    return out
