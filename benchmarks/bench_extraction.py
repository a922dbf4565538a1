"""Article-body extraction: storyline vs trafilatura's defaults on the Zyte benchmark's dev pages, same run.

Usage: .venv/bin/python benchmarks/bench_extraction.py [--data DIR] [--manifest OUT.jsonl]

Writes a ``{id, url, path}`` manifest of the dev pages (the format ``storyline extract`` reads), runs our
``extract_html`` and ``trafilatura.extract`` (default settings) on each page, scores both with the benchmark's
rule (README: ``\\w+`` tokens, 4-gram shingle multisets, per-document normalised P/R, F1 of the means) and prints
them beside the stored reference figure. Throughput is timed page by page, ours and trafilatura's interleaved,
so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
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


def write_manifest(data: Path, out: Path) -> list[dict]:
    gold = json.loads((data / "ground-truth-dev.json").read_text("utf-8"))
    rows = [{"id": k, "url": v["url"], "path": str(data / "html" / f"{k}.html.gz")} for k, v in sorted(gold.items())]
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--manifest", type=Path, default=None, help="where to write the manifest (default: temp dir)")
    args = ap.parse_args()

    import logging

    import trafilatura

    from storyline.config import Settings
    from storyline.ingest.html_extract import extract_html

    logging.disable(logging.WARNING)   # trafilatura logs every discarded page
    settings = Settings()
    gold = json.loads((args.data / "ground-truth-dev.json").read_text("utf-8"))
    manifest = args.manifest or Path(tempfile.mkdtemp(prefix="bench_extraction_")) / "dev.jsonl"
    rows = write_manifest(args.data, manifest)
    entries = [json.loads(line) for line in manifest.read_text("utf-8").splitlines()]
    pages = {e["id"]: gzip.decompress(Path(e["path"]).read_bytes()).decode("utf-8", errors="replace") for e in entries}

    # warm-up (imports, caches) on one page for both, so neither pays one-off costs in the timing
    extract_html(pages[entries[0]["id"]], entries[0]["url"], settings)
    trafilatura.extract(pages[entries[0]["id"]])

    ours, theirs, t_ours, t_theirs = {}, {}, 0.0, 0.0
    methods: Counter = Counter()
    n_removed = 0
    for e in entries:
        html, url = pages[e["id"]], e["url"]
        t0 = time.perf_counter()
        res = extract_html(html, url, settings)
        t1 = time.perf_counter()
        theirs[e["id"]] = trafilatura.extract(html) or ""
        t2 = time.perf_counter()
        ours[e["id"]] = res.text
        methods[res.method] += 1
        n_removed += len(res.removed)
        t_ours += t1 - t0
        t_theirs += t2 - t1

    f_o, p_o, r_o = score([doc_counts(gold[k]["articleBody"], ours[k]) for k in gold])
    f_t, p_t, r_t = score([doc_counts(gold[k]["articleBody"], theirs[k]) for k in gold])
    ref = json.loads((args.data / "system_scores_dev.json").read_text("utf-8"))["trafilatura"]
    print(f"manifest: {manifest} ({len(rows)} pages)")
    print(f"{'system':36s} {'F1':>7s} {'P':>7s} {'R':>7s} {'pages/s':>8s}")
    print(f"{'storyline extract_html':36s} {f_o:7.4f} {p_o:7.4f} {r_o:7.4f} {len(entries) / t_ours:8.1f}")
    print(f"{'trafilatura ' + trafilatura.__version__ + ' extract() defaults':36s} {f_t:7.4f} {p_t:7.4f} {r_t:7.4f} "
          f"{len(entries) / t_theirs:8.1f}")
    print(f"{'reference: trafilatura ' + ref['version'] + ' (stored)':36s} {ref['dev']['f1']:7.4f} "
          f"{ref['dev']['precision']:7.4f} {ref['dev']['recall']:7.4f} {'-':>8s}")
    print(f"F1 ours - trafilatura: {f_o - f_t:+.4f} (target >= 0; absolute target >= 0.96)")
    print(f"throughput ratio ours/trafilatura: {t_theirs / t_ours:.2f} (target >= 0.8; ours also finds the date, "
          f"metadata and the removed list)")
    print(f"methods: {dict(methods)}; removed entries per page: {n_removed / len(entries):.1f}")


if __name__ == "__main__":
    main()
