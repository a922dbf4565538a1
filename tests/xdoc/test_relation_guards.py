"""Rules that keep two claims from being shown as one agreed proposition when their context says otherwise: figures
written to the unit, places of the sentence and of the article, codes a tagger took for places, figures for an
ordinary period and years used as attributes."""

from __future__ import annotations

import dataclasses
from datetime import date

from storyline.xdoc.entities import EntityIndex, place_ids
from storyline.xdoc.pair_features import ClaimRef, compatible, content_words, number_bounds
from storyline.xdoc.relations import places_differ
from storyline.xdoc.series import _TYPICAL, _usable


class _Interval:
    def __init__(self, b: tuple[float, float]) -> None:
        self.lo, self.hi = b


def _iv(**q: object) -> _Interval:
    b = number_bounds(q)
    assert b is not None
    return _Interval(b)


def test_hedged_figures_written_to_the_unit_name_that_value() -> None:
    # "up to 103" and "up to 101" people on two days are two tolls, not one agreed figure
    assert not compatible(_iv(value=103, high=103, approximate=True), _iv(value=101, high=101, approximate=True))
    assert not compatible(_iv(value=169, approximate=True), _iv(value=176, approximate=True))
    # a rounded figure said to be approximate still covers its neighbourhood
    assert compatible(_iv(value=60, approximate=True), _iv(value=57))
    assert compatible(_iv(value=36000, approximate=True), _iv(value=35000))
    # exact counts below a thousand have no tolerance at all
    assert not compatible(_iv(value=33), _iv(value=34))


def _ref(cid: str, *, outlet: str, places: set[str], context: set[str] = frozenset(),   # type: ignore[assignment]
         article: set[str] = frozenset()) -> ClaimRef:   # type: ignore[assignment]
    return ClaimRef(id=cid, article_id=f"art_{cid}", canonical=f"art_{cid}", text="two people tested positive",
                    predicate="test", frame="test", sign=1, stance=1, modality="asserted", polarity=True,
                    speaker=None, subject=None, args=frozenset(places), places=frozenset(places),
                    event_date=None, event_precision=None, stated=date(2009, 4, 27), stated_inferred=False,
                    outlet=outlet, story_id="s", words=content_words("two people tested positive"),
                    context_places=frozenset(context), article_places=frozenset(article))


def test_claims_placed_apart_by_their_sentences_are_not_one_proposition() -> None:
    scotland = _ref("a", outlet="Reuters", places=set(), context={"glasgow"}, article={"glasgow", "france", "uk"})
    france = _ref("b", outlet="BBC", places={"france"}, context={"france"}, article={"france", "uk"})
    assert places_differ(scotland, france) and places_differ(france, scotland)


def test_nested_places_both_articles_cover_stay_together() -> None:
    england = _ref("a", outlet="Guardian", places={"england"}, article={"england", "uk"})
    uk = _ref("b", outlet="BBC", places={"uk"}, article={"uk", "england"})
    assert not places_differ(england, uk)


def test_a_place_against_an_article_that_never_goes_there() -> None:
    placed = _ref("a", outlet="BBC", places={"london"}, article={"london"})
    nowhere = _ref("b", outlet="Reuters", places=set(), article={"mexico"})
    unplaced_article = dataclasses.replace(nowhere, article_places=frozenset())
    assert places_differ(placed, nowhere)
    assert not places_differ(placed, unplaced_article)     # an article naming no place cannot set them apart


def test_codes_the_tagger_took_for_places_are_not_places() -> None:
    index = EntityIndex(records=[{"id": "p1", "name": "H1N1", "type": "place"},
                                 {"id": "p2", "name": "Mexico", "type": "place"},
                                 {"id": "p3", "name": "beijing_2008", "type": "place"},
                                 {"id": "o1", "name": "WHO", "type": "org"}])
    assert place_ids(index) == {"p2"}


def test_figures_for_an_ordinary_period_and_attributive_years_are_not_followed() -> None:
    assert _TYPICAL.search("In a normal flu season, about 36,000 people die in the United States")
    assert not _TYPICAL.search("About 36,000 people died in the United States this season")
    assert not _usable({"text": "1918 flu pandemic Current treatments"})
    assert _usable({"text": "2000 troops"})


def test_a_figure_takes_the_place_standing_just_before_it() -> None:
    from storyline.xdoc.series import _nearest_place_before

    text = "Canada has 389 confirmed cases and Costa Rica 8 cases"
    spans = [("ca", 0, 6), ("cr", 35, 45)]
    assert _nearest_place_before(text, text.index("389"), spans) == "ca"
    assert _nearest_place_before(text, text.index("8 cases"), spans) == "cr"
    # another figure or a clause break between the place and the figure: no place
    text2 = "Mexico reported 20 deaths; 12 more were confirmed"
    assert _nearest_place_before(text2, text2.index("12"), [("mx", 0, 6)]) is None


def test_two_countries_acting_are_two_events_even_when_both_name_a_third() -> None:
    # "Ireland also reported its first probable case … returned from Mexico" against Spain saying "it has confirmed
    # the first case … in a person who has not traveled to Mexico": both name Mexico, but each country acts for itself
    ireland = dataclasses.replace(_ref("a", outlet="Guardian", places={"ireland", "mexico"}), actor_place="ireland")
    spain = dataclasses.replace(_ref("b", outlet="BBC", places={"mexico"}), actor_place="spain")
    spain_again = dataclasses.replace(_ref("c", outlet="Reuters", places={"spain", "mexico"}), actor_place="spain")
    assert places_differ(ireland, spain)
    assert not places_differ(spain, spain_again)


def test_a_figure_takes_only_its_own_claims_verb() -> None:
    from storyline.xdoc.series import _own_predicate

    text = "Four people have died from swine flu in Canada though most of the 2,978 confirmed cases have been mild"
    died = {"text": text, "subject": "Four people", "predicate": "die", "object": None}
    assert _own_predicate({"text": "2,978 confirmed cases"}, [died]) == ""      # the cases did not die
    sent = {"text": "The US sent 3,500 troops to Haiti", "subject": "The US", "predicate": "send",
            "object": "3,500 troops"}
    assert _own_predicate({"text": "3,500 troops"}, [sent]) == "send"           # troops sent: a measure of its own
