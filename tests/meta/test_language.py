"""Each article's language is detected (py3langid, offline) and stored; a non-English article is kept, labelled and
passed over by the English-only analysis with the reason recorded in `inputs` and its facts; --lang filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.api import analyze, extract, table
from storyline.cli import build_parser
from storyline.config import Settings
from storyline.errors import UsageError
from storyline.meta.language import SAMPLE_CHARS, detect_language, english_only_skip
from storyline.model import ArticleTask
from storyline.nlp.pipeline import analyze_batch
from storyline.pipeline import ingest
from storyline.store import Store

ENGLISH = ("The defence minister said on Tuesday that 2,500 troops would stay in the country until the end of the "
           "year. Officials in Baghdad said talks on a withdrawal would resume next month, according to a statement.")
FRENCH = ("Le ministre de la Défense a déclaré mardi que 2 500 soldats resteraient dans le pays jusqu'à la fin de "
          "l'année. Les responsables à Bagdad ont indiqué que les discussions sur un retrait reprendraient le mois "
          "prochain, selon un communiqué.")
GERMAN = ("Der Verteidigungsminister sagte am Dienstag, dass 2.500 Soldaten bis zum Jahresende im Land bleiben "
          "würden. Die Gespräche über einen Abzug sollen im nächsten Monat fortgesetzt werden.")


def _jsonl(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_detect_language() -> None:
    assert detect_language(ENGLISH)[0] == "en"
    assert detect_language(FRENCH)[0] == "fr"
    assert detect_language(GERMAN)[0] == "de"
    code, basis = detect_language("Obama wins")          # too few letters to tell
    assert code is None and basis.startswith("undetermined")
    # only the start is read: a French article with an English tail is French, and the check stays cheap
    assert detect_language(FRENCH * 20 + ENGLISH * 200)[0] == "fr"
    assert len(FRENCH * 20) > SAMPLE_CHARS
    assert english_only_skip("fr") == "language fr: English-only analysis skipped"
    assert english_only_skip("en") is None and english_only_skip(None) is None


def test_extract_labels_language(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    short = _jsonl(tmp_path / "short.jsonl", [{"text": "Short note", "language": "de"}, {"text": "Obama wins"}])
    rows = list(extract([str(tmp_path / "en.txt"), str(tmp_path / "fr.txt"), short], Settings()))
    assert [r["language"] for r in rows] == ["en", "fr", "de", None]
    ev = {e["field"]: e for e in rows[1]["evidence"]}
    assert ev["language"]["value"] == "fr" and "py3langid" in ev["language"]["basis"]
    # undetermined by the text, so the record's own field is used and said so
    assert "record field 'language'" in {e["field"]: e for e in rows[2]["evidence"]}["language"]["basis"]


def test_french_article_is_labelled_and_skipped_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_en.txt").write_text("Troops to stay\n\n" + ENGLISH, encoding="utf-8")
    (tmp_path / "in" / "b_fr.txt").write_text("Les troupes restent\n\n" + FRENCH, encoding="utf-8")
    settings = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"))
    summary = analyze([str(tmp_path / "in")], settings)
    assert not summary.failed and summary.analysed == 2

    analysis = json.loads((tmp_path / "out" / "analysis.json").read_text(encoding="utf-8"))
    arts = {Path(a["source"]).name: a for a in analysis["articles"]}
    assert arts["a_en.txt"]["language"] == "en" and arts["b_fr.txt"]["language"] == "fr"
    fr_id, en_id = arts["b_fr.txt"]["id"], arts["a_en.txt"]["id"]
    inputs = {Path(i["path"]).name: i for i in analysis["inputs"]}
    assert inputs["b_fr.txt"]["status"] == "ok"
    assert inputs["b_fr.txt"]["reason"] == "language fr: English-only analysis skipped"
    assert inputs["a_en.txt"]["reason"] == ""
    # the English article is analysed, the French one is not (no noise from the English model)
    assert any(c["article_id"] == en_id for c in analysis["claims"])
    assert not any(c["article_id"] == fr_id for c in analysis["claims"] + analysis["quotes"] + analysis["quantities"])
    with Store(settings.db) as store:
        facts = dict(store.all_facts())
        assert facts[fr_id]["nlp_skipped"] == "language fr: English-only analysis skipped"
        assert "nlp_skipped" not in facts[en_id]
        assert store.article(fr_id).language == "fr"     # stored (in the evidence) and read back
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<th scope=\"col\">Language</th>" in html and "not analysed" in html
    # kept out of story clustering too (no story), and the export says which language and why it was passed over
    assert arts["b_fr.txt"].get("story_id") is None and arts["a_en.txt"].get("story_id")
    assert fr_id not in {a for s in analysis["stories"] for a in s["article_ids"]}
    rows = {r["id"]: r for r in table("articles", settings)}
    assert (rows[fr_id]["language"], rows[fr_id]["analysis_skipped"]) == ("fr", "language fr: English-only analysis skipped")
    assert (rows[en_id]["language"], rows[en_id]["analysis_skipped"]) == ("en", None)


def test_analyze_batch_skips_non_english_without_loading_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.nlp.runtime.spacy_model as spacy_model

    def no_model(*_a: object, **_k: object) -> None:
        raise AssertionError("spaCy loaded for a batch with no English article")

    monkeypatch.setattr(spacy_model, "load_nlp", no_model)
    got = analyze_batch([ArticleTask("a1", FRENCH, language="fr")], Settings())
    assert got[0].id == "a1" and got[0].error is None
    assert got[0].facts is not None and got[0].facts["nlp_skipped"].startswith("language fr") and got[0].facts["claims"] == []


def test_lang_filter_is_recorded(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "c.jsonl", [{"text": ENGLISH}, {"text": FRENCH}, {"text": GERMAN}, {"text": "Obama wins"}])
    settings = Settings(db=str(tmp_path / "s.db"), langs="en,de")
    with Store(settings.db) as store:
        ingest([src], store, settings)
        store.commit()
        got = {r.path.rsplit("#", 1)[1]: (r.status, r.reason) for r in store.inputs()}
    assert got["2"] == ("skipped", "filtered: language fr is not one of --lang en, de")
    assert got["1"][0] == "ok" and got["3"] == ("ok", "language de: English-only analysis skipped")
    assert got["4"][0] == "ok"           # undetermined: kept, as an undated article is kept by --since


def test_lang_flag_and_validation() -> None:
    args = build_parser().parse_args(["analyze", "x", "--lang", "en", "--lang", "fr,de"])
    assert args.langs == ["en", "fr,de"]
    assert Settings.load({"langs": "en,fr"}).langs == "en,fr"
    with pytest.raises(UsageError):
        Settings.load({"langs": "english"})


def test_non_english_article_stays_out_of_story_clustering() -> None:
    """An article the English-only analysis passed over keeps out of every story, even with the same headline as an
    English one (its lead, embedded by an English model, would otherwise join or found stories on noise); its copies
    follow it out, and a store clustered before this rule drops it from its story on the next run."""
    from storyline.xdoc.corpus import analyse
    from storyline.xdoc.view import build_view
    from xdoc_facts import Doc, seed_like_corpus

    docs = seed_like_corpus()
    fr = Doc("fr", docs[0].title, outlet="Le Monde", published=docs[0].published)
    fr.facts.update(nlp_skipped="language fr: English-only analysis skipped")
    arts = [d.article() for d in docs] + [fr.article()]
    facts = {d.id: d.facts for d in docs} | {fr.id: fr.facts}

    res = analyse(build_view(arts, facts))
    in_stories = {a for s in res["stories"] for a in s["article_ids"]}
    assert fr.id not in in_stories and fr.id not in res.story_of
    assert {d.id for d in docs} <= in_stories                  # the English articles are clustered as before

    # a store clustered before the rule (the French article inside an event) is clustered afresh without it
    old = res["story_index"]
    old["events"][0]["article_ids"].append(fr.id)
    again = analyse(build_view(arts, facts), previous_stories=old)
    assert fr.id not in {a for s in again["stories"] for a in s["article_ids"]}
