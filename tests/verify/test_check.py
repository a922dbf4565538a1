"""Claim check on the demo corpus: verdicts, time-awareness, duplicates counted once, contract shape."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from repo_paths import SEEDS
from storyline.api import analyze, check
from storyline.config import Settings

pytestmark = pytest.mark.slow
EVIDENCE_FIELDS = {"article_id", "source", "outlet", "published", "text", "stance", "score"}


@pytest.fixture(scope="module")
def store_settings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("check")
    corpus = tmp / "corpus"
    shutil.copytree(SEEDS, corpus)
    # a syndicated copy of the Pentagon piece: its evidence must not count twice
    (corpus / "copy_of_002.txt").write_text((SEEDS / "002_3cd088a2b52e8ece.txt").read_text() + "\nDistributed by a wire service.")
    settings = Settings(db=str(tmp / "s.db"), out=str(tmp / "out"))
    analyze([str(corpus)], settings)
    return settings


def test_troop_count_supported(store_settings):
    r = check("About 2,500 US troops are stationed in Iraq", date(2024, 1, 10), store_settings)
    assert {"claim", "as_of", "verdict", "confidence", "evidence", "explanation"} <= set(r)
    assert r["verdict"] == "supported" and r["as_of"] == "2024-01-10"
    assert all(set(e) >= EVIDENCE_FIELDS for e in r["evidence"])
    assert 0 < r["confidence"] <= 1 and r["explanation"]


def test_withdrawal_plan_not_supported_and_pentagon_cited(store_settings):
    r = check("The United States plans to withdraw all its troops from Iraq", date(2024, 1, 10), store_settings)
    assert r["verdict"] in ("refuted", "conflicting", "outdated")
    pentagon = [e for e in r["evidence"] if e["published"] == "2024-01-09" and e["stance"] == "disagree"]
    assert pentagon, r["evidence"]


def test_as_of_uses_only_what_was_published_by_then(store_settings):
    r = check("The United States plans to withdraw all its troops from Iraq", date(2021, 4, 10), store_settings)
    assert all(e["published"] is None or e["published"] <= "2021-04-10" for e in r["evidence"])
    assert r["verdict"] == "supported"      # on 10 April 2021 only the withdrawal agreement had been reported


def test_duplicates_counted_once(store_settings):
    from storyline.store import Store

    r = check("The Pentagon is not planning to withdraw troops from Iraq", date(2024, 1, 10), store_settings)
    with Store(store_settings.db, readonly=True) as store:
        dup_ids = {a.id for a in store.articles() if a.duplicate_of}
    assert dup_ids and not dup_ids & {e["article_id"] for e in r["evidence"]}


def test_unrelated_claim_has_not_enough_evidence(store_settings):
    r = check("The Eiffel Tower was painted green in 1999", None, store_settings)
    assert r["verdict"] == "not_enough_evidence"


@pytest.mark.parametrize(("claim", "frames", "passage", "expected"), [
    ("Tony Hayward will step down", [{"predicate": "step down"}], "he trusted BP Chief Executive Tony Hayward", False),
    ("Tony Hayward will step down", [{"predicate": "step down"}], "Tony Hayward is to step down as BP chief", True),
    ("US troops will stay in Iraq", [{"predicate": "stay"}], "The troops will remain, officials said", False),
    ("The well is the largest", [{"predicate": "be"}], "The largest well in the gulf", True),
])
def test_evidence_must_state_the_proposition(claim, frames, passage, expected):
    from storyline.verify.check import states_proposition

    got = states_proposition(claim, frames, {"text": passage, "start": 0, "end": len(passage)}, None)
    assert got is expected


@pytest.mark.parametrize(("frames", "passage", "expected"), [
    ([{"predicate": "step down", "subject": "Gadhafi"}], "Mubarak - step down", False),
    ([{"predicate": "step down", "subject": "Gadhafi"}], "Gadhafi's son said he would not step down", True),
    ([{"predicate": "raise", "subject": "The WHO"}], "The United Nations agency raised its alert to six", False),
    ([{"predicate": "raise", "subject": "the agency"}], "The agency has raised its alert to six", True),
])
def test_evidence_names_the_claims_subject_and_verb(frames, passage, expected):
    from storyline.verify.check import states_proposition

    got = states_proposition("claim", frames, {"text": passage, "start": 0, "end": len(passage)}, None)
    assert got is expected


@pytest.mark.parametrize(("passage", "expected"), [
    ("protesters calling for Gadhafi to step down", True),
    ("Hillary Clinton issued a statement urging Gadhafi to step down", True),
    ("Gadhafi said he would step down", False),
    ("Gadhafi stepped down on Friday", False),
])
def test_a_call_for_it_is_not_a_statement_that_it_happens(passage, expected):
    from storyline.verify.check import _only_infinitive

    assert _only_infinitive([{"predicate": "step down"}], passage) is expected


def _ev(stance: str, day: str, score: float = 0.8) -> dict:
    return {"stance": stance, "date_used": day, "date_inferred": False, "score": score, "weight": 1.0,
            "outlet": "X", "text": f"{stance} {day}", "notes": [], "published": day}


def test_a_position_overtaken_within_weeks_is_outdated():
    from storyline.verify.check import _verdict

    evidence = [_ev("agree", "2009-05-04"), _ev("agree", "2009-05-04"), _ev("agree", "2009-05-01"),
                _ev("disagree", "2009-06-11"), _ev("disagree", "2009-06-29")]
    r = _verdict(evidence, date(2009, 6, 30))
    assert r["verdict"] == "outdated"
    assert "2009-05-01" in r["explanation"] and "2009-06-29" in r["explanation"]
    early = _verdict([e for e in evidence if e["date_used"] < "2009-06-01"], date(2009, 5, 10))
    assert early["verdict"] == "supported"


def test_support_after_the_contradiction_is_not_outdated():
    from storyline.verify.check import _verdict

    evidence = [_ev("agree", "2009-05-01"), _ev("disagree", "2009-05-20"), _ev("agree", "2009-06-01"),
                _ev("agree", "2009-06-10")]
    assert _verdict(evidence, None)["verdict"] != "outdated"


def test_a_claim_later_coverage_states_is_supported_over_earlier_states():
    from storyline.verify.check import _verdict

    # Phase 4 and 5 in April, phase 6 from 11 June: as of late June the earlier reports describe an earlier state.
    evidence = [_ev("disagree", "2009-04-28"), _ev("disagree", "2009-04-29"), _ev("disagree", "2009-04-30"),
                _ev("agree", "2009-06-11"), _ev("agree", "2009-06-13")]
    r = _verdict(evidence, date(2009, 6, 20))
    assert r["verdict"] == "supported" and "overtook earlier reports" in r["explanation"]
    assert _verdict(evidence[:3], date(2009, 5, 10))["verdict"] == "refuted"


@pytest.mark.parametrize(("claim", "passage", "conflict"), [
    ("The WHO raised its pandemic alert to phase 6", "the WHO raised its alert level to phase 5", True),
    ("The WHO raised its pandemic alert to phase 6", "it decided to raise the alert level from phase five to six", False),
    ("The WHO raised its pandemic alert to phase 5", "raising its flu pandemic alert level to phase 5 out of 6", False),
    ("The WHO raised its pandemic alert to phase 6", "the WHO raised its pandemic alert", False),   # no level named
])
def test_a_level_named_by_a_number_must_match(claim, passage, conflict):
    from storyline.verify.check import _level_conflict

    assert (_level_conflict(claim, passage) is not None) is conflict
