"""The two records every function of the quote extractor shares.

``QuoteContext`` is the one article the extractor works on (parse, text, entities, the learned model, the quotation
marks); ``extract._context`` builds it once per article and every step is a plain function taking it first (``cx``),
so a step reads what it needs from one place instead of from a class spread over several files.  ``Attr`` is what
every finder (quotation marks, the parse, the learned tagger) produces before speakers are resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ...model import Entity
from ..entities.extract import EntityIndex
from .attribution import AttributionModel
from .marks import MarkedQuote

# One speaker's affiliations as (kind rank, name, entity), read once per person (``speakers.role_and_affiliation``)
Affiliations = list[tuple[int, str, Entity | None]]


@dataclass(slots=True)
class Attr:
    start: int
    end: int
    cue: tuple[int, int] | None
    source: Token | None
    direct: bool = False
    medium: str | None = None
    speaker: str | None = None
    entity: Entity | None = None
    speaker_span: tuple[int, int] | None = None
    role: str | None = None
    affiliation: str | None = None
    affiliation_entity: Entity | None = None


@dataclass(slots=True)
class QuoteContext:
    """One parsed article as the quote extractor sees it.  The document, its entities and the quotation marks do not
    change while quotes are read; only ``affiliation_memo`` fills up."""

    doc: Doc
    text: str
    index: EntityIndex
    model: AttributionModel | None                          # the learned tagger; None: the rules alone
    marks: list[MarkedQuote] = field(default_factory=list)  # quotations in marks (names and scare quotes left out)
    inside: bytearray = field(default_factory=bytearray)    # 1 for every character inside quotation marks
    affiliation_memo: dict[int, Affiliations] = field(default_factory=dict)   # id(person entity) -> affiliations
    # cue token index -> the content model's probabilities over its sentence: the learned path, the boundary choice
    # and the keep model all read them for the same cues, and they cost a feature set per token of the sentence
    content_memo: dict[int, list[tuple[Token, float]]] = field(default_factory=dict)


def content_probs_of(cx: QuoteContext, cue: Token) -> list[tuple[Token, float]]:
    """``cx.model.content_probs`` for ``cue``, computed once per article (the marks and the parse do not change)."""
    hit = cx.content_memo.get(cue.i)
    if hit is None:
        assert cx.model is not None
        hit = cx.content_memo[cue.i] = cx.model.content_probs(cue, cx.inside)
    return hit
