"""Peak memory of the whole `storyline analyze` process tree on the joined T17 dev corpus (issue 17: ≤ 1.5 GB on the
1,099 articles, 2 workers).

A real `storyline analyze` subprocess; every 0.2 s the RSS of the driver and of each of its descendants is read from
/proc (the measure of ``bench_scaling.py``: the sum of RSS over the tree, so pages shared between processes count
once per process). The peak of that sum is printed beside the target, with the split at that moment and each
process's own peak. PSS (shared pages divided among their users, from ``/proc/PID/smaps_rollup``) is sampled too, as
a fairer count of what the tree takes from the machine; the target is read on RSS.

    .venv/bin/python benchmarks/bench_memory.py [--corpus out/t17/all.jsonl] [--limit N] [--workers 2] [--keep DIR]

Without ``--corpus`` the corpus is built from the shared T17 dev collections (``benchmarks/t17_corpus.py``) into a
temporary folder. ``--limit N`` analyses the first N records only. ``--keep DIR`` keeps the store and the run's output
(``analysis.json``) there, to compare two trees' outputs byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 1536.0          # 1.5 GB


def _tree() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def _descendants(pid: int) -> list[int]:
    children, out, stack = _tree(), [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(children.get(p, []))
    return out


def _kb(pid: int, field: str, path: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class Sampler:
    """RSS and PSS of a process tree every ``interval`` seconds, until stopped."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss, self.peak_pss = 0.0, 0.0
        self.split: dict[int, float] = {}           # pid -> RSS MB at the moment of the tree's RSS peak
        self.own_peak: dict[int, float] = {}        # pid -> the process's own largest RSS MB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pss_every = 5        # smaps_rollup walks the page tables: once a second is enough for the fairer count
        n = 0
        while not self._stop.is_set():
            pids = _descendants(self.pid)
            rss = {p: _kb(p, "VmRSS:", "status") / 1024 for p in pids}
            total = sum(rss.values())
            for p, mb in rss.items():
                self.own_peak[p] = max(self.own_peak.get(p, 0.0), mb)
            if total > self.peak_rss:
                self.peak_rss, self.split = total, rss
            if n % pss_every == 0:
                self.peak_pss = max(self.peak_pss, sum(_kb(p, "Pss:", "smaps_rollup") for p in pids) / 1024)
            n += 1
            time.sleep(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def build_t17(path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "t17_corpus.py"), "--out", str(path)], check=True,
                   capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="JSONL to analyse (default: the joined T17 dev collections, built here)")
    ap.add_argument("--limit", type=int, help="only the first N records")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", help="keep the store and output in this folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        corpus = Path(args.corpus) if args.corpus else tmp / "t17.jsonl"
        if not args.corpus:
            build_t17(corpus)
        if args.limit:
            cut = tmp / "cut.jsonl"
            with open(corpus, encoding="utf-8") as src, open(cut, "w", encoding="utf-8") as dst:
                for i, line in enumerate(src):
                    if i >= args.limit:
                        break
                    dst.write(line)
            corpus = cut
        with open(corpus, encoding="utf-8") as fh:
            n = sum(1 for _ in fh)
        work = Path(args.keep) if args.keep else tmp
        work.mkdir(parents=True, exist_ok=True)
        db, out = work / "run.db", work / "out"
        for old in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            old.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "storyline.cli", "analyze", str(corpus), "--db", str(db), "--out", str(out),
               "--workers", str(args.workers), "--json", "--quiet"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with Sampler(proc.pid) as sampler:
            stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t0
        lines = stdout.decode().strip().splitlines()
        if proc.returncode not in (0, 1) or not lines:     # 1: some inputs failed (T17 has 15 empty records)
            sys.exit(f"analyze failed ({proc.returncode}): {stderr.decode()[-2000:]}")
        summary = json.loads(lines[-1])
    driver = sampler.split.get(proc.pid, 0.0)
    workers = sorted((mb for p, mb in sampler.split.items() if p != proc.pid), reverse=True)
    own = sorted((mb for p, mb in sampler.own_peak.items() if p != proc.pid), reverse=True)
    print(f"{n} records, {args.workers} workers, {wall:.1f} s wall; inputs {summary.get('inputs')}")
    print(f"peak RSS of the process tree: {sampler.peak_rss:,.0f} MB (target ≤ {TARGET_MB:,.0f} MB: "
          f"{'met' if sampler.peak_rss <= TARGET_MB else 'NOT met'})")
    print(f"  at that moment: driver {driver:,.0f} MB, workers {', '.join(f'{w:,.0f}' for w in workers) or '-'} MB")
    print(f"  own peaks: driver {sampler.own_peak.get(proc.pid, 0.0):,.0f} MB, other processes "
          f"{', '.join(f'{w:,.0f}' for w in own[:6]) or '-'} MB")
    print(f"peak PSS of the process tree (shared pages divided among their users): {sampler.peak_pss:,.0f} MB")


if __name__ == "__main__":
    main()
