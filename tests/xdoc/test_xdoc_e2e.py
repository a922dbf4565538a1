"""End to end on the bundled example corpus: analyze → corpus documents a careful analyst would sign off."""

from __future__ import annotations

from pathlib import Path

import pytest

from repo_paths import SEEDS
from storyline.config import Settings
from storyline.store import Store
from storyline.xdoc.corpus import RELATION_MIN_CONFIDENCE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory):
    from storyline.pipeline import analyze

    seeds = SEEDS
    db = str(tmp_path_factory.mktemp("xdoc") / "seeds.db")
    analyze(sorted(str(p) for p in seeds.glob("*.txt")), Settings(db=db))
    with Store(db) as store:
        arts = {Path(a.source).name[:3]: a for a in store.articles()}
        data = {k: store.corpus(k) for k in ("stories", "entities", "relations", "timeline", "sources")}
        facts = {k: store.facts(a.id) for k, a in arts.items()}
    return arts, data, facts


def test_one_story(seeds_store) -> None:
    arts, data, _facts = seeds_store
    assert len(data["stories"]) == 1
    assert set(data["stories"][0]["article_ids"]) == {a.id for a in arts.values()}
    assert all(a.story_id == data["stories"][0]["id"] for a in arts.values())


def test_relations_carry_confidence_and_the_seed_figures_agree(seeds_store) -> None:
    _arts, data, _facts = seeds_store
    assert data["relations"]
    assert all(RELATION_MIN_CONFIDENCE <= r["confidence"] <= 1 and "importance" in r for r in data["relations"])
    agree = [r for r in data["relations"] if r["kind"] == "agreement" and r.get("quantity_ids")]
    assert agree and "2,500" in agree[0]["explanation"]


def test_troop_numbers_compared_with_dates(seeds_store) -> None:
    _arts, data, facts = seeds_store
    rng = {q["id"] for q in facts["003"]["quantities"] if q.get("low") == 5000 and q.get("high") == 6000}
    assert rng
    rels = [r for r in data["relations"] if rng & set(r.get("quantity_ids", []))]
    assert rels and {r["kind"] for r in rels} <= {"numeric_conflict", "change_over_time"}
    assert any("2,500" in r["explanation"] and "inferred" in r["explanation"] for r in rels)


def test_timeline_dates_with_sources(seeds_store) -> None:
    arts, data, _facts = seeds_store
    on = {}
    for ev in data["timeline"]:
        on.setdefault(ev["date"], set()).update(ev["article_ids"])
    assert arts["004"].id in on.get("2021-04-07", set())
    assert arts["002"].id in on.get("2024-01-05", set())
    assert arts["002"].id in on.get("2024-01-08", set())


def test_every_list_is_filled(seeds_store) -> None:
    _arts, data, _facts = seeds_store
    for kind, rows in data.items():
        assert rows, kind
    names = {e["name"] for e in data["entities"]}
    assert {"Frank McKenzie", "United States", "Iraq", "Islamic State"} <= names
    mck = next(e for e in data["entities"] if e["name"] == "Frank McKenzie")
    assert len(mck["article_ids"]) >= 3
