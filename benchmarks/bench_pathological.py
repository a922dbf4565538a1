"""Per-article cost of hostile text against normal prose of the same size, measured in the same run.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_pathological.py [--size 40000] [--only NAME,...] [--no-run]

Each pattern is an article of ``--size`` characters (the long-sentence pattern: 100,000) made of one hostile shape:
punctuation and symbol runs (spaCy's tokenizer is quadratic in them), repeated abbreviations, one enormous sentence,
huge tokens, RTL and zero-width characters, number and date floods, unbalanced quotes, … Each is analysed alone by
the workers' unit of work (``nlp.pipeline.analyze_batch``: tokenizer guard, parse, every per-article stage, lead
embedding), and the benchmark prints its time per character relative to the prose anchor (target ≤ 2×) and the
peak resident memory above the process's level before it (sampled every 5 ms). Then, unless ``--no-run``, every
pattern (at 10,000 characters) goes through ``storyline analyze`` in-process on a fresh store, to show that the run
completes and which inputs, if any, end failed.

Prose anchor: the bundled examples/iraq-troops articles, repeated to the same size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _fill(unit: str, size: int) -> str:
    return (unit * (size // max(1, len(unit)) + 1))[:size]


def _prose(size: int) -> str:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "iraq-troops").glob("*.txt")))
    return _fill(text + "\n\n", size)


def _wrap(body: str) -> str:
    return "Ministry figures\n\nThe ministry said on Tuesday that " + body + " today.\n"


PATTERNS: dict[str, Callable[[int], str]] = {
    "parens nested": lambda n: _wrap("(" * (n // 2) + "x" + ")" * (n // 2)),
    "double quotes run": lambda n: _wrap('"' * n),
    "single quotes run": lambda n: _wrap("'" * n),
    "dollar run": lambda n: _wrap("$" * n),
    "mixed symbol run": lambda n: _wrap(_fill("($\"'%#@!*&", n)),
    "emoji run": lambda n: _wrap("😀" * n),
    "curly quotes run": lambda n: _wrap(_fill("“”‘’«»", n)),
    "Mr. repeated": lambda n: _fill("Mr. ", n),
    "U.S. repeated": lambda n: _fill("U.S. ", n),
    "100k-char sentence": lambda n: _wrap(_fill("the troops and the officials and the ministers, ", 100_000)),
    "one huge word": lambda n: _wrap("a" * n),
    "base64 blob": lambda n: _wrap(_fill("QWxhZGRpbjpvcGVuIHNlc2FtZQ+/=", n)),
    "huge URL": lambda n: _wrap("https://example.com/" + _fill("path/seg-ment_1?a=b&", n)),
    "'s chain": lambda n: _wrap(_fill("'s", n)),
    "hyphen chain": lambda n: _wrap(_fill("a-", n)),
    "dotted chain": lambda n: _wrap(_fill("a.", n)),
    "RTL with marks": lambda n: _fill("قال الوزير \u200f«إن القوات» \u202bباقية\u202c في العراق. ", n),
    "Hebrew mixed LTR": lambda n: _fill("אמר השר 2,500 troops \u200e(נשארים) בעיראק. ", n),
    "zero-width between letters": lambda n: _fill("t\u200br\u200bo\u200bo\u200bp\u200bs\u200d ", n),
    "combining marks flood": lambda n: _wrap("a" + "\u0301" * n),
    "CJK without spaces": lambda n: _fill("美国国防部表示没有计划从伊拉克撤军。", n),
    "number flood": lambda n: _fill("1,234 5,678.9 10% $42m 3/4 ", n),
    "date flood": lambda n: _fill("12 January 2021, 2021-01-13, Jan. 14, 2021, last Tuesday, ", n),
    "unbalanced open quotes": lambda n: _fill("“He said the troops would stay and ", n),
    "quote flood": lambda n: _fill("“We will stay,” McKenzie said. ", n),
    "name flood": lambda n: _fill("John Smith, Mary Jones, Frank McKenzie, Ali Hassan, ", n),
    "single letters": lambda n: _fill("a b c d e f g ", n),
    "newline flood": lambda n: "Title\n\n" + _fill("\n", n - 20) + "Body text.",
    "tabs and spaces": lambda n: _wrap(_fill(" \t \u00a0 ", n)),
    "markup as text": lambda n: _fill("<div class=\"x\"><p>text</p></div>", n),
    "control chars": lambda n: _fill("a\x01b\x02c\x7f ", n),
}


class PeakRSS:
    """Peak resident memory of this process while the block runs, sampled by a thread."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()

    def __enter__(self) -> PeakRSS:
        self.base = self.peak = self.proc.memory_info().rss
        self._t = threading.Thread(target=self._watch, daemon=True)
        self._t.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=40_000)
    ap.add_argument("--only", default="", help="comma-separated pattern names (default: all)")
    ap.add_argument("--no-run", action="store_true", help="skip the full `analyze` run over the patterns")
    args = ap.parse_args()

    from storyline.config import Settings
    from storyline.model import ArticleTask
    from storyline.nlp.pipeline import analyze_batch
    from storyline.nlp.runtime.embed import get_embedder
    from storyline.nlp.runtime.spacy_model import load_nlp

    settings = Settings()
    load_nlp(settings)
    get_embedder()
    analyze_batch([ArticleTask("warm", _prose(2000), published=date(2024, 1, 1))], settings)

    def run(name: str, text: str) -> tuple[float, int, str | None]:
        task = ArticleTask(name, text, published=date(2024, 1, 1))
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            (result,) = analyze_batch([task], settings)
            seconds = time.perf_counter() - t0
        return seconds, mem.peak - mem.base, result.error

    chosen = [n for n in PATTERNS if not args.only or n in args.only.split(",")]
    prose_rates: list[float] = []

    def anchor() -> None:
        text = _prose(args.size)
        s, _, _ = run("prose", text)
        prose_rates.append(s / len(text))

    anchor()
    rows = []
    for i, name in enumerate(chosen):
        text = PATTERNS[name](args.size)
        s, mem, error = run(name, text)
        rows.append((name, len(text), s, mem, error))
        if i % 8 == 7:
            anchor()        # the anchor again through the run: the machine's load drifts
    anchor()
    base = statistics.median(prose_rates)
    print(f"prose anchor: {base * 1e6:.1f} µs/char ({len(prose_rates)} runs of {args.size:,} chars; "
          f"{min(prose_rates) * 1e6:.1f}-{max(prose_rates) * 1e6:.1f})")
    print(f"{'pattern':28s} {'chars':>8s} {'seconds':>8s} {'ratio':>6s} {'peak MB':>8s}  result")
    for name, n, s, mem, error in rows:
        print(f"{name:28s} {n:8,d} {s:8.2f} {s / n / base:6.2f} {mem / 1e6:8.0f}  {error or 'ok'}")
    worst = max(rows, key=lambda r: r[2] / r[1])
    print(f"worst ratio {worst[2] / worst[1] / base:.2f} ({worst[0]}); peak memory above baseline "
          f"{max(r[3] for r in rows) / 1e6:.0f} MB (target: ratio ≤ 2.00)")

    if args.no_run:
        return
    from storyline.pipeline import analyze

    with tempfile.TemporaryDirectory(prefix="bench_patho_") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i, name in enumerate(chosen):
            (folder / f"{i:02d}.txt").write_text(PATTERNS[name](10_000), encoding="utf-8")
        t0 = time.perf_counter()
        summary = analyze([str(folder)], Settings(db=os.path.join(tmp, "s.db"), out=os.path.join(tmp, "out")))
        counts: dict[str, int] = {}
        for r in summary.inputs:
            counts[r.status] = counts.get(r.status, 0) + 1
        print(f"full run over {len(chosen)} patterns at 10,000 chars: completed in {time.perf_counter() - t0:.1f} s; "
              f"inputs {counts}; analysed {summary.analysed}; corpus errors {len(summary.corpus_errors)}")


if __name__ == "__main__":
    main()
