"""`storyline serve` with 255 idle TCP connections held open, then 255 slow clients: real requests must still be
answered quickly.

    .venv/bin/python benchmarks/bench_serve_idle.py [--idle 255] [--slow 255] [--requests 300]

Starts `storyline serve` (its own process, as a user would) on a small synthetic store on loopback, measures the
latency of sequential API requests with no idle connections (the anchor), then opens ``--idle`` connections that
never send a byte and measures the same requests again; then checks that a spoofed Host header is refused and that
the idle connections were closed by the server. Then ``--slow`` clients (slowloris) each send a request head one
byte every 0.5 s, and the same requests are measured while they trickle; each slow client must be cut off (HTTP 408)
about ``REQUEST_TIMEOUT`` (10 s) after it connected, not held for its whole trickle. Target: p99 < 1 s with the idle
connections open, and with the slow clients trickling.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from storyline.model import Article, InputRecord
from storyline.store import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _latencies(port: int, n: int) -> list[float]:
    out = []
    for i in range(n):
        path = "/api/articles?limit=20" if i % 2 else "/api/claims?q=troops"
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        assert resp.status == 200, resp.status
        out.append(time.perf_counter() - t0)
    return out


def _pcts(xs: list[float]) -> str:
    q = statistics.quantiles(xs, n=100)
    return f"p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, max {max(xs) * 1000:.1f} ms"


def _slow_client(port: int, started: float, results: list[float | None]) -> None:
    """One slowloris client: a request head a byte every 0.5 s (a 100-byte header would take 50 s); records the
    seconds until the server cut it off with a 408, or None when it was served or never answered."""
    head = b"GET /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100 + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(0.5)
        answer = b""
        for i in range(len(head)):
            try:
                sock.sendall(head[i:i + 1])
                answer = sock.recv(64)
                break                    # answered (or closed: b"") before the head was whole
            except TimeoutError:
                continue
            except OSError:
                break
        results.append(time.perf_counter() - started if answer.startswith(b"HTTP/1.1 408") else None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--idle", type=int, default=255)
    ap.add_argument("--slow", type=int, default=255)
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_serve_idle_") as tmp:
        db = str(Path(tmp) / "s.db")
        with Store(db) as st:
            for i in range(200):
                art = Article(id=f"art_{i:016x}", source=f"/in/{i}.txt", title=f"Troops story {i}",
                              text=f"Officials said {i * 10} troops remain in Iraq. " * 10)
                st.add_article(art)
                st.record_input(InputRecord(f"/in/{i}.txt", "ok", "", art.id))
            st.commit()
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        idle: list[socket.socket] = []
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            anchor = _latencies(port, args.requests)
            for _ in range(args.idle):
                idle.append(socket.create_connection(("127.0.0.1", port)))
            loaded = _latencies(port, args.requests)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/articles", headers={"Host": "evil.example"})
            spoofed = conn.getresponse().status
            conn.close()
            idle[0].settimeout(30)
            t0 = time.perf_counter()
            first = idle[0].recv(64)
            closed = first == b"" or first.startswith(b"HTTP/1.1 408")      # told (408) and closed
            waited = time.perf_counter() - t0
            for s in idle:
                s.close()
            idle.clear()
            cut: list[float | None] = []
            t0 = time.perf_counter()
            slow = [threading.Thread(target=_slow_client, args=(port, t0, cut), daemon=True) for _ in range(args.slow)]
            for t in slow:
                t.start()
            time.sleep(1.0)              # all connected and trickling
            trickling = _latencies(port, args.requests)
            for t in slow:
                t.join(timeout=120)
        finally:
            for s in idle:
                s.close()
            server.terminate()
            server.wait(timeout=30)
        print(f"no idle connections:        {_pcts(anchor)}  ({args.requests} requests)")
        print(f"{args.idle} idle connections open: {_pcts(loaded)}  (target p99 < 1000 ms)")
        if args.slow:
            times = sorted(x for x in cut if x is not None)
            print(f"{args.slow} slow clients trickling: {_pcts(trickling)}  (target p99 < 1000 ms)")
            print(f"slow clients cut off with 408: {len(times)} of {args.slow}, after {times[0]:.1f}-{times[-1]:.1f} s "
                  "(REQUEST_TIMEOUT 10 s; each trickle would take 50 s)" if times else
                  f"slow clients cut off with 408: 0 of {args.slow}")
        print(f"spoofed Host header: HTTP {spoofed} (expected 400); an idle connection closed by the server: {closed} "
              f"(after a further {waited:.1f} s)")


if __name__ == "__main__":
    main()
