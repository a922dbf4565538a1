"""Progress on stderr with rate and ETA (tqdm), one bar per stage; silent when disabled or not a terminal user."""

from __future__ import annotations

import sys
from typing import Any


class ProgressPrinter:
    def __init__(self, enabled: bool = True) -> None:
        # Bars only on a terminal: redirected stderr (CI logs, files) would fill with carriage-return noise.
        self.enabled = enabled and sys.stderr.isatty()
        self.bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="doc", file=sys.stderr, leave=False,
                                          dynamic_ncols=True, mininterval=0.5)
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()
