"""Event splitting inside a story: a story of one event stays whole, two events of one kind come apart."""

from __future__ import annotations

import numpy as np

from storyline.xdoc.story_features import (
    _fiedler_split,
    absolute_features,
    numeric_terms,
    propose_split,
    split_events,
    split_probability,
)


def _feats(centres: list[int], seed: int = 0, k: int = 2) -> dict[str, tuple[np.ndarray, dict[str, float], dict[str, float]]]:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(k, 32))
    shared = rng.normal(size=32) * 2.0          # what every article of the story shares
    out = {}
    for i, c in enumerate(centres):
        v = shared + base[c] + 0.3 * rng.normal(size=32)
        ents = {"island": 0.6, f"person{c}": 0.8}
        out[f"a{i}"] = (v / np.linalg.norm(v), ents, {f"y{2008 + c}": 1.0})
    return out


QUAKE = ["A 6.1 magnitude quake struck the island on Tuesday, killing 12 people in 2008 near Ende.",
         "A 7.4 magnitude earthquake hit the island on Sunday 2009, leaving 300 dead around Padang."]


def test_two_events_of_one_kind_are_split() -> None:
    centres = [0, 1] * 6
    feats = _feats(centres)
    parts = split_events(list(feats), feats, [QUAKE[c] for c in centres])
    assert len(parts) == 2
    assert all(len({centres[i] for i in p}) == 1 for p in parts)


def test_one_event_story_stays_whole() -> None:
    centres = [0] * 10
    feats = _feats(centres, seed=3)
    parts = split_events(list(feats), feats, [QUAKE[0]] * len(centres))
    assert parts == [list(range(10))]


def test_numeric_terms_keep_numbers_and_days() -> None:
    assert numeric_terms("On Tuesday, 1,200 people fled; May 2008 was worse.").split() == ["tuesday", "1200", "2008"]


def _stats(centres: list[int], seed: int) -> dict[str, float]:
    feats = _feats(centres, seed)
    leads = [QUAKE[c] for c in centres]
    return propose_split(absolute_features(list(feats), feats, leads), np.arange(len(centres)), leads)[1]


def test_views_agree_on_two_events_not_on_one() -> None:
    two, one = _stats([0, 1] * 6, seed=1), _stats([0] * 12, seed=1)
    assert two["agreement"] > 0.9 > 0.5 > one["agreement"]
    assert split_probability(two) > 0.5 > split_probability(one)


def test_three_events_come_apart_by_recursion() -> None:
    centres = [0, 1, 2] * 5
    feats = _feats(centres, seed=2, k=3)
    lead = ["A 6.1 quake hit Ende on Tuesday 2008.", "A 7.4 quake hit Padang on Sunday 2009.",
            "A 5.2 quake hit Bantul on Monday 2006."]
    parts = split_events(list(feats), feats, [lead[c] for c in centres])
    assert sorted(sorted({centres[i] for i in p}) for p in parts) == [[0], [1], [2]]


def test_uninformative_view_gives_no_cut() -> None:
    assert _fiedler_split(np.full((5, 5), 0.5)) is None
    block = np.kron(np.eye(2), np.ones((3, 3)))
    cut = _fiedler_split(block + 0.01)
    assert cut is not None and len(set(cut[:3].tolist())) == 1 and cut[0] != cut[3]


def test_pair_ari_equals_sklearn_adjusted_rand_score() -> None:
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    from storyline.xdoc.story_features import pair_ari

    rng = np.random.default_rng(7)
    for n in (2, 3, 5, 9, 30):
        for _ in range(50):
            a, b = rng.integers(0, 2, n), rng.integers(0, 3, n)
            assert abs(pair_ari(a, b) - adjusted_rand_score(a, b)) < 1e-12


def test_lead_of_an_untitled_article_does_not_repeat_its_first_line() -> None:
    from storyline.nlp.runtime.lead import LEAD_CHARS, title_and_lead

    text = "Troops stay in Iraq, commander says\nThe top US commander said on Thursday that troops would stay. " * 20
    shown, lead = title_and_lead(None, text)
    assert shown == "Troops stay in Iraq, commander says"
    assert lead == text.strip()[:LEAD_CHARS] and lead.count("Troops stay in Iraq") == text[:LEAD_CHARS].count("Troops stay in Iraq")
    shown, lead = title_and_lead("Pentagon: no withdrawal", "Pentagon: no withdrawal\nThe Pentagon said it has no plans.")
    assert (shown, lead) == ("Pentagon: no withdrawal", "Pentagon: no withdrawal. The Pentagon said it has no plans.")


def test_relatives_sharing_a_surname_are_not_joined_by_it() -> None:
    from storyline.model import Article
    from storyline.xdoc.entities import canonicalise
    from storyline.xdoc.view import build_view

    def person(aid: str, name: str, aliases: list[str], mentions: int) -> dict:
        return {"id": f"{aid}_{name}", "name": name, "type": "person", "aliases": aliases, "mention_count": mentions}

    facts = {"a1": {"entities": [person("a1", "Moammar Gadhafi", ["Gadhafi"], 40)]},
             "a2": {"entities": [person("a2", "Saif al-Islam Gadhafi", ["Gadhafi"], 3)]},
             "a3": {"entities": [person("a3", "Gadhafi", [], 5)]},
             "a4": {"entities": [person("a4", "Khamis Smith", ["Smith"], 4), person("a4", "Dana Smith", ["Smith"], 4)]},
             "a5": {"entities": [person("a5", "Smith", [], 2)]}}
    arts = [Article(id=a, source=a, text="Text.", outlet="O") for a in facts]
    index = canonicalise(build_view(arts, facts))
    assert index.by_local["a1_Moammar Gadhafi"] != index.by_local["a2_Saif al-Islam Gadhafi"]   # father and son
    assert index.by_local["a3_Gadhafi"] == index.by_local["a1_Moammar Gadhafi"]    # the one the corpus is about
    assert index.by_local["a5_Smith"] not in (index.by_local["a4_Khamis Smith"], index.by_local["a4_Dana Smith"])
