"""Load test for `storyline serve` on loopback: 20 concurrent clients, a fixed number of page and API reads over a
store of 20k articles; prints p50/p95/p99 latency and throughput against the target p95 < 200 ms.

The store is synthetic copies of the real FNC-1 bodies (shared/benchmarks/fnc1/train_bodies.csv) written through
``Store.add_article`` with light facts (claims = first sentences, sentence passages for FTS) and no NLP, so it
builds in a minute or two and is reused on later runs. The server runs in its own process (as `serve` does), so
the load generator does not share its interpreter. The anchor, measured in the same run under the same load, is
the static stylesheet: the cost of the stack itself (HTTP + middleware) with no store work.

    .venv/bin/python benchmarks/bench_web_load.py [--articles 20000] [--requests 4000] [--clients 20]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import math
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import httpx

from storyline.model import Article, InputRecord, content_id
from storyline.store import Store

ROOT = Path(__file__).resolve().parent.parent
BODIES = ROOT.parent / "shared" / "benchmarks" / "fnc1" / "train_bodies.csv"
TARGET_P95_MS = 200.0
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def build_store(db: str, n: int) -> None:
    """Write ``n`` synthetic articles (skipped when the store already has them)."""
    if Path(db).exists():
        with Store(db, readonly=True) as st:
            if st.article_count() >= n:
                print(f"reusing {db} ({st.article_count()} articles)")
                return
        Path(db).unlink()
        for suffix in ("-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    csv.field_size_limit(10_000_000)
    with open(BODIES, encoding="utf-8", newline="") as fh:
        bodies = [r["articleBody"] for r in csv.DictReader(fh) if len(r["articleBody"]) > 200]
    rng = random.Random(7)
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    stories = [f"sty_{i:016x}" for i in range(50)]
    members: dict[str, list[str]] = defaultdict(list)
    t0 = time.perf_counter()
    with Store(db) as st:
        for i in range(n):
            text = f"{bodies[i % len(bodies)]}\n\n(Copy {i} for the load test.)"
            aid = content_id("art", text)
            sentences = [s for s in _SENT.split(text) if s.strip()][:30]
            day = date(2020, 1, 1) + timedelta(days=rng.randrange(730))
            dated = i % 10 != 0
            story = stories[i % len(stories)]
            st.add_article(Article(id=aid, source=f"/bench/{i}.txt", text=text, title=sentences[0][:120], outlet=outlets[i % 40],
                                   published=day if dated else None, published_bounds=None if dated else (day, day + timedelta(days=9)),
                                   published_basis="stated" if dated else "inferred (bench)", genre="news", story_id=story))
            members[story].append(aid)
            spans, pos = [], 0
            for s in sentences:
                start = text.index(s, pos)
                spans.append((start, start + len(s)))
                pos = start + len(s)
            claims = [{"id": content_id("clm", aid, a, b), "article_id": aid, "start": a, "end": b, "text": text[a:b],
                       "subject": None, "predicate": "say", "object": None, "polarity": True, "modality": "asserted",
                       "speaker": None, "event_date": None, "event_date_precision": None} for a, b in spans[:2]]
            passages = [{"id": content_id("psg", aid, "claim", c["start"], c["end"]), "kind": "claim", "start": c["start"],
                         "end": c["end"], "text": c["text"], "speaker": None} for c in claims]
            passages += [{"id": content_id("psg", aid, "sentence", a, b), "kind": "sentence", "start": a, "end": b,
                          "text": text[a:b], "speaker": None} for a, b in spans[2:]]
            st.put_facts(aid, "bench", {"entities": [], "quotes": [], "claims": claims, "quantities": [], "times": [],
                                        "sentences": [{"start": a, "end": b} for a, b in spans]}, passages)
            st.record_input(InputRecord(f"/bench/{i}.txt", "ok", "", aid))
            if i % 1000 == 999:
                st.commit()
                print(f"  {i + 1} articles ({time.perf_counter() - t0:.0f} s)", flush=True)
        st.put_corpus("stories", "bench", [{"id": s, "title": f"Story {k}", "article_ids": members[s]} for k, s in enumerate(stories)])
        all_ids = [a for ids in members.values() for a in ids]
        st.put_corpus("entities", "bench", [{"id": f"ent_{k:016x}", "name": f"Entity {k}", "type": "org", "aliases": [],
                                             "article_ids": rng.sample(all_ids, 100)} for k in range(300)])
        st.commit()
    print(f"built {db}: {n} articles in {time.perf_counter() - t0:.0f} s")


def plan(db: str, requests: int, seed: int = 11) -> list[tuple[str, str]]:
    """A fixed, seeded mix of page and API reads over the whole store (deep offsets included)."""
    with Store(db, readonly=True) as st:
        ids = [r[0] for r in st.conn.execute("SELECT id FROM articles ORDER BY rowid")]
        max_rowid = st.conn.execute("SELECT MAX(rowid) FROM articles").fetchone()[0]
        sample = [r[0] for r in st.conn.execute("SELECT text FROM articles ORDER BY rowid LIMIT 300")]
    rng = random.Random(seed)
    words = sorted({w.lower() for t in sample for w in re.findall(r"[A-Za-z]{6,}", t)})
    n = len(ids)
    mix = [
        (15, "page /", lambda: f"/?offset={rng.randrange(0, n, 20)}"),
        (20, "page /articles/{id}", lambda: f"/articles/{rng.choice(ids)}"),
        (5, "page /search", lambda: f"/search?q={rng.choice(words)}"),
        (5, "page /entities/{id}", lambda: f"/entities/ent_{rng.randrange(300):016x}"),
        (5, "page /stories/{id}", lambda: f"/stories/sty_{rng.randrange(50):016x}?offset={rng.randrange(0, 400, 20)}"),
        (10, "api /api/articles offset", lambda: f"/api/articles?limit=50&offset={rng.randrange(0, n)}"),
        (5, "api /api/articles cursor", lambda: f"/api/articles?limit=100&cursor={rng.randrange(0, max_rowid)}"),
        (15, "api /api/articles/{id}", lambda: f"/api/articles/{rng.choice(ids)}"),
        (10, "api /api/claims?q", lambda: f"/api/claims?q={rng.choice(words)}+{rng.choice(words)}"),
        (5, "static (anchor)", lambda: "/static/app.css"),
    ]
    weights = [w for w, _, _ in mix]
    return [(kind, make()) for _, kind, make in rng.choices(mix, weights=weights, k=requests)]


async def run_load(base: str, urls: list[tuple[str, str]], clients: int) -> tuple[list[tuple[str, float, int]], float]:
    """``clients`` independent keep-alive clients (one AsyncClient and connection each, like 20 browsers) pulling
    from one shared, fixed list of requests. Separate clients also keep httpx's shared-pool locking, which under
    concurrency costs the load generator more than the server, out of the measurement."""
    queue = list(reversed(urls))
    results: list[tuple[str, float, int]] = []

    async def worker() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
            while queue:
                kind, url = queue.pop()
                t = time.perf_counter()
                r = await client.get(url, headers={"accept": "text/html" if kind.startswith("page") else "application/json"})
                results.append((kind, time.perf_counter() - t, r.status_code))

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return results, time.perf_counter() - t0


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (Linux /proc), to separate the server's own cost from queueing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))] * 1000   # nearest rank


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default="/tmp/storyline-bench/web20k.db")
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--requests", type=int, default=4_000)
    ap.add_argument("--clients", type=int, default=20)
    args = ap.parse_args()
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    build_store(args.db, args.articles)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "import sys; from storyline.web.server import serve; serve(sys.argv[1], port=int(sys.argv[2]))"
    server = subprocess.Popen([sys.executable, "-c", code, args.db, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/articles?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("server did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        asyncio.run(run_load(base, plan(args.db, 200, seed=3), args.clients))          # warm caches, not measured
        cpu0, own0 = cpu_seconds(server.pid), time.process_time()
        results, wall = asyncio.run(run_load(base, plan(args.db, args.requests), args.clients))
        server_cpu, client_cpu = cpu_seconds(server.pid) - cpu0, time.process_time() - own0
    finally:
        server.terminate()
        server.wait(timeout=20)
    errors = [r for r in results if r[2] != 200]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, dt, _ in results:
        by_kind[kind].append(dt)
    print(f"\n{len(results)} requests, {args.clients} concurrent clients, {args.articles} articles, loopback")
    print(f"{'route':28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in sorted(by_kind):
        v = by_kind[kind]
        print(f"{kind:28} {len(v):5d} {pct(v, 50):8.1f} {pct(v, 95):8.1f} {pct(v, 99):8.1f}")
    all_lat = [dt for _, dt, _ in results]
    p95 = pct(all_lat, 95)
    print(f"{'ALL':28} {len(all_lat):5d} {pct(all_lat, 50):8.1f} {p95:8.1f} {pct(all_lat, 99):8.1f}")
    print(f"throughput: {len(results) / wall:.0f} requests/s over {wall:.1f} s; errors: {len(errors)}")
    print(f"CPU per request: server {server_cpu / len(results) * 1000:.2f} ms, load generator {client_cpu / len(results) * 1000:.2f} ms; "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (latency under contention is queueing)")
    print(f"anchor (static CSS, same run): p95 {pct(by_kind['static (anchor)'], 95):.1f} ms")
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {'PASS' if p95 < TARGET_P95_MS and not errors else 'FAIL'} (p95 {p95:.1f} ms)")
    return 0 if p95 < TARGET_P95_MS and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
