from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "iraq-troops"


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def settings(tmp_path: Path):
    from storyline.config import Settings

    return Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"))
