"""How likely one reported (indirect) attribution is to be real, and the ones too unlikely to show.

The cue rules and the learned tagger (``attribution``) judge a cue word by itself; many of their misses only show
once the whole attribution is in view: a cue whose "content" is a place or a scene ("reported from Libya", "shown on
all major US TV channels", "pushing back and forth between al-Brega and Ajdabiya"), a one-word object ("shrugged off
the pandemic"), a cue the learned model barely accepted with no speaker. A third linear model, the KEEP model,
scores each finished indirect attribution on those whole-attribution features (``keep_features``) and the extractor
drops the ones below ``AttributionModel.keep_threshold``. It is fitted on PolNeAR train predictions of cue/content
models that never saw those articles (``training/train_attribution.py``), labelled by whether the attribution
matches an annotated one; see ``models/attribution/MODEL_CARD.md``.

Only attributions the model can judge are scored: indirect, with a cue, the only attribution of that cue, and not
touching a quotation in marks (quotations are the direct-speech pass's, which has its own evidence). A figure given
by a named source is never dropped (``_holds_a_figure``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from spacy.tokens import Doc, Token

from ..runtime.doc_cache import doc_text
from .attribution import AttributionModel
from .attribution_features import _bucket, _path, doc_columns
from .context import Attr, QuoteContext, content_probs_of
from .cues import COGNITION_VERBS, LEARNED_VERBS, SPEECH_VERBS

# Speaker mentions that are a pronoun (the speaker was read through the pronoun, or not at all: "who")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"})


def keep_features(doc: Doc, model: AttributionModel, inside: bytearray, start: int, end: int,
                  cue: tuple[int, int], speaker_span: tuple[int, int] | None, has_speaker: bool,
                  has_entity: bool, has_medium: bool,
                  probs: Callable[[Token], list[tuple[Token, float]]] | None = None) -> list[str] | None:
    """Features of one finished indirect attribution (character offsets into ``doc.text``), or None when its
    content or cue does not map onto tokens. ``probs`` gives the content model's probabilities for a cue (default:
    computed here; the extractor passes its per-article memo)."""
    cue_span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    span = doc.char_span(start, end, alignment_mode="expand")
    if cue_span is None or span is None or not len(span):
        return None
    head = cue_span.root
    cols = doc_columns(doc)
    lem = cols.lemma[head.i]
    words = [t for t in span if not t.is_punct and not t.is_space]
    n = _bucket(len(words))
    p_cue = min(9, int(model.cue_prob(head) * 10))
    lex = ("speech" if lem in SPEECH_VERBS else "cog" if lem in COGNITION_VERBS else
           "learned" if lem in LEARNED_VERBS else "none")
    path = _path(cols, head.i, span.root.i)[0].split("/")[0]
    side = "L" if span.end <= head.i else "R"
    verb = any(t.pos_ in ("VERB", "AUX") for t in span)
    first = span[0]
    if speaker_span is None and not has_speaker:
        speaker = "none"
    else:
        said = doc_text(doc)[speaker_span[0] : speaker_span[1]].lower() if speaker_span is not None else ""
        speaker = "pron" if said in _PRONOUNS else ("ent" if has_entity else "np")
    scored = probs(head) if probs is not None else model.content_probs(head, inside)
    within = [p for t, p in scored if span.start <= t.i < span.end]
    mean = min(9, int(10 * sum(within) / len(within))) if within else 0
    elsewhere = sum(1 for t, p in scored if not span.start <= t.i < span.end and p > 0.5)
    return ["b", f"pc={p_cue}", f"lex={lex}", f"lex|pc={lex}|{p_cue}", f"l={lem}", f"cp={head.pos_}",
            f"cd={head.dep_}", f"n={n}", f"path={path}|{side}",
            f"fw={first.lower_ if first.is_stop else first.pos_}", f"verb={verb}", f"sk={speaker}",
            f"sk|lex={speaker}|{lex}", f"mean={mean}", f"out={_bucket(elsewhere)}",
            f"root={span.root.pos_}|{span.root.dep_}", f"n|verb={n}|{verb}", f"medium={has_medium}"]


def judged(attrs: list[Attr], inside: bytearray) -> list[Attr]:
    """The attributions the keep model judges: indirect, cued, alone on their cue, clear of quotation marks."""
    per_cue: dict[tuple[int, int], int] = {}
    for a in attrs:
        if a.cue is not None:
            per_cue[a.cue] = per_cue.get(a.cue, 0) + 1
    return [a for a in attrs if not a.direct and a.cue is not None and per_cue[a.cue] == 1
            and not any(inside[a.start : a.end])]


def keep_probability(cx: QuoteContext, a: Attr) -> float | None:
    """The keep model's probability that ``a`` is a real attribution (None when it cannot judge it)."""
    model = cx.model
    if model is None or not model.keep or a.cue is None:
        return None
    feats = keep_features(cx.doc, model, cx.inside, a.start, a.end, a.cue, a.speaker_span, a.speaker is not None,
                          a.entity is not None, a.medium is not None, lambda cue: content_probs_of(cx, cue))
    if feats is None:
        return None
    z = sum(model.keep.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def drop_unlikely(cx: QuoteContext, attrs: list[Attr]) -> list[Attr]:
    """``attrs`` without the judged attributions the keep model scores below its threshold (order kept)."""
    model = cx.model
    if model is None or not model.keep or model.keep_threshold <= 0.0:
        return attrs
    gone = set()
    for a in judged(attrs, cx.inside):
        if a.entity is not None and _holds_a_figure(cx, a):
            continue                         # "The WHO has confirmed eight deaths": a sourced figure is kept
        p = keep_probability(cx, a)
        if p is not None and p < model.keep_threshold:
            gone.add(id(a))
    return [a for a in attrs if id(a) not in gone] if gone else attrs


def _holds_a_figure(cx: QuoteContext, a: Attr) -> bool:
    """The content gives a number. Who gives which figure is what the numbers and their series are built on, so a
    named source's figure stays even where PolNeAR's annotators would not mark the sentence ("confirmed eight
    deaths")."""
    span = cx.doc.char_span(a.start, a.end, alignment_mode="expand")
    return span is not None and any(t.like_num or t.pos_ == "NUM" for t in span)
