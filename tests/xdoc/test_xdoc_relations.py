"""Cross-document stages on hand-built facts shaped like the Iraq-troops seeds: one story, the plan superseded,
the troop numbers compared with their dates, the timeline merged across sources."""

from __future__ import annotations

import json

import pytest

from storyline.xdoc.corpus import RELATION_MIN_CONFIDENCE, analyse
from storyline.xdoc.view import build_view
from xdoc_facts import Doc, seed_like_corpus, us_iraq_entities


def _run(docs: list[Doc], **kw):
    view = build_view([d.article() for d in docs], {d.id: d.facts for d in docs})
    return view, analyse(view, **kw)


@pytest.fixture(scope="module")
def seed_result():
    docs = seed_like_corpus()
    view, res = _run(docs)
    return {d.key: d for d in docs}, view, res


def test_one_story_with_a_title(seed_result) -> None:
    docs, _view, res = seed_result
    assert len(res["stories"]) == 1
    story = res["stories"][0]
    assert sorted(story["article_ids"]) == sorted(d.id for d in docs.values())
    assert story["title"] in {d.title for d in docs.values()}
    assert sum(len(e["article_ids"]) for e in story["events"]) == 4


def test_plan_and_later_stance_are_never_called_a_contradiction(seed_result) -> None:
    """The withdrawal plan (7 Apr) and the commander's "we will stay" (23 Apr) hold at different times: whatever the
    pair model makes of them, they are not a same-time contradiction."""
    docs, _view, res = seed_result
    withdraw = next(c["id"] for c in docs["a"].facts["claims"] if c["predicate"] == "withdraw")
    stay_ids = {c["id"] for c in docs["b"].facts["claims"]}
    linked = [r for r in res["relations"] if withdraw in r["claim_ids"] and stay_ids & set(r["claim_ids"])]
    assert all(r["kind"] in ("superseded", "change_over_time") for r in linked), linked


def test_every_relation_says_how_sure_and_how_important(seed_result) -> None:
    _docs, _view, res = seed_result
    assert res["relations"]
    for r in res["relations"]:
        assert RELATION_MIN_CONFIDENCE <= r["confidence"] <= 1.0 and 0.0 <= r["importance"] <= 1.0, r


def test_troop_numbers_are_a_change_over_time_with_the_inferred_date_named(seed_result) -> None:
    docs, _view, res = seed_result
    q_range = docs["c"].facts["quantities"][0]["id"]
    rels = [r for r in res["relations"] if q_range in r.get("quantity_ids", [])]
    assert rels
    assert {r["kind"] for r in rels} <= {"change_over_time", "numeric_conflict"}
    assert any(r["kind"] == "change_over_time" for r in rels)
    expl = " ".join(r["explanation"] for r in rels)
    assert "5,000 and 6,000" in expl and "2,500" in expl
    assert "inferred" in expl and "2021-04-07" in expl
    assert rels[0]["series_id"] in {s["id"] for s in res["series"]}


def test_compatible_troop_numbers_agree(seed_result) -> None:
    docs, _view, res = seed_result
    q_a = docs["a"].facts["quantities"][0]["id"]
    q_d = docs["d"].facts["quantities"][0]["id"]
    agree = [r for r in res["relations"] if r["kind"] == "agreement" and {q_a, q_d} <= set(r.get("quantity_ids", []))]
    assert agree and agree[0]["sources"] == 2


def test_timeline_holds_the_dated_events_with_sources(seed_result) -> None:
    docs, _view, res = seed_result
    by_date = {}
    for ev in res["timeline"]:
        by_date.setdefault(ev["date"], []).append(ev)
    assert docs["a"].id in {a for ev in by_date["2021-04-07"] for a in ev["article_ids"]}
    assert docs["d"].id in {a for ev in by_date["2024-01-05"] for a in ev["article_ids"]}
    assert docs["d"].id in {a for ev in by_date["2024-01-08"] for a in ev["article_ids"]}
    assert any("Capital Post" in ev["outlets"] for ev in by_date["2024-01-08"])
    dates = [ev["date"] for ev in res["timeline"]]
    assert dates == sorted(dates)


def test_entities_join_across_articles(seed_result) -> None:
    docs, _view, res = seed_result
    names = {e["name"]: e for e in res["entities"]}
    mck = names["Frank McKenzie"]
    assert {docs["b"].id, docs["c"].id} <= set(mck["article_ids"])
    us = names["United States"]
    assert "Washington" in us.get("metonyms", [])       # the capital as an actor is the government
    assert len(us["article_ids"]) == 4
    assert "ISIS" in names["Islamic State"]["aliases"] and "IS" in names["Islamic State"]["aliases"]
    assert names["Department of Defense"]["aliases"] == ["Pentagon"]


def test_source_profiles(seed_result) -> None:
    _docs, _view, res = seed_result
    prof = {p["outlet"]: p for p in res["sources"]}
    assert set(prof) == {"Wire One", "Gulf Daily", "Resistance Review", "Capital Post"}
    assert prof["Resistance Review"]["genre_counts"] == {"opinion": 1}
    assert "toxic" in prof["Resistance Review"]["framing_terms"]
    assert "occupying" in prof["Resistance Review"]["framing_terms"]
    assert prof["Gulf Daily"]["attributed_share"] == 1.0
    labels = {prop["frame"].replace("_", " ") for prop in res["propositions"]}
    for p in prof.values():          # stances only on aligned propositions, each one of the three readings
        assert all(v in ("affirms", "denies", "mixed") for v in p["stance"].values())
        assert all(k.split(":")[0] in labels for k in p["stance"])


def test_contract_fields_and_json(seed_result) -> None:
    _docs, _view, res = seed_result
    for row in res["stories"]:
        assert {"id", "title", "article_ids"} <= set(row)
    for row in res["entities"]:
        assert {"id", "name", "type", "aliases", "article_ids"} <= set(row)
    for row in res["timeline"]:
        assert {"date", "precision", "summary", "claim_ids", "article_ids"} <= set(row)
        assert row["precision"] in ("day", "month", "year")
    for row in res["relations"]:
        assert row["kind"] in ("agreement", "contradiction", "numeric_conflict", "superseded", "change_over_time")
        assert {"claim_ids", "explanation"} <= set(row) and row["explanation"]
    for row in res["sources"]:
        assert {"outlet", "article_ids", "genre_counts", "stance", "framing_terms"} <= set(row)
    json.dumps(res.documents)


def test_deterministic() -> None:
    _v1, r1 = _run(seed_like_corpus())
    _v2, r2 = _run(seed_like_corpus())
    strip = lambda r: json.dumps(r.documents, sort_keys=True)  # noqa: E731
    assert strip(r1) == strip(r2)


def test_two_outlets_one_day_conflict_and_compatible_figures_agree() -> None:
    day = __import__("datetime").date(2022, 3, 1)
    x = us_iraq_entities(Doc("x", "Troops in Iraq", outlet="Paper X", published=day))
    x.quantity("about 300 US troops remain in Iraq", value=300, approximate=True, as_of="2022-03-01")
    y = us_iraq_entities(Doc("y", "Troops stay in Iraq", outlet="Paper Y", published=day))
    y.quantity("1,200 US troops are in Iraq", value=1200, as_of="2022-03-01")
    z = us_iraq_entities(Doc("z", "About 310 troops", outlet="Paper Z", published=day))
    z.quantity("roughly 310 US troops in Iraq", value=310, approximate=True, as_of="2022-03-01")
    _view, res = _run([x, y, z])
    conflicts = [r for r in res["relations"] if r["kind"] == "numeric_conflict"]
    assert conflicts and all("2022-03-01" in r["explanation"] for r in conflicts)
    assert not [r for r in res["relations"] if r["kind"] == "change_over_time"]     # one day: nothing changed
    agree = [r for r in res["relations"] if r["kind"] == "agreement" and len(r.get("quantity_ids", [])) == 2]
    assert agree  # about 300 and roughly 310 are within each other's tolerance


def test_revisions_over_weeks_are_a_change_never_a_conflict() -> None:
    from datetime import date, timedelta

    docs = []
    for i, (outlet, n) in enumerate([("Paper X", 4), ("Paper Y", 27), ("Paper X", 203), ("Paper Y", 1100)]):
        d = us_iraq_entities(Doc(f"r{i}", f"Cases update {i}", outlet=outlet, published=date(2022, 5, 1) + timedelta(days=7 * i)))
        d.quantity(f"{n} cases in Iraq", value=n, counted="cases", as_of=(date(2022, 5, 1) + timedelta(days=7 * i)).isoformat())
        docs.append(d)
    _view, res = _run(docs)
    kinds = {r["kind"] for r in res["relations"] if r.get("series_id")}
    assert "change_over_time" in kinds and "numeric_conflict" not in kinds
    series = [s for s in res["series"] if s["counted"] == "cases"]
    assert series and [p["value"] for p in series[0]["points"]] == [4, 27, 203, 1100]


def test_claims_of_one_article_are_never_set_against_each_other() -> None:
    d = us_iraq_entities(Doc("solo", "Leave or stay", outlet="Solo", published=__import__("datetime").date(2022, 1, 1)))
    d.claim("Militias want US troops to leave Iraq", "US troops", "leave", "Iraq", modality="intended")
    d.claim("US troops will stay in Iraq", "US troops", "stay", "Iraq", modality="predicted")
    _view, res = _run([d])
    assert res["relations"] == []


def test_a_count_across_many_countries_is_not_the_count_of_the_one_place_named() -> None:
    from datetime import date, timedelta

    docs = []
    for i, (outlet, text, n) in enumerate([("Paper X", "Iraq reports 40 new cases", 40),
                                           ("Paper Y", "Iraq reports 65 new cases", 65),
                                           ("Paper X", "WHO reports 900 new cases in 30 countries, 12 in Iraq", 900)]):
        day = date(2022, 5, 1) + timedelta(days=7 * i)
        d = us_iraq_entities(Doc(f"m{i}", f"Flu update {i}", outlet=outlet, published=day))
        d.quantity(text, value=n, counted="cases", location=None, as_of=day.isoformat())
        q = d.facts["quantities"][-1]
        figure = text[text.index(str(n)):text.index("cases") + len("cases")]
        q["start"], q["end"], q["text"] = q["start"] + text.index(figure), q["start"] + text.index(figure) + len(figure), figure
        docs.append(d)
    _view, res = _run(docs)
    values = [p["value"] for s in res["series"] if s["counted"] == "cases" for p in s["points"]]
    assert 40 in values and 65 in values and 900 not in values


def test_a_past_periods_tally_is_not_dated_at_the_article() -> None:
    from datetime import date, timedelta

    docs = []
    for i, (outlet, n) in enumerate([("Paper X", 40), ("Paper Y", 91), ("Paper X", 160)]):
        d = us_iraq_entities(Doc(f"p{i}", f"Cases update {i}", outlet=outlet, published=date(2022, 5, 1) + timedelta(days=i)))
        d.quantity(f"{n} cases in Iraq", value=n, counted="cases", as_of=(date(2022, 5, 1) + timedelta(days=i)).isoformat())
        docs.append(d)
    old = us_iraq_entities(Doc("p9", "Cases before", outlet="Paper Z", published=date(2022, 5, 2)))
    old.quantity("12 cases in Iraq", value=12, counted="cases", as_of="2021-01")   # "between 2015 and January 2021"
    docs.append(old)
    _view, res = _run(docs)
    series = [s for s in res["series"] if s["counted"] == "cases"]
    assert series and [p["value"] for p in series[0]["points"]] == [40, 91, 160]


def test_a_rate_stated_for_the_first_of_two_figures_is_the_seconds_too() -> None:
    from datetime import date, timedelta

    docs = []
    for i, n in enumerate([1, 2, 4]):
        d = us_iraq_entities(Doc(f"d{i}", f"Deaths update {i}", outlet=f"Paper {i}", published=date(2022, 5, 1) + timedelta(days=i)))
        d.claim(f"{n} deaths in Iraq have been confirmed", "deaths", "confirm", None)
        d.quantity(f"{n} deaths in Iraq", value=n, counted="deaths", as_of=(date(2022, 5, 1) + timedelta(days=i)).isoformat())
        docs.append(d)
    from dataclasses import asdict

    from storyline.model import Quantity, content_id

    yearly = us_iraq_entities(Doc("d9", "Seasonal toll", outlet="Paper 9", published=date(2022, 6, 20)))
    text = "Flu causes 200,000 hospitalisations in Iraq each year and about 36,000 deaths in Iraq"
    yearly.claim(text, "Flu", "cause", "200,000 hospitalisations")
    start = yearly.facts["claims"][-1]["start"] + text.index("about 36,000")
    figure = "about 36,000 deaths"
    yearly.facts["quantities"].append(asdict(Quantity(content_id("qty", yearly.id, start), yearly.id, start,
                                                      start + len(figure), figure, 36000, None, None, True, None,
                                                      "deaths", "Iraq", "2022-06-20")))
    docs.append(yearly)
    _view, res = _run(docs)
    plain = [s for s in res["series"] if s["counted"] == "deaths" and not s["rate"]]
    assert plain and 36000 not in [p["value"] for p in plain[0]["points"]]
