"""Quotes and reported speech with their speaker, cue and medium.

Three sources of evidence are combined:
1. the dependency parse: a cue verb ("said", "warned", "believes") with a clausal complement, "according to X",
   inverted order ("…, the commander said"), "AP quoted X as saying";
2. quotation marks (``marks``, ``quotations``): the words inside marks are the content of a direct quote even where
   the parser split them into several sentences; a quote without its own cue takes the cue next to it, or continues
   the previous quote ("“A,” he said. “B.”" and multi-paragraph quotes);
3. a learned cue + content tagger (``attribution``, ``learned``) that adds the attributions whose cue no rule
   knows, where the rules claimed no words, and moves an indirect rule content's boundaries when its content model
   clearly prefers other ones.
The work is split by concern, as plain functions over one ``context.QuoteContext`` (the article's parse, text,
entity index, learned model and quotation marks) that ``_context`` builds once per article: ``spans`` (span
cleaning), ``reported`` (parse rules), ``learned`` (learned path), ``quotations`` (quotation marks), ``speakers``
(who speaks, medium), ``topics`` (the passage's topic for pronouns and descriptions), ``affiliations`` (role and the
body spoken for); this module drives them.
Speakers resolve through ``EntityIndex`` (names, pronouns, role nouns); statements of bodies go to the body.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ...model import Entity, Quote, content_id
from ..entities.extract import EntityIndex
from ..runtime.doc_cache import doc_text
from .affiliations import role_and_affiliation
from .attribution import AttributionModel
from .attribution_keep import drop_unlikely
from .context import Attr, QuoteContext
from .cues import HEADLINE_VERBS
from .learned import with_learned
from .marks import find_marked_quotes, headline_attributions
from .quotations import FIRST_PERSON, SAME_TURN_CHARS, cut_unclosed, is_name, join_open_paragraphs, with_marks
from .reported import parse_attributions
from .speakers import resolve

_WORDY = re.compile(r"\w\w")       # a content of no word ("’s", "—") is a parse slip, not speech
_CONTENT_POS = frozenset({"NOUN", "PROPN", "PRON", "INTJ", "NUM"})   # what a one-word content may be
# A speaker or role read off a span the parser cut mid-phrase ends in a comma or a word that needs more ("a former
# British ambassador to Libya and", "a spokesman for", "the state government of Jalisco,"): those ends say nothing.
# A trailing "with"/"to" may be a stranded preposition ("the doctors we are working with"), so only words that never
# end a name are cut.
_LOOSE_END = re.compile(r"(?:[\s,;:(\-–—]+|\s+(?:and|or|but|of|for|the|a|an))+$")


def extract_quotes(doc: Doc, article_id: str, entities: list[Entity] | EntityIndex | None = None,
                   learned: bool | AttributionModel = True) -> list[Quote]:
    """All quotes and attributions of one article, ordered by position; offsets are into ``doc.text``.

    ``learned``: add the attributions of the learned cue/content tagger (``attribution``) where the rules found
    none (and let it re-bound indirect rule contents); True uses the shipped model (skipped when its file is absent), False the rules alone."""
    index = entities if isinstance(entities, EntityIndex) else (
        EntityIndex(doc, entities) if entities is not None else EntityIndex.build(doc, article_id))
    model = learned if isinstance(learned, AttributionModel) else (AttributionModel.load() if learned else None)
    return _run(_context(doc, index, model), article_id)


def quote_span(doc: Doc, quote: Quote) -> Span | None:
    """The tokens of a quote's content (for claim extraction that wants to re-use the parse)."""
    return doc.char_span(quote.start, quote.end, alignment_mode="expand")


def _context(doc: Doc, index: EntityIndex, model: AttributionModel | None) -> QuoteContext:
    """The article as every step sees it: quotation marks found once (names and scare quotes left out, unclosed ones
    cut at their cue), and which characters they hold."""
    cx = QuoteContext(doc, doc_text(doc), index, model)
    cx.marks = [q for q in find_marked_quotes(cx.text) if not is_name(cx, q)]
    cut_unclosed(cx)
    join_open_paragraphs(cx)
    cx.inside = bytearray(len(cx.text) + 1)
    for q in cx.marks:
        for c in range(q.start, q.end):
            cx.inside[c] = 1
    return cx


def _run(cx: QuoteContext, article_id: str) -> list[Quote]:
    """Find the attributions (parse rules, learned tagger, headline, quotation marks), then resolve each one's speaker
    in text order: a quote may take its voice from the ones before it (``_first_person``, ``_carry_on``)."""
    attrs = _with_headline(cx, with_learned(cx, parse_attributions(cx)))
    attrs = with_marks(cx, attrs)
    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    kept: list[Attr] = []
    for a in sorted(attrs, key=lambda a: (a.start, a.end)):
        if (a.start, a.end) in seen or a.end <= a.start or not _WORDY.search(cx.text[a.start : a.end]):
            continue
        if not a.direct and _lone_function_word(cx, a):
            continue
        seen.add((a.start, a.end))
        resolve(cx, a)
        _first_person(cx, a, kept)
        _carry_on(cx, a, kept)
        role_and_affiliation(cx, a)
        kept.append(a)
    for a in kept:
        a.speaker, a.role = _tidy(a.speaker), _tidy(a.role)
    for a in drop_unlikely(cx, kept):
        cue_text = cx.text[a.cue[0] : a.cue[1]] if a.cue else None
        out.append(Quote(
            id=content_id("quote", article_id, a.start, a.end),
            article_id=article_id, start=a.start, end=a.end, text=cx.text[a.start : a.end],
            speaker=a.speaker, speaker_entity_id=a.entity.id if a.entity else None, cue=cue_text,
            direct=a.direct, speaker_start=a.speaker_span[0] if a.speaker_span else None,
            speaker_end=a.speaker_span[1] if a.speaker_span else None,
            cue_start=a.cue[0] if a.cue else None, cue_end=a.cue[1] if a.cue else None, medium=a.medium,
            speaker_role=a.role, speaker_affiliation=a.affiliation,
            speaker_affiliation_entity_id=a.affiliation_entity.id if a.affiliation_entity else None,
        ))
    return out


# A bare determiner or relative/question pronoun names nobody ("And who could challenge him?", a "who" whose
# antecedent the sentence split cut off)
# (case kept: "WHO" is the World Health Organization)
_NOT_A_NAME = frozenset({"the", "a", "an", "who", "which", "that", "whom", "The", "Who", "Which", "That"})


def _tidy(label: str | None) -> str | None:
    """A speaker's name or role without a loose end (``_LOOSE_END``); nothing when it names nobody."""
    if label is None:
        return None
    tidy = _LOOSE_END.sub("", label.strip()).strip()
    return tidy if tidy and tidy not in _NOT_A_NAME else None


def _lone_function_word(cx: QuoteContext, a: Attr) -> bool:
    """A reported content of one word that names nothing ("conceded that", "wants to", "seems stable", "accused
    of"): the parse lost the clause, and the word alone says nothing a reader could check (PolNeAR train: 2 of 42
    such contents match an annotation)."""
    if len(cx.text[a.start : a.end].split()) > 1:
        return False                        # the common case, without building a span
    span = cx.doc.char_span(a.start, a.end, alignment_mode="expand")
    words = [t for t in span if not t.is_punct and not t.is_space] if span is not None else []
    return len(words) == 1 and words[0].pos_ not in _CONTENT_POS


def _first_person(cx: QuoteContext, a: Attr, before: list[Attr]) -> None:
    """"I"/"we" inside quotation marks ("“… but I hope we'll add charges”"): the voice is the speaker of the
    quotation that holds the pronoun, else of the last attribution just before it (same turn), passing over
    attributions made inside a quotation ("“Contrary to what Saif said, …”": Saif is reported, not speaking)."""
    tok = a.source
    uncued = tok is None and a.speaker is None and a.direct
    if uncued:
        tok = _first_person_in(cx, a)       # a quotation with no cue that speaks as "I"/"we": the turn goes on
    if a.speaker is not None or tok is None or tok.lower_ not in FIRST_PERSON or not _in_quotation(cx, tok.idx):
        return
    voiced = [b for b in before if b.speaker is not None and b.speaker_span is not None
              and not _in_quotation(cx, b.speaker_span[0]) and (b.direct or not uncued)]
    holder = next((b for b in reversed(voiced) if b.direct and b.start <= tok.idx < b.end), None)
    if holder is None:
        holder = next((b for b in reversed(voiced) if b.end <= tok.idx), None)
        if holder is not None and tok.idx - holder.end >= SAME_TURN_CHARS:
            holder = None
    if holder is not None:
        a.speaker, a.entity, a.speaker_span = holder.speaker, holder.entity, (tok.idx, tok.idx + len(tok.text))
        a.role, a.affiliation, a.affiliation_entity = holder.role, holder.affiliation, holder.affiliation_entity



def _first_person_in(cx: QuoteContext, a: Attr) -> Token | None:
    """The first "I"/"we" of a quotation's own words (not of a quotation inside it)."""
    span = cx.doc.char_span(a.start, a.end, alignment_mode="expand")
    if span is None:
        return None
    nested = False
    for t in span:
        if t.text in ("‘", "’", "'") and t.is_punct:
            nested = not nested
        elif not nested and t.lower_ in FIRST_PERSON and t.pos_ == "PRON":
            return t
    return None


def _in_quotation(cx: QuoteContext, pos: int) -> bool:
    """Inside quotation marks, including a quotation the mark finder left unpaired: the last mark before the
    position (in the paragraphs just above) opens one."""
    if cx.inside[pos]:
        return True
    back = cx.text[max(0, pos - SAME_TURN_CHARS) : pos]
    last = max(back.rfind("“"), back.rfind("”"))
    return last >= 0 and back[last] == "“"



def _carry_on(cx: QuoteContext, a: Attr, before: list[Attr]) -> None:
    """"“A,” adding that B": a participle cue with no subject of its own continues the quote just before it."""
    if a.speaker is not None or a.source is not None or a.cue is None or not before:
        return
    cue = cx.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
    prev = before[-1]
    if cue is None or cue.root.tag_ != "VBG" or prev.speaker is None or prev.end > a.cue[0]:
        return
    gap = cx.text[prev.end : a.cue[0]]
    if len(gap) < 12 and not any(c in gap for c in ".!?\n") or gap.strip(" ,”’\"") == "":
        a.speaker, a.entity, a.speaker_span = prev.speaker, prev.entity, prev.speaker_span
        a.role, a.affiliation, a.affiliation_entity = prev.role, prev.affiliation, prev.affiliation_entity



def _with_headline(cx: QuoteContext, attrs: list[Attr]) -> list[Attr]:
    """A headline read off its surface replaces what the parser made of it."""
    heads = headline_attributions(cx.text, HEADLINE_VERBS)
    if not heads:
        return attrs
    line_end = max(h.content[1] for h in heads)
    out = [a for a in attrs if not (a.cue and a.cue[0] < line_end)]
    for h in heads:
        a = Attr(h.content[0], h.content[1], h.cue, None, False, speaker_span=h.source)
        ent = cx.index.at(*h.source)
        a.entity = ent
        a.speaker = ent.name if ent is not None else cx.text[h.source[0] : h.source[1]]
        out.append(a)
    return out
