"""Event splitting inside a story: a story of one event stays whole, two events of one kind come apart."""

from __future__ import annotations

import numpy as np

from storyline.xdoc.story_features import numeric_terms, split_events


def _feats(centres: list[int], seed: int = 0) -> dict[str, tuple[np.ndarray, dict[str, float], dict[str, float]]]:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(2, 32))
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
