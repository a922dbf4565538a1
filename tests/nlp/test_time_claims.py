"""When each claim is about, and how that is known (issue 15, item 2): every claim carries ``time_basis`` — "stated"
(its own date named outright), "resolved" (its own relative date resolved against the publication date) or
"inferred" (no date of its own, or one resolved against an undated article's inferred bounds) — and the timeline's
``date_basis`` follows it."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.nlp.numbers.timex_values import claim_time_basis

spacy = pytest.importorskip("spacy")


def test_basis_from_the_anchor_and_value() -> None:
    assert claim_time_basis("absolute", "2003-03") == "stated"
    assert claim_time_basis("published", "2021-04-22") == "resolved"
    assert claim_time_basis("bounds", "2021") == "inferred"
    assert claim_time_basis(None, None) == "inferred"
    # 'now' is the publication date itself: resolved, never stated, whatever anchor the engine gave it
    assert claim_time_basis("absolute", "PRESENT_REF") == "resolved"
    assert claim_time_basis("absolute", "FUTURE_REF") == "inferred"


def _claim(nlp, text: str, predicate: str, published: date | None = date(2021, 4, 23),
           bounds: tuple[date, date] | None = None):
    from storyline.nlp.claims.extract import extract_claims
    from storyline.nlp.numbers.timex import resolve_times
    doc = nlp(text)
    claims = extract_claims(doc, "a1", [], resolve_times(doc, published, bounds), None, nlp=nlp)
    return next(c for c in claims if c.predicate == predicate)


@pytest.mark.slow
def test_each_claim_says_whether_its_time_is_stated_resolved_or_inferred(nlp) -> None:
    c = _claim(nlp, "The United States invaded Iraq in March 2003.", "invade")
    assert (c.event_date, c.time_basis) == ("2003-03", "stated")
    c = _claim(nlp, "Rockets hit the base on Thursday.", "hit")
    assert (c.event_date, c.time_basis) == ("2021-04-22", "resolved")
    c = _claim(nlp, "Rockets hit the base.", "hit")
    assert (c.event_date, c.time_basis) == (None, "inferred")
    # an undated article: 'Thursday' can only be placed within the bounds inferred for it
    c = _claim(nlp, "Rockets hit the base on Thursday.", "hit", published=None,
               bounds=(date(2021, 4, 1), date(2021, 4, 30)))
    assert (c.event_date, c.time_basis) == ("2021-04", "inferred")


@pytest.mark.slow
def test_headline_claims_keep_no_date_of_their_own(nlp) -> None:
    from storyline.nlp.claims.extract import extract_claims
    doc = nlp("The troops will stay, the general said on Thursday.")
    claims = extract_claims(doc, "a1", [], [], "US agrees on Thursday to withdraw troops from Iraq", nlp=nlp)
    titles = [c for c in claims if c.start == c.end == 0]
    assert titles and all((c.event_date, c.time_basis) == (None, "inferred") for c in titles)


def test_timeline_date_basis_follows_the_claims_time_basis() -> None:
    from storyline.xdoc.timeline import _event_date

    class _Doc:
        published = date(2021, 4, 23)
        bounds = None

        def sentence_at(self, _offset: int) -> None:
            return None

    doc = _Doc()
    stated = {"start": 5, "event_date": "2021-04-07", "event_date_precision": "day", "time_basis": "stated"}
    resolved = dict(stated, time_basis="resolved")
    assert _event_date(doc, stated, False) == ("2021-04-07", "day", "stated")        # type: ignore[arg-type]
    assert _event_date(doc, resolved, False) == ("2021-04-07", "day", "resolved")    # type: ignore[arg-type]
    # a headline claim with no date of its own is placed on the article's date: inferred
    assert _event_date(doc, {"start": 0}, True) == ("2021-04-23", "day", "inferred")  # type: ignore[arg-type]
    assert _event_date(doc, {"start": 5}, False) is None                             # type: ignore[arg-type]
