"""The attribute ruler and lemmatizer stand-ins (nlp/runtime/fast_components.py) must parse exactly as spaCy's own
components do: every token attribute they touch, on text that exercises the ruler's single-token, dependency-
conditioned and multi-token patterns and the lemmatizer's rule, exception and base-form paths."""

from __future__ import annotations

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, TAG

from storyline.nlp.runtime.fast_components import FastAttributeRuler, FastLemmatizer, speed_up
from storyline.nlp.runtime.spacy_model import load_nlp

TEXTS = [
    "I told you it was gonna rain, and y'all ain't listening. Let's go, c'mon!",
    "There is a problem: there were 59 confirmed cases and the ministry says it isn't over.\n\nNext paragraph  here.",
    "Mr. Trump's aides said they'd been briefed; she met him and gave it to me, but they were leaving anyway.",
    "The children ran faster than the geese; mice were better fed than oxen, and the data are being analysed.",
    "“We are estimating one million cases,” the WHO's spokesman, Gregory Hartl, told reporters in Geneva on Friday.",
]
COLUMNS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD]


@pytest.fixture(scope="module")
def stock_nlp():
    return load_nlp(stock=True)


def test_product_pipeline_uses_the_stand_ins(nlp, stock_nlp) -> None:
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), FastLemmatizer)
    assert not isinstance(stock_nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert not isinstance(stock_nlp.get_pipe("lemmatizer"), FastLemmatizer)


def test_parses_equal_spacys_own_components(nlp, stock_nlp) -> None:
    # twice through the fast pipeline: the second pass reads the per-key caches the first one filled
    for _ in range(2):
        for ours, theirs in zip(nlp.pipe(TEXTS), stock_nlp.pipe(TEXTS), strict=True):
            assert (ours.to_array(COLUMNS) == theirs.to_array(COLUMNS)).all()
            assert [(t.lemma_, t.pos_, str(t.morph)) for t in ours] == [(t.lemma_, t.pos_, str(t.morph)) for t in theirs]
            assert [(e.start, e.end, e.label_) for e in ours.ents] == [(e.start, e.end, e.label_) for e in theirs.ents]


def test_rules_the_stand_ins_apply(nlp) -> None:
    doc = nlp("They are gonna win, and I think there is hope.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"        # a two-token pattern ("gon na")
    assert lemmas["are"] == "be" and lemmas["think"] == "think"
    i = next(t for t in doc if t.text == "I")
    assert i.morph.get("Case") == ["Nom"]                        # a pattern that reads the dependency label
    assert next(t for t in doc if t.text == "is").pos_ == "VERB"    # "there is": expletive + copula pattern


def test_unknown_pattern_keeps_spacys_ruler() -> None:
    import spacy

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"TAG": "DT"})      # a quantifier: not a single-token test
    assert speed_up(blank) == []
    assert not isinstance(blank.get_pipe("attribute_ruler"), FastAttributeRuler)


def test_caches_start_afresh_past_their_limit_and_parse_the_same(nlp, stock_nlp, monkeypatch) -> None:
    from storyline.nlp.runtime import fast_components

    monkeypatch.setattr(fast_components, "CACHE_LIMIT", 5)
    nlp.get_pipe("lemmatizer").__dict__["_storyline_lemmas"].clear()       # every key a miss again
    nlp.get_pipe("attribute_ruler").__dict__["_storyline_plan"].matched.clear()
    for ours, theirs in zip(nlp.pipe(TEXTS), stock_nlp.pipe(TEXTS), strict=True):
        assert (ours.to_array(COLUMNS) == theirs.to_array(COLUMNS)).all()
    assert len(nlp.get_pipe("lemmatizer").__dict__["_storyline_lemmas"]) <= 5
    assert len(nlp.get_pipe("attribute_ruler").__dict__["_storyline_plan"].matched) <= 5
