"""Runs the corpus-wide stages in order. Each stage reads stored facts and writes one corpus document."""

from __future__ import annotations

from collections.abc import Callable

from ..config import Settings
from ..store import Store


def run_all(store: Store, settings: Settings, progress: Callable[[str, int, int | None], None] | None = None) -> None:
    return None
