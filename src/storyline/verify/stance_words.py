"""The stance model's word-level vocabulary: its tokenizer, stop words and cue lexicons.

Shared by the stance features (``stance.py``) and the framing rewrite of short texts (``stance_frame.py``); kept in
a module of their own so that neither of those imports the other for them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOP = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being it its this
that these those he she they we you i his her their our your has have had do does did will would shall should can could
may might must not no so than then there here what which who whom whose when where why how all any both each few more
most other some such only own same too very s t just also into about over after before under again further once up
down out off said says say""".split())
# Cue lexicons (lower-case tokens or phrases). Counted, not hard rules: the learned stages weigh them.
REFUTE = ("fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denial", "debunk", "debunked", "debunks",
          "not true", "untrue", "refute", "refuted", "refutes", "rebut", "dismiss", "dismissed", "dismisses", "myth",
          "rumor", "rumors", "rumour", "prank", "satire", "satirical", "made up", "fabricated", "bogus", "baseless",
          "doubt", "doubts", "despite", "nope", "no evidence", "not real", "misleading", "incorrect", "wrong",
          "retract", "retracted", "contrary", "disputed", "dispute", "reject", "rejected", "rejects", "lie", "lies")
HEDGE = ("allegedly", "alleged", "reportedly", "reported", "reports", "report", "claim", "claims", "claimed",
         "purportedly", "purported", "apparently", "may", "might", "could", "possibly", "possible", "perhaps",
         "rumored", "rumoured", "unconfirmed", "unverified", "suggest", "suggests", "appears", "seems", "likely",
         "according", "sources", "speculation", "believed", "thought", "unclear", "if", "whether", "supposedly")
NEGATION = ("not", "no", "never", "n't", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
            "isn't", "wasn't", "aren't", "weren't", "didn't", "doesn't", "don't", "won't", "hasn't", "haven't")
SUPPORT = ("confirmed", "confirms", "confirm", "announced", "announces", "officially", "official", "revealed",
           "proved", "proves", "indeed", "true", "verified", "admitted", "admits", "says", "said", "shows", "showed")
LEXICONS = {"refute": REFUTE, "hedge": HEDGE, "neg": NEGATION, "support": SUPPORT}


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def content(ws: Sequence[str]) -> list[str]:
    return [w for w in ws if w not in STOP and len(w) > 1]
