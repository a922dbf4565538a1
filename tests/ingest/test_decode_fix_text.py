"""``decode.fix_text`` skips the lines ftfy would leave unchanged and must give exactly ``ftfy.fix_text``'s output."""

from __future__ import annotations

import random

import ftfy

from storyline.ingest.decode import fix_text


def _ftfy(text: str) -> str:
    return ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")


HOSTILE = [
    "The Mona Lisa doesnâ€™t have eyebrows.\nA plain line.\nAnother â€œquoteâ€\x9d here",
    "Caf\u00e9 &amp; bar\nfish &amp; chips &lt;3\nplain",                   # entities on ASCII lines of a non-ASCII text
    "<b>bold</b> caf\u00e9\nfish &amp; chips\n",                         # '<' turns unescaping off for what follows
    "fish &amp; chips\n<p> caf\u00e9\nmore &amp; more",                   # ... but not for what came before
    "<b>bold</b>\nfish &amp; chips\ncaf\u00e9",                         # a skipped line's '<' counts too
    "\x1b[31mred\x1b[0m text caf\u00e9\nbell\x07 and del\x7f and ff\x0c and vt\x0b\nok",
    "ligature \ufb01sh and \uff26\uff55\uff4c\uff4c width\nline\u2028sep\u2029para\x85next\rcr",
    "lone surrogate \ud83d here\nand e\u0301 to compose\n\n\nend\t tab",
    "\u00c3\u00a9t\u00c3\u00a9 mojibake\n" * 3 + "tail",
]


def test_fix_text_equals_ftfy_on_hostile_text() -> None:
    for text in HOSTILE:
        assert fix_text(text) == _ftfy(text), text


def test_fix_text_equals_ftfy_on_random_mixtures() -> None:
    """Random texts of plain words, lines and every kind of character some ftfy fixer acts on."""
    rng = random.Random(17)
    parts = ["plain words", "&amp;", "&", "<", "<i>", "\n", "\n\n", "\t", "\r", "\x1b[1m", "\x00", "\x0c", "\x7f", "\x85",
             "\x9d", "â€™", "Ã©", "\u00e9", "e\u0301", "\ufb02", "\uff21", "\u2028", "\ud800", "’", "“quoted”", "x" * 50]
    for _ in range(400):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 30)))
        assert fix_text(text) == _ftfy(text), repr(text)
