"""Scaling curve of the whole `storyline analyze` (a real subprocess, as a user runs it): wall time, peak memory of
the process tree (sum of RSS over the main process and its workers, sampled every 0.2 s), articles/s, for local
(process pool) and Dask LocalCluster backends with the same number of workers.

Corpora are built from real FNC-1 bodies: the originals, then new articles made by shuffling paragraphs across
bodies, plus 10% planted near-duplicates (a copy with one sentence changed) that must come out as duplicates.

    .venv/bin/python benchmarks/bench_scaling.py [--sizes 1000 10000 100000] [--workers 2] [--backends local dask]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODIES = ROOT.parent / "shared" / "benchmarks" / "fnc1" / "train_bodies.csv"


def build_corpus(n: int, path: Path, seed: int = 11) -> int:
    csv.field_size_limit(sys.maxsize)
    with open(BODIES, encoding="utf-8", newline="") as fh:
        bodies = [r["articleBody"] for r in csv.DictReader(fh) if len(r["articleBody"].split()) >= 80]
    paragraphs = [p for b in bodies for p in b.split("\n") if len(p.split()) >= 8]
    rng = random.Random(seed)
    planted = 0
    with open(path, "w", encoding="utf-8") as fh:
        made: list[str] = []
        for i in range(n):
            if made and i % 10 == 9:
                base = made[rng.randrange(len(made))]
                text = base + f"\nThis version was updated at {i}."
                planted += 1
            elif i < len(bodies):
                text = bodies[i]
            else:
                text = "\n".join(rng.sample(paragraphs, rng.randint(4, 9)))
            made.append(text)
            fh.write(json.dumps({"id": str(i), "text": text}) + "\n")
    return planted


def tree_rss_mb(pid: int) -> float:
    """Sum of RSS over ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def run(corpus: Path, workers: int, backend: str, tmp: Path) -> tuple[float, float, dict]:
    cmd = [sys.executable, "-m", "storyline.cli", "analyze", str(corpus), "--db", str(tmp / f"{backend}.db"),
           "--out", str(tmp / backend), "--workers", str(workers), "--backend", backend, "--json", "--quiet"]
    peak = 0.0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - t0
    return wall, peak, json.loads(out.decode().strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--backends", nargs="+", default=["local", "dask"])
    args = ap.parse_args()
    print(f"{'articles':>8} {'backend':>7} {'wall s':>8} {'art/s':>7} {'peak MB':>8} {'dup found/planted':>18} {'ratio to first':>15}")
    first: dict[str, tuple[int, float]] = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            corpus = tmp / "corpus.jsonl"
            planted = build_corpus(n, corpus)
            for backend in args.backends:
                wall, peak, summary = run(corpus, args.workers, backend, tmp)
                dups = summary["inputs"].get("duplicate", 0)
                base = first.setdefault(backend, (n, wall))
                scale = f"{n / base[0]:.0f}x n → {wall / base[1]:.1f}x t"
                print(f"{n:>8} {backend:>7} {wall:>8.1f} {n / wall:>7.2f} {peak:>8.0f} {dups:>8}/{planted:<9} {scale:>15}", flush=True)
    print("targets: 100k articles under 4 GB RSS; near-linear time (20x articles ≤ 30x time); Dask output = local output")


if __name__ == "__main__":
    main()
