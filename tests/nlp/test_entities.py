"""Entities: canonical names, titles kept as roles, aliases and acronyms, role descriptions linked to people."""

from __future__ import annotations

import pytest

from repo_paths import SEEDS
from storyline.nlp.entities.extract import EntityIndex, _alias_canon, extract_entities, norm_key
from storyline.nlp.entities.merge import _acronym_of


def test_norm_key_folds_case_dots_possessive_and_article() -> None:
    assert norm_key("the U.S.") == "u s"
    assert norm_key("McKenzie's") == "mckenzie"
    assert norm_key("Iraq’s") == "iraq"


def test_alias_table_needs_capitals_for_short_forms() -> None:
    assert _alias_canon("U.S.") == "United States"
    assert _alias_canon("America") == "United States"
    assert _alias_canon("ISIS") == "Islamic State"
    assert _alias_canon("IS") == "Islamic State"
    assert _alias_canon("is") is None          # the verb, not the group
    assert _alias_canon("us") is None          # the pronoun


def test_acronym_of_skips_small_words() -> None:
    assert _acronym_of("Iraqi Security Forces") == "ISF"
    assert _acronym_of("Islamic State of Iraq and the Levant") == "ISIL"
    assert _acronym_of("Popular Mobilization Units") == "PMU"


def _by_name(ents, name):
    hits = [e for e in ents if e.name == name]
    assert hits, f"no entity {name!r} in {[e.name for e in ents]}"
    return hits[0]


@pytest.mark.slow
def test_load_nlp_is_cached(nlp) -> None:
    from storyline.nlp.runtime.spacy_model import load_nlp

    assert load_nlp() is nlp


@pytest.mark.slow
def test_missing_model_is_a_model_error() -> None:
    from storyline.config import Settings
    from storyline.errors import ModelError
    from storyline.nlp.runtime.spacy_model import load_nlp

    with pytest.raises(ModelError, match="could not be loaded"):
        load_nlp(Settings(spacy_model="no_such_model_xyz"))


@pytest.mark.slow
def test_person_with_title_surname_and_role_description(nlp) -> None:
    text = ("The United States will keep its troops in Iraq, the top U.S. commander for the Middle East said.\n"
            "Marine Gen. Frank McKenzie said in an interview that the U.S. would stay.\n"
            "McKenzie, commander of the U.S. Central Command, said he expected more attacks.")
    ents = extract_entities(nlp(text), "a1")
    mck = _by_name(ents, "Frank McKenzie")
    assert mck.type == "person"
    assert "McKenzie" in mck.aliases
    assert mck.role and "Gen." in mck.role               # title stripped from the name, kept as role
    surfaces = {text[s:e] for s, e in mck.mentions}
    assert "the top U.S. commander for the Middle East" in surfaces
    us = _by_name(ents, "United States")
    assert {"U.S."} <= set(us.aliases)
    assert len([e for e in ents if e.type == "person"]) == 1
    for e in ents:
        assert all(0 <= s < t <= len(text) for s, t in e.mentions)


@pytest.mark.slow
def test_acronym_in_parentheses_and_is_variants(nlp) -> None:
    text = ("US forces support the Iraqi Security Forces (ISF) in their fight against ISIS. "
            "The ISF has grown stronger. Islamic State (IS, also known as ISIS) once held much of Iraq.")
    ents = extract_entities(nlp(text), "a2")
    isf = _by_name(ents, "Iraqi Security Forces")
    assert "ISF" in isf.aliases
    assert len(isf.mentions) >= 3
    isg = [e for e in ents if e.name == "Islamic State"]
    assert len(isg) == 1 and {"ISIS"} <= set(isg[0].aliases)


@pytest.mark.slow
def test_fnc1_body_manager_and_agent(nlp) -> None:
    # FNC-1 train body 303 (not used for tuning); expected facts written by hand.
    text = ("Despite rumors that swept the Internet on Sunday morning, the “Breakfast Club” star is alive and well, "
            "his manager and agent told the Los Angeles Times.\n\nAgent Gregg Klein even hustled to Nelson’s home "
            "Sunday morning to take a photo of the actor.\n\nKlein was to the point when he answered The Times' query.")
    ents = extract_entities(nlp(text), "fnc303")
    klein = _by_name(ents, "Gregg Klein")
    assert "Klein" in klein.aliases
    assert klein.role and "Agent" in klein.role


@pytest.mark.slow
def test_index_resolves_pronoun_to_last_person(nlp) -> None:
    doc = nlp("Prime Minister Mustafa al-Kadhimi met the envoy. He said the talks went well.")
    index = EntityIndex.build(doc, "a3")
    he = next(t for t in doc if t.text == "He")
    ent = index.resolve_token(he)
    assert ent is not None and ent.name == "Mustafa al-Kadhimi"
    assert ent.role and "Prime Minister" in ent.role


@pytest.mark.slow
def test_seed_entities(nlp) -> None:
    text = (SEEDS / "002_3cd088a2b52e8ece.txt").read_text(encoding="utf-8")
    ents = extract_entities(nlp(text), "s2")
    ryder = _by_name(ents, "Patrick Ryder")
    assert "General" in (ryder.role or "")
    assert any(text[s:e] == "The US military official" for s, e in ryder.mentions)
    ids = [e.id for e in ents]
    assert len(ids) == len(set(ids))


def test_arabic_article_is_ignored_when_matching_short_names() -> None:
    from storyline.nlp.entities.merge import _bare, _Cluster, _match_person

    assert _bare("al-Sudani") == "Sudani" and _bare("Alan") == "Alan"
    cl = _Cluster(type="person", tokens=frozenset({"Mohammed", "Shia", "al-Sudani"}))
    assert _match_person([cl], "Sudani") is cl


@pytest.mark.slow
def test_gender_from_titles_roles_and_first_names(nlp) -> None:
    doc = nlp("Ms. Okafor met Senator Bill Rivera and Dana Whitfield in Lagos. Jordan Lee arrived late.")
    index = EntityIndex.build(doc, "t")
    by = {e.name: index.gender(e) for e in index.entities if e.type == "person"}
    assert by.get("Okafor") == "f"
    assert by.get("Bill Rivera") == "m"
    assert by.get("Dana Whitfield") == "f"
    assert by.get("Jordan Lee") is None        # unknown never excludes a pronoun


@pytest.mark.slow
def test_body_of_a_person_is_an_org_entity(nlp) -> None:
    doc = nlp("Governor Ann Wells spoke on Monday. Wells's office said the budget would pass.")
    ents = extract_entities(doc, "t")
    body = _by_name(ents, "Ann Wells’s office")
    assert body.type == "org" and body.mentions
