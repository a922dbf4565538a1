"""The quality gate: every benchmark figure quick enough for a test run stays at or above the floor pinned for it in
benchmarks/data/quality_floors.json (see benchmarks/quality_gate.py). Figures whose data (../shared/benchmarks) is
not on the machine are skipped, with the path."""

from __future__ import annotations

import json
import sys

import pytest

from repo_paths import ROOT

BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

import quality_gate  # noqa: E402 - from benchmarks/, put on the path above

NAMES = list(json.loads((BENCH / "data" / "quality_floors.json").read_text("utf-8")))


def test_every_pinned_figure_is_known_and_has_a_source() -> None:
    table = quality_gate.floors()
    assert set(table) == set(quality_gate.FIGURES)          # no figure without a floor, no floor without a figure
    for name, row in table.items():
        assert 0 < float(row["floor"]) <= 1 and row["source"], name


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_figure_stays_at_or_above_its_floor(name: str) -> None:
    try:
        value, floor = quality_gate.check(name)
    except quality_gate.MissingData as exc:
        pytest.skip(str(exc))
    assert value >= floor, (f"{name} = {value:.4f}, below its floor {floor:.4f} (benchmarks/data/quality_floors.json; "
                            f"the full benchmark: {quality_gate.floors()[name]['source']})")


def test_a_figure_below_its_floor_fails_the_gate(monkeypatch, capsys) -> None:
    monkeypatch.setattr(quality_gate, "floors", lambda: {"dates_accuracy": {"floor": 0.9, "source": "x"}})
    monkeypatch.setitem(quality_gate.FIGURES, "dates_accuracy", lambda: 0.85)
    assert quality_gate.main() == 1 and "FAIL" in capsys.readouterr().out
    monkeypatch.setitem(quality_gate.FIGURES, "dates_accuracy", lambda: 0.95)
    assert quality_gate.main() == 0
