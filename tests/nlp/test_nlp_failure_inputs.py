"""An article whose analysis fails is not lost silently: its input is marked failed with the reason and what to do,
the other articles are analysed, and a later run that succeeds records the input as ok again."""

from __future__ import annotations

import pytest

import storyline.nlp.pipeline as nlp_pipeline
from storyline.api import analyze
from storyline.config import Settings
from storyline.store import Store

pytestmark = pytest.mark.slow


def test_failed_analysis_marks_its_input_and_a_rerun_clears_it(tmp_path, monkeypatch) -> None:
    (tmp_path / "in").mkdir()
    good = tmp_path / "in" / "good.txt"
    bad = tmp_path / "in" / "bad.txt"
    good.write_text("Officials said on Monday that 2,500 troops remain in Iraq.\n", encoding="utf-8")
    bad.write_text("The ministry said the talks would resume next week in Baghdad.\n", encoding="utf-8")
    settings = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"), workers=1)
    real = nlp_pipeline.analyze_doc

    def flaky(doc, task):  # type: ignore[no-untyped-def]
        if "ministry" in doc.text:
            raise RuntimeError("simulated analysis failure")
        return real(doc, task)

    monkeypatch.setattr(nlp_pipeline, "analyze_doc", flaky)
    summary = analyze([str(tmp_path / "in")], settings)
    by_path = {r.path: r for r in summary.inputs}
    assert by_path[str(bad)].status == "failed"
    assert "simulated analysis failure" in by_path[str(bad)].reason and "re-run" in by_path[str(bad)].reason
    assert by_path[str(good)].status == "ok"
    with Store(settings.db, readonly=True) as store:
        stored = {r.path: r for r in store.inputs()}
    assert stored[str(bad)].status == "failed"

    monkeypatch.setattr(nlp_pipeline, "analyze_doc", real)
    again = analyze([str(tmp_path / "in")], settings)
    assert {r.path: r.status for r in again.inputs} == {str(good): "ok", str(bad): "ok"}
    assert not again.nlp_failures
