"""Paths in the repository for tests in any folder under tests/ (a test's own ``__file__`` depth depends on its
folder, so none is computed from it)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SEEDS = ROOT / "examples" / "iraq-troops"
