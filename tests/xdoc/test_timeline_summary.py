"""The summarised timeline: which dates it keeps, which sentences it shows, and the CLI's shape (hand-built store,
no NLP run)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.store import Store
from storyline.xdoc.timeline_summary import Params, build_pool, rank_dates, timeline_summary
from xdoc_facts import Doc

QUAKE = "A powerful earthquake struck the capital, flattening thousands of buildings and killing many residents."
AID = "International aid agencies began flying emergency supplies into the damaged airport near the capital city."
FLU = "Health officials confirmed new cases of the influenza virus among travellers returning from abroad this week."


def _doc(key: str, outlet: str, published: date, lines: list[tuple[str, str | None]], *,
         duplicate_of: str | None = None) -> Doc:
    d = Doc(key, lines[0][0][:60], outlet=outlet, published=published)
    for text, day in lines:
        start, end = d.sentence(text)
        if day:
            d.facts["times"].append({"start": start, "end": start + 5, "text": text[:5], "value": day,
                                     "precision": "day", "anchor": "published", "type": "DATE"})
    d.dup = duplicate_of  # type: ignore[attr-defined]
    return d


def _store(path: Path, docs: list[Doc]) -> str:
    db = str(path / "s.db")
    with Store(db) as st:
        for d in docs:
            art = d.article()
            art.duplicate_of = getattr(d, "dup", None)
            st.add_article(art)
            st.put_facts(art.id, "test", d.facts)
        st.commit()
    return db


def _corpus() -> list[Doc]:
    """2010-01-12 is referred to by three outlets, 2010-01-14 by two; 2010-01-20 by one outlet in three copies of
    one article."""
    docs = []
    for i, outlet in enumerate(("BBC", "Reuters", "CNN")):
        lines: list[tuple[str, str | None]] = [(f"Quake report {i}: rescue teams search the rubble", None),
                                               (f"{QUAKE} It happened on Tuesday, reporter {i} says.", "2010-01-12")]
        if i < 2:
            lines.append((f"{AID} Flights resumed on Thursday, reporter {i} adds.", "2010-01-14"))
        docs.append(_doc(f"q{i}", outlet, date(2010, 1, 16 + i), lines))
    base = _doc("copy0", "Daily Blog", date(2010, 1, 21), [
        ("A local blog on the aftershock", None),
        ("An aftershock shook the city on Wednesday and frightened people sleeping outside in the streets.",
         "2010-01-20"),
    ])
    docs.append(base)
    for j in (1, 2):
        copy = _doc(f"copy{j}", "Daily Blog", date(2010, 1, 21), [
            ("A local blog on the aftershock", None),
            ("An aftershock shook the city on Wednesday and frightened people sleeping outside in the streets.",
             "2010-01-20"),
        ], duplicate_of=base.id if j == 1 else None)
        docs.append(copy)
    docs.append(_doc("flu", "Health Weekly", date(2010, 1, 25), [
        ("Flu season update for travellers", None),
        (f"{FLU} The first case was confirmed on Friday.", "2010-01-22"),
    ]))
    return docs


@pytest.fixture
def db(tmp_path: Path) -> str:
    return _store(tmp_path, _corpus())


def test_independent_references_outrank_repeated_ones(db: str) -> None:
    with Store(db, readonly=True) as st:
        pool = build_pool(((a, st.facts(a.id)) for a in st.articles()), Params())
    ranked = [d for d, _ in rank_dates(pool)]
    assert ranked[0] == date(2010, 1, 12)               # three outlets name it
    # the aftershock day: one article, a marked duplicate and an unmarked word-for-word copy: one reference
    assert len(pool.refs[date(2010, 1, 20)]) == 1
    assert ranked.index(date(2010, 1, 14)) < ranked.index(date(2010, 1, 20))


def test_sentences_carry_their_sources_and_are_not_repeated(db: str) -> None:
    with Store(db, readonly=True) as st:
        res = timeline_summary(st, dates=3, sentences=2)
    tl = res["timeline"]
    assert [e["date"] for e in tl] == sorted(e["date"] for e in tl)
    top = next(e for e in tl if e["date"] == "2010-01-12")
    assert top["outlets"] == ["BBC", "CNN", "Reuters"] and top["sources"] == 3
    assert len(top["sentences"]) <= 2 and QUAKE[:30] in top["sentences"][0]
    for e in tl:
        assert len(e["sentence_sources"]) == len(e["sentences"])
        assert all(s["article_id"] in e["article_ids"] or s["outlet"] for s in e["sentence_sources"])
    every = [s for e in tl for s in e["sentences"]]
    assert len(every) == len(set(every))


def test_from_to_keeps_dates_inside(db: str) -> None:
    with Store(db, readonly=True) as st:
        res = timeline_summary(st, dates=10, sentences=1, start=date(2010, 1, 15), end=date(2010, 1, 31))
    days = [e["date"] for e in res["timeline"]]
    assert days and all("2010-01-15" <= d <= "2010-01-31" for d in days)
    assert "2010-01-12" not in days


def test_about_focuses_on_the_topic(db: str) -> None:
    with Store(db, readonly=True) as st:
        res = timeline_summary(st, dates=10, sentences=1, about="influenza virus cases among travellers")
    assert [e["date"] for e in res["timeline"]] == ["2010-01-22"]
    assert res["timeline"][0]["outlets"] == ["Health Weekly"]


def test_undated_article_with_narrow_window_is_a_period_entry(tmp_path: Path) -> None:
    d = Doc("u", "Troops to stay", outlet="ESTA", bounds=(date(2021, 7, 1), date(2021, 12, 31)))
    d.sentence("The United States will keep its troops in the country for the foreseeable future, the commander said.")
    db = _store(tmp_path, [d])
    with Store(db, readonly=True) as st:
        tl = timeline_summary(st)["timeline"]
    assert len(tl) == 1 and tl[0]["precision"] == "period" and tl[0]["label"] == "Jul–Dec 2021 (inferred)"
    assert tl[0]["outlets"] == ["ESTA"]


def test_cli_json_shape(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--db", db, "--dates", "2", "--sentences", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["timeline"]) == 2
    for e in out["timeline"]:
        assert {"date", "sentences", "article_ids", "outlets"} <= set(e)
        assert len(e["sentences"]) == 1 and isinstance(e["article_ids"], list)
    assert main(["timeline", "--db", db, "--from", "2010-02-30"]) == 2       # not a date: usage error
    assert main(["timeline", "--db", db, "--dates", "0"]) == 2


@pytest.mark.slow
def test_cli_text_and_help(db: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "storyline.cli", "timeline", "--db", db, "--dates", "1"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("2010-01-12") and "BBC" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "storyline.cli", "timeline", "--help"], capture_output=True,
                          timeout=60)
    assert proc.returncode == 0 and b"--about" in proc.stdout


@pytest.mark.parametrize(("sentence", "leaning"), [
    ("Yesterday I had a bolt from the blue because I did not expect her reaction.", True),   # a reader's own story
    ("You know, my friends' visit was like a bolt from the blue.", True),
    ("“I will not resign,” the minister told parliament on Tuesday.", False),    # first person inside a quotation
    ("Three new cases of swine flu have been diagnosed in the UK.", False),
    ("He also said the schools would reopen.", True),                          # leans on the sentence before
])
def test_a_personal_or_dangling_sentence_weighs_less_as_a_days_summary(sentence: str, leaning: bool) -> None:
    from storyline.xdoc.timeline_summary import _leaning

    assert _leaning(sentence) is leaning
