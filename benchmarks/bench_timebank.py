"""Time expressions to TimeML's standard, measured on TimeBank 1.2 and AQUAINT (TempEval-3 Task A, shared harness).

For each set: every document is parsed with the project's spaCy pipeline (``load_nlp``, as the workers do), the time
engine (``resolve_times``, anchored on the document creation time) runs on the parse, its predictions go to a private
temporary folder, and the shared scorer (``../shared/benchmarks/timebank/timex_eval.py``) scores them. Printed beside
the anchor: HeidelTime on the TempEval-3 platinum test (relaxed F1 90.30, value F1 77.61; that test is held back
here). The engine's cost per article is printed beside the parse's, both measured in this run.

    .venv/bin/python benchmarks/bench_timebank.py [--errors 30] [--by-type] [--keep DIR]

TimeBank is the tuning set; AQUAINT is the held-out check. Targets: value F1 >= 82 on both, relaxed F1 >= 90.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = [ROOT.parent / "shared" / "benchmarks" / "timebank", Path("/work/shared/benchmarks/timebank")]
SETS = ("harness_timebank", "harness_aquaint")
ANCHOR = {"relaxed_F1": 90.30, "strict_F1": 81.34, "value_F1": 77.61}


def _shared() -> Path:
    for p in SHARED:
        if (p / "timex_eval.py").exists():
            return p
    sys.exit("shared TimeBank harness not found (looked in " + ", ".join(map(str, SHARED)) + ")")


def run_set(nlp: Any, folder: Path, out: Path) -> tuple[Path, int, float, float]:
    """Parse and tag one harness set; (prediction file, documents, parse seconds, time-engine seconds)."""
    from storyline.nlp.numbers.timex import resolve_times

    docs = [json.loads(line) for line in (folder / "docs.jsonl").open(encoding="utf-8") if line.strip()]
    t0 = time.perf_counter()
    parsed = list(nlp.pipe([d["text"] for d in docs], batch_size=32))
    parse_s = time.perf_counter() - t0
    rows: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for d, doc in zip(docs, parsed, strict=True):
        dct = date.fromisoformat(d["dct"][:10]) if d.get("dct") else None
        for t in resolve_times(doc, dct, None):
            rows.append({"doc": d["doc"], "start": t.start, "end": t.end, "type": t.type, "value": t.value or ""})
    timex_s = time.perf_counter() - t0
    pred = out / f"{folder.name}.pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return pred, len(docs), parse_s, timex_s


def score(shared: Path, folder: Path, pred: Path, extra: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(shared / "timex_eval.py"), "score", str(folder), str(pred), *extra],
                          capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    res: dict[str, Any] = json.loads(lines[0])
    res["_rest"] = lines[1:]
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0, help="print this many scorer error lines per set")
    ap.add_argument("--by-type", action="store_true", help="per-type recall and value accuracy")
    ap.add_argument("--keep", help="write the prediction files here instead of a temporary folder")
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    args = ap.parse_args()
    from storyline.nlp.runtime.spacy_model import load_nlp

    shared = _shared()
    nlp = load_nlp()
    nlp("Warm-up on Monday, March 3, 1998.")
    extra = (["--by-type"] if args.by_type else []) + (["--errors", str(args.errors)] if args.errors else [])
    with tempfile.TemporaryDirectory(prefix="bench_timebank_") as tmp:
        out = Path(args.keep) if args.keep else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        n_all = parse_all = timex_all = 0.0
        print(f"{'set':<18} {'relaxed F1':>10} {'strict F1':>9} {'value F1':>8} {'type acc':>8} {'gold':>5} {'pred':>5}")
        print(f"{'HeidelTime (TE3)':<18} {ANCHOR['relaxed_F1']:>10.2f} {ANCHOR['strict_F1']:>9.2f} "
              f"{ANCHOR['value_F1']:>8.2f} {'':>8} {'':>5} {'':>5}   anchor: TempEval-3 platinum test, held back")
        rest: list[str] = []
        for name in args.sets:
            folder = shared / name
            pred, n, parse_s, timex_s = run_set(nlp, folder, out)
            r = score(shared, folder, pred, extra)
            n_all, parse_all, timex_all = n_all + n, parse_all + parse_s, timex_all + timex_s
            print(f"{name.replace('harness_', ''):<18} {r['relaxed_F1']:>10.2f} {r['strict_F1']:>9.2f} "
                  f"{r['value_F1']:>8.2f} {r['type_acc']:>8.2f} {r['gold']:>5} {r['pred']:>5}")
            rest += [f"-- {name}"] + r["_rest"] if r["_rest"] else []
        print(f"cost per article: time engine {1000 * timex_all / n_all:.2f} ms vs spaCy parse "
              f"{1000 * parse_all / n_all:.2f} ms ({timex_all / parse_all:.3f}x the parse; {int(n_all)} articles)")
        print("targets: value F1 >= 82 on both sets, relaxed F1 >= 90")
        for line in rest:
            print(line)


if __name__ == "__main__":
    main()
