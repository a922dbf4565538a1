"""Latency of `storyline check` on a store of 20k articles, warm (models loaded, store open), p50/p95/p99 against
the target p95 < 300 ms. The anchor, measured in the same run, is the retrieval alone (FTS5 BM25 over passages):
the part of the cost that grows with the store.

The store is the synthetic 20k-article store of bench_web_load.py (real FNC-1 bodies, sentence passages, no NLP),
built once and reused. Claims are real FNC-1 headlines, so retrieval finds related passages and the stance model
and re-ranker do real work.

    .venv/bin/python benchmarks/bench_check_latency.py [--articles 20000] [--claims 200]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web_load import build_store  # noqa: E402
from storyline.config import Settings  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.verify.check import check_claim  # noqa: E402

STANCES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "fnc1" / "train_stances.csv"
TARGET_P95_MS = 300.0


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--claims", type=int, default=200)
    ap.add_argument("--db", default=str(Path.home() / ".cache" / "storyline" / "bench_20k.db"))
    args = ap.parse_args()
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    build_store(args.db, args.articles)
    with open(STANCES, encoding="utf-8", newline="") as fh:
        headlines = sorted({r["Headline"] for r in csv.DictReader(fh)})
    claims = random.Random(3).sample(headlines, args.claims)
    settings = Settings(db=args.db)
    with Store(args.db, readonly=True) as store:
        n = store.article_count()
        for c in claims[:5]:   # warm-up: models, caches
            check_claim(store, c, date(2024, 1, 10), settings)
        full, retrieval, verdicts = [], [], {}
        for c in claims:
            t0 = time.perf_counter()
            store.search_passages(c, limit=180)
            t1 = time.perf_counter()
            r = check_claim(store, c, date(2024, 1, 10), settings)
            t2 = time.perf_counter()
            retrieval.append((t1 - t0) * 1000)
            full.append((t2 - t1) * 1000)
            verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
    print(f"store: {n} articles; {len(claims)} claims (FNC-1 headlines), warm, as_of 2024-01-10")
    print(f"{'':>22} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    print(f"{'check (full)':>22} {pct(full, 50):>8.1f} {pct(full, 95):>8.1f} {pct(full, 99):>8.1f}   target p95 < {TARGET_P95_MS:.0f} ms")
    print(f"{'anchor: FTS retrieval':>22} {pct(retrieval, 50):>8.1f} {pct(retrieval, 95):>8.1f} {pct(retrieval, 99):>8.1f}")
    print(f"verdicts: {verdicts}")


if __name__ == "__main__":
    main()
