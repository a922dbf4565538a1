"""One executor per run: which one the settings make, and a missing model recorded as degraded, never silent."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.executors import Executor, make_executor


def test_the_settings_choose_the_executor() -> None:
    from storyline.executors.dask_executor import DaskExecutor
    from storyline.executors.local import PoolExecutor

    assert type(make_executor(Settings())) is Executor
    assert type(make_executor(Settings(workers=2))) is PoolExecutor
    dask = make_executor(Settings(workers=2, backend="dask"))      # made, not started: no cluster until session()
    assert isinstance(dask, DaskExecutor) and not dask.streams_ingest and dask.corpus_in_session


def test_in_process_batches_keep_order_and_report_a_failing_batch_per_item() -> None:
    def fn(batch, settings):  # type: ignore[no-untyped-def]
        if batch[0]["id"] == "b":
            raise ValueError("bad batch")
        return [(t["id"], "ok") for t in batch]

    failed = lambda batch, exc: [(t["id"], str(exc)) for t in batch]  # noqa: E731
    out = list(Executor(Settings()).map_batches(fn, [[{"id": "a"}], [{"id": "b"}, {"id": "c"}]], failed))
    assert out == [[("a", "ok")], [("b", "bad batch"), ("c", "bad batch")]]


def _no_embedder() -> None:
    raise OSError("model_int8.onnx not found")


def test_a_missing_model_is_logged_and_recorded_once(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    import storyline.nlp.quotes.attribution as attribution
    import storyline.nlp.runtime.embed as embed

    monkeypatch.setattr(embed, "get_embedder", _no_embedder)
    monkeypatch.setattr(attribution, "MODEL_PATH", tmp_path / "absent.json.gz")
    executor = Executor(Settings())
    with caplog.at_level(logging.WARNING, logger="storyline.executors"):
        executor.warm()
        executor.warm()
    assert len(executor.degraded) == 2
    emb, attr = executor.degraded
    assert "lead embedder" in emb and "model_int8.onnx not found" in emb and "TF-IDF" in emb
    assert "attribution tagger" in attr and "cue rules alone" in attr
    assert [r.getMessage() for r in caplog.records] == [f"degraded: {emb}", f"degraded: {attr}"]


def test_all_models_present_is_not_degraded() -> None:
    executor = Executor(Settings())
    executor.warm()
    assert executor.degraded == []


def test_the_driver_checks_the_attribution_model_without_importing_spacy(tmp_path: Path) -> None:
    """The driver's warm-up reads the attribution model's file as AttributionModel.load does, without importing the
    quotes package and spaCy with it (issue 17); a missing file is still reported."""
    import storyline.executors.base as base
    from storyline.nlp.quotes.attribution import MODEL_PATH

    assert base.ATTRIBUTION_FILE == MODEL_PATH
    code = ("import sys; import storyline.executors.base as b; from pathlib import Path; from storyline.config import "
            "Settings; from storyline.executors import Executor\n"
            "e = Executor(Settings()); e.warm(); print('spacy' in sys.modules, e.degraded)\n"
            f"b.ATTRIBUTION_FILE = Path({str(tmp_path / 'absent.json.gz')!r}); e = Executor(Settings()); e.warm(); "
            "print('spacy' in sys.modules, e.degraded)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "False []"
    assert out[1].startswith("False [") and "attribution tagger could not be loaded (file missing)" in out[1]


@pytest.mark.slow
def test_analyze_records_a_missing_embedder_in_its_summary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import storyline.nlp.runtime.embed as embed
    from storyline.api import analyze, run_summary_json, run_summary_text

    monkeypatch.setattr(embed, "get_embedder", _no_embedder)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Troops stay in Iraq\n\nThe Pentagon said on Monday that 2,500 troops would stay.\n")
    (src / "b.txt").write_text("Rain in Leeds\n\nForecasters said heavy rain would fall on Leeds this week.\n")
    settings = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"))
    summary = analyze([str(src)], settings)
    assert not summary.corpus_errors and summary.analysed == 2
    assert len(summary.degraded) == 1 and "lead embedder" in summary.degraded[0]
    assert run_summary_json(summary, settings)["degraded"] == summary.degraded
    assert f"DEGRADED: {summary.degraded[0]}" in run_summary_text(summary, settings)
