"""Spelled-out and written numbers → values ("twenty-one", "a dozen", "2.5 million", "5,000").

Kept apart from quantities.py because time expressions ("four years after") need the same reading.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "m": 1_000_000, "k": 1_000}
_SPECIAL = {"dozen": 12, "half": 0.5, "couple": 2, "few": 3, "several": 3, "score": 20}
# Vague plurals: (low, high) of what they can mean. "dozens of rockets" is at least 24.
VAGUE = {"dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2_000.0, 9_999.0),
         "millions": (2e6, 999e6), "billions": (2e9, 999e9)}
NUMBER_WORDS = frozenset(_UNITS) - {"a", "an"} | frozenset(_SCALES) - {"m", "k"} | {"dozen"}
_DIGITS = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_digits(text: str) -> float | None:
    """'5,000' → 5000.0, '2.5' → 2.5; None for anything else (times, ids, '1/2')."""
    t = text.strip()
    if not _DIGITS.match(t):
        return None
    return float(t.replace(",", ""))


def words_to_number(words: list[str]) -> float | None:
    """Value of a token sequence such as ['2.5', 'million'], ['twenty', 'one'], ['a', 'dozen'], ['half', 'a', 'million'].

    Returns None when some token is not part of a number, so callers can try shorter spans.
    """
    total = 0.0
    current = 0.0
    seen = False
    expanded = _fractions([p for raw in words for p in (raw.split("-") if not any(c.isdigit() for c in raw) else [raw])])
    for raw in expanded:
        w = raw.lower().strip()
        if not w or w == "and":
            continue
        if w == _AND_A_HALF:            # "two and a half (million)": the units so far plus one half
            current += 0.5
            seen = True
            continue
        d = parse_digits(raw)
        if d is not None:
            current += d
            seen = True
        elif w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _SPECIAL:
            current = (current or 1) * _SPECIAL[w]
            seen = True
        elif w in _SCALES:
            scale = _SCALES[w]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


_AND_A_HALF = "+half"


def _fractions(words: list[str]) -> list[str]:
    """Read the article of a fraction as part of it: "and a half" adds a half ("two and a half million" is 2.5
    million), "half a million" and "a half million" are half of one million (not one and a half)."""
    low = [w.lower().strip() for w in words]
    out: list[str] = []
    k = 0
    while k < len(words):
        if low[k] == "and" and low[k + 1:k + 3] in (["a", "half"], ["an", "half"]) and out:
            out.append(_AND_A_HALF)
            k += 3
        elif low[k] == "half" and k + 1 < len(words) and low[k + 1] in ("a", "an"):
            out.append(words[k])          # "half a million": the "a" is the article of "million"
            k += 2
        elif low[k] in ("a", "an") and k + 1 < len(words) and low[k + 1] == "half":
            k += 1                        # "a half million": the article of "half"
        else:
            out.append(words[k])
            k += 1
    return out


def word_to_int(text: str) -> int | None:
    """'four' → 4, 'a few' → 3, '12' → 12: small counts in time expressions."""
    parts = re.split(r"[\s-]+", text.strip().lower())
    parts = [p for p in parts if p not in ("of",)]
    v = words_to_number(parts)
    return int(v) if v is not None else None
