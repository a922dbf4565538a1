"""Bounds on what one article costs the parser, whatever its text.

spaCy's tokenizer strips prefixes and suffixes from a whitespace-free chunk one at a time, copying the rest of the
chunk each time: a run of 20,000 ``(``, ``"``, ``'``, ``$`` or emoji takes minutes (quadratic in the run). The
guard hands spaCy a text of the *same length* in which

* a run of more than ``RUN_LIMIT`` non-alphanumeric, non-space characters keeps its first and last
  ``RUN_LIMIT // 2`` characters and has the middle replaced by spaces (``((((…))))`` stays a bracket run at each end;
  dividers of up to 64 ``-`` or ``=`` are untouched);
* a whitespace-free chunk still longer than ``CHUNK_LIMIT`` characters keeps its first and last
  ``CHUNK_LIMIT // 2`` characters and has the middle replaced by spaces (no word, number or URL in prose is that long).

Only spaces replace characters, one for one, so every token offset, sentence and fact span still indexes the stored
article text; the characters replaced are counted in the facts (``nlp_guarded``). Normal prose has neither, and is
given to spaCy unchanged.

What the parser and every later stage cost follows the number of tokens, and news prose has about one token per five
characters. Text far denser than that ("a-a-a-…", "a b c d …", ``'s's's``) is cut, for the parse only, where it
reaches ``MAX_TOKEN_DENSITY`` tokens per character of the whole text (``density_cut``); the rest stays stored, not
parsed, like text past ``max_nlp_chars``, and the facts say where (``nlp_truncated_at``).

The module also gives each parsed doc an O(log n) ``Token.sent`` / ``Span.sent`` (spaCy's own walks to both ends of the
sentence on every call, which is quadratic over a 100,000-character sentence when asked per token).
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

RUN_LIMIT = 64
CHUNK_LIMIT = 400
MAX_TOKEN_DENSITY = 0.35      # tokens per character; news prose has ~0.2, number tables ~0.3
DENSITY_FLOOR = 200           # tokens any text may have, however short
_LONG_CHUNK = re.compile(rf"\S{{{RUN_LIMIT + 1},}}")
_LONG_RUN = re.compile(rf"[^\w\s]{{{RUN_LIMIT + 1},}}")
_HUGE_CHUNK = re.compile(rf"\S{{{CHUNK_LIMIT + 1},}}")
_SENTS = "storyline.sent_starts"


def guard_text(text: str) -> tuple[str, int]:
    """(text safe for the tokenizer, number of characters replaced by spaces); same length as ``text``."""
    if _LONG_CHUNK.search(text) is None:          # prose: one regex scan, text returned as is
        return text, 0
    chars: list[str] | None = None
    replaced = 0
    keep = RUN_LIMIT // 2
    for m in _LONG_RUN.finditer(text):
        chars = chars if chars is not None else list(text)
        a, b = m.start() + keep, m.end() - keep
        chars[a:b] = " " * (b - a)
        replaced += b - a
    guarded = "".join(chars) if chars is not None else text
    if _HUGE_CHUNK.search(guarded) is not None:
        chars = list(guarded)
        half = CHUNK_LIMIT // 2
        for m in _HUGE_CHUNK.finditer(guarded):
            a, b = m.start() + half, m.end() - half
            chars[a:b] = " " * (b - a)
            replaced += b - a
        guarded = "".join(chars)
    assert len(guarded) == len(text)
    return guarded, replaced


def density_cut(tokenizer: Callable[[str], Doc], text: str) -> int | None:
    """Where to cut ``text`` for the parse so it has at most ``MAX_TOKEN_DENSITY`` tokens per character of the
    whole text (and at least ``DENSITY_FLOOR``); None when it is within that (all prose is)."""
    allowed = max(DENSITY_FLOOR, int(MAX_TOKEN_DENSITY * len(text)))
    if len(text) <= allowed:              # a text cannot have more tokens than characters
        return None
    doc = tokenizer(text)
    if len(doc) <= allowed:
        return None
    return int(doc[allowed].idx)


def index_sentences(doc: Doc) -> None:
    """Install O(log n) ``Token.sent`` and ``Span.sent`` on ``doc`` (same answers as spaCy's: the sentence holding
    the token, or the span's first token)."""
    starts = [s.start for s in doc.sents]
    doc.user_data[_SENTS] = starts
    n = len(doc)

    def sent_of(i: int) -> Span:
        k = bisect_right(starts, i) - 1
        return doc[starts[k]: starts[k + 1] if k + 1 < len(starts) else n]

    def token_sent(tok: Token) -> Span:
        return sent_of(tok.i)

    def span_sent(span: Span) -> Span:
        return sent_of(span.start)

    doc.user_token_hooks["sent"] = token_sent
    doc.user_span_hooks["sent"] = span_sent


class ArticleTimeout(Exception):
    """The per-article time budget ran out between two stages."""


clock = time.perf_counter      # module-level, so a test can move the budget's clock


class Budget:
    """A soft per-article time budget, checked between stages: a stage running in native code (the parse) cannot be
    interrupted in-process, so an article overruns by at most its longest stage, which the guard above bounds."""

    def __init__(self, seconds: float, already: float = 0.0) -> None:
        self.seconds = seconds
        self.start = clock() - already

    def check(self, stage: str) -> None:
        spent = clock() - self.start
        if spent > self.seconds:
            raise ArticleTimeout(
                f"analysis ran past the per-article time budget of {self.seconds:g} s ({spent:.1f} s by the end of "
                f"{stage}); the text is stored but not analysed; raise STORYLINE_ARTICLE_TIME_BUDGET or lower "
                "STORYLINE_MAX_NLP_CHARS to analyse it")


def parse_share(texts: list[str], seconds: float) -> list[float]:
    """A batch's parse time split over its articles by length (spaCy parses a batch at once)."""
    total = sum(len(t) for t in texts) or 1
    return [seconds * len(t) / total for t in texts]


def guarded_texts(texts: list[str]) -> tuple[list[str], list[int]]:
    pairs = [guard_text(t) for t in texts]
    return [p[0] for p in pairs], [p[1] for p in pairs]
