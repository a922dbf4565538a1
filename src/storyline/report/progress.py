"""Progress on stderr: tqdm bars (rate, ETA) on a terminal; elsewhere (cron, nohup, CI logs) plain log lines every
``every_items`` documents or ``every_seconds`` seconds per stage, so a long run is never silent until it ends."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

log = logging.getLogger("storyline.progress")


class ProgressPrinter:
    def __init__(self, enabled: bool = True, *, every_seconds: float = 30.0, every_items: int = 1000,
                 bars: bool | None = None) -> None:
        # Bars only on a terminal: redirected stderr (CI logs, files) would fill with carriage-return noise.
        self.enabled = enabled
        self.use_bars = sys.stderr.isatty() if bars is None else bars
        self.every_seconds = every_seconds
        self.every_items = every_items
        self.bars: dict[str, Any] = {}
        self.lines: dict[str, tuple[float, float, int]] = {}     # stage → (started, last line at, done at last line)

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if not self.use_bars:
            self._line(stage, done, total)
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

    def _line(self, stage: str, done: int, total: int | None, final: bool = False) -> None:
        now = time.monotonic()
        started, last_at, last_done = self.lines.setdefault(stage, (now, now, 0))
        due = (final and done != last_done) or (done - last_done >= self.every_items) or \
              (now - last_at >= self.every_seconds and done != last_done) or (total is not None and done == total
                                                                             and done != last_done)
        if not due:
            return
        rate = done / (now - started) if now > started else 0.0
        of = f"/{total}" if total is not None else ""
        eta = ""
        if total and rate > 0 and done < total:
            eta = f", about {int((total - done) / rate)} s left"
        log.info("%s: %d%s document(s), %.1f/s%s", stage, done, of, rate, eta)
        self.lines[stage] = (started, now, done)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()
        self.lines.clear()
