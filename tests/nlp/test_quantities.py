"""Quantities: value/range, approximation, counted thing, place by syntax, date."""

from __future__ import annotations

from datetime import date

import pytest

from repo_paths import ROOT

spacy = pytest.importorskip("spacy")
pytestmark = pytest.mark.slow


def _q(nlp, text, published=date(2024, 1, 9)):
    from storyline.nlp.numbers.quantities import extract_quantities
    from storyline.nlp.numbers.timex import resolve_times
    doc = nlp(text)
    return extract_quantities(doc, "a1", resolve_times(doc, published, None), published)


def _by_value(qs, v):
    return next(q for q in qs if q.value == v or q.low == v)


def test_place_follows_the_verb_not_proximity(nlp):
    qs = _q(nlp, "Joe Biden's administration plans to pull the last 2,500 troops out of Afghanistan on September "
                 "20th, while troops stay in Iraq.", date(2021, 4, 23))
    q = _by_value(qs, 2500)
    assert (q.location, q.unit, q.counted) == ("Afghanistan", "troops", "troops")
    assert q.as_of == "2021-09-20"


def test_place_attached_to_the_counted_noun(nlp):
    qs = _q(nlp, "The U.S. has a presence of 900 troops in Syria in addition to its troops in Iraq to assist local "
                 "forces.")
    assert _by_value(qs, 900).location == "Syria"
    qs = _q(nlp, "The Pentagon on Monday said it was not planning to withdraw its 2,500 troops from Iraq.")
    q = _by_value(qs, 2500)
    assert q.location == "Iraq" and q.as_of == "2024-01-08"


def test_ranges_and_approximations(nlp):
    q = _by_value(_q(nlp, "Between 5,000 and 6,000 occupying US troops are still in Iraq.", None), 5000)
    assert (q.value, q.low, q.high, q.location, q.counted, q.as_of) == (None, 5000, 6000, "Iraq", "US troops", None)
    q = _by_value(_q(nlp, "The militias demanded the departure of some 2,500 US troops currently stationed in Iraq."),
                  2500)
    assert q.approximate and q.location == "Iraq" and q.counted == "US troops"
    q = _by_value(_q(nlp, "Officials estimated 5,000-6,000 fighters."), 5000)
    assert (q.low, q.high) == (5000, 6000)
    q = _by_value(_q(nlp, "The military has come under attack at least 100 times in Iraq and Syria."), 100)
    assert q.approximate and q.low == 100 and q.location == "Iraq and Syria"
    q = _by_value(_q(nlp, "Over 23,000 Palestinians have been killed."), 23000)
    assert q.approximate and q.unit == "people" and q.counted == "Palestinians"


def test_spelled_out_money_percent_and_years(nlp):
    qs = _q(nlp, "Last Sunday, five rockets hit another airbase, wounding three Iraqi soldiers. A dozen drones "
                 "followed. Aid worth $1.5 billion rose 12 percent in 2021.", date(2021, 4, 23))
    assert _by_value(qs, 5).counted == "rockets" and _by_value(qs, 5).as_of == "2021-04-18"
    assert _by_value(qs, 3).counted == "Iraqi soldiers"
    assert _by_value(qs, 12.0).unit in ("drone", "percent")
    money = _by_value(qs, 1.5e9)
    assert money.unit == "USD"
    assert any(q.unit == "percent" and q.value == 12 for q in qs)
    assert not any(q.value == 2021 for q in qs)


def test_not_quantities(nlp):
    qs = _q(nlp, "Call 03000 999 999 at 11 a.m. The F-16 won 3-1. It is the number one vendor. 1. First item.")
    assert qs == [], [q.text for q in qs]


def test_handset_quantities_floor(nlp):
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_facts
    s = bench_facts.score_handset(nlp)
    assert s["quantity_precision"] >= 0.7 and s["quantity_recall"] >= 0.75, s


@pytest.mark.parametrize(("text", "value", "counted", "place"), [
    # The counted noun stands in the subject, not beside the figure: the level a running count moved to.
    ("The number of swine flu cases in Australia has doubled overnight to 59.", 59, "swine flu cases", "Australia"),
    ("The number of confirmed cases reached 331 on Friday.", 331, "cases", None),
    ("That brings the total number of confirmed infections in Scotland to six.", 6, "infections", "Scotland"),
    ("The death toll in Mexico rose to 149 on Tuesday.", 149, "death", "Mexico"),
    ("Confirmed cases in the US rose to 2,254.", 2254, "Confirmed cases", "US"),
    ("The number of people killed in Haiti has risen to 150,000.", 150_000, "killed", "Haiti"),
])
def test_level_a_count_moved_to(nlp, text, value, counted, place):
    q = _by_value(_q(nlp, text), value)
    assert (q.counted, q.location) == (counted, place)


def test_level_rule_leaves_other_figures_alone(nlp):
    # A causative's own object is what was raised; a bare level with nothing counted names nothing.
    assert _by_value(_q(nlp, "The company raised 59 million."), 59_000_000).counted is None
    assert _by_value(_q(nlp, "The number of dead rose to 40."), 40).counted is None
    assert _by_value(_q(nlp, "Sales fell to 3,000 units."), 3000).counted == "units"
    hypothetical = _q(nlp, "That would bring the total number of U.S. cases to around 200,000.")
    assert _by_value(hypothetical, 200_000).counted is None       # a sum from an assumption, not a reported count
    fold = _q(nlp, "The number of cases in Australia have risen four-fold in a week.")
    assert all(q.counted is None for q in fold)       # by how much, not to what level


def test_thousands_said_once_in_a_range(nlp):
    q = _by_value(_q(nlp, "The US has sent 9-10,000 troops to Haiti."), 9000)
    assert (q.low, q.high) == (9000, 10_000)
    q = _by_value(_q(nlp, "Between 20 and 30 people were hurt."), 20)     # a plain range stays as written
    assert (q.low, q.high) == (20, 30)
    q = _by_value(_q(nlp, "Scores ranged from 0-10,000 points."), 0)        # a zero start is no thousands said once
    assert (q.low, q.high) == (0, 10_000)
