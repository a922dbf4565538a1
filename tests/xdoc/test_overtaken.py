"""The superseded-position gate: an earlier plan and a later opposite statement about the same actor and thing."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np

from storyline.xdoc.overtaken import overtaken
from storyline.xdoc.pair_features import ClaimRef, content_words

_VEC = np.ones(4) / 2.0     # unit vector: cosine 1 between any two claims built here


def _ref(cid: str, article: str, text: str, *, stance: int, modality: str, sign: int | None = None,
         obj: str = "", places: frozenset[str] = frozenset({"iraq"}), subject: str | None = "us") -> ClaimRef:
    return ClaimRef(id=cid, article_id=article, canonical=article, text=text, predicate="withdraw",
                    frame="presence_end", sign=stance if sign is None else sign, stance=stance, modality=modality,
                    polarity=True, speaker=None, subject=subject, args=places | {subject} if subject else places,
                    places=places, event_date=None, event_precision=None, stated=None, stated_inferred=False,
                    outlet=article, story_id="s", object_words=content_words(obj), vec=_VEC)


def _view(**days: date) -> Any:
    return SimpleNamespace(by_id={a: SimpleNamespace(published=d, bounds=None) for a, d in days.items()})


PLAN = _ref("c1", "a", "The US agreed to withdraw its combat troops from Iraq", stance=1, modality="planned")
STAY = _ref("c2", "b", "American troops will remain in Iraq", stance=-1, modality="predicted")


def test_a_plan_overtaken_two_weeks_later_is_found_in_either_order() -> None:
    view = _view(a=date(2021, 4, 7), b=date(2021, 4, 23))
    for x, y in ((PLAN, STAY), (STAY, PLAN)):
        found = overtaken(view, x, y)
        assert found is not None
        earlier, later, gap = found
        assert (earlier.id, later.id, gap) == ("c1", "c2", 16)


def test_statements_of_the_same_week_are_not_a_supersession() -> None:
    assert overtaken(_view(a=date(2021, 4, 7), b=date(2021, 4, 10)), PLAN, STAY) is None


def test_an_earlier_fact_is_not_a_position_to_overtake() -> None:
    fact = _ref("c1", "a", "The US withdrew its combat troops from Iraq", stance=1, modality="asserted")
    assert overtaken(_view(a=date(2021, 4, 7), b=date(2021, 4, 23)), fact, STAY) is None


def test_another_place_and_other_objects_are_another_proposition() -> None:
    elsewhere = _ref("c2", "b", "American troops will remain in Syria", stance=-1, modality="predicted",
                     places=frozenset({"syria"}))
    assert overtaken(_view(a=date(2021, 4, 7), b=date(2021, 4, 23)), PLAN, elsewhere) is None


def test_other_objects_and_no_shared_place_are_another_proposition() -> None:
    plan = _ref("c1", "a", "no ground forces will be used", stance=-1, modality="predicted", obj="ground forces",
                places=frozenset())
    used = _ref("c2", "b", "air power has been used", stance=1, modality="asserted", obj="air power",
                places=frozenset())
    assert overtaken(_view(a=date(2011, 3, 31), b=date(2011, 4, 26)), plan, used) is None
    again = _ref("c2", "b", "ground forces have been used", stance=1, modality="asserted", obj="ground forces",
                 places=frozenset())
    assert overtaken(_view(a=date(2011, 3, 31), b=date(2011, 4, 26)), plan, again) is not None


def test_questions_and_bare_infinitives_state_nothing() -> None:
    view = _view(a=date(2021, 4, 7), b=date(2021, 4, 23))
    for text in ("whether US troops remain in Iraq or not", "why US troops remain in Iraq"):
        question = _ref("c2", "b", text, stance=-1, modality="asserted")
        assert overtaken(view, PLAN, question) is None
    cause = _ref("c2", "b", "Attacks would cause the US to withdraw from Iraq", stance=-1, modality="asserted")
    assert overtaken(view, PLAN, cause) is None


def test_an_undated_side_cannot_be_ordered() -> None:
    view = SimpleNamespace(by_id={"a": SimpleNamespace(published=date(2021, 4, 7), bounds=None),
                                  "b": SimpleNamespace(published=None, bounds=(date(2003, 1, 1), None))})
    assert overtaken(view, PLAN, STAY) is None
