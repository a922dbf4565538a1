"""Speakers read off the syntax and the passage (issue 19): whose judgment a raising verb or an agentless passive is,
a participle after a comma, the subject of a main clause, and "the company" as the organisation of the passage."""

from __future__ import annotations

import pytest

from quote_cases import quote_at, quotes_of

pytestmark = pytest.mark.slow


def test_raising_verb_and_agentless_passive_are_the_writers_judgment(nlp) -> None:
    """"McKenzie's comment appears to contradict …", "Nabisco is expected to cut …": the subject says nothing (as
    PolNeAR marks them: no source); a perfect misread as a passive ("He's said he …") keeps its speaker."""
    text = ("General Frank McKenzie's comment appears to contradict a joint statement issued in April.\n\n"
            "Nabisco is expected to cut 277 workers this week.\n\n"
            "House Speaker Paul Ryan spoke on Monday. He's said he gets his ideas about money from a novel.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "to contradict a joint statement").speaker is None
    assert quote_at(qs, text, "to cut 277 workers").speaker is None
    assert quote_at(qs, text, "he gets his ideas about money").speaker == "Paul Ryan"


def test_participle_after_a_comma_speaks_for_the_main_clause_subject(nlp) -> None:
    """The parser hangs ", saying …" on the clause about the developer; the campaign manager says it."""
    text = ("Trump campaign manager Corey Lewandowski rejected the idea that the billionaire real estate developer "
            "would be a drag on the ticket, saying the huge crowds at rallies prove that Trump would energize the "
            "party.")
    q = quote_at(quotes_of(nlp, text), text, "the huge crowds at rallies")
    assert q.speaker == "Corey Lewandowski"


def test_only_the_first_subject_of_a_verb_is_the_topic(nlp) -> None:
    """"Tony Redmond from the charity Merlin says …", with Merlin parsed as a second subject of "says": "he" in the
    next paragraph is Redmond."""
    text = ("But, like many surgeons, Tony Redmond from the British medical charity Merlin says he is trying to "
            "fathom why the figure is so high.\n\n"
            "“I've worked during other disasters but nothing like this,” he says.")
    q = quote_at(quotes_of(nlp, text), text, "I've worked during other disasters")
    assert q.speaker == "Tony Redmond"


def test_the_company_is_the_organisation_the_passage_is_about(nlp) -> None:
    """"Smithfield is adamant … the company had … gone into shutdown mode …, but it issued a statement": the company
    (a subject the parser hung on the auxiliary) and "it" are Smithfield; "the council" is the organisation named
    with "council", not the government named nearer."""
    text = ("Smithfield Foods is adamant that the swine flu is not of its making.\n\n"
            "By the end of the week, the company had, like a besieged banker, gone into shutdown mode and declined "
            "to give interviews, but it issued a statement: “We have found no evidence of the virus in our herds.”\n\n"
            "The Transitional National Council met in Benghazi on Monday while the Libyan government shelled Misrata."
            "\n\nThe council said that it would send envoys to Paris.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "We have found no evidence").speaker == "Smithfield Foods"
    assert quote_at(qs, text, "it would send envoys to Paris").speaker == "Transitional National Council"


def test_speaker_through_apposition_object_control_and_passive_quote(nlp) -> None:
    """"The 21-year-old man, Emmannuel Buso, was pulled out … he described …" → Buso; "has led the WHO to declare"
    → the WHO, not the subject of "led"; "X was quoted as saying by the AFP news agency" → X (AFP the medium)."""
    text = ("Her son said he had heard her cries on Thursday morning.\n\n"
            "The 21-year-old man, Emmannuel Buso, was pulled out alive by an Israeli search team.\n\n"
            "Speaking from his hospital bed, he described how he had had no food for days.\n\n"
            "The spread of the disease has led the World Health Organization to declare a pandemic is imminent.\n\n"
            "“This is an abduction, not an adoption,” Haitian Social Affairs Minister Yves Christallin was quoted as "
            "saying by the AFP news agency.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "how he had had no food").speaker == "Emmannuel Buso"
    assert quote_at(qs, text, "a pandemic is imminent").speaker == "World Health Organization"
    assert quote_at(qs, text, "This is an abduction").speaker == "Yves Christallin"


def test_a_role_noun_does_not_go_to_a_topic_holding_another_office(nlp) -> None:
    """"President Calderon has asked Mexicans to stay at home. The health minister says …": not Calderon."""
    text = ("President Felipe Calderon has asked Mexicans to stay at home over the holiday weekend.\n\n"
            "The health minister says there has been a noticeable drop in the number of people admitted to hospital.")
    q = quote_at(quotes_of(nlp, text), text, "there has been a noticeable drop")
    assert q.speaker is not None and "Calderon" not in q.speaker
