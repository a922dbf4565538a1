"""Who said it (issue 19): speakers read off the passage, bodies and documents, role and affiliation.

The first two tests run the whole pipeline on the bundled example corpus and read analysis.json, as a new user does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quote_cases import quote_at, quotes_of
from repo_paths import SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_analysis(tmp_path_factory):
    from storyline.api import analyze
    from storyline.config import Settings

    out = tmp_path_factory.mktemp("speakers")
    analyze([str(SEEDS)], Settings(db=str(out / "s.db"), out=str(out / "out")))
    return json.loads((out / "out" / "analysis.json").read_text(encoding="utf-8"))


def _article(data, prefix: str) -> str:
    return next(a["id"] for a in data["articles"] if Path(a["source"]).name.startswith(prefix))


def _covering(items, fragment: str):
    hits = [q for q in items if fragment in q["text"]]
    assert hits, fragment
    return min(hits, key=lambda q: q["end"] - q["start"])      # the innermost voice


def test_pronoun_after_a_paragraph_break_goes_to_the_subject_of_the_passage(seed_analysis) -> None:
    """003: "General Frank McKenzie … told reporters last week, after having met Iraq’s new Prime Minister Mustafa
    al-Kadhimi in Baghdad. ¶ …, he said: ¶ “I believe that going forward, …”": McKenzie, not al-Kadhimi."""
    aid = _article(seed_analysis, "003_")
    quotes = [q for q in seed_analysis["quotes"] if q["article_id"] == aid]
    q = _covering(quotes, "I believe that going forward, they (Iraqis) going to want us to be with them")
    assert q["speaker"] == "Frank McKenzie" and q["direct"]
    assert q["speaker_role"] and "chief of the US Central command" in q["speaker_role"]
    adding = _covering(quotes, "US forces will remain for the foreseeable future")
    assert adding["speaker"] == "Frank McKenzie"               # "…,” adding that …" continues his quote
    claims = [c for c in seed_analysis["claims"] if c["article_id"] == aid]
    assert _covering(claims, "going to want us to be with them")["speaker"] == "Frank McKenzie"


def test_joint_statement_speaks_for_its_issuers_not_the_commander(seed_analysis) -> None:
    """000: "McKenzie's announcement appears to contradict a joint statement from Washington and Baghdad … that
    remaining US troops would withdraw": the withdrawal is the joint statement's, in the quotes and the claims."""
    aid = _article(seed_analysis, "000_")
    quotes = [q for q in seed_analysis["quotes"] if q["article_id"] == aid]
    q = _covering(quotes, "remaining US troops would withdraw")
    assert q["speaker"] == "Washington and Baghdad" and q["speaker_role"] == "joint statement"
    claims = [c for c in seed_analysis["claims"] if c["article_id"] == aid]
    claim = _covering(claims, "remaining US troops would withdraw")
    assert claim["speaker"] == "Washington and Baghdad"
    for rel in seed_analysis["relations"]:                    # nor does any relation quote McKenzie for it
        assert "quoting Frank McKenzie: “remaining US troops would withdraw" not in rel.get("explanation", "")


def test_quotes_carry_role_affiliation_and_corpus_ids(seed_analysis) -> None:
    for q in seed_analysis["quotes"]:
        for key in ("speaker_role", "speaker_affiliation", "speaker_affiliation_entity_id"):
            assert key in q
    ids = {e["id"] for e in seed_analysis["entities"]}
    linked = [q for q in seed_analysis["quotes"] if q.get("speaker_corpus_id")]
    assert linked and all(q["speaker_corpus_id"] in ids for q in linked)
    mckenzie = [q for q in linked if q["speaker"] == "Frank McKenzie"]
    assert len({q["speaker_corpus_id"] for q in mckenzie}) == 1 and len({q["article_id"] for q in mckenzie}) >= 2
    assert any(q.get("speaker_affiliation_corpus_id") in ids for q in seed_analysis["quotes"])


# ---- hand-built texts ------------------------------------------------------------------------------------------
def test_pronoun_skips_a_person_named_only_as_an_object(nlp) -> None:
    text = ("Senator John Smith spoke to voters on Friday after meeting Governor Paul Brown in Denver.\n\n"
            "Asked about the budget, he said: “We will not cut a single school.”")
    assert quote_at(quotes_of(nlp, text), text, "We will not cut a single school").speaker == "John Smith"


def test_who_after_a_place_in_a_persons_description_is_that_person(nlp) -> None:
    text = ("The crackdown heightened the concerns of a woman from Benghazi, who urged world leaders to help the "
            "Libyan people.")
    assert quote_at(quotes_of(nlp, text), text, "to help the Libyan people").speaker == "woman"     # not Benghazi


def test_she_after_an_unnamed_woman_who_spoke_is_that_woman_not_the_man_the_story_is_about(nlp) -> None:
    text = ("Libyan leader Moammar Gadhafi appeared on state television on Monday.\n\n"
            "The crackdown heightened the concerns of a woman from Benghazi, who urged world leaders to help.\n\n"
            "“We have no freedom here,” she said.")
    assert quote_at(quotes_of(nlp, text), text, "We have no freedom here").speaker == "woman"


def test_a_woman_in_apposition_to_her_name_leaves_the_name_as_the_speaker(nlp) -> None:
    text = ("Eman al-Obeidy, the woman who accused soldiers of attacking her, arrived in Romania on Monday.\n\n"
            "“I am safe now,” she said.")
    assert quote_at(quotes_of(nlp, text), text, "I am safe now").speaker == "Eman al-Obeidy"


def test_document_goes_to_its_sponsor_else_stays_the_document(nlp) -> None:
    text = ("A new ad from Donald Trump’s campaign went on the air in Ohio on Monday.\n\n"
            "The ad says that “jobs are leaving every day.”\n\n"
            "A letter signed by forty economists warned that tariffs would raise prices.")
    qs = quotes_of(nlp, text)
    ad = quote_at(qs, text, "jobs are leaving every day")
    assert ad.speaker is not None and "Trump" in ad.speaker and ad.speaker_role == "ad"
    letter = quote_at(qs, text, "tariffs would raise prices")
    assert letter.speaker is not None and "letter" in letter.speaker


def test_spokesperson_carries_the_body_she_speaks_for(nlp) -> None:
    text = ("Pentagon spokesman John Kirby said that no decision had been made.\n\n"
            "“We are reviewing it,” Kirby added.")
    qs = quotes_of(nlp, text)
    first = quote_at(qs, text, "no decision had been made")
    assert first.speaker == "John Kirby" and first.speaker_affiliation in ("Pentagon", "Department of Defense")
    assert first.speaker_role is not None and "spokesman" in first.speaker_role
    assert quote_at(qs, text, "We are reviewing it").speaker_affiliation == first.speaker_affiliation  # his first mention


def test_dash_signature_after_a_quote(nlp) -> None:
    text = "Readers wrote in.\n“He is not fit to lead.” ― Carla Sanchez\n“Vote him out.” ― Jorge Falcon\n"
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "He is not fit to lead").speaker == "Carla Sanchez"
    assert quote_at(qs, text, "Vote him out").speaker == "Jorge Falcon"


def test_role_noun_with_a_named_apposition_and_a_new_unnamed_spokesman(nlp) -> None:
    text = ("Government spokesman Musa Ibrahim spoke on Sunday.\n\n"
            "The health secretary, Alan Johnson, said that Britain was on alert.\n\n"
            "A rebel spokesman said that the town had fallen.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "Britain was on alert").speaker == "Alan Johnson"
    rebel = quote_at(qs, text, "the town had fallen")
    assert rebel.speaker is not None and "Ibrahim" not in rebel.speaker and "spokesman" in rebel.speaker


def test_first_person_inside_a_quotation_is_the_voice_of_that_quotation(nlp) -> None:
    """"“…,” he said. “It's new. ¶ “So we are investigating. … but I hope we'll add charges.”": the prosecutor, even
    where the marks are unpaired and the parse gives "I hope" a clause of its own; a name reported inside a quotation
    ("Contrary to what Saif said") does not take over the voice."""
    text = ("Prosecutor Luis Moreno spoke to reporters on Monday.\n\n"
            "“There is some information,” he said.\n\n“It's new.\n\n"
            "“So we are investigating.\n\nWe are not ready yet, but I hope in the coming month we will add charges.”\n\n"
            "A nurse at the city hospital said of the leader: “He is a liar.\n\n"
            "Contrary to what Saif said, there are no divisions among the people.\n\n"
            "We are proud to be free from this regime.”")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "in the coming month we will add charges").speaker == "Luis Moreno"
    proud = quote_at(qs, text, "to be free from this regime")
    assert proud.speaker is not None and "nurse" in proud.speaker


def test_they_and_it_go_to_the_subject_of_the_passage(nlp) -> None:
    """"the researchers said … “…,” they wrote" → the researchers, not a virus named in between; "The report
    highlighted … It also noted" → the report, not the government it accuses."""
    text = ("The 1957 pandemic of H2N2 killed an estimated 2 million people.\n\n"
            "Looking at the pattern in the town, the researchers said the virus spread quickly.\n\n"
            "“Transmissibility is therefore substantially higher than seasonal flu,” they wrote.\n\n"
            "The Ministry of Health in Gondar was criticised last week.\n\n"
            "The report highlighted abuses by the government of Gondar.\n\n"
            "It also noted that attacks on civilians had continued.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "Transmissibility is therefore").speaker == "researchers"
    assert quote_at(qs, text, "attacks on civilians had continued").speaker == "report"


def test_unnamed_speaker_and_definite_description_of_the_passages_person(nlp) -> None:
    """"Another, younger woman says …. “…,” she says" → the woman, not a man named earlier; "Gordon Brown said ….
    The prime minister said" → Brown, the person the passage is about."""
    text = ("Jean Paul, a local pastor, said the food had not arrived.\n\n"
            "Another, younger woman says she needs to feed her baby.\n\n"
            "“They are killing us,” she says.\n\n"
            "Gordon Brown said the earthquake was a tragedy beyond imagination.\n\n"
            "The UK Disasters Emergency Committee has launched an appeal.\n\n"
            "The prime minister said the rescue team had landed in the country.")
    qs = quotes_of(nlp, text)
    killing = quote_at(qs, text, "They are killing us")
    assert killing.speaker is not None and "woman" in killing.speaker
    assert quote_at(qs, text, "the rescue team had landed").speaker == "Gordon Brown"


def test_a_document_put_out_by_someone_is_theirs(nlp) -> None:
    """"Rasmussen issued a statement saying, “…”": the statement's issuer; "A cable from 2008 … the cable said":
    a date is no author, so the cable stays the cable."""
    text = ("As for the mission, Secretary General Anders Fogh Rasmussen issued a statement saying, "
            "“We are determined to continue our operation to protect the people.”\n\n"
            "A cable from 2008 describes the town as a wellspring of fighters.\n\n"
            "“Other factors include a dearth of social outlets for young people,” the cable said.")
    qs = quotes_of(nlp, text)
    assert "Rasmussen" in (quote_at(qs, text, "We are determined to continue").speaker or "")
    assert quote_at(qs, text, "Other factors include").speaker == "cable"


def test_quotation_opening_a_paragraph_goes_on_in_the_voice_just_reported(nlp) -> None:
    """"“…,” the resident said. ¶ Younis said NATO's concerns are unfounded. ¶ “The region … is not inhabited.”":
    Younis, whose report ends the paragraph before, not the resident two paragraphs up; not after a paragraph that
    goes on in narrative once the report is made."""
    text = ("“There are snipers shooting at anything that moves,” the resident said.\n\n"
            "Colonel Ahmed Younis said NATO's concerns about collateral damage are unfounded.\n\n"
            "“The region where the enemy forces are is not inhabited by civilians.”\n\n"
            "Omar Hassan said the road was closed. Trucks lined up for miles along the coast road at dawn.\n\n"
            "“Nobody can leave the city any more.”")
    qs = quotes_of(nlp, text)
    assert "Younis" in (quote_at(qs, text, "The region where the enemy forces").speaker or "")
    assert "Hassan" not in (quote_at(qs, text, "Nobody can leave the city").speaker or "")


def test_description_is_not_linked_to_a_person_holding_another_office(nlp) -> None:
    """"the prime minister" is not the "health minister" named above, and "the Prime Minister of the Bahamas" is not
    the "British Prime Minister"."""
    from storyline.nlp.entities.extract import EntityIndex

    text = ("Health Minister Trinidad Jimenez said the country had eleven cases.\n\n"
            "The prime minister said the borders would stay open.\n\n"
            "British Prime Minister Gordon Brown pledged more aid on Monday.\n\n"
            "The Prime Minister of the Bahamas said his islands would take in the injured.")
    doc = nlp(text)
    index = EntityIndex.build(doc, "t")
    assert index.roles[index.by_surface("Trinidad Jimenez").id] and index.roles[index.by_surface("Gordon Brown").id]
    for fragment, wrong in (("The prime minister", "Trinidad Jimenez"), ("The Prime Minister of the Bahamas",
                                                                        "Gordon Brown")):
        s = text.index(fragment)
        ent = index.at(s, s + len(fragment))
        assert ent is None or ent.name != wrong, (fragment, ent.name)


def test_a_passive_ask_is_the_askers_not_the_one_asked(nlp) -> None:
    # "Asked about X, Rubio said …": Rubio is the one asked; the question has no named asker unless a by-agent says so
    text = ("Asked about Cruz's charges, Senator Marco Rubio said that the reforms did not amount to amnesty.\n\n"
            "Senator Bernie Sanders was asked by host John Dickerson whether his aim was similar to Kennedy's.\n\n"
            "When asked whether the city should have a vote, Donald Trump said it would be okay.\n\n"
            "Mayor Ann Lee has asked the council to delay the vote until March.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "about Cruz's charges").speaker is None
    assert quote_at(qs, text, "the reforms did not amount to amnesty").speaker == "Marco Rubio"
    assert quote_at(qs, text, "whether his aim was similar").speaker == "John Dickerson"
    assert quote_at(qs, text, "whether the city should have a vote").speaker is None
    assert quote_at(qs, text, "it would be okay").speaker == "Donald Trump"
    assert quote_at(qs, text, "to delay the vote until March").speaker == "Ann Lee"      # active perfect: her own ask


def test_a_participle_speaks_for_the_doer_not_for_a_noun_or_object_beside_it(nlp) -> None:
    text = ("Later that day, Senator Paul Ryan fired back a response saying he would not support the plan.\n\n"
            "“We will win this state,” Donald Trump said, repeating a common line.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "he would not support the plan").speaker == "Paul Ryan"
    # never "common line", the object after the participle (a participle does not invert like "…, said X")
    assert quote_at(qs, text, "We will win this state").speaker == "Donald Trump"
    assert all(q.speaker == "Donald Trump" for q in qs if q.cue == "repeating")


def test_a_subject_the_parser_finds_inside_the_quotation_does_not_hide_the_speaker(nlp) -> None:
    # the parser gives "said" two subjects, "fact" inside the marks and Huckabee outside: the one outside speaks
    text = ("Mike Huckabee spoke in Iowa.\n\n“He was a senator. The fact that he, in his first term in the Senate, "
            "really tried to do something,” Huckabee said.")
    assert quote_at(quotes_of(nlp, text), text, "really tried to do something").speaker == "Mike Huckabee"


def test_a_dateline_is_never_the_speaker(nlp) -> None:
    # the parser reads the dateline as the subject (or as a second one beside the real subject)
    for text, fragment, speaker in (
        ("LONDON (Reuters) - Donald Trump said he was unlikely to have a good relationship with David Cameron.",
         "he was unlikely", "Donald Trump"),
        ("CLEVELAND, July 19 (UPI) — Former Attorney General Michael Mukasey told delegates at the Republican National "
         "Convention that Hillary Clinton’s use of a private email server should disqualify her.", "should disqualify her",
         "Michael Mukasey"),
        ("Speaking at a town hall event in Salem, New Hampshire, Trump went after Bush, calling him “a total "
         "stiff.”", "a total stiff", "Trump"),
    ):
        assert quote_at(quotes_of(nlp, text), text, fragment).speaker == speaker, text


def test_a_second_verb_speaks_for_the_subject_of_the_first_when_the_parser_lost_it(nlp) -> None:
    # "Brenda Johnson" is parsed as the object of "in", and "explained" has no subject of its own; never "Ohio"
    text = ("At a June Trump campaign event in St. Clairsville, Ohio, 62-year-old Brenda Johnson also railed against "
            "immigrants, and explained how much it upset her to hear them speak in other languages.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "how much it upset her").speaker == "Brenda Johnson"
    assert all(q.speaker != "Ohio" for q in qs)


def test_a_quotation_with_no_cue_takes_the_voice_the_text_gives_it(nlp) -> None:
    cases = (
        # the sentence just before, in the same paragraph, ends in a verb of saying with a speaker
        ("Iowa State University's Dianne Bystrom agreed. \"Mainstream Republicans are running out of time to find "
         "an alternative to Trump or Cruz.\"", "Mainstream Republicans", "Dianne Bystrom"),
        # a typewriter '' pair after "declares,": the pair is a token of its own before the quotation
        ("Senator Marco Rubio of Florida is airing a new TV ad, in which he declares, ''The purpose of our life is "
         "to cooperate with God's plan.''", "The purpose of our life", "Marco Rubio"),
        # a name after a headline's dash, before a colon
        ("RED STATES OUTNUMBER BLUE STATES FOR THE FIRST TIME - Jeffrey M. Jones: “Gallup’s analysis of political "
         "party affiliation at the state level in 2015 finds the states are red.”", "Gallup’s analysis",
         "Jeffrey M. Jones"),
        # a signature on the line after the quotation
        ("The senator spoke on Tuesday.\n\n\"The idea that I would dismantle health care in America is absurd.\"\n\n"
         "- Sanders.\n\nSanders exaggerates when he says he helped write the law.", "The idea that I would",
         "Sanders"),
    )
    for text, fragment, speaker in cases:
        assert quote_at(quotes_of(nlp, text), text, fragment).speaker == speaker, text


def test_a_quotation_after_the_speakers_own_quotation_stays_in_that_turn(nlp) -> None:
    # "“A,” X said. “B.”": B goes on with A's cue (one attribution), not as a new one after "said."
    text = ("“We will win this state,” Donald Trump said at the rally. “We are going to make America great "
            "again.”")
    qs = quotes_of(nlp, text)
    a, b = quote_at(qs, text, "We will win"), quote_at(qs, text, "make America great")
    assert a.speaker == b.speaker == "Donald Trump" and a.cue_start == b.cue_start is not None


def test_the_one_who_uses_something_to_urge_is_the_speaker_and_a_possessive_is_the_clause_subject(nlp) -> None:
    # "used X to urge": the user urges (not "the comments", as with "led the WHO to declare")
    text = ("The National Rifle Association, which has endorsed Trump, used the comments to urge people to vote for "
            "him on Election Day.")
    assert "Rifle Association" in quote_at(quotes_of(nlp, text), text, "to vote for him").speaker
    # "his attacks" / "their condemnation": the subject of the clause the possessive refers to
    text = "Donald Trump on Thursday ratcheted up his attacks on Rubio, saying he is weak on illegal immigration."
    assert all(q.speaker == "Donald Trump" for q in quotes_of(nlp, text))
    text = ("The politicians and religious figures in attendance were unanimous in their condemnation of Trump’s "
            "comments that Muslims should be barred.")
    q = quote_at(quotes_of(nlp, text), text, "Muslims should be barred")
    assert q.cue == "condemnation" and "politicians" in q.speaker


def test_a_speaker_after_the_quotation_with_a_long_apposition_or_an_unlisted_verb(nlp) -> None:
    for text, fragment, speaker in (
        ("\"This shocking new ad raises new questions about Trump's business record,\" Katie Packer, who is chairman "
         "of Our Principles Pac, said in a statement provided to POLITICO.", "This shocking new ad", "Katie Packer"),
        ("“Would it be negotiable about the 11 million?” Hannity pressed. “Maybe let some people stay if they "
         "register?”", "Would it be negotiable", "Hannity"),
        ("\"Hey, hey! Ho, ho! Rahm Emanuel's got to go!\" some protesters chanted, three days after the video's "
         "release.", "Rahm Emanuel's got to go", "some protesters"),
    ):
        assert quote_at(quotes_of(nlp, text), text, fragment).speaker == speaker, text


def test_of_a_cues_several_subjects_a_quantifier_is_never_the_speaker(nlp) -> None:
    # the parser gives "said" the subjects "He" and "both": "both" is nearer, but it names no one
    text = ("Raymond Joseph, Haiti's ambassador to the US, said the presidential palace had been damaged, but the "
            "airport was intact.\n\nHe and Haiti's ambassador to Mexico, Robert Manuel, both said that President Rene "
            "Preval and his wife had survived the quake.")
    assert quote_at(quotes_of(nlp, text), text, "his wife had survived").speaker == "Raymond Joseph"


def test_a_quotation_open_at_its_paragraph_end_runs_on_to_its_closing_mark(nlp) -> None:
    # pages that break paragraphs inside a quotation: the next paragraph opens with no mark and closes the quotation
    text = ("Shops near the hotel were shuttered.\n\n“How can there be business?\n\nThe police vans are all around "
            "here,” said Li Mingtai, a waiter at a nearby restaurant.")
    q = quote_at(quotes_of(nlp, text), text, "How can there be business")
    assert q.direct and q.speaker == "Li Mingtai" and q.text.endswith("all around here,")
    # a paragraph that opens a quotation of its own is the usual multi-paragraph style, not a closing
    text = ("“We will win this state,” Donald Trump said.\n\n“We are going to make America great again.\n\n“And we "
            "will build the wall,” he added.")
    qs = quotes_of(nlp, text)
    assert not any("great again" in q.text and "build the wall" in q.text for q in qs)


def test_a_nationality_is_an_affiliation_only_on_an_office(nlp) -> None:
    """"Libyan leader" speaks for Libya's side; "a Libyan scholar and dissident" and the woman a clause describes
    do not speak for anything Libyan (T17: 795 quotes carried "Libyan", most of them wrongly)."""
    text = ("“We will fight to the end,” said Libyan leader Moammar Gadhafi.\n\n"
            "“The regime is finished,” said Mansour El-Kikhia, a Libyan scholar and dissident.\n\n"
            "“They beat me,” said Eman al-Obeidy, the woman who says she was attacked by forces loyal to the Libyan "
            "leader.\n\n"
            "“We need more doctors,” said Ian Rodgers, an Australian working for Oxfam.\n\n"
            "“The vote is close,” said Arizona Republican John McCain.")
    qs = quotes_of(nlp, text)
    assert quote_at(qs, text, "We will fight to the end").speaker_affiliation == "Libyan"
    assert quote_at(qs, text, "The regime is finished").speaker_affiliation is None
    assert quote_at(qs, text, "They beat me").speaker_affiliation is None
    assert quote_at(qs, text, "We need more doctors").speaker_affiliation == "Oxfam"
    assert quote_at(qs, text, "The vote is close").speaker_affiliation == "Republican"


def test_place_where_someone_is_is_not_whom_they_speak_for(nlp) -> None:
    text = "“It is chaos here,” said Mahmoud Traina, a cardiologist in southern California."
    assert quote_at(quotes_of(nlp, text), text, "It is chaos here").speaker_affiliation is None


def test_speaker_and_role_lose_loose_ends_and_a_bare_pronoun_is_no_name() -> None:
    from storyline.nlp.quotes.extract import _tidy

    assert _tidy("a spokesman for") == "a spokesman"
    assert _tidy("state government of Jalisco,") == "state government of Jalisco"
    assert _tidy("Sir, a former British ambassador to Libya and") == "Sir, a former British ambassador to Libya"
    assert _tidy("National security adviser:") == "National security adviser"
    assert _tidy("One of the doctors we are working with") == "One of the doctors we are working with"
    assert _tidy("who") is None and _tidy("the") is None
    assert _tidy("WHO") == "WHO"                        # the World Health Organization


def test_a_nationality_on_a_body_names_the_body_and_on_an_office_the_country(nlp) -> None:
    text = ("Fighting went on in Libya on Sunday.\n\n"
            "“The rebels are criminals,” said Libyan government spokesman Musa Ibrahim.\n\n"
            "“We will fight to the end,” said Libyan leader Moammar Gadhafi.\n\n"
            "“No comment,” said British Foreign Secretary William Hague.")
    qs = quotes_of(nlp, text)
    spokesman = quote_at(qs, text, "The rebels are criminals")
    assert spokesman.speaker_affiliation == "Libyan government" and spokesman.speaker_affiliation_entity_id is None
    leader = quote_at(qs, text, "We will fight to the end")
    assert leader.speaker_affiliation == "Libya" and leader.speaker_affiliation_entity_id is not None
    assert quote_at(qs, text, "No comment").speaker_affiliation == "British"     # irregular: left as written


def test_she_does_not_reach_a_man_whose_first_name_is_not_english(nlp) -> None:
    """T17: a woman's words after "she said" went to "Khalil Abdallah", whose gender the English name list did not
    know, so a "she" could reach him."""
    text = ("Khalil Abdallah, a government minder, stood by the door.\n\n"
            "The woman's face was bruised. She walked around, sobbing.\n\n"
            "“Look at what they did to me,” she said.")
    q = quote_at(quotes_of(nlp, text), text, "Look at what they did to me")
    assert q.speaker != "Khalil Abdallah"


def test_who_after_a_place_in_an_apposition_is_the_named_person(nlp) -> None:
    text = ("Many voters, like Naureen Jahangir, a Sanders supporter from Hemet, California, who say they have no "
            "intention of backing Clinton, stayed home.")
    q = quote_at(quotes_of(nlp, text), text, "they have no intention of backing Clinton")
    assert q.speaker == "Naureen Jahangir"
    assert q.speaker_role == "a Sanders supporter from Hemet, California"     # the relative clause is not the role


def test_a_statement_issued_in_a_gerund_is_the_main_subjects(nlp) -> None:
    text = ("Last week Sheikh Abu Musab Wadud, the head of AQIM, reacted to Western airstrikes by issuing a video "
            "statement denouncing the intervention as a crusade.")
    assert quote_at(quotes_of(nlp, text), text, "the intervention as a crusade").speaker == "Abu Musab Wadud"
