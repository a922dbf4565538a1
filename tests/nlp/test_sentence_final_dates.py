"""Issue 16's month phrases at the end of a sentence, each read as a month (they gave no date at all when the
sentence's full stop followed them): "in March.", "by next March.", "mid-February."."""

from __future__ import annotations

from datetime import date

import pytest

spacy = pytest.importorskip("spacy")
pytestmark = pytest.mark.slow

PUBLISHED = date(2013, 3, 15)


@pytest.mark.parametrize(("text", "phrase", "value"), [
    ("The vote took place in March.", "March", "2013-03"),
    ("Elections are due in March.", "March", "2013-03"),
    ("The troops will leave by next March.", "next March", "2014-03"),
    ("Talks resumed in mid-February.", "mid-February", "2013-02"),
])
def test_month_at_the_end_of_a_sentence_is_a_date(nlp, text: str, phrase: str, value: str) -> None:
    from storyline.nlp.numbers.timex import resolve_times

    got = [(t.text, t.type, t.value, t.precision) for t in resolve_times(nlp(text), PUBLISHED, None)]
    assert (phrase, "DATE", value, "month") in got, got
