"""Article-body extraction: ``storyline extract`` vs trafilatura on the Zyte benchmark's dev pages, same run.

Usage: .venv/bin/python benchmarks/bench_extraction.py [--data DIR] [--rounds N] [--manifest-dir DIR]

Writes a ``{id, url, path}`` manifest of the dev pages (the format ``storyline extract`` reads) plus one
single-line manifest per page, and runs the *whole* ``extract`` path on them: ``storyline.api.extract`` →
``ingest/sources`` (manifest, gzip, path) → ``ingest/build`` (decode, ``extract_html``, text cleaning, metadata),
against ``trafilatura.extract`` (default settings) on the same page, read from the same ``.gz`` file.

Timing is interleaved page by page (the side that goes first alternates) and repeated ``--rounds`` times, so a
busy shared machine slows both sides alike; wall and CPU seconds are both reported. Quality is scored with the
benchmark's rule (README: ``\\w+`` tokens, 4-gram shingle multisets, per-document normalised P/R, F1 of the
means) on the text ``storyline extract`` prints, beside trafilatura's and the stored reference figure.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "article_extraction_benchmark"
TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    toks = TOKEN.findall(text or "")
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


def doc_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """tp, fp, fn over shingle multisets, normalised so that every document weighs the same."""
    g, p = shingles(gold), shingles(pred)
    tp, fp, fn = sum((g & p).values()), sum((p - g).values()), sum((g - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def score(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def prec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    ps = [prec(*r) for r in rows if r[0] + r[1] > 0]
    rs = [rec(*r) for r in rows if r[0] + r[2] > 0]
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def write_manifests(data: Path, out_dir: Path) -> tuple[Path, dict[str, Path], list[dict]]:
    """The whole-set manifest and one single-record manifest per page (for page-by-page interleaved timing)."""
    gold = json.loads((data / "ground-truth-dev.json").read_text("utf-8"))
    rows = [{"id": k, "url": v["url"], "path": str(data / "html" / f"{k}.html.gz")} for k, v in sorted(gold.items())]
    out_dir.mkdir(parents=True, exist_ok=True)
    whole = out_dir / "dev.jsonl"
    whole.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    single = {}
    for r in rows:
        single[r["id"]] = out_dir / f"page-{r['id'][:16]}.jsonl"
        single[r["id"]].write_text(json.dumps(r) + "\n", "utf-8")
    return whole, single, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds over all pages (default 5)")
    ap.add_argument("--manifest-dir", type=Path, default=None, help="where to write manifests (default: temp dir)")
    args = ap.parse_args()

    import logging

    import trafilatura

    from storyline.api import extract
    from storyline.config import Settings
    from storyline.ingest import html_removed

    logging.disable(logging.WARNING)   # trafilatura logs every discarded page
    settings = Settings()
    gold = json.loads((args.data / "ground-truth-dev.json").read_text("utf-8"))
    whole, single, rows = write_manifests(args.data, args.manifest_dir or Path(tempfile.mkdtemp(prefix="bench_ex_")))

    def ours(page_id: str) -> dict:
        recs = list(extract([str(single[page_id])], settings))
        assert len(recs) == 1, recs
        return recs[0]

    def theirs(page_id: str, path: str) -> str:
        html = gzip.decompress(Path(path).read_bytes()).decode("utf-8", errors="replace")
        return trafilatura.extract(html) or ""

    # warm-up (imports, caches) for both, so neither pays one-off costs in the timing
    ours(rows[0]["id"])
    theirs(rows[0]["id"], rows[0]["path"])

    out_ours: dict[str, str] = {}
    out_theirs: dict[str, str] = {}
    failed: list[str] = []
    removed = 0
    round_ratio, round_cpu_ratio = [], []
    wall = {"ours": 0.0, "theirs": 0.0}
    cpu = {"ours": 0.0, "theirs": 0.0}
    for rnd in range(args.rounds):
        # each round starts cold, as a fresh run would: repeated rounds over the same 50 pages must not
        # profit from the container-label cache filled by the previous round
        html_removed._match.cache_clear()
        w = {"ours": 0.0, "theirs": 0.0}
        c = {"ours": 0.0, "theirs": 0.0}
        for i, r in enumerate(rows):
            sides = ("ours", "theirs") if (i + rnd) % 2 == 0 else ("theirs", "ours")
            for side in sides:
                t0, c0 = time.perf_counter(), time.process_time()
                if side == "ours":
                    rec = ours(r["id"])
                else:
                    text = theirs(r["id"], r["path"])
                w[side] += time.perf_counter() - t0
                c[side] += time.process_time() - c0
            if rnd == 0:
                out_theirs[r["id"]] = text
                if rec["status"] == "ok":
                    out_ours[r["id"]] = rec["text"]
                    removed += len(rec["removed"])
                else:
                    out_ours[r["id"]] = ""
                    failed.append(f"{r['id'][:12]}: {rec.get('error')}")
        round_ratio.append(w["theirs"] / w["ours"])
        round_cpu_ratio.append(c["theirs"] / c["ours"])
        for k in wall:
            wall[k] += w[k]
            cpu[k] += c[k]

    # the whole manifest in one call, as a user runs it (untimed check that it gives the same texts)
    whole_out = {rec.get("id"): rec.get("text", "") for rec in extract([str(whole)], settings)}
    same = sum(whole_out.get(k) == v for k, v in out_ours.items())

    n = len(rows) * args.rounds
    f_o, p_o, r_o = score([doc_counts(gold[k]["articleBody"], out_ours[k]) for k in gold])
    f_t, p_t, r_t = score([doc_counts(gold[k]["articleBody"], out_theirs[k]) for k in gold])
    ref = json.loads((args.data / "system_scores_dev.json").read_text("utf-8"))["trafilatura"]
    print(f"manifest: {whole} ({len(rows)} pages); timing: {args.rounds} interleaved rounds")
    print(f"{'system':40s} {'F1':>7s} {'P':>7s} {'R':>7s} {'pages/s':>8s} {'CPU ms/page':>12s}")
    print(f"{'storyline.api.extract (manifest)':40s} {f_o:7.4f} {p_o:7.4f} {r_o:7.4f} {n / wall['ours']:8.1f} "
          f"{1000 * cpu['ours'] / n:12.1f}")
    print(f"{'trafilatura ' + trafilatura.__version__ + ' extract() defaults':40s} {f_t:7.4f} {p_t:7.4f} {r_t:7.4f} "
          f"{n / wall['theirs']:8.1f} {1000 * cpu['theirs'] / n:12.1f}")
    print(f"{'reference: trafilatura ' + ref['version'] + ' (stored)':40s} {ref['dev']['f1']:7.4f} "
          f"{ref['dev']['precision']:7.4f} {ref['dev']['recall']:7.4f} {'-':>8s}")
    print(f"F1 ours - trafilatura: {f_o - f_t:+.4f} (target >= 0; absolute target >= 0.96)")
    print(f"throughput ratio ours/trafilatura (pages/s, wall): {wall['theirs'] / wall['ours']:.3f} "
          f"[rounds: {', '.join(f'{x:.3f}' for x in round_ratio)}; median {statistics.median(round_ratio):.3f}] "
          f"(target >= 0.8)")
    print(f"throughput ratio ours/trafilatura (CPU time): {cpu['theirs'] / cpu['ours']:.3f} "
          f"[rounds: {', '.join(f'{x:.3f}' for x in round_cpu_ratio)}]")
    print(f"ours also decodes, cleans, dates, finds metadata and lists removed text: "
          f"{removed / len(rows):.1f} removed entries per page; failed: {len(failed)}; "
          f"whole-manifest run gives the same text on {same}/{len(out_ours)} pages")
    for f in failed:
        print("  failed:", f)


if __name__ == "__main__":
    main()
