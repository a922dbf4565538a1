"""Cheaper regex scans (``nlp.runtime.literals``): what a pattern needs and the characters its matches start with are
read from its parse tree, the case fold matches re's IGNORECASE for ASCII letters, and neither the skip nor the
first-character guard ever changes a match."""

from __future__ import annotations

import random
import re
import string

from storyline.nlp.numbers.timex import _RULE_SOURCES, _RULES, _YEAR, _YEAR_SOURCE
from storyline.nlp.runtime.literals import first_char_guard, fold, may_match, needs


def test_fold_covers_every_character_re_matches_to_an_ascii_letter() -> None:
    """Every code point that a case-insensitive ASCII letter matches folds to that letter (the four non-ASCII ones
    included), so a case-insensitive literal is never reported absent where re would match it."""
    every = "".join(chr(i) for i in range(0x80, 0x110000) if not 0xD800 <= i < 0xE000)
    for letter in string.ascii_lowercase:
        for ch in re.findall("(?i)" + letter, every):
            assert letter in fold(ch), (letter, hex(ord(ch)))


def test_needs_reads_words_branches_and_scoped_flags() -> None:
    assert needs(re.compile(r"(?i)\bfiscal\s+(?:year|quarter)\b")) == ((("fiscal",), ()), (("quarter", "year"), ()))
    # a case-sensitive part keeps its case; an optional group or a class requires nothing
    assert needs(re.compile(r"(?i:the\s+)?(?:Jan|Feb)[a-z]*")) == (((), ("Feb", "Jan")),)
    assert needs(re.compile(r"\d+(?:st|nd)?")) == ()
    # one alternative without a literal: the branch requires nothing
    assert needs(re.compile(r"(?:ago|\d+)")) == ()


def test_may_match_folds_case_and_special_letters() -> None:
    need = needs(re.compile(r"(?i)\bcentury\b"))
    assert may_match(need, "the 19th CENTURY", fold("the 19th CENTURY"))
    text = "the \u212aingdom"     # the Kelvin sign matches (?i)k
    assert re.search(r"(?i)kingdom", text)
    assert may_match(needs(re.compile(r"(?i)kingdom")), text, fold(text))
    assert not may_match(need, "no such word", fold("no such word"))


HOSTILE = [
    "The 1990s and the nineteen-nineties, the 19th century, in fiscal 2012 and FY'13, the \u212aelvin day before "
    "yesterday, each \u017fpring, the week of March 3rd, 2011, New Year's Eve, the first half of 2010, 3-day-long, "
    "the year-ago quarter, two years ago, the past few weeks, FIRST QUARTER OF 2009, İn the current fiscal year",
    "Tuesday morning at 10:30 a.m. EST, March 5, 2013 and 5 March 2013, 12/31/2012, 2013-03-22, Christmas Day",
    "\u0130n the end of the month; the sixties; 'the 80s'; mid-1990s; over the last decade; for years; right now",
]


def test_prefiltered_scan_finds_exactly_what_the_full_scan_finds() -> None:
    """Every time-expression recogniser, on hostile mixed-case text: the matches of the patterns not skipped are all
    the matches there are (a skipped pattern has none)."""
    for text in HOSTILE:
        folded = fold(text)
        for pat, _, _ in _RULES:
            found = [(m.span(), m.groupdict()) for m in pat.finditer(text)]
            if not may_match(needs(pat), text, folded):
                assert found == [], pat.pattern[:60]


def _matches(pat: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in pat.finditer(text)]


def test_first_char_guard_reads_the_start_of_every_match() -> None:
    assert first_char_guard(re.compile(r"(?i)\bcentury")).pattern == r"(?i)(?=(?i:[c]))\bcentury"
    # optional and repeated parts let what follows start the match; look-arounds start nothing
    assert first_char_guard(re.compile(r"(?<!-)(?:ab|cd)*e")).pattern == r"(?=(?-i:[ace]))(?<!-)(?:ab|cd)*e"
    assert first_char_guard(re.compile(r"(?i:the\s+)?[\d-]x")).pattern == r"(?=(?i:[t])|(?-i:[\-\d]))(?i:the\s+)?[\d-]x"
    for unbounded in (r"a?", r".x", r"[^x]y", r"(a)?\1x", r"(?:x|)"):
        assert first_char_guard(re.compile(unbounded)).pattern == unbounded


def test_guarded_recognisers_match_exactly_as_the_plain_ones() -> None:
    """Every time-expression recogniser and the bare-year pattern, guarded, against the same pattern unguarded, on
    hostile mixed-case text and on random mixtures of the characters and words the patterns start with."""
    rng = random.Random(7)
    pieces = ["the ", "The ", "THE ", "early ", "mid-", "late ", "1990s ", "'80s ", "2013 ", "12/31/2012 ", "at 10:30 ",
              "a.m. ", "March ", "Mar. ", "3rd ", "of ", "fiscal ", "FY", "quarter ", "first ", "half ", "two ",
              "years ", "ago ", "\u0130", "\u017f", "\u212a", "-", "’", "ſpring ", "ſummer ", "now ", "x", "\n", " "]
    texts = HOSTILE + ["".join(rng.choice(pieces) for _ in range(rng.randint(5, 60))) for _ in range(300)]
    plain = [re.compile(p) for p, _, _ in _RULE_SOURCES]
    assert [p.pattern for p, _, _ in _RULES] != [p.pattern for p in plain]     # the guards are in place
    for text in texts:
        for guarded, unguarded in zip([p for p, _, _ in _RULES], plain, strict=True):
            assert _matches(guarded, text) == _matches(unguarded, text), (unguarded.pattern[:60], text)
        assert _matches(re.compile(_YEAR_SOURCE), text) == _matches(_YEAR, text)
