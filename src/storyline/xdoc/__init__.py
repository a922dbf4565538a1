"""Corpus-wide stages over stored facts: duplicates, stories, entities, alignment, relations, timeline, sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..config import Settings
from ..store import Store

if TYPE_CHECKING:
    from .corpus import CorpusExecutor


def run_corpus_stages(store: Store, settings: Settings, progress: Callable[[str, int, int | None], None] | None = None,
                      executor: CorpusExecutor | None = None) -> None:
    from .corpus import run_all

    run_all(store, settings, progress, executor)
