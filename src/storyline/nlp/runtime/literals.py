"""Cheaper scans of a regular expression over long texts, with exactly the matches of the plain scan: what a pattern
cannot match without, read from its own parse tree (``re._parser``), never written by hand, so it cannot drift from
the pattern.

Why: the time-expression recognisers are 38 patterns scanned over every article, and Python's ``re`` tries a
case-insensitive pattern that starts with ``\\b``, a look-behind or an optional group at every position of the text,
running its first steps each time (it skips ahead only for a case-sensitive literal or character-set prefix). Two
checks cut that (docs/scaling.md, issue 17):

* ``first_char_guard``: a look-ahead for the characters a match can start with, put in front of the pattern, so most
  positions fail on one character-class test (the recognisers' scans take ~45% less time);
* ``needs`` / ``may_match``: the literal words every match contains; a text lacking them is not scanned at all
  ('century', 'fiscal', 'quarter', '-long', a month name before a year...).

Case-insensitive literals are looked for in the text folded the way ``re``'s IGNORECASE matches ASCII letters
(``fold``): lower-cased, and the four non-ASCII characters that ``re`` matches to an ASCII letter (dotted and dotless
I, the long s, the Kelvin sign) turned into that letter, so the check never says "absent" where the pattern matches.
The guard's character classes keep the case flag of the part of the pattern they come from, so ``re`` itself folds
them as it folds the pattern.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# The non-ASCII characters that re's IGNORECASE matches to an ASCII letter (all of them, found by trying every code
# point: tests/nlp/test_literals.py), and that letter.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})

Needs = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]    # per set: (case-insensitive, case-sensitive) strings


def fold(text: str) -> str:
    """``text`` as compared with a case-insensitive ASCII literal: each character that re's IGNORECASE matches to an
    ASCII letter is that letter in lower case."""
    return text.translate(_FOLD).lower()


def needs(pattern: re.Pattern[str]) -> Needs:
    """What any match of ``pattern`` contains: for every set, at least one of its strings (case-insensitive ones in
    lower case). Empty when nothing is certain (the pattern is then always scanned)."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    sets = _sequence(parsed.data, bool(parsed.state.flags & sre.SRE_FLAG_IGNORECASE))
    return tuple((tuple(sorted(s for s, ci in group if ci)), tuple(sorted(s for s, ci in group if not ci)))
                 for group in sets)


def may_match(need: Needs, text: str, folded: str) -> bool:
    """False only where no match of the pattern ``need`` was read from can be in ``text`` (``folded``: ``fold(text)``)."""
    return all(any(s in folded for s in ci) or any(s in text for s in cs) for ci, cs in need)


def _sequence(items: Any, ci: bool) -> list[frozenset[tuple[str, bool]]]:
    """Every requirement of a sequence of parsed items (each a set of alternatives, one of which a match holds)."""
    found: list[frozenset[tuple[str, bool]]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            s = "".join(run)
            found.append(frozenset({(s.lower() if ci else s, ci)}))
            run.clear()

    for op, av in items:
        if op is sre.LITERAL and not (ci and av > 0x7F):    # a non-ASCII case-insensitive literal: not folded here
            run.append(chr(av))
            continue
        flush()
        got: frozenset[tuple[str, bool]] | None = None
        if op is sre.SUBPATTERN:
            _, add, remove, sub = av
            inner = (ci or bool(add & sre.SRE_FLAG_IGNORECASE)) and not remove & sre.SRE_FLAG_IGNORECASE
            got = _best(sub.data, inner)
        elif op is sre.BRANCH:
            alternatives = [_best(alt.data, ci) for alt in av[1]]
            if all(a is not None for a in alternatives):
                got = frozenset().union(*(a for a in alternatives if a is not None))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            got = _best(av[2].data, ci)
        elif op is sre.ATOMIC_GROUP:
            got = _best(av.data, ci)
        # anything else (classes, any character, anchors, look-arounds, group references) requires no literal
        if got:
            found.append(got)
    flush()
    return found


def _best(items: Any, ci: bool) -> frozenset[tuple[str, bool]] | None:
    """The most telling requirement of a sequence (longest shortest string, then fewest alternatives), or None."""
    found = _sequence(items, ci)
    return max(found, key=lambda s: (min(len(t) for t, _ in s), -len(s))) if found else None


class _Unknown(Exception):
    """The first character of a match cannot be bounded (any character, a negated class, a back-reference)."""


_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


def first_char_guard(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with a look-ahead for the characters any of its matches starts with, or ``pattern`` itself when
    they cannot be bounded or it can match the empty string.

    Exact: a look-ahead consumes nothing and captures nothing, and a position where the pattern matches always has
    one of those characters, so the same positions match, with the same groups and spans, in the same order."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    found: list[tuple[str, bool]] = []
    try:
        if _first(parsed.data, bool(parsed.state.flags & sre.SRE_FLAG_IGNORECASE), found):
            return pattern      # can match the empty string: every position may match
    except _Unknown:
        return pattern
    folded = "".join(sorted({c for c, ci in found if ci}))
    exact = "".join(sorted({c for c, ci in found if not ci}))
    look = "|".join(([f"(?i:[{folded}])"] if folded else []) + ([f"(?-i:[{exact}])"] if exact else []))
    flags = _GLOBAL_FLAGS.match(pattern.pattern)      # global flags must stay first
    k = flags.end() if flags else 0
    return re.compile(pattern.pattern[:k] + f"(?={look})" + pattern.pattern[k:], pattern.flags)


def _class_char(cp: int) -> str:
    ch = chr(cp)
    return "\\" + ch if ch in "-]\\^[" else re.escape(ch)


def _first(items: Any, ci: bool, found: list[tuple[str, bool]]) -> bool:
    """Add to ``found`` the class items (with their case flag) a match of the sequence ``items`` can start with;
    True when the sequence can match the empty string (what follows it can then start the match too)."""
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):     # zero-width: the next item starts the match
            continue
        if op is sre.LITERAL:
            found.append((_class_char(av), ci))
            return False
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    found.append((_class_char(value), ci))
                elif kind is sre.RANGE:
                    found.append((f"{_class_char(value[0])}-{_class_char(value[1])}", ci))
                elif kind is sre.CATEGORY and value in _CATEGORIES:
                    found.append((_CATEGORIES[value], ci))
                else:               # a negated class, a Unicode category...
                    raise _Unknown
            return False
        if op is sre.SUBPATTERN:
            _, add, remove, sub = av
            inner = (ci or bool(add & sre.SRE_FLAG_IGNORECASE)) and not remove & sre.SRE_FLAG_IGNORECASE
            if not _first(sub.data, inner, found):
                return False
        elif op is sre.ATOMIC_GROUP:
            if not _first(av.data, ci, found):
                return False
        elif op is sre.BRANCH:
            empty = False
            for alt in av[1]:
                empty = _first(alt.data, ci, found) or empty
            if not empty:
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if not _first(av[2].data, ci, found) and av[0] >= 1:
                return False
        else:                       # any character, a negated literal, a group reference or condition
            raise _Unknown
    return True
