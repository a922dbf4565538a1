"""Per-article bounds that hold for any text: the tokenizer guard keeps offsets and leaves prose alone, long
sentences do not make the attribution features quadratic, an article past its time budget is marked failed with the
reason while the others are analysed, and `quotes` parses no more than `max_nlp_chars`. (Speed figures live in
benchmarks/bench_pathological.py; these tests assert behaviour only.)"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from repo_paths import ROOT
from storyline.model import ArticleTask
from storyline.nlp.runtime import text_guard
from storyline.nlp.runtime.text_guard import CHUNK_LIMIT, RUN_LIMIT, guard_text


def test_prose_passes_the_guard_unchanged() -> None:
    for path in sorted((ROOT / "examples" / "iraq-troops").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert guard_text(text) == (text, 0)
    divider = "Title\n\n" + "-" * RUN_LIMIT + "\n" + "=" * 40 + "\nhttps://example.com/" + "a/b-c" * 50 + " end."
    assert guard_text(divider) == (divider, 0)


@pytest.mark.parametrize("body", ["(" * 5000 + "x" + ")" * 5000, '"' * 9000, "$'" * 4000, "\U0001F600" * 3000,
                                  "a" * 20_000, "a-" * 6000, "'s" * 6000])
def test_guard_keeps_length_and_offsets_and_bounds_every_chunk(body: str) -> None:
    text = "The ministry said " + body + " today."
    guarded, replaced = guard_text(text)
    assert len(guarded) == len(text) and replaced > 0
    assert sum(a != b for a, b in zip(text, guarded, strict=True)) == replaced
    assert all(a == b or b == " " for a, b in zip(text, guarded, strict=True))   # only spaces replace characters
    assert guarded.startswith("The ministry said ") and guarded.endswith(" today.")
    assert max(len(chunk) for chunk in guarded.split()) <= CHUNK_LIMIT


def test_density_cut_leaves_prose_and_cuts_token_floods() -> None:
    from storyline.nlp.runtime.spacy_model import load_nlp

    tok = load_nlp().tokenizer
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "iraq-troops").glob("*.txt")))
    assert text_guard.density_cut(tok, prose) is None
    flood = "a b c d e f g " * 2000
    cut = text_guard.density_cut(tok, flood)
    assert cut is not None and 0 < cut < len(flood)
    assert len(tok(flood[:cut])) <= text_guard.MAX_TOKEN_DENSITY * len(flood) + 1


def _task(text: str, aid: str = "a1") -> ArticleTask:
    return ArticleTask(aid, text, published=date(2024, 1, 1))


@pytest.mark.slow
def test_hostile_articles_are_analysed_with_valid_offsets() -> None:
    from storyline.config import Settings
    from storyline.nlp.pipeline import analyze_batch

    texts = ["Figures\n\nThe ministry said the totals were " + "(" * 4000 + "x" + ")" * 4000 + " today.\n",
             "Mr. " * 3000, "Officials said 2,500 troops remain. " + "a b c d e f g " * 1000]
    results = analyze_batch([_task(t, f"a{i}") for i, t in enumerate(texts)], Settings())
    for text, res in zip(texts, results, strict=True):
        assert res.error is None and res.facts is not None
        for s in res.facts["sentences"]:
            assert 0 <= s["start"] < s["end"] <= len(text)
    assert results[0].guarded > 0 and results[0].stored_facts()["nlp_guarded"] == results[0].guarded
    assert results[2].truncated_at is not None and results[2].truncated_at < len(texts[2])
    assert results[2].stored_facts()["nlp_truncated_at"] == results[2].truncated_at
    assert results[1].guarded == 0 and results[1].truncated_at is None
    assert "nlp_guarded" not in results[1].stored_facts() and "nlp_truncated_at" not in results[1].stored_facts()


@pytest.mark.slow
def test_sentence_lookups_match_spacy() -> None:
    from storyline.nlp.quotes.attribution_features import sentence_bounds
    from storyline.nlp.runtime.spacy_model import load_nlp

    nlp = load_nlp()
    text = (ROOT / "examples" / "iraq-troops" / "001_78d3394bab3e3c7a.txt").read_text(encoding="utf-8")
    plain = nlp(text)
    expected = [(t.sent.start, t.sent.end) for t in plain]
    assert [sentence_bounds(t) for t in plain] == expected
    hooked = nlp(text)
    text_guard.index_sentences(hooked)
    assert [(t.sent.start, t.sent.end) for t in hooked] == expected
    assert [(hooked[i:i + 3].sent.start, hooked[i:i + 3].sent.end) for i in range(len(hooked) - 3)] == expected[:-3]


@pytest.mark.slow
def test_an_article_past_its_time_budget_fails_with_the_reason_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    from storyline.api import analyze
    from storyline.config import Settings
    from storyline.store import Store

    (tmp_path / "in").mkdir()
    slow = tmp_path / "in" / "slow.txt"
    fine = tmp_path / "in" / "fine.txt"
    slow.write_text("The ministry said the stalling talks would resume next week in Baghdad.\n", encoding="utf-8")
    fine.write_text("Officials said on Monday that 2,500 troops remain in Iraq.\n", encoding="utf-8")
    import storyline.nlp.entities.extract as entities

    real = entities.extract_entities
    now = [0.0]
    monkeypatch.setattr(text_guard, "clock", lambda: now[0])

    def slow_entities(doc, article_id):  # type: ignore[no-untyped-def]
        if "stalling" in doc.text:
            now[0] += 100.0         # this article's entity stage "takes" 100 s of the budget's clock
        return real(doc, article_id)

    monkeypatch.setattr(entities, "extract_entities", slow_entities)
    settings = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"), article_time_budget=30.0)
    summary = analyze([str(tmp_path / "in")], settings)
    by_path = {r.path: r for r in summary.inputs}
    assert by_path[str(slow)].status == "failed"
    assert "time budget of 30 s" in by_path[str(slow)].reason and "entities" in by_path[str(slow)].reason
    assert by_path[str(fine)].status == "ok"
    with Store(settings.db, readonly=True) as store:
        stored = {r.path: r.status for r in store.inputs()}
    assert stored == {str(slow): "failed", str(fine): "ok"}
    assert json.loads((tmp_path / "out" / "analysis.json").read_text(encoding="utf-8"))["inputs"]


def test_the_watchdog_interrupts_only_the_overrunning_call_on_any_thread() -> None:
    """The mechanism alone, on a worker thread (as on a Dask worker): calls of the unit that end in time are left
    alone; one that spins past the budget is interrupted, even when it swallows the first interruption."""
    import threading
    import time

    from storyline.executors.deadline import StageOverrun, Watchdog

    def unit(seconds: float, swallow: bool = False) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                while time.monotonic() < end:
                    pass
            except StageOverrun:
                if not swallow:
                    raise
                swallow = False         # a stage that catches everything and carries on is hit again
        return "done"

    got: list[str] = []

    def batch() -> None:
        with Watchdog(0.5, unit=unit.__code__, poll=0.05):
            for seconds, swallow in ((0.1, False), (20.0, False), (0.1, False), (20.0, True)):
                try:
                    got.append(unit(seconds, swallow))
                except StageOverrun as exc:
                    got.append(f"stopped: {exc}")

    thread = threading.Thread(target=batch)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert got[0] == got[2] == "done"
    assert got[1].startswith("stopped: analysis stopped in test_hostile_text.unit after") and "time budget of 0.5 s" in got[1]
    assert got[3].startswith("stopped: ")


STUCK = """
import time
from storyline.executors.deadline import Watchdog

def unit():
    time.sleep(60)      # one native call: no bytecode runs in it for an exception to land in

with Watchdog(0.3, unit=unit.__code__, poll=0.05, exit_when_stuck=True):
    unit()
print("slept through")
"""


def test_a_worker_stuck_in_native_code_exits_so_the_run_goes_on() -> None:
    import subprocess
    import sys

    from storyline.executors.deadline import STUCK_EXIT

    got = subprocess.run([sys.executable, "-c", STUCK], capture_output=True, text=True, timeout=50)
    assert got.returncode == STUCK_EXIT and "slept through" not in got.stdout
    assert "stuck in" in got.stderr and "time budget of 0.3 s" in got.stderr


def test_an_interruption_that_lands_outside_an_article_reruns_its_batch_once() -> None:
    from storyline.config import Settings
    from storyline.executors.deadline import StageOverrun, run_bounded

    calls: list[int] = []

    def batch_fn(batch, settings):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:         # as if the watchdog fired just as an article ended
            raise StageOverrun
        return [len(batch)]

    assert run_bounded(batch_fn, [{"id": "a"}], Settings()) == [1] and len(calls) == 2


@pytest.mark.slow
def test_a_stage_that_never_ends_is_stopped_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    """The budget is also a hard bound: a stage spinning in Python past it is interrupted in-process (it would spin
    for 30 s here; the budget is 1 s), that article fails with the stage named, the next article is analysed."""
    import time

    import storyline.nlp.numbers.quantities as quantities
    from storyline.api import analyze
    from storyline.config import Settings

    (tmp_path / "in").mkdir()
    slow = tmp_path / "in" / "a_slow.txt"
    fine = tmp_path / "in" / "b_fine.txt"
    slow.write_text("The ministry said the stalling talks would resume with 40 delegates in Baghdad.\n", encoding="utf-8")
    fine.write_text("Officials said on Monday that 2,500 troops remain in Iraq.\n", encoding="utf-8")
    real = quantities.extract_quantities
    spun_out: list[bool] = []

    def endless_quantities(doc, *args):  # type: ignore[no-untyped-def]
        if "stalling" in doc.text:
            end = time.monotonic() + 30.0
            while time.monotonic() < end:       # Python bytecode: where an interruption can land
                pass
            spun_out.append(True)
        return real(doc, *args)

    monkeypatch.setattr(quantities, "extract_quantities", endless_quantities)
    settings = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"), article_time_budget=1.0)
    summary = analyze([str(tmp_path / "in")], settings)
    by_path = {r.path: r for r in summary.inputs}
    assert spun_out == [], "the stage ran to its end: nothing interrupted it"
    assert by_path[str(slow)].status == "failed"
    reason = by_path[str(slow)].reason
    assert "stopped in" in reason and "endless_quantities" in reason and "time budget of 1 s" in reason, reason
    assert by_path[str(fine)].status == "ok"


@pytest.mark.slow
def test_quotes_stops_an_article_past_its_time_budget(tmp_path: Path, monkeypatch) -> None:
    """`quotes` holds to the same per-article budget as analyze: a quote stage spinning past it is interrupted, that
    input is reported failed with the reason, the next input's quotes still come."""
    import time

    import storyline.nlp.quotes.extract as quotes_mod
    from storyline import api
    from storyline.config import Settings

    slow = tmp_path / "a_slow.txt"
    fine = tmp_path / "b_fine.txt"
    slow.write_text("Talks\n\n“The stalling talks will resume,” McKenzie said on Tuesday.\n", encoding="utf-8")
    fine.write_text("Troops\n\n“We will stay in Iraq,” McKenzie said on Tuesday.\n", encoding="utf-8")
    real = quotes_mod.extract_quotes
    spun_out: list[bool] = []

    def endless_quotes(doc, *args):  # type: ignore[no-untyped-def]
        if "stalling" in doc.text:
            end = time.monotonic() + 30.0
            while time.monotonic() < end:
                pass
            spun_out.append(True)
        return real(doc, *args)

    monkeypatch.setattr(quotes_mod, "extract_quotes", endless_quotes)
    monkeypatch.setenv("STORYLINE_ARTICLE_TIME_BUDGET", "1")
    rows = list(api.quotes([str(slow), str(fine)], Settings.load()))
    assert spun_out == [], "the stage ran to its end: nothing interrupted it"
    failed = [r for r in rows if r.get("status") == "failed"]
    assert len(failed) == 1 and failed[0]["path"] == str(slow) and "time budget of 1 s" in failed[0]["error"]
    assert any(r.get("path") == str(fine) and "stay in Iraq" in r.get("text", "") for r in rows)


@pytest.mark.slow
def test_quotes_parse_no_more_than_max_nlp_chars(tmp_path: Path, monkeypatch) -> None:
    from storyline.cli import main

    path = tmp_path / "q.txt"
    path.write_text("Troops\n\n“We will stay in Iraq,” McKenzie said on Tuesday.\n\n" + "Filler sentence here. " * 20
                    + "\n\n“They want all U.S. forces to leave,” McKenzie said.\n", encoding="utf-8")

    monkeypatch.setenv("STORYLINE_MAX_NLP_CHARS", "100")
    from storyline import api
    from storyline.config import Settings

    texts = [q["text"] for q in api.quotes([str(path)], Settings.load())]
    assert texts and all("leave" not in t for t in texts)
    monkeypatch.delenv("STORYLINE_MAX_NLP_CHARS")
    texts = [q["text"] for q in api.quotes([str(path)], Settings.load())]
    assert any("leave" in t for t in texts)
    assert main(["quotes", str(path), "--json"]) == 0
