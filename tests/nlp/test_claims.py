"""Claims: predicate frames with polarity, modality, hedging, speaker, time, and clause splitting."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.model import Quote

spacy = pytest.importorskip("spacy")
pytestmark = pytest.mark.slow


def _claims(nlp, text, published=date(2024, 1, 9), quotes=(), title=None):
    from storyline.nlp.claims.extract import extract_claims
    from storyline.nlp.numbers.timex import resolve_times
    doc = nlp(text)
    return extract_claims(doc, "a1", list(quotes), resolve_times(doc, published, None), title, nlp=nlp)


def _pred(claims, predicate):
    return next(c for c in claims if c.predicate == predicate)


def test_negated_plan_with_reporting_speaker_and_date(nlp):
    cs = _claims(nlp, "The Pentagon on Monday categorically said it was not planning to withdraw its 2,500 troops "
                      "from Iraq.")
    c = _pred(cs, "withdraw")
    assert (c.polarity, c.modality, c.speaker, c.subject) == (False, "planned", "Pentagon", "Pentagon")
    assert c.event_date == "2024-01-08" and c.event_date_precision == "day"
    assert "troops" in (c.object or "") and "Iraq" in (c.object or "")
    assert not any(c.predicate == "say" for c in cs)


def test_no_plans_no_intention_refuse(nlp):
    c = _pred(_claims(nlp, "Ryder told a news briefing that right now there are no plans for withdrawal."), "withdraw")
    assert (c.polarity, c.modality) == (False, "planned")
    c = _pred(_claims(nlp, "The United States has no intention of withdrawing from Iraq."), "withdraw")
    assert (c.polarity, c.modality) == (False, "intended")
    c = _pred(_claims(nlp, "US forces refuse to leave Iraq."), "leave")
    assert c.polarity is False and c.subject == "US forces"


def test_intention_prediction_and_agreement(nlp):
    c = _pred(_claims(nlp, "“And we’re going to stay in Iraq,” McKenzie said."), "stay")
    assert c.modality in ("intended", "predicted") and c.polarity
    c = _pred(_claims(nlp, "All U.S. forces are not going to leave, he told AP."), "leave")
    assert (c.polarity, c.modality) == (False, "predicted")
    c = _pred(_claims(nlp, "The US has agreed to withdraw its remaining combat forces from Iraq."), "withdraw")
    assert c.modality == "planned" and c.polarity
    c = _pred(_claims(nlp, "General McKenzie said American troops will remain in Iraq."), "remain")
    assert c.modality == "predicted" and c.speaker == "General McKenzie"


def test_coordinated_and_reported_clauses_split(nlp):
    text = "The minister said that the troops had left the base and the convoy reached Baghdad."
    cs = _claims(nlp, text)
    leave, reach = _pred(cs, "leave"), _pred(cs, "reach")
    assert leave.speaker == reach.speaker == "minister"
    assert text[leave.start:leave.end] == leave.text and "convoy" not in leave.text
    assert "convoy" in reach.text


def test_quote_speaker_wins(nlp):
    text = "“We’re going to be there,” the general said."
    q = Quote(id="q1", article_id="a1", start=0, end=text.index("”") + 1, text=text[:text.index("”") + 1],
              speaker="Frank McKenzie", speaker_entity_id=None, cue="said", direct=True)
    c = _pred(_claims(nlp, text, quotes=[q]), "be")
    assert c.speaker == "Frank McKenzie" and c.quote_id == "q1"


def test_hedges_denials_demands(nlp):
    c = _pred(_claims(nlp, "The announcement appears to contradict a joint statement."), "contradict")
    assert c.hedged
    c = _pred(_claims(nlp, "The ministry denied that troops were killed."), "kill")
    assert c.modality == "denied" and c.speaker == "ministry"
    c = _pred(_claims(nlp, "The militias have demanded the departure of some 2,500 US troops."), "depart")
    assert c.modality == "demanded" and "US troops" in (c.subject or "") and c.speaker == "militias"
    c = _pred(_claims(nlp, "The US did not withdraw until December 2011."), "withdraw")
    assert c.polarity and c.event_date == "2011-12"


def test_title_is_an_outlet_claim(nlp):
    cs = _claims(nlp, "The Pentagon spoke on Monday.", title="US troops remain in Iraq")
    t = _pred(cs, "remain")
    assert (t.start, t.end, t.speaker, t.subject) == (0, 0, None, "US troops")
    text = "US forces refuse to leave Iraq\n\nThe vote was ignored."
    c = _pred(_claims(nlp, text, title="US forces refuse to leave Iraq"), "leave")
    assert c.speaker is None and c.start == 0 and c.polarity is False


def test_ids_are_stable(nlp):
    a = _claims(nlp, "The army said it will leave the city on Friday.")
    b = _claims(nlp, "The army said it will leave the city on Friday.")
    assert [c.id for c in a] == [c.id for c in b] and a


def test_title_case_headline_is_reparsed(nlp):
    text = "Pentagon Says Not Planning Troops Withdrawal From Iraq\n\nThe Pentagon spoke on Monday."
    c = _pred(_claims(nlp, text), "withdraw")
    assert (c.polarity, c.modality, c.speaker) == (False, "planned", "Pentagon")
    assert c.start >= 0 and text[c.start:c.end] == c.text and "Iraq" in (c.object or "")


def test_statement_noun_reports_its_clause(nlp):
    cs = _claims(nlp, "The remarks contradict a joint statement from Washington and Baghdad that remaining US "
                      "troops would withdraw.")
    c = _pred(cs, "withdraw")
    assert c.speaker == "Washington and Baghdad" and c.subject == "remaining US troops"
