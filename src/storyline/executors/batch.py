"""The shape of a per-article batch and of the functions that run it, shared by every executor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..config import Settings

Batch = list[Any]                # the items of one task: ``ArticleTask``s for the per-article stages
BatchFn = Callable[[Batch, Settings], list[Any]]
OnError = Callable[[Batch, BaseException], list[Any]]
