"""``ArticleFacts``: the typed shape of one article's facts between the worker, the driver and the store."""

from __future__ import annotations

from storyline.model import ArticleFacts, ArticleResult, ArticleTask, StoredFacts
from storyline.nlp.pipeline import skipped_facts
from storyline.xdoc.fact_rows import read_keys


def test_every_kind_the_corpus_stages_read_is_an_article_fact() -> None:
    assert set(read_keys()) <= set(ArticleFacts.__required_keys__)
    assert ArticleFacts.__optional_keys__ == {"language", "nlp_skipped"}
    assert StoredFacts.__optional_keys__ == {"language", "nlp_skipped", "nlp_truncated_at", "nlp_guarded"}


def test_a_passed_over_article_has_every_kind_empty_and_says_why() -> None:
    facts = skipped_facts(ArticleTask("a1", "Bonjour", language="fr"), "language fr")
    assert set(facts) == ArticleFacts.__required_keys__ | ArticleFacts.__optional_keys__
    assert all(facts[k] == [] for k in ArticleFacts.__required_keys__)
    assert facts["language"] == "fr" and facts["nlp_skipped"] == "language fr"


def test_stored_facts_add_the_parse_limits_to_a_copy() -> None:
    facts = skipped_facts(ArticleTask("a1", "x"), "no text")
    res = ArticleResult("a1", facts, truncated_at=100, guarded=3)
    stored = res.stored_facts()
    assert stored["nlp_truncated_at"] == 100 and stored["nlp_guarded"] == 3
    assert "nlp_truncated_at" not in facts and list(stored)[:6] == list(facts)[:6]
